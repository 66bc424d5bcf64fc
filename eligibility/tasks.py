"""Background tasks of eligibility. Thin: fetch by id or date, call a service."""

from celery import shared_task
from django.utils import timezone

from charity import calendar


@shared_task(name="eligibility.tasks.enforce_deadlines", acks_late=True, time_limit=3600, soft_time_limit=3300)
def enforce_deadlines_task(today: str | None = None) -> dict:
    """The daily sweep (SC-6, SC-12). Idempotent, so a redelivered message is harmless."""
    import datetime as dt

    from .controls import enforce_deadlines

    day = dt.date.fromisoformat(today) if today else calendar.today()
    result = enforce_deadlines(today=day, now=timezone.now())
    return {"excluded": result.excluded, "frozen": result.frozen, "failed": result.failed}


@shared_task(name="eligibility.tasks.render_certificate", acks_late=True, time_limit=120, soft_time_limit=100)
def render_certificate_task(certificate_id: int) -> None:
    """Render a certificate once (idempotent: an already rendered one is left as it is)."""
    from .certificates import render_certificate
    from .models import Certificate

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is not None:
        render_certificate(certificate)
