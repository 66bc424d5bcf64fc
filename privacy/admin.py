"""Django admin for privacy: read-only, and nothing can be deleted (PDPL: destruction happens only
through the logged retention job). Requests are recorded and answered on the staff pages."""

from django.contrib import admin

from charity.admin_history import ScopedHistoryAdmin
from charity.admin_history import ViewOnlyMixin as ReadOnlyMixin

from .models import DataSubjectRequest, DestroyedDocument, RetentionLog


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    list_display = ("pk", "kind", "status", "received_on", "due_on", "handled_by", "completed_at")
    list_filter = ("kind", "status")
    date_hierarchy = "received_on"
    exclude = ("export_file", "export_sha256")


@admin.register(RetentionLog)
class RetentionLogAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("at", "rule", "action", "content_type", "object_id", "count")
    list_filter = ("rule", "action", "content_type")
    date_hierarchy = "at"


@admin.register(DestroyedDocument)
class DestroyedDocumentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("document", "destroyed_at", "rule")
    date_hierarchy = "destroyed_at"
    list_select_related = ("document__file",)
