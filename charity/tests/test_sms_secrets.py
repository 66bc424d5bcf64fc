"""No complaint code, survey link, one-time code or any other link reaches a log, at any level,
whichever backend sends and whatever fails; the console backend works only with DEBUG on; and
`check --deploy` warns when DEBUG is off without an SMS gateway or without SITE_URL (the command
itself: charity/tests/test_settings.py)."""

import datetime as dt
import logging

import pytest
from django.core import checks
from django.utils import timezone

from charity.checks import CONSOLE_BACKEND, HTTP_BACKEND, MEMORY_BACKEND, check_site_url, check_sms_gateway
from charity.models import Notification
from charity.notifications import deliver, queue_notification
from charity.notifications import outbox as outbox_module

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 11, 24, 9, 0))
LINK = "https://example.org.sa/survey/Qx7-kLmN0pRsTuVwXyZ_ab12/"
COMPLAINT_CODE = "ABCD-EFGH-JKLM-NPQR-STUV"
ONE_TIME_CODE = "482913"
SECRETS = (LINK, "Qx7-kLmN0pRsTuVwXyZ_ab12", "example.org.sa", COMPLAINT_CODE, "ABCD", ONE_TIME_CODE)
BODY = (f"وصلتنا شكواك. الرمز السري: {COMPLAINT_CODE}. رمز الدخول: {ONE_TIME_CODE}. "
        f"تابع شكواك على {LINK}")


def _assert_no_secret(caplog, notification=None):
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for secret in SECRETS:
        assert secret not in logged, secret
    if notification is not None:  # what is stored about the attempt holds no secret either
        notification.refresh_from_db()
        stored = notification.last_error + " ".join(notification.delivery_attempts.values_list("detail", flat=True))
        for secret in SECRETS:
            assert secret not in stored, secret


def _sms() -> Notification:
    return queue_notification(channel="sms", recipient="+966501234567", body=BODY, purpose="complaint-receipt")


@pytest.mark.rule("RT-10", "CP-8")
def test_console_backend_with_debug_on_logs_no_code_and_no_link(settings, caplog):
    """RT-10, CP-8: in development the console shows that a message went, never its secrets."""
    settings.DEBUG = True
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "sms": CONSOLE_BACKEND}
    caplog.set_level(logging.DEBUG)
    n = _sms()
    assert deliver(n.pk, now=NOW) is True
    assert "complaint-receipt" in caplog.text and "[link]" in caplog.text
    _assert_no_secret(caplog, n)


@pytest.mark.rule("RT-10")
def test_console_backend_with_debug_off_refuses_and_logs_nothing_of_the_message(settings, caplog):
    """RT-10: with DEBUG off the console backend sends nothing and logs no body at all."""
    settings.DEBUG = False
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "sms": CONSOLE_BACKEND}
    caplog.set_level(logging.DEBUG)
    n = _sms()
    assert deliver(n.pk, now=NOW) is False
    n.refresh_from_db()
    assert n.status == Notification.Status.PENDING and "DEBUG is off" in n.last_error
    assert "وصلتنا" not in caplog.text
    _assert_no_secret(caplog, n)


@pytest.mark.rule("RT-10", "CP-8")
@pytest.mark.parametrize("status, echo", [(200, "id"), (400, "error"), (500, "message"), (503, "detail")])
def test_http_backend_logs_and_stores_no_secret_even_when_the_gateway_echoes_it(sms_gateway, caplog, status, echo):
    """RT-10, CP-8: a gateway that echoes the message in its answer leaves no code or link in a
    log or in the stored delivery status."""
    caplog.set_level(logging.DEBUG)
    sms_gateway.answer(status, {echo: f"rejected text: {BODY}", "status": "queued"})
    n = _sms()
    deliver(n.pk, now=NOW)
    assert sms_gateway.wait_for_request().json["body"] == BODY  # the gateway did get the whole text
    _assert_no_secret(caplog, n)


@pytest.mark.rule("RT-10")
def test_http_backend_timeout_and_refused_connection_log_no_secret(sms_gateway, caplog):
    caplog.set_level(logging.DEBUG)
    sms_gateway.answer(200, {}, hang=True)
    first = _sms()
    deliver(first.pk, now=NOW)
    sms_gateway.stop()
    second = _sms()
    deliver(second.pk, now=NOW)
    _assert_no_secret(caplog, first)
    _assert_no_secret(caplog, second)


@pytest.mark.rule("RT-10")
def test_a_backend_crash_is_a_bounded_failure_that_logs_no_secret(monkeypatch, caplog):
    """RT-10: an unexpected error in a backend (its text quoting the message) is logged by type
    and place only, recorded as a failed attempt, and retried within MAX_ATTEMPTS."""

    class Crashing:
        name = "crashing"

        def send(self, notification):
            raise ValueError(f"cannot encode {notification.body}")

    monkeypatch.setattr(outbox_module, "_backend", lambda channel: Crashing())
    caplog.set_level(logging.DEBUG)
    n = _sms()
    assert deliver(n.pk, now=NOW) is False
    n.refresh_from_db()
    assert n.status == Notification.Status.PENDING and n.attempts == 1
    assert n.last_error == "unexpected error in the backend: ValueError"
    assert "ValueError" in caplog.text and "test_sms_secrets.py" in caplog.text
    _assert_no_secret(caplog, n)


@pytest.mark.rule("RT-10")
def test_the_log_filter_masks_links_and_tokens_of_any_logger():
    """RT-10: a line that names a link (e.g. a 500 on a survey page) keeps no token."""
    from charity.logging import RedactPersonalDataFilter

    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s %s",
                               ("/survey/Qx7-kLmN0pRsTuVwXyZ_ab12/", LINK), None)
    RedactPersonalDataFilter().filter(record)
    assert record.getMessage() == "Internal Server Error: /survey/[token]/ [link]"


# --- check --deploy ----------------------------------------------------------------------------


def _ids(messages) -> set[str]:
    return {m.id for m in messages}


def test_check_warns_without_a_gateway_when_debug_is_off(settings):
    settings.DEBUG = False
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "sms": CONSOLE_BACKEND}
    assert _ids(check_sms_gateway()) == {"charity.W001"}
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "sms": HTTP_BACKEND}
    settings.SMS_GATEWAY_URL = ""
    assert _ids(check_sms_gateway()) == {"charity.W001"}
    settings.SMS_GATEWAY_URL = "https://sms.example.sa/send"
    assert check_sms_gateway() == []
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "sms": MEMORY_BACKEND}
    assert _ids(check_sms_gateway()) == {"charity.W001"}
    settings.DEBUG = True
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "sms": CONSOLE_BACKEND}
    assert check_sms_gateway() == []  # `make run`: the console backend is right there
    registered = checks.run_checks(include_deployment_checks=True)
    assert "charity.W001" not in _ids(registered)  # registered, and silent in development


def test_check_warns_without_site_url_when_debug_is_off(settings):
    settings.DEBUG = False
    for value, expected in (("", {"charity.W002"}), ("http://example.org.sa", {"charity.W002"}),
                            ("https://example.org.sa", set())):
        settings.SITE_URL = value
        assert _ids(check_site_url()) == expected
    settings.DEBUG, settings.SITE_URL = True, ""
    assert check_site_url() == []
