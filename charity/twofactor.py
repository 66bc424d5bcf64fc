"""Two-factor sign-in for staff (django-otp): a TOTP app, with ten single-use recovery codes.

With TWO_FACTOR_REQUIRED on (the default whenever DEBUG is off) a signed-in user whose session
is not verified by a second factor reaches no page but the few below: without a confirmed
device they are sent to enrol (charity.twofactor_views.setup), else to enter a code (verify).
Every user of the site is a member of staff and every staff role opens files, complaints or
the books, so the rule is for everyone signed in; the families' «my file» has its own SMS code
and no Django account. The admin site is covered like any other page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django_otp import user_has_device

# Pages a signed-in user reaches before the second factor: signing in and out, the two-factor
# pages themselves, the password reset, and the public pages (which ask for no account).
EXEMPT_NAMES = frozenset({
    "login", "logout", "two_factor_setup", "two_factor_verify", "healthz", "set_language", "charter",
    "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete",
})
EXEMPT_NAMESPACES = frozenset({"portal", "complaints_public", "verify", "survey"})


def required() -> bool:
    return bool(getattr(settings, "TWO_FACTOR_REQUIRED", False))


def is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def is_exempt(path: str) -> bool:
    if settings.STATIC_URL and path.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name in EXEMPT_NAMES and not match.namespaces or bool(
        EXEMPT_NAMESPACES.intersection(match.namespaces))


def second_factor_url(user, next_url: str = "") -> str:
    """The page that asks this user for a second factor: enrolment, or a code."""
    name = "two_factor_verify" if user_has_device(user, confirmed=True) else "two_factor_setup"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class TwoFactorMiddleware:
    """Send a signed-in user without a verified second factor to enrol or to verify.

    After AuthenticationMiddleware and django_otp's OTPMiddleware (which says whether the session
    is verified)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (required() and user is not None and user.is_authenticated and not is_verified(user)
                and not is_exempt(request.path_info)):
            next_url = request.get_full_path() if request.method == "GET" else ""
            return HttpResponseRedirect(second_factor_url(user, next_url))
        return self.get_response(request)
