"""SC-6: a family that answered its freeze with only part of what was required never waits
forever. Staff review the response: accepted, the freeze lifts (the family is told, with the
reviewer's reasons kept on the update request); found incomplete, the family is told what is
still missing and why, gets back the time it had left, and only a new document holds off the
exclusion again."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from beneficiaries import services as file_services
from beneficiaries.models import UpdateRequest
from beneficiaries.policy import ANNUAL_UPDATE_DOCUMENTS, DocumentType, FileStatus, Relationship
from charity.models import Notification
from eligibility import controls
from eligibility.models import Exclusion, Freeze
from eligibility.policy import REVIEW_MIN_DAYS, ends_after_incomplete_response
from eligibility.tasks import enforce_deadlines_task
from portal.tests.helpers import portal_sign_in
from testdata import NOW, TODAY, make_active, pdf_upload, tell_families

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2026, 12, 31)
AFTER_DEADLINE = dt.date(2027, 1, 1)  # the SC-6 freeze starts; it ends on 2027-02-01
ANSWERED_ON = dt.date(2027, 1, 12)  # 20 days before the freeze's end
REVIEWED_ON = dt.date(2027, 2, 10)  # after the freeze's end: staff took their time


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(11)))


def _frozen_partial(staff):
    """A family frozen under SC-6 that handed in only its identity during the freeze."""
    earlier = NOW - dt.timedelta(days=60)
    with time_machine.travel(earlier, tick=False):
        file = make_active(staff["intake"], today=earlier.date(), now=earlier)
    file_services.announce_annual_update(by=staff["manager"], title="تحديث 1448", deadline=DEADLINE, today=TODAY,
                                         now=NOW)
    tell_families()
    enforce_deadlines_task(today=AFTER_DEADLINE.isoformat())
    _hand_in(file, staff["intake"], ["identity"], on=ANSWERED_ON)
    freeze = Freeze.objects.get(file=file)
    assert freeze.awaiting_review
    return file, freeze


def _hand_in(file, by, doc_types, *, on):
    with time_machine.travel(_at(on), tick=False):
        for doc_type in doc_types:
            file_services.upload_document(file=file, by=by, uploaded=pdf_upload(), doc_type=doc_type, today=on)


def _review(freeze, by, *, accept, reasons="صك الإعالة غير مرفق", on=REVIEWED_ON):
    return controls.review_freeze_response(freeze=freeze, by=by, now=_at(on), today=on, accept=accept,
                                           reasons=reasons)


def _label(doc_type) -> str:
    with translation.override("ar"):
        return str(DocumentType(doc_type).label)


@pytest.mark.rule("SC-6", "RT-4")
def test_sc6_a_response_accepted_on_review_lifts_the_freeze_and_keeps_why(staff):
    file, freeze = _frozen_partial(staff)
    lifted = _review(freeze, staff["manager"], accept=True, reasons="الدخل لم يتغير: يكفي ما قدّم")
    assert lifted.outcome == Freeze.Outcome.LIFTED and lifted.ended_by == staff["manager"]
    request = UpdateRequest.objects.get(file=file)
    assert request.status == UpdateRequest.Status.COMPLETED
    assert request.completion_note == "الدخل لم يتغير: يكفي ما قدّم" and request.completed_by == staff["manager"]
    file.refresh_from_db()
    assert file.status == FileStatus.ACTIVE
    assert Notification.objects.filter(purpose="freeze-lifted", channel="sms", object_id=str(freeze.pk)).exists()
    assert enforce_deadlines_task(today="2027-06-01")["excluded"] == 0


@pytest.mark.rule("SC-6", "RT-4")
def test_sc6_a_response_found_incomplete_is_told_and_then_the_sweep_may_exclude(staff):
    """Found incomplete: the family reads the reasons, what is still missing and the new end
    (the 20 days it had left, counted from the review); silent after that, it is excluded."""
    file, freeze = _frozen_partial(staff)
    reviewed = _review(freeze, staff["manager"], accept=False)
    new_end = REVIEWED_ON + dt.timedelta(days=20)
    assert (reviewed.ends_on, reviewed.responded_at, reviewed.reviewed_by) == (new_end, None, staff["manager"])
    assert reviewed.outcome == Freeze.Outcome.OPEN and not reviewed.awaiting_review
    sms = Notification.objects.get(purpose="freeze-response-incomplete", channel="sms", object_id=str(freeze.pk))
    assert "صك الإعالة غير مرفق" in sms.body and file.number in sms.body
    assert _label("family_record") in sms.body and _label("identity") not in sms.body
    assert reverse("portal:needs", args=[file.pk]) in sms.body

    # The identity handed in before the review no longer holds the exclusion off…
    assert enforce_deadlines_task(today=new_end.isoformat())["excluded"] == 0  # the last day is the family's
    result = enforce_deadlines_task(today=(new_end + dt.timedelta(days=1)).isoformat())
    assert result["excluded"] == 1 and Exclusion.objects.get().file == file


@pytest.mark.rule("SC-6")
def test_sc6_a_document_after_the_review_is_a_new_response(staff):
    file, freeze = _frozen_partial(staff)
    _review(freeze, staff["manager"], accept=False)
    _hand_in(file, staff["researcher"], ["income_statement"], on=REVIEWED_ON + dt.timedelta(days=3))
    freeze.refresh_from_db()
    assert freeze.awaiting_review  # the family answered again: back to staff, never excluded meanwhile
    assert enforce_deadlines_task(today="2027-06-01")["excluded"] == 0
    _hand_in(file, staff["intake"], set(ANNUAL_UPDATE_DOCUMENTS) - {"identity", "income_statement"},
             on=REVIEWED_ON + dt.timedelta(days=5))
    freeze.refresh_from_db()
    assert freeze.outcome == Freeze.Outcome.LIFTED  # complete: it lifted by itself


@pytest.mark.rule("SC-6")
def test_sc6_review_refuses_without_reasons_or_without_a_response(staff):
    file, freeze = _frozen_partial(staff)
    with pytest.raises(ValidationError) as refused:
        _review(freeze, staff["manager"], accept=False, reasons="  ")
    assert refused.value.code == "reasons_required"
    _review(freeze, staff["manager"], accept=False)
    with pytest.raises(ValidationError) as again:
        _review(freeze, staff["manager"], accept=True)
    assert again.value.code == "not_awaiting_review"
    freeze.refresh_from_db()
    assert freeze.outcome == Freeze.Outcome.OPEN


def test_the_family_gets_back_the_time_it_had_left_and_at_least_the_minimum():
    ends = dt.date(2027, 2, 1)
    assert ends_after_incomplete_response(ends_on=ends, responded_on=dt.date(2027, 1, 12),
                                          today=dt.date(2027, 1, 15)) == dt.date(2027, 2, 4)
    assert ends_after_incomplete_response(ends_on=ends, responded_on=dt.date(2027, 1, 31),
                                          today=dt.date(2027, 2, 3)) == dt.date(2027, 2, 3) + dt.timedelta(
                                              days=REVIEW_MIN_DAYS)
    # A review early in the period never shortens it.
    assert ends_after_incomplete_response(ends_on=ends, responded_on=dt.date(2027, 1, 2),
                                          today=dt.date(2027, 1, 3)) == ends + dt.timedelta(days=1)


@pytest.mark.rule("SC-6")
def test_sc6_staff_review_through_the_page_and_the_family_reads_it_in_my_file(client, staff):
    file, freeze = _frozen_partial(staff)
    client.force_login(staff["manager"])
    controls_page = client.get(reverse("eligibility:controls", args=[file.pk])).content.decode()
    assert reverse("eligibility:review_response", args=[freeze.pk]) in controls_page
    url = reverse("eligibility:review_response", args=[freeze.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="review-form"' in page.content.decode()
    assert _label("identity") in page.content.decode()  # what was handed in, for the reviewer
    with translation.override("ar"):
        refused = client.post(url, {"outcome": "incomplete", "reasons": ""})
    assert refused.status_code == 200 and Freeze.objects.get(pk=freeze.pk).awaiting_review
    done = client.post(url, {"outcome": "incomplete", "reasons": "صك الإعالة غير مرفق"})
    assert done.status_code == 302 and done["Location"] == reverse("eligibility:controls", args=[file.pk])
    freeze.refresh_from_db()
    assert freeze.reviewed_at is not None and not freeze.awaiting_review

    family = Client()
    portal_sign_in(family, file.members.get(relationship=Relationship.HEAD).id_number)
    needs = family.get(reverse("portal:needs", args=[file.pk])).content.decode()
    assert 'data-testid="response-incomplete"' in needs and "صك الإعالة غير مرفق" in needs
