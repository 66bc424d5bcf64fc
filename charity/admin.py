from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import admin_messages, admin_users  # noqa: F401 - register the message wordings, accounts and groups
from .admin_history import ScopedHistoryAdmin, ViewOnlyMixin
from .admin_sections import SectionChecklistMixin
from .admin_setup import SetupChecklistMixin
from .forms import LinesField
from .models import (
    AccessLog,
    CalendarException,
    Category,
    DeliveryAttempt,
    JobRun,
    Notification,
    PolicyProfile,
    WorkerHeartbeat,
)
from .policy import Channel
from .services import activate_profile


class PolicyProfileForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("enabled channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    service_area_cities = LinesField(label=_("service-area cities (one per line)"), required=False)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = PolicyProfile
        fields = [
            "code", "name_ar", "name_en", "licence_number", "approval_record_ar", "approval_record_en",
            "source_document", "deciding_body", "procedure_explained_by", "complaint_receiver_ar",
            "complaint_receiver_en", "investigation_committee_ar", "investigation_committee_en", "channels",
            "categories", "service_area_cities",
            "service_area_enforced", "international_phones", "passport_identity", "decision_target_days",
            "complaint_window_days", "ruling_working_days", "ruling_clock_from", "excuse_decision_working_days",
            "director_complaints_role", "freeze_documents_months", "freeze_contact_months",
            "sc10_orphans_exempt", "income_threshold_per_member", "committee_quorum", "verification_items",
            "address_ar", "phone", "email", "website", "needs_study",
        ]


@admin.register(PolicyProfile)
class PolicyProfileAdmin(SetupChecklistMixin, SectionChecklistMixin, ScopedHistoryAdmin):
    form = PolicyProfileForm
    list_display = ("code", "name_ar", "name_en", "deciding_body", "is_active", "setup_link", "sections_link")
    search_fields = ("code", "name_ar", "name_en")
    list_filter = ("is_active", "deciding_body")
    filter_horizontal = ("categories",)
    readonly_fields = ("is_active", "updated_at", "setup_link", "sections_link")
    actions = ["make_active"]

    @admin.action(description=_("Make the selected profile the active one"))
    def make_active(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one profile."), messages.ERROR)
            return
        activate_profile(queryset.get())
        self.message_user(request, _("The profile is now active."), messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(ScopedHistoryAdmin):
    list_display = ("code", "name_ar", "name_en", "rule")
    search_fields = ("code", "name_ar", "name_en")
    list_filter = ("rule",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarException)
class CalendarExceptionAdmin(ScopedHistoryAdmin):
    list_display = ("date", "kind", "name", "created_by")
    list_filter = ("kind",)
    search_fields = ("name", "note")
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(ViewOnlyMixin, admin.ModelAdmin):
    pass


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "actor", "action", "outcome", "content_type", "object_id", "ip_address")
    list_filter = ("outcome", "action", "content_type")
    search_fields = ("user__username", "actor", "object_id", "ip_address")
    date_hierarchy = "at"
    list_select_related = ("user", "content_type")


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("worker", "last_seen")


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    """Runs of the long jobs: running, finished, failed, or interrupted and resumed (charity/jobs.py)."""

    list_display = ("task_name", "started_at", "heartbeat_at", "progress", "outcome", "finished_at", "resumes")
    list_filter = ("outcome", "task_name")
    date_hierarchy = "started_at"


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("at", "backend", "success", "detail")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox, scoped like the records it is about (Notification.objects.visible_to): a
    notification about a file or a complaint outside the user's scope is not listed, and is a
    404. Secrets are never here: the body holds their placeholders (notifications/sealing.py)."""

    list_display = ("created_at", "channel", "purpose", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", "purpose")
    search_fields = ("object_id", "purpose")
    date_hierarchy = "created_at"
    inlines = [DeliveryAttemptInline]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
