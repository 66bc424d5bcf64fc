"""What the complainant reads (CP-2, CP-4, CP-7, CP-9): each outbox row, through the catalog."""

import datetime as dt

import pytest

from charity import calendar
from charity.models import MessageWording, Notification
from charity.roles import Role
from complaints import services
from complaints.policy import Ruling
from testdata import NOW, TODAY, file_complaint

SITE = "https://jamiya.example"
FRIDAY = dt.date(2026, 11, 27)
SUNDAY = dt.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _rows(complaint, purpose):
    return {row.channel: row for row in Notification.objects.filter(object_id=str(complaint.pk), purpose=purpose)}


@pytest.mark.rule("CP-7")
def test_filing_on_a_friday_explains_that_the_clock_starts_on_sunday(profile):
    complaint = file_complaint(today=FRIDAY)
    rows = _rows(complaint, "complaint-off-day")
    assert set(rows) == {"sms", "email"}
    body = rows["sms"].body
    assert calendar.format_dual(SUNDAY, "ar") in body and calendar.format_dual(FRIDAY, "ar") in body
    assert calendar.format_dual(complaint.due_on, "ar") in body and "ليس يوم عمل" in body
    assert complaint.due_on == calendar.add_working_days(FRIDAY, 15)
    assert f"{SITE}/complaints/status/" in body and "15 يوم عمل" in body


@pytest.mark.rule("CP-7")
def test_filing_on_a_holiday_names_the_next_working_day(profile):
    from charity.models import CalendarException

    CalendarException.objects.create(date=TODAY, kind=CalendarException.Kind.HOLIDAY, name="إجازة رسمية")
    complaint = file_complaint(today=TODAY)
    body = _rows(complaint, "complaint-off-day")["sms"].body
    assert calendar.format_dual(TODAY + dt.timedelta(days=1), "ar") in body


@pytest.mark.rule("CP-7")
def test_filing_on_a_working_day_sends_the_receipt_only(profile):
    complaint = file_complaint(today=TODAY)
    assert not _rows(complaint, "complaint-off-day")
    receipt = _rows(complaint, "complaint-receipt")["sms"]
    assert complaint.tracking_number in receipt.body and f"{SITE}/complaints/status/" in receipt.body


@pytest.mark.rule("CP-2")
def test_an_accepted_excuse_is_told_with_the_reason_and_the_ruling_date(profile, make_user):
    late = file_complaint(incident_on=TODAY - dt.timedelta(days=40), excuse="كنت في المستشفى")
    services.decide_excuse(complaint=late, by=make_user(Role.DIRECTOR), accept=True, reason="تقرير طبي معتمد",
                           now=NOW, today=TODAY, profile=profile)
    late.refresh_from_db()
    rows = _rows(late, "complaint-excuse-accepted")
    assert set(rows) == {"sms", "email"}
    body = rows["sms"].body
    assert "قُبل عذر" in body and "تقرير طبي معتمد" in body and late.tracking_number in body
    assert calendar.format_dual(late.due_on, "ar") in body and f"{SITE}/complaints/status/" in body
    assert late.notices.filter(notification=rows["sms"]).exists()


@pytest.mark.rule("CP-2")
def test_a_refused_excuse_is_told_with_the_reason_and_the_link(profile, make_user):
    late = file_complaint(incident_on=TODAY - dt.timedelta(days=90), excuse="نسيت")
    services.decide_excuse(complaint=late, by=make_user(Role.DIRECTOR), accept=False, reason="لا يعد عذرًا مشروعًا",
                           now=NOW, today=TODAY, profile=profile)
    body = _rows(late, "complaint-excuse-refused")["sms"].body
    assert "لم يُقبل العذر" in body and "لا يعد عذرًا مشروعًا" in body and f"{SITE}/complaints/status/" in body


@pytest.mark.rule("CP-9")
def test_the_ruling_reaches_the_complainant_with_its_text_and_the_link(profile, make_user):
    complaint = file_complaint()
    director = make_user(Role.DIRECTOR)
    services.rule(complaint=complaint, by=director, ruling=Ruling.PARTLY_UPHELD, text="تصرف المساعدة خلال أسبوع",
                  now=NOW, today=TODAY)
    services.notify_result(complaint=complaint, by=director, now=NOW)
    body = _rows(complaint, "complaint-result")["sms"].body
    from django.utils import translation

    with translation.override("ar"):
        assert str(Ruling.PARTLY_UPHELD.label) in body
    assert "تصرف المساعدة خلال أسبوع" in body and complaint.tracking_number in body
    assert f"{SITE}/complaints/status/" in body


def test_the_admins_wording_for_the_profile_changes_the_ruling_message(profile, make_user):
    MessageWording.objects.create(profile=profile, purpose="complaint-result",
                                  text="جمعيتنا بتّت في شكواكم {tracking_number}: {ruling} — {reasons} {status_link}")
    complaint = file_complaint()
    director = make_user(Role.DIRECTOR)
    services.rule(complaint=complaint, by=director, ruling=Ruling.UPHELD, text="ثبت التقصير", now=NOW, today=TODAY)
    services.notify_result(complaint=complaint, by=director, now=NOW)
    body = _rows(complaint, "complaint-result")["sms"].body
    assert body.startswith("جمعيتنا بتّت في شكواكم") and "ثبت التقصير" in body and SITE in body
