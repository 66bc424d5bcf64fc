"""Background jobs of complaints. Thin: each calls one service with today's date."""

from celery import shared_task

from charity import calendar


@shared_task(name="complaints.tasks.send_deadline_reminders", acks_late=True, time_limit=600, soft_time_limit=540)
def send_deadline_reminders_task() -> dict:
    """CP-7 reminders and escalation (idempotent: each message has a dedupe key)."""
    from .services import send_deadline_reminders

    return send_deadline_reminders(today=calendar.today())


@shared_task(name="complaints.tasks.send_daily_digest", acks_late=True, time_limit=600, soft_time_limit=540)
def send_daily_digest_task() -> int:
    from .services import send_daily_digest

    return send_daily_digest(today=calendar.today())
