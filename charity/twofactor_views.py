"""The two-factor pages: enrol a TOTP app (QR code, recovery codes) and verify a sign-in.

See charity/twofactor.py for when they are asked for. Tries are limited twice: django-otp's own
throttle on each device (a growing wait after each wrong code) and a window per user
(charity.ratelimit), so a stolen password alone cannot guess its way through."""

from __future__ import annotations

import logging
import time
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import ratelimit
from .twofactor import is_verified, second_factor_url

logger = logging.getLogger("charity.security")

RECOVERY_CODES = 10
TRIES = (10, 15 * 60)  # wrong codes per user in a window of 15 minutes


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=20, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                                         "dir": "ltr", "spellcheck": "false"}))

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


def _next(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return wanted
    return "/"


def _blocked(request) -> bool:
    """Whether the user has used up the window's wrong codes."""
    return ratelimit.reached(ratelimit.key("two-factor", str(request.user.pk)), TRIES, time.time()) is not None


def _wrong_code(request) -> None:
    ratelimit.hit(ratelimit.key("two-factor", str(request.user.pk)), TRIES, time.time())
    logger.info("two-factor code refused: user %s", request.user.pk)


def _verified(request, device) -> None:
    """The session is now verified by `device`; a new session key for the higher privilege."""
    request.session.cycle_key()
    django_otp.login(request, device)


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    return image.to_string(encoding="unicode")


def _secret(device) -> str:
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@sensitive_post_parameters("code")
@login_required
def setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code;
    the recovery codes are shown once, on the answer to that confirmation."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(_next(request) if is_verified(user) else second_factor_url(user, _next(request)))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _blocked(request):
            form.add_error("code", _("Too many attempts. Wait a quarter of an hour and try again."))
        elif device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
            _verified(request, device)
            logger.info("two-factor enrolled: user %s", user.pk)
            return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": _next(request)})
        else:
            _wrong_code(request)
            form.add_error("code", _("The code is wrong or has expired. Enter the six digits the app shows now."))
    return render(request, "registration/two_factor_setup.html", {
        "form": form, "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - generated by qrcode
        "secret": _secret(device), "next": _next(request)})


@sensitive_post_parameters("code")
@login_required
def verify(request):
    """Ask a signed-in user for the code of their app, or one of their recovery codes."""
    user = request.user
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(second_factor_url(user, _next(request)))
    if is_verified(user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _blocked(request):
            form.add_error("code", _("Too many attempts. Wait a quarter of an hour and try again."))
        elif (device := django_otp.match_token(user, form.cleaned_data["code"])) is not None:
            _verified(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, ngettext(
                    "You signed in with a recovery code; %(left)d code is left.",
                    "You signed in with a recovery code; %(left)d codes are left.", left) % {"left": left})
            return redirect(_next(request))
        else:
            _wrong_code(request)
            form.add_error("code", _("The code is wrong or has expired. Enter the six digits the app shows now, "
                                     "or one of your recovery codes."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)})
