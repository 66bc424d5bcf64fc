"""The outbox: queue in the caller's transaction, deliver from a worker, record every attempt."""

import datetime as dt
import logging
import traceback

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from charity.models import DeliveryAttempt, Notification
from charity.queue import enqueue

from .backends import DeliveryError, PermanentDeliveryError, Sent

logger = logging.getLogger("charity.notifications")

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

    A retryable failure is tried again after a backoff, MAX_ATTEMPTS in all; a permanent one
    (the gateway refused the number) fails at once. The gateway's id and status, or the last
    error, are stored on the row. The row is locked (SKIP LOCKED where supported) so two
    workers never send it twice."""
    now = now or timezone.now()
    with transaction.atomic():
        qs = Notification.objects.select_for_update(skip_locked=True)
        notification = qs.filter(pk=notification_id, status=Notification.Status.PENDING).first()
        if notification is None:
            return False
        backend = _backend(notification.channel)
        result, error, permanent = _attempt(backend, notification)
        DeliveryAttempt.objects.create(notification=notification, at=now, backend=backend.name,
                                       success=result is not None, detail=(result.detail if result else error)[:1000])
        notification.attempts += 1
        if result is not None:
            notification.status, notification.sent_at = Notification.Status.SENT, now
            notification.provider_message_id, notification.provider_status = result.message_id, result.status
            notification.last_error = ""
        else:
            notification.last_error = error[:500]
            if permanent or notification.attempts >= MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
            else:
                notification.next_attempt_at = now + backoff(notification.attempts)
        if notification.redact_after_send and notification.status != Notification.Status.PENDING:
            notification.body = REDACTED_BODY
        notification.save(update_fields=["status", "sent_at", "attempts", "next_attempt_at", "body",
                                         "provider_message_id", "provider_status", "last_error"])
        return result is not None


def backoff(attempts: int) -> dt.timedelta:
    """Return the wait before the next attempt after `attempts` failed ones: 10, 20, 40, 80 min."""
    return dt.timedelta(minutes=5 * 2 ** attempts)


def _attempt(backend, notification) -> tuple[Sent | None, str, bool]:
    """Make one attempt: (what was sent, or None; the error; whether the failure is final)."""
    try:
        result = backend.send(notification)
    except PermanentDeliveryError as exc:
        return None, str(exc), True
    except DeliveryError as exc:
        return None, str(exc), False
    except Exception as exc:  # a bug in a backend: a failed attempt, bounded like the rest
        # Never the exception's text or traceback: either may quote the message (a code, a link).
        where = traceback.extract_tb(exc.__traceback__)[-1]
        logger.warning("notification %s: backend %s raised %s at %s:%s", notification.pk, backend.name,
                       type(exc).__name__, where.filename, where.lineno)
        return None, f"unexpected error in the backend: {type(exc).__name__}", False
    return (result if isinstance(result, Sent) else Sent(str(result))), "", False


def deliver_pending(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Deliver the notifications whose next attempt is due; return how many were sent."""
    now = now or timezone.now()
    due = Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)
    return sum(deliver(pk, now=now) for pk in due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
