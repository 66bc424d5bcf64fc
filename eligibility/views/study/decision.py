"""The decision on an application (PR, IN-5, RT-1, RT-4, RT-5, IN-9) and the applications awaiting one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from beneficiaries import services as file_services
from beneficiaries.policy import FileStatus, decision_is_overdue
from beneficiaries.views.common import now_and_today
from charity import calendar
from charity.models import PolicyProfile
from charity.paging import paginate

from ... import policy, services
from ...forms import study as forms
from .common import PER_PAGE, deciders_only, decision_context, form_data, scoped_file, visible_files

DECIDED = _("The decision was recorded (%(outcome)s) and the applicant was notified.")
PARTICIPANT_NOT_NOTED = _("The beneficiary asked that %(name)s (%(relationship)s) take part in decisions about "
                          "their care (RT-5), and this decision does not note their part.")

# Which form field shows each service refusal (by the ValidationError's code).
DECISION_ERRORS = {"reasons_required": "reasons", "outcome_against_votes": "outcome"}


@login_required
@deciders_only
def decide(request, pk):
    """Record the deciding body's decision; the applicant is told, with the reasons of a rejection."""
    file = scoped_file(request, pk)
    profile = PolicyProfile.objects.active()
    requested = file_services.participation_in_force(file)  # RT-5: offered on the form
    initial = {"family_participant": requested.name, "family_participant_relationship": requested.relationship} \
        if requested else {}
    form = forms.DecisionForm(form_data(request), profile=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decide_application(
                file=file, by=request.user, profile=profile, outcome=data["outcome"], reasons=data["reasons"],
                now=now_and_today()[0], votes=form.votes, family_participant=data["family_participant"],
                family_participant_relationship=data["family_participant_relationship"],
                ministry_reference=data.get("ministry_reference", ""))
        except ValidationError as exc:
            forms.add_service_error(form, exc, DECISION_ERRORS)
        else:
            messages.success(request, DECIDED % {"outcome": decision.get_outcome_display()})
            if requested and policy.requested_participant_missing(requested.name, decision.family_participant):
                messages.warning(request, PARTICIPANT_NOT_NOTED % {"name": requested.name,
                                                                   "relationship": requested.relationship})
            return redirect(file)
    return render(request, "eligibility/study/decide.html", {
        "file": file, "form": form, "profile": profile, "deciding_body": profile.get_deciding_body_display(),
        "requested_participant": requested,
        **decision_context(file, profile),
    })


@login_required
@deciders_only
@require_GET
def awaiting_decision(request):
    """IN-5, RT-1: applications under study, due date first, each marked ready or not (one query)."""
    today = calendar.today()
    files = (services.with_readiness(visible_files(request).filter(status=FileStatus.UNDER_STUDY))
             .select_related("researcher").order_by(F("decision_due_on").asc(nulls_last=True), "number"))
    page = paginate(request, files, PER_PAGE)
    for file in page:
        file.is_ready = policy.checklist_done(file.item_count, file.open_count)
        file.is_overdue = decision_is_overdue(file.status, file.decision_due_on, today)
    return render(request, "eligibility/study/awaiting_decision.html", {"page": page, "today": today})
