"""Filing a complaint (CP-1…CP-5) and the excuse of a late one (CP-2): the public link and
paper entry, the secret code of the status page, the receipt, the ruling clock (CP-7)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import translation

from beneficiaries.models import BeneficiaryFile
from beneficiaries.validators import normalize_mobile, validate_national_id, validate_passport
from charity import calendar
from charity.models import Notification, PolicyProfile
from charity.notifications import queue_notifications, secret_slot
from charity.sequences import next_in_hijri_year
from charity.uploads import inspect_upload

from .. import errors, policy
from ..models import Attachment, Complaint, TrackingSequence
from ..policy import Source, Status
from .common import lock_complaint, set_status
from .notices import complaint_message, tell_complainant

logger = logging.getLogger("complaints.services")
MAX_ATTACHMENTS = 5
# 26 characters of base32: 130 random bits, typed in groups of 5 (CP status page).
_CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
CODE_LENGTH = 26

# --- Secrets --------------------------------------------------------------------------------


def new_secret_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return "-".join(code[i:i + 5] for i in range(0, len(code), 5))


def normalize_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def _next_tracking_number(today: dt.date) -> str:
    year, number = next_in_hijri_year(TrackingSequence, today)
    return f"{year}-{number:06d}"


def hash_code(code: str) -> str:
    """The stored form of a secret code. The code carries 130 random bits, so a keyed SHA-256
    is as strong as a slow password hash here, and costs nothing per status lookup."""
    return hmac.new(settings.SECRET_KEY.encode(), normalize_code(code).encode(), hashlib.sha256).hexdigest()


def find_for_complainant(tracking_number: str, code: str) -> Complaint | None:
    """Return the complaint when both the tracking number and the code match, else None.

    A wrong code and an unknown number do the same work and give the same answer."""
    complaint = Complaint.objects.filter(tracking_number=(tracking_number or "").strip()).first()
    expected = complaint.code_hash if complaint else hash_code(new_secret_code())
    if hmac.compare_digest(expected, hash_code(code)) and complaint is not None:
        return complaint
    return None


# --- Filing (CP-2, CP-3, CP-4, CP-5) --------------------------------------------------------


def check_contents(data: dict, *, profile: PolicyProfile) -> dict:
    """CP-3, CP-5: return the cleaned personal data, or raise with every problem listed."""
    problems, cleaned = {}, dict(data)
    if not policy.full_name_is_clear(data.get("complainant_name", "")):
        problems["complainant_name"] = errors.NAME_NOT_CLEAR
    cleaned["national_id"] = policy.identity_number(data.get("national_id", ""))
    validate = validate_passport if policy.is_passport_number(cleaned["national_id"], profile) else validate_national_id
    try:
        validate(cleaned["national_id"])
    except ValidationError as exc:
        problems["national_id"] = exc.messages[0]
    phone, email = (data.get("phone") or "").strip(), (data.get("email") or "").strip()
    if phone:
        try:
            cleaned["phone"] = normalize_mobile(phone, international=profile.international_phones)
        except ValidationError as exc:
            problems["phone"] = exc.messages[0]
    if not phone and not email:
        problems["phone"] = errors.NO_CONTACT
    for name in policy.REQUIRED_CONTENTS:
        if not (data.get(name) or "").strip():
            problems[name] = errors.FIELD_REQUIRED
    if problems:
        raise ValidationError(problems)
    return cleaned


def _file_for(national_id: str) -> BeneficiaryFile | None:
    """The open file whose head or current member holds `national_id` (the head's first): one query."""
    from beneficiaries.models import Member

    as_member = Member.objects.current().filter(id_number=national_id).values("file_id")
    head_first = Case(When(head_id_number=national_id, then=Value(0)), default=Value(1))
    return (BeneficiaryFile.objects.open().filter(Q(head_id_number=national_id) | Q(pk__in=as_member))
            .order_by(head_first, "-created_at").first())


def file_complaint(*, data: dict, attachments=(), profile: PolicyProfile, now: dt.datetime, today: dt.date,
                   source: str = Source.WEB, received_on: dt.date | None = None, entered_by=None
                   ) -> tuple[Complaint, str]:
    """File a complaint from the web link or enter a paper one (CP-4). Return it with its
    secret code (shown once, sent by SMS and email). Nothing is saved if anything is wrong:
    not the row, not the attachments' files (removed again when the transaction surely rolled
    back; when the commit itself fails its outcome is unknown, and the daily orphan sweep,
    charity/orphans.py, removes the files later only if no row names them)."""
    cleaned = check_contents(data, profile=profile)
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(errors.TOO_MANY_ATTACHMENTS % {"max": MAX_ATTACHMENTS}, code="too_many_attachments")
    inspected = [inspect_upload(upload) for upload in attachments]
    received = received_on or today
    if received > today or cleaned["incident_on"] > received:
        raise ValidationError(errors.DATES_IN_FUTURE, code="dates_in_future")
    late = policy.late_filing_applies(profile) and policy.complaint_is_late(
        cleaned["incident_on"], received, profile.complaint_window_days)
    if late and not (cleaned.get("excuse") or "").strip():
        raise ValidationError({"excuse": errors.EXCUSE_REQUIRED % {"days": profile.complaint_window_days}})
    stored: list[Attachment] = []
    committing = False
    try:
        with transaction.atomic():
            code = new_secret_code()
            fields = {k: cleaned.get(k, "") for k in (
                "kind", "topic", "complainant_name", "national_id", "phone", "email", "subject", "facts", "against",
                "harm", "reasons", "steps_taken", "remedy", "other_info", "incident_on", "excuse")}
            complaint = Complaint(
                about_director=bool(cleaned.get("about_director")),
                tracking_number=_next_tracking_number(today), code_hash=hash_code(code), source=source,
                filed_at=now, received_on=received, entered_by=entered_by, late=late,
                file=_file_for(cleaned["national_id"]), **fields, **_opening_state(late, received, profile),
            )
            complaint.save(force_insert=True)  # one row, one history row: filed in its final state
            for upload, info in zip(attachments, inspected, strict=True):
                attachment = Attachment(complaint=complaint, content_type=info.content_type, size=info.size,
                                        sha256=info.sha256, original_name=(upload.name or "")[:200])
                attachment.stored.save(f"a.{info.extension}", upload, save=False)
                stored.append(attachment)
                attachment.save()
            _queue_filing_messages(complaint, code, profile)
            committing = True
    except Exception:
        if not committing:  # rolled back for certain: the files go with it
            for attachment in stored:
                attachment.stored.delete(save=False)
        else:  # the COMMIT itself failed (connection lost): it may have been applied
            logger.warning("complaint commit outcome unknown; its %s files are left to the orphan sweep",
                           len(stored))
        raise
    return complaint, code



def _opening_state(late: bool, received: dt.date, profile: PolicyProfile) -> dict:
    """CP-2, CP-7: the fields a complaint is filed with: a late one awaits the decision on its
    excuse (that decision's deadline stored), any other has its ruling clock started on the day
    it was received (the due date stored). Checked against the transition table from RECEIVED."""
    if late:
        state = {"status": Status.EXCUSE_REVIEW,
                 "excuse_due_on": policy.excuse_decision_due_on(received, profile.excuse_decision_working_days)}
    else:
        state = {"status": Status.UNDER_REVIEW, "clock_started_on": received,
                 "due_on": policy.ruling_due_on(received, profile.ruling_working_days)}
    if not policy.can_transition(Status.RECEIVED, state["status"]):
        raise ValidationError(errors.TRANSITION_NOT_ALLOWED % {"current": Status.RECEIVED.label,
                                                               "new": Status(state["status"]).label},
                              code="transition")
    return state


def _start_clock(complaint: Complaint, on: dt.date, profile: PolicyProfile) -> None:
    """CP-7: store the due date when the ruling clock starts."""
    complaint.clock_started_on = on
    complaint.due_on = policy.ruling_due_on(on, profile.ruling_working_days)
    complaint.save(update_fields=["clock_started_on", "due_on"])
    set_status(complaint, Status.UNDER_REVIEW)


def _queue_filing_messages(complaint: Complaint, code: str, profile: PolicyProfile) -> None:
    """The receipt with the secret code (the outbox keeps the code sealed, never in the body) and,
    CP-7, filed on a weekend or holiday, which day the ruling's working days count from and the
    due date: written to the outbox in one insert, one delivery task after the commit."""
    body = complaint_message(complaint, "complaint-receipt", {"code": secret_slot("code")}, profile=profile)
    messages = _messages(complaint, body, purpose="complaint-receipt", redact_after_send=True,
                         secrets={"code": format_code(code)})
    if not complaint.late and not calendar.is_working_day(complaint.received_on):
        messages += _messages(complaint, _off_day_message(complaint, profile), purpose="complaint-off-day",
                              dedupe_key=f"complaint-off-day:{complaint.pk}")
    queue_notifications(messages)


def _off_day_message(complaint: Complaint, profile: PolicyProfile) -> str:
    """CP-7: filed on a weekend or holiday, the ruling's working days count from the next
    working day; say which, and the due date."""
    with translation.override("ar"):
        dates = {name: calendar.format_dual(day) for name, day in (
            ("received_on", complaint.received_on), ("due_on", complaint.due_on),
            ("clock_starts_on", calendar.add_working_days(complaint.received_on, 1)))}
    return complaint_message(complaint, "complaint-off-day", {"working_days": profile.ruling_working_days, **dates},
                             profile=profile)


def _messages(complaint: Complaint, body: str, *, purpose: str, redact_after_send: bool = False,
              dedupe_key: str = "", secrets: dict | None = None) -> list[dict]:
    """One outbox message per channel the complainant gave (queue_notifications leaves out the others)."""
    return [{"channel": channel, "recipient": recipient, "body": body, "subject": complaint.tracking_number,
             "about": complaint, "purpose": purpose, "redact_after_send": redact_after_send,
             "dedupe_key": f"{dedupe_key}:{channel}" if dedupe_key else None, "secrets": secrets}
            for channel, recipient in ((Notification.Channel.SMS, complaint.phone),
                                       (Notification.Channel.EMAIL, complaint.email))]



# --- CP-2: the excuse -----------------------------------------------------------------------


@transaction.atomic
def decide_excuse(*, complaint: Complaint, by, accept: bool, reason: str, now: dt.datetime, today: dt.date,
                  profile: PolicyProfile) -> Complaint:
    """CP-2: management accepts the excuse (the complaint goes under review; CP-7's clock counts
    from the filing date, or from today where the profile chose so) or refuses it (the
    complaint closes and the complainant is told why)."""
    if not reason.strip():
        raise ValidationError(errors.REASON_REQUIRED, code="reason_required")
    complaint = lock_complaint(complaint)
    if complaint.status != Status.EXCUSE_REVIEW:
        raise ValidationError(errors.NOT_AWAITING_EXCUSE, code="not_awaiting_excuse")
    complaint.excuse_accepted, complaint.excuse_decided_by, complaint.excuse_decided_at = accept, by, now
    complaint.excuse_decision_reason = reason.strip()
    complaint.save(update_fields=["excuse_accepted", "excuse_decided_by", "excuse_decided_at",
                                  "excuse_decision_reason"])
    if accept:
        _start_clock(complaint, policy.ruling_clock_start(complaint, profile, today), profile)
        with translation.override("ar"):
            due = calendar.format_dual(complaint.due_on)
        body = complaint_message(complaint, "complaint-excuse-accepted", {"reasons": reason.strip(), "due_on": due})
        tell_complainant(complaint, body, purpose="complaint-excuse-accepted", by=by, now=now)
    else:
        complaint.closed_at, complaint.closure_reason = now, reason.strip()
        complaint.save(update_fields=["closed_at", "closure_reason"])
        set_status(complaint, Status.CLOSED)
        body = complaint_message(complaint, "complaint-excuse-refused", {"reasons": reason.strip()})
        tell_complainant(complaint, body, purpose="complaint-excuse-refused", by=by, now=now)
    return complaint
