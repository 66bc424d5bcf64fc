"""History pages in Django admin that respect the same scope as the change lists."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class ViewOnlyMixin:
    """An admin page or inline that shows records and changes none: records that change only
    through their services (where the rules are checked and the history written)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """simple-history shows the history of records it cannot find (to show deleted ones); here a
    record outside the admin's `get_queryset` — outside the user's scope — is a 404 instead.
    History is read-only: a «revert» would set every field, status included, around the services."""

    def _require_in_scope(self, request, object_id) -> None:
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):  # a model without history
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context=extra_context)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def revert_disabled(self, request, obj=None):
        return True
