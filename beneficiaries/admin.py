"""Django admin for the beneficiary file: search, filters and history on every model.

Nothing here deletes a case record: deletion is switched off for every model."""

from django.contrib import admin

from charity.admin_history import ScopedHistoryAdmin

from .models import (
    AnnualUpdate,
    BeneficiaryFile,
    Declaration,
    Document,
    FileNumberSequence,
    IncomeSource,
    ManagerReferral,
    Member,
    ReportedChange,
    ResearcherAssignment,
    ResearcherChangeRequest,
    UpdateRequest,
)


class NoDeleteHistoryAdmin(ScopedHistoryAdmin):
    """No deletion of case records, and the same confidentiality scope as the interface:
    `scope_field` names the path to the file ("" for the file itself)."""

    scope_field = "file"

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.scope_field is None:
            return qs
        visible = BeneficiaryFile.objects.visible_to(request.user)
        if self.scope_field == "":
            return qs.filter(pk__in=visible.values("pk"))
        return qs.filter(**{f"{self.scope_field}__in": visible.values("pk")})


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ("relationship", "first_name", "father_name", "grandfather_name", "family_name", "id_type",
              "id_number", "birth_date", "gender", "marital_status", "school_stage", "has_disability")
    show_change_link = True

    def has_delete_permission(self, request, obj=None):
        return False


class IncomeInline(admin.TabularInline):
    model = IncomeSource
    extra = 0
    fields = ("kind", "member", "monthly_amount", "note", "ended_on")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BeneficiaryFile)
class BeneficiaryFileAdmin(NoDeleteHistoryAdmin):
    scope_field = ""
    list_display = ("number", "head_name", "status", "channel", "city", "researcher", "decision_due_on")
    list_filter = ("status", "channel", "categories", "housing_type", "outside_service_area")
    search_fields = ("number", "head_name", "head_id_number", "mobile", "mobile_alt", "members__id_number")
    readonly_fields = ("number", "status", "version", "created_at", "submitted_at", "status_changed_at")
    autocomplete_fields = ("researcher", "registered_by")
    filter_horizontal = ("categories",)
    list_select_related = ("researcher",)
    date_hierarchy = "created_at"
    inlines = [MemberInline, IncomeInline]


@admin.register(Member)
class MemberAdmin(NoDeleteHistoryAdmin):
    list_display = ("__str__", "file", "relationship", "id_number", "birth_date", "gender")
    list_filter = ("relationship", "gender", "marital_status", "school_stage", "has_disability")
    search_fields = ("first_name", "family_name", "name_search", "id_number", "file__number")
    raw_id_fields = ("file",)


@admin.register(IncomeSource)
class IncomeSourceAdmin(NoDeleteHistoryAdmin):
    list_display = ("file", "kind", "monthly_amount", "ended_on")
    list_filter = ("kind",)
    search_fields = ("file__number",)
    raw_id_fields = ("file", "member")


@admin.register(Document)
class DocumentAdmin(NoDeleteHistoryAdmin):
    list_display = ("file", "doc_type", "content_type", "size", "issued_on", "expires_on", "uploaded_by", "uploaded_at")
    list_filter = ("doc_type", "content_type")
    search_fields = ("file__number", "sha256")
    readonly_fields = ("stored", "content_type", "size", "sha256", "original_name", "uploaded_by", "uploaded_at")
    raw_id_fields = ("file", "member", "superseded_by")


@admin.register(Declaration)
class DeclarationAdmin(NoDeleteHistoryAdmin):
    list_display = ("file", "signed_by_name", "method", "signed_at", "confirmed_by")
    list_filter = ("method",)
    search_fields = ("file__number", "signed_by_name")
    readonly_fields = ("data_snapshot", "snapshot_sha256")
    raw_id_fields = ("file", "scan")


@admin.register(ResearcherAssignment)
class ResearcherAssignmentAdmin(NoDeleteHistoryAdmin):
    list_display = ("file", "researcher", "assigned_by", "assigned_at", "ended_at")
    list_filter = ("researcher",)
    search_fields = ("file__number",)
    raw_id_fields = ("file",)


@admin.register(ResearcherChangeRequest)
class ResearcherChangeRequestAdmin(NoDeleteHistoryAdmin):
    list_display = ("file", "status", "recorded_at", "decided_by", "decided_at")
    list_filter = ("status",)
    search_fields = ("file__number",)
    raw_id_fields = ("file",)


@admin.register(ManagerReferral)
class ManagerReferralAdmin(NoDeleteHistoryAdmin):
    list_display = ("file", "referred_to", "asked_by", "asked_at", "answered_by", "answered_at")
    search_fields = ("file__number", "question")
    raw_id_fields = ("file",)


@admin.register(ReportedChange)
class ReportedChangeAdmin(NoDeleteHistoryAdmin):
    list_display = ("file", "kind", "reported_on", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("file__number", "description")
    raw_id_fields = ("file",)


@admin.register(AnnualUpdate)
class AnnualUpdateAdmin(NoDeleteHistoryAdmin):
    scope_field = None
    list_display = ("title", "announced_on", "deadline", "announced_by")
    search_fields = ("title",)


@admin.register(UpdateRequest)
class UpdateRequestAdmin(NoDeleteHistoryAdmin):
    list_display = ("file", "update", "status", "due_on", "completed_at")
    list_filter = ("status", "update")
    search_fields = ("file__number",)
    raw_id_fields = ("file",)


@admin.register(FileNumberSequence)
class FileNumberSequenceAdmin(admin.ModelAdmin):
    list_display = ("year", "last")

    def has_delete_permission(self, request, obj=None):
        return False
