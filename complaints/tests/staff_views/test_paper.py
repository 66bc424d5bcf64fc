"""CP-4: complaints received on paper, entered by staff; a refused one stores nothing."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine

from charity import calendar
from complaints import errors
from complaints.models import Complaint
from complaints.policy import Source
from complaints.views.staff import PAPER_SESSION_KEY
from testdata import NOW, TODAY, complaint_form_data, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.mark.rule("CP-4")
def test_paper_entry_records_source_received_day_and_shows_the_code_once_cp4(profile, director, client):
    """CP-4: staff enter a paper complaint with the day it was received; the number and the
    code are handed to the complainant (shown once)."""
    client.force_login(director)
    received = TODAY - dt.timedelta(days=2)
    form = complaint_form_data(incident_on=TODAY - dt.timedelta(days=10), received_on=received,
                               attachments=[pdf_upload("scan.pdf")])
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


@pytest.mark.rule("CP-4")
def test_paper_entry_needs_the_permission_cp4(profile, manager, client):
    client.force_login(manager)
    assert client.get("/staff/complaints/paper/").status_code == 403


@pytest.mark.rule("CP-4")
def test_paper_entry_refuses_a_future_received_day_and_saves_nothing_cp4(profile, director, client):
    client.force_login(director)
    form = complaint_form_data(incident_on=TODAY, received_on=TODAY + dt.timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        response = client.post("/staff/complaints/paper/", form)
    assert response.status_code == 200
    assert [str(e) for e in response.context["form"].errors["received_on"]] == [str(errors.DATES_IN_FUTURE)]
    assert Complaint.objects.count() == 0


def test_nothing_is_stored_under_media_for_a_refused_paper_complaint(profile, director, client, settings):
    client.force_login(director)
    form = complaint_form_data(complainant_name="اسم", incident_on=TODAY, received_on=TODAY,
                               attachments=[pdf_upload()])
    with time_machine.travel(NOW, tick=False):
        assert client.post("/staff/complaints/paper/", form).status_code == 200
    root = Path(settings.MEDIA_ROOT)
    assert Complaint.objects.count() == 0 and not (root.exists() and any(p.is_file() for p in root.rglob("*")))
