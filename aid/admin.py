"""Django admin for aid: search, filters and history on every model, no deletion.

Records that belong to a file are scoped like the interface (visible_to). Status is read-only
here: approving, paying, cancelling, the safety check and card changes go through the pages
(aid/services/), so the admin cannot step around the rules. What aid already committed rests on
is read-only too (a disbursement's file, fund, purpose, amount and goods; a campaign's fund and
amount; a card's number and file); a donation's figures may be corrected only through the
services' checks (TK-3: no fund left short of the aid approved from it; TK-4: no less received
than given, no expiry moved after the safety check). It reuses beneficiaries' NoDeleteHistoryAdmin."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from beneficiaries.admin import NoDeleteHistoryAdmin
from charity import calendar

from . import services
from .models import (
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
    """Records are created on the aid pages (aid/services/), which name who did it; admin corrects."""

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


class CashDonationForm(forms.ModelForm):
    class Meta:
        model = CashDonation
        fields = ("fund", "amount", "donor", "received_on", "reference")

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                services.check_cash_donation_correction(
                    donation=self.instance, fund=data["fund"], amount=data["amount"],
                    received_on=data["received_on"], today=calendar.today())
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc
        return data


@admin.register(CashDonation)
class CashDonationAdmin(RecordedOnPagesAdmin):
    """TK-3: a correction goes through services.correct_cash_donation (funds locked, checked again)."""

    scope_field = None
    form = CashDonationForm
    list_display = ("fund", "amount", "donor", "received_on", "reference", "recorded_by")
    list_filter = ("fund",)
    search_fields = ("donor", "reference", "fund__name")
    date_hierarchy = "received_on"
    readonly_fields = ("recorded_by",)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.correct_cash_donation(
            donation=obj, by=request.user, fund=data["fund"], amount=data["amount"],
            received_on=data["received_on"], today=calendar.today(), donor=data["donor"],
            reference=data["reference"])


class InKindDonationForm(forms.ModelForm):
    class Meta:
        model = InKindDonation
        fields = ("item", "unit", "quantity", "donor", "received_on", "expires_on")

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                services.check_in_kind_donation_correction(
                    donation=self.instance, quantity=data["quantity"], expires_on=data.get("expires_on"),
                    received_on=data["received_on"], today=calendar.today())
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc
        return data


@admin.register(InKindDonation)
class InKindDonationAdmin(RecordedOnPagesAdmin):
    """TK-4: a correction goes through services.correct_in_kind_donation (locked, checked again)."""

    scope_field = None
    form = InKindDonationForm
    list_display = ("item", "quantity", "unit", "received_on", "expires_on", "safety_check", "checked_by")
    list_filter = ("safety_check",)
    search_fields = ("item", "donor")
    date_hierarchy = "received_on"
    readonly_fields = ("safety_check", "checked_by", "checked_at", "check_notes", "recorded_by")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.correct_in_kind_donation(
            donation=obj, by=request.user, item=data["item"], unit=data["unit"], quantity=data["quantity"],
            donor=data["donor"], received_on=data["received_on"], expires_on=data.get("expires_on"),
            today=calendar.today())


@admin.register(Campaign)
class CampaignAdmin(RecordedOnPagesAdmin):
    scope_field = None
    list_display = ("name", "fund", "purpose", "amount_per_member", "created_by", "created_at")
    list_filter = ("purpose", "fund")
    search_fields = ("name", "reason")
    # TK-5: the aid proposed from it was counted with these.
    readonly_fields = ("fund", "purpose", "amount_per_member", "criteria", "created_by", "created_at")


@admin.register(Disbursement)
class DisbursementAdmin(RecordedOnPagesAdmin):
    list_display = ("file", "kind", "purpose", "fund", "amount", "status", "proposed_by", "approved_by", "paid_on")
    list_filter = ("status", "kind", "purpose", "fund")
    search_fields = ("file__number", "transfer_reference", "campaign__name")
    date_hierarchy = "paid_on"
    # Only the note may be corrected here: everything else is what TK-1, TK-3 and TK-4 checked.
    readonly_fields = ("file", "kind", "purpose", "fund", "amount", "iban", "transfer_reference", "campaign",
                       "household_size", "status", "proposed_by", "proposed_at", "approved_by", "approved_at",
                       "paid_on", "paid_by")
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
    # DU-7: a card's number and file change only by replacing it (services.replace_card).
    readonly_fields = ("number", "file", "issued_on", "status", "status_changed_on", "issued_by")
