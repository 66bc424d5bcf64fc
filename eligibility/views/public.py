"""The public certificate verification page: validity, date and association only.

No login. The code travels in a POST body (never in a URL, so it stays out of logs and
histories). The answer names no person, identity, file or rule, and a malformed code gets
exactly the same answer as an unknown one. A client may try 20 codes per 10 minutes.
"""

import datetime as dt
import math
import time

from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from charity import calendar, ratelimit
from charity.clientip import client_ip

from ..certificates import verify_code
from ..forms.controls import VerifyCodeForm

RATE_LIMIT = 20  # POSTs per client address (charity.clientip.client_ip) ...
RATE_WINDOW = 10 * 60  # ... per 10 minutes
MAX_CODE_CHARS = 100
TOO_MANY_ATTEMPTS = _("Too many attempts from your connection. Please try again after %(time)s "
                      "(in about %(minutes)s minutes).")


def _wait_seconds(request) -> int:
    """Count this attempt; return how many seconds the client must wait (0 when within the limit,
    and when the cache is down: the page keeps answering, see charity/ratelimit.py)."""
    now = time.time()
    retry_at = ratelimit.hit(ratelimit.key("verify-certificate", client_ip(request)), (RATE_LIMIT, RATE_WINDOW), now)
    return max(1, math.ceil(retry_at - now)) if retry_at else 0


def _too_many(request, wait: int):
    again = timezone.localtime(timezone.now() + dt.timedelta(seconds=wait))
    message = TOO_MANY_ATTEMPTS % {"time": f"{again:%H:%M}", "minutes": math.ceil(wait / 60)}
    response = render(request, "eligibility/public/verify.html",
                      {"form": VerifyCodeForm(), "limited": message}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _answer(certificate) -> dict:
    """What the public may learn: valid or not, the issue date, the kind, and the association
    that issued it, as stored on the certificate (not the profile active today)."""
    if certificate is None:
        return {"valid": False}
    return {"valid": True, "issued_on": calendar.format_dual(certificate.issued_at),
            "kind": certificate.get_kind_display(), "association": certificate.issuer,
            "licence": certificate.issuer_licence}


@csrf_protect
@require_http_methods(["GET", "POST"])
def verify_certificate(request):
    """Check a certificate's verification code (POST only; a code in the URL is ignored)."""
    if request.method == "GET":
        return render(request, "eligibility/public/verify.html", {"form": VerifyCodeForm()})
    wait = _wait_seconds(request)
    if wait:
        return _too_many(request, wait)
    form = VerifyCodeForm(request.POST)
    if not form.is_valid():
        return render(request, "eligibility/public/verify.html", {"form": form})
    answer = _answer(verify_code(form.cleaned_data["code"][:MAX_CODE_CHARS]))
    # A fresh form: the code is not echoed back, so every unknown code gets the very same page.
    return render(request, "eligibility/public/verify.html", {"form": VerifyCodeForm(), "answer": answer})


urlpatterns = [path("", verify_certificate, name="verify_certificate")]
