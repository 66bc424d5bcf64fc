"""SC-7, the death of the head of household (eligibility/deaths.py): every dependant «تابع»
counts, a minor new head has a guardian, the household's labels and categories follow the new
head, the history says why, the family is told, and a case the text is silent on is refused."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from beneficiaries.models import BeneficiaryFile
from beneficiaries.policy import DocumentType, FileStatus, Gender, MaritalStatus, Relationship
from charity.history import describe_reason
from charity.models import Notification
from eligibility import controls, errors, policy
from eligibility.models import DeathRecord
from testdata import NOW, TODAY, add_member, head_data, make_active, pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SC-7")]

GUARDIAN = {"guardian_name": "عبدالرحمن محمد القحطاني", "guardian_relationship": "عم",
            "guardian_id_number": "1012345678"}


def _file(staff, *, gender=Gender.FEMALE, marital=MaritalStatus.WIDOWED, categories=("widow",), members=()):
    """A head and her (his) household: `members` are (relationship, birth year, gender) triples."""
    file = make_active(staff["intake"], categories=categories, head=head_data(gender=gender, marital_status=marital))
    added = [add_member(file, relationship=rel, birth_date=dt.date(year, 1, 1), gender=sex,
                        first_name=f"فرد{n}", marital_status=MaritalStatus.MARRIED if rel == Relationship.WIFE
                        else MaritalStatus.SINGLE) for n, (rel, year, sex) in enumerate(members)]
    file = BeneficiaryFile.objects.get(pk=file.pk)
    return file, file.members.get(relationship=Relationship.HEAD), added


def _die(file, head, staff, **kw):
    return controls.record_death(file=file, deceased=head, died_on=TODAY, by=staff["manager"], now=NOW, **kw)


def test_the_outcome_table_counts_every_dependant():
    female, male = Gender.FEMALE, Gender.MALE
    assert policy.death_outcome(deceased_gender=female, has_wife=False, adult_others=1) == "to_dependant"
    assert policy.death_outcome(deceased_gender=female, has_wife=False, minor_others=1) == "to_dependant"
    assert policy.death_outcome(deceased_gender=female, has_wife=False, minor_children=1,
                                adult_others=1) == "to_child"  # children first
    assert policy.death_outcome(deceased_gender=male, has_wife=False, minor_children=2) == policy.DEATH_REFER
    assert policy.death_outcome(deceased_gender=male, has_wife=False, minor_children=1, adult_others=1) \
        == "to_dependant"
    assert policy.death_outcome(deceased_gender=male, has_wife=True, minor_children=1) == "to_wife"
    assert policy.death_outcome(deceased_gender=female, has_wife=False) == "closed"


def test_a_widow_with_grandchildren_is_not_closed_the_file_moves_to_a_grandchild(staff):
    file, head, (grandson,) = _file(staff, members=[(Relationship.GRANDCHILD, 2001, Gender.MALE)])
    assert controls.death_household(file, TODAY).outcome == policy.DeathOutcome.TO_DEPENDANT
    with pytest.raises(ValidationError) as refused:
        _die(file, head, staff)
    assert refused.value.code == "dependant_required"
    record = _die(file, head, staff, new_head=grandson)
    file.refresh_from_db()
    assert record.outcome == policy.DeathOutcome.TO_DEPENDANT and file.status == FileStatus.ACTIVE
    assert file.head_id_number == grandson.id_number
    head.refresh_from_db()
    assert head.deceased_on == TODAY and head.relationship == Relationship.OTHER  # a grandmother, not «head»


def test_a_minor_new_head_needs_a_guardian_recorded_with_history(staff):
    file, head, (son,) = _file(staff, members=[(Relationship.SON, 2015, Gender.MALE)])
    with pytest.raises(ValidationError) as refused:
        _die(file, head, staff, new_head=son)
    assert refused.value.code == "guardian_required" and not DeathRecord.objects.filter(file=file).exists()
    record = _die(file, head, staff, new_head=son, **GUARDIAN)
    assert (record.guardian_name, record.guardian_relationship, record.guardian_id_number) == tuple(GUARDIAN.values())
    assert record.history.get().guardian_id_number == "1012345678"
    file.refresh_from_db()
    assert file.head_id_number == son.id_number and file.status == FileStatus.ACTIVE


def test_labels_and_categories_follow_a_son_who_takes_his_mothers_file(staff):
    file, head, (son, daughter) = _file(staff, categories=("widow", "divorced", "limited_income"), members=[
        (Relationship.SON, 2000, Gender.MALE), (Relationship.DAUGHTER, 2002, Gender.FEMALE)])
    _die(file, head, staff, new_head=son)
    for member in (head, son, daughter):
        member.refresh_from_db()
    assert head.relationship == Relationship.MOTHER and head.deceased_on == TODAY
    assert son.relationship == Relationship.HEAD and daughter.relationship == Relationship.SISTER
    assert set(file.categories.values_list("code", flat=True)) == {"limited_income"}


def test_after_a_mans_death_his_wife_heads_as_a_widow(staff):
    members = [(Relationship.WIFE, 1985, Gender.FEMALE), (Relationship.SON, 2012, Gender.MALE)]
    file, head, (wife, son) = _file(staff, gender=Gender.MALE, marital=MaritalStatus.MARRIED,
                                    categories=("limited_income",), members=members)
    _die(file, head, staff)
    for member in (head, wife, son):
        member.refresh_from_db()
    assert head.relationship == Relationship.HUSBAND and son.relationship == Relationship.SON
    assert wife.relationship == Relationship.HEAD and wife.marital_status == MaritalStatus.WIDOWED
    assert set(file.categories.values_list("code", flat=True)) == {"limited_income", "widow"}


def test_the_history_says_why_and_the_family_is_told(staff):
    file, head, (son,) = _file(staff, members=[(Relationship.SON, 2000, Gender.MALE)])
    record = _die(file, head, staff, new_head=son)
    reasons = set(file.history.values_list("history_change_reason", flat=True))
    assert "SC-7 death transfer" in reasons
    assert head.history.first().history_change_reason == "SC-7 death transfer"
    with translation.override("en"):
        assert "death" in describe_reason("SC-7 death transfer")
    sms = Notification.objects.get(object_id=str(record.pk), channel="sms", purpose="death-transfer")
    assert file.number in sms.body and son.full_name in sms.body and head.full_name in sms.body


def test_a_widower_with_minors_only_is_refused_never_closed(staff):
    file, head, _ = _file(staff, gender=Gender.MALE, categories=("limited_income",), members=[
        (Relationship.SON, 2015, Gender.MALE), (Relationship.DAUGHTER, 2017, Gender.FEMALE)])
    with pytest.raises(ValidationError) as refused:
        _die(file, head, staff)
    assert refused.value.code == "refer_to_manager"
    file.refresh_from_db()
    head.refresh_from_db()
    assert file.status == FileStatus.ACTIVE and head.deceased_on is None
    assert not DeathRecord.objects.filter(file=file).exists()


def test_the_death_certificate_is_neutral_and_filed_under_the_deceased(staff, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        assert str(DocumentType.DEATH_CERTIFICATE.label) == "Death certificate"
    with translation.override("ar"):
        assert "الزوج" not in str(DocumentType.DEATH_CERTIFICATE.label)
    file, mother, (son,) = _file(staff, members=[(Relationship.SON, 2015, Gender.MALE)])
    client.force_login(staff["manager"])
    url = reverse("eligibility:record_death", args=[file.pk])
    with time_machine.travel(NOW, tick=False):
        page = client.get(url)
        assert b'data-outcome="to_child"' in page.content and b'name="guardian_name"' in page.content
        response = client.post(url, {"died_on": "2026-11-20", "new_head": son.pk, "confirm": "on",
                                     "certificate": pdf_upload("death.pdf"), **GUARDIAN})
    assert response.status_code == 302
    record = DeathRecord.objects.get(file=file)
    assert record.proof_document.member == mother and record.guardian_name == GUARDIAN["guardian_name"]


def test_the_page_of_a_widower_with_minors_asks_for_the_manager(staff, client):
    file, head, (son,) = _file(staff, gender=Gender.MALE, members=[(Relationship.SON, 2015, Gender.MALE)])
    client.force_login(staff["manager"])
    url = reverse("eligibility:record_death", args=[file.pk])
    with time_machine.travel(NOW, tick=False):
        page = client.get(url)
        assert b'data-outcome="refer"' in page.content and b'data-testid="death-form"' not in page.content
        with translation.override("ar"):
            assert escape(str(errors.DEATH_REFER_TO_MANAGER)) in page.content.decode()
        client.post(url, {"died_on": "2026-11-20", "new_head": son.pk, "confirm": "on"})
    assert not DeathRecord.objects.filter(file=file).exists()
    assert BeneficiaryFile.objects.get(pk=file.pk).status == FileStatus.ACTIVE
