"""Sessions, attendance and apologies (DU-3), the attendance rate (DU-6), drop-outs (DU-10) and
the survey at the end of a programme (SAT-1), through the services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from programmes import services
from programmes.models import Attendance, Nomination, Session
from programmes.policy import Mark, Status
from satisfaction.models import Survey
from testdata import NOW, TODAY, add_member

from .builders import ENDS, STARTS, nominated, programme, statuses

pytestmark = pytest.mark.django_db


# --- DU-3, DU-6: sessions, attendance and apologies -----------------------------------------



@pytest.mark.rule("DU-3")
def test_du3_sessions_fall_within_the_programme_once_a_day(staff, running):
    with pytest.raises(ValidationError):
        services.record_session(programme=running.programme, held_on=ENDS + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.record_session(programme=running.programme, held_on=STARTS)
    assert Session.objects.count() == 2


@pytest.mark.rule("DU-3")
def test_du3_apology_before_the_day_excuses_on_the_day_does_not(staff, running):
    session = running.sessions[0]
    early = services.record_apology(session=session, nomination=running.people[0], by=staff["manager"],
                                    apology="موعد في المستشفى", apologised_on=STARTS - dt.timedelta(days=1),
                                    today=STARTS - dt.timedelta(days=1))
    late = services.record_apology(session=session, nomination=running.people[1], by=staff["manager"],
                                   apology="تأخرت", apologised_on=STARTS, today=STARTS)
    assert (early.mark, late.mark) == (Mark.EXCUSED, Mark.ABSENT)
    with pytest.raises(ValidationError):
        services.record_apology(session=session, nomination=running.people[2], by=staff["manager"], apology=" ",
                                apologised_on=STARTS, today=STARTS)
    with pytest.raises(ValidationError):
        services.record_apology(session=session, nomination=running.people[2], by=staff["manager"], apology="غدا",
                                apologised_on=STARTS, today=STARTS - dt.timedelta(days=1))
    assert Attendance.objects.count() == 2


@pytest.mark.rule("DU-3")
def test_du3_sheet_marks_present_absent_and_excused(staff, running):
    session = running.sessions[0]
    a, b, c = running.people
    services.record_apology(session=session, nomination=b, by=staff["manager"], apology="سفر",
                            apologised_on=STARTS - dt.timedelta(days=2), today=STARTS - dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.record_attendance(session=session, participants=running.people, present_ids={a.pk},
                                   by=staff["manager"], today=STARTS - dt.timedelta(days=1))
    services.record_attendance(session=session, participants=running.people, present_ids={a.pk}, by=staff["manager"],
                               today=STARTS)
    marks = dict(Attendance.objects.values_list("nomination_id", "mark"))
    assert marks == {a.pk: Mark.PRESENT, b.pk: Mark.EXCUSED, c.pk: Mark.ABSENT}
    with pytest.raises(ValidationError):
        services.record_apology(session=session, nomination=a, by=staff["manager"], apology="x",
                                apologised_on=STARTS, today=STARTS)


@pytest.mark.rule("DU-6")
def test_du6_attendance_rate_per_participant(staff, running):
    a, b, c = running.people
    first, second = running.sessions
    services.record_attendance(session=first, participants=running.people, present_ids={a.pk, b.pk},
                               by=staff["manager"], today=ENDS)
    services.record_attendance(session=second, participants=running.people, present_ids={a.pk}, by=staff["manager"],
                               today=ENDS)
    rows = {n.pk: n for n in services.with_attendance(Nomination.objects.all())}
    assert (rows[a.pk].attendance_rate, rows[b.pk].attendance_rate, rows[c.pk].attendance_rate) == (100, 50, 0)
    assert (rows[b.pk].present, rows[b.pk].absent, rows[b.pk].marked) == (1, 1, 2)


# --- DU-10: drop-outs -----------------------------------------------------------------------


@pytest.mark.rule("DU-10")
def test_du10_drop_out_needs_reasons_and_whether_they_talked_first(staff, running):
    person = running.people[0]
    for reasons, discussed in (("", True), ("ظروف عائلية", None)):
        with pytest.raises(ValidationError):
            services.record_dropout(nomination=person, by=staff["manager"], reasons=reasons, discussed=discussed,
                                    dropped_out_on=TODAY, today=TODAY)
    person.refresh_from_db()
    assert person.status == Status.ACCEPTED and person.dropout_reasons == ""
    services.record_dropout(nomination=person, by=staff["manager"], reasons="ظروف عائلية", discussed=False,
                            dropped_out_on=TODAY, today=TODAY)
    person.refresh_from_db()
    assert (person.status, person.dropout_reasons, person.dropout_discussed, person.dropped_out_on) == (
        Status.DROPPED_OUT, "ظروف عائلية", False, TODAY)


# --- SAT-1: the end of the programme --------------------------------------------------------


@pytest.mark.rule("SAT-1")
def test_sat1_closing_the_programme_sends_one_survey_per_participants_file(staff, heads):
    prog = programme(staff["manager"], capacity=3)
    child = add_member(heads[0].file)
    people = nominated(prog, [heads[0], child, heads[1]], staff["manager"])
    for n in people:
        services.record_answer(nomination=n, by=staff["manager"], accepted=True, today=TODAY, written_answer="موافق")
    services.record_dropout(nomination=people[2], by=staff["manager"], reasons="عمل", discussed=True,
                            dropped_out_on=TODAY, today=TODAY)
    with pytest.raises(ValidationError):
        services.complete_programme(programme=prog, by=staff["manager"], today=ENDS - dt.timedelta(days=1), now=NOW)
    result = services.complete_programme(programme=prog, by=staff["manager"], today=ENDS, now=NOW)
    assert result == {"completed": 2, "surveys": 1}
    survey = Survey.objects.get()
    assert (survey.service, survey.file, survey.staff) == ("programme", heads[0].file, staff["manager"])
    assert statuses(prog) == [Status.COMPLETED, Status.COMPLETED, Status.DROPPED_OUT]
    assert services.complete_programme(programme=prog, by=staff["manager"], today=ENDS, now=NOW) == {
        "completed": 0, "surveys": 0}
    assert Survey.objects.count() == 1
