"""The daily job of programmes. Thin: it calls the service with today's date."""

import datetime as dt

from celery import shared_task

from charity import calendar

from .services import expire_overdue_nominations


@shared_task(name="programmes.expire_nominations", acks_late=True, time_limit=600,
             soft_time_limit=540)
def expire_nominations_task(today: str | None = None) -> dict:
    """DU-11: nominees who did not answer in time lose the place to the next candidate.
    Idempotent, so a redelivered message is harmless."""
    day = dt.date.fromisoformat(today) if today else calendar.today()
    return expire_overdue_nominations(today=day)
