"""Django admin for staff accounts and groups: nobody grants what they do not hold.

A member of staff who is not a superuser may give an account or a group only the permissions
they hold themselves, and only the groups (roles) all of whose permissions they hold: the
choices offered are those, and a forged POST naming anything else is refused by the form. An
account or a group that holds more than they do is shown to them read-only (its password, its
e-mail or its roles would open that power to them). Superuser status is never set here, not
even by a superuser: it comes only from `manage.py createsuperuser`, and every account that
becomes superuser is logged (charity.superusers).
"""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin  # registers Group first: it is replaced below
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .admin_history import ScopedHistoryAdmin
from .models import User

NOT_GRANTABLE = _("You may grant only the roles and permissions you hold yourself.")


def held_permission_ids(user) -> set[int] | None:
    """Return the ids of the permissions `user` holds through their groups or directly; None
    for a superuser (every one). Read from the tables, so an inactive account counts too."""
    if user.is_superuser:
        return None
    return set(Permission.objects.filter(Q(group__user=user) | Q(user=user)).values_list("pk", flat=True))


def grantable_permissions(actor):
    """The permissions `actor` may give: those they hold."""
    held = held_permission_ids(actor)
    return Permission.objects.all() if held is None else Permission.objects.filter(pk__in=held)


def grantable_groups(actor):
    """The groups `actor` may give: those carrying no permission the actor lacks."""
    held = held_permission_ids(actor)
    if held is None:
        return Group.objects.all()
    return Group.objects.exclude(permissions__in=Permission.objects.exclude(pk__in=held))


def holds_more_than(actor, permission_ids: set[int], *, superuser: bool = False) -> bool:
    """Whether something holding `permission_ids` (or superuser status) exceeds `actor`."""
    held = held_permission_ids(actor)
    return held is not None and (superuser or not permission_ids <= held)


class GrantWithinOwnMixin:
    """Offer only what the acting user may grant (`grant_scopes`: field -> scope); the form's
    choices are the server-side check as well, so a forged value is an error, not a grant."""

    grant_scopes: dict = {}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        scope = self.grant_scopes.get(db_field.name)
        if scope is not None:
            kwargs["queryset"] = scope(request.user)
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if scope is not None and field is not None:
            field.error_messages = {**field.error_messages, "invalid_choice": NOT_GRANTABLE}
        return field


@admin.register(User)
class StaffAdmin(GrantWithinOwnMixin, auth_admin.UserAdmin, ScopedHistoryAdmin):
    fieldsets = auth_admin.UserAdmin.fieldsets + ((_("Work"), {"fields": ("job_title", "phone")}),)
    list_display = ("username", "first_name", "last_name", "job_title", "is_active", "is_staff")
    list_filter = ("groups", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email", "job_title")
    readonly_fields = ("is_superuser", "last_login", "date_joined")
    grant_scopes = {"groups": grantable_groups, "user_permissions": grantable_permissions}

    def _exceeds(self, request, obj) -> bool:
        if obj is None or obj.pk is None:
            return False
        return holds_more_than(request.user, held_permission_ids(obj) or set(), superuser=obj.is_superuser)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._exceeds(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._exceeds(request, obj)


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GrantWithinOwnMixin, auth_admin.GroupAdmin):
    grant_scopes = {"permissions": grantable_permissions}

    def _exceeds(self, request, obj) -> bool:
        if obj is None or obj.pk is None:
            return False
        return holds_more_than(request.user, set(obj.permissions.values_list("pk", flat=True)))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._exceeds(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._exceeds(request, obj)
