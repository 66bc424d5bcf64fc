"""The controls on providing service (SC-1…SC-12): freeze, lift, exclude, death, and the
daily sweep that enforces the deadlines. The table itself is eligibility/policy.py."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from beneficiaries import services as file_services
from beneficiaries.models import BeneficiaryFile, Document, Member, UpdateRequest
from beneficiaries.policy import FileStatus, MaritalStatus, Relationship
from charity import calendar
from charity.models import PolicyProfile

from . import errors, policy
from .certificates import create_certificate
from .models import DeathRecord, Exclusion, Freeze
from .policy import Consequence, DeathOutcome
from .services import notify_applicant

logger = logging.getLogger("eligibility.controls")

# --- Freezes (SC-6, SC-12) ------------------------------------------------------------------


def freeze_file(*, file: BeneficiaryFile, rule: str, by, today: dt.date, now: dt.datetime, profile: PolicyProfile,
                reason: str = "", update_request: UpdateRequest | None = None) -> Freeze:
    """Freeze an active file for the profile's period under SC-6 or SC-12."""
    if policy.control(rule).consequence != Consequence.FREEZE:
        raise ValueError(f"{rule} is not a freeze rule")
    with transaction.atomic():
        locked = file_services.lock_file(file)
        if locked.status != FileStatus.ACTIVE:
            raise ValidationError(errors.NOT_ACTIVE, code="not_active")
        if locked.freezes.filter(outcome=Freeze.Outcome.OPEN).exists():
            raise ValidationError(errors.ALREADY_FROZEN, code="already_frozen")
        freeze = Freeze.objects.create(
            file=locked, rule=rule, started_on=today, ends_on=policy.freeze_ends_on(today, rule, profile),
            reason=reason or str(policy.control(rule).situation), update_request=update_request, created_by=by,
            created_at=now,
        )
        file_services.change_status(file=locked, to=FileStatus.FROZEN, now=now, reason=f"{rule} freeze")
        if update_request is not None and update_request.status == UpdateRequest.Status.OPEN:
            update_request.status = UpdateRequest.Status.LATE
            update_request.save(update_fields=["status"])
        with translation.override("ar"):
            message = errors.MSG_FROZEN % {"number": locked.number, "until": calendar.format_dual(freeze.ends_on),
                                           "reason": policy.control(rule).situation}
        notify_applicant(file=locked, purpose=f"freeze-{rule}", message=str(message), about=freeze)
    return freeze


def lift_freeze(*, freeze: Freeze, by, now: dt.datetime, note: str) -> Freeze:
    """The beneficiary responded in time (documents supplied, contact details updated): the
    freeze lifts and the file returns to active. For SC-6 the update request must be complete."""
    with transaction.atomic():
        locked = Freeze.objects.select_for_update().get(pk=freeze.pk)
        if locked.outcome != Freeze.Outcome.OPEN:
            raise ValidationError(errors.NOT_FROZEN, code="not_frozen")
        if locked.update_request_id and locked.update_request.status != UpdateRequest.Status.COMPLETED:
            file_services.complete_update_request(request=locked.update_request, by=by, now=now)
        locked.outcome, locked.ended_at, locked.ended_by, locked.end_note = Freeze.Outcome.LIFTED, now, by, note
        locked.save(update_fields=["outcome", "ended_at", "ended_by", "end_note"])
        file_services.change_status(file=locked.file, to=FileStatus.ACTIVE, now=now, reason=f"{locked.rule} lifted")
        with translation.override("ar"):
            message = str(errors.MSG_LIFTED % {"number": locked.file.number})
        notify_applicant(file=locked.file, purpose="freeze-lifted", message=message, about=locked)
    return locked


# --- Exclusions (SC-2…SC-12) ----------------------------------------------------------------


def _check_exclusion(*, file: BeneficiaryFile, rule: str, profile: PolicyProfile, proof_document, proof_note: str,
                     referred_to: str, freeze) -> None:
    control = policy.control(rule)
    if freeze is None and control.consequence != Consequence.EXCLUDE:
        raise ValidationError(errors.NOT_AN_EXCLUSION_RULE % {"rule": rule}, code="not_exclusion_rule")
    if control.needs_proof and proof_document is None and not proof_note.strip():
        raise ValidationError(errors.PROOF_REQUIRED, code="proof_required")
    codes = set(file.categories.values_list("code", flat=True))
    if rule == "SC-10" and policy.sc10_exempt(codes, profile):
        raise ValidationError(errors.ORPHANS_EXEMPT, code="orphans_exempt")
    if rule == "SC-8":
        head = file.members.current().filter(relationship=Relationship.HEAD).first()
        widowed = head is not None and head.marital_status in (MaritalStatus.WIDOWED, MaritalStatus.DIVORCED)
        if not (widowed or codes & {"widow", "divorced"}):
            raise ValidationError(errors.NOT_WIDOW_OR_DIVORCED, code="not_widow_or_divorced")
    if control.refer_to_authorities and not referred_to.strip():
        raise ValidationError(errors.AUTHORITY_REQUIRED, code="authority_required")
    if proof_document is not None and proof_document.file_id != file.pk:
        raise ValidationError(errors.DOCUMENT_OF_OTHER_FILE, code="document_of_other_file")


def exclude_file(*, file: BeneficiaryFile, rule: str, by, today: dt.date, now: dt.datetime, profile: PolicyProfile,
                 proof_document: Document | None = None, proof_note: str = "", referred_to: str = "",
                 freeze: Freeze | None = None) -> Exclusion:
    """Exclude the file under `rule`, recording the proof, who decided and when; issue the
    certificate (SC-2) or the exclusion decision; tell the beneficiary the reason (RT-4)."""
    _check_exclusion(file=file, rule=rule, profile=profile, proof_document=proof_document, proof_note=proof_note,
                     referred_to=referred_to, freeze=freeze)
    with transaction.atomic():
        locked = file_services.lock_file(file)
        if Exclusion.objects.filter(file=locked).exists():
            raise ValidationError(errors.ALREADY_EXCLUDED, code="already_excluded")
        open_freeze = freeze or locked.freezes.filter(outcome=Freeze.Outcome.OPEN).first()
        exclusion = Exclusion.objects.create(
            file=locked, rule=rule, proof_document=proof_document, proof_note=proof_note.strip(),
            referred_to_authorities=referred_to.strip(), freeze=freeze, decided_by=by, decided_at=now,
            decided_on=today,
        )
        if open_freeze is not None:
            open_freeze.outcome, open_freeze.ended_at, open_freeze.ended_by = Freeze.Outcome.EXCLUDED, now, by
            open_freeze.save(update_fields=["outcome", "ended_at", "ended_by"])
        file_services.change_status(file=locked, to=FileStatus.EXCLUDED, now=now, reason=f"{rule} exclusion")
        create_certificate(exclusion=exclusion, now=now, today=today, profile=profile)
        with translation.override("ar"):
            message = errors.MSG_EXCLUDED % {"number": locked.number, "reason": policy.control(rule).situation,
                                             "days": profile.complaint_window_days}
        notify_applicant(file=locked, purpose=f"exclusion-{rule}", message=str(message), about=exclusion)
    return exclusion


# --- Death (SC-7) ---------------------------------------------------------------------------


def record_death(*, file: BeneficiaryFile, deceased: Member, died_on: dt.date, by, now: dt.datetime,
                 new_head: Member | None = None, proof_document: Document | None = None) -> DeathRecord:
    """SC-7: move the file to the wife, or to a chosen child, keeping its number and history;
    with no dependants, close it."""
    if died_on > timezone.localdate(now):
        raise ValidationError(errors.DIED_IN_FUTURE, code="died_in_future")
    with transaction.atomic():
        locked = file_services.lock_file(file)
        if locked.status not in (FileStatus.ACTIVE, FileStatus.FROZEN):
            raise ValidationError(errors.NOT_OPEN_FILE, code="not_open_file")
        current = list(locked.members.current())
        if deceased.relationship != Relationship.HEAD or deceased.pk not in {m.pk for m in current}:
            raise ValidationError(errors.NOT_THE_HEAD, code="not_the_head")
        wives = [m for m in current if m.relationship == Relationship.WIFE]
        children = [m for m in current if m.relationship in (Relationship.SON, Relationship.DAUGHTER)]
        outcome = policy.death_outcome(deceased_gender=deceased.gender, has_wife=bool(wives),
                                       has_children=bool(children))
        if outcome == DeathOutcome.TO_WIFE:
            new_head = new_head if new_head in wives else wives[0]
        elif outcome == DeathOutcome.TO_CHILD:
            if new_head is None:
                raise ValidationError(errors.CHILD_REQUIRED, code="child_required")
            if new_head not in children:
                raise ValidationError(errors.NOT_A_CHILD, code="not_a_child")
        else:
            new_head = None
        file_services.mark_member_left(member=deceased, on=died_on, deceased=True)
        if new_head is not None:
            _make_head(locked, new_head)
        else:
            file_services.change_status(file=locked, to=FileStatus.CLOSED, now=now, reason="SC-7 closed")
        record = DeathRecord.objects.create(file=locked, deceased=deceased, died_on=died_on, outcome=outcome,
                                            new_head=new_head, proof_document=proof_document, recorded_by=by,
                                            recorded_at=now)
        if new_head is not None:
            with translation.override("ar"):
                message = str(errors.MSG_TRANSFERRED % {"number": locked.number, "name": new_head.full_name})
            notify_applicant(file=locked, purpose="death-transfer", message=message, about=record)
    return record


def _make_head(file: BeneficiaryFile, member: Member) -> None:
    other = BeneficiaryFile.objects.open().filter(head_id_number=member.id_number).exclude(pk=file.pk).first()
    if other is not None:
        raise ValidationError(errors.NEW_HEAD_HAS_FILE % {"number": other.number}, code="new_head_has_file")
    file_services.save_member(file=file, member=member, data={"relationship": Relationship.HEAD})


# --- The daily sweep ------------------------------------------------------------------------


@dataclass
class SweepResult:
    excluded: int = 0
    frozen: int = 0
    failed: int = 0


def enforce_deadlines(*, today: dt.date, now: dt.datetime, profile: PolicyProfile | None = None) -> SweepResult:
    """Freezes unanswered at the end of their period become exclusions (SC-6, SC-12); late
    annual updates become SC-6 freezes.

    Exactly once: each file is handled in its own transaction on a locked row (SKIP LOCKED, so
    two sweeps share the work), conditions are re-read under the lock, and the database allows
    one exclusion per file and one open freeze per file. A sweep killed half-way leaves every
    finished file committed; the next run picks up the rest."""
    profile = profile or PolicyProfile.objects.active()
    result = SweepResult()
    lapsed = Freeze.objects.filter(outcome=Freeze.Outcome.OPEN, ends_on__lt=today).order_by("ends_on", "pk")
    for freeze_id in list(lapsed.values_list("pk", flat=True)):
        _count(result, "excluded", _exclude_lapsed(freeze_id, today=today, now=now, profile=profile))
    late = UpdateRequest.objects.filter(status=UpdateRequest.Status.OPEN, due_on__lt=today,
                                        file__status=FileStatus.ACTIVE).order_by("due_on", "pk")
    for request_id in list(late.values_list("pk", flat=True)):
        _count(result, "frozen", _freeze_late(request_id, today=today, now=now, profile=profile))
    return result


def _count(result: SweepResult, field: str, outcome: bool | None) -> None:
    if outcome is None:
        result.failed += 1
    elif outcome:
        setattr(result, field, getattr(result, field) + 1)


def _exclude_lapsed(freeze_id: int, *, today, now, profile) -> bool | None:
    try:
        with transaction.atomic():
            freeze = (Freeze.objects.select_for_update(skip_locked=True)
                      .filter(pk=freeze_id, outcome=Freeze.Outcome.OPEN, ends_on__lt=today).first())
            if freeze is None:
                return False  # lifted meanwhile, or another sweep has it
            exclude_file(file=freeze.file, rule=freeze.rule, by=None, today=today, now=now, profile=profile,
                         proof_note=str(errors.NO_RESPONSE_PROOF % {"until": freeze.ends_on.isoformat()}),
                         freeze=freeze)
            return True
    except ValidationError:
        logger.exception("sweep: freeze %s could not become an exclusion", freeze_id)
        return None


def _freeze_late(request_id: int, *, today, now, profile) -> bool | None:
    try:
        with transaction.atomic():
            request = (UpdateRequest.objects.select_for_update(skip_locked=True)
                       .filter(pk=request_id, status=UpdateRequest.Status.OPEN, due_on__lt=today).first())
            if request is None or request.file.status != FileStatus.ACTIVE:
                return False
            freeze_file(file=request.file, rule="SC-6", by=None, today=today, now=now, profile=profile,
                        update_request=request)
            return True
    except ValidationError:
        logger.exception("sweep: update request %s could not freeze its file", request_id)
        return None
