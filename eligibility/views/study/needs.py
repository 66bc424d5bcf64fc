"""EL-8, EL-9, IN-7: the needs study and its printable form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from beneficiaries.views.common import now_and_today
from charity import calendar
from charity.audit import get_in_scope, log_access
from charity.models import AccessLog, PolicyProfile
from programmes import impact

from ... import services
from ...forms import study as forms
from ...models import FieldVisit, NeedsAssessment
from .common import (
    VERIFY,
    form_data,
    latest_visit,
    scoped_file,
    score_rows,
    service_labels,
    visible_files,
    weight_rows,
)

ASSESSED = _("The needs study was saved: score %(score)s out of 100.")


@login_required
@permission_required(VERIFY, raise_exception=True)
def assess(request, pk):
    """EL-8, EL-9, IN-7: score the need from the file and the latest visit; recommend services."""
    file = scoped_file(request, pk)
    now, today = now_and_today()
    profile = PolicyProfile.objects.active()
    visit = latest_visit(file)
    form = forms.AssessForm(form_data(request), initial={
        "housing_poor": visit is not None and visit.housing_state == FieldVisit.HousingState.POOR})
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assess_needs(file=file, by=request.user, now=now, today=today, profile=profile,
                                               **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            messages.success(request, ASSESSED % {"score": assessment.score})
            return redirect("eligibility:assessment_detail", assessment.pk)
    return render(request, "eligibility/study/assess.html", {
        "file": file, "form": form, "figures": services.household_figures(file, today=today),
        "threshold": profile.income_threshold_per_member, "visit": visit,
        "previous": file.needs_assessments.select_related("assessed_by").order_by("-assessed_at"),
        "after_programmes": impact.awaiting_after_study(file, today=today) if impact.shows_impact(profile) else [],
    })


@login_required
@permission_required("eligibility.view_needsassessment", raise_exception=True)
@require_GET
def assessment_detail(request, pk):
    """EL-8: the printable aid-request form (استمارة طلب إعانة)."""
    assessment = get_in_scope(request, NeedsAssessment.objects.select_related("file", "assessed_by").filter(
        file__in=visible_files(request)), pk)
    file = assessment.file
    log_access(request, file, AccessLog.Action.PRINT)
    return render(request, "eligibility/study/assessment_detail.html", {
        "assessment": assessment, "file": file, "score_rows": score_rows(assessment),
        "weight_rows": weight_rows(assessment),
        "services": service_labels(assessment), "visit": latest_visit(file), "today": calendar.today(),
        "members": file.members.current().order_by("id"), "categories": file.categories.all(),
        "below_threshold": assessment.income_per_member < assessment.threshold,
    })
