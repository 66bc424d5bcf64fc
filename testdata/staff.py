"""Staff by their real role: the groups and permissions of charity/roles.py, nothing granted by hand."""

import re

from django.contrib.auth.models import Permission
from django.db.models import Q

from charity.roles import Role

# What the pages show of a member of staff, where a test reads it (the first of each role).
FIELDS = {
    Role.RESEARCHER: {"first_name": "سارة", "last_name": "العتيبي", "job_title": "باحثة اجتماعية",
                      "phone": "0112345678"},
    Role.DIRECTOR: {"first_name": "فهد", "last_name": "المطيري", "job_title": "المدير التنفيذي"},
}
_KEY = re.compile(r"(?P<role>[a-z_]+?)(?P<n>[2-9]?)")


class Staff(dict):
    """Members of staff by real role, keyed by the role's short name (`Role.X.name.lower()`):
    staff["intake"], staff["researcher"], staff["manager"], staff["committee"], staff["director"],
    staff["investigation"], staff["research_officer"], staff["admin"]; a second member of a role is
    staff["researcher2"].
    The username is the key.

    Each is created the first time a test asks for it, so a test holds only the staff it names:
    a role's member list, a committee's quorum and the recipients of a notice stay what the test
    made, and a test that needs someone to exist (the director who signs) says so."""

    def __init__(self, make_user):
        super().__init__()
        self._make_user = make_user

    def __missing__(self, key: str):
        match = _KEY.fullmatch(key)
        role = match and Role.__members__.get(match["role"].upper())
        if role is None:
            raise KeyError(f"{key!r}: the keys are {[r.name.lower() for r in Role]}, or one of them and 2-9")
        fields = {} if match["n"] else FIELDS.get(role, {})
        user = self[key] = self._make_user(role, username=key, **fields)
        return user


def beyond_role(user, *permissions: str):
    """Return `user` afresh, also holding `permissions` ("app_label.codename") that no role gives
    together with the user's scope, for a test that the scope refuses even so (RT-6). Each use is
    a combination no real role has: a question for the roles table, not a shortcut around it."""
    wanted = Q()
    for name in permissions:
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(wanted))
    assert len(found) == len(permissions), f"unknown permission among {permissions}"
    user.user_permissions.add(*found)
    return type(user).objects.get(pk=user.pk)  # a fresh object: no cached permissions
