"""Two-factor sign-in for staff (charity/twofactor.py): enrolment, verification, recovery codes,
the limit on tries, and the setting's default. The password reset: charity/tests/test_password_reset.py."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import TEST_PASSWORD

from .test_settings import PRODUCTION, run_manage

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

WRONG_CODE = "الرمز غير صحيح أو انتهت صلاحيته"


def _sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client.get(reverse("home"))


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = ["aaaa2222", "bbbb3333"]
    for code in codes:
        recovery.token_set.create(token=code)
    return device, codes


def test_staff_enrol_get_recovery_codes_and_verify_at_the_next_sign_in(client, staff):
    user = staff["researcher"]
    response = _sign_in(client, user)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two_factor_setup')}?next=%2F"
    # No staff page before the second factor, the admin site included.
    for url in (reverse("beneficiaries:file_list"), reverse("admin:index")):
        assert client.get(url)["Location"].startswith(reverse("two_factor_setup"))

    page = client.get(response["Location"])
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    html = page.content.decode()
    assert "<svg" in html and "cdn" not in html.lower()
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")

    done = client.post(reverse("two_factor_setup"), {"code": _code(device), "next": "/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    assert StaticToken.objects.filter(device__user=user).count() == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("beneficiaries:file_list")).status_code == 200
    # The codes are shown once: the page now sends a verified user on.
    assert client.get(reverse("two_factor_setup"))["Location"] == "/"

    client.post(reverse("logout"))
    response = _sign_in(client, user)
    assert response["Location"] == f"{reverse('two_factor_verify')}?next=%2F"
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1)):  # the next code of the app
        verified = client.post(reverse("two_factor_verify"), {"code": _code(device), "next": "/"})
        assert verified.status_code == 302 and verified["Location"] == "/"
        assert client.get(reverse("beneficiaries:file_list")).status_code == 200


def test_a_wrong_code_is_refused_in_arabic(client, staff):
    user = staff["intake"]
    device, _codes = _enrolled(user)
    _sign_in(client, user)
    response = client.post(reverse("two_factor_verify"), {"code": "000000" if _code(device) != "000000" else "111111"})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert client.get(reverse("beneficiaries:file_list"))["Location"].startswith(reverse("two_factor_verify"))


def test_a_wrong_code_at_enrolment_is_refused(client, staff):
    user = staff["intake"]
    _sign_in(client, user)
    client.get(reverse("two_factor_setup"))
    response = client.post(reverse("two_factor_setup"), {"code": "12345x"})
    assert WRONG_CODE in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_a_recovery_code_works_once(client, staff):
    user = staff["manager"]
    _device, codes = _enrolled(user)
    _sign_in(client, user)
    response = client.post(reverse("two_factor_verify"), {"code": codes[0].upper(), "next": "/"}, follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert "1" in " ".join(str(m) for m in response.context["messages"])  # one code left
    assert StaticToken.objects.filter(device__user=user).count() == 1

    client.post(reverse("logout"))
    _sign_in(client, user)
    again = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert again.status_code == 200 and WRONG_CODE in again.content.decode()


def test_tries_are_limited(client, staff):
    """After ten wrong codes in the window even the right one is refused for a while."""
    user = staff["director"]
    device, _codes = _enrolled(user)
    _sign_in(client, user)
    for _n in range(10):
        client.post(reverse("two_factor_verify"), {"code": "zzzzzzzz"})
    device.throttle_reset()
    response = client.post(reverse("two_factor_verify"), {"code": _code(device)})
    assert response.status_code == 200
    assert re.search("محاولات كثيرة", response.content.decode())


def test_session_verified_by_another_user_device_is_not_verified(client, staff):
    """The verified device is the user's own: a session is not verified by a device of someone else."""
    user, other = staff["researcher"], staff["researcher2"]
    _enrolled(user)
    other_device, _codes = _enrolled(other)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = other_device.persistent_id
    session.save()
    assert client.get(reverse("beneficiaries:file_list"))["Location"].startswith(reverse("two_factor_verify"))


@pytest.mark.parametrize(("debug", "explicit", "expected"), [
    ("false", None, "True"), ("true", None, "False"), ("true", "true", "True"), ("false", "false", "False")])
def test_the_setting_follows_debug_unless_set(debug, explicit, expected):
    env = {**PRODUCTION, "DEBUG": debug}
    if explicit is not None:
        env["TWO_FACTOR_REQUIRED"] = explicit
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)",
                        env_overrides=env)
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def test_with_the_setting_off_a_password_is_enough(client, staff, settings):
    settings.TWO_FACTOR_REQUIRED = False
    user = staff["researcher"]
    _sign_in(client, user)
    assert client.get(reverse("beneficiaries:file_list")).status_code == 200


def test_check_deploy_warns_when_turned_off_in_production():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING",
                        env_overrides={**PRODUCTION, "TWO_FACTOR_REQUIRED": "false"})
    assert result.returncode != 0
    assert "(charity.W004) TWO_FACTOR_REQUIRED is off while DEBUG is off" in result.stderr
