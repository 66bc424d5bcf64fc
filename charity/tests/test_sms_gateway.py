"""The SMS gateway backend against a fake gateway that is a real HTTP server on 127.0.0.1
(the `sms_gateway` fixture): what it sends, the delivery status stored, a 4xx failing at once,
5xx and timeouts retried through the outbox (never inside the backend), within MAX_ATTEMPTS."""

import datetime as dt

import pytest
from django.utils import timezone

from charity.models import DeliveryAttempt, Notification
from charity.notifications import deliver, queue_notification
from charity.notifications import outbox as outbox_module

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 11, 24, 9, 0))
MOBILE = "+966501234567"


def _sms(body="رمز المتابعة") -> Notification:
    return queue_notification(channel="sms", recipient=MOBILE, body=body, purpose="test")


@pytest.mark.rule("CP-9")
def test_gateway_receives_the_message_and_its_id_and_status_are_stored(sms_gateway):
    """CP-9: the SMS reaches the gateway (bearer token, sender, number, text) and the
    gateway's message id and status are kept on the notification."""
    sms_gateway.answer(200, {"id": "gw-42", "status": "queued"})
    n = _sms()
    assert deliver(n.pk, now=NOW) is True
    received = sms_gateway.wait_for_request()
    assert received.path == "/api/v1/send"
    assert received.headers["Authorization"] == "Bearer test-token"
    assert received.json == {"to": MOBILE, "sender": "Jamiya", "body": "رمز المتابعة", "reference": str(n.pk)}
    n.refresh_from_db()
    assert (n.status, n.attempts, n.provider_message_id, n.provider_status, n.last_error) == (
        Notification.Status.SENT, 1, "gw-42", "queued", "")
    attempt = DeliveryAttempt.objects.get(notification=n)
    assert attempt.success and attempt.backend == "http-sms" and "gw-42" in attempt.detail


def test_a_server_error_is_retried_later_by_the_outbox_not_by_the_backend(sms_gateway):
    sms_gateway.answer(503, {"error": "maintenance"})
    n = _sms()
    assert deliver(n.pk, now=NOW) is False
    assert len(sms_gateway.requests) == 1  # one request per attempt: no loop inside the backend
    n.refresh_from_db()
    assert n.status == Notification.Status.PENDING and n.attempts == 1
    assert n.next_attempt_at == NOW + outbox_module.backoff(1)
    assert n.last_error == "gateway error (503): maintenance"
    # The next attempt, when due, goes through and clears the error.
    assert deliver(n.pk, now=n.next_attempt_at) is True
    n.refresh_from_db()
    assert (n.status, n.attempts, n.last_error, n.provider_message_id) == (Notification.Status.SENT, 2, "", "msg-1")
    assert list(n.delivery_attempts.values_list("success", flat=True)) == [False, True]


def test_server_errors_give_up_after_max_attempts(sms_gateway):
    sms_gateway.answer(500, {}, times=outbox_module.MAX_ATTEMPTS)
    n = _sms()
    now = NOW
    for _ in range(outbox_module.MAX_ATTEMPTS):
        assert deliver(n.pk, now=now) is False
        n.refresh_from_db()
        now = n.next_attempt_at
    assert n.status == Notification.Status.FAILED and n.attempts == outbox_module.MAX_ATTEMPTS
    assert deliver(n.pk, now=now + dt.timedelta(days=1)) is False  # failed rows are never retried
    assert len(sms_gateway.requests) == outbox_module.MAX_ATTEMPTS
    assert n.delivery_attempts.count() == outbox_module.MAX_ATTEMPTS


def test_a_bad_number_fails_at_once_without_retry(sms_gateway):
    sms_gateway.answer(400, {"error": "invalid destination number"})
    n = _sms()
    assert deliver(n.pk, now=NOW) is False
    n.refresh_from_db()
    assert (n.status, n.attempts) == (Notification.Status.FAILED, 1)
    assert n.last_error == "gateway refused (400): invalid destination number"
    assert deliver(n.pk, now=NOW + dt.timedelta(hours=2)) is False
    assert len(sms_gateway.requests) == 1


@pytest.mark.parametrize("status", [408, 429])
def test_a_throttled_or_timed_out_request_is_retried(sms_gateway, status):
    sms_gateway.answer(status, {"error": "slow down"})
    n = _sms()
    assert deliver(n.pk, now=NOW) is False
    n.refresh_from_db()
    assert (n.status, n.attempts) == (Notification.Status.PENDING, 1)


def test_a_slow_gateway_times_out_and_is_retried(sms_gateway):
    sms_gateway.answer(200, {"id": "late"}, hang=True)
    n = _sms()
    assert deliver(n.pk, now=NOW) is False  # the 0.5 s read timeout of the fixture
    sms_gateway.release()
    n.refresh_from_db()
    assert (n.status, n.attempts, n.last_error) == (Notification.Status.PENDING, 1, "gateway timed out (read)")
    assert n.provider_message_id == ""


def test_an_unreachable_gateway_is_a_retried_failure(settings, sms_gateway):
    sms_gateway.stop()  # nothing listens on the port any more
    n = _sms()
    assert deliver(n.pk, now=NOW) is False
    n.refresh_from_db()
    assert n.status == Notification.Status.PENDING and n.last_error.startswith("gateway unreachable (connect)")


def test_no_gateway_url_is_a_retried_failure(settings, sms_gateway):
    settings.SMS_GATEWAY_URL = ""
    n = _sms()
    assert deliver(n.pk, now=NOW) is False
    n.refresh_from_db()
    assert n.status == Notification.Status.PENDING and "SMS_GATEWAY_URL" in n.last_error
    assert not sms_gateway.requests


def test_the_gateway_is_chosen_from_the_environment(monkeypatch):
    """With SMS_GATEWAY_URL set, the settings pick the HTTP backend and read token, sender and
    timeouts from the environment; without it, the console backend."""
    import subprocess
    import sys

    code = ("from django.conf import settings as s; print(s.NOTIFICATION_BACKENDS['sms'].rsplit('.', 1)[1], "
            "s.SMS_GATEWAY_TOKEN, s.SMS_SENDER, s.SMS_GATEWAY_CONNECT_TIMEOUT, s.SMS_GATEWAY_READ_TIMEOUT)")
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "charity.settings", "ENV_FILE": "/dev/null",
            "DEBUG": "true"}

    def read(**env):
        out = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], env={**base, **env},
                             capture_output=True, text=True, check=True, cwd=str(_root()))
        return out.stdout.split()

    assert read(SMS_GATEWAY_URL="https://sms.example.sa/send", SMS_GATEWAY_TOKEN="t0k", SMS_SENDER="Banan",
                SMS_GATEWAY_CONNECT_TIMEOUT="3", SMS_GATEWAY_READ_TIMEOUT="9") == [
        "HttpSmsBackend", "t0k", "Banan", "3.0", "9.0"]
    assert read()[0] == "ConsoleBackend"


def _root():
    from django.conf import settings

    return settings.BASE_DIR
