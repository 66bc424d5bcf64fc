"""The public complaint link (CP-1…CP-5, CP-9, RT-9, DU-12), the receipt, the status page and
the abuse controls (rate limits, honeypot, CSRF)."""

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from beneficiaries.forms.files import ACCEPTED_UPLOADS
from beneficiaries.tests.factories import NOW, TODAY, pdf_upload, png_upload, unique_national_id
from beneficiaries.validators import NATIONAL_ID_CHECKSUM
from charity import calendar
from charity.charter import charter
from charity.models import Notification
from charity.uploads import UPLOAD_WRONG_TYPE
from complaints import errors, services
from complaints.models import Attachment, Complaint, Notice
from complaints.policy import Kind, NoticeChannel, Ruling, Status, Topic
from complaints.views.public import RECEIPT_SESSION_KEY, rate_limit

pytestmark = pytest.mark.django_db

FORM_URL = "/complaints/"
RECEIVED_URL = "/complaints/received/"
STATUS_URL = "/complaints/status/"


@pytest.fixture(autouse=True)
def _pinned_time():
    with time_machine.travel(NOW, tick=False):
        yield


def files_on_disk(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def complaint_data(**overrides) -> dict:
    data = {
        "kind": Kind.COMPLAINT, "topic": Topic.SERVICE, "complainant_name": "فاطمة محمد القحطاني",
        "national_id": unique_national_id(), "phone": "0501234567", "email": "fatima@example.com",
        "subject": "تأخر صرف المساعدة", "facts": "تقدمت بطلب ثم تأخر الصرف شهرين.", "against": "قسم الصرف",
        "harm": "لم أتمكن من دفع الإيجار.", "reasons": "لم يبلغني أحد بسبب التأخير.",
        "steps_taken": "اتصلت بالجمعية مرتين.", "remedy": "صرف المساعدة المستحقة.", "other_info": "",
        "incident_on": (TODAY - dt.timedelta(days=5)).isoformat(), "excuse": "",
    }
    data.update(overrides)
    return data


def post_form(client, data, files=(), **extra):
    payload = dict(data)
    if files:
        payload["attachments"] = list(files)
    return client.post(FORM_URL, payload, **extra)


def field_errors(response, field) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def file_directly(**overrides):
    data = complaint_data(**overrides)
    data["incident_on"] = dt.date.fromisoformat(data["incident_on"])
    from charity.models import PolicyProfile

    return services.file_complaint(data=data, profile=PolicyProfile.objects.active(), now=NOW, today=TODAY)


# --- The form page --------------------------------------------------------------------------


def test_form_page_is_mobile_first_with_every_cp3_field_rt9(profile, client):
    """CP-3, RT-9: every field, phone-friendly inputs, CSRF, the links, no inline script or style."""
    response = client.get(FORM_URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("complainant_name", "national_id", "phone", "email", "subject", "facts", "against", "harm",
                 "reasons", "steps_taken", "remedy", "other_info", "incident_on", "excuse", "attachments", "kind",
                 "topic"):
        assert f'name="{name}"' in html, name
    assert re.search(r'name="national_id"[^>]*inputmode="numeric"|inputmode="numeric"[^>]*name="national_id"', html)
    assert re.search(r'<input type="tel"[^>]*name="phone"', html)
    assert re.search(r'<input type="email"[^>]*name="email"', html)
    assert f'accept="{ACCEPTED_UPLOADS}"' in html and "multiple" in html
    assert "csrfmiddlewaretoken" in html
    assert reverse("complaints_public:how_settled") in html and reverse("charter") in html
    assert reverse("complaints_public:status") in html
    assert "js/complaints.js" in html and "<script>" not in html and 'style="' not in html
    # The honeypot is hidden with a class, not an inline style.
    assert re.search(r'<div[^>]*class="d-none"[^>]*>\s*<div id="div_id_homepage"', html)


def test_form_page_offers_every_kind_and_topic_cp1(profile, client):
    """CP-1: a complaint or a grievance, about rights, service, staff, a partner or something else."""
    html = client.get(FORM_URL).content.decode()
    for value in [*Kind.values, *Topic.values]:
        assert f'value="{value}"' in html


@pytest.mark.parametrize(("kind", "topic"), [(Kind.GRIEVANCE, Topic.RIGHTS), (Kind.COMPLAINT, Topic.STAFF),
                                             (Kind.COMPLAINT, Topic.PARTNER), (Kind.GRIEVANCE, Topic.OTHER)])
def test_filing_records_the_kind_and_topic_cp1(profile, client, kind, topic):
    """CP-1: the kind and topic chosen are recorded."""
    response = post_form(client, complaint_data(kind=kind, topic=topic))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.kind, complaint.topic) == (kind, topic)


def test_excuse_field_is_visible_without_javascript_cp2(profile, client):
    """CP-2: without JavaScript the excuse field is there, optional, with help text naming the window."""
    html = client.get(FORM_URL).content.decode()
    block = re.search(r'<div[^>]*id="excuse-block"[^>]*>', html).group(0)
    assert "d-none" not in block
    assert 'data-window-days="30"' in html and f'data-today="{TODAY.isoformat()}"' in html
    assert "30" in re.search(r'id="id_excuse_helptext"[^>]*>(.*?)</div>', html, re.S).group(1)


# --- Filing and the receipt -----------------------------------------------------------------


def test_valid_filing_saves_every_field_and_shows_the_receipt_once_cp3(profile, client, settings):
    """CP-3: every field saved with the attachment; PRG to the receipt, which shows the number
    and code once; the code never appears in a URL; SMS and email receipts are queued."""
    data = complaint_data(other_info="معلومة إضافية")
    response = post_form(client, data, files=[pdf_upload("evidence.pdf")])
    assert response.status_code == 302 and response["Location"] == RECEIVED_URL
    complaint = Complaint.objects.get()
    for name in ("complainant_name", "national_id", "subject", "facts", "against", "harm", "reasons", "steps_taken",
                 "remedy", "other_info", "email"):
        assert getattr(complaint, name) == data[name], name
    assert complaint.phone == "+966501234567" and complaint.incident_on == TODAY - dt.timedelta(days=5)
    assert complaint.status == Status.UNDER_REVIEW and complaint.received_on == TODAY
    assert complaint.due_on == calendar.add_working_days(TODAY, profile.ruling_working_days)
    attachment = Attachment.objects.get(complaint=complaint)
    assert attachment.original_name == "evidence.pdf" and len(files_on_disk(settings)) == 1
    code = client.session[RECEIPT_SESSION_KEY]["code"]
    receipt = client.get(RECEIVED_URL)
    html = receipt.content.decode()
    assert complaint.tracking_number in html and code in html
    assert services.find_for_complainant(complaint.tracking_number, code) == complaint
    assert RECEIPT_SESSION_KEY not in client.session
    again = client.get(RECEIVED_URL).content.decode()
    assert code not in again and complaint.tracking_number not in again and 'data-testid="receipt-gone"' in again
    purposes = set(Notification.objects.values_list("purpose", "channel"))
    assert purposes == {("complaint-receipt", "sms"), ("complaint-receipt", "email")}


def test_receipt_is_never_looked_up_from_the_url(profile, client):
    """The receipt takes nothing from the query string: a number and code in the URL show nothing."""
    complaint, code = file_directly()
    html = client.get(RECEIVED_URL, {"number": complaint.tracking_number, "code": code}).content.decode()
    main = html[html.index("<main"):html.index("</main>")]
    assert 'data-testid="receipt-gone"' in main and 'data-testid="receipt"' not in main
    assert complaint.tracking_number not in main and services.format_code(code) not in main


def test_name_in_two_parts_is_refused_and_nothing_saved_cp5(profile, client, settings):
    """CP-5: a full name of at least three parts; nothing saved, not even the attachment."""
    response = post_form(client, complaint_data(complainant_name="فاطمة القحطاني"), files=[pdf_upload()])
    assert response.status_code == 200
    assert field_errors(response, "complainant_name") == [str(errors.NAME_NOT_CLEAR)]
    assert escape(str(errors.NAME_NOT_CLEAR)) in response.content.decode()
    assert Complaint.objects.count() == 0 and Attachment.objects.count() == 0 and files_on_disk(settings) == []
    assert Notification.objects.count() == 0


def test_invalid_national_id_is_refused_cp5(profile, client, settings):
    """CP-5: a valid national ID (Luhn) is required."""
    response = post_form(client, complaint_data(national_id="1000000000"), files=[pdf_upload()])
    assert field_errors(response, "national_id") == [str(NATIONAL_ID_CHECKSUM)]
    assert Complaint.objects.count() == 0 and files_on_disk(settings) == []


def test_no_means_of_contact_is_refused_cp5(profile, client, settings):
    """CP-5: at least one working means of contact."""
    response = post_form(client, complaint_data(phone="", email=""), files=[pdf_upload()])
    assert field_errors(response, "phone") == [str(errors.NO_CONTACT)]
    assert Complaint.objects.count() == 0 and files_on_disk(settings) == []


def test_email_alone_is_a_means_of_contact_cp5(profile, client):
    """CP-5: an email address without a mobile number is enough."""
    assert post_form(client, complaint_data(phone="")).status_code == 302
    assert Complaint.objects.get().phone == ""


def test_every_problem_shows_at_once_on_its_field_cp3_cp5(profile, client):
    """CP-3, CP-5: missing name parts, invalid ID, no contact and missing sections, all together."""
    data = complaint_data(complainant_name="فاطمة", national_id="123", phone="", email="", subject="", harm="",
                          remedy="")
    response = post_form(client, data)
    assert response.status_code == 200
    form_errors = response.context["form"].errors
    assert set(form_errors) >= {"complainant_name", "national_id", "phone", "subject", "harm", "remedy"}
    assert field_errors(response, "subject") == [str(errors.FIELD_REQUIRED)]
    assert Complaint.objects.count() == 0


def test_late_filing_asks_for_the_excuse_then_waits_for_management_cp2(profile, client):
    """CP-2: more than 30 days after the incident the excuse is required; with it the complaint
    waits for management (status excuse_review) and no due date is set."""
    late = complaint_data(incident_on=(TODAY - dt.timedelta(days=31)).isoformat())
    response = post_form(client, late)
    assert response.status_code == 200
    assert field_errors(response, "excuse") == [str(errors.EXCUSE_REQUIRED % {"days": 30})]
    assert Complaint.objects.count() == 0
    response = post_form(client, {**late, "excuse": "كنت في المستشفى."})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.status == Status.EXCUSE_REVIEW and complaint.late and complaint.due_on is None
    assert 'data-testid="receipt-late"' in client.get(RECEIVED_URL).content.decode()


def test_filing_exactly_on_the_window_is_not_late_cp2(profile, client):
    """CP-2: day 30 is still within the window."""
    post_form(client, complaint_data(incident_on=(TODAY - dt.timedelta(days=30)).isoformat()))
    assert Complaint.objects.get().status == Status.UNDER_REVIEW


def test_incident_in_the_future_is_refused(profile, client):
    response = post_form(client, complaint_data(incident_on=(TODAY + dt.timedelta(days=1)).isoformat()))
    assert field_errors(response, "incident_on") == [str(errors.DATES_IN_FUTURE)]
    assert Complaint.objects.count() == 0


def test_six_attachments_are_refused_cp3(profile, client, settings):
    """CP-3 (9): at most 5 attachments; nothing saved."""
    response = post_form(client, complaint_data(), files=[pdf_upload(f"d{i}.pdf") for i in range(6)])
    assert field_errors(response, "attachments") == [str(errors.TOO_MANY_ATTACHMENTS % {"max": 5})]
    assert Complaint.objects.count() == 0 and files_on_disk(settings) == []


def test_five_attachments_are_accepted_cp3(profile, client, settings):
    files = [pdf_upload(f"d{i}.pdf") for i in range(4)] + [png_upload()]
    assert post_form(client, complaint_data(), files=files).status_code == 302
    assert Attachment.objects.count() == 5 and len(files_on_disk(settings)) == 5


def test_html_named_pdf_is_refused_with_the_upload_message_cp3(profile, client, settings):
    """CP-3 (9): the same upload rules as documents: the content decides, not the name."""
    fake = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = post_form(client, complaint_data(), files=[pdf_upload(), fake])
    assert field_errors(response, "attachments") == [str(UPLOAD_WRONG_TYPE)]
    assert Complaint.objects.count() == 0 and files_on_disk(settings) == []


# --- Abuse ----------------------------------------------------------------------------------


def rate_limited_prefix() -> str:
    with translation.override("ar"):
        return escape(str(errors.RATE_LIMITED).split("%(when)s")[0])


def test_rate_limit_per_address_blocks_the_sixth_post_with_429(profile, client):
    """Every POST from one address counts (5 an hour); the sixth gets 429, the Arabic message
    with the Riyadh clock time and the minutes to wait, and saves nothing."""
    assert rate_limit("IP") == (5, 3600)
    for _ in range(4):
        post_form(client, complaint_data(complainant_name="x"))
    assert post_form(client, complaint_data()).status_code == 302
    response = post_form(client, complaint_data())
    assert response.status_code == 429
    html = response.content.decode()
    assert rate_limited_prefix() in html and 'data-testid="rate-limited"' in html
    retry = timezone.localtime(NOW + dt.timedelta(hours=1)).strftime("%H:%M")
    with translation.override("ar"):  # the whole sentence: the clock time and the minutes to wait
        when = translation.ngettext("%(time)s (in %(minutes)s minute)", "%(time)s (in %(minutes)s minutes)", 60) % {
            "time": "11:00", "minutes": 60}
        expected = escape(str(errors.RATE_LIMITED) % {"when": when})
    assert retry == "11:00" and expected in html and "60" in when
    assert Complaint.objects.count() == 1
    assert client.post(FORM_URL, {}, REMOTE_ADDR="10.0.0.9").status_code == 200  # another address


def test_rate_limit_per_national_id_counts_only_accepted_submissions(profile, client, settings):
    """Three accepted complaints a day per national ID; refused attempts do not count."""
    settings.COMPLAINT_RATE_LIMIT_PER_IP = 100
    national_id = unique_national_id()
    for _ in range(2):
        assert post_form(client, complaint_data(national_id=national_id, phone="", email="")).status_code == 200
    for _ in range(3):
        assert post_form(client, complaint_data(national_id=national_id)).status_code == 302
    response = post_form(client, complaint_data(national_id=national_id))
    assert response.status_code == 429 and rate_limited_prefix() in response.content.decode()
    assert Complaint.objects.count() == 3
    assert post_form(client, complaint_data()).status_code == 302  # another national ID


def test_rate_limits_are_overridable_by_settings(profile, client, settings):
    """settings.COMPLAINT_RATE_LIMIT_PER_IP (a count or a (count, seconds) pair) raises or lowers the limit."""
    settings.COMPLAINT_RATE_LIMIT_PER_IP = (1, 120)
    settings.COMPLAINT_RATE_LIMIT_PER_NATIONAL_ID = 500
    assert rate_limit("IP") == (1, 120) and rate_limit("NATIONAL_ID") == (500, 24 * 3600)
    assert post_form(client, complaint_data()).status_code == 302
    response = post_form(client, complaint_data())
    assert response.status_code == 429 and "10:02" in response.content.decode()


def test_the_rate_limit_window_ends(profile, client):
    for _ in range(5):
        post_form(client, complaint_data(complainant_name="x"))
    assert post_form(client, complaint_data()).status_code == 429
    with time_machine.travel(NOW + dt.timedelta(hours=1, seconds=1), tick=False):
        assert post_form(client, complaint_data()).status_code == 302


def test_rate_limit_fails_open_when_the_cache_is_down(profile, client, monkeypatch):
    """With Redis down the link keeps working (CP-4): the limits are skipped, the complaint filed."""
    from charity import ratelimit

    class DownCache:
        def __getattr__(self, name):
            def down(*args, **kwargs):
                raise ConnectionError("the cache is down")

            return down

    monkeypatch.setattr(ratelimit, "cache", DownCache())
    for _ in range(7):
        assert post_form(client, complaint_data()).status_code == 302
    assert Complaint.objects.count() == 7


def test_honeypot_filled_saves_nothing(profile, client, settings):
    """A bot that fills the hidden field gets a plain receipt-like page; nothing is saved or sent."""
    response = post_form(client, complaint_data(homepage="http://spam.example"), files=[pdf_upload()])
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="receipt"' not in html and 'name="complainant_name"' not in html
    assert Complaint.objects.count() == 0 and Notification.objects.count() == 0 and files_on_disk(settings) == []


def test_post_without_csrf_token_is_refused(profile):
    """Django's CSRF protection guards the public form."""
    client = Client(enforce_csrf_checks=True)
    assert client.post(FORM_URL, complaint_data()).status_code == 403
    assert Complaint.objects.count() == 0


# --- The status page ------------------------------------------------------------------------


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_status_page_get_never_looks_anything_up(profile, client, monkeypatch):
    """No national ID or code in any URL: a GET with query parameters shows only the empty form."""
    complaint, code = file_directly()
    monkeypatch.setattr(services, "find_for_complainant", lambda *a: pytest.fail("looked up on GET"))
    response = client.get(STATUS_URL, {"tracking_number": complaint.tracking_number, "code": code})
    assert response.status_code == 200
    html = response.content.decode()
    assert complaint.subject not in html and 'data-testid="complaint-status"' not in html
    assert 'method="post"' in html


def test_status_wrong_code_and_unknown_number_get_identical_answers(profile, client):
    """A wrong code and an unknown number: same template, same message, same status code."""
    complaint, _code = file_directly()
    wrong_code = client.post(STATUS_URL, {"tracking_number": complaint.tracking_number, "code": "AAAAA-BBBBB"})
    unknown = client.post(STATUS_URL, {"tracking_number": "1400-999999", "code": "AAAAA-BBBBB"})
    empty = client.post(STATUS_URL, {})
    assert wrong_code.status_code == unknown.status_code == empty.status_code == 200
    assert [t.name for t in wrong_code.templates] == [t.name for t in unknown.templates]
    assert escape(str(errors.NOT_FOUND)) in wrong_code.content.decode()
    assert without_csrf(wrong_code.content.decode()) == without_csrf(unknown.content.decode())
    assert without_csrf(empty.content.decode()) == without_csrf(unknown.content.decode())
    assert complaint.tracking_number not in wrong_code.content.decode()


def test_status_page_shows_status_and_due_date(profile, client):
    """The complainant sees the status, the received date and the due date (both calendars)."""
    complaint, code = file_directly()
    response = client.post(STATUS_URL, {"tracking_number": complaint.tracking_number,
                                        "code": services.format_code(code).lower()})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="complaint-status"' in html
    with translation.override("ar"):
        assert str(Status.UNDER_REVIEW.label) in html
        assert calendar.format_dual(complaint.due_on) in html and calendar.format_dual(TODAY) in html
    assert 'data-testid="status-ruling"' not in html
    assert not Notice.objects.filter(channel=NoticeChannel.WEBSITE).exists()


def test_status_page_accepts_arabic_indic_digits(profile, client):
    """A phone with an Arabic keyboard types ١٤٤٨-٠٠٠٠٠١: the same complaint is found."""
    complaint, code = file_directly()
    arabic = complaint.tracking_number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    html = client.post(STATUS_URL, {"tracking_number": arabic, "code": code}).content.decode()
    assert 'data-testid="complaint-status"' in html


def test_status_page_after_ruling_shows_it_and_records_a_website_notice_cp9(profile, client, make_user):
    """CP-9: after the ruling the status page shows it and its text, and the view is recorded
    once as a website notice (the complaint becomes «notified»)."""
    from charity.roles import Role

    director = make_user(Role.DIRECTOR)
    complaint, code = file_directly()
    services.rule(complaint=complaint, by=director, ruling=Ruling.UPHELD, text="تصرف المساعدة خلال أسبوع.",
                  now=NOW, today=TODAY)
    for _ in range(2):
        html = client.post(STATUS_URL, {"tracking_number": complaint.tracking_number, "code": code}).content.decode()
        assert "تصرف المساعدة خلال أسبوع." in html and 'data-testid="status-ruling"' in html
    notice = Notice.objects.get(complaint=complaint, channel=NoticeChannel.WEBSITE)
    assert notice.success and notice.at == NOW
    complaint.refresh_from_db()
    assert complaint.status == Status.NOTIFIED


def test_status_page_shows_a_refused_excuse_cp2(profile, client, make_user):
    from charity.roles import Role

    director = make_user(Role.DIRECTOR)
    complaint, code = file_directly(incident_on=(TODAY - dt.timedelta(days=60)).isoformat(), excuse="سفر")
    services.decide_excuse(complaint=complaint, by=director, accept=False, reason="لا يوجد ما يثبت السفر.",
                           now=NOW, today=TODAY, profile=profile)
    html = client.post(STATUS_URL, {"tracking_number": complaint.tracking_number, "code": code}).content.decode()
    assert "لا يوجد ما يثبت السفر." in html


# --- RT-9 -----------------------------------------------------------------------------------


def test_how_complaints_are_settled_shows_the_charter_and_the_profile_periods_rt9(profile, client):
    """RT-9: the charter's complaints section in Arabic with the active profile's periods,
    linked to the rights-and-duties charter, the form and the status page."""
    profile.complaint_window_days, profile.ruling_working_days = 45, 12
    profile.save()
    html = client.get(reverse("complaints_public:how_settled")).content.decode()
    with translation.override("ar"):
        for item in charter("ar")["complaints"]:
            assert escape(item["text"].split("\n")[0]) in html
    assert "<strong>45</strong>" in html and "<strong>12</strong>" in html
    assert f'href="{reverse("charter")}"' in html and f'href="{FORM_URL}"' in html and f'href="{STATUS_URL}"' in html
    status_html = client.get(STATUS_URL).content.decode()
    assert reverse("complaints_public:how_settled") in status_html and reverse("charter") in status_html
