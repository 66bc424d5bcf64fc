"""The family's delegate for «my file», registered and ended at the association's desk (not only
in Django admin): intake staff and the manager may, within their scope; a refusal is shown and
changes nothing; the delegate then signs in like the head, and an ended one no longer can."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from charity.models import AccessLog
from portal.models import Delegate
from testdata import add_member

from .helpers import make_family, portal_sign_in

pytestmark = pytest.mark.django_db


def _daughter(family):
    return add_member(family.file, relationship="daughter", first_name="نورة", gender="female",
                      birth_date=dt.date(1998, 5, 1))


def test_intake_registers_a_delegate_who_then_signs_in_and_ends_it(client, staff):
    family = make_family(staff["intake"])
    daughter = _daughter(family)
    client.force_login(staff["intake"])
    url = reverse("delegates:list", args=[family.file.pk])
    detail = client.get(reverse("beneficiaries:file_detail", args=[family.file.pk])).content.decode()
    assert url in detail
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="delegate-form"' in page.content.decode()
    assert AccessLog.objects.filter(object_id=str(family.file.pk), path=url).exists()

    refused = client.post(url, {"member": family.head.pk, "reason": "مرض"})  # the head is not offered
    assert refused.status_code == 200 and 'data-testid="delegate-form"' in refused.content.decode()
    no_reason = client.post(url, {"member": daughter.pk, "reason": " "})
    assert no_reason.status_code == 200 and not Delegate.objects.exists()

    done = client.post(url, {"member": daughter.pk, "reason": "الأم مسنّة"})
    assert done.status_code == 302
    delegate = Delegate.objects.get()
    assert (delegate.member, delegate.designated_by, delegate.reason) == (daughter, staff["intake"], "الأم مسنّة")

    family_browser = Client()
    signed = portal_sign_in(family_browser, daughter.id_number)
    assert signed.status_code == 302 and signed["Location"] == reverse("portal:file", args=[family.file.pk])

    end = client.post(reverse("delegates:end", args=[delegate.pk]), {"reason": "تحسنت صحة الأم"})
    assert end.status_code == 302
    delegate.refresh_from_db()
    assert delegate.ended_by == staff["intake"] and delegate.end_reason == "تحسنت صحة الأم"
    # The delegate's open session ends with the delegation.
    assert family_browser.get(reverse("portal:file", args=[family.file.pk])).status_code == 302


def test_ending_without_a_reason_changes_nothing(client, staff):
    family = make_family(staff["intake"])
    daughter = _daughter(family)
    client.force_login(staff["manager"])
    client.post(reverse("delegates:list", args=[family.file.pk]), {"member": daughter.pk, "reason": "سفر"})
    delegate = Delegate.objects.get()
    client.post(reverse("delegates:end", args=[delegate.pk]), {"reason": ""})
    delegate.refresh_from_db()
    assert delegate.ended_at is None


def test_a_researcher_may_not_register_a_delegate(client, staff):
    """Who may is the access matrix's business (delegates:list, delegates:end: intake and manager,
    404 outside their scope); here, the researcher's refusal changes nothing."""
    family = make_family(staff["intake"])
    daughter = _daughter(family)
    client.force_login(staff["researcher"])
    url = reverse("delegates:list", args=[family.file.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"member": daughter.pk, "reason": "سفر"}).status_code == 403
    assert not Delegate.objects.exists()
