"""The contact step: the service area (BEN-1), referral out, and no overwrite of a newer save."""


import pytest
from django.urls import reverse

from beneficiaries import errors
from beneficiaries.forms import intake as intake_forms
from beneficiaries.models import BeneficiaryFile
from testdata import make_draft

from .helpers import ar, contact_data, step_url

pytestmark = pytest.mark.django_db


@pytest.mark.rule("BEN-1")
def test_contact_outside_service_area_saves_nothing(desk, intake):
    """BEN-1: a city outside the area is refused with the clear message."""
    file = make_draft(intake)
    response = desk.post(step_url(file, "contact"), contact_data(file, city="جدة", mobile="0551234567"))
    assert ar(errors.OUTSIDE_SERVICE_AREA, city="جدة") in response.content.decode()
    file.refresh_from_db()
    assert (file.city, file.mobile, file.status) == ("الرياض", "+966501234567", "applicant")


@pytest.mark.rule("BEN-1")
def test_contact_outside_area_recorded_as_referral(desk, intake):
    """BEN-1: staff may record the applicant as referred to another body."""
    file = make_draft(intake)
    response = desk.post(step_url(file, "contact"), contact_data(file, city="جدة", refer_out="on"))
    assert ar(intake_forms.REFERRED_TO_REQUIRED) in response.content.decode()
    file.refresh_from_db()
    assert file.status == "applicant"
    response = desk.post(step_url(file, "contact"), contact_data(file, city="جدة", refer_out="on",
                                                                 referred_to="جمعية البر بجدة"))
    assert response["Location"] == reverse("beneficiaries:file_detail", args=[file.pk])
    file.refresh_from_db()
    assert (file.status, file.referred_to, file.outside_service_area, file.city) == (
        "referred_out", "جمعية البر بجدة", True, "جدة")


def test_contact_stale_version_is_refused(desk, intake):
    """Someone saved in between: nothing is overwritten."""
    file = make_draft(intake)
    stale = file.version
    BeneficiaryFile.objects.filter(pk=file.pk).update(version=stale + 1)
    response = desk.post(step_url(file, "contact"), contact_data(file, version=stale, district="الملز"))
    assert ar(errors.STALE_VERSION) in response.content.decode()
    file.refresh_from_db()
    assert file.district == "النسيم"
