"""Background tasks of eligibility. Thin: fetch by id or date, call a service."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from charity import calendar, jobs

from .certificates import render_pending
from .sweep import enforce_deadlines


@shared_task(name="eligibility.tasks.enforce_deadlines", acks_late=True, time_limit=3600, soft_time_limit=3300)
def enforce_deadlines_task(today: str | None = None) -> dict:
    """The daily sweep (SC-6, SC-12), recorded as a run with a sign of life after each batch:
    a run whose worker dies is resumed by the watchdog (charity/jobs.py). Idempotent, so a
    redelivered or resumed message is harmless. The day is fixed when the run starts, so a
    resumed run finishes the same day's work."""
    day = dt.date.fromisoformat(today) if today else calendar.today()
    with jobs.tracked(enforce_deadlines_task.name, [day.isoformat()]) as run:
        result = enforce_deadlines(today=day, now=timezone.now(),
                                   on_batch=lambda done: jobs.alive(run, done=done))
    return {"excluded": result.excluded, "frozen": result.frozen, "failed": result.failed, "told": result.told,
            "responded": result.responded, "controls_adopted": result.controls_adopted}


@shared_task(name="eligibility.tasks.render_certificates", acks_late=True, time_limit=300, soft_time_limit=270)
def render_certificates_task(certificate_ids: list[int]) -> int:
    """Render certificates once (idempotent: one already rendered is left as it is; a
    redelivered message renders nothing twice). Return how many were rendered now."""
    return render_pending(certificate_ids)
