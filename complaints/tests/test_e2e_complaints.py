"""A complaint from a phone to its ruling, in Debian's Chromium (CP-3, CP-5, CP-7, CP-9, RT-9).

The beneficiary files from a phone-size viewport without logging in, sees the tracking number
and the code once, follows the status; the executive director signs in through the login form,
rules and sends the result; the status page then shows the ruling, and the SMS/email
notification is recorded with its delivery attempt."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from charity import calendar
from charity.models import DeliveryAttempt, Notification
from charity.roles import Role
from complaints.models import Complaint
from complaints.policy import Status
from conftest import wait_for
from testdata import complaint_form_data, pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
RULING_TEXT = "ثبت التأخير، وتصرف المساعدة خلال أسبوع مع الاعتذار."


def fill_complaint(page, pdf_path) -> None:
    today = calendar.today()
    data = complaint_form_data()
    for name in ("complainant_name", "national_id", "phone", "email", "subject", "facts", "against", "harm", "reasons",
                 "remedy"):
        page.fill(f"#id_{name}", data[name])
    page.select_option("#id_topic", data["topic"])
    # CP-2: the excuse appears only for a date beyond the window (static/js/complaints.js).
    excuse = page.locator("#excuse-block")
    expect(excuse).to_be_hidden()
    page.fill("#id_incident_on", (today - dt.timedelta(days=45)).isoformat())
    expect(excuse).to_be_visible()
    page.fill("#id_incident_on", (today - dt.timedelta(days=3)).isoformat())
    expect(excuse).to_be_hidden()
    page.set_input_files("#id_attachments", str(pdf_path))


def check_status(page, base_url, number, code):
    """Ask for the complaint's status; return once the answer shows (the form page has none)."""
    page.goto(f"{base_url}/complaints/status/")
    page.fill("#id_tracking_number", number)
    page.fill("#id_code", code)
    page.locator('[data-testid="status-form"] [type=submit]').click()
    status = page.locator('[data-testid="complaint-status"]')
    expect(status).to_be_visible()
    return status


@pytest.mark.rule("CP-3", "CP-9")
def test_complaint_from_a_phone_to_the_ruling_cp3_cp7_cp9(live_server, page, browser, make_user, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_policy_profile", "general")
    make_user(Role.DIRECTOR, username="director", email="director@charity.example")
    pdf_path = tmp_path / "evidence.pdf"
    pdf_path.write_bytes(pdf_bytes("e2e evidence"))

    phone_context = browser.new_context(**PHONE)
    phone = phone_context.new_page()
    phone.goto(f"{live_server.url}/complaints/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    expect(phone.locator("#id_homepage")).to_be_hidden()
    assert phone.get_attribute("#id_national_id", "inputmode") == "numeric"
    assert phone.get_attribute("#id_phone", "type") == "tel"
    box = phone.locator("#id_subject").bounding_box()
    assert box["width"] > 300  # one column, full width
    fill_complaint(phone, pdf_path)
    phone.locator('[data-testid="complaint-form"] [type=submit]').click()
    phone.wait_for_url(f"{live_server.url}/complaints/received/")
    number = phone.locator('[data-testid="tracking-number"]').inner_text().strip()
    code = phone.locator('[data-testid="secret-code"]').inner_text().strip()
    assert number and len(code.replace("-", "")) == 26 and code not in phone.url
    complaint = Complaint.objects.get(tracking_number=number)
    assert complaint.attachments.count() == 1 and complaint.status == Status.UNDER_REVIEW

    status = check_status(phone, live_server.url, number, code)
    expect(status).to_contain_text(number)
    expect(phone.locator('[data-testid="status-ruling"]')).to_have_count(0)

    # The executive director, in another browser context, signs in through the login form.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "director")
    page.fill("#id_password", "correct-horse-battery")
    page.get_by_role("button", name="تسجيل الدخول").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/staff/complaints/")
    page.locator('[data-testid="complaint-row"] a', has_text=number).click()
    page.wait_for_url(f"{live_server.url}/staff/complaints/{complaint.pk}/")
    rule_form = page.locator('[data-testid="form-rule"]')
    rule_form.locator("[name=ruling]").select_option("upheld")
    rule_form.locator("[name=text]").fill(RULING_TEXT)
    rule_form.locator("[type=submit]").click()
    notify = page.locator('[data-testid="form-notify"]')  # offered once the complaint is ruled
    expect(notify).to_be_visible()
    notify.locator("[type=submit]").click()
    with translation.override("ar"):
        notified = str(Status.NOTIFIED.label)
    expect(page.locator('[data-testid="complaint-status"]').first).to_have_text(notified)
    expect(page.locator('[data-testid="delivery-attempts"]').first).to_be_visible()

    check_status(phone, live_server.url, number, code)
    expect(phone.locator('[data-testid="status-ruling-text"]')).to_contain_text(RULING_TEXT)
    complaint.refresh_from_db()
    assert complaint.status == Status.NOTIFIED and complaint.ruling == "upheld"
    results = Notification.objects.filter(purpose="complaint-result", object_id=str(complaint.pk))
    assert {n.channel for n in results} == {"sms", "email"}
    assert wait_for(lambda: all(DeliveryAttempt.objects.filter(notification=n, success=True).exists()
                                for n in results))  # up to 90 s: CI can be slow
    phone_context.close()
