"""The outbox: queue in the caller's transaction, deliver from a worker, record every attempt."""

import datetime as dt
import logging
import traceback
from collections.abc import Mapping

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from charity.models import DeliveryAttempt, Notification
from charity.queue import enqueue

from .backends import DeliveryError, PermanentDeliveryError, Sent
from .sealing import SealBrokenError, opened, seal

logger = logging.getLogger("charity.notifications")

MAX_ATTEMPTS = 5
# How long one attempt holds its claim on a row: longer than any delivery task's time limit, so
# a worker killed mid-send only delays the message (the sweep takes it again afterwards).
CLAIM_LEASE = dt.timedelta(minutes=10)


def _backend(channel: str):
    return import_string(settings.NOTIFICATION_BACKENDS[channel])()


REDACTED_BODY = "—"


def _row(*, channel: str, recipient: str, body: str, subject: str = "", about=None, purpose: str = "",
         dedupe_key: str | None = None, redact_after_send: bool = False,
         secrets: Mapping[str, str] | None = None) -> Notification:
    notification = Notification(channel=channel, recipient=recipient, subject=subject[:200], body=body,
                                purpose=purpose, dedupe_key=dedupe_key, redact_after_send=redact_after_send,
                                sealed=seal(secrets or {}))
    if about is not None:
        notification.content_type = ContentType.objects.get_for_model(about)
        notification.object_id = str(about.pk)
    return notification


def queue_notification(*, channel: str, recipient: str, body: str, subject: str = "", about=None,
                       purpose: str = "", dedupe_key: str | None = None, redact_after_send: bool = False,
                       secrets: Mapping[str, str] | None = None) -> Notification | None:
    """Write a notification to the outbox and deliver it after the transaction commits.

    `secrets` ({name: value}) are stored sealed, never in the body: the body holds
    `secret_slot(name)` in their place, and only the delivery fills them in (sealing.py).
    With a `dedupe_key`, a second call with the same key queues nothing (idempotent jobs);
    return None then. No recipient, nothing queued (None)."""
    if not recipient:
        return None
    notification = _row(channel=channel, recipient=recipient, body=body, subject=subject, about=about,
                        purpose=purpose, dedupe_key=dedupe_key, redact_after_send=redact_after_send,
                        secrets=secrets)
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
    arguments; messages without a recipient are left out. A `dedupe_key` here must be new (a
    key queued before fails the whole insert): no second call is made quiet by it."""
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


def claim(notification_id: int, *, now: dt.datetime) -> bool:
    """Take a pending notification for one attempt; True for one caller only, however many ask
    at once (the task queued at commit, the sweep, a redelivered task).

    One conditional UPDATE: it is due (never tried, or its backoff is over) and nobody holds a
    claim on it (or theirs lapsed). The database applies concurrent UPDATEs of a row one after
    the other and re-checks the condition, so a second caller changes nothing and gets False."""
    due = Q(attempts=0) | Q(next_attempt_at__lte=now)
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    taken = (Notification.objects.filter(due & free, pk=notification_id, status=Notification.Status.PENDING)
             .update(claimed_until=now + CLAIM_LEASE))
    return taken == 1


def deliver(notification_id: int, *, now: dt.datetime | None = None) -> bool:
    """Send one pending notification once; record the attempt. Return True when sent.

    A retryable failure is tried again after a backoff, MAX_ATTEMPTS in all; a permanent one
    (the gateway refused the number) fails at once. The gateway's id and status, or the last
    error, are stored on the row. The row is claimed first (`claim`), so two workers never
    send it at once, and no transaction is held open while the gateway answers."""
    now = now or timezone.now()
    if not claim(notification_id, now=now):
        return False
    notification = Notification.objects.get(pk=notification_id)
    backend = _backend(notification.channel)
    try:
        outgoing = opened(notification)
    except SealBrokenError:
        result, error, permanent = None, "the sealed secrets cannot be opened (SECRET_KEY changed?)", True
    else:
        result, error, permanent = _attempt(backend, outgoing)
    _record(notification, backend.name, result, error, permanent, now)
    return result is not None


@transaction.atomic
def _record(notification: Notification, backend: str, result: Sent | None, error: str, permanent: bool,
            now: dt.datetime) -> None:
    """Store the attempt and its outcome, and release the claim."""
    DeliveryAttempt.objects.create(notification=notification, at=now, backend=backend,
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
    if notification.status != Notification.Status.PENDING:
        notification.sealed = ""
        if notification.redact_after_send:
            notification.body = REDACTED_BODY
    notification.claimed_until = None
    notification.save(update_fields=["status", "sent_at", "attempts", "next_attempt_at", "body", "sealed",
                                     "claimed_until", "provider_message_id", "provider_status", "last_error"])


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
