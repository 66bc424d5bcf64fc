"""Families with a file, and signing in to «my file» through the real pages."""

import re
from types import SimpleNamespace

from django.urls import reverse

from beneficiaries.policy import Relationship
from charity.models import Notification
from charity.notifications.sealing import opened
from testdata import make_active

MOBILE = "+966501234567"


def make_family(by, **fields) -> SimpleNamespace:
    file = make_active(by, mobile=fields.pop("mobile", MOBILE), **fields)
    head = file.members.get(relationship=Relationship.HEAD)
    return SimpleNamespace(file=file, head=head, identity=head.id_number)


def last_code() -> str:
    """The code in the latest sign-in SMS of the outbox, as delivery would send it (the stored
    body holds only a placeholder; the code is sealed until delivery)."""
    notification = Notification.objects.filter(purpose="portal-code").latest("pk")
    assert not re.search(r"\d{6}", notification.body)
    return re.search(r"\d{6}", opened(notification).body).group(0)


def portal_sign_in(client, identity: str):
    """Ask for a code with `identity`, type the code the outbox holds; return the last response."""
    client.post(reverse("portal:sign_in"), {"identity": identity})
    return client.post(reverse("portal:verify"), {"code": last_code()})
