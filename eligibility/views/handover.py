"""SC-2: recording the official handover of the exclusion certificate (who, to whom, when, how).
The certificate is reached within the user's scope (404 and a denied row otherwise); the record
is made by eligibility/certificates.py, and a refusal is shown and changes nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from beneficiaries.models import BeneficiaryFile
from beneficiaries.views.common import now_and_today, visible_file
from charity.audit import get_in_scope
from charity.forms import add_service_error
from charity.models import AccessLog

from .. import errors
from ..certificates import record_handover
from ..forms.handover import HandoverForm
from ..models import Certificate, CertificateHandover

ACT_PERM = "eligibility.apply_service_controls"
RECORDED = _("The handover of certificate %(serial)s was recorded.")


@login_required
@permission_required(ACT_PERM, raise_exception=True)
@require_http_methods(["GET", "POST"])
def handover(request, pk):
    certificate = get_in_scope(request, Certificate.objects.select_related("exclusion").filter(
        exclusion__file__in=BeneficiaryFile.objects.visible_to(request.user)), pk)
    file = visible_file(request, certificate.exclusion.file_id,
                        action=AccessLog.Action.VIEW if request.method == "GET" else None)
    done = CertificateHandover.objects.filter(certificate=certificate).select_related("recorded_by").first()
    if done is not None and request.method == "POST":
        messages.error(request, errors.HANDOVER_RECORDED)
        return redirect("eligibility:certificate_handover", pk=certificate.pk)
    form = HandoverForm(request.POST or None, initial={"handed_on": now_and_today()[1]})
    if request.method == "POST" and form.is_valid():
        now, today = now_and_today()
        try:
            record_handover(certificate=certificate, by=request.user, now=now, today=today, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, RECORDED % {"serial": certificate.serial})
            return redirect("eligibility:controls", pk=file.pk)
    return render(request, "eligibility/controls/handover.html",
                  {"file": file, "certificate": certificate, "form": form, "done": done})


urlpatterns = [path("certificates/<int:pk>/handover/", handover, name="certificate_handover")]
