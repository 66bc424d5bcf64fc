"""Background jobs of complaints. Thin: each calls one service with today's date."""

from celery import shared_task

from charity import calendar

from .services import send_daily_digest, send_deadline_reminders


@shared_task(name="complaints.tasks.send_deadline_reminders", acks_late=True, time_limit=600, soft_time_limit=540)
def send_deadline_reminders_task() -> dict:
    """CP-7 reminders and escalation (idempotent: each message has a dedupe key)."""
    return send_deadline_reminders(today=calendar.today())


@shared_task(name="complaints.tasks.send_daily_digest", acks_late=True, time_limit=600, soft_time_limit=540)
def send_daily_digest_task() -> int:
    """The executive director's daily digest of open complaints (one per day)."""
    return send_daily_digest(today=calendar.today())
