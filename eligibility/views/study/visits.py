"""EL-2: field visits to the applicant's home (schedule, report with photos, nobody home, lists)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from beneficiaries import services as file_services
from beneficiaries.policy import DocumentType
from beneficiaries.views.common import now_and_today
from charity import calendar
from charity.paging import paginate

from ... import services
from ...forms import study as forms
from ...models import FieldVisit
from .common import PER_PAGE, VERIFY, form_data, in_scope, scoped_file, study_url, visible_files

PAST_VISITS = 30

VISIT_SCHEDULED = _("The field visit is scheduled for %(date)s.")
VISIT_RECORDED = _("The visit report was saved.")
VISIT_RESCHEDULED = _("Nobody was home: the visit is moved to %(date)s.")

# Which form field shows each service refusal (by the ValidationError's code).
VISIT_ERRORS = {"visit_in_past": "on"}
NOBODY_HOME_ERRORS = {"visit_in_past": "new_date"}
REPORT_ERRORS = {"upload_empty": "photos", "upload_too_large": "photos", "upload_wrong_type": "photos"}


@login_required
@permission_required(VERIFY, raise_exception=True)
def visit_schedule(request, pk):
    """EL-2: schedule a visit to the applicant's home."""
    file = scoped_file(request, pk)
    form = forms.ScheduleVisitForm(form_data(request), initial={"researcher": file.researcher_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.schedule_visit(file=file, by=request.user, researcher=data["researcher"], on=data["on"],
                                            today=calendar.today())
        except ValidationError as exc:
            forms.add_service_error(form, exc, VISIT_ERRORS)
        else:
            messages.success(request, VISIT_SCHEDULED % {"date": calendar.format_dual(visit.scheduled_for)})
            return redirect(study_url(file.pk, "visits"))
    return render(request, "eligibility/study/visit_schedule.html", {"file": file, "form": form})


def _record_visit(request, visit, form) -> None:
    """Store the photos and record the report together: a refusal leaves neither behind."""
    now, today = now_and_today()
    stored = []
    try:
        with transaction.atomic():
            for upload in form.cleaned_data["photos"]:
                stored.append(file_services.upload_document(
                    file=visit.file, by=request.user, uploaded=upload, doc_type=DocumentType.FIELD_VISIT_PHOTO,
                    today=today))
            services.record_visit(visit=visit, by=request.user, now=now, report=form.report, photos=stored)
    except ValidationError:
        for document in stored:  # the rows were rolled back: remove their files too
            document.stored.delete(save=False)
        raise


@login_required
@permission_required(VERIFY, raise_exception=True)
def visit_report(request, pk):
    """EL-2: the visit's report, with photos; a completed visit verifies the field-visit item."""
    visit = in_scope(request, FieldVisit.objects.select_related("researcher", "rescheduled_to"), pk)
    form = forms.VisitReportForm(form_data(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _record_visit(request, visit, form)
        except ValidationError as exc:
            forms.add_service_error(form, exc, REPORT_ERRORS)
        else:
            messages.success(request, VISIT_RECORDED)
            return redirect(study_url(visit.file_id, "visits"))
    return render(request, "eligibility/study/visit_report.html", {
        "file": visit.file, "visit": visit, "form": form, "photos": visit.photos.all(),
        "show_form": visit.status == FieldVisit.Status.SCHEDULED or form.is_bound})


@login_required
@permission_required(VERIFY, raise_exception=True)
def visit_nobody_home(request, pk):
    """EL-2: nobody was home; the visit gets a new date."""
    visit = in_scope(request, FieldVisit.objects.select_related("researcher"), pk)
    form = forms.NobodyHomeForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new_visit = services.record_nobody_home(visit=visit, by=request.user, new_date=data["new_date"],
                                                    today=calendar.today(), note=data["note"])
        except ValidationError as exc:
            forms.add_service_error(form, exc, NOBODY_HOME_ERRORS)
        else:
            messages.success(request, VISIT_RESCHEDULED % {"date": calendar.format_dual(new_visit.scheduled_for)})
            return redirect(study_url(visit.file_id, "visits"))
    return render(request, "eligibility/study/nobody_home.html", {"file": visit.file, "visit": visit, "form": form})


@login_required
@permission_required(VERIFY, raise_exception=True)
@require_GET
def my_visits(request):
    """EL-2: the researcher's visits: today and upcoming first, then the past ones."""
    today = calendar.today()
    visits = FieldVisit.objects.filter(researcher=request.user, file__in=visible_files(request)).select_related("file")
    return render(request, "eligibility/study/my_visits.html", {
        "today": today,
        "upcoming": visits.filter(status=FieldVisit.Status.SCHEDULED, scheduled_for__gte=today)
        .order_by("scheduled_for", "id"),
        "past": visits.filter(scheduled_for__lt=today).order_by("-scheduled_for", "-id")[:PAST_VISITS],
    })


@login_required
@permission_required("eligibility.view_fieldvisit", raise_exception=True)
@require_GET
def visits(request):
    """EL-2, GO-4: the home visits of the files the user may see, by status and date (the
    dashboard's visit figures open this list)."""
    form = forms.VisitFilterForm(request.GET)
    qs = (FieldVisit.objects.filter(file__in=visible_files(request)).select_related("file", "researcher")
          .order_by("-scheduled_for", "-pk"))
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["scheduled_from"]:
            qs = qs.filter(scheduled_for__gte=data["scheduled_from"])
        if data["scheduled_to"]:
            qs = qs.filter(scheduled_for__lte=data["scheduled_to"])
    page = paginate(request, qs, PER_PAGE)
    return render(request, "eligibility/study/visits.html", {"form": form, "page": page})
