"""Programmes through the pages: the permission, creating and nominating (TK-6), answers (DU-11),
the attendance sheet and apologies (DU-3), drop-outs (DU-10) and closing (SAT-1)."""

import datetime as dt

import pytest
import time_machine

from beneficiaries import services as file_services
from beneficiaries.models import Document
from charity.models import AccessLog
from programmes import services
from programmes.models import Attendance, Nomination, Programme
from programmes.policy import Mark, Status
from satisfaction.models import Survey
from testdata import NOW, TODAY, make_active, pdf_upload

from .builders import ENDS, STARTS, ar, head, nominated, programme, shown_messages, statuses, url

pytestmark = pytest.mark.django_db


# --- The pages ------------------------------------------------------------------------------



@pytest.mark.rule("TK-6")
def test_tk6_pages_need_the_permission(client, staff):
    prog = programme(staff["manager"])
    client.force_login(staff["intake"])
    for target in (url("programme_list"), url("programme_new"), url("programme_detail", prog.pk),
                   url("programme_nominate", prog.pk)):
        assert client.get(target).status_code == 403


@pytest.mark.rule("TK-6")
def test_tk6_create_a_programme_through_the_page(client, staff, clock):
    client.force_login(staff["manager"])
    response = client.post(url("programme_new"), {
        "title": "نشاط رمضاني", "kind": "activity", "capacity": "30", "starts_on": STARTS.isoformat(),
        "ends_on": STARTS.isoformat(), "response_days": "3", "coordinator": staff["manager"].pk})
    prog = Programme.objects.get()
    assert response.status_code == 302 and response["Location"] == url("programme_detail", prog.pk)
    assert client.get(url("programme_list")).status_code == 200
    response = client.post(url("programme_new"), {
        "title": "خطأ", "kind": "activity", "capacity": "3", "starts_on": STARTS.isoformat(),
        "ends_on": (STARTS - dt.timedelta(days=1)).isoformat(), "response_days": "3",
        "coordinator": staff["manager"].pk})
    assert response.status_code == 200 and Programme.objects.count() == 1


@pytest.mark.rule("TK-6")
def test_tk6_nominate_page_offers_only_visible_active_files(client, staff, heads, clock, researcher_running_programmes):
    prog = programme(staff["manager"])
    mine = heads[0].file
    researcher = researcher_running_programmes
    file_services.assign_researcher(file=mine, researcher=researcher, by=staff["manager"], now=NOW)
    client.force_login(researcher)
    response = client.post(url("programme_nominate", prog.pk), {"q": heads[1].file.number}, follow=True)
    assert list(response.context["candidates"]) == []
    response = client.post(url("programme_nominate", prog.pk), {"q": mine.number}, follow=True)
    assert [m.pk for m in response.context["candidates"]] == [heads[0].pk]
    response = client.post(url("programme_nominate", prog.pk), {"members": [heads[1].pk]})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Nomination.objects.exists()
    response = client.post(url("programme_nominate", prog.pk), {"members": [heads[0].pk]})
    assert response.status_code == 302
    assert Nomination.objects.get().status == Status.NOMINATED


@pytest.mark.rule("DU-11")
def test_du11_answer_page_404_for_an_invisible_file_and_logs_access(client, staff, heads, clock,
                                                                    researcher_running_programmes):
    prog = programme(staff["manager"], capacity=1)
    first, second = nominated(prog, heads[:2], staff["manager"])
    client.force_login(researcher_running_programmes)
    assert client.get(url("nomination_answer", first.pk)).status_code == 404
    assert client.post(url("nomination_answer", first.pk), {"answer": "refused", "written_answer": "لا"}
                       ).status_code == 404
    assert statuses(prog) == [Status.NOMINATED, Status.WAITING]
    client.force_login(staff["manager"])
    assert client.get(url("nomination_answer", first.pk)).status_code == 200
    assert AccessLog.objects.filter(user=staff["manager"], object_id=str(first.file_id), action="view").exists()


@pytest.mark.rule("DU-11")
def test_du11_answer_page_refuses_a_refusal_without_writing_then_records_it(client, staff, heads, clock):
    prog = programme(staff["manager"], capacity=1)
    first, _second = nominated(prog, heads[:2], staff["manager"])
    client.force_login(staff["manager"])
    response = client.post(url("nomination_answer", first.pk), {"answer": "refused", "written_answer": ""})
    assert response.status_code == 200
    assert ar(services.REFUSAL_NOT_IN_WRITING) in [ar(e) for e in response.context["form"].errors["written_answer"]]
    assert statuses(prog) == [Status.NOMINATED, Status.WAITING]
    response = client.post(url("nomination_answer", first.pk), {"answer": "refused", "written_answer": "",
                                                                "signed_answer": pdf_upload("signed.pdf")})
    assert response.status_code == 302
    assert statuses(prog) == [Status.REFUSED, Status.NOMINATED]
    assert Document.objects.filter(file=first.file, original_name="signed.pdf").count() == 1


@pytest.mark.rule("DU-3")
def test_du3_sheet_and_apology_pages(client, staff, running):
    session = running.sessions[0]
    a, b, c = running.people
    with time_machine.travel(NOW - dt.timedelta(days=1) + (STARTS - TODAY), tick=False):
        client.force_login(staff["manager"])  # sessions expire after 30 idle minutes: sign in at the travelled time
        response = client.post(url("session_apology", session.pk), {
            "nomination": b.pk, "apology": "سفر", "apologised_on": (STARTS - dt.timedelta(days=1)).isoformat()})
        assert response.status_code == 302
        response = client.post(url("session_sheet", session.pk), {"present": [a.pk]})
        assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Attendance.objects.get().mark == Mark.EXCUSED
    with time_machine.travel(NOW + (STARTS - TODAY), tick=False):
        client.force_login(staff["manager"])
        assert client.post(url("session_sheet", session.pk), {"present": [a.pk]}).status_code == 302
        page = client.get(url("programme_detail", running.programme.pk))
    assert dict(Attendance.objects.values_list("nomination_id", "mark")) == {
        a.pk: Mark.PRESENT, b.pk: Mark.EXCUSED, c.pk: Mark.ABSENT}
    rates = {n.pk: n.attendance_rate for n in page.context["nominations"]}
    assert rates == {a.pk: 100, b.pk: 0, c.pk: 0}


@pytest.mark.rule("DU-10")
def test_du10_dropout_page_refuses_without_reasons(client, staff, running):
    person = running.people[0]
    with time_machine.travel(NOW, tick=False):
        client.force_login(staff["manager"])
        response = client.post(url("nomination_dropout", person.pk), {
            "dropout_reasons": "", "dropout_discussed": "yes", "dropped_out_on": TODAY.isoformat()})
        assert response.status_code == 200 and response.context["form"].errors["dropout_reasons"]
        response = client.post(url("nomination_dropout", person.pk), {
            "dropout_reasons": "انتقلنا إلى مدينة أخرى", "dropout_discussed": "no",
            "dropped_out_on": TODAY.isoformat()})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.status, person.dropout_discussed) == (Status.DROPPED_OUT, False)


@pytest.mark.rule("SAT-1")
def test_sat1_close_page_sends_the_surveys(client, staff, running):
    with time_machine.travel(NOW + (ENDS - TODAY), tick=False):
        client.force_login(staff["manager"])
        response = client.post(url("programme_complete", running.programme.pk))
    assert response.status_code == 302
    assert Survey.objects.count() == 3
    assert shown_messages(response)


@pytest.mark.rule("TK-6")
def test_tk6_every_programme_page_renders_for_the_coordinator(client, staff, running, clock):
    client.force_login(staff["manager"])
    prog, session, person = running.programme, running.sessions[0], running.people[0]
    pending = nominated(prog, [head(make_active(staff["intake"]))], staff["manager"])[0]
    pages = [url("programme_list"), url("programme_new"), url("programme_detail", prog.pk),
             url("programme_nominate", prog.pk) + f"?q={pending.file.number}", url("session_new", prog.pk),
             url("session_sheet", session.pk), url("session_apology", session.pk),
             url("nomination_dropout", person.pk), url("nomination_answer", pending.pk)]
    for target in pages:
        response = client.get(target, follow=True)
        assert response.status_code == 200, target
    detail = client.get(url("programme_detail", prog.pk)).content.decode()
    assert person.member.full_name in detail and prog.title in detail
