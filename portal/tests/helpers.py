"""Families with a file, and signing in to «my file» through the real pages."""

import re
from types import SimpleNamespace

from django.urls import reverse

from beneficiaries.policy import Relationship
from charity.models import Notification
from testdata import make_active

MOBILE = "+966501234567"


def make_family(by, **fields) -> SimpleNamespace:
    file = make_active(by, mobile=fields.pop("mobile", MOBILE), **fields)
    head = file.members.get(relationship=Relationship.HEAD)
    return SimpleNamespace(file=file, head=head, identity=head.id_number)


def last_code() -> str:
    """The code in the latest sign-in SMS of the outbox (its body before delivery redacts it)."""
    body = Notification.objects.filter(purpose="portal-code").latest("pk").body
    return re.search(r"\d{6}", body).group(0)


def portal_sign_in(client, identity: str):
    """Ask for a code with `identity`, type the code the outbox holds; return the last response."""
    client.post(reverse("portal:sign_in"), {"identity": identity})
    return client.post(reverse("portal:verify"), {"code": last_code()})
