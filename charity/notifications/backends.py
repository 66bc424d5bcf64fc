"""Delivery backends. Settings choose one per channel (NOTIFICATION_BACKENDS).

A backend makes ONE attempt and reports it; it never retries by itself. The outbox counts the
attempts, backs off and gives up after MAX_ATTEMPTS (outbox.py). A backend raises
`DeliveryError` for a failure worth retrying (timeout, refused connection, a 5xx) and
`PermanentDeliveryError` for one that can never succeed (a 4xx: a bad number, a bad sender),
which the outbox fails at once. No backend writes a message body, a link or a code to a log,
and what it reports is stored on the notification, so it holds no body either.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import urllib.parse
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail

from charity.logging import mask_secrets, redact

logger = logging.getLogger("charity.notifications")

# The most of a gateway's answer read and kept (its id, status or error; never the whole body).
MAX_RESPONSE_BYTES = 4096
MAX_REASON_CHARS = 200
# A 4xx is the gateway's final word (bad number, bad sender, bad token) except these two.
RETRYABLE_CLIENT_STATUSES = {408, 429}
# What a gateway's message id and status may look like; anything else is not stored.
_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
_STATUS = re.compile(r"[A-Za-z_ -]{1,40}")


@dataclass(frozen=True)
class Sent:
    """A delivered message: what the attempt's record says, and the gateway's id and status."""

    detail: str
    message_id: str = ""
    status: str = ""


class DeliveryError(Exception):
    """The backend could not deliver this time; the outbox tries again later."""


class PermanentDeliveryError(DeliveryError):
    """The backend can never deliver this message (e.g. the gateway refused the number)."""


class ConsoleBackend:
    """Development only (DEBUG on): log that a message went, with links, codes and personal
    data masked. With DEBUG off it refuses every message and logs nothing of it; the
    deployment check charity.W001 asks for a gateway (charity/checks.py)."""

    name = "console"

    def send(self, notification) -> Sent:
        if not settings.DEBUG:
            raise DeliveryError("console backend refused: DEBUG is off; set SMS_GATEWAY_URL")
        logger.info("[%s] to %s (%s): %s", notification.channel, redact(notification.recipient),
                    notification.purpose or "-", mask_secrets(notification.body))
        return Sent("printed to the console (links and codes masked)")


class MemoryBackend:
    """Tests: keep the messages in `MemoryBackend.sent` (like Django's locmem mail backend);
    log nothing, send nothing."""

    name = "memory"
    sent: list = []

    def send(self, notification) -> Sent:
        MemoryBackend.sent.append(notification)
        return Sent("kept in memory (tests)")


class EmailBackend:
    """Email through Django's mail settings (EMAIL_URL)."""

    name = "email"

    def send(self, notification) -> Sent:
        try:
            sent = send_mail(notification.subject or notification.body[:60], notification.body,
                             settings.DEFAULT_FROM_EMAIL, [notification.recipient], fail_silently=False)
        except OSError as exc:  # smtplib's errors and refused connections: a failed attempt, retried
            raise DeliveryError(f"mail server: {type(exc).__name__}") from exc
        if sent != 1:
            raise DeliveryError("the mail server accepted no message")
        return Sent("accepted by the mail server")


class HttpSmsBackend:
    """SMS through an HTTP JSON gateway (Saudi providers expose a JSON POST API).

    POST SMS_GATEWAY_URL with a bearer SMS_GATEWAY_TOKEN and the JSON body
    {"to", "sender", "body", "reference"}; `reference` is the notification's id, so a gateway
    that deduplicates can drop a retry after a timeout that it had in fact delivered. A 2xx
    answer may name the message's "id" (or "message_id") and "status"; both are stored.
    Connect and read timeouts are separate (SMS_GATEWAY_CONNECT_TIMEOUT, _READ_TIMEOUT)."""

    name = "http-sms"

    def __init__(self):
        self.url = settings.SMS_GATEWAY_URL
        self.token = settings.SMS_GATEWAY_TOKEN
        self.sender = settings.SMS_SENDER
        self.connect_timeout = float(settings.SMS_GATEWAY_CONNECT_TIMEOUT)
        self.read_timeout = float(settings.SMS_GATEWAY_READ_TIMEOUT)

    def send(self, notification) -> Sent:
        payload = json.dumps({"to": notification.recipient, "sender": self.sender, "body": notification.body,
                              "reference": str(notification.pk)}).encode()
        status, raw = self._post(payload)
        answer = _json(raw)
        if 200 <= status < 300:
            message_id = _plain(answer.get("id") or answer.get("message_id") or answer.get("messageId"), _ID)
            gateway_status = _plain(answer.get("status"), _STATUS) or "accepted"
            return Sent(f"gateway accepted ({status}): id={message_id or '-'}, status={gateway_status}",
                        message_id=message_id, status=gateway_status)
        reason = _reason(answer)
        if 400 <= status < 500 and status not in RETRYABLE_CLIENT_STATUSES:
            raise PermanentDeliveryError(f"gateway refused ({status}): {reason}")
        raise DeliveryError(f"gateway error ({status}): {reason}")

    def _post(self, payload: bytes) -> tuple[int, bytes]:
        parts = urllib.parse.urlsplit(self.url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DeliveryError("SMS_GATEWAY_URL is not set or not an http(s) address")
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(parts.hostname, parts.port, timeout=self.connect_timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"Content-Type": "application/json", "Accept": "application/json",
                   "Authorization": f"Bearer {self.token}"}
        stage = "connect"
        try:
            connection.connect()  # the TLS handshake too, within the connect timeout
            connection.sock.settimeout(self.read_timeout)
            stage = "read"
            connection.request("POST", path, body=payload, headers=headers)
            response = connection.getresponse()
            return response.status, response.read(MAX_RESPONSE_BYTES)
        except TimeoutError as exc:
            raise DeliveryError(f"gateway timed out ({stage})") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise DeliveryError(f"gateway unreachable ({stage}): {type(exc).__name__}") from exc
        finally:
            connection.close()


def _plain(value, pattern: re.Pattern) -> str:
    """`value` as text if it looks like an id or a status word, else "" (never an echo of the text)."""
    text = str(value or "")
    return text if pattern.fullmatch(text) else ""


def _json(raw: bytes) -> dict:
    try:
        answer = json.loads(raw.decode("utf-8", "replace"))
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _reason(answer: dict) -> str:
    """The gateway's own words about a failure, masked: a gateway may echo the message back."""
    for key in ("error", "message", "detail", "status"):
        value = answer.get(key)
        if isinstance(value, str) and value.strip():
            return mask_secrets(value.strip())[:MAX_REASON_CHARS]
    return "no reason given"
