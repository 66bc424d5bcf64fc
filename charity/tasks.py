"""Background tasks of the installation. Thin: each calls one function and returns."""

import socket

from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone

from . import jobs
from .models import WorkerHeartbeat
from .notifications import deliver, deliver_pending
from .orphans import remove_orphan_files


@shared_task(name="charity.tasks.record_heartbeat", acks_late=True, time_limit=60, soft_time_limit=50)
def record_heartbeat(worker: str | None = None) -> str:
    """Record that a worker is alive (idempotent: one row per worker, last time wins)."""
    name = worker or socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(worker=name, defaults={"last_seen": timezone.now()})
    return name


@worker_ready.connect
def _report_at_start(sender, **kwargs):
    """Report as soon as a worker starts, not only at the first scheduled heartbeat."""
    record_heartbeat.delay()


@shared_task(name="charity.tasks.send_notification", acks_late=True, time_limit=120, soft_time_limit=100)
def send_notification(notification_id: int) -> bool:
    """Deliver one notification (idempotent: a sent one is never sent again)."""
    return deliver(notification_id)


@shared_task(name="charity.tasks.send_notifications", acks_late=True, time_limit=600, soft_time_limit=540)
def send_notifications(notification_ids: list[int]) -> int:
    """Deliver a batch queued together (the daily sweep); idempotent like send_notification.
    Return how many were sent."""
    return sum(deliver(pk) for pk in notification_ids)


@shared_task(name="charity.tasks.deliver_pending_notifications", acks_late=True, time_limit=600,
             soft_time_limit=540)
def deliver_pending_notifications() -> int:
    """Deliver what is still in the outbox (queued while the broker was down, or retrying)."""
    return deliver_pending()


@shared_task(name="charity.tasks.remove_orphan_uploads", acks_late=True, time_limit=1800, soft_time_limit=1700)
def remove_orphan_uploads() -> int:
    """Remove upload files no record points to (charity/orphans.py); idempotent."""
    return len(remove_orphan_files(now=timezone.now()).removed)


@shared_task(name="charity.tasks.resume_stalled_jobs", time_limit=120, soft_time_limit=100)
def resume_stalled_jobs() -> int:
    """Resume every long job whose worker died, and tell the administrators (charity/jobs.py)."""
    return len(jobs.resume_stalled(now=timezone.now()))
