"""What every complaint service shares: the row lock and the one status change, checked
against the transition table (policy.TRANSITIONS)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .. import errors, policy
from ..models import Complaint
from ..policy import Status


def lock_complaint(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def set_status(complaint: Complaint, status: str) -> None:
    if not policy.can_transition(complaint.status, status):
        raise ValidationError(errors.TRANSITION_NOT_ALLOWED % {"current": Status(complaint.status).label,
                                                               "new": Status(status).label}, code="transition")
    complaint.status = status
    complaint.save(update_fields=["status"])

