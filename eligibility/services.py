"""Eligibility: the verification checklist, field visits, needs assessment and decisions.

Service controls (freeze, exclusion, death) live in controls.py, the daily sweep in sweep.py,
certificates in certificates.py. Every function takes the acting user and now/today explicitly.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from beneficiaries import services as file_services
from beneficiaries.messages import contact_messages, tell_family
from beneficiaries.models import BeneficiaryFile, Document
from beneficiaries.policy import SCHOOL_STAGES_NEEDING_CERTIFICATE, FileStatus, Relationship
from charity import calendar, setup
from charity import errors as setup_errors
from charity.charter import grievance_period
from charity.message_catalog import LANGUAGE as MESSAGE_LANGUAGE
from charity.models import Notification, PolicyProfile
from charity.needs_study import validate_needs_study
from charity.notifications import queue_notification
from charity.policy import DecidingBody
from charity.roles import Role
from charity.text import series

from . import errors, policy
from .messages import ACCEPTED_WITHOUT_REASONS
from .models import OPEN_ITEM_STATUSES, CommitteeVote, Decision, FieldVisit, NeedsAssessment, VerificationItem, Witness
from .policy import ItemKind, Outcome

# --- EL-1…EL-8: the checklist ---------------------------------------------------------------


def ensure_checklist(file: BeneficiaryFile) -> list[VerificationItem]:
    """Create the checklist items the file needs now; items no longer needed become
    «not applicable» (never deleted). Idempotent."""
    members = list(file.members.current())
    entries = policy.checklist_for(
        category_codes=file.categories.values_list("code", flat=True), members=members,
        incomes=list(file.incomes.current()), housing_type=file.housing_type,
        items=PolicyProfile.objects.active().verification_items,
    )
    wanted = {(e.kind, e.member_id): e for e in entries}
    existing = {(i.kind, i.member_id): i for i in file.verification_items.all()}
    with transaction.atomic():
        for key, entry in wanted.items():
            if key not in existing:
                existing[key] = VerificationItem.objects.create(file=file, kind=entry.kind, member_id=entry.member_id,
                                                                rule=entry.rule)
        for key, item in existing.items():
            if key not in wanted and item.is_open:
                item.status, item.note = VerificationItem.Status.NOT_APPLICABLE, str(errors.NO_LONGER_REQUIRED)
                item.save(update_fields=["status", "note"])
    return list(file.verification_items.select_related("member", "document", "verified_by").order_by("id"))


def _require_study(file: BeneficiaryFile) -> None:
    if file.status != FileStatus.UNDER_STUDY:
        raise ValidationError(errors.STUDY_CLOSED, code="study_closed")


def attach_document(*, item: VerificationItem, document: Document) -> VerificationItem:
    """Link a document to the item: it becomes «received», awaiting verification."""
    _require_study(item.file)
    if document.file_id != item.file_id:
        raise ValidationError(errors.DOCUMENT_OF_OTHER_FILE, code="document_of_other_file")
    item.document, item.status = document, VerificationItem.Status.RECEIVED
    item.save(update_fields=["document", "status"])
    return item


def verify_item(*, item: VerificationItem, by, now: dt.datetime, note: str = "") -> VerificationItem:
    """The researcher confirms the item: with its document, or for witnesses, a visit or
    the needs study, with the records that prove it."""
    _require_study(item.file)
    problem = _verification_problem(item, note)
    if problem:
        raise ValidationError(problem, code="cannot_verify")
    item.status, item.verified_by, item.verified_at = VerificationItem.Status.VERIFIED, by, now
    item.note = note or item.note
    item.save(update_fields=["status", "verified_by", "verified_at", "note"])
    return item


def _verification_problem(item: VerificationItem, note: str = ""):
    if item.kind == ItemKind.WITNESSES:
        if item.file.witnesses.count() < policy.WITNESSES_NEEDED:
            return errors.TWO_WITNESSES_NEEDED
    elif item.kind == ItemKind.FIELD_VISIT:
        if not item.file.field_visits.filter(status=FieldVisit.Status.COMPLETED).exists():
            return errors.NO_COMPLETED_VISIT
    elif item.kind == ItemKind.NEEDS_ASSESSMENT:
        if not item.file.needs_assessments.exists():
            return errors.NO_ASSESSMENT
    elif item.kind == ItemKind.SIGNED_DECLARATION:  # IN-9 step 3: the IN-3 declaration signed
        if not item.file.declarations.exists():
            return errors.NO_DECLARATION
    elif item.kind in policy.NOTE_ITEMS:  # IN-9: what was checked, in the researcher's words
        if not (note or "").strip():
            return errors.NOTE_REQUIRED
    elif item.document_id is None:
        return errors.NO_DOCUMENT
    return None


def mark_not_applicable(*, item: VerificationItem, by, now: dt.datetime, note: str) -> VerificationItem:
    _require_study(item.file)
    if not note.strip():
        raise ValidationError(errors.NOTE_REQUIRED, code="note_required")
    item.status, item.note, item.verified_by, item.verified_at = (
        VerificationItem.Status.NOT_APPLICABLE, note.strip(), by, now)
    item.save(update_fields=["status", "note", "verified_by", "verified_at"])
    return item


def add_witness(*, file: BeneficiaryFile, by, now: dt.datetime, name: str, national_id: str, phone: str,
                statement: str) -> Witness:
    """EL-3: record a witness (name, identity, phone, statement)."""
    _require_study(file)
    if file.witnesses.filter(national_id=national_id).exists():
        raise ValidationError(errors.WITNESS_TWICE, code="witness_twice")
    return Witness.objects.create(file=file, name=name, national_id=national_id, phone=phone,
                                  statement=statement, recorded_by=by, recorded_at=now)


def open_items(file: BeneficiaryFile):
    return file.verification_items.filter(status__in=OPEN_ITEM_STATUSES)


def with_readiness(files):
    """RT-1: annotate each file's `item_count` and `open_count` (one query, for lists); a file is
    ready for decision when policy.checklist_done(item_count, open_count)."""
    return files.annotate(item_count=Count("verification_items"),
                          open_count=Count("verification_items", filter=Q(verification_items__status__in=
                                                                          OPEN_ITEM_STATUSES)))


# --- EL-2: field visits ---------------------------------------------------------------------


def schedule_visit(*, file: BeneficiaryFile, by, researcher, on: dt.date, today: dt.date) -> FieldVisit:
    """EL-2: schedule a home visit (during the study, or a follow-up visit of an open file)."""
    if not file.is_open:
        raise ValidationError(errors.FILE_NOT_OPEN, code="file_not_open")
    if on < today:
        raise ValidationError(errors.VISIT_IN_PAST, code="visit_in_past")
    return FieldVisit.objects.create(file=file, researcher=researcher, scheduled_for=on, created_by=by)


def record_visit(*, visit: FieldVisit, by, now: dt.datetime, report: dict, photos=()) -> FieldVisit:
    """EL-2: the visit's report: housing type and state, furniture, observations, who was
    present, the recommendation and photos."""
    if visit.status != FieldVisit.Status.SCHEDULED:
        raise ValidationError(errors.VISIT_NOT_SCHEDULED, code="visit_not_scheduled")
    for name in ("housing_state", "observations", "present", "recommendation"):
        if not report.get(name):
            raise ValidationError(errors.VISIT_REPORT_INCOMPLETE, code="visit_report_incomplete")
    with transaction.atomic():
        for name, value in report.items():
            setattr(visit, name, value)
        visit.status, visit.visited_at = FieldVisit.Status.COMPLETED, now
        visit.save()
        visit.photos.add(*photos)
        item = visit.file.verification_items.filter(kind=ItemKind.FIELD_VISIT, status__in=[
            VerificationItem.Status.REQUIRED, VerificationItem.Status.RECEIVED]).first()
        if item:
            verify_item(item=item, by=by, now=now)
    return visit


def record_nobody_home(*, visit: FieldVisit, by, new_date: dt.date, today: dt.date, note: str = "") -> FieldVisit:
    """EL-2: nobody was home; the visit gets a new date."""
    if visit.status != FieldVisit.Status.SCHEDULED:
        raise ValidationError(errors.VISIT_NOT_SCHEDULED, code="visit_not_scheduled")
    with transaction.atomic():
        new_visit = schedule_visit(file=visit.file, by=by, researcher=visit.researcher, on=new_date, today=today)
        visit.status, visit.observations, visit.rescheduled_to = FieldVisit.Status.NOBODY_HOME, note, new_visit
        visit.save(update_fields=["status", "observations", "rescheduled_to"])
    return new_visit


# --- EL-8, EL-9, IN-7: needs assessment ----------------------------------------------------


def household_figures(file: BeneficiaryFile, *, today: dt.date) -> dict:
    """The figures of the needs form, read from the file."""
    members = list(file.members.current())
    income = sum((i.monthly_amount for i in file.incomes.current()), Decimal("0"))
    adults = [m for m in members if 18 <= (calendar.age_on(m.birth_date, today) or 0) < 60]
    return {
        "household_size": len(members),
        "dependants": sum(1 for m in members if m.relationship != Relationship.HEAD),
        "monthly_income": income,
        "health_cases": sum(1 for m in members if m.has_disability or m.health_conditions.strip()),
        "school_children": sum(1 for m in members if m.school_stage in SCHOOL_STAGES_NEEDING_CERTIFICATE),
        "working_age_adults": len(adults),
    }


def assess_needs(*, file: BeneficiaryFile, by, now: dt.datetime, today: dt.date, profile: PolicyProfile,
                 housing_poor: bool | None = None, notes: str = "") -> NeedsAssessment:
    """EL-8, EL-9: score the need from the file and the latest visit; recommend services (IN-7)."""
    validate_needs_study(profile.needs_study)  # EL-9: bad settings are refused, nothing is saved
    figures = household_figures(file, today=today)
    visit = file.field_visits.filter(status=FieldVisit.Status.COMPLETED).order_by("-visited_at").first()
    if housing_poor is None:
        housing_poor = visit is not None and visit.housing_state == FieldVisit.HousingState.POOR
    score = policy.needs_score(
        monthly_income=figures["monthly_income"], household_size=figures["household_size"],
        dependants=figures["dependants"], threshold=profile.income_threshold_per_member,
        housing_type=file.housing_type, housing_poor=housing_poor, health_cases=figures["health_cases"],
        school_children=figures["school_children"], working_age_adults=figures["working_age_adults"],
        study=profile.needs_study,
    )
    with transaction.atomic():
        assessment = NeedsAssessment.objects.create(
            file=file, assessed_by=by, assessed_at=now, household_size=figures["household_size"],
            dependants=figures["dependants"], monthly_income=figures["monthly_income"],
            income_per_member=score.income_per_member, threshold=profile.income_threshold_per_member,
            housing_poor=housing_poor, health_cases=figures["health_cases"], breakdown=score.points,
            score=score.total, recommended_services=score.services, weights=copy.deepcopy(profile.needs_study),
            notes=notes,
        )
        item = open_items(file).filter(kind=ItemKind.NEEDS_ASSESSMENT).first()
        if item:
            verify_item(item=item, by=by, now=now)
    return assessment


# --- Decisions (PR, IN-5, RT-1, RT-4, RT-5) -------------------------------------------------


def decision_problems(file: BeneficiaryFile, profile: PolicyProfile | None = None) -> list[str]:
    """Why the file cannot go to decision yet (RT-1: after desk and field research); with the
    profile, also a committee without a quorum set (charity.setup)."""
    problems = [str(setup_errors.QUORUM_NOT_SET)] if profile is not None and setup.quorum_missing(profile) else []
    if file.status != FileStatus.UNDER_STUDY:
        problems.append(str(errors.NOT_UNDER_STUDY))
    items = list(file.verification_items.all())
    open_labels = [str(i.get_kind_display()) for i in items if i.is_open]
    if not policy.checklist_done(len(items), len(open_labels)):
        problems.append(errors.OPEN_ITEMS % {"items": series(open_labels)} if items else str(errors.NO_CHECKLIST))
    return problems


def _check_decider(*, by, profile: PolicyProfile, votes) -> str | None:
    """Return the outcome the votes impose (committee), after checking who may decide."""
    if profile.deciding_body == DecidingBody.COMMITTEE:
        if not by.has_perm("eligibility.vote_in_committee"):
            raise ValidationError(errors.NOT_THE_DECIDING_BODY, code="not_deciding_body")
        if setup.quorum_missing(profile):  # no text gives a quorum: the admin sets it first
            raise ValidationError(setup_errors.QUORUM_NOT_SET, code="quorum_not_set")
        members = [member for member, _vote in votes or []]
        if len(set(members)) < profile.committee_quorum:
            raise ValidationError(errors.NO_QUORUM % {"quorum": profile.committee_quorum}, code="no_quorum")
        if any(not m.groups.filter(name=Role.COMMITTEE.value).exists() for m in members):
            raise ValidationError(errors.NOT_A_COMMITTEE_MEMBER, code="not_committee_member")
        outcome = policy.committee_outcome([vote for _member, vote in votes])
        if outcome is None:
            raise ValidationError(errors.VOTES_TIED, code="votes_tied")
        return outcome
    if not by.has_perm("eligibility.decide_application"):
        raise ValidationError(errors.NOT_THE_DECIDING_BODY, code="not_deciding_body")
    return None


def decide_application(*, file: BeneficiaryFile, by, profile: PolicyProfile, outcome: str, reasons: str,
                       now: dt.datetime, votes=None, family_participant: str = "",
                       family_participant_relationship: str = "", ministry_reference: str = "") -> Decision:
    """Record the deciding body's decision. Accept → active; reject → reasons are mandatory and
    reach the applicant (RT-4). A family member taking part is recorded (RT-5)."""
    voted = _check_decider(by=by, profile=profile, votes=votes)
    if voted is not None and voted != outcome:
        raise ValidationError(errors.OUTCOME_AGAINST_VOTES, code="outcome_against_votes")
    if outcome == Outcome.REJECT and not reasons.strip():
        raise ValidationError(errors.REASONS_REQUIRED, code="reasons_required")
    with transaction.atomic():
        locked = file_services.lock_file(file)
        problems = decision_problems(locked)
        if problems:
            raise ValidationError(problems, code="not_ready_for_decision")
        decision = Decision.objects.create(
            file=locked, body=profile.deciding_body, outcome=outcome, reasons=reasons.strip(), decided_by=by,
            decided_at=now, family_participant=family_participant.strip(),
            family_participant_relationship=family_participant_relationship.strip(),
            ministry_reference=ministry_reference.strip(),
        )
        for member, vote in votes or []:
            CommitteeVote.objects.create(decision=decision, member=member, vote=vote)
        target = FileStatus.ACTIVE if outcome == Outcome.ACCEPT else FileStatus.REJECTED
        file_services.change_status(file=locked, to=target, now=now, reason=f"decision: {outcome}")
        tell_family(file=locked, purpose=f"decision-{outcome}", about=decision, profile=profile,
                    dedupe_key=f"decision:{decision.pk}",
                    context={"reasons": decision.reasons or ACCEPTED_WITHOUT_REASONS,
                             **grievance_context(profile)})
    return decision


def grievance_context(profile: PolicyProfile) -> dict:
    """CP-1, CP-2: when a refused or excluded family may file a grievance, for the message's
    {grievance_period}. `grievance_days` keeps an admin's wording written before it readable."""
    return {"grievance_period": grievance_period(profile, MESSAGE_LANGUAGE),
            "grievance_days": profile.complaint_window_days}


def applicant_messages(*, file: BeneficiaryFile, purpose: str, message: str, about) -> list[dict]:
    """The message to the applicant by SMS and by email, to the file's contacts (RT-4)."""
    return contact_messages(file=file, purpose=purpose, body=message, about=about)


def notify_applicant(*, file: BeneficiaryFile, purpose: str, message: str, about) -> list[Notification]:
    """Queue the message by SMS and email to the file's contacts (delivered after commit)."""
    rows = [queue_notification(**fields)
            for fields in applicant_messages(file=file, purpose=purpose, message=message, about=about)]
    return [row for row in rows if row is not None]
