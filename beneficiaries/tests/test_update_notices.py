"""DU-5: the annual update announced to every active family through the outbox, each message a
notice of the family's request; delivery recorded; the wording editable per profile."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from beneficiaries import services
from beneficiaries.messages import ANNUAL_UPDATE
from beneficiaries.models import UpdateNotice, UpdateRequest
from beneficiaries.policy import ANNUAL_UPDATE_DOCUMENTS, DocumentType
from charity import calendar
from charity.models import MessageWording, Notification, PolicyProfile
from testdata import NOW, TODAY, make_active, make_submitted, tell_families

pytestmark = pytest.mark.django_db
DEADLINE = dt.date(2026, 12, 31)


def _announce(staff):
    return services.announce_annual_update(by=staff["manager"], title="تحديث 1448", deadline=DEADLINE,
                                           today=TODAY, now=NOW)


@pytest.mark.rule("DU-5")
def test_du5_every_active_family_gets_the_announcement_by_sms_and_email(staff, settings):
    """DU-5: one message per channel on the file, in Arabic, with the deadline, the documents to
    bring and the link to the family's update in «my file»; none to a file not in service."""
    settings.SITE_URL = "https://jamiya.example.org"
    with_email = make_active(staff["intake"], email="family@example.org")
    sms_only = make_active(staff["intake"], mobile="+966551112222")
    studied = make_submitted(staff["intake"])
    _announce(staff)
    rows = Notification.objects.filter(purpose=ANNUAL_UPDATE)
    assert sorted((n.channel, n.recipient) for n in rows) == sorted([
        ("sms", with_email.mobile), ("email", "family@example.org"), ("sms", "+966551112222")])
    assert not UpdateRequest.objects.filter(file=studied).exists()
    with translation.override("ar"):
        deadline = calendar.format_dual(DEADLINE)
        labels = [str(DocumentType(d).label) for d in ANNUAL_UPDATE_DOCUMENTS]
    for file in (with_email, sms_only):
        request = UpdateRequest.objects.get(file=file)
        link = "https://jamiya.example.org" + reverse("portal:update", args=[file.pk, request.pk])
        for notice in UpdateNotice.objects.filter(request=request):
            body = notice.notification.body
            assert "أعلنت الجمعية عن موعد التحديث السنوي" in body and file.number in body
            assert deadline in body and link in body and all(label in body for label in labels)
            assert notice.told_on is None and notice.notification.object_id == str(request.pk)
    assert UpdateNotice.objects.count() == 3


@pytest.mark.rule("DU-5")
def test_du5_delivery_is_recorded_per_family_and_starts_its_clock(staff):
    """DU-5: a delivered message becomes the family's notice, dated the day of delivery; a failed
    one tells nobody."""
    told, failed = make_active(staff["intake"]), make_active(staff["intake"], mobile="+966551112222")
    _announce(staff)
    Notification.objects.filter(recipient="+966551112222").update(status=Notification.Status.FAILED)
    assert tell_families() == 1
    assert services.record_delivered_notices() == 1
    notice = UpdateNotice.objects.get(request__file=told)
    assert (notice.method, notice.told_on, notice.notification.status) == ("sms", TODAY, "sent")
    requests = {r.file_id: r for r in UpdateRequest.objects.all()}
    assert (requests[told.pk].told_on, requests[told.pk].due_on) == (TODAY, DEADLINE)
    assert (requests[failed.pk].told_on, requests[failed.pk].due_on) == (None, None)
    assert services.record_delivered_notices() == 0  # recorded once


@pytest.mark.rule("DU-5")
def test_du5_the_announcement_wording_is_the_profiles_own_when_the_admin_wrote_one(staff):
    file = make_active(staff["intake"])
    MessageWording.objects.create(profile=PolicyProfile.objects.active(), purpose=ANNUAL_UPDATE,
                                  text="تحديث بيانات الملف {file_number} قبل {due_on}: {documents} — {portal_link}")
    _announce(staff)
    body = Notification.objects.get(purpose=ANNUAL_UPDATE).body
    assert body.startswith(f"تحديث بيانات الملف {file.number} قبل ")
    assert reverse("portal:update", args=[file.pk, UpdateRequest.objects.get().pk]) in body
