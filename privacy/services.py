"""Every change of a data-subject request, and the retention job (PDPL).

Views, the admin, the task and the command call these; none sets `status` by hand. Each takes
the acting user and `now`/`today` explicitly. Nothing here deletes a row: the retention job
replaces personal data (policy.py says which fields, how) and removes stored files, and logs
every action in RetentionLog.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import BeneficiaryFile, Document, Member
from beneficiaries.validators import clean_national_id, validate_national_id
from charity import calendar
from charity.models import AccessLog, DeliveryAttempt, Notification
from charity.text import series
from complaints.models import Complaint
from complaints.policy import Status as ComplaintStatus

from . import policy
from .exports import export_person, find_person
from .models import DataSubjectRequest, DestroyedDocument, RetentionLog
from .policy import RequestKind, RequestStatus, RetentionRule

logger = logging.getLogger("privacy.retention")

# Messages users see when a service refuses (tests import them).
RECEIVED_IN_FUTURE = _("The date of receipt cannot be in the future.")
FIELD_REQUIRED = _("This field is required.")
NOT_OPEN = _("This request is already closed.")
NOT_AN_ACCESS_REQUEST = _("Only an access request has an export.")
EXPORT_FIRST = _("Prepare the export before completing an access request.")
CORRECTION_REQUIRED = _("Choose the change that corrected the data, or refuse the request with reasons.")
CORRECTION_UNKNOWN = _("This change is not one of the person's records changed since the request was received.")
NAMED_IN_COMPLAINT = _("You are named in a complaint of this person: another member of staff must prepare "
                       "the export (CP-8).")

# --- Requests -------------------------------------------------------------------------------


def record_request(*, by, kind: str, national_id: str, requester_name: str, contact: str, received_on: dt.date,
                   today: dt.date, now: dt.datetime, details: str = "") -> DataSubjectRequest:
    """Record a request with its due date stored: 30 days after receipt (PDPL)."""
    national_id = clean_national_id(national_id)
    problems = {}
    try:
        validate_national_id(national_id)
    except ValidationError as exc:
        problems["national_id"] = exc.messages[0]
    for name, value in (("requester_name", requester_name), ("contact", contact)):
        if not (value or "").strip():
            problems[name] = FIELD_REQUIRED
    if received_on > today:
        problems["received_on"] = RECEIVED_IN_FUTURE
    if problems:
        raise ValidationError(problems)
    return DataSubjectRequest.objects.create(
        kind=kind, national_id=national_id, requester_name=requester_name.strip(), contact=contact.strip(),
        details=(details or "").strip(), received_on=received_on, due_on=policy.request_due_on(received_on),
        recorded_by=by, recorded_at=now,
    )


def _lock_open(request: DataSubjectRequest) -> DataSubjectRequest:
    locked = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.OPEN:
        raise ValidationError(NOT_OPEN, code="not_open")
    return locked


def prepare_export(*, request: DataSubjectRequest, by, now: dt.datetime) -> DataSubjectRequest:
    """Build the person's export and store it privately on the request (a new one replaces the old)."""
    if request.kind != RequestKind.ACCESS:
        raise ValidationError(NOT_AN_ACCESS_REQUEST, code="not_access")
    if Complaint.objects.filter(national_id=request.national_id, named_staff=by).exists():
        raise ValidationError(NAMED_IN_COMPLAINT, code="named_in_complaint")
    data = export_person(request.national_id, now=now)
    with transaction.atomic():
        locked = _lock_open(request)
        previous = locked.export_file.name
        locked.export_file.save("export.zip", ContentFile(data), save=False)
        try:
            locked.export_prepared_at, locked.export_sha256 = now, hashlib.sha256(data).hexdigest()
            locked.handled_by = by
            locked._change_reason = "PDPL export prepared"
            locked.save(update_fields=["export_file", "export_prepared_at", "export_sha256", "handled_by"])
        except Exception:
            locked.export_file.delete(save=False)  # no orphan file when the row cannot be saved
            raise
        if previous:
            storage = locked.export_file.storage
            transaction.on_commit(lambda: storage.delete(previous))
    return locked


def _close(locked: DataSubjectRequest, *, status: str, by, now: dt.datetime, outcome: str) -> DataSubjectRequest:
    if not policy.can_transition(locked.status, status):
        raise ValidationError(NOT_OPEN, code="not_open")
    locked.status, locked.handled_by, locked.completed_at, locked.outcome = status, by, now, outcome.strip()
    locked._change_reason = f"PDPL request {status}"
    locked.save()
    return locked


def complete_request(*, request: DataSubjectRequest, by, now: dt.datetime, outcome: str,
                     correction: str = "") -> DataSubjectRequest:
    """Close the request as answered. An access request needs its export; a correction links
    the change that corrected the data (a history record of the person's file)."""
    if not (outcome or "").strip():
        raise ValidationError({"outcome": FIELD_REQUIRED})
    with transaction.atomic():
        locked = _lock_open(request)
        if locked.kind == RequestKind.ACCESS and not locked.export_file:
            raise ValidationError(EXPORT_FIRST, code="export_first")
        if locked.kind == RequestKind.CORRECTION:
            if not correction:
                raise ValidationError({"correction": CORRECTION_REQUIRED})
            candidate = find_candidate(locked, by, correction)
            if candidate is None:
                raise ValidationError({"correction": CORRECTION_UNKNOWN})
            locked.corrected_file_id = candidate.file_id
            locked.correction_type = ContentType.objects.get_for_model(candidate.record)
            locked.correction_history_id = candidate.record.history_id
        return _close(locked, status=RequestStatus.COMPLETED, by=by, now=now, outcome=outcome)


def refuse_request(*, request: DataSubjectRequest, by, now: dt.datetime, reasons: str) -> DataSubjectRequest:
    """Close the request as refused; the reasons are mandatory (RT-4) and told to the person."""
    if not (reasons or "").strip():
        raise ValidationError({"reasons": FIELD_REQUIRED})
    with transaction.atomic():
        return _close(_lock_open(request), status=RequestStatus.REFUSED, by=by, now=now, outcome=reasons)


# --- Corrections: the change that corrected the data ---------------------------------------

CANDIDATES_SHOWN = 50
_NOT_SHOWN = {"version", "head_name_search", "name_search"}


@dataclass
class Candidate:
    value: str  # "<content type of the history model>:<history id>"
    label: str
    record: object
    file_id: int


def _changed(model, row, previous) -> list[str]:
    return [str(f.verbose_name) for f in model._meta.concrete_fields
            if f.attname not in _NOT_SHOWN and getattr(previous, f.attname) != getattr(row, f.attname)]


def _describe(model, row, previous, number: str) -> str:
    what = series(_changed(model, row, previous)) if previous is not None else str(_("added"))
    when = timezone.localtime(row.history_date).strftime("%Y-%m-%d %H:%M")
    return f"{when} — {model._meta.verbose_name} ({number}) — {what} — {row.history_user or '—'}"


def correction_candidates(request: DataSubjectRequest, user, *, limit: int | None = CANDIDATES_SHOWN
                          ) -> list[Candidate]:
    """The changes made since receipt to the person's files and member rows that `user` may see
    (whole households they head; their own member row elsewhere), newest first."""
    person = find_person(request.national_id)
    visible = BeneficiaryFile.objects.visible_to(user)
    heads = list(visible.filter(pk__in=person.head_file_ids).values_list("pk", flat=True))
    own = list(Member.objects.filter(pk__in=person.own_member_ids, file__in=visible).values_list("pk", flat=True))
    numbers = dict(BeneficiaryFile.objects.filter(Q(pk__in=heads) | Q(members__pk__in=own))
                   .values_list("pk", "number"))
    since, candidates = calendar.start_of_day(request.received_on), []
    for model, scope in ((BeneficiaryFile, Q(id__in=heads)), (Member, Q(file_id__in=heads) | Q(id__in=own))):
        history = _history(model)
        content_type = ContentType.objects.get_for_model(history)
        previous = {}
        for row in history.objects.filter(scope).select_related("history_user").order_by("id", "history_date",
                                                                                            "history_id"):
            before, previous[row.id] = previous.get(row.id), row
            if row.history_date < since or row.history_type == "-" or (before and not _changed(model, row, before)):
                continue
            file_id = row.id if model is BeneficiaryFile else row.file_id
            candidates.append(Candidate(f"{content_type.pk}:{row.history_id}",
                                        _describe(model, row, before, numbers.get(file_id, "")), row, file_id))
    candidates.sort(key=lambda c: c.record.history_date, reverse=True)
    return candidates[:limit] if limit else candidates


def find_candidate(request: DataSubjectRequest, user, value: str) -> Candidate | None:
    return next((c for c in correction_candidates(request, user, limit=None) if c.value == value), None)


def linked_correction(request: DataSubjectRequest) -> str | None:
    """Describe the change a completed correction links to (the file's history shows it too)."""
    if request.correction_type_id is None:
        return None
    history = request.correction_type.model_class()
    row = history.objects.select_related("history_user").filter(history_id=request.correction_history_id).first()
    if row is None:
        return None
    number = request.corrected_file.number if request.corrected_file_id else ""
    return _describe(history.instance_type, row, row.prev_record, number)


# --- Retention ------------------------------------------------------------------------------


@dataclass
class RetentionResult:
    dry_run: bool = False
    files: int = 0
    complaints: int = 0
    requests: int = 0
    exports: int = 0
    access_logs: int = 0
    failed: int = 0


def _not_marked(queryset, field: str):
    return queryset.exclude(**{f"{field}__startswith": policy.MARKER_PREFIX})


def due_for_retention(*, today: dt.date, now: dt.datetime) -> dict:
    """Return what the policy no longer needs, by rule: records not yet anonymised."""
    before = calendar.start_of_day(policy.cutoff(today, policy.retention_years()))
    logs_before = calendar.start_of_day(policy.cutoff(today, policy.access_log_years()))
    final = BeneficiaryFile.objects.filter(status__in=policy.FINAL_FILE_STATUSES).filter(
        Q(status_changed_at__lt=before) | Q(status_changed_at__isnull=True, created_at__lt=before))
    closed = DataSubjectRequest.objects.filter(status__in=policy.CLOSED_STATUSES)
    return {
        "files": _not_marked(final, "head_id_number"),
        "complaints": _not_marked(Complaint.objects.filter(status=ComplaintStatus.CLOSED, closed_at__lt=before),
                                  "national_id"),
        "requests": _not_marked(closed.filter(completed_at__lt=before), "national_id"),
        "exports": closed.filter(completed_at__lt=now - dt.timedelta(days=policy.EXPORT_KEEP_DAYS))
        .exclude(export_file=""),
        "access_logs": AccessLog.objects.filter(at__lt=logs_before).filter(
            Q(user__isnull=False) | Q(ip_address__isnull=False) | ~Q(user_agent="") | ~Q(path="")),
    }


def apply_retention(*, today: dt.date, now: dt.datetime, dry_run: bool = False) -> RetentionResult:
    """Anonymise what is no longer needed; never delete a row. Idempotent: each record is
    handled in its own transaction on a locked row and skipped once marked anonymised."""
    due = due_for_retention(today=today, now=now)
    if dry_run:
        return RetentionResult(dry_run=True, **{key: qs.count() for key, qs in due.items()})
    result = RetentionResult()
    before = calendar.start_of_day(policy.cutoff(today, policy.retention_years()))
    jobs = (("files", policy.FILE_SCRUBS, RetentionRule.FILE_FINAL),
            ("complaints", policy.COMPLAINT_SCRUBS, RetentionRule.COMPLAINT_CLOSED),
            ("requests", policy.REQUEST_SCRUBS, RetentionRule.REQUEST_CLOSED))
    for key, scrubs, rule in jobs:
        for pk in list(due[key].order_by("pk").values_list("pk", flat=True)):
            done = _anonymise(pk, scrubs, rule=rule, now=now, messages_before=before)
            if done:
                setattr(result, key, getattr(result, key) + 1)
            elif done is False:
                result.failed += 1
    for pk in list(due["exports"].order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            logs = _destroy_files(DataSubjectRequest, [pk], ("export_file",), RetentionRule.EXPORT_FILE, now)
            RetentionLog.objects.bulk_create(logs)
        result.exports += 1
    result.access_logs = _clear_access_logs(due["access_logs"], now)
    return result


def _anonymise(pk: int, scrubs, *, rule: str, now: dt.datetime, messages_before: dt.datetime) -> bool | None:
    """Scrub one record and everything it owns; None if it was already done, False on failure."""
    model = apps.get_model(scrubs[0].model)
    marker_field = next(name for name, how in scrubs[0].fields.items() if how == policy.IDENTITY)
    try:
        with transaction.atomic():
            record = model.objects.select_for_update().filter(pk=pk).first()
            if record is None or getattr(record, marker_field).startswith(policy.MARKER_PREFIX):
                return None
            contacts = {getattr(record, f) for f in policy.CONTACT_FIELDS[model._meta.label]} - {""}
            logs = []
            for scrub in scrubs:
                logs += _scrub(scrub, pk, rule=rule, now=now)
            logs += _scrub_messages(contacts, before=messages_before, rule=rule, now=now)
            RetentionLog.objects.bulk_create(logs)
    except Exception:
        logger.exception("retention: %s %s could not be anonymised", model._meta.label, pk)
        return False
    return True


def _history(model):
    name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, name).model if name else None


def _scrub(scrub: policy.Scrub, owner_pk: int, *, rule: str, now: dt.datetime) -> list[RetentionLog]:
    """Apply one model's treatments to its live rows and to their history rows."""
    model = apps.get_model(scrub.model)
    pks = list(model._default_manager.filter(**{scrub.owner: owner_pk}).values_list("pk", flat=True))
    if not pks:
        return []
    content_type = ContentType.objects.get_for_model(model)
    logs = [RetentionLog(at=now, rule=rule, action=RetentionLog.Action.ANONYMISED, content_type=content_type,
                         object_id=str(pk)) for pk in pks]
    logs += _destroy_files(model, pks, scrub.files, rule, now)
    _update(model, pks, scrub.fields)
    return logs


def _constant(name: str, how: str):
    if how == policy.TEXT:
        return Case(When(**{name: ""}, then=Value("")), default=Value(policy.PLACEHOLDER))
    return {policy.BLANK: "", policy.EMPTY_JSON: {}}[how]


def _per_row(how: str, value, salt: str):
    if how == policy.BIRTH_YEAR:
        return value.replace(month=1, day=1) if value else value
    if not value or value.startswith(policy.MARKER_PREFIX):
        return value
    return policy.identity_marker(value, salt)


def _update(model, pks: list[int], fields: dict[str, str]) -> None:
    """Scrub the live rows and, the same way, every history row of them."""
    history = _history(model)
    tracked = {f.name for f in history._meta.fields} if history else set()
    constant = {name: _constant(name, how) for name, how in fields.items()
                if how in (policy.TEXT, policy.BLANK, policy.EMPTY_JSON)}
    if constant:
        model._default_manager.filter(pk__in=pks).update(**constant)
        if history and (past := {k: v for k, v in constant.items() if k in tracked}):
            history.objects.filter(id__in=pks).update(**past)
    per_row = [name for name, how in fields.items() if how in (policy.IDENTITY, policy.BIRTH_YEAR)]
    if not per_row:
        return
    for pk, *values in model._default_manager.filter(pk__in=pks).values_list("pk", *per_row):
        new = {name: _per_row(fields[name], value, f"{model._meta.label_lower}:{pk}:{name}")
               for name, value in zip(per_row, values, strict=True)}
        model._default_manager.filter(pk=pk).update(**new)
        if history:
            history.objects.filter(id=pk).update(**{k: v for k, v in new.items() if k in tracked})


def _destroy_files(model, pks: list[int], names: tuple[str, ...], rule: str, now: dt.datetime) -> list[RetentionLog]:
    """Remove the stored files from storage and clear their names, live and in history."""
    logs, history = [], _history(model)
    content_type = ContentType.objects.get_for_model(model)
    for name in names:
        storage = model._meta.get_field(name).storage
        stored = list(model._default_manager.filter(pk__in=pks).exclude(**{name: ""}).values_list("pk", name))
        for pk, path in stored:
            storage.delete(path)  # a file already gone is not an error: the job can run again
            logs.append(RetentionLog(at=now, rule=rule, action=RetentionLog.Action.FILE_DESTROYED,
                                     content_type=content_type, object_id=str(pk)))
        model._default_manager.filter(pk__in=pks).update(**{name: ""})
        if history:
            history.objects.filter(id__in=pks).update(**{name: ""})
        if model is Document and stored:
            DestroyedDocument.objects.bulk_create(
                [DestroyedDocument(document_id=pk, destroyed_at=now, rule=rule) for pk, _path in stored],
                ignore_conflicts=True)
    return logs


def _scrub_messages(contacts: set[str], *, before: dt.datetime, rule: str, now: dt.datetime) -> list[RetentionLog]:
    """Scrub the messages sent to the record's phone numbers and emails before the cutoff."""
    if not contacts:
        return []
    pks = list(Notification.objects.filter(recipient__in=contacts, created_at__lt=before).values_list("pk", flat=True))
    if not pks:
        return []
    _update(Notification, pks, policy.NOTIFICATION_FIELDS)
    DeliveryAttempt.objects.filter(notification_id__in=pks).update(detail="")
    content_type = ContentType.objects.get_for_model(Notification)
    return [RetentionLog(at=now, rule=rule, action=RetentionLog.Action.ANONYMISED, content_type=content_type,
                         object_id=str(pk)) for pk in pks]


def _clear_access_logs(queryset, now: dt.datetime, batch: int = 1000) -> int:
    """Remove who looked and from where from old access-log entries, a batch at a time."""
    content_type, total = ContentType.objects.get_for_model(AccessLog), 0
    while ids := list(queryset.order_by("pk").values_list("pk", flat=True)[:batch]):
        with transaction.atomic():
            AccessLog.objects.filter(pk__in=ids).update(**policy.ACCESS_LOG_CLEARED)
            RetentionLog.objects.create(at=now, rule=RetentionRule.ACCESS_LOG, action=RetentionLog.Action.ANONYMISED,
                                        content_type=content_type, object_id=f"{ids[0]}-{ids[-1]}", count=len(ids))
        total += len(ids)
    return total
