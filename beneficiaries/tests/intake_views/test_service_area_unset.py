"""BEN-1 and the setup checklist: no approved text names a city, so the shipped profiles leave the
service area unset. While an enforced area is unset, no application is submitted: intake staff are
told, from the first page, that the admin must set it first — no city is called «outside the area»
and none is referred out for it. Once the admin sets it, the same application goes through."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from beneficiaries import services
from beneficiaries.models import BeneficiaryFile
from charity import errors as setup_errors
from charity.services import set_setup_values
from testdata import NOW, TODAY, complete_documents, make_draft

from .helpers import ar, contact_data, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def unset(profile):
    """The general profile as shipped: no service area (its quorum is not needed: the manager decides)."""
    return set_setup_values(profile=profile, service_area_cities=[], committee_quorum=None, by=None)


def _ready(intake):
    file = make_draft(intake, city="الرياض")
    complete_documents(file, intake)
    head = file.members.get(relationship="head")
    services.record_declaration(file=file, by=intake, method="in_person", signed_by_name=head.full_name,
                                signed_by_id_number=head.id_number, now=NOW)
    return file


@pytest.mark.rule("BEN-1")
def test_ben1_no_submission_while_the_service_area_is_unset(unset, intake):
    file = _ready(intake)
    assert services.submission_problems(file, today=TODAY, profile=unset) == [str(setup_errors.SERVICE_AREA_NOT_SET)]
    with pytest.raises(ValidationError) as refused:
        services.submit_application(file=file, by=intake, profile=unset, today=TODAY, now=NOW)
    assert refused.value.messages == [str(setup_errors.SERVICE_AREA_NOT_SET)]
    file.refresh_from_db()
    assert file.status == "applicant" and file.submitted_at is None

    set_setup_values(profile=unset, service_area_cities=["الرياض"], committee_quorum=None, by=None)
    assert services.submit_application(file=file, by=intake, profile=unset, today=TODAY, now=NOW).status == \
        "under_study"


@pytest.mark.rule("BEN-1")
def test_ben1_intake_pages_say_the_admin_must_set_the_area_and_refer_no_one_out(desk, unset, intake):
    message = ar(setup_errors.SERVICE_AREA_NOT_SET)
    with translation.override("en"):
        assert message != str(setup_errors.SERVICE_AREA_NOT_SET)  # translated
    assert message in desk.get(reverse("beneficiaries:intake_start")).content.decode()
    file = _ready(intake)
    # The contact step: a city is not «outside» an area nobody set; nothing is referred out.
    response = desk.post(step_url(file, "contact"), contact_data(file, city="جدة", refer_out="on",
                                                                 referred_to="جمعية البر بجدة"))
    assert response.status_code == 302
    file.refresh_from_db()
    assert (file.status, file.city, file.outside_service_area) == ("applicant", "جدة", False)
    review = desk.get(step_url(file, "review")).content.decode()
    assert message in review
    desk.post(step_url(file, "review"))
    assert BeneficiaryFile.objects.get(pk=file.pk).status == "applicant"
