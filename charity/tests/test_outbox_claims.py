"""One attempt at a time per notification: the task queued at commit, the periodic sweep and a
redelivered task may all ask for the same row at once; exactly one of them sends it, and a
failed attempt waits its backoff, so MAX_ATTEMPTS really means five tries spread over time."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from charity.models import DeliveryAttempt, Notification
from charity.notifications import claim, deliver, deliver_pending, queue_notification
from charity.notifications import outbox as outbox_module
from charity.notifications.backends import DeliveryError, MemoryBackend
from conftest import needs_postgresql

NOW = timezone.make_aware(dt.datetime(2026, 11, 24, 9, 0))


def _queue(n: int = 1) -> list[Notification]:
    return [queue_notification(channel="sms", recipient=f"+9665012345{i:02d}", body="x") for i in range(n)]


class Failing:
    name = "failing"
    latency = 0.0

    def send(self, notification):
        time.sleep(self.latency)  # the gateway's answer takes a moment (no waiting on the test's side)
        raise DeliveryError("gateway down")


class SlowFailing(Failing):
    latency = 0.005


@pytest.mark.django_db
def test_a_claimed_notification_is_claimed_by_no_one_else_until_its_lease_lapses():
    [n] = _queue()
    assert claim(n.pk, now=NOW) is True
    assert claim(n.pk, now=NOW) is False
    assert deliver(n.pk, now=NOW) is False and MemoryBackend.sent == []
    later = NOW + outbox_module.CLAIM_LEASE + dt.timedelta(seconds=1)  # the first worker died mid-send
    assert deliver(n.pk, now=later) is True and len(MemoryBackend.sent) == 1
    n.refresh_from_db()
    assert n.status == Notification.Status.SENT and n.claimed_until is None and n.attempts == 1


@pytest.mark.django_db
def test_a_failed_attempt_is_not_tried_again_before_its_backoff(monkeypatch):
    monkeypatch.setattr(outbox_module, "_backend", lambda channel: Failing())
    [n] = _queue()
    assert deliver(n.pk, now=NOW) is False
    assert deliver(n.pk, now=NOW) is False  # a redelivered task, or the sweep's list read before
    n.refresh_from_db()
    assert n.attempts == 1 and n.status == Notification.Status.PENDING and n.claimed_until is None
    assert deliver(n.pk, now=n.next_attempt_at) is False
    n.refresh_from_db()
    assert n.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_make_one_attempt_per_notification(monkeypatch):
    """Four workers sweep the same 40 pending notices at once through a failing gateway (where
    each notice stays pending): each notice gets exactly one attempt."""
    needs_postgresql("concurrent row claims need PostgreSQL (SQLite serialises the whole database)")
    monkeypatch.setattr(outbox_module, "_backend", lambda channel: SlowFailing())
    monkeypatch.setattr(outbox_module, "_dispatch", lambda pk: None)  # pending, as when the broker was down
    notices = _queue(40)
    now, start, errors = timezone.now(), threading.Barrier(4), []

    def sweep():
        try:
            start.wait(timeout=60)
            deliver_pending(now=now)
        except Exception as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors and not any(thread.is_alive() for thread in threads)
    per_notice = {n.pk: DeliveryAttempt.objects.filter(notification_id=n.pk).count() for n in notices}
    assert set(per_notice.values()) == {1}
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
