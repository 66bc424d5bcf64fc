"""The beneficiary file itself: its number, its row lock and version, its status (the table in
policy.py) and its own fields; one open file per head of household; the service area (BEN-1)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from charity import setup
from charity.models import PolicyProfile
from charity.sequences import next_in_hijri_year

from .. import errors, policy
from ..models import BeneficiaryFile, FileNumberSequence
from ..policy import FileStatus

# --- File numbers and concurrency -----------------------------------------------------------


def allocate_file_number(today: dt.date) -> str:
    """Return the next readable file number of the Hijri year, e.g. «1447-000123»."""
    year, number = next_in_hijri_year(FileNumberSequence, today)
    return f"{year}-{number:06d}"


def lock_file(file: BeneficiaryFile, expected_version: int | None = None) -> BeneficiaryFile:
    """Lock the file's row for this transaction; refuse if someone saved a newer version."""
    locked = BeneficiaryFile.objects.select_for_update().get(pk=file.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(errors.STALE_VERSION, code="stale_version")
    return locked


def save_file(file: BeneficiaryFile, fields: list[str] | None = None) -> None:
    file.version += 1
    file.save(update_fields=None if fields is None else [*fields, "version", "head_name_search"])


def change_status(*, file: BeneficiaryFile, to: str, now: dt.datetime, reason: str = "") -> BeneficiaryFile:
    """Move the file to `to` if the transition table allows it (guarded, inside a transaction)."""
    with transaction.atomic():
        locked = lock_file(file)
        if not policy.can_transition(locked.status, to):
            labels = {"current": FileStatus(locked.status).label, "new": FileStatus(to).label}
            raise ValidationError(errors.TRANSITION_NOT_ALLOWED % labels, code="transition_not_allowed")
        locked.status = to
        locked.status_changed_at = now
        locked._change_reason = reason or f"status → {to}"
        save_file(locked, ["status", "status_changed_at"])
    return locked


def change_status_many(*, files: list[BeneficiaryFile], to: str, now: dt.datetime, reasons: dict[int, str]) -> None:
    """`change_status` for many files at once (the daily sweep), in one statement with one
    history row each. The caller holds the files' row locks and passes them as read under the
    lock; `reasons` gives each file's history note by its id."""
    for file in files:
        if not policy.can_transition(file.status, to):
            labels = {"current": FileStatus(file.status).label, "new": FileStatus(to).label}
            raise ValidationError(errors.TRANSITION_NOT_ALLOWED % labels, code="transition_not_allowed")
    BeneficiaryFile.objects.filter(pk__in=[file.pk for file in files]).update(
        status=to, status_changed_at=now, version=F("version") + 1)
    for file in files:
        file.status, file.status_changed_at, file.version = to, now, file.version + 1
        file._change_reason = reasons.get(file.pk) or f"status → {to}"
    BeneficiaryFile.history.bulk_history_create(files, update=True)

# --- One open file per head, the file's own fields, the service area (BEN-1) ----------------


def other_open_file(id_number: str, exclude_pk=None) -> BeneficiaryFile | None:
    """The open file this person already heads, if any: a person heads one open file at a time."""
    return BeneficiaryFile.objects.open().filter(head_id_number=id_number).exclude(pk=exclude_pk).first()


def refuse_duplicate_open_file(id_number: str, exclude_pk=None) -> None:
    existing = other_open_file(id_number, exclude_pk)
    if existing:
        raise ValidationError(errors.DUPLICATE_OPEN_FILE % {"number": existing.number}, code="duplicate_open_file")


def update_file(*, file: BeneficiaryFile, by, expected_version: int | None, changes: dict,
                categories=None, reason: str = "") -> BeneficiaryFile:
    """Save changes to the file's own fields; refuse if someone saved in between."""
    with transaction.atomic():
        locked = lock_file(file, expected_version)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked._change_reason = reason
        save_file(locked)
        if categories is not None:
            locked.categories.set(categories)
    return locked


def check_service_area(*, city: str, profile: PolicyProfile) -> None:
    """BEN-1: raise a clear message when the address is outside the service area. While the admin
    has not set the area (charity.setup), no city is called outside it: the submission waits."""
    if setup.service_area_missing(profile):
        return
    if not policy.in_service_area(city, profile.service_area_cities, profile.service_area_enforced):
        raise ValidationError(errors.OUTSIDE_SERVICE_AREA % {"city": city}, code="outside_service_area")


def refer_out(*, file: BeneficiaryFile, referred_to: str, now: dt.datetime) -> BeneficiaryFile:
    """BEN-1: record an applicant outside the area as referred to another body."""
    with transaction.atomic():
        locked = lock_file(file)
        locked.outside_service_area = True
        locked.referred_to = referred_to
        save_file(locked, ["outside_service_area", "referred_to"])
    return change_status(file=locked, to=FileStatus.REFERRED_OUT, now=now, reason="BEN-1 referral")

