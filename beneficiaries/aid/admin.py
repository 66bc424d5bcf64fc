"""Django admin for aid: search, filters and history on every model, no deletion.

Records that belong to a file are scoped like the interface (visible_to). Status is read-only
here: approving, paying, cancelling, the safety check and card changes go through the pages
(services.py), so the admin cannot step around the rules. Registered by importing this module
from beneficiaries/admin.py."""

from django.contrib import admin

from ..admin import NoDeleteHistoryAdmin
from ..models import (
    Campaign,
    CashDonation,
    Disbursement,
    DisbursementItem,
    ElectronicCard,
    Fund,
    InKindDonation,
    Recommendation,
)


class RecordedOnPagesAdmin(NoDeleteHistoryAdmin):
    """Records are created on the aid pages (services.py), which name who did it; admin corrects."""

    def has_add_permission(self, request):
        return False


class ItemInline(admin.TabularInline):
    model = DisbursementItem
    extra = 0
    fields = ("donation", "quantity")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Fund)
class FundAdmin(NoDeleteHistoryAdmin):
    scope_field = None
    list_display = ("name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "description")


@admin.register(CashDonation)
class CashDonationAdmin(RecordedOnPagesAdmin):
    scope_field = None
    list_display = ("fund", "amount", "donor", "received_on", "reference", "recorded_by")
    list_filter = ("fund",)
    search_fields = ("donor", "reference", "fund__name")
    date_hierarchy = "received_on"
    readonly_fields = ("recorded_by",)


@admin.register(InKindDonation)
class InKindDonationAdmin(RecordedOnPagesAdmin):
    scope_field = None
    list_display = ("item", "quantity", "unit", "received_on", "expires_on", "safety_check", "checked_by")
    list_filter = ("safety_check",)
    search_fields = ("item", "donor")
    date_hierarchy = "received_on"
    readonly_fields = ("safety_check", "checked_by", "checked_at", "check_notes", "recorded_by")


@admin.register(Campaign)
class CampaignAdmin(RecordedOnPagesAdmin):
    scope_field = None
    list_display = ("name", "fund", "purpose", "amount_per_member", "created_by", "created_at")
    list_filter = ("purpose", "fund")
    search_fields = ("name", "reason")
    readonly_fields = ("criteria", "created_by", "created_at")


@admin.register(Disbursement)
class DisbursementAdmin(RecordedOnPagesAdmin):
    list_display = ("file", "kind", "purpose", "fund", "amount", "status", "proposed_by", "approved_by", "paid_on")
    list_filter = ("status", "kind", "purpose", "fund")
    search_fields = ("file__number", "transfer_reference", "campaign__name")
    date_hierarchy = "paid_on"
    raw_id_fields = ("file", "campaign")
    readonly_fields = ("status", "kind", "amount", "iban", "transfer_reference", "household_size", "proposed_by",
                       "proposed_at", "approved_by", "approved_at", "paid_on", "paid_by")
    list_select_related = ("file", "fund", "proposed_by", "approved_by")
    inlines = [ItemInline]


@admin.register(Recommendation)
class RecommendationAdmin(RecordedOnPagesAdmin):
    scope_field = None
    list_display = ("family_name", "city", "status", "recommended_by", "recommended_at")
    list_filter = ("status", "city")
    search_fields = ("family_name", "city", "district", "contact")
    readonly_fields = ("status", "file", "recommended_by", "recommended_at")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.has_perm("beneficiaries.view_all_files") else qs.filter(recommended_by=request.user)


@admin.register(ElectronicCard)
class ElectronicCardAdmin(RecordedOnPagesAdmin):
    list_display = ("number", "file", "status", "issued_on", "status_changed_on", "issued_by")
    list_filter = ("status",)
    search_fields = ("number", "file__number")
    raw_id_fields = ("file",)
    readonly_fields = ("status", "status_changed_on", "issued_by")
