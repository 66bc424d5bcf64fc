"""Deployment checks of the installation (`manage.py check --deploy`).

charity.W001: DEBUG off and no SMS gateway: SMS would go to the console backend, which refuses
every message then (or to the tests' memory backend), so no beneficiary is told anything.
charity.W002: DEBUG off and SITE_URL unset (or not https): the links in SMS, e-mails and PDFs
would be bare paths, which no phone can open.
"""

from django.conf import settings
from django.core import checks

from .links import site_url

CONSOLE_BACKEND = "charity.notifications.backends.ConsoleBackend"
MEMORY_BACKEND = "charity.notifications.backends.MemoryBackend"
HTTP_BACKEND = "charity.notifications.backends.HttpSmsBackend"


@checks.register(checks.Tags.security, deploy=True)
def check_sms_gateway(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """W001: with DEBUG off, SMS needs a real gateway (HttpSmsBackend with SMS_GATEWAY_URL)."""
    if settings.DEBUG:
        return []
    backend = settings.NOTIFICATION_BACKENDS.get("sms", "")
    # Another dotted path is the deployment's own gateway class: its business.
    if backend in (CONSOLE_BACKEND, MEMORY_BACKEND) or (backend == HTTP_BACKEND and not settings.SMS_GATEWAY_URL):
        return [checks.Warning(
            "No SMS gateway is configured while DEBUG is off: text messages go to the console backend, "
            "which refuses them, so beneficiaries receive no SMS.",
            hint="Set SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN and SMS_SENDER (README, Configuration).",
            id="charity.W001",
        )]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """W002: with DEBUG off, SITE_URL must be the public https address."""
    if settings.DEBUG:
        return []
    url = site_url()
    if not url.startswith("https://"):
        problem = "is not set" if not url else "is not an https:// address"
        return [checks.Warning(
            f"SITE_URL {problem} while DEBUG is off: the links in SMS, e-mails and PDFs "
            "(surveys, complaint status, certificate verification) would not open.",
            hint="Set SITE_URL to the public address, e.g. https://charity.example.org.sa (README, Configuration).",
            id="charity.W002",
        )]
    return []
