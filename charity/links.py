"""Absolute links written into messages and documents (SMS, e-mails, PDFs).

Every link that leaves the site goes through `absolute_url`, built on SITE_URL, never on the
request's host (a worker has no request, and a proxy's host is not the public address).
With DEBUG off and SITE_URL unset, `manage.py check --deploy` says so (charity.checks).
"""

from django.conf import settings
from django.urls import reverse


def site_url() -> str:
    """Return the public address of the site, without a trailing slash ("" when unset)."""
    return (getattr(settings, "SITE_URL", "") or "").strip().rstrip("/")


def absolute_url(path: str) -> str:
    """Return `path` (e.g. "/verify/") prefixed with SITE_URL; the bare path when unset."""
    if not path.startswith("/"):
        path = "/" + path
    return f"{site_url()}{path}"


def absolute_reverse(viewname: str, *args, **kwargs) -> str:
    """Return the absolute link of a named URL: absolute_url(reverse(viewname, ...))."""
    return absolute_url(reverse(viewname, args=args or None, kwargs=kwargs or None))
