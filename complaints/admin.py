"""Django admin for complaints: view only, never deleted, and within the CP-8 scope.

Every change of a complaint goes through complaints/services/ (the staff pages); the admin
only shows the records. A non-superuser sees exactly what Complaint.objects.visible_to shows
them; the secret code's hash is never shown."""

from django.contrib import admin

from charity.admin_history import ScopedHistoryAdmin, ViewOnlyMixin

from .models import Attachment, Complaint, InvestigationReferral, Notice


class ReadOnlyInline(ViewOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields


class NoticeInline(ReadOnlyInline):
    model = Notice
    fields = ("channel", "at", "by", "success", "note", "notification")
    readonly_fields = fields


def visible_scope(request, queryset):
    """CP-8: a non-superuser sees in the admin what they see on the staff pages."""
    if request.user.is_superuser:
        return queryset
    return queryset.filter(pk__in=Complaint.objects.visible_to(request.user).values("pk"))


@admin.register(Complaint)
class ComplaintAdmin(ViewOnlyMixin, ScopedHistoryAdmin):
    exclude = ("code_hash",)
    list_display = ("tracking_number", "subject", "kind", "status", "source", "received_on", "due_on", "assigned_to")
    list_filter = ("status", "kind", "topic", "source", "late", "malicious")
    search_fields = ("tracking_number",)
    date_hierarchy = "received_on"
    inlines = [AttachmentInline, NoticeInline]

    def get_queryset(self, request):
        return visible_scope(request, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Complaint._meta.get_fields()
                if f.concrete and f.name != "code_hash" and (not f.auto_created or f.name == "id")]


@admin.register(InvestigationReferral)
class InvestigationReferralAdmin(ViewOnlyMixin, ScopedHistoryAdmin):
    list_display = ("complaint", "referred_by", "referred_at", "outcome_at")
    readonly_fields = ("complaint", "referred_by", "referred_at", "reasons", "outcome", "outcome_by", "outcome_at")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(
            complaint__in=Complaint.objects.visible_to(request.user).values("pk"))
