"""RULES.md «Sections per profile»: the complaint procedure (CP) is 000's; an association whose board
has not adopted it (Kafl: its text has none) refuses no complaint for lateness, and its pages show
the ruling period as its practice. The link itself stays open for every profile (DU-12, GO-3)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from charity.models import PolicyProfile
from charity.policy import Section
from charity.services import adopt_section, load_policy_profile
from complaints import errors
from complaints.models import Complaint
from complaints.policy import Status
from testdata import NOW, TODAY, complaint_form_data

from .helpers import FORM_URL, file_directly, post_form

pytestmark = pytest.mark.django_db

LATE = TODAY - dt.timedelta(days=60)  # twice the 30-day window of CP-2


@pytest.mark.rule("CP-2")
def test_cp2_a_late_complaint_is_refused_only_where_the_procedure_is_adopted(profile):
    """Both sides: the general profile asks for the excuse; Kafl, with nothing adopted, receives
    the same complaint and starts the ruling clock; once Kafl adopts the procedure, it asks too."""
    with pytest.raises(ValidationError) as refused:
        file_directly(incident_on=LATE)
    assert "excuse" in refused.value.message_dict

    kafl, _ = load_policy_profile("kafl")
    complaint, _code = file_directly(incident_on=LATE)
    assert (complaint.late, complaint.status) == (False, Status.UNDER_REVIEW)
    assert complaint.clock_started_on == TODAY and complaint.due_on is not None

    adopt_section(profile=kafl, section=Section.COMPLAINTS, decision_number="7", decided_on=dt.date(2026, 11, 1),
                  by=None, now=NOW, today=TODAY)
    with pytest.raises(ValidationError) as refused:
        file_directly(incident_on=LATE)
    assert refused.value.message_dict["excuse"] == [str(errors.EXCUSE_REQUIRED % {"days": 30})]


@pytest.mark.rule("DU-12", "GO-3")
def test_du12_the_link_stays_open_for_kafl_and_asks_no_excuse(profile, client):
    load_policy_profile("kafl")
    html = client.get(FORM_URL).content.decode()
    assert 'name="excuse"' not in html and "data-window-days" not in html
    assert 'data-testid="complaint-practice"' in html
    response = post_form(client, complaint_form_data(incident_on=LATE))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert not complaint.late and complaint.status == Status.UNDER_REVIEW


@pytest.mark.rule("RT-9")
def test_rt9_how_complaints_are_settled_shows_kafls_periods_as_practice(profile, client):
    url = reverse("complaints_public:how_settled")
    general = client.get(url).content.decode()
    assert 'data-testid="section-status-complaints" data-adopted="true"' in general and "24-45-8" in general
    kafl, _ = load_policy_profile("kafl")
    kafl.ruling_working_days = 12
    kafl.save()
    html = client.get(url).content.decode()
    assert 'data-testid="section-status-complaints" data-adopted="false"' in html
    periods = html[html.index('data-testid="complaint-periods"'):]
    periods = periods[:periods.index("</section>")]
    assert "ممارسة الجمعية" in periods and "<strong>12</strong>" in periods and "30" not in periods
    assert PolicyProfile.objects.active().code == "kafl"
