"""The family's delegates in Django admin: read-only and within the same scope as the files
(a delegate names a household member). They are registered and ended on the file's own page
(portal/staff_views.py), through the service, by the staff the policy names."""

from django.contrib import admin

from beneficiaries.admin import NoDeleteHistoryAdmin
from charity.admin_history import ViewOnlyMixin

from .models import Delegate


@admin.register(Delegate)
class DelegateAdmin(ViewOnlyMixin, NoDeleteHistoryAdmin):
    list_display = ["file", "member", "designated_by", "designated_at", "ended_at"]
    list_filter = ["ended_at"]
    search_fields = ["file__number"]
    fields = ["file", "member", "reason", "designated_by", "designated_at", "ended_at", "ended_by", "end_reason"]
