"""Every change of state of a beneficiary file goes through these functions.

Views, admin actions, tasks and commands call them; none sets `status` by hand. Each takes
the acting user and `now`/`today` explicitly, checks the policy (policy.py), writes history
(django-simple-history on save) and refuses bad input with a translatable message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from charity import calendar
from charity.models import PolicyProfile
from charity.roles import Role, active_members
from charity.sequences import next_in_hijri_year
from charity.uploads import inspect_upload

from . import errors, policy
from .models import (
    AnnualUpdate,
    BeneficiaryFile,
    Declaration,
    Document,
    FileNumberSequence,
    IncomeSource,
    ManagerReferral,
    Member,
    ReportedChange,
    ResearcherAssignment,
    ResearcherChangeRequest,
    UpdateRequest,
)
from .policy import FileStatus, IdType, Relationship

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


def _save_file(file: BeneficiaryFile, fields: list[str] | None = None) -> None:
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
        _save_file(locked, ["status", "status_changed_at"])
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


# --- Intake ---------------------------------------------------------------------------------


def start_intake(*, by, profile: PolicyProfile, channel: str, head: dict, categories=(), today: dt.date,
                 **file_fields) -> BeneficiaryFile:
    """Open a draft file (status «applicant») with its head of household.

    `head` holds the member fields of the head (four-part name, identity, birth date, ...).
    Refuses a second open file for the same head (database constraint, clear message)."""
    if head.get("id_type") == IdType.PASSPORT and not profile.passport_identity:
        raise ValidationError(errors.PASSPORT_NOT_ALLOWED, code="passport_not_allowed")
    _refuse_duplicate_open_file(head["id_number"])
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
        _refuse_duplicate_open_file(head["id_number"])
        raise
    return file


def _full_name(person: dict) -> str:
    return " ".join(person.get(k, "") for k in ("first_name", "father_name", "grandfather_name", "family_name")
                    if person.get(k))


def other_open_file(id_number: str, exclude_pk=None) -> BeneficiaryFile | None:
    """The open file this person already heads, if any: a person heads one open file at a time."""
    return BeneficiaryFile.objects.open().filter(head_id_number=id_number).exclude(pk=exclude_pk).first()


def _refuse_duplicate_open_file(id_number: str, exclude_pk=None) -> None:
    existing = other_open_file(id_number, exclude_pk)
    if existing:
        raise ValidationError(errors.DUPLICATE_OPEN_FILE % {"number": existing.number}, code="duplicate_open_file")


def _require_draft(file: BeneficiaryFile) -> None:
    if file.status != FileStatus.APPLICANT:
        raise ValidationError(errors.NOT_A_DRAFT, code="not_a_draft")


def update_file(*, file: BeneficiaryFile, by, expected_version: int | None, changes: dict,
                categories=None, reason: str = "") -> BeneficiaryFile:
    """Save changes to the file's own fields; refuse if someone saved in between."""
    with transaction.atomic():
        locked = lock_file(file, expected_version)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked._change_reason = reason
        _save_file(locked)
        if categories is not None:
            locked.categories.set(categories)
    return locked


def check_service_area(*, city: str, profile: PolicyProfile) -> None:
    """BEN-1: raise a clear message when the address is outside the service area."""
    if not policy.in_service_area(city, profile.service_area_cities, profile.service_area_enforced):
        raise ValidationError(errors.OUTSIDE_SERVICE_AREA % {"city": city}, code="outside_service_area")


def refer_out(*, file: BeneficiaryFile, referred_to: str, now: dt.datetime) -> BeneficiaryFile:
    """BEN-1: record an applicant outside the area as referred to another body."""
    with transaction.atomic():
        locked = lock_file(file)
        locked.outside_service_area = True
        locked.referred_to = referred_to
        _save_file(locked, ["outside_service_area", "referred_to"])
    return change_status(file=locked, to=FileStatus.REFERRED_OUT, now=now, reason="BEN-1 referral")


def save_member(*, file: BeneficiaryFile, data: dict, member: Member | None = None) -> Member:
    """Add or change a household member. The head's identity is kept on the file too."""
    with transaction.atomic():
        locked = lock_file(file)
        id_number = data.get("id_number", getattr(member, "id_number", ""))
        same_person = Member.objects.filter(file=locked, id_number=id_number)
        if same_person.exclude(pk=getattr(member, "pk", None)).exists():
            raise ValidationError(errors.MEMBER_IN_FILE, code="member_in_file")
        member = member or Member(file=locked)
        for name, value in data.items():
            setattr(member, name, value)
        member.save()
        if member.relationship == Relationship.HEAD and member.is_current:
            if member.id_number != locked.head_id_number:
                _refuse_duplicate_open_file(member.id_number, exclude_pk=locked.pk)
            locked.head_id_number, locked.head_id_type = member.id_number, member.id_type
            locked.head_name = member.full_name
        _save_file(locked)
    return member


def mark_member_left(*, member: Member, on: dt.date, deceased: bool = False) -> Member:
    """Members are never deleted: mark that one left the household or died."""
    if deceased:
        member.deceased_on = on
    else:
        member.left_household_on = on
    member.save(update_fields=["deceased_on", "left_household_on"])
    return member


def save_income(*, file: BeneficiaryFile, data: dict, income: IncomeSource | None = None) -> IncomeSource:
    income = income or IncomeSource(file=file)
    for name, value in data.items():
        setattr(income, name, value)
    income.save()
    return income


# --- Documents (DU-1, IN-2) -----------------------------------------------------------------


def upload_document(*, file: BeneficiaryFile, by, uploaded, doc_type: str, today: dt.date,
                    issued_on: dt.date | None = None, expires_on: dt.date | None = None,
                    member: Member | None = None, note: str = "") -> Document:
    """Store an uploaded document privately after checking its content, size and dates; a file
    whose record is final (closed, excluded, rejected, referred out) takes none."""
    status = BeneficiaryFile.objects.values_list("status", flat=True).get(pk=file.pk)  # as stored now
    if status in policy.DOCUMENT_CLOSED_STATUSES:
        raise ValidationError(errors.DOCUMENTS_CLOSED % {"status": FileStatus(status).label}, code="documents_closed")
    if issued_on and issued_on > today:
        raise ValidationError(errors.ISSUED_IN_FUTURE, code="issued_in_future")
    if issued_on and expires_on and expires_on < issued_on:
        raise ValidationError(errors.EXPIRY_BEFORE_ISSUE, code="expiry_before_issue")
    if not policy.document_is_valid_on(expires_on, today):
        raise ValidationError(errors.EXPIRED_ON_UPLOAD % {"date": calendar.format_dual(expires_on)},
                              code="expired_on_upload")
    inspected = inspect_upload(uploaded)
    document = Document(file=file, member=member, doc_type=doc_type, issued_on=issued_on, expires_on=expires_on,
                        content_type=inspected.content_type, size=inspected.size, sha256=inspected.sha256,
                        original_name=(getattr(uploaded, "name", "") or "")[:200], note=note, uploaded_by=by)
    with transaction.atomic():
        document.stored.save(f"upload.{inspected.extension}", uploaded, save=False)
        try:
            document.save()
        except Exception:
            document.stored.delete(save=False)  # no orphan file when the row cannot be saved
            raise
    return document


def current_documents(file: BeneficiaryFile):
    return file.documents.filter(superseded_by__isnull=True)


def document_checklist(file: BeneficiaryFile, *, today: dt.date, profile: PolicyProfile) -> list[dict]:
    """DU-1: each required document type with its latest upload and whether it is valid."""
    members = list(file.members.current())
    latest = {}
    for doc in current_documents(file).order_by("uploaded_at"):
        latest[doc.doc_type] = doc
    required = policy.required_documents(
        category_codes=file.categories.values_list("code", flat=True),
        housing_type=file.housing_type,
        has_income=file.incomes.current().exists(),
        has_iban=bool(file.iban),
        school_children=sum(1 for m in members if m.school_stage in policy.SCHOOL_STAGES_NEEDING_CERTIFICATE),
        passport_identity=file.head_id_type == IdType.PASSPORT,
    )
    return [
        {"doc_type": doc_type, "label": policy.DocumentType(doc_type).label, "document": latest.get(doc_type),
         "valid": doc_type in latest and policy.document_is_valid_on(latest[doc_type].expires_on, today)}
        for doc_type in required
    ]


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
        problems.append(errors.MISSING_DOCUMENTS % {"documents": "، ".join(missing)})
    if expired:
        problems.append(errors.EXPIRED_DOCUMENTS % {"documents": "، ".join(expired)})
    declaration = file.declarations.first()
    if declaration is None:
        problems.append(str(errors.NO_DECLARATION))
    elif declaration.snapshot_sha256 != _digest(declared_data(file)):
        problems.append(str(errors.DECLARATION_OUTDATED))
    in_area = policy.in_service_area(file.city, profile.service_area_cities, profile.service_area_enforced)
    if file.city and not file.outside_service_area and not in_area:
        problems.append(errors.OUTSIDE_SERVICE_AREA % {"city": file.city})
    return problems


def submit_application(*, file: BeneficiaryFile, by, profile: PolicyProfile, today: dt.date,
                       now: dt.datetime) -> BeneficiaryFile:
    """IN-2, IN-5, IN-6: check the application is complete and valid today, then send it to
    the deciding body with its decision due date stored."""
    with transaction.atomic():
        locked = lock_file(file)
        _require_draft(locked)
        problems = submission_problems(locked, today=today, profile=profile)
        if problems:
            raise ValidationError(problems, code="incomplete_application")
        locked.submitted_at = now
        locked.decision_due_on = policy.decision_due_on(today, profile.decision_target_days)
        _save_file(locked, ["submitted_at", "decision_due_on"])
        return change_status(file=locked, to=FileStatus.UNDER_STUDY, now=now, reason="IN-5 submitted")


def refer_to_manager(*, file: BeneficiaryFile, by, question: str, now: dt.datetime) -> ManagerReferral:
    """IN-4: refer the applicant's question to the beneficiary-services manager."""
    if not question.strip():
        raise ValidationError(errors.QUESTION_REQUIRED, code="question_required")
    return ManagerReferral.objects.create(file=file, question=question.strip(), asked_by=by, asked_at=now)


def answer_referral(*, referral: ManagerReferral, by, answer: str, now: dt.datetime) -> ManagerReferral:
    if not answer.strip():
        raise ValidationError(errors.ANSWER_REQUIRED, code="answer_required")
    referral.answer, referral.answered_by, referral.answered_at = answer.strip(), by, now
    referral.save(update_fields=["answer", "answered_by", "answered_at"])
    return referral


# --- Researcher (RT-2, RT-7, RT-8) ----------------------------------------------------------


def is_researcher(user) -> bool:
    return active_members(Role.RESEARCHER).filter(pk=user.pk).exists()


def assign_researcher(*, file: BeneficiaryFile, researcher, by, now: dt.datetime, reason: str = "") -> BeneficiaryFile:
    """Assign the file to a researcher, ending the current assignment (history kept)."""
    if not is_researcher(researcher):
        raise ValidationError(errors.NOT_A_RESEARCHER % {"user": researcher}, code="not_a_researcher")
    with transaction.atomic():
        locked = lock_file(file)
        if locked.researcher_id == researcher.pk:
            raise ValidationError(errors.SAME_RESEARCHER, code="same_researcher")
        ResearcherAssignment.objects.filter(file=locked, ended_at__isnull=True).update(ended_at=now)
        ResearcherAssignment.objects.create(file=locked, researcher=researcher, assigned_by=by, assigned_at=now,
                                            reason=reason)
        locked.researcher = researcher
        locked._change_reason = "RT-2 researcher assigned"
        _save_file(locked, ["researcher"])
    return locked


def request_researcher_change(*, file: BeneficiaryFile, by, reasons: str, now: dt.datetime) -> ResearcherChangeRequest:
    """RT-2: record the beneficiary's request for another researcher, with their reasons."""
    if not reasons.strip():
        raise ValidationError(errors.REASONS_REQUIRED, code="reasons_required")
    if file.researcher_requests.filter(status=ResearcherChangeRequest.Status.PENDING).exists():
        raise ValidationError(errors.REQUEST_ALREADY_PENDING, code="request_pending")
    return ResearcherChangeRequest.objects.create(file=file, reasons=reasons.strip(), recorded_by=by, recorded_at=now)


def decide_researcher_change(*, request: ResearcherChangeRequest, by, accept: bool, reasons: str,
                             now: dt.datetime, new_researcher=None) -> ResearcherChangeRequest:
    """RT-2, RT-4: the manager accepts (choosing the new researcher) or refuses, with reasons."""
    if not reasons.strip():
        raise ValidationError(errors.REASONS_REQUIRED, code="reasons_required")
    if accept and new_researcher is None:
        raise ValidationError(errors.NEW_RESEARCHER_REQUIRED, code="new_researcher_required")
    with transaction.atomic():
        locked = ResearcherChangeRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != ResearcherChangeRequest.Status.PENDING:
            raise ValidationError(errors.REQUEST_NOT_PENDING, code="request_not_pending")
        if accept:
            assign_researcher(file=locked.file, researcher=new_researcher, by=by, now=now,
                              reason=f"RT-2: {reasons.strip()}")
        locked.status = (ResearcherChangeRequest.Status.ACCEPTED if accept else ResearcherChangeRequest.Status.REFUSED)
        locked.decided_by, locked.decided_at = by, now
        locked.decision_reasons, locked.new_researcher = reasons.strip(), new_researcher if accept else None
        locked.save()
    return locked


# --- Changes and the annual update (DU-4, DU-5) ---------------------------------------------


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
