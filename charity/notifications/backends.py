"""Delivery backends. Settings choose one per channel (NOTIFICATION_BACKENDS)."""

import json
import logging
import urllib.request

from django.conf import settings
from django.core.mail import send_mail

from charity.logging import redact

logger = logging.getLogger("charity.notifications")


class DeliveryError(Exception):
    """The backend could not deliver; the message says why (kept in the attempt's record)."""


class ConsoleBackend:
    """Development: print the message (personal data masked) and report success."""

    name = "console"

    def send(self, notification) -> str:
        logger.info("[%s] to %s: %s", notification.channel, redact(notification.recipient), redact(notification.body))
        return "printed to the console"


class EmailBackend:
    """Email through Django's mail settings (EMAIL_URL)."""

    name = "email"

    def send(self, notification) -> str:
        try:
            sent = send_mail(notification.subject or notification.body[:60], notification.body,
                             settings.DEFAULT_FROM_EMAIL, [notification.recipient], fail_silently=False)
        except OSError as exc:  # smtplib's errors and refused connections: a failed attempt, retried
            raise DeliveryError(f"mail server: {type(exc).__name__}") from exc
        if sent != 1:
            raise DeliveryError("the mail server accepted no message")
        return "accepted by the mail server"


class HttpSmsBackend:
    """SMS through an HTTP gateway (Saudi providers expose a JSON POST API): SMS_GATEWAY_URL,
    SMS_GATEWAY_TOKEN and SMS_SENDER set the endpoint, bearer token and sender name."""

    name = "http-sms"
    timeout = 15

    def send(self, notification) -> str:
        payload = json.dumps({"to": notification.recipient, "sender": settings.SMS_SENDER,
                              "body": notification.body}).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL comes from the deployment's settings
            settings.SMS_GATEWAY_URL, data=payload, method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(500).decode("utf-8", "replace")
                if response.status >= 300:
                    raise DeliveryError(f"gateway answered {response.status}: {body}")
                return f"gateway answered {response.status}: {body}"
        except OSError as exc:
            raise DeliveryError(f"gateway unreachable: {exc}") from exc
