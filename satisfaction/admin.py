"""Django admin for satisfaction surveys: read-only delivery facts, never the answers.

SAT-1, GO-6: nobody may see who answered what — not even in the admin. The admin shows whether
a survey was sent for an event, when it expires and whether it was answered; the file, the
member of staff, the ratings, the comment and the token's hash are not shown. The results page
(satisfaction:results) gives the aggregate figures."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from charity.admin_history import ViewOnlyMixin

from .models import Survey


@admin.register(Survey)
class SurveyAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("service", "content_type", "object_id", "sent_at", "expires_at", "answered")
    list_filter = ("service", "sent_at")
    fields = ("service", "content_type", "object_id", "sent_at", "expires_at", "answered")
    readonly_fields = fields
    date_hierarchy = "sent_at"

    @admin.display(boolean=True, description=_("answered"))
    def answered(self, obj):
        return obj.answered_at is not None
