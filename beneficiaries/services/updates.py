"""Changes the beneficiary reports (DU-4) and the annual update (DU-5)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import errors, policy
from ..models import AnnualUpdate, BeneficiaryFile, ReportedChange, UpdateRequest
from ..policy import FileStatus
from .documents import current_documents
from .files import update_file


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
                           documents=None) -> AnnualUpdate:
    """DU-5: announce the yearly update and open a request on every active file."""
    if deadline <= today:
        raise ValidationError(errors.DEADLINE_IN_PAST, code="deadline_in_past")
    active = BeneficiaryFile.objects.filter(status=FileStatus.ACTIVE)
    if not active.exists():
        raise ValidationError(errors.NO_ACTIVE_FILES, code="no_active_files")
    with transaction.atomic():
        update = AnnualUpdate.objects.create(
            title=title, announced_by=by, announced_on=today, deadline=deadline, note=note,
            required_documents=[str(d) for d in (documents or policy.ANNUAL_UPDATE_DOCUMENTS)],
        )
        ids = active.values_list("pk", flat=True).iterator(chunk_size=2000)
        batch = []
        for file_id in ids:
            batch.append(UpdateRequest(update=update, file_id=file_id, due_on=deadline))
            if len(batch) == 2000:
                UpdateRequest.objects.bulk_create(batch)
                batch = []
        UpdateRequest.objects.bulk_create(batch)
    return update


def update_documents_missing(request: UpdateRequest) -> list[str]:
    """The documents of the update not yet renewed (uploaded on or after the announcement)."""
    renewed = set(
        current_documents(request.file)
        .filter(uploaded_at__date__gte=request.update.announced_on)
        .values_list("doc_type", flat=True)
    )
    return [d for d in request.update.required_documents if d not in renewed]


def complete_update_request(*, request: UpdateRequest, by, now: dt.datetime) -> UpdateRequest:
    """DU-5: the family's documents are renewed; close its update request."""
    if request.status == UpdateRequest.Status.COMPLETED:
        raise ValidationError(errors.UPDATE_ALREADY_COMPLETED, code="update_completed")
    missing = update_documents_missing(request)
    if missing:
        labels = "، ".join(str(policy.DocumentType(d).label) for d in missing)
        raise ValidationError(errors.UPDATE_DOCUMENTS_MISSING % {"documents": labels}, code="update_missing")
    request.status, request.completed_at, request.completed_by = UpdateRequest.Status.COMPLETED, now, by
    request.save(update_fields=["status", "completed_at", "completed_by"])
    return request
