"""SC-3: print the approved cancellation request of a file, prefilled, for the beneficiary to
sign. The file is reached within the user's scope (404 and a denied row otherwise) and every
download is logged. The signed scan is uploaded on the exclusion form, as the SC-3 proof."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.urls import path
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from beneficiaries.views.common import now_and_today, visible_file
from charity.models import AccessLog

from ..cancellation import render_cancellation_form

ACT_PERM = "eligibility.apply_service_controls"


@login_required
@permission_required(ACT_PERM, raise_exception=True)
@require_GET
def cancellation_form(request, pk):
    """SC-3: the cancellation request of the file as a PDF, dated today in both calendars."""
    file = visible_file(request, pk, action=AccessLog.Action.DOWNLOAD)
    response = HttpResponse(render_cancellation_form(file, now_and_today()[1]), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"cancellation-{file.number}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [path("files/<int:pk>/cancellation-form/", cancellation_form, name="cancellation_form")]
