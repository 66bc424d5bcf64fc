"""The beneficiary file's policy: statuses, transitions, required documents, deadlines.

Rules: BEN-1, BEN-2, CH, IN-1…IN-9, RT-2, RT-3, RT-6…RT-8, RT-10, DU-1, DU-2, DU-4, DU-5,
DU-13 of ../shared/policy/RULES.md. Everything here is a constant or a pure function; the
services in services.py apply them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from charity import calendar


class FileStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant (registration in progress)")
    UNDER_STUDY = "under_study", _("Under study")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    FROZEN = "frozen", _("Frozen")
    EXCLUDED = "excluded", _("Excluded")
    CLOSED = "closed", _("Closed")
    REFERRED_OUT = "referred_out", _("Referred to another body (outside the service area)")


# The allowed transitions. The eligibility app adds the rules (SC-1…SC-12) that drive
# ACTIVE/FROZEN/EXCLUDED/CLOSED; none of them may step outside this table.
TRANSITIONS: dict[str, set[str]] = {
    FileStatus.APPLICANT: {FileStatus.UNDER_STUDY, FileStatus.REFERRED_OUT},
    FileStatus.UNDER_STUDY: {FileStatus.ACTIVE, FileStatus.REJECTED},
    FileStatus.ACTIVE: {FileStatus.FROZEN, FileStatus.EXCLUDED, FileStatus.CLOSED},
    FileStatus.FROZEN: {FileStatus.ACTIVE, FileStatus.EXCLUDED, FileStatus.CLOSED},
    FileStatus.REJECTED: set(),
    FileStatus.EXCLUDED: set(),
    FileStatus.CLOSED: set(),
    FileStatus.REFERRED_OUT: set(),
}

# A head of household may have only one *open* file (enforced by a database constraint).
OPEN_STATUSES = (FileStatus.APPLICANT, FileStatus.UNDER_STUDY, FileStatus.ACTIVE, FileStatus.FROZEN)
# The statuses during which the family waits for the deciding body (IN-5).
AWAITING_DECISION = (FileStatus.APPLICANT, FileStatus.UNDER_STUDY)


# Files whose record is final: no new documents are added to them.
DOCUMENT_CLOSED_STATUSES = frozenset({FileStatus.CLOSED, FileStatus.EXCLUDED, FileStatus.REJECTED,
                                      FileStatus.REFERRED_OUT})


def income_per_member(monthly_income: Decimal, household_size: int) -> Decimal:
    """The household's monthly income per current member, to the halala (EL-9's test against
    the profile's threshold, and the file page)."""
    return (Decimal(monthly_income) / max(household_size, 1)).quantize(Decimal("0.01"))


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, set())


# --- Household ------------------------------------------------------------------------------


class IdType(models.TextChoices):
    NATIONAL_ID = "national_id", _("National ID")
    IQAMA = "iqama", _("Residence permit (iqama)")
    PASSPORT = "passport", _("Passport")  # awaser: families abroad (profile.passport_identity)


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    WIFE = "wife", _("Wife")
    HUSBAND = "husband", _("Husband")
    SON = "son", _("Son")
    DAUGHTER = "daughter", _("Daughter")
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    BROTHER = "brother", _("Brother")
    SISTER = "sister", _("Sister")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER = "other", _("Other relative")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    WIDOWED = "widowed", _("Widowed")
    DIVORCED = "divorced", _("Divorced")
    ABANDONED = "abandoned", _("Abandoned (مهجورة)")


class SchoolStage(models.TextChoices):
    NONE = "none", _("Not in school")
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    PRIMARY = "primary", _("Primary")
    INTERMEDIATE = "intermediate", _("Intermediate")
    SECONDARY = "secondary", _("Secondary")
    UNIVERSITY = "university", _("University")


SCHOOL_STAGES_NEEDING_CERTIFICATE = {
    SchoolStage.PRIMARY, SchoolStage.INTERMEDIATE, SchoolStage.SECONDARY, SchoolStage.UNIVERSITY,
}


class HousingType(models.TextChoices):
    OWNED = "owned", _("Owned")
    RENTED = "rented", _("Rented")
    FAMILY = "family", _("With relatives")
    CHARITY = "charity", _("Charity or government housing")
    OTHER = "other", _("Other")


class IncomeKind(models.TextChoices):
    SALARY = "salary", _("Salary")
    PENSION = "pension", _("Retirement pension")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    SOCIAL_SECURITY = "social_security", _("Social security")
    OTHER = "other", _("Other income")


# --- Documents (DU-1, IN-2) -----------------------------------------------------------------


class DocumentType(models.TextChoices):
    IDENTITY = "identity", _("Identity document of the head of household")
    FAMILY_RECORD = "family_record", _("Family record")
    PASSPORT = "passport", _("Passport")
    INCOME_STATEMENT = "income_statement", _("Income statement")
    SOCIAL_SECURITY = "social_security", _("Social-security certificate")
    RENTAL_CONTRACT = "rental_contract", _("Rental contract")
    IBAN_CERTIFICATE = "iban_certificate", _("Bank IBAN certificate")
    SCHOOL_CERTIFICATE = "school_certificate", _("School certificate")
    MEDICAL_REPORT = "medical_report", _("Medical report")
    DEATH_CERTIFICATE = "death_certificate", _("Death certificate")
    DIVORCE_DEED = "divorce_deed", _("Divorce deed")
    PRISON_LETTER = "prison_letter", _("Letter confirming imprisonment")
    AGENCY_PRINTOUT = "agency_printout", _("Printout from an agency (civil affairs, Absher, passports)")
    EMBASSY_LETTER = "embassy_letter", _("Letter from the embassy / Ministry of Foreign Affairs")
    SIGNED_DECLARATION = "signed_declaration", _("Signed declaration")
    FIELD_VISIT_PHOTO = "field_visit_photo", _("Field-visit photo")
    PROOF = "proof", _("Proof for a decision")
    CANCELLATION_REQUEST = "cancellation_request", _("Signed request to cancel the file (SC-3)")
    WRITTEN_REFUSAL = "written_refusal", _("Signed refusal of a service or programme (DU-11)")
    OTHER = "other", _("Other document")


# Documents that come from their own step, never from the plain upload form: the signed
# declaration (IN-3), the proof of an exclusion (SC-2…), the signed cancellation request (SC-3),
# a signed refusal (DU-11) and the photos of a field visit (EL-2).
DOCUMENTS_WITH_THEIR_OWN_STEP = frozenset({DocumentType.SIGNED_DECLARATION, DocumentType.PROOF,
                                           DocumentType.FIELD_VISIT_PHOTO, DocumentType.CANCELLATION_REQUEST,
                                           DocumentType.WRITTEN_REFUSAL})


# Category code -> documents it needs (BEN-1/BEN-2 categories come from the profile).
CATEGORY_DOCUMENTS: dict[str, set[str]] = {
    "widow": {DocumentType.DEATH_CERTIFICATE},
    "orphan": {DocumentType.DEATH_CERTIFICATE},
    "divorced": {DocumentType.DIVORCE_DEED},
    "prisoner_family": {DocumentType.PRISON_LETTER},
    "prisoner": {DocumentType.PRISON_LETTER},
    "disabled": {DocumentType.MEDICAL_REPORT},
    "disability_special": {DocumentType.MEDICAL_REPORT},
    "cancer_patient": {DocumentType.MEDICAL_REPORT},
    "family_abroad": {DocumentType.EMBASSY_LETTER},
}


def required_documents(
    *, category_codes: Iterable[str], housing_type: str | None, has_income: bool,
    has_iban: bool, school_children: int, passport_identity: bool,
) -> list[str]:
    """DU-1: return the document types an application needs, in checklist order."""
    needed = [DocumentType.PASSPORT if passport_identity else DocumentType.IDENTITY, DocumentType.FAMILY_RECORD]
    if has_income:
        needed.append(DocumentType.INCOME_STATEMENT)
    if housing_type == HousingType.RENTED:
        needed.append(DocumentType.RENTAL_CONTRACT)
    if has_iban:
        needed.append(DocumentType.IBAN_CERTIFICATE)
    if school_children:
        needed.append(DocumentType.SCHOOL_CERTIFICATE)
    for code in category_codes:
        needed.extend(sorted(CATEGORY_DOCUMENTS.get(code, set()) - set(needed)))
    return [DocumentType(d) for d in dict.fromkeys(needed)]


def document_is_valid_on(expires_on: dt.date | None, day: dt.date) -> bool:
    """IN-2: a document is valid at submission unless it has expired before that day."""
    return expires_on is None or expires_on >= day


# --- Deadlines ------------------------------------------------------------------------------


def decision_due_on(submitted_on: dt.date, target_days: int) -> dt.date:
    """IN-5 (interpretation): the decision target counts calendar days from a complete
    application; the period comes from the profile."""
    return calendar.add_days(submitted_on, target_days)


def decision_is_overdue(status: str, due_on: dt.date | None, today: dt.date) -> bool:
    return status == FileStatus.UNDER_STUDY and due_on is not None and due_on < today


# --- Service area (BEN-1) -------------------------------------------------------------------


def in_service_area(city: str, cities: Iterable[str], enforced: bool) -> bool:
    """BEN-1: beneficiaries live inside the association's service area."""
    if not enforced:
        return True
    from .arabic import normalize_arabic

    wanted = normalize_arabic(city)
    return any(normalize_arabic(c) == wanted for c in cities)


# --- Who explains an unclear procedure (IN-4) ------------------------------------------------
# The text names the person the applicant is referred to: the beneficiary-services manager (000,
# 001) or the social-research officer «مسئول البحث الاجتماعي» (002:77, 003:47, 004:76); the
# profile holds it (PolicyProfile.procedure_explained_by). Questions are routed to that role, and
# only its members see the queue and answer (others get 404).

ANSWER_PERMISSION = "beneficiaries.answer_referral"


def explains_procedure(user, profile) -> bool:
    """IN-4: whether `user` answers the applicants' questions under `profile`: they may answer, and
    hold the role the profile names."""
    return (user.is_authenticated and user.has_perm(ANSWER_PERMISSION)
            and user.groups.filter(name=profile.procedure_explained_by).exists())


def may_answer_questions(user) -> bool:
    """IN-4, for the menu: `explains_procedure` under the active profile."""
    from charity.models import PolicyProfile

    profile = PolicyProfile.objects.filter(is_active=True).first()
    return profile is not None and explains_procedure(user, profile)


# --- Changes and the annual update (DU-4, DU-5) ---------------------------------------------


class ChangeKind(models.TextChoices):
    ADDRESS = "address", _("Change of address")
    PHONE = "phone", _("Change of phone numbers")
    INCOME = "income", _("Change of income")
    HOUSEHOLD = "household", _("Change in the household")
    SOCIAL = "social", _("Other social or economic change")


# What the annual update asks every active file to renew (DU-5).
ANNUAL_UPDATE_DOCUMENTS = [DocumentType.IDENTITY, DocumentType.FAMILY_RECORD, DocumentType.INCOME_STATEMENT]


def annual_update_documents(*, passport_identity: bool) -> list[str]:
    """DU-5: the documents the update asks for by default. Where the profile takes the passport
    as identity (awaser: Saudi families abroad, IN-9), the passport is renewed in place of the
    identity card, as an application asks for it (required_documents)."""
    if not passport_identity:
        return list(ANNUAL_UPDATE_DOCUMENTS)
    return [DocumentType.PASSPORT if d == DocumentType.IDENTITY else d for d in ANNUAL_UPDATE_DOCUMENTS]


def update_due_on(*, announced_on: dt.date, deadline: dt.date, told_on: dt.date) -> dt.date:
    """DU-5 (interpretation): the duty starts when the announcement reaches the family, so the
    family has the whole period the announcement gave (announced_on → deadline) counted from the
    day it was told; never earlier than the announced deadline."""
    period = calendar.days_between(announced_on, deadline)
    return max(deadline, calendar.add_days(told_on, period))


# --- DU-11: a refusal is in writing -------------------------------------------------------------

# «في حالة رفض الخدمة او المشاركة في أي برنامج يتم ترشيحكم له ... فيجب ان يكون ذلك خطياً»: the
# refusal of a service (aid) or of a programme is recorded only in writing — the beneficiary's
# own written words, a signed paper (its scan kept on the file), or both. Programmes and aid
# both ask this one function.
REFUSAL_NOT_IN_WRITING = _("A refusal must be in writing: copy the beneficiary's written refusal, or attach the "
                           "signed refusal.")


def refusal_in_writing(written_words: str, signed_paper) -> bool:
    """DU-11: the refusal has the beneficiary's written words or a signed paper."""
    return bool((written_words or "").strip()) or signed_paper is not None
