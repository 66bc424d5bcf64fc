"""The daily sweep (SC-6, SC-12): freezes unanswered at the end of their period become
exclusions, late annual updates become freezes. The controls themselves are controls.py."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.module_loading import import_string
from simple_history.utils import bulk_create_with_history

from beneficiaries import policy as file_policy
from beneficiaries import services as file_services
from beneficiaries.models import BeneficiaryFile, UpdateRequest
from beneficiaries.policy import FileStatus
from charity.models import PolicyProfile
from charity.notifications import queue_notifications
from charity.policy import Section

from . import errors, policy
from .certificates import create_certificates
from .controls import (
    check_exclusion,
    exclude_file,
    exclusion_message,
    freeze_file,
    freeze_message,
    record_freeze_response,
)
from .models import Exclusion, Freeze
from .services import applicant_messages

logger = logging.getLogger("eligibility.sweep")


@dataclass
class SweepResult:
    excluded: int = 0
    frozen: int = 0
    failed: int = 0
    told: int = 0
    responded: int = 0
    controls_adopted: bool = True  # False: the profile has not adopted SC, nothing was frozen or excluded


def enforce_deadlines(*, today: dt.date, now: dt.datetime, profile: PolicyProfile | None = None,
                      batch_size: int | None = None, on_batch: Callable[[int], None] | None = None) -> SweepResult:
    """Freezes unanswered at the end of their period become exclusions (SC-6, SC-12); late
    annual updates become SC-6 freezes.

    Exactly once: the due rows are taken a batch at a time, each batch in its own transaction
    on rows locked with SKIP LOCKED (the freeze or update request *and* its file), so two sweeps
    share the work and never wait on each other; conditions are re-read under the lock, and the
    database allows one exclusion per file and one open freeze per file. A sweep killed
    half-way leaves every finished batch committed; the next run picks up the rest.

    Rows a batch cannot take — a file another transaction holds at that moment, or a row in a
    state the batch does not expect — are then handled one by one through the same services a
    manager uses (`exclude_file`, `freeze_file`), which wait for the lock and log what fails.

    `on_batch(done)` is called after each committed batch: the task's sign of life (charity/jobs.py)."""
    profile = profile or PolicyProfile.objects.active()
    size = batch_size or settings.SWEEP_BATCH_SIZE
    result = SweepResult()
    # First what protects families: delivered announcements start their clocks (DU-5; a family
    # never told has no due date, so it is never late), and documents handed in during an SC-6
    # freeze are a response (lifted, or awaiting review), never an exclusion "without response".
    result.told = file_services.record_delivered_notices()
    result.responded = _record_responses(today=today, now=now)
    # PR «Sections per profile»: freezes and exclusions apply the service-control table (SC-6,
    # SC-12), which only an association whose board adopted it may apply (texts 001–004 have none).
    if not profile.adopts(Section.SERVICE_CONTROLS):
        logger.info("sweep: profile %s has not adopted the service controls (SC): no freeze, no exclusion",
                    profile.code)
        result.controls_adopted = False
        return result

    result.excluded += _run_batches(_exclude_lapsed_batch, on_batch, today=today, now=now, profile=profile, size=size)
    lapsed = Freeze.objects.lapsed(today).order_by("ends_on", "pk")
    for freeze_id, file_id in list(lapsed.values_list("pk", "file_id")):
        _count(result, "excluded", _exclude_lapsed(freeze_id, file_id, today=today, now=now, profile=profile))

    result.frozen += _run_batches(_freeze_late_batch, on_batch, today=today, now=now, profile=profile, size=size)
    late = UpdateRequest.objects.filter(status=UpdateRequest.Status.OPEN, due_on__lt=today,
                                        file__status=FileStatus.ACTIVE).order_by("due_on", "pk")
    for request_id, file_id in list(late.values_list("pk", "file_id")):
        _count(result, "frozen", _freeze_late(request_id, file_id, today=today, now=now, profile=profile))
    return result


def _record_responses(*, today: dt.date, now: dt.datetime) -> int:
    """SC-6: record the responses an upload left unrecorded, and complete the told, late update
    requests whose documents are all in (so such a family is not frozen)."""
    count = 0
    for file_id in list(Freeze.objects.answered_unrecorded().values_list("file_id", flat=True)):
        try:
            record_freeze_response(file_id=file_id, now=now)
            count += 1
        except (ValidationError, DatabaseError):
            logger.exception("sweep: the response on file %s could not be recorded", file_id)
    late = UpdateRequest.objects.filter(status=UpdateRequest.Status.OPEN, due_on__lt=today)
    for file_id in list(late.values_list("file_id", flat=True).distinct()):
        try:
            file_services.complete_renewed_requests(file_id=file_id, by=None, now=now)
        except (ValidationError, DatabaseError):
            logger.exception("sweep: the update requests of file %s could not be completed", file_id)
    return count


def _run_batches(step, on_batch, **kwargs) -> int:
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
        if on_batch:
            on_batch(done)
        if settings.SWEEP_AFTER_BATCH:  # a test's pause point (settings.py); unset in production
            import_string(settings.SWEEP_AFTER_BATCH)(done)


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
                                              message=exclusion_message(exclusion.file, exclusion.rule, profile),
                                              about=exclusion)
        ])
    return len(ready)


def _no_response_note(freeze: Freeze) -> str:
    return str(errors.NO_RESPONSE_PROOF % {"until": freeze.ends_on.isoformat()})


def _exclusion_problem(file, rule, profile, proof_note, freeze) -> str | None:
    try:
        check_exclusion(file=file, rule=rule, profile=profile, proof_document=None, proof_note=proof_note,
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
                                              message=freeze_message(freeze.file, freeze), about=freeze)
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
