"""Background job of privacy. Thin: call the retention service with today's date."""

import datetime as dt
from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from charity import calendar

from .services import apply_retention


@shared_task(name="privacy.tasks.apply_retention", acks_late=True, time_limit=3600, soft_time_limit=3300)
def apply_retention_task(today: str | None = None) -> dict:
    """Anonymise what the retention policy no longer needs (PDPL). Idempotent, so a redelivered
    message is harmless."""
    day = dt.date.fromisoformat(today) if today else calendar.today()
    return asdict(apply_retention(today=day, now=timezone.now()))
