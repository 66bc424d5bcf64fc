"""3. Login lockout per username *and* address (charity/tests/test_auth.py), extended here;
4. the session ends after SESSION_COOKIE_AGE idle seconds, continuous use keeps it."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from charity.roles import Role

from .helpers import VIEW_NOW

pytestmark = pytest.mark.django_db


def _login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_lockout_page_is_arabic_and_the_colleague_signs_in_while_the_attacker_stays_locked(client, world, make_user):
    """Extends test_auth: the lockout page is Arabic, right to left; the colleague's own sign-in
    from their desk works and does not lift the lock on the attacker's address."""
    make_user(Role.MANAGER, username="colleague")
    attacker, desk = "203.0.113.9", "198.51.100.7"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "colleague", "guess", attacker)
    locked = _login(client, "colleague", "guess", attacker)
    page = locked.content.decode()
    assert locked.status_code == 429 and 'lang="ar"' in page and 'dir="rtl"' in page
    assert "تسجيل الدخول موقوف مؤقتًا" in page
    signed_in = _login(Client(), "colleague", "correct-horse-battery", desk)
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("home")
    still = _login(client, "colleague", "correct-horse-battery", attacker)
    assert still.status_code == 429, "a colleague's sign-in must not unlock the attacker's address"


# --- 4. Session idle timeout ----------------------------------------------------------------


def test_session_unused_longer_than_its_age_is_signed_out(client, world):
    client.force_login(world.users["manager"])
    assert client.get(reverse("policy")).status_code == 200
    with time_machine.travel(VIEW_NOW + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1), tick=False):
        response = client.get(reverse("policy"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_session_in_continuous_use_stays_alive(client, world):
    """Each request renews the idle period: an hour and a half of work, a request every 20 minutes."""
    client.force_login(world.users["manager"])
    step = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE * 2 // 3)
    for n in range(1, 5):
        with time_machine.travel(VIEW_NOW + n * step, tick=False):
            assert client.get(reverse("home")).status_code == 200, f"signed out after {n} requests"
