"""Eligibility and the controls on providing service, readable in one sitting.

Rules: EL-1…EL-9 (verification), IN-5, IN-7, RT-1, RT-4, RT-5, SC-1…SC-12 (the table at the end
of the general policy, 000) and the profile's deciding body (PR). Constants and pure functions
only; eligibility/services.py applies them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from beneficiaries.policy import (
    SCHOOL_STAGES_NEEDING_CERTIFICATE,
    DocumentType,
    HousingType,
    IncomeKind,
    Relationship,
    income_per_member,
)
from charity import calendar
from charity.needs_study import Service, band_floors

# --- SC: the service-control table ----------------------------------------------------------


class Consequence(models.TextChoices):
    CONTINUE = "continue", _("The file continues")
    EXCLUDE = "exclude", _("Exclusion")
    FREEZE = "freeze", _("Freeze, then exclusion if there is no response")
    TRANSFER = "transfer", _("Transfer of the file, or closing it")


class DocumentKind(models.TextChoices):
    CERTIFICATE = "certificate", _("Exclusion certificate (مشهد)")
    DECISION = "decision", _("Exclusion decision")


@dataclass(frozen=True)
class ServiceControl:
    rule: str
    situation: str
    consequence: str
    freeze_months_field: str | None = None  # the PolicyProfile field holding the freeze period
    needs_proof: bool = False  # excluded "by decision on proof of the case"
    refer_to_authorities: bool = False  # SC-4
    document: str | None = None  # what the exclusion issues
    by_sweep_only: bool = False  # applied by the daily enforcement, not chosen by staff
    proof_document_type: str | None = None  # the only document that proves the case (SC-3's form)


SERVICE_CONTROLS: dict[str, ServiceControl] = {c.rule: c for c in [
    ServiceControl("SC-1", _("All conditions of the association are met."), Consequence.CONTINUE),
    ServiceControl("SC-2", _("After a data update, one or more of the association's conditions are no longer met."),
                   Consequence.EXCLUDE, needs_proof=True, document=DocumentKind.CERTIFICATE),
    # SC-3: «بناء على تعبئة النموذج المعتمد» — on the approved form, signed by the beneficiary:
    # its scan is the proof, and no note replaces it.
    ServiceControl("SC-3", _("The beneficiary asked to cancel the file."), Consequence.EXCLUDE, needs_proof=True,
                   document=DocumentKind.DECISION, proof_document_type=DocumentType.CANCELLATION_REQUEST),
    ServiceControl("SC-4", _("Assault on staff or property, in word or deed, or defaming the association."),
                   Consequence.EXCLUDE, needs_proof=True, refer_to_authorities=True, document=DocumentKind.DECISION),
    ServiceControl("SC-5", _("Refusing to cooperate with the social researcher."), Consequence.EXCLUDE,
                   needs_proof=True, document=DocumentKind.DECISION),
    ServiceControl("SC-6", _("Late in providing the documents required when updating the data."), Consequence.FREEZE,
                   freeze_months_field="freeze_documents_months", document=DocumentKind.DECISION),
    ServiceControl("SC-7", _("Death of the beneficiary."), Consequence.TRANSFER),
    ServiceControl("SC-8", _("Marriage of a widow or a divorced woman."), Consequence.EXCLUDE, needs_proof=True,
                   document=DocumentKind.DECISION),
    ServiceControl("SC-9", _("Undeclared additional income that lifts the family's economic situation."),
                   Consequence.EXCLUDE, needs_proof=True, document=DocumentKind.DECISION),
    ServiceControl("SC-10", _("Registered with another charitable or humanitarian association."),
                   Consequence.EXCLUDE, needs_proof=True, document=DocumentKind.DECISION),
    ServiceControl("SC-11", _("False information, manipulation or forgery."), Consequence.EXCLUDE, needs_proof=True,
                   document=DocumentKind.DECISION),
    ServiceControl("SC-12", _("Not informing the association of a change of address or phone numbers."),
                   Consequence.FREEZE, freeze_months_field="freeze_contact_months", document=DocumentKind.DECISION),
]}

# Rules staff choose when excluding by decision (the freezes exclude through the sweep).
EXCLUSION_RULES = [r for r, c in SERVICE_CONTROLS.items() if c.consequence == Consequence.EXCLUDE]
FREEZE_RULES = [r for r, c in SERVICE_CONTROLS.items() if c.consequence == Consequence.FREEZE]


def control(rule: str) -> ServiceControl:
    return SERVICE_CONTROLS[rule]


def proof_upload_type(rule: str) -> str:
    """The document type of a proof uploaded with an exclusion: SC-3's signed form, else a proof."""
    return control(rule).proof_document_type or DocumentType.PROOF


def proof_is_the_required_document(rule: str, proof_document) -> bool:
    """SC-3: an exclusion whose rule names its proof document has that document, of the file."""
    wanted = control(rule).proof_document_type
    return wanted is None or (proof_document is not None and proof_document.doc_type == wanted)


# SC-6, SC-12: the freezes list's «ending soon» and the dashboard's figure: calendar days ahead.
FREEZE_SOON_DAYS = 7

# SC-6: documents handed in during a freeze are the family's response, except the proof staff
# upload for a decision (their own evidence, not the family's answer) and the signed request to
# cancel the file (SC-3), which ends the file rather than answers the freeze.
NOT_A_RESPONSE = frozenset({DocumentType.PROOF.value, DocumentType.CANCELLATION_REQUEST.value})

# SC-12: the freeze that the family answers with its updated contact details (DU-4), not documents.
LIFTED_BY_CONTACT = frozenset({"SC-12"})


def _ending_soon() -> str:
    return ngettext("Ending in the next %(days)s day", "Ending in the next %(days)s days",
                    FREEZE_SOON_DAYS) % {"days": FREEZE_SOON_DAYS}


def _freezes_ending_soon() -> str:
    return ngettext("Freezes ending in the next %(days)s day", "Freezes ending in the next %(days)s days",
                    FREEZE_SOON_DAYS) % {"days": FREEZE_SOON_DAYS}


# Their names, said with the number above in the reader's language (lazy: translated when shown).
ENDING_SOON = lazy(_ending_soon, str)()
FREEZES_ENDING_SOON = lazy(_freezes_ending_soon, str)()


def freeze_ends_on(started_on: dt.date, rule: str, profile) -> dt.date:
    """SC-6, SC-12: a freeze lasts the profile's period in calendar months from its start."""
    months = getattr(profile, control(rule).freeze_months_field)
    return calendar.add_months(started_on, months)


# SC-6, as this product reads it: when staff find a family's response incomplete, the family
# gets back the time it had left when it answered, counted from the review (staff's time never
# runs against it), and never less than this many days to hand in the rest.
REVIEW_MIN_DAYS = 7


def ends_after_incomplete_response(*, ends_on: dt.date, responded_on: dt.date, today: dt.date) -> dt.date:
    """SC-6: the freeze's new end after a review found the family's response incomplete."""
    left = max(calendar.days_between(responded_on, ends_on), REVIEW_MIN_DAYS)
    return max(ends_on, calendar.add_days(today, left))


# Under this age a member is a minor: an orphan when the father died (SC-10), and a new head of
# household who needs a guardian (SC-7).
ADULT_AGE = 18


def is_minor(birth_date: dt.date | None, today: dt.date) -> bool:
    age = calendar.age_on(birth_date, today)
    return age is not None and age < ADULT_AGE


def sc10_exempt(category_codes, profile, *, orphans_in_household: bool = False) -> bool:
    """SC-10 (interpretation): orphans are exempt when the profile says so — a file in the
    «orphan» category, or one whose household has orphans: after a father's death the file moves
    to the mother and keeps its category («limited income»), its children are orphans all the same."""
    return profile.sc10_orphans_exempt and ("orphan" in set(category_codes) or orphans_in_household)


class DeathOutcome(models.TextChoices):
    TO_WIFE = "to_wife", _("Moved to the wife's name")
    TO_CHILD = "to_child", _("Moved to one of the children")
    TO_DEPENDANT = "to_dependant", _("Moved to another dependant")
    CLOSED = "closed", _("Closed: no dependants")


# SC-7: the text is silent (a man without a wife whose dependants are all minors): never stored,
# the death is refused and staff refer the case to the manager.
DEATH_REFER = "refer"


def checklist_done(item_count: int, open_count: int) -> bool:
    """RT-1: research is done when the file has its checklist and no item is still open."""
    return item_count > 0 and open_count == 0


# SC-7: the children a file may move to first; every other current member the head supported
# (parents, grandchildren, siblings, a husband) is a dependant «تابع» too. A minor new head
# (is_minor) needs a guardian recorded.
DEATH_HEIRS_CHILDREN = (Relationship.SON, Relationship.DAUGHTER)


def death_outcome(*, deceased_gender: str, has_wife: bool, adult_children: int = 0, minor_children: int = 0,
                  adult_others: int = 0, minor_others: int = 0) -> str:
    """SC-7: a man's file moves to his wife; a woman's to one of her children, else to another of
    her dependants (a minor with a guardian); with no dependant at all the file is closed. A man
    without a wife (the text is silent): an adult child, else an adult dependant; with minors only,
    DEATH_REFER — never closed silently."""
    if deceased_gender == "male" and has_wife:
        return DeathOutcome.TO_WIFE
    if deceased_gender == "male":
        children, others, minors = adult_children, adult_others, minor_children + minor_others
    else:
        children, others, minors = adult_children + minor_children, adult_others + minor_others, 0
    if children:
        return DeathOutcome.TO_CHILD
    if others:
        return DeathOutcome.TO_DEPENDANT
    return DEATH_REFER if minors else DeathOutcome.CLOSED


# --- EL: verification checklist -------------------------------------------------------------


class ItemKind(models.TextChoices):
    AGENCY_PRINTOUT = "agency_printout", _("Printout from the agencies (civil affairs, Absher, passports)")
    FIELD_VISIT = "field_visit", _("Field visit to the home")
    WITNESSES = "witnesses", _("Two witnesses who know the situation")
    INCOME_STATEMENT = "income_statement", _("Income statement")
    SCHOOL_CERTIFICATE = "school_certificate", _("School certificate")
    SOCIAL_SECURITY = "social_security", _("Social-security certificate")
    MEDICAL_REPORT = "medical_report", _("Medical report")
    RENTAL_CONTRACT = "rental_contract", _("Rental contract")
    NEEDS_ASSESSMENT = "needs_assessment", _("Needs study on the approved form")
    # IN-9 (awaser): the case's steps, where the text has no EL checklist.
    EMBASSY_LETTER = "embassy_letter", _("The case as received from the Ministry of Foreign Affairs, "
                                         "through the embassy")
    PASSPORT = "passport", _("Passport of the head of household")
    INFORMATION_CHECKED = "information_checked", _("The information checked: complete and correct")
    SIGNED_DECLARATION = "signed_declaration", _("The applicant's signature on the data, answering for its accuracy")


ITEM_RULES = {
    ItemKind.AGENCY_PRINTOUT: "EL-1", ItemKind.FIELD_VISIT: "EL-2", ItemKind.WITNESSES: "EL-3",
    ItemKind.INCOME_STATEMENT: "EL-4", ItemKind.SCHOOL_CERTIFICATE: "EL-5", ItemKind.SOCIAL_SECURITY: "EL-6",
    ItemKind.MEDICAL_REPORT: "EL-7", ItemKind.RENTAL_CONTRACT: "EL-7", ItemKind.NEEDS_ASSESSMENT: "EL-8",
    ItemKind.EMBASSY_LETTER: "IN-9", ItemKind.PASSPORT: "IN-9", ItemKind.INFORMATION_CHECKED: "IN-9",
    ItemKind.SIGNED_DECLARATION: "IN-9",
}

# The document type that satisfies each item (beneficiaries.policy.DocumentType values).
ITEM_DOCUMENT = {
    ItemKind.AGENCY_PRINTOUT: "agency_printout", ItemKind.INCOME_STATEMENT: "income_statement",
    ItemKind.SCHOOL_CERTIFICATE: "school_certificate", ItemKind.SOCIAL_SECURITY: "social_security",
    ItemKind.MEDICAL_REPORT: "medical_report", ItemKind.RENTAL_CONTRACT: "rental_contract",
    ItemKind.EMBASSY_LETTER: "embassy_letter", ItemKind.PASSPORT: "passport",
}

# The general policy's checklist (000, EL-1…EL-8), in order: what a profile that lists no items of
# its own (PolicyProfile.verification_items) gets. A profile lists the items its own text supports:
# awaser's handling steps (001, IN-9) give the embassy's case, the passport, the information checked
# complete and correct, and the applicant's signature («التوقيع عليها»).
GENERAL_CHECKLIST = (ItemKind.AGENCY_PRINTOUT, ItemKind.FIELD_VISIT, ItemKind.WITNESSES, ItemKind.INCOME_STATEMENT,
                     ItemKind.SCHOOL_CERTIFICATE, ItemKind.SOCIAL_SECURITY, ItemKind.MEDICAL_REPORT,
                     ItemKind.RENTAL_CONTRACT, ItemKind.NEEDS_ASSESSMENT)
# Items asked once of every file that lists them, whatever its household.
FILE_ITEMS = (ItemKind.EMBASSY_LETTER, ItemKind.PASSPORT, ItemKind.INFORMATION_CHECKED, ItemKind.SIGNED_DECLARATION)
# Items verified on the researcher's note of what was checked, with no document (IN-9 steps 2, 3);
# the applicant's signature is the file's signed declaration (IN-3), not an uploaded document.
NOTE_ITEMS = (ItemKind.INFORMATION_CHECKED,)

MEDICAL_CATEGORIES = {"disabled", "disability_special", "cancer_patient"}
EARNED_INCOME = {IncomeKind.SALARY, IncomeKind.PENSION, IncomeKind.SOCIAL_INSURANCE}
WITNESSES_NEEDED = 2


@dataclass(frozen=True)
class ChecklistEntry:
    kind: str
    member_id: int | None = None

    @property
    def rule(self) -> str:
        return ITEM_RULES[self.kind]


def checklist_for(*, category_codes, members, incomes, housing_type, items=()) -> list[ChecklistEntry]:
    """EL-1…EL-8 (or the profile's own items, IN-9): the verification items a file needs, from the
    profile's list (`items`, PolicyProfile.verification_items; empty: GENERAL_CHECKLIST), its
    categories and household, in the list's order.

    `members` are current household members, `incomes` current income sources (objects with
    the model's attributes)."""
    entries = _household_entries(set(category_codes), members, incomes, housing_type)
    checklist = []
    for kind in dict.fromkeys(items or GENERAL_CHECKLIST):
        checklist += [e for e in entries if e.kind == kind]
        if kind in FILE_ITEMS:
            checklist.append(ChecklistEntry(kind))
    return checklist


def _household_entries(codes, members, incomes, housing_type) -> list[ChecklistEntry]:
    """EL-1…EL-8: the general items as the household calls for them."""
    entries = [ChecklistEntry(ItemKind.AGENCY_PRINTOUT), ChecklistEntry(ItemKind.FIELD_VISIT)]
    if "abandoned" in codes:
        entries.append(ChecklistEntry(ItemKind.WITNESSES))
    earners = {i.member_id for i in incomes if i.kind in EARNED_INCOME}
    entries += [ChecklistEntry(ItemKind.INCOME_STATEMENT, m) for m in sorted(earners, key=lambda x: x or 0)]
    entries += [ChecklistEntry(ItemKind.SCHOOL_CERTIFICATE, m.pk) for m in members
                if m.relationship != "head" and m.school_stage in SCHOOL_STAGES_NEEDING_CERTIFICATE]
    entries.append(ChecklistEntry(ItemKind.SOCIAL_SECURITY))
    entries += [ChecklistEntry(ItemKind.MEDICAL_REPORT, m.pk) for m in members if m.has_disability]
    if codes & MEDICAL_CATEGORIES and not any(m.has_disability for m in members):
        entries.append(ChecklistEntry(ItemKind.MEDICAL_REPORT))
    if housing_type == HousingType.RENTED:
        entries.append(ChecklistEntry(ItemKind.RENTAL_CONTRACT))
    entries.append(ChecklistEntry(ItemKind.NEEDS_ASSESSMENT))
    return entries


# --- EL-8, EL-9, IN-7: needs assessment ----------------------------------------------------

# EL-9: the maxima, the points of each fact and the score bands are the profile's
# (PolicyProfile.needs_study, charity/needs_study.py: the text names the factors — income per
# member against a threshold, dependants, housing, health — and no weights, so the product's
# defaults are loaded with every profile). The assessment keeps the settings it used.


@dataclass(frozen=True)
class NeedsScore:
    income_per_member: Decimal
    points: dict[str, int]
    services: list[str]

    @property
    def total(self) -> int:
        return sum(self.points.values())


def needs_score(*, monthly_income: Decimal, household_size: int, dependants: int, threshold: Decimal,
                housing_type: str | None, housing_poor: bool, health_cases: int, school_children: int,
                working_age_adults: int, study: dict) -> NeedsScore:
    """EL-9: score the need 0–100 with its breakdown on the profile's `study` settings, and
    recommend the services whose need is found and whose score band is reached (IN-7)."""
    maxima, weights = study["maxima"], study["weights"]
    per_member = income_per_member(Decimal(monthly_income), household_size)
    below = threshold > 0 and per_member < threshold
    income_points = round(maxima["income"] * float((threshold - per_member) / threshold)) if below else 0
    points = {
        "income": income_points,
        "dependants": min(maxima["dependants"], weights["per_dependant"] * dependants),
        "housing": min(maxima["housing"], weights["housing"].get(housing_type, 0)
                       + (weights["poor_housing"] if housing_poor else 0)),
        "health": min(maxima["health"], weights["per_health_case"] * health_cases),
    }
    needed = {  # IN-7: the need each service answers, in the order the form lists them
        Service.MONTHLY_CASH: below, Service.FOOD_BASKET: below,
        Service.RENT_SUPPORT: housing_type == HousingType.RENTED and below,
        Service.HOME_REPAIR: housing_poor, Service.SCHOOL_SUPPLIES: bool(school_children),
        Service.MEDICAL_SUPPORT: bool(health_cases), Service.TRAINING: bool(working_age_adults) and below,
    }
    floors, total = band_floors(study), sum(points.values())
    services = [str(s) for s, need in needed.items() if need and s in floors and total >= floors[s]]
    return NeedsScore(per_member, points, services)


# --- Decisions (PR, RT-4, RT-5) -------------------------------------------------------------


class Outcome(models.TextChoices):
    ACCEPT = "accept", _("Accepted")
    REJECT = "reject", _("Rejected")


class Vote(models.TextChoices):
    ACCEPT = "accept", _("For acceptance")
    REJECT = "reject", _("For rejection")
    ABSTAIN = "abstain", _("Abstains")


def committee_outcome(votes: list[str]) -> str | None:
    """The committee's decision from the votes of the members present; None when tied."""
    accept, reject = votes.count(Vote.ACCEPT), votes.count(Vote.REJECT)
    if accept == reject:
        return None
    return Outcome.ACCEPT if accept > reject else Outcome.REJECT



def requested_participant_missing(requested_name: str | None, family_participant: str) -> bool:
    """RT-5: the beneficiary asked that a family member take part in decisions, and a decision is
    recorded without that member's part noted (no one, or someone else)."""
    if not (requested_name or "").strip():
        return False
    return " ".join(requested_name.split()) != " ".join((family_participant or "").split())
