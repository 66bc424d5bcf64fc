"""The controls on providing service (SC-1…SC-12): freeze, lift, exclude, death, and the
daily sweep that enforces the deadlines. The table itself is eligibility/policy.py."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from beneficiaries import policy as file_policy
from beneficiaries import services as file_services
from beneficiaries.models import BeneficiaryFile, Document, Member, UpdateRequest
from beneficiaries.policy import FileStatus, MaritalStatus, Relationship
from charity import calendar
from charity.models import PolicyProfile
from charity.notifications import queue_notifications

from . import errors, policy
from .certificates import create_certificate, create_certificates
from .models import DeathRecord, Exclusion, Freeze
from .policy import Consequence, DeathOutcome
from .services import applicant_messages, notify_applicant

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
        notify_applicant(file=locked, purpose=f"freeze-{rule}", message=_freeze_message(locked, freeze), about=freeze)
    return freeze


def _freeze_message(file: BeneficiaryFile, freeze: Freeze) -> str:
    with translation.override("ar"):
        return str(errors.MSG_FROZEN % {"number": file.number, "until": calendar.format_dual(freeze.ends_on),
                                        "reason": _sentence(policy.control(freeze.rule).situation)})


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
    if rule == "SC-10" and policy.sc10_exempt(set(file.categories.values_list("code", flat=True)), profile):
        raise ValidationError(errors.ORPHANS_EXEMPT, code="orphans_exempt")
    if rule == "SC-8":
        codes = set(file.categories.values_list("code", flat=True))
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
        notify_applicant(file=locked, purpose=f"exclusion-{rule}", message=_exclusion_message(locked, rule, profile),
                         about=exclusion)
    return exclusion


def _exclusion_message(file: BeneficiaryFile, rule: str, profile: PolicyProfile) -> str:
    with translation.override("ar"):
        return str(errors.MSG_EXCLUDED % {"number": file.number, "reason": _sentence(policy.control(rule).situation),
                                          "days": profile.complaint_window_days})


def _sentence(text) -> str:
    """A rule's text set inside a message, which puts its own full stop after it."""
    return str(text).rstrip(" .")


# --- Death (SC-7) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Household:
    """SC-7: the current head, wives and children (eldest first), and what the head's death does."""

    head: Member | None
    wives: list[Member]
    children: list[Member]

    @property
    def outcome(self) -> str | None:
        if self.head is None:
            return None
        return policy.death_outcome(deceased_gender=self.head.gender, has_wife=bool(self.wives),
                                    has_children=bool(self.children))


def death_household(file: BeneficiaryFile) -> Household:
    current = list(file.members.current().order_by("birth_date", "pk"))
    return Household(head=next((m for m in current if m.relationship == Relationship.HEAD), None),
                     wives=[m for m in current if m.relationship == Relationship.WIFE],
                     children=[m for m in current if m.relationship in policy.DEATH_HEIRS_CHILDREN])


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
        household = death_household(locked)
        if household.head is None or household.head.pk != deceased.pk:
            raise ValidationError(errors.NOT_THE_HEAD, code="not_the_head")
        outcome = household.outcome
        if outcome == DeathOutcome.TO_WIFE:
            new_head = new_head if new_head in household.wives else household.wives[0]
        elif outcome == DeathOutcome.TO_CHILD:
            if new_head is None:
                raise ValidationError(errors.CHILD_REQUIRED, code="child_required")
            if new_head not in household.children:
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
    """The member becomes head; save_member refuses one who already heads another open file
    (one open file per head), said here in SC-7's words."""
    try:
        file_services.save_member(file=file, member=member, data={"relationship": Relationship.HEAD})
    except ValidationError as exc:
        other = file_services.other_open_file(member.id_number, exclude_pk=file.pk)
        if exc.code != "duplicate_open_file" or other is None:
            raise
        raise ValidationError(errors.NEW_HEAD_HAS_FILE % {"number": other.number}, code="new_head_has_file") from exc


# --- The daily sweep ------------------------------------------------------------------------


@dataclass
class SweepResult:
    excluded: int = 0
    frozen: int = 0
    failed: int = 0


def enforce_deadlines(*, today: dt.date, now: dt.datetime, profile: PolicyProfile | None = None,
                      batch_size: int | None = None) -> SweepResult:
    """Freezes unanswered at the end of their period become exclusions (SC-6, SC-12); late
    annual updates become SC-6 freezes.

    Exactly once: the due rows are taken a batch at a time, each batch in its own transaction
    on rows locked with SKIP LOCKED (the freeze or update request *and* its file), so two sweeps
    share the work and never wait on each other; conditions are re-read under the lock, and the
    database allows one exclusion per file and one open freeze per file. A sweep killed
    half-way leaves every finished batch committed; the next run picks up the rest.

    Rows a batch cannot take — a file another transaction holds at that moment, or a row in a
    state the batch does not expect — are then handled one by one through the same services a
    manager uses (`exclude_file`, `freeze_file`), which wait for the lock and log what fails."""
    profile = profile or PolicyProfile.objects.active()
    size = batch_size or settings.SWEEP_BATCH_SIZE
    result = SweepResult()

    result.excluded += _run_batches(_exclude_lapsed_batch, today=today, now=now, profile=profile, size=size)
    lapsed = Freeze.objects.lapsed(today).order_by("ends_on", "pk")
    for freeze_id, file_id in list(lapsed.values_list("pk", "file_id")):
        _count(result, "excluded", _exclude_lapsed(freeze_id, file_id, today=today, now=now, profile=profile))

    result.frozen += _run_batches(_freeze_late_batch, today=today, now=now, profile=profile, size=size)
    late = UpdateRequest.objects.filter(status=UpdateRequest.Status.OPEN, due_on__lt=today,
                                        file__status=FileStatus.ACTIVE).order_by("due_on", "pk")
    for request_id, file_id in list(late.values_list("pk", "file_id")):
        _count(result, "frozen", _freeze_late(request_id, file_id, today=today, now=now, profile=profile))
    return result


def _run_batches(step, **kwargs) -> int:
    """Run `step` until no due row is left; return how many rows it handled. A batch that fails
    in the database is rolled back whole and the rest goes one by one (the caller's next loop),
    so one bad row never stops the sweep nor makes it retry the same batch for ever."""
    done, passed_over = 0, set()
    while True:
        try:
            batch = step(passed_over=passed_over, **kwargs)
        except DatabaseError:
            logger.exception("sweep: a batch failed and was rolled back; the rest goes one by one")
            return done
        if batch is None:
            return done
        done += batch


def _count(result: SweepResult, field: str, outcome: bool | None) -> None:
    if outcome is None:
        result.failed += 1
    elif outcome:
        setattr(result, field, getattr(result, field) + 1)


def _exclude_lapsed_batch(*, today, now, profile, size: int, passed_over: set[int]) -> int | None:
    """Exclude up to `size` lapsed freezes in one transaction, with bulk statements: the same
    records as `exclude_file` (exclusion, freeze ended, file status, history of each, certificate,
    notifications after commit). Return how many were excluded, or None when no due freeze is
    left to take. Freezes the batch leaves alone are added to `passed_over`."""
    with transaction.atomic():
        freezes = list(
            Freeze.objects.select_for_update(skip_locked=True, of=("self", "file")).select_related("file")
            .lapsed(today).exclude(pk__in=passed_over)
            .order_by("ends_on", "pk")[:size]
        )
        if not freezes:
            return None
        excluded_already = set(Exclusion.objects.filter(file_id__in=[f.file_id for f in freezes])
                               .values_list("file_id", flat=True))
        ready = []
        for freeze in freezes:
            if (freeze.file_id in excluded_already
                    or not file_policy.can_transition(freeze.file.status, FileStatus.EXCLUDED)
                    or _exclusion_problem(freeze.file, freeze.rule, profile, _no_response_note(freeze), freeze)):
                passed_over.add(freeze.pk)  # to the one-by-one path, which reports why
            else:
                ready.append(freeze)
        if not ready:
            return 0
        exclusions = bulk_create_with_history([
            Exclusion(file=freeze.file, rule=freeze.rule, proof_note=_no_response_note(freeze), freeze=freeze,
                      decided_at=now, decided_on=today)
            for freeze in ready
        ], Exclusion)
        Freeze.objects.filter(pk__in=[f.pk for f in ready]).update(outcome=Freeze.Outcome.EXCLUDED, ended_at=now,
                                                                   ended_by=None)
        for freeze in ready:
            freeze.outcome, freeze.ended_at, freeze.ended_by = Freeze.Outcome.EXCLUDED, now, None
        Freeze.history.bulk_history_create(ready, update=True)
        file_services.change_status_many(files=[f.file for f in ready], to=FileStatus.EXCLUDED, now=now,
                                         reasons={f.file_id: f"{f.rule} exclusion" for f in ready})
        create_certificates(exclusions=exclusions, now=now, today=today, profile=profile)
        queue_notifications([
            message for exclusion in exclusions
            for message in applicant_messages(file=exclusion.file, purpose=f"exclusion-{exclusion.rule}",
                                              message=_exclusion_message(exclusion.file, exclusion.rule, profile),
                                              about=exclusion)
        ])
    return len(ready)


def _no_response_note(freeze: Freeze) -> str:
    return str(errors.NO_RESPONSE_PROOF % {"until": freeze.ends_on.isoformat()})


def _exclusion_problem(file, rule, profile, proof_note, freeze) -> str | None:
    try:
        _check_exclusion(file=file, rule=rule, profile=profile, proof_document=None, proof_note=proof_note,
                         referred_to="", freeze=freeze)
    except ValidationError as exc:
        return exc.messages[0]
    return None


def _freeze_late_batch(*, today, now, profile, size: int, passed_over: set[int]) -> int | None:
    """Freeze (SC-6) up to `size` active files whose annual update is late, in one transaction:
    the same records as `freeze_file`. Return how many were frozen, or None when none is left."""
    with transaction.atomic():
        requests = list(
            UpdateRequest.objects.select_for_update(skip_locked=True, of=("self", "file")).select_related("file")
            .filter(status=UpdateRequest.Status.OPEN, due_on__lt=today, file__status=FileStatus.ACTIVE)
            .exclude(pk__in=passed_over).order_by("due_on", "pk")[:size]
        )
        if not requests:
            return None
        frozen_already = set(Freeze.objects.filter(file_id__in=[r.file_id for r in requests],
                                                   outcome=Freeze.Outcome.OPEN).values_list("file_id", flat=True))
        ready = []
        for request in requests:
            if request.file_id in frozen_already:
                passed_over.add(request.pk)  # to the one-by-one path, which reports why
            else:
                ready.append(request)
                frozen_already.add(request.file_id)
        if not ready:
            return 0
        rule = "SC-6"
        ends_on, reason = policy.freeze_ends_on(today, rule, profile), str(policy.control(rule).situation)
        freezes = bulk_create_with_history([
            Freeze(file=request.file, rule=rule, started_on=today, ends_on=ends_on, reason=reason,
                   update_request=request, created_at=now)
            for request in ready
        ], Freeze)
        file_services.change_status_many(files=[r.file for r in ready], to=FileStatus.FROZEN, now=now,
                                         reasons={r.file_id: f"{rule} freeze" for r in ready})
        UpdateRequest.objects.filter(pk__in=[r.pk for r in ready]).update(status=UpdateRequest.Status.LATE)
        for request in ready:
            request.status = UpdateRequest.Status.LATE
        UpdateRequest.history.bulk_history_create(ready, update=True)
        queue_notifications([
            message for freeze in freezes
            for message in applicant_messages(file=freeze.file, purpose=f"freeze-{rule}",
                                              message=_freeze_message(freeze.file, freeze), about=freeze)
        ])
    return len(ready)


def _exclude_lapsed(freeze_id: int, file_id: int, *, today, now, profile) -> bool | None:
    """One lapsed freeze through `exclude_file`. The file is locked first (waiting for whoever
    holds it), then the freeze without waiting: the order every other path takes, so no deadlock."""
    try:
        with transaction.atomic():
            file = file_services.lock_file(BeneficiaryFile(pk=file_id))
            freeze = (Freeze.objects.select_for_update(skip_locked=True).lapsed(today)
                      .filter(pk=freeze_id, file=file).first())
            if freeze is None:
                return False  # lifted meanwhile, or another sweep has it
            exclude_file(file=file, rule=freeze.rule, by=None, today=today, now=now, profile=profile,
                         proof_note=_no_response_note(freeze), freeze=freeze)
            return True
    except (ValidationError, DatabaseError):
        logger.exception("sweep: freeze %s could not become an exclusion", freeze_id)
        return None


def _freeze_late(request_id: int, file_id: int, *, today, now, profile) -> bool | None:
    try:
        with transaction.atomic():
            file = file_services.lock_file(BeneficiaryFile(pk=file_id))
            request = (UpdateRequest.objects.select_for_update(skip_locked=True)
                       .filter(pk=request_id, file=file, status=UpdateRequest.Status.OPEN, due_on__lt=today).first())
            if request is None or file.status != FileStatus.ACTIVE:
                return False
            freeze_file(file=file, rule="SC-6", by=None, today=today, now=now, profile=profile,
                        update_request=request)
            return True
    except (ValidationError, DatabaseError):
        logger.exception("sweep: update request %s could not freeze its file", request_id)
        return None
