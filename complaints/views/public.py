"""The public complaint link, phone first and without login (CP-1…CP-5, CP-9, RT-9, DU-12).

The form files a complaint through services.file_complaint; the receipt shows the tracking
number and the secret code once (through the session, never in a URL); the status page looks a
complaint up by POST only, and a wrong code and an unknown number get the same answer. Abuse:
limits per address and per national ID (complaints/policy.py, raised by settings for load
tests), a honeypot field, and Django's CSRF protection.
"""

import datetime as dt
import math
from zoneinfo import ZoneInfo

from crispy_forms.utils import render_crispy_form
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from charity import calendar, formcache, ratelimit
from charity.charter import charter
from charity.clientip import client_ip
from charity.models import PolicyProfile

from .. import errors, policy, services
from ..forms import ComplaintForm, StatusForm

RECEIPT_SESSION_KEY = "complaint_receipt"
RIYADH = ZoneInfo("Asia/Riyadh")


# --- Rate limits ----------------------------------------------------------------------------


def rate_limit(name: str, *, rules=policy, setting: str = "COMPLAINT") -> tuple[int, int]:
    """Return (count, seconds) for "IP" or "NATIONAL_ID": settings.COMPLAINT_RATE_LIMIT_<name>
    (a count, or a (count, seconds) pair) if set, else complaints/policy.py (or `rules`, with
    the setting's other prefix: the suggestions' form, DU-12)."""
    default = getattr(rules, f"RATE_LIMIT_PER_{name}")
    value = getattr(settings, f"{setting}_RATE_LIMIT_PER_{name}", None)
    if value is None:
        return default
    if isinstance(value, int):
        return (value, default[1])
    return (int(value[0]), int(value[1]))


def retry_message(retry_at: float, now: float, template=errors.RATE_LIMITED) -> str:
    """errors.RATE_LIMITED (or `template`) with «when» as the Riyadh clock time and the minutes to wait."""
    minutes = max(1, math.ceil((retry_at - now) / 60))
    clock = dt.datetime.fromtimestamp(retry_at, tz=RIYADH).strftime("%H:%M")
    when = ngettext("%(time)s (in %(minutes)s minute)", "%(time)s (in %(minutes)s minutes)", minutes) % {
        "time": clock, "minutes": minutes}
    return template % {"when": when}


# --- The complaint form ---------------------------------------------------------------------


def _form_page(request, form, profile, *, status=200, blocked=""):
    context = {"form": form, "profile": profile, "rate_limited": blocked}
    return render(request, "complaints/public/form.html", context, status=status)


def _blank_form_page(request, profile, today):
    """The empty form, rendered once per language, profile and day (charity/formcache.py)."""
    html = formcache.form_html(request, ComplaintForm.rendering_key(profile, today), lambda context: (
        render_crispy_form(ComplaintForm(profile=profile, today=today), context=context)))
    return render(request, "complaints/public/form.html", {"form_html": html, "profile": profile})


def _blocked(request, profile, today, retry_at: float, now: float, form=None):
    if form is None:  # not validated: keep what they typed, without showing errors
        form = ComplaintForm(initial=request.POST.dict(), profile=profile, today=today)
    return _form_page(request, form, profile, status=429, blocked=retry_message(retry_at, now))


@require_http_methods(["GET", "POST"])
def file_complaint(request):
    """CP-1…CP-5: the complaint form; on success the receipt (PRG through the session)."""
    profile, today = PolicyProfile.objects.active(), calendar.today()
    if request.method != "POST":
        return _blank_form_page(request, profile, today)
    now = timezone.now()
    stamp = now.timestamp()
    retry_at = ratelimit.hit(ratelimit.key("complaint-ip", client_ip(request)), rate_limit("IP"), stamp)
    if retry_at:
        return _blocked(request, profile, today, retry_at, stamp)
    form = ComplaintForm(request.POST, request.FILES, profile=profile, today=today)
    if form.bot_filled_honeypot():  # a bot: a plain page, nothing saved
        return render(request, "complaints/public/received.html", {"receipt": None, "bot": True})
    if not form.is_valid():
        return _form_page(request, form, profile)
    id_key = ratelimit.key("complaint-id", form.cleaned_data["national_id"])
    retry_at = ratelimit.reached(id_key, rate_limit("NATIONAL_ID"), stamp)
    if retry_at:
        return _blocked(request, profile, today, retry_at, stamp, form=form)
    try:
        complaint, code = services.file_complaint(
            data=form.service_data(), attachments=form.cleaned_data["attachments"], profile=profile, now=now,
            today=today)
    except ValidationError as exc:
        form.add_service_error(exc)
        return _form_page(request, form, profile)
    ratelimit.hit(id_key, rate_limit("NATIONAL_ID"), stamp)
    request.session[RECEIPT_SESSION_KEY] = {"number": complaint.tracking_number, "code": services.format_code(code),
                                            "late": complaint.late, "due_on": complaint.due_on and
                                            complaint.due_on.isoformat()}
    return redirect("complaints_public:received")


@require_GET
def received(request):
    """The receipt: the tracking number and the code, shown once and then forgotten."""
    receipt = request.session.pop(RECEIPT_SESSION_KEY, None)
    if receipt and receipt.get("due_on"):
        receipt["due_on"] = dt.date.fromisoformat(receipt["due_on"])
    return render(request, "complaints/public/received.html", {"receipt": receipt, "bot": False})


# --- The status page ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def status(request):
    """CP-9: the complaint's status and, after the ruling, the ruling. POST only looks up;
    a wrong code and an unknown number give the same page and message."""
    if request.method != "POST":
        return render(request, "complaints/public/status.html", {"form": StatusForm()})
    form = StatusForm(request.POST)
    complaint = None
    if form.is_valid():
        complaint = services.find_for_complainant(form.cleaned_data["tracking_number"], form.cleaned_data["code"])
    if complaint is None:  # never echo what was typed: both failures look alike
        return render(request, "complaints/public/status.html", {"form": StatusForm(), "not_found": errors.NOT_FOUND})
    services.record_status_page_view(complaint=complaint, now=timezone.now())
    complaint.refresh_from_db()
    context = {"complaint": complaint, "ruled": policy.ruling_shown(complaint),
               "form": StatusForm()}
    return render(request, "complaints/public/status.html", context)


# --- RT-9: how complaints are settled -------------------------------------------------------


@require_GET
def how_settled(request):
    """RT-9: the charter's complaints section and the active profile's periods and bodies."""
    profile = PolicyProfile.objects.active()
    items = charter(profile=profile)["complaints"]
    return render(request, "complaints/public/how.html", {"profile": profile, "items": items})


urlpatterns = [
    path("", file_complaint, name="file"),
    path("received/", received, name="received"),
    path("status/", status, name="status"),
    path("how/", how_settled, name="how_settled"),
]
