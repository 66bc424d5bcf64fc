"""Sign-in lockout, session expiry, and the admin's calendar corrections."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from charity import calendar
from charity.models import CalendarException
from charity.roles import Role

pytestmark = pytest.mark.django_db


def _login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_lockout_after_repeated_failures_only_from_that_address(client, profile, make_user):
    make_user(Role.MANAGER, username="colleague")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "colleague", "guess", "203.0.113.9")
    blocked = _login(client, "colleague", "correct-horse-battery", "203.0.113.9")
    assert blocked.status_code == 429
    assert "تسجيل الدخول موقوف مؤقتًا" in blocked.content.decode()
    # The attacker's address is blocked; the colleague at their own desk is not.
    ok = _login(client, "colleague", "correct-horse-battery", "198.51.100.7")
    assert ok.status_code == 302 and ok["Location"] == reverse("home")


def test_session_expires_after_idle_time():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_password_validators_refuse_weak_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("12345678")


def test_admin_adds_a_closure_day_and_due_dates_move(client, profile, make_user):
    admin_user = make_user(Role.ADMIN)
    client.force_login(admin_user)
    before = calendar.add_working_days(dt.date(2026, 5, 21), 15)
    response = client.post(reverse("admin:charity_calendarexception_add"),
                           {"date": "2026-06-08", "kind": "closure", "name": "إغلاق الجمعية", "note": ""})
    assert response.status_code == 302
    correction = CalendarException.objects.get()
    assert correction.created_by == admin_user
    assert correction.history.count() == 1
    assert calendar.add_working_days(dt.date(2026, 5, 21), 15) == before + dt.timedelta(days=1)


def test_non_admin_staff_cannot_edit_the_calendar(client, profile, make_user):
    client.force_login(make_user(Role.MANAGER))
    response = client.post(reverse("admin:charity_calendarexception_add"),
                           {"date": "2026-06-08", "kind": "closure", "name": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not CalendarException.objects.exists()
