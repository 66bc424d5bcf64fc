"""Changes the beneficiary reports (DU-4) and the annual update (DU-5)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from charity import calendar
from charity.links import absolute_reverse
from charity.messages import render_message
from charity.models import Notification, PolicyProfile
from charity.notifications import queue_notifications
from charity.text import series

from .. import errors, policy
from ..messages import ANNUAL_UPDATE, contact_messages
from ..models import AnnualUpdate, BeneficiaryFile, ReportedChange, UpdateNotice, UpdateRequest
from ..policy import FileStatus
from .documents import current_documents
from .files import update_file

BATCH = 2000


def record_change(*, file: BeneficiaryFile, by, kind: str, reported_on: dt.date, description: str,
                  today: dt.date, changes: dict | None = None, expected_version: int | None = None) -> ReportedChange:
    """DU-4: record a change the beneficiary reported (and apply new values to the file)."""
    if reported_on > today:
        raise ValidationError(errors.REPORTED_IN_FUTURE, code="reported_in_future")
    with transaction.atomic():
        if changes:
            update_file(file=file, by=by, expected_version=expected_version, changes=changes,
                        reason=f"DU-4 reported {reported_on:%Y-%m-%d}")
        return ReportedChange.objects.create(file=file, kind=kind, reported_on=reported_on,
                                             description=description.strip(), recorded_by=by)


def announce_annual_update(*, by, title: str, deadline: dt.date, today: dt.date, note: str = "",
                           documents=None, now: dt.datetime | None = None, profile=None) -> AnnualUpdate:
    """DU-5: announce the yearly update, open a request on every active file and tell every
    family by SMS and e-mail (deadline, documents, portal link); each message is a notice of the
    family's request, told once the outbox delivers it. No family's clock starts here. Without
    `documents`, the profile's defaults (policy.annual_update_documents: the passport for awaser)."""
    if deadline <= today:
        raise ValidationError(errors.DEADLINE_IN_PAST, code="deadline_in_past")
    active = BeneficiaryFile.objects.filter(status=FileStatus.ACTIVE)
    if not active.exists():
        raise ValidationError(errors.NO_ACTIVE_FILES, code="no_active_files")
    now = now or timezone.now()
    with transaction.atomic():
        update = AnnualUpdate.objects.create(
            title=title, announced_by=by, announced_on=today, deadline=deadline, note=note,
            required_documents=[str(d) for d in (documents or policy.annual_update_documents(
                passport_identity=(profile or PolicyProfile.objects.active()).passport_identity))],
        )
        rows = active.order_by("pk").values_list("pk", "number", "mobile", "email").iterator(chunk_size=BATCH)
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                _open_requests(update, batch, now=now)
                batch = []
        _open_requests(update, batch, now=now)
    return update


def _open_requests(update: AnnualUpdate, files: list[tuple], *, now: dt.datetime) -> None:
    """Open the requests of `files` (pk, number, mobile, e-mail) and queue their messages."""
    if not files:
        return
    requests = bulk_create_with_history([UpdateRequest(update=update, file_id=row[0]) for row in files],
                                        UpdateRequest)
    messages, methods = [], []
    for request, (pk, number, mobile, email) in zip(requests, files, strict=True):
        body = announcement_message(update, number=number, file_id=pk, request_id=request.pk)
        contacts = BeneficiaryFile(pk=pk, number=number, mobile=mobile, email=email)  # unsaved: no query
        rows = contact_messages(file=contacts, purpose=ANNUAL_UPDATE, body=body, about=request)
        messages += rows
        methods += [request] * len(rows)
    sent = queue_notifications(messages)
    bulk_create_with_history([
        UpdateNotice(request=request, method=row.channel, notification=row, recorded_at=now)
        for request, row in zip(methods, sent, strict=True)
    ], UpdateNotice)


def document_labels(doc_types) -> str:
    return series(policy.DocumentType(d).label for d in doc_types if d in policy.DocumentType.values)


def announcement_message(update: AnnualUpdate, *, number: str, file_id: int, request_id: int) -> str:
    """DU-5: the announcement in Arabic, with the deadline, the documents and the portal link."""
    with translation.override("ar"):
        return render_message(ANNUAL_UPDATE, {
            "file_number": number, "due_on": calendar.format_dual(update.deadline),
            "documents": document_labels(update.required_documents),
            "portal_link": absolute_reverse("portal:update", pk=file_id, request_pk=request_id)})


# --- When the family was told (DU-5) --------------------------------------------------------


def _start_clock(request: UpdateRequest, told_on: dt.date) -> None:
    """The family's deadline counts from the first day it was told (while the request is open)."""
    if request.status != UpdateRequest.Status.OPEN or (request.told_on and request.told_on <= told_on):
        return
    update = request.update
    request.told_on = told_on
    request.due_on = policy.update_due_on(announced_on=update.announced_on, deadline=update.deadline,
                                          told_on=told_on)
    request.save(update_fields=["told_on", "due_on"])


def record_delivered_notices() -> int:
    """DU-5: the announcements the outbox has delivered since the last run become notices with
    their day (the day of delivery), and start their family's clock. Return how many."""
    delivered = (UpdateNotice.objects.filter(told_on__isnull=True, notification__status=Notification.Status.SENT)
                 .select_related("notification", "request__update").order_by("pk"))
    count = 0
    for notice in delivered:
        with transaction.atomic():
            request = UpdateRequest.objects.select_for_update().select_related("update").get(pk=notice.request_id)
            notice.told_on = timezone.localdate(notice.notification.sent_at)
            notice.save(update_fields=["told_on"])
            _start_clock(request, notice.told_on)
        count += 1
    return count


def record_update_notice(*, request: UpdateRequest, method: str, told_on: dt.date, told_by: str, by,
                         today: dt.date, now: dt.datetime, note: str = "") -> UpdateNotice:
    """DU-5: staff record that a letter or a visit told the family of the update (who, when,
    how): an alternative proof of notice, which starts the family's clock."""
    if method not in (UpdateNotice.Method.LETTER, UpdateNotice.Method.VISIT):
        raise ValidationError(errors.NOT_A_STAFF_NOTICE, code="not_a_staff_notice")
    if not told_by.strip():
        raise ValidationError(errors.TOLD_BY_REQUIRED, code="told_by_required")
    if told_on > today:
        raise ValidationError(errors.TOLD_IN_FUTURE, code="told_in_future")
    if told_on < request.update.announced_on:
        raise ValidationError(errors.TOLD_BEFORE_ANNOUNCEMENT, code="told_before_announcement")
    with transaction.atomic():
        locked = UpdateRequest.objects.select_for_update().select_related("update").get(pk=request.pk)
        notice = UpdateNotice.objects.create(request=locked, method=method, told_on=told_on, told_by=told_by.strip(),
                                             note=note.strip(), recorded_by=by, recorded_at=now)
        _start_clock(locked, told_on)
    return notice


def update_documents_missing(request: UpdateRequest) -> list[str]:
    """The documents of the update not yet renewed (uploaded on or after the announcement)."""
    renewed = set(
        current_documents(request.file)
        .filter(uploaded_at__date__gte=request.update.announced_on)
        .values_list("doc_type", flat=True)
    )
    return [d for d in request.update.required_documents if d not in renewed]


def complete_update_request(*, request: UpdateRequest, by, now: dt.datetime, waived: str = "") -> UpdateRequest:
    """DU-5: the family's documents are renewed; close its update request. With `waived` (the
    reviewer's reasons, SC-6), staff accept it although documents are missing."""
    if request.status == UpdateRequest.Status.COMPLETED:
        raise ValidationError(errors.UPDATE_ALREADY_COMPLETED, code="update_completed")
    missing = update_documents_missing(request)
    if missing and not waived.strip():
        labels = document_labels(missing)
        raise ValidationError(errors.UPDATE_DOCUMENTS_MISSING % {"documents": labels}, code="update_missing")
    request.status, request.completed_at, request.completed_by = UpdateRequest.Status.COMPLETED, now, by
    request.completion_note = waived.strip() if missing else ""
    request.save(update_fields=["status", "completed_at", "completed_by", "completion_note"])
    return request


def complete_renewed_requests(*, file_id: int, by, now: dt.datetime) -> list[UpdateRequest]:
    """DU-5: complete the file's open update requests whose documents are all renewed (the
    sweep, before it freezes anyone: a family whose documents are in is not late). Rows are
    locked, so two sweeps never complete the same request twice."""
    done = []
    with transaction.atomic():
        requests = (UpdateRequest.objects.select_for_update(of=("self",)).select_related("update", "file")
                    .filter(file_id=file_id, status=UpdateRequest.Status.OPEN))
        for request in requests:
            if not update_documents_missing(request):
                done.append(complete_update_request(request=request, by=by, now=now))
    return done
