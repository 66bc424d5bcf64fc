"""Filing a complaint on the public link (CP-2, CP-3, CP-5) and the receipt shown once."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from beneficiaries.validators import NATIONAL_ID_CHECKSUM
from charity import calendar
from charity.models import Notification
from charity.uploads import UPLOAD_WRONG_TYPE
from complaints import errors, services
from complaints.models import Attachment, Complaint
from complaints.policy import Status
from complaints.views.public import RECEIPT_SESSION_KEY
from testdata import TODAY, complaint_form_data, pdf_upload, png_upload

from .helpers import RECEIVED_URL, field_errors, file_directly, files_on_disk, post_form

pytestmark = pytest.mark.django_db


@pytest.mark.rule("CP-3")
def test_valid_filing_saves_every_field_and_shows_the_receipt_once_cp3(profile, client, settings):
    """CP-3: every field saved with the attachment; PRG to the receipt, which shows the number
    and code once; the code never appears in a URL; SMS and email receipts are queued."""
    data = complaint_form_data(other_info="معلومة إضافية", phone="0501234567", incident_on=TODAY - dt.timedelta(days=5))
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


@pytest.mark.rule("CP-5")
def test_name_in_two_parts_is_refused_and_nothing_saved_cp5(profile, client, settings):
    """CP-5: a full name of at least three parts; nothing saved, not even the attachment."""
    response = post_form(client, complaint_form_data(complainant_name="فاطمة القحطاني"), files=[pdf_upload()])
    assert response.status_code == 200
    assert field_errors(response, "complainant_name") == [str(errors.NAME_NOT_CLEAR)]
    assert escape(str(errors.NAME_NOT_CLEAR)) in response.content.decode()
    assert Complaint.objects.count() == 0 and Attachment.objects.count() == 0 and files_on_disk(settings) == []
    assert Notification.objects.count() == 0


@pytest.mark.rule("CP-5")
def test_invalid_national_id_is_refused_cp5(profile, client, settings):
    """CP-5: a valid national ID (Luhn) is required."""
    response = post_form(client, complaint_form_data(national_id="1000000000"), files=[pdf_upload()])
    assert field_errors(response, "national_id") == [str(NATIONAL_ID_CHECKSUM)]
    assert Complaint.objects.count() == 0 and files_on_disk(settings) == []


@pytest.mark.rule("CP-5")
def test_no_means_of_contact_is_refused_cp5(profile, client, settings):
    """CP-5: at least one working means of contact."""
    response = post_form(client, complaint_form_data(phone="", email=""), files=[pdf_upload()])
    assert field_errors(response, "phone") == [str(errors.NO_CONTACT)]
    assert Complaint.objects.count() == 0 and files_on_disk(settings) == []


@pytest.mark.rule("CP-5")
def test_email_alone_is_a_means_of_contact_cp5(profile, client):
    """CP-5: an email address without a mobile number is enough."""
    assert post_form(client, complaint_form_data(phone="")).status_code == 302
    assert Complaint.objects.get().phone == ""


@pytest.mark.rule("CP-3", "CP-5")
def test_every_problem_shows_at_once_on_its_field_cp3_cp5(profile, client):
    """CP-3, CP-5: missing name parts, invalid ID, no contact and missing sections, all together."""
    data = complaint_form_data(complainant_name="فاطمة", national_id="123", phone="", email="", subject="", harm="",
                          remedy="")
    response = post_form(client, data)
    assert response.status_code == 200
    form_errors = response.context["form"].errors
    assert set(form_errors) >= {"complainant_name", "national_id", "phone", "subject", "harm", "remedy"}
    assert field_errors(response, "subject") == [str(errors.FIELD_REQUIRED)]
    assert Complaint.objects.count() == 0


@pytest.mark.rule("CP-2")
def test_late_filing_asks_for_the_excuse_then_waits_for_management_cp2(profile, client):
    """CP-2: more than 30 days after the incident the excuse is required; with it the complaint
    waits for management (status excuse_review) and no due date is set."""
    late = complaint_form_data(incident_on=(TODAY - dt.timedelta(days=31)).isoformat())
    response = post_form(client, late)
    assert response.status_code == 200
    assert field_errors(response, "excuse") == [str(errors.EXCUSE_REQUIRED % {"days": 30})]
    assert Complaint.objects.count() == 0
    response = post_form(client, {**late, "excuse": "كنت في المستشفى."})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.status == Status.EXCUSE_REVIEW and complaint.late and complaint.due_on is None
    assert 'data-testid="receipt-late"' in client.get(RECEIVED_URL).content.decode()


@pytest.mark.rule("CP-2")
def test_filing_exactly_on_the_window_is_not_late_cp2(profile, client):
    """CP-2: day 30 is still within the window."""
    post_form(client, complaint_form_data(incident_on=(TODAY - dt.timedelta(days=30)).isoformat()))
    assert Complaint.objects.get().status == Status.UNDER_REVIEW


def test_incident_in_the_future_is_refused(profile, client):
    response = post_form(client, complaint_form_data(incident_on=(TODAY + dt.timedelta(days=1)).isoformat()))
    assert field_errors(response, "incident_on") == [str(errors.DATES_IN_FUTURE)]
    assert Complaint.objects.count() == 0


@pytest.mark.rule("CP-3")
def test_six_attachments_are_refused_cp3(profile, client, settings):
    """CP-3 (9): at most 5 attachments; nothing saved."""
    response = post_form(client, complaint_form_data(), files=[pdf_upload(f"d{i}.pdf") for i in range(6)])
    assert field_errors(response, "attachments") == [str(errors.TOO_MANY_ATTACHMENTS % {"max": 5})]
    assert Complaint.objects.count() == 0 and files_on_disk(settings) == []


@pytest.mark.rule("CP-3")
def test_five_attachments_are_accepted_cp3(profile, client, settings):
    files = [pdf_upload(f"d{i}.pdf") for i in range(4)] + [png_upload()]
    assert post_form(client, complaint_form_data(), files=files).status_code == 302
    assert Attachment.objects.count() == 5 and len(files_on_disk(settings)) == 5


@pytest.mark.rule("CP-3")
def test_html_named_pdf_is_refused_with_the_upload_message_cp3(profile, client, settings):
    """CP-3 (9): the same upload rules as documents: the content decides, not the name."""
    fake = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = post_form(client, complaint_form_data(), files=[pdf_upload(), fake])
    assert field_errors(response, "attachments") == [str(UPLOAD_WRONG_TYPE)]
    assert Complaint.objects.count() == 0 and files_on_disk(settings) == []
