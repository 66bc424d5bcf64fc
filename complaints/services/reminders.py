"""CP-7 jobs: reminders before the ruling is due, escalation once overdue, and the executive
director's daily digest. Idempotent: each message has a dedupe key in the outbox."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import translation

from charity import calendar
from charity.models import Notification, PolicyProfile
from charity.notifications import queue_notification
from charity.roles import Role, active_members

from .. import errors, policy
from ..models import Complaint
from ..policy import Status, director_complaints_role

logger = logging.getLogger(__name__)


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
    admins when overdue; remind him too of an excuse awaiting his decision before it is due
    (CP-2). A complaint against an executive director goes to the role the profile names
    instead (CP-8). Safe to run any number of times a day: each message has a key."""
    directors = list(_staff_with("complaints.view_all_complaints").filter(is_superuser=False))
    handlers = list(active_members(Role(director_complaints_role())))
    against_director = set(Complaint.objects.against_director().values_list("pk", flat=True))
    admins = list(_staff_with("charity.change_policyprofile").filter(is_staff=True))
    running = Complaint.objects.filter(status=Status.UNDER_REVIEW, due_on__isnull=False)
    upcoming = list(running.filter(due_on__gte=today).only("pk", "tracking_number", "due_on", "assigned_to"))
    excuses = list(Complaint.objects.filter(status=Status.EXCUSE_REVIEW, excuse_due_on__gte=today)
                   .only("pk", "tracking_number", "excuse_due_on"))
    # One calendar from today to the furthest due date, whatever the profile's period (a fixed
    # span once made a 45-working-day period raise, and then no complaint got its reminder).
    last = max([c.due_on for c in upcoming] + [c.excuse_due_on for c in excuses], default=today)
    cal = calendar.calendar_for(today, last)
    counts = {"reminders": 0, "excuse_reminders": 0, "escalations": 0, "failed": 0}
    with translation.override("ar"):
        for kind, complaints in (("reminders", upcoming), ("excuse_reminders", excuses)):
            for complaint in complaints:
                deciders = handlers if complaint.pk in against_director else directors
                remind = _remind_excuse if kind == "excuse_reminders" else _remind
                try:
                    counts[kind] += remind(complaint, deciders, cal, today)
                except Exception:  # one complaint never stops the others' reminders
                    counts["failed"] += 1
                    logger.exception("CP-7 reminder for complaint %s failed", complaint.pk)
        for complaint in running.filter(due_on__lt=today):
            counts["escalations"] += _tell_staff(
                admins, body=str(errors.MSG_ESCALATION % {"number": complaint.tracking_number,
                                                          "due": calendar.format_dual(complaint.due_on)}),
                subject=complaint.tracking_number, key=f"complaint-{complaint.pk}-overdue", about=complaint)
            Complaint.objects.filter(pk=complaint.pk, escalated_on__isnull=True).update(escalated_on=today)
    return counts


def _remind(complaint: Complaint, deciders: list, cal, today: dt.date) -> int:
    """CP-7: the ruling is due in 5 or 2 working days."""
    return _remind_before(complaint, deciders, cal, today, due=complaint.due_on, thresholds=policy.REMINDER_DAYS_LEFT,
                          message=errors.MSG_REMINDER, key=f"complaint-{complaint.pk}-left")


def _remind_excuse(complaint: Complaint, deciders: list, cal, today: dt.date) -> int:
    """CP-2, CP-7: the decision on a late filing's excuse is due soon."""
    return _remind_before(complaint, deciders, cal, today, due=complaint.excuse_due_on,
                          thresholds=policy.EXCUSE_REMINDER_DAYS_LEFT, message=errors.MSG_EXCUSE_REMINDER,
                          key=f"complaint-{complaint.pk}-excuse-left")


def _remind_before(complaint, deciders, cal, today, *, due, thresholds, message, key) -> int:
    left = cal.working_days_between(today, due)
    # The smallest threshold reached: a run missed on one day is made up on the next.
    threshold = min((t for t in thresholds if left <= t), default=None)
    if threshold is None:
        return 0
    return _tell_staff(
        [u for u in deciders if not complaint.named_staff.filter(pk=u.pk).exists()],
        body=str(message % {"number": complaint.tracking_number, "days": left, "due": calendar.format_dual(due)}),
        subject=complaint.tracking_number, key=f"{key}-{threshold}", about=complaint)


def send_daily_digest(*, today: dt.date) -> int:
    """The executive director's daily digest of open complaints (one per day, whatever the runs)."""
    # CP-8: a complaint against an executive director is not in his figures.
    open_complaints = Complaint.objects.not_against_director().filter(
        status__in=[Status.EXCUSE_REVIEW, Status.UNDER_REVIEW, Status.RULED])
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
