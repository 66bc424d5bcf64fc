"""Every change of state of a complaint goes through these functions (CP-1…CP-10).

Public submission and paper entry, the excuse decision (CP-2), assignment, ruling (CP-7),
notices to the complainant (CP-9), closing, malicious complaints (CP-10), and the
reminders/escalation/digest jobs — idempotent through the outbox's dedupe keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation

from beneficiaries.models import BeneficiaryFile
from beneficiaries.validators import clean_national_id, normalize_mobile, validate_national_id
from charity import calendar
from charity.models import Notification, PolicyProfile
from charity.notifications import queue_notification
from charity.sequences import next_in_hijri_year
from charity.uploads import inspect_upload
from satisfaction.services import send_survey

from . import errors, policy
from .models import Attachment, Complaint, InvestigationReferral, Notice, TrackingSequence
from .policy import NoticeChannel, Source, Status

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
    cleaned["national_id"] = clean_national_id(data.get("national_id", ""))
    try:
        validate_national_id(cleaned["national_id"])
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
    from beneficiaries.models import Member

    open_files = BeneficiaryFile.objects.open()
    return (open_files.filter(head_id_number=national_id).first()
            or open_files.filter(pk__in=Member.objects.current().filter(id_number=national_id).values("file_id"))
            .first())


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
    late = policy.complaint_is_late(cleaned["incident_on"], received, profile.complaint_window_days)
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
            complaint = Complaint.objects.create(
                tracking_number=_next_tracking_number(today), code_hash=hash_code(code), source=source,
                filed_at=now, received_on=received, entered_by=entered_by, late=late,
                file=_file_for(cleaned["national_id"]), **fields,
            )
            for upload, info in zip(attachments, inspected, strict=True):
                attachment = Attachment(complaint=complaint, content_type=info.content_type, size=info.size,
                                        sha256=info.sha256, original_name=(upload.name or "")[:200])
                attachment.stored.save(f"a.{info.extension}", upload, save=False)
                stored.append(attachment)
                attachment.save()
            if late:
                _set_status(complaint, Status.EXCUSE_REVIEW)
            else:
                _start_clock(complaint, received, profile)
            _send_receipt(complaint, code)
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


def _set_status(complaint: Complaint, status: str) -> None:
    if not policy.can_transition(complaint.status, status):
        raise ValidationError(errors.TRANSITION_NOT_ALLOWED % {"current": Status(complaint.status).label,
                                                               "new": Status(status).label}, code="transition")
    complaint.status = status
    complaint.save(update_fields=["status"])


def _start_clock(complaint: Complaint, on: dt.date, profile: PolicyProfile) -> None:
    """CP-7: store the due date when the ruling clock starts."""
    complaint.clock_started_on = on
    complaint.due_on = policy.ruling_due_on(on, profile.ruling_working_days)
    complaint.save(update_fields=["clock_started_on", "due_on"])
    _set_status(complaint, Status.UNDER_REVIEW)


def _send_receipt(complaint: Complaint, code: str) -> None:
    with translation.override("ar"):
        body = str(errors.MSG_RECEIPT % {"number": complaint.tracking_number, "code": format_code(code)})
    for channel, recipient in ((Notification.Channel.SMS, complaint.phone),
                               (Notification.Channel.EMAIL, complaint.email)):
        queue_notification(channel=channel, recipient=recipient, body=body, subject=complaint.tracking_number,
                           about=complaint, purpose="complaint-receipt", redact_after_send=True)


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


# --- CP-2: the excuse -----------------------------------------------------------------------


@transaction.atomic
def decide_excuse(*, complaint: Complaint, by, accept: bool, reason: str, now: dt.datetime, today: dt.date,
                  profile: PolicyProfile) -> Complaint:
    """CP-2: management accepts the excuse (the ruling clock starts today) or refuses it (the
    complaint closes and the complainant is told why)."""
    if not reason.strip():
        raise ValidationError(errors.REASON_REQUIRED, code="reason_required")
    complaint = _locked(complaint)
    if complaint.status != Status.EXCUSE_REVIEW:
        raise ValidationError(errors.NOT_AWAITING_EXCUSE, code="not_awaiting_excuse")
    complaint.excuse_accepted, complaint.excuse_decided_by, complaint.excuse_decided_at = accept, by, now
    complaint.excuse_decision_reason = reason.strip()
    complaint.save(update_fields=["excuse_accepted", "excuse_decided_by", "excuse_decided_at",
                                  "excuse_decision_reason"])
    if accept:
        _start_clock(complaint, today, profile)
    else:
        complaint.closed_at, complaint.closure_reason = now, reason.strip()
        complaint.save(update_fields=["closed_at", "closure_reason"])
        _set_status(complaint, Status.CLOSED)
        with translation.override("ar"):
            body = str(errors.MSG_EXCUSE_REFUSED % {"number": complaint.tracking_number, "reason": reason.strip()})
        _tell_complainant(complaint, body, purpose="complaint-excuse-refused", by=by, now=now)
    return complaint


# --- CP-6, CP-8: examination ----------------------------------------------------------------


@transaction.atomic
def assign(*, complaint: Complaint, by, to) -> Complaint:
    """CP-6, CP-8: the executive director gives the complaint to a member of staff to examine —
    never to someone it names."""
    complaint = _locked(complaint)
    if complaint.named_staff.filter(pk=to.pk).exists():
        raise ValidationError(errors.ASSIGNEE_IS_NAMED, code="assignee_named")
    complaint.assigned_to = to
    complaint.save(update_fields=["assigned_to"])
    return complaint


@transaction.atomic
def name_staff(*, complaint: Complaint, by, staff) -> Complaint:
    """CP-8: record which members of staff the complaint is about; they lose sight of it."""
    complaint = _locked(complaint)
    staff = list(staff)
    if by in staff:
        raise ValidationError(errors.CANNOT_NAME_SELF, code="cannot_name_self")
    complaint.named_staff.set(staff)
    if complaint.assigned_to_id and complaint.assigned_to_id in {u.pk for u in staff}:
        complaint.assigned_to = None
        complaint.save(update_fields=["assigned_to"])
    return complaint


@transaction.atomic
def rule(*, complaint: Complaint, by, ruling: str, text: str, now: dt.datetime, today: dt.date) -> Complaint:
    """CP-7: the ruling (upheld, partly upheld, rejected) with its text."""
    if not text.strip():
        raise ValidationError(errors.RULING_TEXT_REQUIRED, code="ruling_text_required")
    complaint = _locked(complaint)
    if complaint.status != Status.UNDER_REVIEW:
        raise ValidationError(errors.NOT_UNDER_REVIEW, code="not_under_review")
    complaint.ruling, complaint.ruling_text, complaint.ruled_by = ruling, text.strip(), by
    complaint.ruled_at, complaint.ruled_on = now, today
    complaint.save(update_fields=["ruling", "ruling_text", "ruled_by", "ruled_at", "ruled_on"])
    _set_status(complaint, Status.RULED)
    return complaint


# --- CP-9: telling the complainant ----------------------------------------------------------


def _result_message(complaint: Complaint) -> str:
    with translation.override("ar"):
        return str(errors.MSG_RESULT % {"number": complaint.tracking_number,
                                        "ruling": policy.Ruling(complaint.ruling).label,
                                        "text": complaint.ruling_text})


def _tell_complainant(complaint: Complaint, body: str, *, purpose: str, by, now: dt.datetime) -> list[Notice]:
    notices = []
    for channel, recipient in ((NoticeChannel.SMS, complaint.phone), (NoticeChannel.EMAIL, complaint.email)):
        notification = queue_notification(channel=channel, recipient=recipient, body=body,
                                          subject=complaint.tracking_number, about=complaint, purpose=purpose)
        if notification is not None:
            notices.append(Notice.objects.create(complaint=complaint, channel=channel, at=now, by=by,
                                                 success=True, notification=notification,
                                                 note=str(errors.NOTICE_QUEUED)))
    return notices


@transaction.atomic
def notify_result(*, complaint: Complaint, by, now: dt.datetime) -> list[Notice]:
    """CP-9: send the ruling by SMS and email (delivery attempts are recorded by the outbox);
    the status page shows it too."""
    complaint = _locked(complaint)
    if complaint.status not in (Status.RULED, Status.NOTIFIED):
        raise ValidationError(errors.NOT_RULED, code="not_ruled")
    notices = _tell_complainant(complaint, _result_message(complaint), purpose="complaint-result", by=by, now=now)
    if complaint.status == Status.RULED:
        _set_status(complaint, Status.NOTIFIED)
    # SAT-1: how satisfied the complainant is with the handling (once per complaint).
    send_survey(event=complaint, service="complaint", file=complaint.file, staff=complaint.ruled_by, now=now,
                mobile=complaint.phone)
    return notices


@transaction.atomic
def record_notice(*, complaint: Complaint, by, channel: str, success: bool, note: str, now: dt.datetime) -> Notice:
    """CP-9: log a phone call or a visit in person, and whether it reached the complainant; only
    by those policy.may_record_notice names."""
    if not policy.may_record_notice(by, complaint):
        raise PermissionDenied
    complaint = _locked(complaint)
    if complaint.status not in (Status.RULED, Status.NOTIFIED, Status.CLOSED):
        raise ValidationError(errors.NOT_RULED, code="not_ruled")
    notice = Notice.objects.create(complaint=complaint, channel=channel, at=now, by=by, success=success, note=note)
    if success and complaint.status == Status.RULED:
        _set_status(complaint, Status.NOTIFIED)
    return notice


def record_status_page_view(*, complaint: Complaint, now: dt.datetime) -> None:
    """CP-9 (website): the complainant saw the result on the status page."""
    if complaint.status in (Status.RULED, Status.NOTIFIED, Status.CLOSED) and complaint.ruling:
        with transaction.atomic():
            if not complaint.notices.filter(channel=NoticeChannel.WEBSITE).exists():
                Notice.objects.create(complaint=complaint, channel=NoticeChannel.WEBSITE, at=now, success=True,
                                      note=str(errors.NOTICE_SEEN_ONLINE))
            locked = _locked(complaint)
            if locked.status == Status.RULED:
                _set_status(locked, Status.NOTIFIED)


@transaction.atomic
def close(*, complaint: Complaint, by, now: dt.datetime, reason: str = "") -> Complaint:
    complaint = _locked(complaint)
    if complaint.status != Status.NOTIFIED:
        raise ValidationError(errors.NOT_NOTIFIED, code="not_notified")
    complaint.closed_at, complaint.closure_reason = now, reason.strip()
    complaint.save(update_fields=["closed_at", "closure_reason"])
    _set_status(complaint, Status.CLOSED)
    return complaint


# --- CP-10: malicious complaints ------------------------------------------------------------


@transaction.atomic
def refer_malicious(*, complaint: Complaint, by, reasons: str, now: dt.datetime) -> InvestigationReferral:
    """CP-10: mark the complaint malicious and refer its author to the investigation committee."""
    if not reasons.strip():
        raise ValidationError(errors.REASON_REQUIRED, code="reason_required")
    complaint = _locked(complaint)
    if complaint.status not in (Status.RULED, Status.NOTIFIED, Status.CLOSED):
        raise ValidationError(errors.NOT_RULED, code="not_ruled")
    if InvestigationReferral.objects.filter(complaint=complaint).exists():
        raise ValidationError(errors.ALREADY_REFERRED, code="already_referred")
    complaint.malicious = True
    complaint.save(update_fields=["malicious"])
    return InvestigationReferral.objects.create(complaint=complaint, referred_by=by, referred_at=now,
                                                reasons=reasons.strip())


@transaction.atomic
def record_investigation_outcome(*, referral: InvestigationReferral, by, outcome: str,
                                 now: dt.datetime) -> InvestigationReferral:
    if not outcome.strip():
        raise ValidationError(errors.REASON_REQUIRED, code="outcome_required")
    referral = InvestigationReferral.objects.select_for_update().get(pk=referral.pk)
    referral.outcome, referral.outcome_by, referral.outcome_at = outcome.strip(), by, now
    referral.save(update_fields=["outcome", "outcome_by", "outcome_at"])
    return referral


# --- CP-7: reminders, escalation, digest (idempotent) ---------------------------------------


def _staff_with(permission: str):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    app_label, codename = permission.split(".")
    perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(groups__permissions=perm) | Q(user_permissions=perm) | Q(is_superuser=True)).distinct()


def _tell_staff(users, *, body: str, subject: str, key: str, about=None) -> int:
    queued = 0
    for user in users:
        for channel, recipient in ((Notification.Channel.EMAIL, user.email), (Notification.Channel.SMS, user.phone)):
            if queue_notification(channel=channel, recipient=recipient, body=body, subject=subject, about=about,
                                  purpose="complaint-staff", dedupe_key=f"{key}:{channel}:{user.pk}"):
                queued += 1
    return queued


def send_deadline_reminders(*, today: dt.date, profile: PolicyProfile | None = None) -> dict:
    """CP-7: remind the executive director at 5 and 2 working days left; escalate once to the
    admins when overdue. Safe to run any number of times a day: each message has a key."""
    directors = list(_staff_with("complaints.view_all_complaints").filter(is_superuser=False))
    admins = list(_staff_with("charity.change_policyprofile").filter(is_staff=True))
    running = Complaint.objects.filter(status=Status.UNDER_REVIEW, due_on__isnull=False)
    cal = calendar.calendar_for(today, today + dt.timedelta(days=60))
    counts = {"reminders": 0, "escalations": 0}
    with translation.override("ar"):
        for complaint in running.filter(due_on__gte=today).only("pk", "tracking_number", "due_on", "assigned_to"):
            left = cal.working_days_between(today, complaint.due_on)
            # The smallest threshold reached: a run missed on one day is made up on the next.
            threshold = min((t for t in policy.REMINDER_DAYS_LEFT if left <= t), default=None)
            if threshold is not None:
                counts["reminders"] += _tell_staff(
                    [u for u in directors if not complaint.named_staff.filter(pk=u.pk).exists()],
                    body=str(errors.MSG_REMINDER % {"number": complaint.tracking_number, "days": left,
                                                    "due": calendar.format_dual(complaint.due_on)}),
                    subject=complaint.tracking_number, key=f"complaint-{complaint.pk}-left-{threshold}",
                    about=complaint)
        for complaint in running.filter(due_on__lt=today):
            counts["escalations"] += _tell_staff(
                admins, body=str(errors.MSG_ESCALATION % {"number": complaint.tracking_number,
                                                          "due": calendar.format_dual(complaint.due_on)}),
                subject=complaint.tracking_number, key=f"complaint-{complaint.pk}-overdue", about=complaint)
            Complaint.objects.filter(pk=complaint.pk, escalated_on__isnull=True).update(escalated_on=today)
    return counts


def send_daily_digest(*, today: dt.date) -> int:
    """The executive director's daily digest of open complaints (one per day, whatever the runs)."""
    open_complaints = Complaint.objects.filter(status__in=[Status.EXCUSE_REVIEW, Status.UNDER_REVIEW, Status.RULED])
    figures = {
        "open": open_complaints.count(),
        "excuses": open_complaints.filter(status=Status.EXCUSE_REVIEW).count(),
        "due_week": open_complaints.due_soon(today).count(),
        "overdue": open_complaints.overdue(today).count(),
        "date": calendar.format_dual(today, "ar"),
    }
    with translation.override("ar"):
        body = str(errors.MSG_DIGEST % figures)
    return _tell_staff(_staff_with("complaints.view_all_complaints").filter(is_superuser=False), body=body,
                       subject=str(figures["date"]), key=f"complaints-digest-{today.isoformat()}")
