"""Programmes and activities: nominations, written answers, attendance, apologies, drop-outs
and the survey at the end (TK-6, DU-3, DU-6, DU-10, DU-11, SAT-1)."""

import datetime as dt
from io import StringIO
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from beneficiaries import services as file_services
from beneficiaries.models import Attendance, Document, Nomination, Programme, Session
from beneficiaries.policy import FileStatus, Gender, Relationship
from beneficiaries.programmes import services
from beneficiaries.programmes.policy import Mark, Status
from beneficiaries.programmes.tasks import expire_nominations_task
from beneficiaries.tests.factories import NOW, TODAY, make_active, make_submitted, pdf_upload, unique_national_id
from charity.models import AccessLog, Notification
from charity.roles import Role
from satisfaction.models import Survey

pytestmark = pytest.mark.django_db

STARTS, ENDS = TODAY + dt.timedelta(days=10), TODAY + dt.timedelta(days=40)


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


def shown_messages(response) -> list[str]:
    with translation.override("ar"):
        return [str(m) for m in get_messages(response.wsgi_request)]


def grant(user, codename="manage_programmes"):
    user.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="beneficiaries"))
    return user


@pytest.fixture
def staff(profile, make_user):
    return SimpleNamespace(manager=grant(make_user(Role.MANAGER, username="manager")),
                           intake=make_user(Role.INTAKE, username="intake"),
                           researcher=grant(make_user(Role.RESEARCHER, username="researcher")))


def add_child(file, first_name="سعد"):
    return file_services.save_member(file=file, data={
        "relationship": Relationship.SON, "first_name": first_name, "father_name": "محمد",
        "grandfather_name": "عبدالله", "family_name": "القحطاني", "id_number": unique_national_id(),
        "birth_date": dt.date(2005, 1, 1), "gender": Gender.MALE})


def head(file):
    return file.members.get(relationship=Relationship.HEAD)


def programme(by, **overrides):
    data = {"title": "دورة الخياطة", "kind": Programme.Kind.TRAINING, "capacity": 2, "starts_on": STARTS,
            "ends_on": ENDS, "response_days": 5}
    data.update(overrides)
    return services.create_programme(by=by, data=data)


@pytest.fixture
def heads(staff):
    """Four active files; their heads, in order."""
    return [head(make_active(staff.intake)) for _ in range(4)]


def statuses(prog) -> list[str]:
    return list(prog.nominations.order_by("rank").values_list("status", flat=True))


def nominated(prog, members, by, today=TODAY):
    return services.nominate(programme=prog, members=members, by=by, today=today)


# --- TK-6: programmes and nominations -------------------------------------------------------


def test_tk6_programme_cannot_end_before_it_starts(staff):
    with pytest.raises(ValidationError) as exc:
        programme(staff.manager, ends_on=STARTS - dt.timedelta(days=1))
    assert ar(services.DATES_REVERSED) in [ar(m) for m in exc.value.messages]
    assert not Programme.objects.exists()


def test_tk6_du11_first_up_to_capacity_are_nominated_the_rest_wait(staff, heads):
    prog = programme(staff.manager, capacity=2, response_days=5)
    created = nominated(prog, heads[:3], staff.manager)
    assert [n.rank for n in created] == [1, 2, 3]
    assert [n.status for n in created] == [Status.NOMINATED, Status.NOMINATED, Status.WAITING]
    assert created[0].nominated_on == TODAY and created[0].answer_due_on == TODAY + dt.timedelta(days=5)
    assert created[2].nominated_on is None and created[2].answer_due_on is None
    sms = Notification.objects.filter(purpose="programme-nomination")
    assert sms.count() == 2 and sms.first().recipient == heads[0].file.mobile
    more = nominated(prog, [heads[3]], staff.manager)
    assert (more[0].rank, more[0].status) == (4, Status.WAITING)


def test_tk6_only_members_of_active_files_and_once_per_programme(staff, heads):
    prog = programme(staff.manager)
    applicant = head(make_submitted(staff.intake))
    with pytest.raises(ValidationError) as exc:
        nominated(prog, [heads[0], applicant], staff.manager)
    assert applicant.full_name in " ".join(exc.value.messages)
    assert not Nomination.objects.exists()  # nothing saved, not even the valid one
    nominated(prog, [heads[0]], staff.manager)
    with pytest.raises(ValidationError):
        nominated(prog, [heads[0]], staff.manager)
    assert Nomination.objects.count() == 1


def test_tk6_member_who_left_the_household_cannot_be_nominated(staff, heads):
    child = add_child(heads[0].file)
    file_services.mark_member_left(member=child, on=TODAY)
    with pytest.raises(ValidationError):
        nominated(programme(staff.manager), [child], staff.manager)


def test_tk6_nobody_is_nominated_after_the_programme_ended(staff, heads):
    prog = programme(staff.manager)
    with pytest.raises(ValidationError):
        nominated(prog, heads[:1], staff.manager, today=ENDS + dt.timedelta(days=1))


# --- DU-11: the written answer, refusal and delay -------------------------------------------


def test_du11_refusal_without_writing_is_refused_and_nothing_changes(staff, heads):
    prog = programme(staff.manager, capacity=1)
    first, second = nominated(prog, heads[:2], staff.manager)
    with pytest.raises(ValidationError) as exc:
        services.record_answer(nomination=first, by=staff.manager, accepted=False, today=TODAY, written_answer="  ")
    assert exc.value.code == "refusal_not_in_writing"
    assert statuses(prog) == [Status.NOMINATED, Status.WAITING]


def test_du11_database_refuses_a_refusal_without_writing(staff, heads):
    first = nominated(programme(staff.manager), heads[:1], staff.manager)[0]
    Nomination.objects.filter(pk=first.pk).update(written_answer="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.filter(pk=first.pk).update(status=Status.REFUSED)


def test_du11_written_refusal_nominates_the_next_candidate(staff, heads):
    prog = programme(staff.manager, capacity=1, response_days=3)
    first, second = nominated(prog, heads[:2], staff.manager)
    later = TODAY + dt.timedelta(days=2)
    answer = services.record_answer(nomination=first, by=staff.manager, accepted=False, today=later,
                                    written_answer="أعتذر عن المشاركة لظروف العمل")
    assert (answer.status, answer.answered_on) == (Status.REFUSED, later)
    assert [n.pk for n in answer.promoted] == [second.pk]
    second.refresh_from_db()
    assert (second.status, second.nominated_on, second.answer_due_on) == (
        Status.NOMINATED, later, later + dt.timedelta(days=3))


def test_du11_signed_refusal_is_kept_as_a_document_of_the_file(staff, heads):
    first = nominated(programme(staff.manager, capacity=1), heads[:1], staff.manager)[0]
    answer = services.record_answer(nomination=first, by=staff.manager, accepted=False, today=TODAY,
                                    signed_answer=pdf_upload("refusal.pdf"))
    document = Document.objects.get(original_name="refusal.pdf")
    assert answer.answer_document == document and document.file == first.file and document.member == first.member
    assert answer.status == Status.REFUSED and answer.written_answer == ""


def test_du11_acceptance_is_recorded_and_answered_only_once(staff, heads):
    first = nominated(programme(staff.manager), heads[:1], staff.manager)[0]
    services.record_answer(nomination=first, by=staff.manager, accepted=True, today=TODAY, written_answer="موافقة")
    with pytest.raises(ValidationError):
        services.record_answer(nomination=first, by=staff.manager, accepted=False, today=TODAY, written_answer="لا")
    first.refresh_from_db()
    assert (first.status, first.written_answer) == (Status.ACCEPTED, "موافقة")


def test_du11_no_answer_by_the_due_date_nominates_the_next_and_runs_once(staff, heads):
    prog = programme(staff.manager, capacity=1, response_days=5)
    first, second, third = nominated(prog, heads[:3], staff.manager)
    due = first.answer_due_on
    assert services.expire_overdue_nominations(today=due) == {"expired": 0, "nominated": 0}  # the due day counts
    day_after = due + dt.timedelta(days=1)
    assert services.expire_overdue_nominations(today=day_after) == {"expired": 1, "nominated": 1}
    assert statuses(prog) == [Status.NO_ANSWER, Status.NOMINATED, Status.WAITING]
    assert services.expire_overdue_nominations(today=day_after) == {"expired": 0, "nominated": 0}
    assert statuses(prog) == [Status.NO_ANSWER, Status.NOMINATED, Status.WAITING]
    second.refresh_from_db()
    assert second.answer_due_on == day_after + dt.timedelta(days=5)


def test_du11_expire_nominations_command_and_task(staff, heads):
    prog = programme(staff.manager, capacity=1, response_days=1)
    nominated(prog, heads[:3], staff.manager)
    out = StringIO()
    call_command("expire_nominations", "--today", (TODAY + dt.timedelta(days=2)).isoformat(), stdout=out)
    assert "1 without an answer, 1 newly nominated" in out.getvalue()
    assert statuses(prog) == [Status.NO_ANSWER, Status.NOMINATED, Status.WAITING]
    result = expire_nominations_task.delay((TODAY + dt.timedelta(days=4)).isoformat()).get()
    assert result == {"expired": 1, "nominated": 1}
    assert expire_nominations_task.delay((TODAY + dt.timedelta(days=4)).isoformat()).get() == {
        "expired": 0, "nominated": 0}


def test_du11_a_waiting_candidate_whose_file_is_frozen_is_skipped(staff, heads):
    prog = programme(staff.manager, capacity=1)
    first, second, third = nominated(prog, heads[:3], staff.manager)
    file_services.change_status(file=second.file, to=FileStatus.FROZEN, now=NOW, reason="test")
    services.record_answer(nomination=first, by=staff.manager, accepted=False, today=TODAY, written_answer="لا")
    assert statuses(prog) == [Status.REFUSED, Status.WAITING, Status.NOMINATED]


# --- DU-3, DU-6: sessions, attendance and apologies -----------------------------------------


@pytest.fixture
def running(staff, heads):
    """A programme with three participants who accepted and two sessions."""
    prog = programme(staff.manager, capacity=3)
    people = nominated(prog, heads[:3], staff.manager)
    for n in people:
        services.record_answer(nomination=n, by=staff.manager, accepted=True, today=TODAY, written_answer="موافق")
    sessions = [services.record_session(programme=prog, held_on=STARTS + dt.timedelta(days=d)) for d in (0, 7)]
    return SimpleNamespace(programme=prog, people=[Nomination.objects.get(pk=n.pk) for n in people],
                           sessions=sessions)


def test_du3_sessions_fall_within_the_programme_once_a_day(staff, running):
    with pytest.raises(ValidationError):
        services.record_session(programme=running.programme, held_on=ENDS + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.record_session(programme=running.programme, held_on=STARTS)
    assert Session.objects.count() == 2


def test_du3_apology_before_the_day_excuses_on_the_day_does_not(staff, running):
    session = running.sessions[0]
    early = services.record_apology(session=session, nomination=running.people[0], by=staff.manager,
                                    apology="موعد في المستشفى", apologised_on=STARTS - dt.timedelta(days=1),
                                    today=STARTS - dt.timedelta(days=1))
    late = services.record_apology(session=session, nomination=running.people[1], by=staff.manager,
                                   apology="تأخرت", apologised_on=STARTS, today=STARTS)
    assert (early.mark, late.mark) == (Mark.EXCUSED, Mark.ABSENT)
    with pytest.raises(ValidationError):
        services.record_apology(session=session, nomination=running.people[2], by=staff.manager, apology=" ",
                                apologised_on=STARTS, today=STARTS)
    with pytest.raises(ValidationError):
        services.record_apology(session=session, nomination=running.people[2], by=staff.manager, apology="غدا",
                                apologised_on=STARTS, today=STARTS - dt.timedelta(days=1))
    assert Attendance.objects.count() == 2


def test_du3_sheet_marks_present_absent_and_excused(staff, running):
    session = running.sessions[0]
    a, b, c = running.people
    services.record_apology(session=session, nomination=b, by=staff.manager, apology="سفر",
                            apologised_on=STARTS - dt.timedelta(days=2), today=STARTS - dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.record_attendance(session=session, participants=running.people, present_ids={a.pk}, by=staff.manager,
                                   today=STARTS - dt.timedelta(days=1))
    services.record_attendance(session=session, participants=running.people, present_ids={a.pk}, by=staff.manager,
                               today=STARTS)
    marks = dict(Attendance.objects.values_list("nomination_id", "mark"))
    assert marks == {a.pk: Mark.PRESENT, b.pk: Mark.EXCUSED, c.pk: Mark.ABSENT}
    with pytest.raises(ValidationError):
        services.record_apology(session=session, nomination=a, by=staff.manager, apology="x",
                                apologised_on=STARTS, today=STARTS)


def test_du6_attendance_rate_per_participant(staff, running):
    a, b, c = running.people
    first, second = running.sessions
    services.record_attendance(session=first, participants=running.people, present_ids={a.pk, b.pk},
                               by=staff.manager, today=ENDS)
    services.record_attendance(session=second, participants=running.people, present_ids={a.pk}, by=staff.manager,
                               today=ENDS)
    rows = {n.pk: n for n in services.with_attendance(Nomination.objects.all())}
    assert (rows[a.pk].attendance_rate, rows[b.pk].attendance_rate, rows[c.pk].attendance_rate) == (100, 50, 0)
    assert (rows[b.pk].present, rows[b.pk].absent, rows[b.pk].marked) == (1, 1, 2)


# --- DU-10: drop-outs -----------------------------------------------------------------------


def test_du10_drop_out_needs_reasons_and_whether_they_talked_first(staff, running):
    person = running.people[0]
    for reasons, discussed in (("", True), ("ظروف عائلية", None)):
        with pytest.raises(ValidationError):
            services.record_dropout(nomination=person, by=staff.manager, reasons=reasons, discussed=discussed,
                                    dropped_out_on=TODAY, today=TODAY)
    person.refresh_from_db()
    assert person.status == Status.ACCEPTED and person.dropout_reasons == ""
    services.record_dropout(nomination=person, by=staff.manager, reasons="ظروف عائلية", discussed=False,
                            dropped_out_on=TODAY, today=TODAY)
    person.refresh_from_db()
    assert (person.status, person.dropout_reasons, person.dropout_discussed, person.dropped_out_on) == (
        Status.DROPPED_OUT, "ظروف عائلية", False, TODAY)


# --- SAT-1: the end of the programme --------------------------------------------------------


def test_sat1_closing_the_programme_sends_one_survey_per_participants_file(staff, heads):
    prog = programme(staff.manager, capacity=3)
    child = add_child(heads[0].file)
    people = nominated(prog, [heads[0], child, heads[1]], staff.manager)
    for n in people:
        services.record_answer(nomination=n, by=staff.manager, accepted=True, today=TODAY, written_answer="موافق")
    services.record_dropout(nomination=people[2], by=staff.manager, reasons="عمل", discussed=True,
                            dropped_out_on=TODAY, today=TODAY)
    with pytest.raises(ValidationError):
        services.complete_programme(programme=prog, by=staff.manager, today=ENDS - dt.timedelta(days=1), now=NOW)
    result = services.complete_programme(programme=prog, by=staff.manager, today=ENDS, now=NOW)
    assert result == {"completed": 2, "surveys": 1}
    survey = Survey.objects.get()
    assert (survey.service, survey.file, survey.staff) == ("programme", heads[0].file, staff.manager)
    assert statuses(prog) == [Status.COMPLETED, Status.COMPLETED, Status.DROPPED_OUT]
    assert services.complete_programme(programme=prog, by=staff.manager, today=ENDS, now=NOW) == {
        "completed": 0, "surveys": 0}
    assert Survey.objects.count() == 1


# --- The pages ------------------------------------------------------------------------------


@pytest.fixture
def clock():
    """The pages read the clock: pin it to NOW (the factories' day)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def url(name, *args):
    return reverse(f"beneficiaries:{name}", args=args)


def test_tk6_pages_need_the_permission(client, staff):
    prog = programme(staff.manager)
    client.force_login(staff.intake)
    for target in (url("programme_list"), url("programme_new"), url("programme_detail", prog.pk),
                   url("programme_nominate", prog.pk)):
        assert client.get(target).status_code == 403


def test_tk6_create_a_programme_through_the_page(client, staff, clock):
    client.force_login(staff.manager)
    response = client.post(url("programme_new"), {
        "title": "نشاط رمضاني", "kind": "activity", "capacity": "30", "starts_on": STARTS.isoformat(),
        "ends_on": STARTS.isoformat(), "response_days": "3", "coordinator": staff.manager.pk})
    prog = Programme.objects.get()
    assert response.status_code == 302 and response["Location"] == url("programme_detail", prog.pk)
    assert client.get(url("programme_list")).status_code == 200
    response = client.post(url("programme_new"), {
        "title": "خطأ", "kind": "activity", "capacity": "3", "starts_on": STARTS.isoformat(),
        "ends_on": (STARTS - dt.timedelta(days=1)).isoformat(), "response_days": "3", "coordinator": staff.manager.pk})
    assert response.status_code == 200 and Programme.objects.count() == 1


def test_tk6_nominate_page_offers_only_visible_active_files(client, staff, heads, clock):
    prog = programme(staff.manager)
    mine = heads[0].file
    file_services.assign_researcher(file=mine, researcher=staff.researcher, by=staff.manager, now=NOW)
    client.force_login(staff.researcher)
    response = client.get(url("programme_nominate", prog.pk), {"q": heads[1].file.number})
    assert list(response.context["candidates"]) == []
    response = client.get(url("programme_nominate", prog.pk), {"q": mine.number})
    assert [m.pk for m in response.context["candidates"]] == [heads[0].pk]
    response = client.post(url("programme_nominate", prog.pk), {"members": [heads[1].pk]})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Nomination.objects.exists()
    response = client.post(url("programme_nominate", prog.pk), {"members": [heads[0].pk]})
    assert response.status_code == 302
    assert Nomination.objects.get().status == Status.NOMINATED


def test_du11_answer_page_404_for_an_invisible_file_and_logs_access(client, staff, heads, clock):
    prog = programme(staff.manager, capacity=1)
    first, second = nominated(prog, heads[:2], staff.manager)
    client.force_login(staff.researcher)
    assert client.get(url("nomination_answer", first.pk)).status_code == 404
    assert client.post(url("nomination_answer", first.pk), {"answer": "refused", "written_answer": "لا"}
                       ).status_code == 404
    assert statuses(prog) == [Status.NOMINATED, Status.WAITING]
    client.force_login(staff.manager)
    assert client.get(url("nomination_answer", first.pk)).status_code == 200
    assert AccessLog.objects.filter(user=staff.manager, object_id=str(first.file_id), action="view").exists()


def test_du11_answer_page_refuses_a_refusal_without_writing_then_records_it(client, staff, heads, clock):
    prog = programme(staff.manager, capacity=1)
    first, _second = nominated(prog, heads[:2], staff.manager)
    client.force_login(staff.manager)
    response = client.post(url("nomination_answer", first.pk), {"answer": "refused", "written_answer": ""})
    assert response.status_code == 200
    assert ar(services.REFUSAL_NOT_IN_WRITING) in [ar(e) for e in response.context["form"].errors["written_answer"]]
    assert statuses(prog) == [Status.NOMINATED, Status.WAITING]
    response = client.post(url("nomination_answer", first.pk), {"answer": "refused", "written_answer": "",
                                                                "signed_answer": pdf_upload("signed.pdf")})
    assert response.status_code == 302
    assert statuses(prog) == [Status.REFUSED, Status.NOMINATED]
    assert Document.objects.filter(file=first.file, original_name="signed.pdf").count() == 1


def test_du3_sheet_and_apology_pages(client, staff, running):
    session = running.sessions[0]
    a, b, c = running.people
    with time_machine.travel(NOW - dt.timedelta(days=1) + (STARTS - TODAY), tick=False):
        client.force_login(staff.manager)  # sessions expire after 30 idle minutes: sign in at the travelled time
        response = client.post(url("session_apology", session.pk), {
            "nomination": b.pk, "apology": "سفر", "apologised_on": (STARTS - dt.timedelta(days=1)).isoformat()})
        assert response.status_code == 302
        response = client.post(url("session_sheet", session.pk), {"present": [a.pk]})
        assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Attendance.objects.get().mark == Mark.EXCUSED
    with time_machine.travel(NOW + (STARTS - TODAY), tick=False):
        client.force_login(staff.manager)
        assert client.post(url("session_sheet", session.pk), {"present": [a.pk]}).status_code == 302
        page = client.get(url("programme_detail", running.programme.pk))
    assert dict(Attendance.objects.values_list("nomination_id", "mark")) == {
        a.pk: Mark.PRESENT, b.pk: Mark.EXCUSED, c.pk: Mark.ABSENT}
    rates = {n.pk: n.attendance_rate for n in page.context["nominations"]}
    assert rates == {a.pk: 100, b.pk: 0, c.pk: 0}


def test_du10_dropout_page_refuses_without_reasons(client, staff, running):
    person = running.people[0]
    with time_machine.travel(NOW, tick=False):
        client.force_login(staff.manager)
        response = client.post(url("nomination_dropout", person.pk), {
            "dropout_reasons": "", "dropout_discussed": "yes", "dropped_out_on": TODAY.isoformat()})
        assert response.status_code == 200 and response.context["form"].errors["dropout_reasons"]
        response = client.post(url("nomination_dropout", person.pk), {
            "dropout_reasons": "انتقلنا إلى مدينة أخرى", "dropout_discussed": "no",
            "dropped_out_on": TODAY.isoformat()})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.status, person.dropout_discussed) == (Status.DROPPED_OUT, False)


def test_sat1_close_page_sends_the_surveys(client, staff, running):
    with time_machine.travel(NOW + (ENDS - TODAY), tick=False):
        client.force_login(staff.manager)
        response = client.post(url("programme_complete", running.programme.pk))
    assert response.status_code == 302
    assert Survey.objects.count() == 3
    assert shown_messages(response)


def test_tk6_every_programme_page_renders_for_the_coordinator(client, staff, running, clock):
    client.force_login(staff.manager)
    prog, session, person = running.programme, running.sessions[0], running.people[0]
    pending = nominated(prog, [head(make_active(staff.intake))], staff.manager)[0]
    pages = [url("programme_list"), url("programme_new"), url("programme_detail", prog.pk),
             url("programme_nominate", prog.pk) + f"?q={pending.file.number}", url("session_new", prog.pk),
             url("session_sheet", session.pk), url("session_apology", session.pk),
             url("nomination_dropout", person.pk), url("nomination_answer", pending.pk)]
    for target in pages:
        response = client.get(target)
        assert response.status_code == 200, target
    detail = client.get(url("programme_detail", prog.pk)).content.decode()
    assert person.member.full_name in detail and prog.title in detail
