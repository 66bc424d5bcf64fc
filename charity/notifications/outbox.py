"""The outbox: queue in the caller's transaction, deliver from a worker, record every attempt."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from charity.models import DeliveryAttempt, Notification
from charity.queue import enqueue

from .backends import DeliveryError

MAX_ATTEMPTS = 5


def _backend(channel: str):
    return import_string(settings.NOTIFICATION_BACKENDS[channel])()


REDACTED_BODY = "—"


def _row(*, channel: str, recipient: str, body: str, subject: str = "", about=None, purpose: str = "",
         dedupe_key: str | None = None, redact_after_send: bool = False) -> Notification:
    notification = Notification(channel=channel, recipient=recipient, subject=subject[:200], body=body,
                                purpose=purpose, dedupe_key=dedupe_key, redact_after_send=redact_after_send)
    if about is not None:
        notification.content_type = ContentType.objects.get_for_model(about)
        notification.object_id = str(about.pk)
    return notification


def queue_notification(*, channel: str, recipient: str, body: str, subject: str = "", about=None,
                       purpose: str = "", dedupe_key: str | None = None,
                       redact_after_send: bool = False) -> Notification | None:
    """Write a notification to the outbox and deliver it after the transaction commits.

    With a `dedupe_key`, a second call with the same key queues nothing (idempotent jobs);
    return None then. No recipient, nothing queued (None)."""
    if not recipient:
        return None
    notification = _row(channel=channel, recipient=recipient, body=body, subject=subject, about=about,
                        purpose=purpose, dedupe_key=dedupe_key, redact_after_send=redact_after_send)
    try:
        with transaction.atomic():
            notification.save(force_insert=True)
    except IntegrityError:
        if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    _dispatch(notification.pk)
    return notification


DISPATCH_CHUNK = 100


def queue_notifications(messages: list[dict]) -> list[Notification]:
    """The same as `queue_notification` for many messages at once (the daily sweep): one insert,
    and one delivery task per hundred after commit. Each dict holds queue_notification's
    arguments except `dedupe_key`; messages without a recipient are left out."""
    rows = [_row(**message) for message in messages if message.get("recipient")]
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    _dispatch_many(ids)
    return created


def _dispatch(notification_id: int) -> None:
    # With the broker down it stays in the outbox, for the periodic sweep to deliver.
    enqueue("charity.tasks.send_notification", notification_id)


def _dispatch_many(ids: list[int]) -> None:
    for start in range(0, len(ids), DISPATCH_CHUNK):
        enqueue("charity.tasks.send_notifications", ids[start:start + DISPATCH_CHUNK])


def deliver(notification_id: int, *, now: dt.datetime | None = None) -> bool:
    """Send one pending notification once; record the attempt. Return True when sent.

    The row is locked (SKIP LOCKED where supported) so two workers never send it twice."""
    now = now or timezone.now()
    with transaction.atomic():
        qs = Notification.objects.select_for_update(skip_locked=True)
        notification = qs.filter(pk=notification_id, status=Notification.Status.PENDING).first()
        if notification is None:
            return False
        backend = _backend(notification.channel)
        try:
            detail = backend.send(notification)
            success = True
        except DeliveryError as exc:
            detail, success = str(exc), False
        DeliveryAttempt.objects.create(notification=notification, at=now, backend=backend.name, success=success,
                                       detail=detail[:1000])
        notification.attempts += 1
        if success:
            notification.status, notification.sent_at = Notification.Status.SENT, now
        elif notification.attempts >= MAX_ATTEMPTS:
            notification.status = Notification.Status.FAILED
        else:
            notification.next_attempt_at = now + dt.timedelta(minutes=5 * 2 ** notification.attempts)
        if notification.redact_after_send and notification.status != Notification.Status.PENDING:
            notification.body = REDACTED_BODY
        notification.save(update_fields=["status", "sent_at", "attempts", "next_attempt_at", "body"])
        return success


def deliver_pending(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Deliver the notifications whose next attempt is due; return how many were sent."""
    now = now or timezone.now()
    due = Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)
    return sum(deliver(pk, now=now) for pk in due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
