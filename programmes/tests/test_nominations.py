"""Programmes and nominations (TK-6) and the nominee's written answer, refusal and delay (DU-11),
through the services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from beneficiaries import services as file_services
from beneficiaries.models import Document
from beneficiaries.policy import FileStatus
from charity.models import Notification
from programmes import services
from programmes.models import Nomination, Programme
from programmes.policy import Status
from testdata import NOW, TODAY, add_member, make_submitted, pdf_upload

from .builders import ENDS, STARTS, ar, head, nominated, programme, statuses

pytestmark = pytest.mark.django_db


# --- TK-6: programmes and nominations -------------------------------------------------------


@pytest.mark.rule("TK-6")
def test_tk6_programme_cannot_end_before_it_starts(staff):
    with pytest.raises(ValidationError) as exc:
        programme(staff["manager"], ends_on=STARTS - dt.timedelta(days=1))
    assert ar(services.DATES_REVERSED) in [ar(m) for m in exc.value.messages]
    assert not Programme.objects.exists()


@pytest.mark.rule("DU-11", "TK-6")
def test_tk6_du11_first_up_to_capacity_are_nominated_the_rest_wait(staff, heads):
    prog = programme(staff["manager"], capacity=2, response_days=5)
    created = nominated(prog, heads[:3], staff["manager"])
    assert [n.rank for n in created] == [1, 2, 3]
    assert [n.status for n in created] == [Status.NOMINATED, Status.NOMINATED, Status.WAITING]
    assert created[0].nominated_on == TODAY and created[0].answer_due_on == TODAY + dt.timedelta(days=5)
    assert created[2].nominated_on is None and created[2].answer_due_on is None
    sms = Notification.objects.filter(purpose="programme-nomination")
    assert sms.count() == 2 and sms.first().recipient == heads[0].file.mobile
    more = nominated(prog, [heads[3]], staff["manager"])
    assert (more[0].rank, more[0].status) == (4, Status.WAITING)


@pytest.mark.rule("TK-6")
def test_tk6_only_members_of_active_files_and_once_per_programme(staff, heads):
    prog = programme(staff["manager"])
    applicant = head(make_submitted(staff["intake"]))
    with pytest.raises(ValidationError) as exc:
        nominated(prog, [heads[0], applicant], staff["manager"])
    assert applicant.full_name in " ".join(exc.value.messages)
    assert not Nomination.objects.exists()  # nothing saved, not even the valid one
    nominated(prog, [heads[0]], staff["manager"])
    with pytest.raises(ValidationError):
        nominated(prog, [heads[0]], staff["manager"])
    assert Nomination.objects.count() == 1


@pytest.mark.rule("TK-6")
def test_tk6_member_who_left_the_household_cannot_be_nominated(staff, heads):
    child = add_member(heads[0].file)
    file_services.mark_member_left(member=child, on=TODAY)
    with pytest.raises(ValidationError):
        nominated(programme(staff["manager"]), [child], staff["manager"])


@pytest.mark.rule("TK-6")
def test_tk6_nobody_is_nominated_after_the_programme_ended(staff, heads):
    prog = programme(staff["manager"])
    with pytest.raises(ValidationError):
        nominated(prog, heads[:1], staff["manager"], today=ENDS + dt.timedelta(days=1))


# --- DU-11: the written answer, refusal and delay -------------------------------------------


@pytest.mark.rule("DU-11")
def test_du11_refusal_without_writing_is_refused_and_nothing_changes(staff, heads):
    prog = programme(staff["manager"], capacity=1)
    first, second = nominated(prog, heads[:2], staff["manager"])
    with pytest.raises(ValidationError) as exc:
        services.record_answer(nomination=first, by=staff["manager"], accepted=False, today=TODAY, written_answer="  ")
    assert exc.value.code == "refusal_not_in_writing"
    assert statuses(prog) == [Status.NOMINATED, Status.WAITING]


@pytest.mark.rule("DU-11")
def test_du11_database_refuses_a_refusal_without_writing(staff, heads):
    first = nominated(programme(staff["manager"]), heads[:1], staff["manager"])[0]
    Nomination.objects.filter(pk=first.pk).update(written_answer="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.filter(pk=first.pk).update(status=Status.REFUSED)


@pytest.mark.rule("DU-11")
def test_du11_written_refusal_nominates_the_next_candidate(staff, heads):
    prog = programme(staff["manager"], capacity=1, response_days=3)
    first, second = nominated(prog, heads[:2], staff["manager"])
    later = TODAY + dt.timedelta(days=2)
    answer = services.record_answer(nomination=first, by=staff["manager"], accepted=False, today=later,
                                    written_answer="أعتذر عن المشاركة لظروف العمل")
    assert (answer.status, answer.answered_on) == (Status.REFUSED, later)
    assert [n.pk for n in answer.promoted] == [second.pk]
    second.refresh_from_db()
    assert (second.status, second.nominated_on, second.answer_due_on) == (
        Status.NOMINATED, later, later + dt.timedelta(days=3))


@pytest.mark.rule("DU-11")
def test_du11_signed_refusal_is_kept_as_a_document_of_the_file(staff, heads):
    first = nominated(programme(staff["manager"], capacity=1), heads[:1], staff["manager"])[0]
    answer = services.record_answer(nomination=first, by=staff["manager"], accepted=False, today=TODAY,
                                    signed_answer=pdf_upload("refusal.pdf"))
    document = Document.objects.get(original_name="refusal.pdf")
    assert answer.answer_document == document and document.file == first.file and document.member == first.member
    assert answer.status == Status.REFUSED and answer.written_answer == ""


@pytest.mark.rule("DU-11")
def test_du11_acceptance_is_recorded_and_answered_only_once(staff, heads):
    first = nominated(programme(staff["manager"]), heads[:1], staff["manager"])[0]
    services.record_answer(nomination=first, by=staff["manager"], accepted=True, today=TODAY, written_answer="موافقة")
    with pytest.raises(ValidationError):
        services.record_answer(nomination=first, by=staff["manager"], accepted=False, today=TODAY, written_answer="لا")
    first.refresh_from_db()
    assert (first.status, first.written_answer) == (Status.ACCEPTED, "موافقة")


@pytest.mark.rule("DU-11")
def test_du11_no_answer_by_the_due_date_nominates_the_next_and_runs_once(staff, heads):
    prog = programme(staff["manager"], capacity=1, response_days=5)
    first, second, third = nominated(prog, heads[:3], staff["manager"])
    due = first.answer_due_on
    assert services.expire_overdue_nominations(today=due) == {"expired": 0, "nominated": 0}  # the due day counts
    day_after = due + dt.timedelta(days=1)
    assert services.expire_overdue_nominations(today=day_after) == {"expired": 1, "nominated": 1}
    assert statuses(prog) == [Status.NO_ANSWER, Status.NOMINATED, Status.WAITING]
    assert services.expire_overdue_nominations(today=day_after) == {"expired": 0, "nominated": 0}
    assert statuses(prog) == [Status.NO_ANSWER, Status.NOMINATED, Status.WAITING]
    second.refresh_from_db()
    assert second.answer_due_on == day_after + dt.timedelta(days=5)



@pytest.mark.rule("DU-11")
def test_du11_a_waiting_candidate_whose_file_is_frozen_is_skipped(staff, heads):
    prog = programme(staff["manager"], capacity=1)
    first, second, third = nominated(prog, heads[:3], staff["manager"])
    file_services.change_status(file=second.file, to=FileStatus.FROZEN, now=NOW, reason="test")
    services.record_answer(nomination=first, by=staff["manager"], accepted=False, today=TODAY, written_answer="لا")
    assert statuses(prog) == [Status.REFUSED, Status.WAITING, Status.NOMINATED]
