"""Deployment checks of the installation (`manage.py check --deploy`).

charity.W001: DEBUG off and no SMS gateway: SMS would go to the console backend, which refuses
every message then (or to the tests' memory backend), so no beneficiary is told anything.
charity.W002: DEBUG off and SITE_URL unset (or not https): the links in SMS, e-mails and PDFs
would be bare paths, which no phone can open.
charity.W003: DEBUG off and TRUSTED_PROXIES empty: behind nginx every client would have nginx's
address, so one address's lockout and rate limits would hit everyone (charity/clientip.py).
charity.W004: DEBUG off and TWO_FACTOR_REQUIRED turned off: staff would open medical and financial
files with a password alone (charity/twofactor.py).
charity.E001: an entry of TRUSTED_PROXIES is not an address or a network.
"""

from django.conf import settings
from django.core import checks

from .clientip import trusted_networks
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


@checks.register(checks.Tags.security)
def check_trusted_proxies(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """E001: every TRUSTED_PROXIES entry is an address or a network."""
    try:
        trusted_networks(tuple(settings.TRUSTED_PROXIES))
    except ValueError as exc:
        return [checks.Error(str(exc), hint="e.g. TRUSTED_PROXIES=127.0.0.1,::1 (README, Configuration).",
                             id="charity.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_behind_proxy(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """W003: with DEBUG off, the proxy in front of gunicorn must be named in TRUSTED_PROXIES."""
    if settings.DEBUG or settings.TRUSTED_PROXIES:
        return []
    return [checks.Warning(
        "TRUSTED_PROXIES is empty while DEBUG is off: behind nginx every client has nginx's address, "
        "so a lockout or a rate limit meant for one client stops everyone, and the access log records the proxy.",
        hint="Set TRUSTED_PROXIES to the proxy's addresses, e.g. 127.0.0.1,::1 for nginx on the same machine "
             "(README, Configuration); with no proxy, silence charity.W003.",
        id="charity.W003",
    )]


@checks.register(checks.Tags.security, deploy=True)
def check_two_factor(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """W004: with DEBUG off, two-factor sign-in stays required."""
    if settings.DEBUG or getattr(settings, "TWO_FACTOR_REQUIRED", False):
        return []
    return [checks.Warning(
        "TWO_FACTOR_REQUIRED is off while DEBUG is off: staff open medical and financial files with a password alone.",
        hint="Remove TWO_FACTOR_REQUIRED=false from the environment (README, Configuration).",
        id="charity.W004",
    )]
