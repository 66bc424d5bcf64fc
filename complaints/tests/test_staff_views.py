"""Staff pages of complaints: paper entry (CP-4), the excuse (CP-2), the ruling period and its
reminders (CP-7), confidentiality (CP-8), notices (CP-9), malicious complaints (CP-10), the
list, attachments and the admin."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.utils import timezone, translation
from django.utils.html import escape

from beneficiaries.tests.factories import NOW, TODAY, make_submitted, pdf_upload, unique_national_id
from charity import calendar
from charity.models import AccessLog, DeliveryAttempt, Notification, PolicyProfile
from charity.roles import Role
from complaints import errors, services
from complaints.admin import ComplaintAdmin
from complaints.models import Complaint, InvestigationReferral, Notice
from complaints.policy import NoticeChannel, Ruling, Source, Status
from complaints.views.staff import PAPER_SESSION_KEY

pytestmark = pytest.mark.django_db

LIST_URL = "/staff/complaints/"


@pytest.fixture(autouse=True)
def _pinned_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def director(make_user):
    return make_user(Role.DIRECTOR, username="director", email="director@charity.example", phone="0551234567")


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, username="manager")


@pytest.fixture
def researcher(make_user):
    return make_user(Role.RESEARCHER, username="researcher")


@pytest.fixture
def committee(make_user):
    return make_user(Role.INVESTIGATION, username="committee")


def data(**overrides) -> dict:
    values = {
        "kind": "complaint", "topic": "staff", "complainant_name": "سارة عبدالله الدوسري",
        "national_id": unique_national_id(), "phone": "0501234567", "email": "sara@example.com",
        "subject": "سوء تعامل", "facts": "رفع الموظف صوته علي.", "against": "موظف الاستقبال", "harm": "إهانة.",
        "reasons": "لا مبرر لذلك.", "steps_taken": "", "remedy": "اعتذار.", "other_info": "",
        "incident_on": TODAY - dt.timedelta(days=3), "excuse": "",
    }
    values.update(overrides)
    return values


def file_one(today=TODAY, now=NOW, attachments=(), **overrides) -> Complaint:
    complaint, _code = services.file_complaint(data=data(**overrides), attachments=attachments,
                                               profile=PolicyProfile.objects.active(), now=now, today=today)
    return complaint


def detail_url(complaint) -> str:
    return f"/staff/complaints/{complaint.pk}/"


def action(client, complaint, name, **form):
    return client.post(f"{detail_url(complaint)}{name}/", form)


def page_of(client, complaint) -> str:
    response = client.get(detail_url(complaint))
    assert response.status_code == 200
    return response.content.decode()


def ruled(complaint, director, text="قبلت الشكوى.") -> Complaint:
    return services.rule(complaint=complaint, by=director, ruling=Ruling.UPHELD, text=text, now=NOW, today=TODAY)


# --- CP-4: paper filings --------------------------------------------------------------------


def test_paper_entry_records_source_received_day_and_shows_the_code_once_cp4(profile, director, client):
    """CP-4: staff enter a paper complaint with the day it was received; the number and the
    code are handed to the complainant (shown once)."""
    client.force_login(director)
    received = TODAY - dt.timedelta(days=2)
    form = {**data(), "incident_on": (TODAY - dt.timedelta(days=10)).isoformat(), "received_on": received.isoformat(),
            "attachments": [pdf_upload("scan.pdf")]}
    with time_machine.travel(NOW, tick=False):
        response = client.post("/staff/complaints/paper/", form)
    assert response.status_code == 302 and response["Location"] == "/staff/complaints/paper/receipt/"
    complaint = Complaint.objects.get()
    assert complaint.source == Source.PAPER and complaint.entered_by == director
    assert complaint.received_on == received and complaint.attachments.count() == 1
    assert complaint.due_on == calendar.add_working_days(received, 15)
    code = client.session[PAPER_SESSION_KEY]["code"]
    html = client.get("/staff/complaints/paper/receipt/").content.decode()
    assert complaint.tracking_number in html and code in html
    assert code not in client.get("/staff/complaints/paper/receipt/").content.decode()


def test_paper_entry_needs_the_permission_cp4(profile, manager, client):
    client.force_login(manager)
    assert client.get("/staff/complaints/paper/").status_code == 403


def test_paper_entry_refuses_a_future_received_day_and_saves_nothing_cp4(profile, director, client):
    client.force_login(director)
    form = {**data(), "incident_on": TODAY.isoformat(), "received_on": (TODAY + dt.timedelta(days=1)).isoformat()}
    with time_machine.travel(NOW, tick=False):
        response = client.post("/staff/complaints/paper/", form)
    assert response.status_code == 200
    assert [str(e) for e in response.context["form"].errors["received_on"]] == [str(errors.DATES_IN_FUTURE)]
    assert Complaint.objects.count() == 0


# --- CP-2: the excuse -----------------------------------------------------------------------


def late_complaint() -> Complaint:
    return file_one(incident_on=TODAY - dt.timedelta(days=45), excuse="كنت خارج المملكة.")


def test_accepting_the_excuse_starts_the_ruling_clock_cp2(profile, director, client):
    """CP-2, CP-7: a late complaint has no due date until the excuse is accepted; then the
    clock starts on the day of acceptance (15 working days, stored)."""
    complaint = late_complaint()
    assert complaint.status == Status.EXCUSE_REVIEW and complaint.due_on is None
    client.force_login(director)
    assert 'data-testid="form-decide_excuse"' in page_of(client, complaint)
    accepted_on = dt.date(2026, 12, 1)
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 12, 1, 9, 0)), tick=False):
        client.force_login(director)  # the session would have expired over a week
        response = action(client, complaint, "excuse", accept="yes", reason="العذر مقبول بالمستندات.")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.UNDER_REVIEW and complaint.excuse_accepted is True
    assert complaint.clock_started_on == accepted_on
    assert complaint.due_on == calendar.add_working_days(accepted_on, 15)
    assert complaint.excuse_decided_by == director


def test_refusing_the_excuse_closes_and_tells_the_complainant_why_cp2(profile, director, client):
    """CP-2: a refusal closes the complaint and queues the reason to the complainant (SMS, email)."""
    complaint = late_complaint()
    client.force_login(director)
    with time_machine.travel(NOW, tick=False):
        action(client, complaint, "excuse", accept="no", reason="لم يقدم ما يثبت العذر.")
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.excuse_accepted is False
    sent = Notification.objects.filter(purpose="complaint-excuse-refused")
    assert {n.channel for n in sent} == {"sms", "email"}
    assert all("لم يقدم ما يثبت العذر." in n.body for n in sent)
    assert complaint.notices.filter(channel__in=[NoticeChannel.SMS, NoticeChannel.EMAIL]).count() == 2


def test_excuse_decision_without_reason_changes_nothing_cp2(profile, director, client):
    complaint = late_complaint()
    client.force_login(director)
    response = action(client, complaint, "excuse", accept="yes", reason="  ")
    assert response.status_code == 200
    assert escape(str(errors.REASON_REQUIRED)) in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.EXCUSE_REVIEW and complaint.excuse_accepted is None


# --- CP-7: the ruling period ----------------------------------------------------------------


@pytest.mark.parametrize(("filed", "due"), [
    (dt.date(2026, 5, 21), dt.date(2026, 6, 17)),  # across Eid al-Adha 1447
    (dt.date(2025, 9, 21), dt.date(2025, 10, 13)),  # across National Day (23 September)
])
def test_golden_due_dates_through_the_public_form_cp7(profile, client, filed, due):
    """CP-7: 15 Saudi working days (weekends, Eid al-Adha, National Day), stored on filing."""
    form = {**data(), "incident_on": (filed - dt.timedelta(days=2)).isoformat()}
    with time_machine.travel(timezone.make_aware(dt.datetime.combine(filed, dt.time(11, 0))), tick=False):
        assert client.post("/complaints/", form).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.received_on == filed and complaint.clock_started_on == filed and complaint.due_on == due


def test_reminders_at_5_and_2_days_and_one_escalation_never_twice_cp7(profile, director, make_user):
    """CP-7: a reminder to the director at 5 and at 2 working days left, one escalation to the
    admins when overdue; running the job twice sends nothing more."""
    make_user(Role.ADMIN, username="admin", email="admin@charity.example")
    complaint = file_one()  # filed 2026-11-24 → due 15 working days later
    due = complaint.due_on
    five_left = calendar.add_working_days(due, -5)
    two_left = calendar.add_working_days(due, -2)

    def run(today):
        services.send_deadline_reminders(today=today)
        services.send_deadline_reminders(today=today)
        return Notification.objects.filter(purpose="complaint-staff").count()

    assert run(calendar.add_working_days(due, -6)) == 0
    assert run(five_left) == 2  # SMS and email to the director
    assert run(calendar.add_working_days(five_left, 1)) == 2
    assert run(two_left) == 4
    assert run(due + dt.timedelta(days=1)) == 5  # one escalation (the admin has email only)
    assert run(due + dt.timedelta(days=3)) == 5
    complaint.refresh_from_db()
    assert complaint.escalated_on == due + dt.timedelta(days=1)


def test_daily_digest_is_sent_once_a_day_cp7(profile, director):
    file_one()
    first = services.send_daily_digest(today=TODAY)
    assert first == 2 and services.send_daily_digest(today=TODAY) == 0
    assert services.send_daily_digest(today=TODAY + dt.timedelta(days=1)) == 2


# --- CP-8: who sees a complaint -------------------------------------------------------------


def test_director_sees_every_complaint_and_each_view_is_logged_cp8(profile, director, client):
    """CP-8: the executive director sees all; every view of the page writes an access-log row."""
    first, second = file_one(), file_one()
    client.force_login(director)
    html = client.get(LIST_URL).content.decode()
    assert first.tracking_number in html and second.tracking_number in html
    for expected in (1, 2):
        page_of(client, first)
        assert AccessLog.objects.filter(user=director, object_id=str(first.pk), action="view").count() == expected


def test_assigned_staff_sees_only_theirs_and_other_manager_gets_404_cp8(profile, director, manager, researcher,
                                                                         client):
    """CP-8: the member of staff the director assigns sees that complaint only; another manager
    sees nothing (404, not 403)."""
    mine, other = file_one(), file_one()
    client.force_login(director)
    assert action(client, mine, "assign", to=researcher.pk).status_code == 302
    client.force_login(researcher)
    html = client.get(LIST_URL).content.decode()
    assert mine.tracking_number in html and other.tracking_number not in html
    assert client.get(detail_url(mine)).status_code == 200
    assert client.get(detail_url(other)).status_code == 404
    client.force_login(manager)
    assert client.get(detail_url(mine)).status_code == 404
    assert mine.tracking_number not in client.get(LIST_URL).content.decode()


def every_permission(make_user, username):
    """A member of staff (not a superuser) holding every permission of the project."""
    user = make_user(Role.MANAGER, username=username)
    user.user_permissions.set(Permission.objects.all())
    return type(user).objects.get(pk=user.pk)  # drop the permission cache


def test_named_staff_get_404_even_as_director_or_with_every_permission_cp8(profile, director, make_user, client):
    """CP-8: a member of staff the complaint names never sees it, whatever their role."""
    other_director = make_user(Role.DIRECTOR, username="director2")
    superpowers = every_permission(make_user, "superpowers")
    complaint = file_one(attachments=[pdf_upload()])
    client.force_login(director)
    assert action(client, complaint, "named-staff", staff=[other_director.pk, superpowers.pk]).status_code == 302
    attachment = complaint.attachments.get()
    for user in (other_director, superpowers):
        assert user.has_perm("complaints.view_all_complaints")
        client.force_login(user)
        assert client.get(detail_url(complaint)).status_code == 404
        assert client.get(f"/staff/complaints/attachments/{attachment.pk}/").status_code == 404
        assert action(client, complaint, "rule", ruling="upheld", text="x").status_code == 404
        assert complaint.tracking_number not in client.get(LIST_URL).content.decode()
    client.force_login(director)
    assert escape(str(other_director)) in page_of(client, complaint)


def test_naming_the_assignee_removes_the_assignment_cp8(profile, director, researcher, client):
    complaint = file_one()
    client.force_login(director)
    action(client, complaint, "assign", to=researcher.pk)
    action(client, complaint, "named-staff", staff=[researcher.pk])
    complaint.refresh_from_db()
    assert complaint.assigned_to is None
    response = action(client, complaint, "assign", to=researcher.pk)
    assert response.status_code == 200  # the named member is not offered, the form refuses
    complaint.refresh_from_db()
    assert complaint.assigned_to is None
    client.force_login(researcher)
    assert client.get(detail_url(complaint)).status_code == 404


def test_director_cannot_name_themselves_cp8(profile, director, client):
    complaint = file_one()
    client.force_login(director)
    response = action(client, complaint, "named-staff", staff=[director.pk])
    assert response.status_code == 200 and escape(str(errors.CANNOT_NAME_SELF)) in response.content.decode()
    assert not complaint.named_staff.exists()


def test_investigation_committee_sees_only_referred_complaints_cp8_cp10(profile, director, committee, client):
    """CP-8, CP-10: the committee sees a complaint once it is referred, and records the outcome."""
    referred, other = file_one(), file_one()
    ruled(referred, director)
    client.force_login(committee)
    assert client.get(detail_url(referred)).status_code == 404
    client.force_login(director)
    assert action(client, referred, "refer", reasons="ادعاءات ثبت كذبها.").status_code == 302
    referred.refresh_from_db()
    assert referred.malicious and InvestigationReferral.objects.get(complaint=referred).referred_by == director
    client.force_login(committee)
    html = client.get(LIST_URL).content.decode()
    assert referred.tracking_number in html and other.tracking_number not in html
    assert client.get(detail_url(other)).status_code == 404
    assert 'data-testid="form-record_investigation"' in page_of(client, referred)
    assert action(client, referred, "investigation", outcome="إنذار كتابي.").status_code == 302
    referral = InvestigationReferral.objects.get(complaint=referred)
    assert referral.outcome == "إنذار كتابي." and referral.outcome_by == committee
    assert "إنذار كتابي." in page_of(client, referred)


def test_only_the_committee_records_the_investigation_outcome_cp10(profile, director, client):
    complaint = file_one()
    ruled(complaint, director)
    services.refer_malicious(complaint=complaint, by=director, reasons="كيدية", now=NOW)
    client.force_login(director)
    assert action(client, complaint, "investigation", outcome="x").status_code == 403
    assert action(client, complaint, "refer", reasons="مرة ثانية").status_code == 200  # already referred
    assert InvestigationReferral.objects.count() == 1


def test_actions_need_the_manage_permission_cp6(profile, director, researcher, client):
    """Only the executive director rules; the assigned staff member may view and log notices."""
    complaint = file_one()
    services.assign(complaint=complaint, by=director, to=researcher)
    client.force_login(researcher)
    html = page_of(client, complaint)
    assert 'data-testid="form-rule"' not in html
    assert action(client, complaint, "rule", ruling="upheld", text="x").status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == Status.UNDER_REVIEW


# --- The workflow and CP-9 notices ----------------------------------------------------------


def test_rule_notify_log_a_call_and_close_cp7_cp9(profile, director, researcher, client,
                                                    django_capture_on_commit_callbacks):
    """CP-7, CP-9: rule, send the result by SMS and email (delivery attempts shown), the assigned
    staff member logs a phone call, the director closes."""
    complaint = file_one()
    client.force_login(director)
    action(client, complaint, "assign", to=researcher.pk)
    with time_machine.travel(NOW, tick=False):
        assert action(client, complaint, "rule", ruling=Ruling.PARTLY_UPHELD, text="تقبل جزئياً.").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.RULED and complaint.ruled_by == director and complaint.ruled_on == TODAY
    with django_capture_on_commit_callbacks(execute=True):
        assert action(client, complaint, "notify").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.NOTIFIED
    sent = Notice.objects.filter(complaint=complaint, channel__in=[NoticeChannel.SMS, NoticeChannel.EMAIL])
    assert sent.count() == 2 and all(n.notification.purpose == "complaint-result" for n in sent)
    assert DeliveryAttempt.objects.filter(notification__in=[n.notification for n in sent], success=True).count() == 2
    html = page_of(client, complaint)
    assert html.count('data-testid="delivery-attempts"') == 2 and "تقبل جزئياً." in html
    client.force_login(researcher)
    assert action(client, complaint, "notices", channel=NoticeChannel.PHONE_CALL, success="yes",
                  note="أبلغته هاتفياً.").status_code == 302
    call = Notice.objects.get(complaint=complaint, channel=NoticeChannel.PHONE_CALL)
    assert call.by == researcher and call.success and call.note == "أبلغته هاتفياً."
    assert action(client, complaint, "close").status_code == 403
    client.force_login(director)
    assert action(client, complaint, "close", reason="").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED


def test_a_notice_cannot_be_logged_before_the_ruling_cp9(profile, director, client):
    complaint = file_one()
    client.force_login(director)
    response = action(client, complaint, "notices", channel=NoticeChannel.IN_PERSON, success="yes", note="")
    assert response.status_code == 200 and escape(str(errors.NOT_RULED)) in response.content.decode()
    assert not Notice.objects.exists()


def test_other_staff_cannot_log_notices_cp9(profile, director, researcher, make_user, client):
    complaint = file_one()
    ruled(complaint, director)
    client.force_login(make_user(Role.MANAGER))
    assert action(client, complaint, "notices", channel=NoticeChannel.PHONE_CALL, success="yes").status_code == 404


def test_ruling_a_late_complaint_awaiting_its_excuse_is_refused_cp2_cp7(profile, director, client):
    complaint = late_complaint()
    client.force_login(director)
    response = action(client, complaint, "rule", ruling=Ruling.UPHELD, text="x")
    assert response.status_code == 200 and escape(str(errors.NOT_UNDER_REVIEW)) in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.EXCUSE_REVIEW and not complaint.ruling


# --- The complaint page ---------------------------------------------------------------------


def test_page_shows_every_cp3_field_and_the_history(profile, director, client):
    complaint = file_one(steps_taken="راجعت المشرف.", other_info="شاهد حاضر.", attachments=[pdf_upload("a.pdf")])
    client.force_login(director)
    html = page_of(client, complaint)
    for name in ("complainant_name", "national_id", "email", "subject", "facts", "against", "harm", "reasons",
                 "steps_taken", "remedy", "other_info"):
        assert escape(getattr(complaint, name)) in html, name
    assert complaint.phone in html and "a.pdf" in html
    with translation.override("ar"):
        assert calendar.format_dual(complaint.due_on) in html
    assert 'data-testid="history-row"' in html and 'data-testid="days-left"' in html


def test_linked_file_shows_as_a_link_only_to_those_who_may_see_it(profile, director, manager, committee, client):
    """CP-8, RT-10: the beneficiary file is linked for a user who may see it; to anyone else
    the page only says that a file exists."""
    file = make_submitted(manager)
    complaint = file_one(national_id=file.head_id_number)
    assert complaint.file == file
    client.force_login(director)
    assert f'href="/files/{file.pk}/"' in page_of(client, complaint)
    ruled(complaint, director)
    services.refer_malicious(complaint=complaint, by=director, reasons="كيدية", now=NOW)
    client.force_login(committee)
    html = page_of(client, complaint)
    assert f'href="/files/{file.pk}/"' not in html
    with translation.override("ar"):
        assert translation.gettext("A beneficiary file exists for this national ID.") in html


def test_attachment_download_is_an_attachment_and_logged_cp8(profile, director, manager, client):
    complaint = file_one(attachments=[pdf_upload("evidence.pdf", text="secret")])
    attachment = complaint.attachments.get()
    client.force_login(director)
    response = client.get(f"/staff/complaints/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert complaint.tracking_number in response["Content-Disposition"]
    assert b"secret" in b"".join(response.streaming_content)
    assert AccessLog.objects.filter(user=director, action="download", object_id=str(attachment.pk)).count() == 1
    client.force_login(manager)
    assert client.get(f"/staff/complaints/attachments/{attachment.pk}/").status_code == 404


# --- The list -------------------------------------------------------------------------------


def test_list_filters_overdue_due_this_week_and_excuses_cp7(profile, director, client):
    """CP-7: filters for overdue complaints, those due within a week, and late excuses."""
    old = file_one(today=TODAY - dt.timedelta(days=40), now=NOW - dt.timedelta(days=40),
                   incident_on=TODAY - dt.timedelta(days=41))
    soon = file_one(today=TODAY - dt.timedelta(days=17), now=NOW - dt.timedelta(days=17),
                    incident_on=TODAY - dt.timedelta(days=18))
    fresh = file_one()
    late = late_complaint()
    assert old.due_on < TODAY <= soon.due_on <= TODAY + dt.timedelta(days=7) < fresh.due_on
    client.force_login(director)

    def listed(**params):
        with time_machine.travel(NOW, tick=False):
            html = client.get(LIST_URL, params).content.decode()
        return {c.tracking_number for c in (old, soon, fresh, late) if c.tracking_number in html}

    assert listed() == {old.tracking_number, soon.tracking_number, fresh.tracking_number, late.tracking_number}
    assert listed(show="overdue") == {old.tracking_number}
    assert listed(show="due_week") == {soon.tracking_number}
    assert listed(show="excuses") == {late.tracking_number}
    assert listed(status=Status.EXCUSE_REVIEW) == {late.tracking_number}


def test_list_shows_working_days_left(profile, director, client):
    complaint = file_one()
    client.force_login(director)
    with time_machine.travel(NOW, tick=False):
        response = client.get(LIST_URL)
    row = next(c for c in response.context["page"] if c.pk == complaint.pk)
    assert row.days_left == 15
    assert 'data-testid="days-left"' in response.content.decode()


# --- Admin ----------------------------------------------------------------------------------


def test_admin_respects_cp8_never_deletes_and_hides_the_code_hash(profile, director, make_user, rf):
    """CP-8 in the admin: a non-superuser sees exactly the staff pages' scope; no deletion."""
    sysadmin, superpowers = make_user(Role.ADMIN, username="sysadmin"), every_permission(make_user, "superpowers")
    shown, hidden, assigned = file_one(), file_one(), file_one()
    services.name_staff(complaint=hidden, by=director, staff=[superpowers])
    services.assign(complaint=assigned, by=director, to=sysadmin)
    model_admin = ComplaintAdmin(Complaint, admin.site)
    request = rf.get("/admin/complaints/complaint/")
    request.user = superpowers
    assert set(model_admin.get_queryset(request)) == {shown, assigned}
    request.user = sysadmin
    assert set(model_admin.get_queryset(request)) == {assigned}
    assert not model_admin.has_delete_permission(request, shown) and not model_admin.has_add_permission(request)
    form = model_admin.get_form(request, shown)
    assert "code_hash" not in form.base_fields
    assert "code_hash" not in model_admin.get_readonly_fields(request, shown)


def test_admin_change_page_renders_without_the_code_hash(profile, director, make_user, client):
    sysadmin = make_user(Role.ADMIN, username="sysadmin")
    complaint, hidden = file_one(), file_one()
    services.assign(complaint=complaint, by=director, to=sysadmin)
    client.force_login(sysadmin)
    response = client.get(f"/admin/complaints/complaint/{complaint.pk}/change/")
    assert response.status_code == 200
    assert complaint.code_hash not in response.content.decode() and "code_hash" not in response.content.decode()
    assert client.get(f"/admin/complaints/complaint/{complaint.pk}/delete/").status_code == 403
    assert client.get(f"/admin/complaints/complaint/{hidden.pk}/change/").status_code == 302  # not found


def test_nothing_is_stored_under_media_for_a_refused_paper_complaint(profile, director, client, settings):
    client.force_login(director)
    form = {**data(complainant_name="اسم"), "incident_on": TODAY.isoformat(), "received_on": TODAY.isoformat(),
            "attachments": [pdf_upload()]}
    with time_machine.travel(NOW, tick=False):
        assert client.post("/staff/complaints/paper/", form).status_code == 200
    root = Path(settings.MEDIA_ROOT)
    assert Complaint.objects.count() == 0 and not (root.exists() and any(p.is_file() for p in root.rglob("*")))


def test_cp6_the_executive_director_sets_the_examination_and_the_examiner_records_notices(
        profile, director, manager, researcher, client):
    """CP-6: the executive director takes the measures for the complaint to be examined: only the
    director assigns the examiner (others get 403 and nothing changes); the examiner may then log
    the notices of the result but not rule."""
    complaint = file_one()
    client.force_login(manager)
    assert action(client, complaint, "assign", to=manager.pk).status_code in (403, 404)
    complaint.refresh_from_db()
    assert complaint.assigned_to is None
    client.force_login(director)
    assert action(client, complaint, "assign", to=researcher.pk).status_code == 302
    complaint.refresh_from_db()
    assert complaint.assigned_to == researcher
    client.force_login(researcher)
    assert action(client, complaint, "rule", ruling="upheld", ruling_text="x").status_code == 403
    complaint.refresh_from_db()
    assert complaint.ruling == ""
