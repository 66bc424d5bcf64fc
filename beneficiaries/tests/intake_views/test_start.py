"""The intake's first step: identity, duplicates, channel and profile (IN-1, IN-2, IN-9, CH, BEN-2)."""

import datetime as dt

import pytest
from django.urls import reverse

from beneficiaries import errors, validators
from beneficiaries.forms import intake as intake_forms
from beneficiaries.models import BeneficiaryFile, Member
from charity.models import Category
from charity.roles import Role
from testdata import add_member, make_draft, unique_national_id

from .helpers import ar, contact_data, start_data, step_url

pytestmark = pytest.mark.django_db


@pytest.mark.rule("IN-2")
def test_start_wrong_id_checksum_saves_nothing(desk):
    """IN-2: an identity number with a wrong check digit is refused with a clear message."""
    number = unique_national_id()
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    response = desk.post(reverse("beneficiaries:intake_start"), start_data(id_number=wrong))
    assert response.status_code == 200
    assert ar(validators.NATIONAL_ID_CHECKSUM) in response.content.decode()
    assert not BeneficiaryFile.objects.exists() and not Member.objects.exists()


def test_start_identity_type_must_match_the_number(desk):
    """A residence-permit number (starting with 2) is not a national ID."""
    response = desk.post(reverse("beneficiaries:intake_start"), start_data(id_number=unique_national_id("2")))
    assert ar(intake_forms.ID_TYPE_MISMATCH) in response.content.decode()
    assert not BeneficiaryFile.objects.exists()
    response = desk.post(reverse("beneficiaries:intake_start"), start_data(id_type="iqama",
                                                                           id_number=unique_national_id("2")))
    assert response.status_code == 302 and BeneficiaryFile.objects.get().head_id_type == "iqama"


def test_start_second_open_file_for_same_head_is_refused(desk, intake):
    """One open file per head of household: the service's message, nothing saved."""
    existing = make_draft(intake)
    response = desk.post(reverse("beneficiaries:intake_start"), start_data(id_number=existing.head_id_number))
    assert ar(errors.DUPLICATE_OPEN_FILE, number=existing.number) in response.content.decode()
    assert BeneficiaryFile.objects.count() == 1


def test_start_head_in_another_open_file_is_allowed_with_a_warning(desk, intake):
    """The person is a member of another open file: staff are warned, the file still opens."""
    other = make_draft(intake)
    son = add_member(other, birth_date=dt.date(2000, 1, 1))  # grown up: he may head a file of his own
    response = desk.post(reverse("beneficiaries:intake_start"), start_data(id_number=son.id_number), follow=True)
    assert BeneficiaryFile.objects.count() == 2
    assert any(m.level_tag == "warning" for m in response.context["messages"])


def test_start_referral_channel_needs_the_agency(desk):
    """CH: a case referred by an agency records which agency."""
    response = desk.post(reverse("beneficiaries:intake_start"), start_data(channel="referral"))
    assert ar(intake_forms.REFERRING_AGENCY_REQUIRED) in response.content.decode()
    assert not BeneficiaryFile.objects.exists()
    desk.post(reverse("beneficiaries:intake_start"),
              start_data(channel="referral", referring_agency="الشؤون الاجتماعية"))
    assert BeneficiaryFile.objects.get().referring_agency == "الشؤون الاجتماعية"


def test_start_passport_refused_in_general(desk):
    """PR: a passport is not an identity in the `general` profile."""
    page = desk.get(reverse("beneficiaries:intake_start")).content.decode()
    assert 'value="passport"' not in page
    response = desk.post(reverse("beneficiaries:intake_start"), start_data(id_type="passport", id_number="A1234567"))
    assert response.status_code == 200 and "id_type" in response.context["form"].errors
    assert not BeneficiaryFile.objects.exists()


@pytest.mark.rule("BEN-2", "IN-9")
def test_awaser_passport_embassy_and_international_mobile_accepted(client, make_user):
    """IN-9, BEN-2 (awaser): a family abroad with a passport, arriving from an embassy through the
    Ministry of Foreign Affairs, reachable on a foreign mobile."""
    from charity.services import load_policy_profile

    load_policy_profile("awaser")
    client.force_login(make_user(Role.INTAKE))
    abroad = Category.objects.get(code="family_abroad").pk
    base = start_data(id_type="passport", id_number="a1234567", channel="embassy", categories=[abroad],
                      embassy="سفارة خادم الحرمين الشريفين في لندن")
    response = client.post(reverse("beneficiaries:intake_start"), base)
    assert ar(intake_forms.EMBASSY_REQUIRED) in response.content.decode()
    assert not BeneficiaryFile.objects.exists()

    response = client.post(reverse("beneficiaries:intake_start"), {**base, "ministry_reference": "MOFA-1448-77"})
    file = BeneficiaryFile.objects.get()
    assert response.status_code == 302
    assert (file.head_id_type, file.head_id_number, file.ministry_reference) == ("passport", "A1234567", "MOFA-1448-77")
    response = client.post(step_url(file, "contact"), contact_data(file, mobile="+44 7911 123456", city="لندن",
                                                                    postal_code="SW1A 1AA"))
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.mobile == "+447911123456" and file.city == "لندن"


def test_contact_international_mobile_refused_in_general(desk, intake):
    file = make_draft(intake, mobile="")
    response = desk.post(step_url(file, "contact"), contact_data(file, mobile="+44 7911 123456"))
    assert ar(validators.MOBILE_NOT_SAUDI) in response.content.decode()
    file.refresh_from_db()
    assert file.mobile == ""
