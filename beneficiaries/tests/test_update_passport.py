"""DU-5 for Saudi families abroad (awaser, IN-9): the annual update asks for the passport, where
the general profile asks for the identity card."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from beneficiaries import services
from beneficiaries.policy import DocumentType
from charity.models import Notification
from charity.services import load_policy_profile
from testdata import NOW, TODAY, make_active

pytestmark = pytest.mark.django_db
EARLIER = dt.timedelta(days=60)


@pytest.fixture
def active_file(staff):
    with time_machine.travel(NOW - EARLIER, tick=False):
        return make_active(staff["intake"], today=TODAY - EARLIER, now=NOW - EARLIER)


def _announce(staff):
    return services.announce_annual_update(by=staff["manager"], title="تحديث", deadline=TODAY + dt.timedelta(days=30),
                                           today=TODAY, now=NOW)


@pytest.mark.rule("DU-5", "IN-9")
def test_du5_awaser_update_asks_for_the_passport(staff, active_file, client):
    load_policy_profile("awaser")
    client.force_login(staff["manager"])
    with time_machine.travel(NOW, tick=False):
        form = client.get(reverse("beneficiaries:annual_update_new")).context["form"]
    assert form["documents"].initial == ["passport", "family_record", "income_statement"]
    update = _announce(staff)
    assert update.required_documents == ["passport", "family_record", "income_statement"]
    sms = Notification.objects.get(purpose="annual-update", channel="sms")
    with translation.override("ar"):
        assert str(DocumentType.PASSPORT.label) in sms.body
        assert str(DocumentType.IDENTITY.label) not in sms.body


@pytest.mark.rule("DU-5")
def test_du5_general_update_asks_for_the_identity_card_not_the_passport(staff, active_file, client):
    client.force_login(staff["manager"])
    with time_machine.travel(NOW, tick=False):
        form = client.get(reverse("beneficiaries:annual_update_new")).context["form"]
    assert form["documents"].initial == ["identity", "family_record", "income_statement"]
    assert _announce(staff).required_documents == ["identity", "family_record", "income_statement"]
