"""Staff register a household member as the family's delegate for «my file» (through the service)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import services
from .models import Delegate


@admin.register(Delegate)
class DelegateAdmin(admin.ModelAdmin):
    list_display = ["file", "member", "designated_by", "designated_at", "ended_at"]
    list_filter = ["ended_at"]
    search_fields = ["file__number", "member__id_number"]
    raw_id_fields = ["file", "member"]
    fields = ["file", "member", "reason", "designated_by", "designated_at", "ended_at", "ended_by", "end_reason"]
    readonly_fields = ["designated_by", "designated_at", "ended_at", "ended_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return [*self.readonly_fields, "end_reason"]
        return [*self.readonly_fields, "file", "member", "reason"] + (["end_reason"] if obj.ended_at else [])

    def save_model(self, request, obj, form, change):
        now = timezone.now()
        try:
            if not change:
                saved = services.designate_delegate(file=obj.file, member=obj.member, by=request.user,
                                                    reason=obj.reason, now=now)
                obj.pk = saved.pk
            elif obj.end_reason and obj.ended_at is None:
                services.end_delegate(delegate=obj, by=request.user, reason=obj.end_reason, now=now)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), level="error")

    def has_delete_permission(self, request, obj=None):
        return False
