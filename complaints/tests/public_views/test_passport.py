"""CP-3 for Saudi families abroad (the awaser profile, passport_identity): the public complaint
link takes a passport number instead of the national ID; every other profile still asks for
the national ID or iqama."""

import pytest
from django.utils import translation

from beneficiaries.policy import IdType
from beneficiaries.validators import NATIONAL_ID_FORMAT, PASSPORT_FORMAT
from charity.services import load_policy_profile
from complaints.models import Complaint
from testdata import complaint_form_data, head_data, make_draft

from .helpers import FORM_URL, field_errors, post_form

pytestmark = pytest.mark.django_db


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


@pytest.fixture
def awaser(profile):
    return load_policy_profile("awaser")[0]


@pytest.mark.rule("CP-3", "IN-9")
def test_cp3_awaser_link_accepts_a_passport_number_and_stores_it_as_files_do(awaser, client):
    html = client.get(FORM_URL).content.decode()
    with translation.override("ar"):
        assert translation.gettext("National ID, residence or passport number") in html
    response = post_form(client, complaint_form_data(national_id=" a12 ٣٤٥٦٧ "))
    assert response.status_code == 302
    assert Complaint.objects.get().national_id == "A1234567"


@pytest.mark.rule("CP-3")
def test_cp3_general_still_requires_a_national_id(profile, client):
    response = post_form(client, complaint_form_data(national_id="A1234567"))
    assert response.status_code == 200
    assert field_errors(response, "national_id") == [ar(NATIONAL_ID_FORMAT)]
    assert not Complaint.objects.exists()


@pytest.mark.rule("CP-3")
@pytest.mark.parametrize("number", ["AB12", "A123456789012", "A1234-567"])
def test_cp3_awaser_refuses_a_number_that_is_no_passport(awaser, client, number):
    response = post_form(client, complaint_form_data(national_id=number))
    assert response.status_code == 200 and not Complaint.objects.exists()
    assert field_errors(response, "national_id") == [ar(PASSPORT_FORMAT)]


@pytest.mark.rule("CP-3")
def test_cp3_awaser_still_checks_a_national_id_by_its_checksum(awaser, client):
    response = post_form(client, complaint_form_data(national_id="1000000000"))
    assert response.status_code == 200 and not Complaint.objects.exists()


@pytest.mark.rule("CP-4", "IN-9")
def test_cp4_the_per_id_limit_counts_a_passport_in_any_spelling(awaser, client, settings):
    settings.COMPLAINT_RATE_LIMIT_PER_IP = 100
    for spelling in ("B7654321", "b7654321", "B 765 4321"):
        assert post_form(client, complaint_form_data(national_id=spelling)).status_code == 302
    assert post_form(client, complaint_form_data(national_id="b7654321")).status_code == 429
    assert Complaint.objects.count() == 3


@pytest.mark.rule("CP-3", "IN-9")
def test_cp3_a_passport_links_the_complaint_to_the_file_headed_by_that_passport(awaser, client, staff):
    file = make_draft(staff["intake"], categories=("family_abroad",),
                      head=head_data(id_type=IdType.PASSPORT, id_number="C1234567"))
    assert file.head_id_type == IdType.PASSPORT
    assert post_form(client, complaint_form_data(national_id="c1234567")).status_code == 302
    assert Complaint.objects.get().file == file
