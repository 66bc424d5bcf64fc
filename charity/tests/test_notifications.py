"""The notification outbox: every attempt and its result recorded; nothing sent twice. The HTTP
SMS gateway against a real fake gateway: test_sms_gateway.py."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from charity.models import DeliveryAttempt, Notification
from charity.notifications import deliver, deliver_pending, queue_notification
from charity.notifications import outbox as outbox_module

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 11, 24, 9, 0))


def test_queued_notification_is_delivered_after_commit_and_recorded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        n = queue_notification(channel="email", recipient="a@example.org", subject="نتيجة", body="تم قبول طلبك")
    n.refresh_from_db()
    assert n.status == Notification.Status.SENT and n.attempts == 1
    assert mail.outbox[0].to == ["a@example.org"] and mail.outbox[0].body == "تم قبول طلبك"
    attempt = DeliveryAttempt.objects.get(notification=n)
    assert attempt.success and attempt.backend == "email"


def test_nothing_is_sent_if_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                queue_notification(channel="email", recipient="a@example.org", body="x")
                raise RuntimeError
        except RuntimeError:
            pass
    assert not Notification.objects.exists() and not mail.outbox and not callbacks


def test_dedupe_key_makes_queueing_idempotent():
    first = queue_notification(channel="sms", recipient="+966501234567", body="تذكير", dedupe_key="k-1")
    second = queue_notification(channel="sms", recipient="+966501234567", body="تذكير", dedupe_key="k-1")
    assert first is not None and second is None
    assert Notification.objects.count() == 1


def test_a_sent_notification_is_never_sent_again():
    n = queue_notification(channel="sms", recipient="+966501234567", body="x")
    assert deliver(n.pk, now=NOW) is True
    assert deliver(n.pk, now=NOW) is False
    assert DeliveryAttempt.objects.filter(notification=n).count() == 1


def test_failures_are_recorded_retried_with_backoff_and_give_up(settings, monkeypatch):
    class Broken:
        name = "broken"

        def send(self, notification):
            raise outbox_module.DeliveryError("gateway down")

    monkeypatch.setattr(outbox_module, "_backend", lambda channel: Broken())
    n = queue_notification(channel="sms", recipient="+966501234567", body="x")
    now = NOW
    for attempt in range(1, outbox_module.MAX_ATTEMPTS + 1):
        assert deliver(n.pk, now=now) is False
        n.refresh_from_db()
        assert n.attempts == attempt
        now = n.next_attempt_at
    assert n.status == Notification.Status.FAILED
    details = list(DeliveryAttempt.objects.filter(notification=n).values_list("success", "detail"))
    assert details == [(False, "gateway down")] * outbox_module.MAX_ATTEMPTS


def test_deliver_pending_sends_what_the_broker_missed():
    # Queued with no commit hook run (as when the broker was down): the sweep sends them.
    for i in range(3):
        queue_notification(channel="sms", recipient=f"+96650123456{i}", body="x")
    assert deliver_pending(now=timezone.now()) == 3
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}


def test_a_message_carrying_a_secret_keeps_no_copy_once_sent():
    n = queue_notification(channel="sms", recipient="+966501234567", body="الرمز السري: ABCDE",
                           redact_after_send=True)
    assert deliver(n.pk, now=NOW)
    n.refresh_from_db()
    assert n.status == Notification.Status.SENT and "ABCDE" not in n.body


def test_a_mail_server_error_is_a_failed_attempt_not_a_crash(monkeypatch):
    """SMTP errors are OSErrors: each is recorded as a failed attempt and retried later, up to
    MAX_ATTEMPTS, like any other delivery failure."""
    import smtplib

    from charity.notifications import backends

    def refused(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(backends, "send_mail", refused)
    n = Notification.objects.create(channel="email", recipient="a@example.org", body="نتيجة الطلب")
    assert deliver(n.pk, now=NOW) is False
    n.refresh_from_db()
    attempt = DeliveryAttempt.objects.get(notification=n)
    assert (n.status, n.attempts, attempt.success) == (Notification.Status.PENDING, 1, False)
    assert "SMTPServerDisconnected" in attempt.detail and n.next_attempt_at > NOW
