"""Django admin for eligibility and the service controls: view only, never deleted, within the
file's confidentiality scope, with the history of every record.

Checklists, visits, assessments, decisions, freezes, exclusions and certificates change only
through eligibility/services.py and controls.py (the study, decision and control pages, and the
daily sweep), where the rules are checked, the history written and the beneficiary told; an
edit here would go around all three. The admin site shows them for audits."""

from django.contrib import admin

from beneficiaries.admin import NoDeleteHistoryAdmin
from charity.admin_history import ViewOnlyMixin

from .models import (
    Certificate,
    CertificateSequence,
    CommitteeVote,
    DeathRecord,
    Decision,
    Exclusion,
    FieldVisit,
    Freeze,
    NeedsAssessment,
    VerificationItem,
    Witness,
)


class ViewOnlyAdmin(ViewOnlyMixin, NoDeleteHistoryAdmin):
    pass


class VoteInline(ViewOnlyMixin, admin.TabularInline):
    model = CommitteeVote
    extra = 0
    can_delete = False
    fields = ("member", "vote")
    readonly_fields = fields


@admin.register(VerificationItem)
class VerificationItemAdmin(ViewOnlyAdmin):
    list_display = ("file", "kind", "rule", "member", "status", "verified_by", "verified_at")
    list_filter = ("status", "kind", "rule")
    search_fields = ("file__number",)
    list_select_related = ("file", "member", "verified_by")


@admin.register(Witness)
class WitnessAdmin(ViewOnlyAdmin):
    list_display = ("file", "name", "recorded_by", "recorded_at")
    search_fields = ("file__number",)
    list_select_related = ("file", "recorded_by")


@admin.register(FieldVisit)
class FieldVisitAdmin(ViewOnlyAdmin):
    list_display = ("file", "researcher", "scheduled_for", "status", "housing_state", "recommendation")
    list_filter = ("status", "housing_state", "recommendation")
    search_fields = ("file__number",)
    date_hierarchy = "scheduled_for"
    list_select_related = ("file", "researcher")


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(ViewOnlyAdmin):
    list_display = ("file", "score", "income_per_member", "threshold", "assessed_by", "assessed_at")
    search_fields = ("file__number",)
    list_select_related = ("file", "assessed_by")


@admin.register(Decision)
class DecisionAdmin(ViewOnlyAdmin):
    list_display = ("file", "body", "outcome", "decided_by", "decided_at")
    list_filter = ("outcome", "body")
    search_fields = ("file__number",)
    inlines = [VoteInline]
    list_select_related = ("file", "decided_by")


@admin.register(Freeze)
class FreezeAdmin(ViewOnlyAdmin):
    list_display = ("file", "rule", "started_on", "ends_on", "outcome", "ended_at")
    list_filter = ("rule", "outcome")
    search_fields = ("file__number",)
    date_hierarchy = "started_on"
    list_select_related = ("file",)


@admin.register(Exclusion)
class ExclusionAdmin(ViewOnlyAdmin):
    list_display = ("file", "rule", "decided_on", "decided_by", "referred_to_authorities")
    list_filter = ("rule",)
    search_fields = ("file__number",)
    date_hierarchy = "decided_on"
    list_select_related = ("file", "decided_by")


@admin.register(DeathRecord)
class DeathRecordAdmin(ViewOnlyAdmin):
    list_display = ("file", "died_on", "outcome", "recorded_by", "recorded_at")
    list_filter = ("outcome",)
    search_fields = ("file__number",)
    list_select_related = ("file", "recorded_by")


@admin.register(Certificate)
class CertificateAdmin(ViewOnlyAdmin):
    """Certificates keep no history of their own: they are written once, then rendered once."""

    scope_field = "exclusion__file"
    list_display = ("serial", "kind", "exclusion", "issued_at", "rendered_at")
    list_filter = ("kind",)
    search_fields = ("serial", "exclusion__file__number")
    exclude = ("verification_code",)  # the code proves the paper: only its holder has it
    list_select_related = ("exclusion__file",)


@admin.register(CertificateSequence)
class CertificateSequenceAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("year", "last")
