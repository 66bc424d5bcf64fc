"""Aid page of TK-8: the equality report, on screen and as a workbook."""

from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from beneficiaries.models import BeneficiaryFile
from beneficiaries.views.common import now_and_today
from charity.clientip import client_ip
from charity.models import AccessLog

from .. import forms, reports
from .common import VIEW


def _equality(request):
    form = forms.EqualityForm(request.GET or None, today=now_and_today()[1])
    return form, reports.equality_report(user=request.user, **form.period())


@login_required
@permission_required(VIEW, raise_exception=True)
def equality(request):
    """TK-8: aid per household member of each file in a period, its spread and the outliers."""
    form, report = _equality(request)
    return render(request, "aid/equality.html", {"form": form, "report": report})


@login_required
@permission_required(VIEW, raise_exception=True)
def equality_export(request):
    """TK-8: the same report as an Excel workbook; every exported file is logged."""
    form, report = _equality(request)
    user, ip, agent = request.user, client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:255]
    file_type = ContentType.objects.get_for_model(BeneficiaryFile)
    AccessLog.objects.bulk_create(
        AccessLog(user=user, action=AccessLog.Action.EXPORT, content_type=file_type, object_id=str(r["file_id"]),
                  path=request.path[:255], ip_address=ip, user_agent=agent) for r in report["rows"])
    response = HttpResponse(reports.equality_workbook(report),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"equality-{report['start']:%Y%m%d}-{report['end']:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

urlpatterns = [
    path("aid/equality/", equality, name="aid_equality"),
    path("aid/equality/export/", equality_export, name="aid_equality_export"),
]
