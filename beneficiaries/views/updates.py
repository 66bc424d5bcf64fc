"""Changes the beneficiary reports (DU-4) and the annual update (DU-5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from charity import calendar
from charity.audit import get_in_scope
from charity.forms import add_service_error
from charity.models import AccessLog
from charity.paging import paginate

from .. import policy, services
from ..forms import updates as forms
from ..models import AnnualUpdate, BeneficiaryFile, UpdateRequest
from .common import active_profile, now_and_today, visible_file

CHANGE_RECORDED = _("The change was recorded on the file.")
OUTSIDE_AREA_WARNING = _("The new address (%(city)s) is outside the association's service area: "
                         "tell the beneficiary-services manager.")
REQUEST_COMPLETED = _("The annual update of file %(number)s is complete.")
NOTICE_RECORDED = _("The notice was recorded: the family of file %(number)s must renew its documents by %(date)s.")
PAGE_SIZE = 25

Status = UpdateRequest.Status


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _status_counts(requests) -> dict:
    """Return {"open": n, "completed": n, "late": n} for a queryset of update requests."""
    return requests.aggregate(**{s.value: Count("pk", filter=Q(status=s)) for s in Status})


@login_required
@permission_required("beneficiaries.record_change", raise_exception=True)
def record_change(request, pk):
    """DU-4: record a change the beneficiary reported, applying a new address or phones to the file."""
    file = visible_file(request, pk, action=AccessLog.Action.VIEW if request.method == "GET" else None)
    profile = active_profile()
    now, today = now_and_today()
    form = forms.ReportedChangeForm(request.POST if request.method == "POST" else None, file=file, today=today,
                                    international_phones=profile.international_phones)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_change(file=file, by=request.user, kind=data["kind"], reported_on=data["reported_on"],
                                   description=form.description_text, today=today, changes=form.changes or None,
                                   expected_version=data["version"])
        except ValidationError as exc:
            add_service_error(form, exc, {"reported_in_future": "reported_on"})
        else:
            messages.success(request, CHANGE_RECORDED)
            city = form.changes.get("city")
            if city:
                try:
                    services.check_service_area(city=city, profile=profile)
                except ValidationError:
                    messages.warning(request, OUTSIDE_AREA_WARNING % {"city": city})
            return redirect(file)
    return render(request, "beneficiaries/updates/change_form.html", {
        "file": file, "form": form, "changes": file.reported_changes.select_related("recorded_by")[:10],
    })


@login_required
@permission_required("beneficiaries.announce_annual_update", raise_exception=True)
def annual_updates(request):
    """DU-5: the announced updates, each with its open, completed and late requests."""
    in_scope = Q(requests__file__in=BeneficiaryFile.objects.visible_to(request.user))
    updates = AnnualUpdate.objects.select_related("announced_by").annotate(
        **{f"{s.value}_count": Count("requests", filter=in_scope & Q(requests__status=s)) for s in Status})
    return render(request, "beneficiaries/updates/annual_list.html", {"updates": updates})


@login_required
@permission_required("beneficiaries.announce_annual_update", raise_exception=True)
def annual_update_new(request):
    """DU-5: announce the yearly update; every active file gets a request to renew its documents."""
    today = calendar.today()
    profile = active_profile()
    form = forms.AnnualUpdateForm(request.POST if request.method == "POST" else None, today=today, profile=profile)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update = services.announce_annual_update(by=request.user, title=data["title"], deadline=data["deadline"],
                                                     today=today, note=data["note"], documents=data["documents"],
                                                     profile=profile)
        except ValidationError as exc:
            add_service_error(form, exc, {"deadline_in_past": "deadline"})
        else:
            count = update.requests.count()
            messages.success(request, ngettext(
                "The update was announced: %(count)d active file must renew its documents by %(date)s.",
                "The update was announced: %(count)d active files must renew their documents by %(date)s.",
                count) % {"count": count, "date": calendar.format_dual(update.deadline)})
            return redirect("beneficiaries:annual_update_detail", pk=update.pk)
    return render(request, "beneficiaries/updates/annual_form.html", {"form": form})


@login_required
@permission_required("beneficiaries.record_change", raise_exception=True)
def annual_update_detail(request, pk):
    """DU-5: the files that still owe their update, oldest due first, with what each must renew."""
    update = get_object_or_404(AnnualUpdate.objects.select_related("announced_by"), pk=pk)
    requests = UpdateRequest.objects.filter(update=update, file__in=BeneficiaryFile.objects.visible_to(request.user))
    outstanding = (requests.filter(status=Status.OPEN).select_related("update", "file", "file__researcher")
                   .order_by("due_on", "file__number"))
    page = paginate(request, outstanding, PAGE_SIZE)
    rows = [{"request": r, "missing": [policy.DocumentType(d).label for d in services.update_documents_missing(r)]}
            for r in page]
    return render(request, "beneficiaries/updates/annual_detail.html", {
        "update": update, "page": page, "rows": rows, "counts": _status_counts(requests),
        "documents": [policy.DocumentType(d).label for d in update.required_documents],
    })


def _visible_request(request, pk) -> UpdateRequest:
    """A file's update request, if the user may see the file (else 404; a refusal is logged)."""
    return get_in_scope(request, UpdateRequest.objects.select_related("update", "file").filter(
        file__in=BeneficiaryFile.objects.visible_to(request.user)), pk)


@require_POST
@login_required
@permission_required("beneficiaries.record_change", raise_exception=True)
def update_request_complete(request, pk):
    """DU-5: close a file's update request once its documents are renewed."""
    update_request = _visible_request(request, pk)
    target = _safe_next(request, reverse("beneficiaries:annual_update_detail", args=[update_request.update_id]))
    try:
        services.complete_update_request(request=update_request, by=request.user, now=now_and_today()[0])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, REQUEST_COMPLETED % {"number": update_request.file.number})
    return redirect(target)


@login_required
@permission_required("beneficiaries.record_change", raise_exception=True)
def update_request_notice(request, pk):
    """DU-5: record that a letter or a visit told the family of the update (who, when, how): a
    proof of notice besides a delivered SMS or e-mail, which starts the family's deadline."""
    update_request = _visible_request(request, pk)
    form = forms.UpdateNoticeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        now, today = now_and_today()
        try:
            services.record_update_notice(request=update_request, method=data["method"], told_on=data["told_on"],
                                          told_by=data["told_by"], note=data["note"], by=request.user, today=today,
                                          now=now)
        except ValidationError as exc:
            add_service_error(form, exc, {"told_in_future": "told_on", "told_before_announcement": "told_on",
                                          "told_by_required": "told_by"})
        else:
            update_request.refresh_from_db()
            due = calendar.format_dual(update_request.due_on) if update_request.due_on else "—"
            messages.success(request, NOTICE_RECORDED % {"number": update_request.file.number, "date": due})
            return redirect("beneficiaries:annual_update_detail", pk=update_request.update_id)
    notices = update_request.notices.select_related("notification", "recorded_by")
    return render(request, "beneficiaries/updates/notice_form.html",
                  {"form": form, "update_request": update_request, "notices": notices})


urlpatterns = [
    path("<int:pk>/changes/new/", record_change, name="record_change"),
    path("annual-updates/", annual_updates, name="annual_updates"),
    path("annual-updates/new/", annual_update_new, name="annual_update_new"),
    path("annual-updates/<int:pk>/", annual_update_detail, name="annual_update_detail"),
    path("update-requests/<int:pk>/complete/", update_request_complete, name="update_request_complete"),
    path("update-requests/<int:pk>/notice/", update_request_notice, name="update_request_notice"),
]
