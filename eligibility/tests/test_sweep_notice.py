"""SC-6 made safe, through the daily sweep (DU-5): a family is late only once the announcement
reached it (a delivered SMS or e-mail, or a letter or visit staff recorded), counted from that
day; documents handed in during the freeze are a response, never an exclusion "without response"."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from beneficiaries import services as file_services
from beneficiaries.models import UpdateNotice, UpdateRequest
from beneficiaries.policy import ANNUAL_UPDATE_DOCUMENTS, DocumentType, FileStatus
from charity.models import Notification
from eligibility.models import Exclusion, Freeze
from eligibility.sweep import enforce_deadlines
from eligibility.tasks import enforce_deadlines_task
from testdata import NOW, TODAY, make_active, pdf_upload, tell_families

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2026, 12, 31)  # announced on TODAY (2026-11-24): 37 days
AFTER_DEADLINE = dt.date(2027, 1, 1)  # the SC-6 freeze starts; it ends on 2027-02-01
AFTER_FREEZE = dt.date(2027, 2, 2)


def make_family(staff, **fields):
    """An active file opened two months before the announcement (its intake documents predate it)."""
    earlier = NOW - dt.timedelta(days=60)
    with time_machine.travel(earlier, tick=False):
        return make_active(staff["intake"], today=earlier.date(), now=earlier, **fields)


def _announce(staff):
    return file_services.announce_annual_update(by=staff["manager"], title="تحديث 1448", deadline=DEADLINE,
                                                today=TODAY, now=NOW)


def _sweep(day):
    """The sweep as the beat schedule runs it (the task), on a pinned day."""
    return enforce_deadlines_task(today=day.isoformat())


def _outbox_rows_of(file):
    """The outbox rows of the file's update notices."""
    return Notification.objects.filter(pk__in=UpdateNotice.objects.filter(request__file=file)
                                       .values_list("notification_id", flat=True))


def _label(doc_type) -> str:
    with translation.override("ar"):
        return str(DocumentType(doc_type).label)


def _hand_in(file, by, doc_types, *, on: dt.date):
    with time_machine.travel(timezone.make_aware(dt.datetime.combine(on, dt.time(11))), tick=False):
        for doc_type in doc_types:
            file_services.upload_document(file=file, by=by, uploaded=pdf_upload(), doc_type=doc_type, today=on)


@pytest.mark.rule("DU-5", "SC-6")
def test_sc6_a_family_never_told_is_not_frozen_a_told_one_is(staff):
    """DU-5, SC-6: the sweep after the deadline freezes the family whose SMS was delivered; the
    family whose messages were never delivered (one failed, one still pending) is not late."""
    told, failed, pending = (make_family(staff, email=f"f{i}@example.org") for i in range(3))
    _announce(staff)
    tell_families(files=[told])
    _outbox_rows_of(failed).update(status=Notification.Status.FAILED)
    result = _sweep(AFTER_DEADLINE)
    assert result["frozen"] == 1
    for file, status in ((told, FileStatus.FROZEN), (failed, FileStatus.ACTIVE), (pending, FileStatus.ACTIVE)):
        file.refresh_from_db()
        assert file.status == status
    request = UpdateRequest.objects.get(file=told)
    assert (request.told_on, request.due_on, request.status) == (TODAY, DEADLINE, UpdateRequest.Status.LATE)
    assert set(UpdateNotice.objects.filter(request=request).values_list("method", "told_on")) == {
        ("sms", TODAY), ("email", TODAY)}
    assert UpdateRequest.objects.filter(file__in=[failed, pending], told_on=None, due_on=None).count() == 2
    assert _sweep(AFTER_FREEZE)["excluded"] == 1  # the told family, silent through its freeze
    assert not Exclusion.objects.filter(file__in=[failed, pending]).exists()


@pytest.mark.rule("DU-5", "SC-6")
def test_sc6_the_deadline_counts_from_the_day_the_family_was_told(staff):
    """DU-5: a message delivered ten days after the announcement gives the family the whole
    period from that day (2026-12-04 + 37 days = 2027-01-10); not late before, frozen after."""
    file = make_family(staff)
    _announce(staff)
    tell_families(now=NOW + dt.timedelta(days=10))
    assert _sweep(AFTER_DEADLINE)["frozen"] == 0
    request = UpdateRequest.objects.get(file=file)
    assert (request.told_on, request.due_on) == (dt.date(2026, 12, 4), dt.date(2027, 1, 10))
    assert _sweep(dt.date(2027, 1, 10))["frozen"] == 0  # due that day: not late yet
    assert _sweep(dt.date(2027, 1, 11))["frozen"] == 1


@pytest.mark.rule("DU-5", "SC-6")
def test_sc6_a_letter_or_visit_recorded_by_staff_is_a_notice(client, staff):
    """DU-5: a family without mobile or e-mail told by a letter staff record (who, when, how) is
    late after the period counted from the letter; the record shows on the request's page."""
    file = make_family(staff, mobile="", email="")
    update = _announce(staff)
    request = UpdateRequest.objects.get(file=file)
    assert not request.notices.exists()  # nothing to deliver: no contact on the file
    assert _sweep(AFTER_DEADLINE)["frozen"] == 0
    url = reverse("beneficiaries:update_request_notice", args=[request.pk])
    with time_machine.travel(NOW + dt.timedelta(days=10), tick=False):
        client.force_login(staff["manager"])
        response = client.post(url, {"method": "visit", "told_on": "2026-11-29", "told_by": "الباحثة نورة",
                                     "note": "سُلّمت الورقة لربة الأسرة"})
    assert response.status_code == 302
    assert response["Location"] == reverse("beneficiaries:annual_update_detail", args=[update.pk])
    request.refresh_from_db()
    notice = request.notices.get()
    assert (notice.method, notice.told_on, notice.told_by, notice.recorded_by) == (
        "visit", dt.date(2026, 11, 29), "الباحثة نورة", staff["manager"])
    assert (request.told_on, request.due_on) == (dt.date(2026, 11, 29), dt.date(2027, 1, 5))
    with time_machine.travel(NOW + dt.timedelta(days=10), tick=False):
        assert "الباحثة نورة" in client.get(url).content.decode()
    assert _sweep(dt.date(2027, 1, 6))["frozen"] == 1
    assert Freeze.objects.get(file=file).update_request.update == update


@pytest.mark.rule("DU-5")
def test_du5_a_notice_in_the_future_or_before_the_announcement_is_refused(client, staff):
    file = make_family(staff)
    _announce(staff)
    request = UpdateRequest.objects.get(file=file)
    url = reverse("beneficiaries:update_request_notice", args=[request.pk])
    with time_machine.travel(NOW, tick=False):
        client.force_login(staff["manager"])
        for day in ("2026-11-25", "2026-11-01"):
            response = client.post(url, {"method": "letter", "told_on": day, "told_by": "موظف الاستقبال"})
            assert response.status_code == 200 and response.context["form"].errors["told_on"]
    assert not UpdateNotice.objects.filter(request=request, method="letter").exists()


@pytest.mark.rule("SC-6")
def test_sc6_the_freeze_message_names_the_missing_documents(staff):
    """SC-6: the family is told of the freeze with the documents still missing and the portal link."""
    file = make_family(staff)
    _announce(staff)
    tell_families()
    _hand_in(file, staff["intake"], ["identity"], on=dt.date(2026, 12, 1))
    _sweep(AFTER_DEADLINE)
    freeze = Freeze.objects.get(file=file)
    sms = Notification.objects.get(purpose="freeze-SC-6", channel="sms", object_id=str(freeze.pk))
    assert file.number in sms.body and reverse("portal:needs", args=[file.pk]) in sms.body
    assert _label("family_record") in sms.body and _label("income_statement") in sms.body
    assert _label("identity") not in sms.body  # renewed before the deadline


@pytest.mark.rule("SC-6", "SC-1")
def test_sc6_documents_handed_in_during_the_freeze_are_a_response(client, staff):
    """SC-6: at the end of the freeze period the sweep excludes only the silent family. The one
    that handed in everything at the front desk was lifted by itself (and told); the one that
    handed in part of it through its researcher waits for staff review, listed as such."""
    complete, partial, silent = (make_family(staff) for _ in range(3))
    _announce(staff)
    tell_families()
    assert _sweep(AFTER_DEADLINE)["frozen"] == 3
    _hand_in(complete, staff["intake"], ANNUAL_UPDATE_DOCUMENTS, on=dt.date(2027, 1, 10))
    _hand_in(partial, staff["researcher"], ["identity"], on=dt.date(2027, 1, 12))

    result = _sweep(AFTER_FREEZE)
    assert result["excluded"] == 1 and Exclusion.objects.get().file == silent
    complete.refresh_from_db()
    partial.refresh_from_db()
    assert complete.status == FileStatus.ACTIVE and partial.status == FileStatus.FROZEN
    lifted = Freeze.objects.get(file=complete)
    assert lifted.outcome == Freeze.Outcome.LIFTED and lifted.ended_by is None
    assert UpdateRequest.objects.get(file=complete).status == UpdateRequest.Status.COMPLETED
    told = Notification.objects.get(purpose="freeze-lifted", channel="sms", object_id=str(lifted.pk))
    assert complete.number in told.body and reverse("portal:file", args=[complete.pk]) in told.body
    waiting = Freeze.objects.get(file=partial)
    assert waiting.outcome == Freeze.Outcome.OPEN and waiting.awaiting_review
    assert _sweep(dt.date(2027, 6, 1))["excluded"] == 0  # never, however long staff take

    client.force_login(staff["manager"])
    page = client.get(reverse("eligibility:freezes"), {"awaiting": "1"})
    assert [row["freeze"] for row in page.context["rows"]] == [waiting]
    assert 'data-testid="awaiting-review"' in page.content.decode()


@pytest.mark.rule("SC-6")
def test_sc6_the_sweep_records_a_response_an_upload_left_unrecorded(staff):
    """SC-6: a document on the file since the freeze started protects it even when its response
    was not recorded at upload: the sweep records it (awaiting review) instead of excluding."""
    file = make_family(staff)
    _announce(staff)
    tell_families()
    _sweep(AFTER_DEADLINE)
    _hand_in(file, staff["intake"], ["identity"], on=dt.date(2027, 1, 20))
    Freeze.objects.filter(file=file).update(responded_at=None)  # as if the upload had bypassed it
    result = enforce_deadlines(today=AFTER_FREEZE, now=NOW)
    assert (result.excluded, result.responded) == (0, 1)
    assert Freeze.objects.get(file=file).awaiting_review and not Exclusion.objects.exists()


@pytest.mark.rule("SC-6")
def test_sc6_a_proof_staff_upload_is_not_the_familys_response(staff):
    """SC-6: the proof staff attach for a decision is their evidence, not the family's answer:
    the freeze neither waits for review nor escapes its end for it."""
    file = make_family(staff)
    _announce(staff)
    tell_families()
    _sweep(AFTER_DEADLINE)
    _hand_in(file, staff["manager"], ["proof"], on=dt.date(2027, 1, 20))
    assert not Freeze.objects.get(file=file).awaiting_review
    assert _sweep(AFTER_FREEZE)["excluded"] == 1
