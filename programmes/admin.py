"""Django admin for programmes: programmes are edited here; nominations, sessions and
attendance are read-only (they change through programmes/services.py) and scoped like the
interface."""

from django.contrib import admin

from beneficiaries.admin import NoDeleteHistoryAdmin
from charity.admin_history import ScopedHistoryAdmin
from charity.admin_history import ViewOnlyMixin as ReadOnlyMixin

from .models import Attendance, Nomination, Programme, Session


class SessionInline(ReadOnlyMixin, admin.TabularInline):
    model = Session
    extra = 0
    fields = ("held_on", "topic")
    readonly_fields = fields


@admin.register(Programme)
class ProgrammeAdmin(ScopedHistoryAdmin):
    list_display = ("title", "kind", "capacity", "starts_on", "ends_on", "response_days", "coordinator")
    list_filter = ("kind", "starts_on")
    search_fields = ("title", "location")
    autocomplete_fields = ("coordinator",)
    date_hierarchy = "starts_on"
    inlines = [SessionInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(ReadOnlyMixin, NoDeleteHistoryAdmin):
    list_display = ("programme", "member", "rank", "status", "nominated_on", "answer_due_on", "answered_on")
    list_filter = ("status", "programme")
    search_fields = ("file__number", "programme__title")
    list_select_related = ("programme", "member")


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyMixin, NoDeleteHistoryAdmin):
    scope_field = "nomination__file"
    list_display = ("session", "nomination", "mark", "apologised_on", "recorded_by")
    list_filter = ("mark",)
    list_select_related = ("session__programme", "nomination__member", "recorded_by")
