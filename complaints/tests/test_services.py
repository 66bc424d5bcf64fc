"""CP-1…CP-10 through the services (complaints/services/)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from charity.models import Notification
from charity.roles import Role
from complaints import errors, policy, services
from complaints.models import Attachment, Complaint, InvestigationReferral, Notice
from complaints.policy import Ruling, Source, Status
from testdata import complaint_form_data, make_active, pdf_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 21)
NOW = timezone.make_aware(dt.datetime(2026, 5, 21, 10, 0))


def file(profile, *, today=TODAY, attachments=(), **overrides):
    """File the public form's data on this module's day, the incident ten days before."""
    data = complaint_form_data(**{"incident_on": TODAY - dt.timedelta(days=10), **overrides})
    return services.file_complaint(data=data, attachments=attachments, profile=profile, now=NOW, today=today)


@pytest.mark.rule("CP-1")
def test_cp1_a_complaint_or_grievance_about_rights_service_staff_or_partner(profile):
    assert set(policy.Topic.values) >= {"rights", "service", "staff", "partner"}
    complaint, _ = file(profile, kind=policy.Kind.GRIEVANCE, topic=policy.Topic.RIGHTS)
    assert (complaint.kind, complaint.topic) == ("grievance", "rights")


@pytest.mark.rule("CP-3")
def test_cp3_every_field_is_kept_and_the_phone_is_normalised(profile):
    complaint, code = file(profile, attachments=[pdf_upload()], phone="0551234567")
    assert complaint.phone == "+966551234567" and complaint.facts and complaint.remedy and complaint.harm
    assert complaint.attachments.count() == 1
    assert len(code) == services.CODE_LENGTH and code not in complaint.code_hash


@pytest.mark.rule("CP-5")
@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"complainant_name": "مريم الدوسري"}, "complainant_name", errors.NAME_NOT_CLEAR),
    ({"national_id": "1000000009"}, "national_id", None),
    ({"phone": "", "email": ""}, "phone", errors.NO_CONTACT),
    ({"facts": "  "}, "facts", errors.FIELD_REQUIRED),
    ({"remedy": ""}, "remedy", errors.FIELD_REQUIRED),
])
def test_cp5_missing_or_unclear_data_is_not_considered_and_nothing_is_saved(profile, overrides, field, message):
    with pytest.raises(ValidationError) as excinfo:
        file(profile, attachments=[pdf_upload()], **overrides)
    assert field in excinfo.value.message_dict
    if message is not None:
        assert excinfo.value.message_dict[field] == [str(message)]
    assert not Complaint.objects.exists() and not Attachment.objects.exists()


@pytest.mark.rule("CP-3")
@pytest.mark.parametrize("name", policy.REQUIRED_CONTENTS)
def test_cp3_each_required_content_is_refused_when_empty_and_the_form_asks_for_it(profile, name):
    """CP-3: one list (policy.REQUIRED_CONTENTS) is what the service requires and what the public
    form marks required in the browser; the optional fields are not marked."""
    from complaints.forms import ComplaintForm

    with pytest.raises(ValidationError) as excinfo:
        file(profile, **{name: " "})
    assert excinfo.value.message_dict[name] == [str(errors.FIELD_REQUIRED)]
    form = ComplaintForm(profile=profile, today=TODAY)
    marked = {n for n, f in form.fields.items() if f.widget.attrs.get("required")}
    assert name in marked
    assert marked == {"complainant_name", "national_id", *policy.REQUIRED_CONTENTS}


@pytest.mark.rule("CP-5")
def test_cp5_an_email_alone_is_a_working_means_of_contact(profile):
    complaint, _ = file(profile, phone="", email="maryam@example.org")
    assert complaint.email == "maryam@example.org"


@pytest.mark.rule("CP-2")
def test_cp2_late_filing_needs_an_excuse_and_waits_for_management(profile, make_user):
    with pytest.raises(ValidationError) as excinfo:
        file(profile, incident_on=TODAY - dt.timedelta(days=31))
    assert "excuse" in excinfo.value.message_dict
    on_time, _ = file(profile, incident_on=TODAY - dt.timedelta(days=30))
    assert not on_time.late and on_time.status == Status.UNDER_REVIEW
    late, _ = file(profile, incident_on=TODAY - dt.timedelta(days=31), excuse="كنت في المستشفى")
    assert late.late and late.status == Status.EXCUSE_REVIEW and late.due_on is None
    director = make_user(Role.DIRECTOR)
    accepted_on = dt.date(2026, 5, 24)
    services.decide_excuse(complaint=late, by=director, accept=True, reason="عذر مقبول بتقرير طبي",
                           now=NOW, today=accepted_on, profile=profile)
    late.refresh_from_db()
    # CP-7: by default the ruling period still counts from the filing date.
    assert late.status == Status.UNDER_REVIEW and late.clock_started_on == late.received_on == TODAY
    assert late.excuse_accepted is True and late.excuse_decided_by == director


@pytest.mark.rule("CP-2")
def test_cp2_refused_excuse_closes_with_the_reason_sent(profile, make_user):
    late, _ = file(profile, incident_on=TODAY - dt.timedelta(days=90), excuse="نسيت", email="")  # by SMS only
    services.decide_excuse(complaint=late, by=make_user(Role.DIRECTOR), accept=False, reason="لا يعد عذرًا مشروعًا",
                           now=NOW, today=TODAY, profile=profile)
    late.refresh_from_db()
    assert late.status == Status.CLOSED and late.closure_reason == "لا يعد عذرًا مشروعًا"
    sms = Notification.objects.get(object_id=str(late.pk), purpose="complaint-excuse-refused")
    assert "لا يعد عذرًا مشروعًا" in sms.body


@pytest.mark.rule("CP-2")
def test_cp2_window_comes_from_the_profile(profile):
    profile.complaint_window_days = 10
    profile.save()
    with pytest.raises(ValidationError):
        file(profile, incident_on=TODAY - dt.timedelta(days=11))


@pytest.mark.rule("CP-4")
def test_cp4_paper_filing_counts_from_the_day_received(profile, make_user):
    staff = make_user(Role.DIRECTOR)
    complaint, code = services.file_complaint(
        data=complaint_form_data(incident_on=dt.date(2025, 9, 1)), profile=profile, now=NOW, today=TODAY,
        source=Source.PAPER, received_on=dt.date(2025, 9, 21), entered_by=staff)
    assert complaint.source == Source.PAPER and complaint.entered_by == staff
    assert complaint.due_on == dt.date(2025, 10, 13)  # across National Day


@pytest.mark.rule("CP-7")
@pytest.mark.parametrize(("received", "due"), [
    (dt.date(2026, 5, 21), dt.date(2026, 6, 17)),  # across Eid al-Adha
    (dt.date(2025, 9, 21), dt.date(2025, 10, 13)),  # across National Day
    (dt.date(2026, 3, 17), dt.date(2026, 4, 13)),  # across Eid al-Fitr
])
def test_cp7_due_date_is_fifteen_working_days_and_stored(profile, received, due):
    complaint, _ = file(profile, incident_on=received - dt.timedelta(days=3), today=received)
    assert complaint.clock_started_on == received and complaint.due_on == due


@pytest.mark.rule("CP-7", "CP-9")
def test_cp7_ruling_then_cp9_notice_then_close(profile, make_user, django_capture_on_commit_callbacks):
    director = make_user(Role.DIRECTOR)
    complaint, _ = file(profile, email="maryam@example.org")
    with pytest.raises(ValidationError):
        services.rule(complaint=complaint, by=director, ruling=Ruling.UPHELD, text=" ", now=NOW, today=TODAY)
    services.rule(complaint=complaint, by=director, ruling=Ruling.PARTLY_UPHELD, text="تصرف المساعدة خلال أسبوع",
                  now=NOW, today=TODAY)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.ruled_on, complaint.due_on) == (Status.RULED, TODAY, dt.date(2026, 6, 17))
    with django_capture_on_commit_callbacks(execute=True):
        notices = services.notify_result(complaint=complaint, by=director, now=NOW)
    assert {n.channel for n in notices} == {"sms", "email"}
    for notice in notices:
        assert notice.notification.delivery_attempts.get().success
    services.record_notice(complaint=complaint, by=director, channel=policy.NoticeChannel.PHONE_CALL,
                           success=False, note="لم ترد", now=NOW)
    complaint.refresh_from_db()
    assert complaint.status == Status.NOTIFIED
    services.close(complaint=complaint, by=director, now=NOW)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert list(complaint.notices.values_list("channel", "success")) == [
        ("sms", True), ("email", True), ("phone_call", False)]


@pytest.mark.rule("CP-9")
def test_cp9_only_the_director_or_the_assigned_staff_member_logs_a_notice(profile, make_user):
    """CP-9: the rule is the service's, whichever page calls it: another researcher, or the
    intake desk, cannot log a call that «told» the complainant; nothing is recorded."""
    from django.core.exceptions import PermissionDenied

    director, assigned = make_user(Role.DIRECTOR), make_user(Role.RESEARCHER, username="assigned")
    complaint, _ = file(profile)
    services.assign(complaint=complaint, by=director, to=assigned)
    services.rule(complaint=complaint, by=director, ruling=Ruling.UPHELD, text="ثبت", now=NOW, today=TODAY)
    for outsider in (make_user(Role.RESEARCHER, username="other"), make_user(Role.INTAKE, username="desk")):
        with pytest.raises(PermissionDenied):
            services.record_notice(complaint=complaint, by=outsider, channel=policy.NoticeChannel.PHONE_CALL,
                                   success=True, note="", now=NOW)
    complaint.refresh_from_db()
    assert complaint.status == Status.RULED and not complaint.notices.exists()
    services.record_notice(complaint=complaint, by=assigned, channel=policy.NoticeChannel.IN_PERSON, success=True,
                           note="حضرت إلى المقر", now=NOW)
    complaint.refresh_from_db()
    assert complaint.status == Status.NOTIFIED and complaint.notices.get().by == assigned


@pytest.mark.rule("CP-9")
def test_cp9_status_page_view_after_ruling_is_a_website_notice(profile, make_user):
    director = make_user(Role.DIRECTOR)
    complaint, code = file(profile)
    services.rule(complaint=complaint, by=director, ruling=Ruling.REJECTED, text="لم تثبت", now=NOW, today=TODAY)
    found = services.find_for_complainant(complaint.tracking_number, services.format_code(code).lower())
    services.record_status_page_view(complaint=found, now=NOW)
    services.record_status_page_view(complaint=found, now=NOW)
    assert Notice.objects.filter(complaint=complaint, channel="website").count() == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.NOTIFIED


def test_status_lookup_needs_both_number_and_code(profile):
    complaint, code = file(profile)
    assert services.find_for_complainant(complaint.tracking_number, code) == complaint
    assert services.find_for_complainant(complaint.tracking_number, "A" * 26) is None
    assert services.find_for_complainant("1447-999999", code) is None
    assert services.find_for_complainant("", "") is None


@pytest.mark.rule("CP-8")
def test_cp8_visibility_director_assignee_committee_and_never_the_named(profile, make_user):
    director, assignee, manager = make_user(Role.DIRECTOR), make_user(Role.RESEARCHER), make_user(Role.MANAGER)
    committee, named_director = make_user(Role.INVESTIGATION), make_user(Role.DIRECTOR)
    chair = make_user(Role.BOARD_CHAIR)
    complaint, _ = file(profile)
    services.assign(complaint=complaint, by=director, to=assignee)
    visible = lambda user: set(Complaint.objects.visible_to(user))  # noqa: E731
    assert visible(director) == {complaint} and visible(named_director) == {complaint} and visible(chair) == set()
    services.name_staff(complaint=complaint, by=director, staff=[named_director])
    assert visible(assignee) == {complaint} and visible(chair) == {complaint}
    assert visible(manager) == set() and visible(committee) == set()
    assert visible(named_director) == set()  # the subject never sees it, whatever their role
    assert visible(director) == set()  # against an executive director: the board chairman takes it
    with pytest.raises(ValidationError):
        services.assign(complaint=complaint, by=director, to=named_director)
    services.name_staff(complaint=complaint, by=director, staff=[named_director, assignee])
    complaint.refresh_from_db()
    assert complaint.assigned_to is None and visible(assignee) == set()


@pytest.mark.rule("CP-10")
def test_cp10_malicious_complaint_is_referred_and_the_committee_sees_it(profile, make_user):
    director, committee = make_user(Role.DIRECTOR), make_user(Role.INVESTIGATION)
    complaint, _ = file(profile)
    with pytest.raises(ValidationError):
        services.refer_malicious(complaint=complaint, by=director, reasons="كيدية", now=NOW)  # not ruled yet
    services.rule(complaint=complaint, by=director, ruling=Ruling.REJECTED, text="ادعاءات غير صحيحة",
                  now=NOW, today=TODAY)
    referral = services.refer_malicious(complaint=complaint, by=director, reasons="ثبت أنها كيدية", now=NOW)
    complaint.refresh_from_db()
    assert complaint.malicious and set(Complaint.objects.visible_to(committee)) == {complaint}
    services.record_investigation_outcome(referral=referral, by=committee, outcome="إنذار كتابي", now=NOW)
    assert InvestigationReferral.objects.get().outcome == "إنذار كتابي"


@pytest.mark.rule("CP-7")
def test_cp7_reminders_at_5_and_2_working_days_escalation_once_idempotent(profile, make_user):
    director = make_user(Role.DIRECTOR, email="director@example.org", phone="+966500000001")
    admin = make_user(Role.ADMIN, email="admin@example.org")
    complaint, _ = file(profile)
    assert complaint.due_on == dt.date(2026, 6, 17)  # 15 working days after 21 May, Eid al-Adha not counted
    count = lambda: Notification.objects.filter(purpose="complaint-staff").count()  # noqa: E731
    assert services.send_deadline_reminders(today=dt.date(2026, 6, 7))["reminders"] == 0  # 8 working days left
    services.send_deadline_reminders(today=dt.date(2026, 6, 10))  # 5 left
    assert set(Notification.objects.filter(purpose="complaint-staff").values_list("channel", "recipient")) == {
        ("email", director.email), ("sms", director.phone)}
    services.send_deadline_reminders(today=dt.date(2026, 6, 10))
    services.send_deadline_reminders(today=dt.date(2026, 6, 11))  # 4 left: nothing new
    assert count() == 2
    services.send_deadline_reminders(today=dt.date(2026, 6, 15))  # 2 left
    assert count() == 4
    assert services.send_deadline_reminders(today=dt.date(2026, 6, 17))["escalations"] == 0  # the last day
    first = services.send_deadline_reminders(today=dt.date(2026, 6, 18))  # overdue from the day after
    second = services.send_deadline_reminders(today=dt.date(2026, 6, 19))
    assert first["escalations"] == 1 and second["escalations"] == 0
    assert Notification.objects.filter(recipient=admin.email).count() == 1
    complaint.refresh_from_db()
    assert complaint.escalated_on == dt.date(2026, 6, 18)


def test_reminders_skip_a_director_named_in_the_complaint(profile, make_user):
    director = make_user(Role.DIRECTOR, email="named@example.org")
    other = make_user(Role.DIRECTOR, email="other@example.org")
    complaint, _ = file(profile)
    chair = make_user(Role.BOARD_CHAIR, email="chair@example.org")
    services.name_staff(complaint=complaint, by=other, staff=[director])
    services.send_deadline_reminders(today=dt.date(2026, 6, 10))
    assert not Notification.objects.filter(recipient="named@example.org").exists()
    # CP-8: against an executive director, no director is reminded; the board chairman is.
    assert not Notification.objects.filter(recipient="other@example.org").exists()
    assert Notification.objects.filter(recipient=chair.email).exists()


def test_daily_digest_once_per_day(profile, make_user):
    make_user(Role.DIRECTOR, email="director@example.org")
    file(profile)
    assert services.send_daily_digest(today=TODAY) == 1
    assert services.send_daily_digest(today=TODAY) == 0
    assert services.send_daily_digest(today=TODAY + dt.timedelta(days=1)) == 1


def test_complaint_links_to_the_open_file_of_the_same_national_id(profile, make_user):
    beneficiary = make_active(make_user(Role.INTAKE))
    complaint, _ = file(profile, national_id=beneficiary.head_id_number)
    assert complaint.file == beneficiary


def test_too_many_attachments_and_disguised_files_are_refused(profile):
    with pytest.raises(ValidationError):
        file(profile, attachments=[pdf_upload() for _ in range(6)])
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        file(profile, attachments=[SimpleUploadedFile("x.pdf", b"<html></html>", content_type="application/pdf")])
    assert not Complaint.objects.exists()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_database_failure_before_the_commit_takes_the_attachment_files_with_it(profile, media, monkeypatch):
    """Rolled back for certain: the files written in the transaction are removed at once."""
    from django.db import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services.filing, "_queue_filing_messages", down)  # where file_complaint looks it up
    with pytest.raises(OperationalError):
        file(profile, attachments=[pdf_upload()])
    assert not Complaint.objects.exists() and _files(media) == []


@pytest.mark.django_db(transaction=True)
def test_a_failed_commit_leaves_the_files_to_the_orphan_sweep(profile, media, monkeypatch, caplog):
    """The COMMIT itself failed: it may have been applied (the connection dropped after), so
    the files stay; the orphan sweep removes them only once no row names them."""
    from django.db import OperationalError, connection

    from charity.orphans import remove_orphan_files

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "commit", lost)
    with pytest.raises(OperationalError):
        file(profile, attachments=[pdf_upload()])
    monkeypatch.undo()
    kept = _files(media)
    assert len(kept) == 1 and "left to the orphan sweep" in caplog.text
    assert not Complaint.objects.exists()  # here the commit really failed
    swept = remove_orphan_files(now=timezone.now(), grace=dt.timedelta(0))
    assert swept.removed == [kept[0].relative_to(media).as_posix()] and _files(media) == []


@pytest.mark.rule("CP-9")
def test_cp9_receipt_links_to_the_status_page_on_site_url(profile, settings):
    """CP-9: the receipt's SMS and e-mail carry the status page's link on SITE_URL (the website is
    one of the ways the complainant learns the result), whatever host served the form."""
    settings.SITE_URL = "https://example.org.sa"
    complaint, code = services.file_complaint(data=complaint_form_data(), attachments=(), profile=profile,
                                              now=timezone.now(), today=timezone.localdate())
    bodies = dict(Notification.objects.filter(purpose="complaint-receipt").values_list("channel", "body"))
    assert set(bodies) == {"sms", "email"}
    for body in bodies.values():
        assert "https://example.org.sa/complaints/status/" in body and complaint.tracking_number in body
        assert "127.0.0.1" not in body
