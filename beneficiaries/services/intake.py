"""Intake: open a draft file, record the declaration (IN-3), submit the application (IN-2,
IN-5, IN-6)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from charity import errors as setup_errors
from charity import setup
from charity.models import PolicyProfile
from charity.policy import DecidingBody
from charity.text import series

from .. import errors, policy
from ..messages import PERIOD, tell_family
from ..models import BeneficiaryFile, Declaration, Document, Member
from ..policy import FileStatus, IdType, Relationship
from .documents import current_documents, document_checklist
from .files import allocate_file_number, change_status, lock_file, refuse_duplicate_open_file, save_file


def start_intake(*, by, profile: PolicyProfile, channel: str, head: dict, categories=(), today: dt.date,
                 **file_fields) -> BeneficiaryFile:
    """Open a draft file (status «applicant») with its head of household.

    `head` holds the member fields of the head (four-part name, identity, birth date, ...).
    Refuses a second open file for the same head (database constraint, clear message)."""
    if head.get("id_type") == IdType.PASSPORT and not profile.passport_identity:
        raise ValidationError(errors.PASSPORT_NOT_ALLOWED, code="passport_not_allowed")
    refuse_duplicate_open_file(head["id_number"])
    try:
        with transaction.atomic():
            file = BeneficiaryFile(
                number=allocate_file_number(today), status=FileStatus.APPLICANT, channel=channel,
                head_id_type=head.get("id_type", IdType.NATIONAL_ID), head_id_number=head["id_number"],
                head_name=_full_name(head), registered_by=by, **file_fields,
            )
            file.save()
            file.categories.set(categories)
            Member.objects.create(file=file, relationship=Relationship.HEAD, **head)
    except IntegrityError:
        refuse_duplicate_open_file(head["id_number"])
        raise
    return file


def _full_name(person: dict) -> str:
    return " ".join(person.get(k, "") for k in ("first_name", "father_name", "grandfather_name", "family_name")
                    if person.get(k))


def _require_draft(file: BeneficiaryFile) -> None:
    if file.status != FileStatus.APPLICANT:
        raise ValidationError(errors.NOT_A_DRAFT, code="not_a_draft")


# --- Declaration (IN-3) and submission (IN-2, IN-5) -----------------------------------------


def declared_data(file: BeneficiaryFile) -> dict:
    """The data the applicant declares correct: the file, household, income and documents."""
    file_fields = ["number", "head_id_type", "head_id_number", "head_name", "mobile", "mobile_alt", "email", "city",
                   "district", "street", "building_number", "postal_code", "housing_type", "monthly_rent", "iban",
                   "channel", "referring_agency", "embassy", "ministry_reference"]
    member_fields = ["relationship", "first_name", "father_name", "grandfather_name", "family_name", "id_type",
                     "id_number", "birth_date", "gender", "marital_status", "school_stage", "has_disability",
                     "disability", "health_conditions"]
    return json.loads(json.dumps({
        "file": {name: getattr(file, name) for name in file_fields},
        "categories": sorted(file.categories.values_list("code", flat=True)),
        "members": [{n: getattr(m, n) for n in member_fields} for m in file.members.current().order_by("id")],
        "incomes": [{"kind": i.kind, "monthly_amount": i.monthly_amount}
                    for i in file.incomes.current().order_by("id")],
        "documents": sorted(current_documents(file).values_list("sha256", flat=True)),
    }, default=str))


def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def record_declaration(*, file: BeneficiaryFile, by, method: str, signed_by_name: str, signed_by_id_number: str,
                       now: dt.datetime, scan: Document | None = None) -> Declaration:
    """IN-3: record who signed, when, how, and exactly which data they declared correct."""
    _require_draft(file)
    if method == Declaration.Method.SCAN and scan is None:
        raise ValidationError(errors.SCAN_REQUIRED, code="scan_required")
    data = declared_data(file)
    return Declaration.objects.create(
        file=file, signed_by_name=signed_by_name, signed_by_id_number=signed_by_id_number, signed_at=now,
        method=method, scan=scan, confirmed_by=by, data_snapshot=data, snapshot_sha256=_digest(data),
    )


def submission_problems(file: BeneficiaryFile, *, today: dt.date, profile: PolicyProfile) -> list[str]:
    """Return why the application cannot be submitted yet (empty when it can)."""
    problems = []
    if not file.members.current().filter(relationship=Relationship.HEAD).exists():
        problems.append(str(errors.NO_HEAD))
    checklist = document_checklist(file, today=today, profile=profile)
    missing = [str(item["label"]) for item in checklist if item["document"] is None]
    expired = [str(item["label"]) for item in checklist if item["document"] is not None and not item["valid"]]
    if missing:
        problems.append(errors.MISSING_DOCUMENTS % {"documents": series(missing)})
    if expired:
        problems.append(errors.EXPIRED_DOCUMENTS % {"documents": series(expired)})
    declaration = file.declarations.first()
    if declaration is None:
        problems.append(str(errors.NO_DECLARATION))
    elif declaration.snapshot_sha256 != _digest(declared_data(file)):
        problems.append(str(errors.DECLARATION_OUTDATED))
    if setup.service_area_missing(profile):
        # BEN-1: no text names the area; until the admin sets it, no city is «outside» it and
        # nothing is submitted (charity.setup).
        problems.append(str(setup_errors.SERVICE_AREA_NOT_SET))
        return problems
    in_area = policy.in_service_area(file.city, profile.service_area_cities, profile.service_area_enforced)
    if file.city and not file.outside_service_area and not in_area:
        problems.append(errors.OUTSIDE_SERVICE_AREA % {"city": file.city})
    return problems


def submit_application(*, file: BeneficiaryFile, by, profile: PolicyProfile, today: dt.date,
                       now: dt.datetime) -> BeneficiaryFile:
    """IN-2, IN-5, IN-6: check the application is complete and valid today, then send it to
    the deciding body with its (internal) decision due date stored, and tell the applicant who
    decides and the period in the text's own terms — never a latest date (IN-5)."""
    with transaction.atomic():
        locked = lock_file(file)
        _require_draft(locked)
        problems = submission_problems(locked, today=today, profile=profile)
        if problems:
            raise ValidationError(problems, code="incomplete_application")
        locked.submitted_at = now
        locked.decision_due_on = policy.decision_due_on(today, profile.decision_target_days)
        save_file(locked, ["submitted_at", "decision_due_on"])
        submitted = change_status(file=locked, to=FileStatus.UNDER_STUDY, now=now, reason="IN-5 submitted")
        body = DecidingBody(profile.deciding_body).label if profile.deciding_body in DecidingBody.values else ""
        tell_family(file=submitted, purpose="application-received", about=submitted, profile=profile,
                    context={"deciding_body": body, "period": PERIOD},
                    dedupe_key=f"application-received:{submitted.pk}:{now.isoformat()}")
        return submitted
