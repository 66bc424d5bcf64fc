"""CP-8: a complaint against the executive director, through the staff pages: the board
chairman (the profile's default) takes it; the director gets 404 and never sees it listed."""

import pytest
from django.utils.html import escape

from charity.roles import Role
from complaints import services
from complaints.policy import Status

from .helpers import LIST_URL, action, detail_url, file_one, page_of


@pytest.mark.rule("CP-8", "CP-6")
def test_the_board_chairman_takes_a_complaint_against_the_director(profile, director, make_user, client):
    chair = make_user(Role.BOARD_CHAIR, username="chair")
    complaint = file_one()
    services.name_staff(complaint=complaint, by=make_user(Role.DIRECTOR, username="deputy"), staff=[director])
    client.force_login(director)
    assert client.get(detail_url(complaint)).status_code == 404
    assert complaint.tracking_number not in client.get(LIST_URL).content.decode()
    assert action(client, complaint, "rule", ruling="upheld", text="x").status_code == 404
    client.force_login(chair)
    assert client.get(LIST_URL).status_code == 200
    assert complaint.tracking_number in client.get(LIST_URL).content.decode()
    html = page_of(client, complaint)
    assert 'data-testid="form-rule"' in html and escape(str(director)) in html
    assert action(client, complaint, "rule", ruling="upheld", text="ثبتت الشكوى.").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.RULED and complaint.ruled_by == chair


@pytest.mark.rule("CP-8")
def test_the_board_chairman_does_not_take_other_complaints(profile, director, make_user, client):
    chair = make_user(Role.BOARD_CHAIR, username="chair")
    complaint = file_one()
    client.force_login(chair)
    assert client.get(detail_url(complaint)).status_code == 404
    assert action(client, complaint, "rule", ruling="upheld", text="x").status_code == 404


@pytest.mark.rule("CP-8", "CP-6")
def test_the_complainant_can_say_on_the_public_form_that_it_is_about_the_director(profile, director, make_user,
                                                                                  client):
    """CP-8: a beneficiary complaining about the executive director says so on the form; from
    its receipt on, he never sees it, and the board chairman (the profile's role) takes it. The
    form tells the complainant who will read it."""
    from complaints.models import Complaint
    from complaints.tests.public_views.helpers import FORM_URL, post_form
    from testdata import complaint_form_data

    form = client.get(FORM_URL).content.decode()
    assert 'name="about_director"' in form and str(profile.get_director_complaints_role_display()) in form
    response = post_form(client, complaint_form_data(about_director="on", against="المدير التنفيذي"))
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert complaint.about_director and complaint.is_against_director()
    chair = make_user(Role.BOARD_CHAIR, username="chair")
    client.force_login(director)
    assert client.get(detail_url(complaint)).status_code == 404
    assert complaint.tracking_number not in client.get(LIST_URL).content.decode()
    client.force_login(chair)
    assert complaint.tracking_number in client.get(LIST_URL).content.decode()
    assert 'data-testid="about-director"' in page_of(client, complaint)


@pytest.mark.rule("CP-8")
def test_a_complaint_not_marked_stays_with_the_director(profile, director, client):
    from complaints.models import Complaint
    from complaints.tests.public_views.helpers import post_form
    from testdata import complaint_form_data

    assert post_form(client, complaint_form_data()).status_code == 302
    complaint = Complaint.objects.get()
    assert not complaint.about_director
    client.force_login(director)
    assert 'data-testid="about-director"' not in page_of(client, complaint)
