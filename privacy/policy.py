"""Data-subject rights and retention under the Saudi Personal Data Protection Law (PDPL),
readable in one sitting.

A person may ask for everything held about them (access, as an export), for a correction, or
for the destruction of their data. Every request is answered within 30 calendar days of its
receipt; the due date is stored when the request is recorded.

Nothing is ever deleted from the interface. What is no longer needed is destroyed by the
logged retention job (services.apply_retention): personal fields are replaced with a neutral
placeholder, identity numbers with a one-way marker, stored files are removed from disk, and
the rows themselves stay (statuses, dates, amounts, rule codes) so figures and audit trails
remain whole. The tables below say, model by model, which fields are scrubbed and how.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beneficiaries.policy import FileStatus
from charity import calendar

# --- Requests -------------------------------------------------------------------------------

RESPONSE_DAYS = 30  # PDPL: a data-subject request is answered within 30 days of its receipt.
# An export holds everything about a person: its file is removed this many days after the
# request is closed (the person has had it; nobody needs a second copy).
EXPORT_KEEP_DAYS = 30


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access: a copy of everything held")
    CORRECTION = "correction", _("Correction of wrong data")
    ERASURE = "erasure", _("Destruction of data no longer needed")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused with reasons")


CLOSED_STATUSES = (RequestStatus.COMPLETED, RequestStatus.REFUSED)
TRANSITIONS: dict[str, set[str]] = {
    RequestStatus.OPEN: {RequestStatus.COMPLETED, RequestStatus.REFUSED},
    RequestStatus.COMPLETED: set(),
    RequestStatus.REFUSED: set(),
}

# An export gathers every file and complaint of the person, past the usual scopes (RT-6, RT-10,
# CP-8): only someone who may already see every file and every complaint prepares or downloads it.
EXPORT_PERMISSIONS = ("privacy.handle_requests", "beneficiaries.view_all_files", "complaints.view_all_complaints")


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, set())


def request_due_on(received_on: dt.date) -> dt.date:
    """Return the day the answer is due: 30 calendar days after receipt (PDPL)."""
    return calendar.add_days(received_on, RESPONSE_DAYS)


def days_left(due_on: dt.date, today: dt.date) -> int:
    """Return the calendar days left to the due date (negative once overdue)."""
    return calendar.days_between(today, due_on)


def is_overdue(status: str, due_on: dt.date, today: dt.date) -> bool:
    return status == RequestStatus.OPEN and due_on < today


# --- Retention ------------------------------------------------------------------------------

PLACEHOLDER = "محذوف وفق سياسة الاحتفاظ"
MARKER_PREFIX = "#"  # no identity number starts with it: an anonymised identity is recognisable
FINAL_FILE_STATUSES = (FileStatus.REJECTED, FileStatus.EXCLUDED, FileStatus.CLOSED, FileStatus.REFERRED_OUT)


class RetentionRule(models.TextChoices):
    FILE_FINAL = "file_final", _("File in a final status for longer than the retention period")
    COMPLAINT_CLOSED = "complaint_closed", _("Complaint closed for longer than the retention period")
    ACCESS_LOG = "access_log", _("Access-log entry older than its retention period")
    REQUEST_CLOSED = "request_closed", _("Data-subject request closed for longer than the retention period")
    EXPORT_FILE = "export_file", _("Export handed over: its file is no longer needed")


def retention_years() -> int:
    """N: years a final file or a closed complaint keeps its personal data (env PRIVACY_RETENTION_YEARS)."""
    return int(getattr(settings, "PRIVACY_RETENTION_YEARS", 10))


def access_log_years() -> int:
    """M: years an access-log entry keeps who looked and from where (env PRIVACY_ACCESS_LOG_YEARS)."""
    return int(getattr(settings, "PRIVACY_ACCESS_LOG_YEARS", 5))


def cutoff(today: dt.date, years: int) -> dt.date:
    """Return the day `years` calendar years before `today`: older records are due."""
    return calendar.add_months(today, -12 * years)


def retention_due_on(final_since: dt.date) -> dt.date:
    """Return the day a record that became final on `final_since` is due for destruction."""
    return calendar.add_months(final_since, 12 * retention_years())


def identity_marker(value: str, salt: str) -> str:
    """Return a one-way marker for an identity number (10 characters, never a valid ID).

    Keyed with the secret key (a plain hash of a 10-digit number is reversed by trying them
    all) and salted with the record, so two records of one person cannot be linked either;
    different records get different markers, so the uniqueness constraints still hold."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{salt}:{value}".encode(), hashlib.sha256).hexdigest()
    return MARKER_PREFIX + digest[:9]


# How a field is scrubbed.
TEXT = "text"  # the placeholder where there was text; an empty field stays empty
BLANK = "blank"  # emptied (phones, emails, IBANs, addresses: fields too short for the placeholder)
IDENTITY = "identity"  # the one-way marker
EMPTY_JSON = "json"  # {}
BIRTH_YEAR = "year"  # only the year is kept (1 January), for age statistics


@dataclass(frozen=True)
class Scrub:
    """One model's share of a record: rows found by `owner` (a lookup to the owning record's id)."""

    model: str
    owner: str
    fields: dict[str, str] = field(default_factory=dict)
    files: tuple[str, ...] = ()  # file fields whose stored file is removed and whose name is cleared


# A beneficiary file and everything that belongs to it (rule FILE_FINAL).
FILE_SCRUBS = (
    Scrub("beneficiaries.BeneficiaryFile", "pk", {
        "head_id_number": IDENTITY, "head_name": TEXT, "head_name_search": BLANK, "mobile": BLANK,
        "mobile_alt": BLANK, "email": BLANK, "district": BLANK, "street": BLANK, "building_number": BLANK,
        "postal_code": BLANK, "housing_notes": TEXT, "iban": BLANK, "ministry_reference": BLANK}),
    Scrub("beneficiaries.Member", "file_id", {
        "first_name": TEXT, "father_name": TEXT, "grandfather_name": TEXT, "family_name": TEXT,
        "name_search": BLANK, "id_number": IDENTITY, "birth_date": BIRTH_YEAR, "disability": TEXT,
        "health_conditions": TEXT}),
    Scrub("beneficiaries.IncomeSource", "file_id", {"note": TEXT}),
    Scrub("beneficiaries.Document", "file_id", {"original_name": BLANK, "note": BLANK}, files=("stored",)),
    Scrub("beneficiaries.Declaration", "file_id", {
        "signed_by_name": TEXT, "signed_by_id_number": IDENTITY, "data_snapshot": EMPTY_JSON}),
    Scrub("beneficiaries.ReportedChange", "file_id", {"description": TEXT}),
    Scrub("beneficiaries.ResearcherChangeRequest", "file_id", {"reasons": TEXT, "decision_reasons": TEXT}),
    Scrub("beneficiaries.ManagerReferral", "file_id", {"question": TEXT, "answer": TEXT}),
    Scrub("aid.Disbursement", "file_id", {"iban": BLANK, "transfer_reference": BLANK, "note": TEXT}),
    Scrub("aid.Recommendation", "file_id", {
        "family_name": TEXT, "contact": BLANK, "district": BLANK, "situation": TEXT}),
    Scrub("programmes.Nomination", "file_id", {"written_answer": TEXT, "dropout_reasons": TEXT}),
    Scrub("programmes.Attendance", "nomination__file_id", {"apology": TEXT}),
    Scrub("eligibility.VerificationItem", "file_id", {"note": TEXT}),
    Scrub("eligibility.Witness", "file_id", {"name": TEXT, "national_id": IDENTITY, "phone": BLANK,
                                             "statement": TEXT}),
    Scrub("eligibility.FieldVisit", "file_id", {"furniture": TEXT, "observations": TEXT, "present": TEXT}),
    Scrub("eligibility.NeedsAssessment", "file_id", {"notes": TEXT}),
    Scrub("eligibility.Decision", "file_id", {
        "reasons": TEXT, "family_participant": TEXT, "family_participant_relationship": BLANK,
        "ministry_reference": BLANK}),
    Scrub("eligibility.Freeze", "file_id", {"reason": TEXT, "end_note": TEXT}),
    Scrub("eligibility.Exclusion", "file_id", {"proof_note": TEXT}),
    Scrub("eligibility.Certificate", "exclusion__file_id", files=("pdf",)),
    Scrub("satisfaction.Survey", "file_id", {"comment": TEXT}),
)

# A complaint and its attachments, notices and referral (rule COMPLAINT_CLOSED; CP-3 fields).
COMPLAINT_SCRUBS = (
    Scrub("complaints.Complaint", "pk", {
        "complainant_name": TEXT, "national_id": IDENTITY, "phone": BLANK, "email": BLANK, "subject": TEXT,
        "facts": TEXT, "against": TEXT, "harm": TEXT, "reasons": TEXT, "steps_taken": TEXT, "remedy": TEXT,
        "other_info": TEXT, "excuse": TEXT, "excuse_decision_reason": TEXT, "ruling_text": TEXT,
        "closure_reason": TEXT}),
    Scrub("complaints.Attachment", "complaint_id", {"original_name": BLANK}, files=("stored",)),
    Scrub("complaints.Notice", "complaint_id", {"note": TEXT}),
    Scrub("complaints.InvestigationReferral", "complaint_id", {"reasons": TEXT, "outcome": TEXT}),
)

# A data-subject request itself, long after it was answered (rule REQUEST_CLOSED).
REQUEST_SCRUBS = (
    Scrub("privacy.DataSubjectRequest", "pk", {
        "national_id": IDENTITY, "requester_name": TEXT, "contact": BLANK, "details": TEXT, "outcome": TEXT},
        files=("export_file",)),
)

# The record's contacts: messages sent to them before the cutoff are scrubbed with the record.
CONTACT_FIELDS = {
    "beneficiaries.BeneficiaryFile": ("mobile", "mobile_alt", "email"),
    "complaints.Complaint": ("phone", "email"),
    "privacy.DataSubjectRequest": ("contact",),
}
NOTIFICATION_FIELDS = {"recipient": IDENTITY, "subject": BLANK, "body": TEXT}
# What an old access-log entry loses: who looked and from where (what and when stay).
ACCESS_LOG_CLEARED = {"user": None, "ip_address": None, "user_agent": "", "path": ""}
