"""Examining a complaint: who examines it and whom it names (CP-6, CP-8), the ruling and
closing (CP-7), malicious complaints (CP-10)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from charity.roles import Role

from .. import errors
from ..models import Complaint, InvestigationReferral
from ..policy import Status
from .common import lock_complaint, set_status

# --- CP-6, CP-8: examination ----------------------------------------------------------------


@transaction.atomic
def assign(*, complaint: Complaint, by, to) -> Complaint:
    """CP-6, CP-8: the executive director gives the complaint to a member of staff to examine —
    never to someone it names, nor a complaint against an executive director to one."""
    complaint = lock_complaint(complaint)
    if complaint.named_staff.filter(pk=to.pk).exists() or (
            complaint.is_against_director() and to.groups.filter(name=Role.DIRECTOR.value).exists()):
        raise ValidationError(errors.ASSIGNEE_IS_NAMED, code="assignee_named")
    complaint.assigned_to = to
    complaint.save(update_fields=["assigned_to"])
    return complaint


@transaction.atomic
def name_staff(*, complaint: Complaint, by, staff) -> Complaint:
    """CP-8: record which members of staff the complaint is about; they lose sight of it."""
    complaint = lock_complaint(complaint)
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
    complaint = lock_complaint(complaint)
    if complaint.status != Status.UNDER_REVIEW:
        raise ValidationError(errors.NOT_UNDER_REVIEW, code="not_under_review")
    complaint.ruling, complaint.ruling_text, complaint.ruled_by = ruling, text.strip(), by
    complaint.ruled_at, complaint.ruled_on = now, today
    complaint.save(update_fields=["ruling", "ruling_text", "ruled_by", "ruled_at", "ruled_on"])
    set_status(complaint, Status.RULED)
    return complaint

@transaction.atomic
def close(*, complaint: Complaint, by, now: dt.datetime, reason: str = "") -> Complaint:
    complaint = lock_complaint(complaint)
    if complaint.status != Status.NOTIFIED:
        raise ValidationError(errors.NOT_NOTIFIED, code="not_notified")
    complaint.closed_at, complaint.closure_reason = now, reason.strip()
    complaint.save(update_fields=["closed_at", "closure_reason"])
    set_status(complaint, Status.CLOSED)
    return complaint


# --- CP-10: malicious complaints ------------------------------------------------------------


@transaction.atomic
def refer_malicious(*, complaint: Complaint, by, reasons: str, now: dt.datetime) -> InvestigationReferral:
    """CP-10: mark the complaint malicious and refer its author to the investigation committee."""
    if not reasons.strip():
        raise ValidationError(errors.REASON_REQUIRED, code="reason_required")
    complaint = lock_complaint(complaint)
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
