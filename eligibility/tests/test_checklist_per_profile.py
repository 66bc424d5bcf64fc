"""The eligibility checklist is the one the association's own text supports (profile data):
000's EL-1…EL-8 for the general profile, awaser's handling steps (001, IN-9) for awaser."""

import pytest
from django.core.exceptions import ValidationError

from beneficiaries import services as file_services
from beneficiaries.policy import DocumentType, HousingType, IdType
from charity.services import load_policy_profile
from eligibility import errors, services
from eligibility.policy import GENERAL_CHECKLIST, ItemKind
from testdata import NOW, head_data, make_submitted

pytestmark = pytest.mark.django_db

AWASER_ITEMS = [ItemKind.EMBASSY_LETTER, ItemKind.PASSPORT, ItemKind.INFORMATION_CHECKED, ItemKind.SIGNED_DECLARATION]


@pytest.fixture
def abroad(staff):
    """An awaser application: a family abroad, headed by a passport holder, renting, with an abandoned-
    woman category's kind of household the general checklist would ask witnesses and certificates of."""
    load_policy_profile("awaser")
    return make_submitted(staff["intake"], categories=("family_abroad",), housing_type=HousingType.RENTED,
                          head=head_data(id_type=IdType.PASSPORT, id_number="A7654321"))


@pytest.mark.rule("IN-9")
def test_in9_awaser_checklist_is_its_own_handling_steps_not_el1_to_el8(abroad):
    items = services.ensure_checklist(abroad)
    assert [i.kind for i in items] == AWASER_ITEMS
    assert {i.rule for i in items} == {"IN-9"}
    assert not {i.kind for i in items} & set(GENERAL_CHECKLIST)  # no witnesses, social security, rental…


@pytest.mark.rule("EL-1", "EL-6", "EL-8")
def test_el_general_profile_keeps_the_el1_to_el8_checklist(staff):
    file = make_submitted(staff["intake"], categories=("widow",), housing_type=HousingType.RENTED)
    kinds = [i.kind for i in services.ensure_checklist(file)]
    assert kinds[:2] == [ItemKind.AGENCY_PRINTOUT, ItemKind.FIELD_VISIT] and ItemKind.SOCIAL_SECURITY in kinds
    assert not set(kinds) & set(AWASER_ITEMS)


@pytest.mark.rule("IN-9")
def test_in9_the_embassy_case_and_the_passport_are_verified_with_their_documents(abroad, staff):
    items = {i.kind: i for i in services.ensure_checklist(abroad)}
    for kind, doc_type in ((ItemKind.EMBASSY_LETTER, DocumentType.EMBASSY_LETTER),
                           (ItemKind.PASSPORT, DocumentType.PASSPORT)):
        with pytest.raises(ValidationError):
            services.verify_item(item=items[kind], by=staff["researcher"], now=NOW)
        document = file_services.current_documents(abroad).filter(doc_type=doc_type).first()
        assert document is not None, doc_type
        services.attach_document(item=items[kind], document=document)
        assert services.verify_item(item=items[kind], by=staff["researcher"], now=NOW).status == "verified"


@pytest.mark.rule("IN-9")
def test_in9_the_information_check_needs_the_researchers_note(abroad, staff):
    item = next(i for i in services.ensure_checklist(abroad) if i.kind == ItemKind.INFORMATION_CHECKED)
    with pytest.raises(ValidationError) as refused:
        services.verify_item(item=item, by=staff["researcher"], now=NOW, note=" ")
    assert refused.value.messages == [str(errors.NOTE_REQUIRED)]
    note = "طابقت بيانات الجواز والسفارة"
    verified = services.verify_item(item=item, by=staff["researcher"], now=NOW, note=note)
    assert verified.status == "verified" and verified.note == note


@pytest.mark.rule("IN-9", "IN-3")
def test_in9_the_signature_is_the_signed_declaration(abroad, staff):
    item = next(i for i in services.ensure_checklist(abroad) if i.kind == ItemKind.SIGNED_DECLARATION)
    assert services.verify_item(item=item, by=staff["researcher"], now=NOW).status == "verified"
    abroad.declarations.all().delete()  # (test only) a file whose applicant signed nothing
    item.refresh_from_db()
    item.status = "required"
    with pytest.raises(ValidationError) as refused:
        services.verify_item(item=item, by=staff["researcher"], now=NOW)
    assert refused.value.messages == [str(errors.NO_DECLARATION)]
