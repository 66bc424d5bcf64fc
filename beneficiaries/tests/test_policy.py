"""The file's policy as pure functions (beneficiaries/policy.py) and the Arabic search folding."""

import datetime as dt

import pytest

from beneficiaries import policy
from beneficiaries.arabic import normalize_arabic
from beneficiaries.policy import DocumentType, FileStatus, HousingType

D = dt.date


def test_transitions_follow_the_file_lifecycle():
    assert policy.can_transition(FileStatus.APPLICANT, FileStatus.UNDER_STUDY)
    assert policy.can_transition(FileStatus.UNDER_STUDY, FileStatus.ACTIVE)
    assert policy.can_transition(FileStatus.UNDER_STUDY, FileStatus.REJECTED)
    for target in (FileStatus.FROZEN, FileStatus.EXCLUDED, FileStatus.CLOSED):
        assert policy.can_transition(FileStatus.ACTIVE, target)
    assert policy.can_transition(FileStatus.FROZEN, FileStatus.ACTIVE)
    assert not policy.can_transition(FileStatus.APPLICANT, FileStatus.ACTIVE)
    assert not policy.can_transition(FileStatus.EXCLUDED, FileStatus.ACTIVE)
    assert not policy.can_transition(FileStatus.REJECTED, FileStatus.UNDER_STUDY)
    assert set(policy.TRANSITIONS) == set(FileStatus.values)


@pytest.mark.rule("DU-1")
def test_du1_required_documents_follow_categories_household_and_housing():
    docs = policy.required_documents(category_codes=["widow", "disabled"], housing_type=HousingType.RENTED,
                                     has_income=True, has_iban=True, school_children=2, passport_identity=False)
    assert docs[:2] == [DocumentType.IDENTITY, DocumentType.FAMILY_RECORD]
    for needed in (DocumentType.INCOME_STATEMENT, DocumentType.RENTAL_CONTRACT, DocumentType.IBAN_CERTIFICATE,
                   DocumentType.SCHOOL_CERTIFICATE, DocumentType.DEATH_CERTIFICATE, DocumentType.MEDICAL_REPORT):
        assert needed in docs
    assert len(docs) == len(set(docs))
    minimal = policy.required_documents(category_codes=[], housing_type=HousingType.OWNED, has_income=False,
                                        has_iban=False, school_children=0, passport_identity=False)
    assert minimal == [DocumentType.IDENTITY, DocumentType.FAMILY_RECORD]


@pytest.mark.rule("IN-9")
def test_in9_families_abroad_identify_by_passport_and_embassy_letter():
    docs = policy.required_documents(category_codes=["family_abroad"], housing_type=None, has_income=False,
                                     has_iban=False, school_children=0, passport_identity=True)
    assert docs[0] == DocumentType.PASSPORT and DocumentType.EMBASSY_LETTER in docs


@pytest.mark.rule("IN-2")
def test_in2_document_validity_at_submission():
    assert policy.document_is_valid_on(None, D(2026, 11, 24))
    assert policy.document_is_valid_on(D(2026, 11, 24), D(2026, 11, 24))
    assert not policy.document_is_valid_on(D(2026, 11, 23), D(2026, 11, 24))


@pytest.mark.rule("IN-5")
def test_in5_decision_target_counts_from_submission():
    assert policy.decision_due_on(D(2026, 11, 24), 14) == D(2026, 12, 8)
    assert policy.decision_is_overdue(FileStatus.UNDER_STUDY, D(2026, 12, 8), D(2026, 12, 9))
    assert not policy.decision_is_overdue(FileStatus.UNDER_STUDY, D(2026, 12, 8), D(2026, 12, 8))
    assert not policy.decision_is_overdue(FileStatus.ACTIVE, D(2026, 12, 8), D(2027, 1, 1))


@pytest.mark.rule("BEN-1")
def test_ben1_service_area_check_is_arabic_aware_and_switchable():
    cities = ["الرياض", "الخرج"]
    assert policy.in_service_area("الرياض", cities, True)
    assert policy.in_service_area(" الرِّياض ", cities, True)
    assert not policy.in_service_area("جدة", cities, True)
    assert policy.in_service_area("جدة", cities, False)  # awaser: families abroad, no area


@pytest.mark.parametrize(("a", "b"), [
    ("فاطمة", "فاطمه"), ("أحمد", "احمد"), ("إبراهيم", "ابراهيم"), ("آمنة", "امنه"), ("مصطفى", "مصطفي"),
    ("مُحَمَّد", "محمد"), ("عبـــدالله", "عبدالله"), ("  نورة   القحطاني ", "نوره القحطاني"),
])
def test_arabic_search_folding(a, b):
    assert normalize_arabic(a) == normalize_arabic(b)


def test_open_statuses_are_the_ones_that_block_a_second_file():
    assert set(policy.OPEN_STATUSES) == {FileStatus.APPLICANT, FileStatus.UNDER_STUDY, FileStatus.ACTIVE,
                                         FileStatus.FROZEN}


@pytest.mark.rule("EL-9")
def test_el9_income_per_member_is_one_rule_for_the_file_page_and_the_needs_score():
    """The household's income per current member, to the halala; an empty household counts as one."""
    from decimal import Decimal

    from beneficiaries.policy import income_per_member
    from charity.needs_study import DEFAULT_NEEDS_STUDY
    from eligibility.policy import needs_score

    assert income_per_member(Decimal("1000"), 3) == Decimal("333.33")
    assert income_per_member(Decimal("900"), 0) == Decimal("900.00")
    score = needs_score(monthly_income=Decimal("1000"), household_size=3, dependants=2, threshold=Decimal("1500"),
                        housing_type=None, housing_poor=False, health_cases=0, school_children=0,
                        working_age_adults=0, study=DEFAULT_NEEDS_STUDY)
    assert score.income_per_member == income_per_member(Decimal("1000"), 3)
