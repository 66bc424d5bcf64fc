"""The public complaint form page (CP-1, CP-2, CP-3, RT-9) and the page telling how
complaints are settled (RT-9)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from beneficiaries.forms.files import ACCEPTED_UPLOADS
from charity.charter import charter
from complaints.models import Complaint
from complaints.policy import Kind, Topic
from testdata import TODAY, complaint_form_data

from .helpers import FORM_URL, STATUS_URL, post_form

pytestmark = pytest.mark.django_db


@pytest.mark.rule("CP-3", "RT-9")
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


@pytest.mark.rule("CP-1")
def test_form_page_offers_every_kind_and_topic_cp1(profile, client):
    """CP-1: a complaint or a grievance, about rights, service, staff, a partner or something else."""
    html = client.get(FORM_URL).content.decode()
    for value in [*Kind.values, *Topic.values]:
        assert f'value="{value}"' in html


@pytest.mark.rule("CP-1", "DU-12")
@pytest.mark.parametrize(("kind", "topic"), [(Kind.GRIEVANCE, Topic.RIGHTS), (Kind.COMPLAINT, Topic.STAFF),
                                             (Kind.COMPLAINT, Topic.PARTNER), (Kind.GRIEVANCE, Topic.OTHER)])
def test_filing_records_the_kind_and_topic_cp1(profile, client, kind, topic):
    """CP-1: the kind and topic chosen are recorded."""
    response = post_form(client, complaint_form_data(kind=kind, topic=topic))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.kind, complaint.topic) == (kind, topic)


@pytest.mark.rule("CP-2")
def test_excuse_field_is_visible_without_javascript_cp2(profile, client):
    """CP-2: without JavaScript the excuse field is there, optional, with help text naming the window."""
    html = client.get(FORM_URL).content.decode()
    block = re.search(r'<div[^>]*id="excuse-block"[^>]*>', html).group(0)
    assert "d-none" not in block
    assert 'data-window-days="30"' in html and f'data-today="{TODAY.isoformat()}"' in html
    assert "30" in re.search(r'id="id_excuse_helptext"[^>]*>(.*?)</div>', html, re.S).group(1)


# --- RT-9 -----------------------------------------------------------------------------------


@pytest.mark.rule("RT-9")
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
