"""The file's researcher (RT-2, RT-7, RT-8) and the applicant's questions referred to the person the
profile names (IN-4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from charity.audit import get_in_scope, log_access
from charity.models import AccessLog, PolicyProfile

from .. import policy, services
from ..forms import research as forms
from ..models import BeneficiaryFile, ManagerReferral, ResearcherChangeRequest
from .common import now_and_today, visible_file

ASSIGNED = _("The file is now assigned to %(researcher)s.")
REQUEST_RECORDED = _("The request was sent to the beneficiary-services manager.")
REQUEST_ACCEPTED = _("Request accepted: the file now goes to %(researcher)s.")
REQUEST_REFUSED = _("Request refused: the file stays with its researcher; the reasons are on the file.")
PARTICIPATION_RECORDED = _("The request was recorded: %(name)s is offered as a participant in the file's decisions "
                           "(RT-5).")
REFERRED = _("The question was referred to: %(role)s.")
ANSWERED = _("The answer was saved; staff will pass it on to the applicant.")

RECENT = 20  # decided requests and answered questions shown under the pending ones

# Which form field shows each service refusal (by the ValidationError's code).
RESEARCHER_ERRORS = {"not_a_researcher": "researcher", "same_researcher": "researcher"}
PARTICIPATION_ERRORS = {"participant_required": "name", "not_in_household": "member", "asked_in_future": "requested_on"}
DECISION_ERRORS = {"reasons_required": "reasons", "new_researcher_required": "new_researcher",
                   "not_a_researcher": "new_researcher", "same_researcher": "new_researcher"}


def _bound(request, form_class, **kwargs):
    return form_class(request.POST if request.method == "POST" else None, **kwargs)


def _file(request, pk) -> BeneficiaryFile:
    """Fetch the file in the user's scope; a page shown (GET) is logged, a POST leaves its own record."""
    return visible_file(request, pk, action=AccessLog.Action.VIEW if request.method == "GET" else None)


def _visible_files(request):
    return BeneficiaryFile.objects.visible_to(request.user)


@login_required
@permission_required("beneficiaries.assign_researcher", raise_exception=True)
def assign_researcher(request, pk):
    """RT-2, RT-8: assign the file to a social researcher, seeing each one's open caseload."""
    file = _file(request, pk)
    form = _bound(request, forms.AssignResearcherForm)
    if request.method == "POST" and form.is_valid():
        researcher = form.cleaned_data["researcher"]
        try:
            services.assign_researcher(file=file, researcher=researcher, by=request.user, now=now_and_today()[0],
                                       reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            forms.add_service_error(form, exc, RESEARCHER_ERRORS)
        else:
            messages.success(request, ASSIGNED % {"researcher": researcher})
            return redirect(file)
    return render(request, "beneficiaries/research/assign.html", {
        "file": file, "form": form,
        "assignments": file.assignments.select_related("researcher", "assigned_by"),
    })


@login_required
@permission_required("beneficiaries.change_beneficiaryfile", raise_exception=True)
def researcher_request(request, pk):
    """RT-2: record the beneficiary's request for another researcher, with their reasons."""
    file = _file(request, pk)
    form = _bound(request, forms.ResearcherRequestForm)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_researcher_change(file=file, by=request.user, reasons=form.cleaned_data["reasons"],
                                               now=now_and_today()[0])
        except ValidationError as exc:
            forms.add_service_error(form, exc, {"reasons_required": "reasons"})
        else:
            messages.success(request, REQUEST_RECORDED)
            return redirect(file)
    history = file.researcher_requests.select_related("recorded_by", "decided_by", "new_researcher")
    pending = history.filter(status=ResearcherChangeRequest.Status.PENDING).first()
    return render(request, "beneficiaries/research/request_form.html", {
        "file": file, "form": form, "requests": history, "pending": pending,
        "show_form": form.is_bound or pending is None,
    })


@login_required
@permission_required("beneficiaries.change_beneficiaryfile", raise_exception=True)
def participation_request(request, pk):
    """RT-5: record the beneficiary's request that a family member take part in decisions."""
    file = _file(request, pk)
    now, today = now_and_today()
    form = forms.ParticipationRequestForm(request.POST if request.method == "POST" else None, file=file,
                                          initial={"requested_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.record_participation_request(file=file, by=request.user, now=now, today=today,
                                                             **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_error(form, exc, PARTICIPATION_ERRORS)
        else:
            messages.success(request, PARTICIPATION_RECORDED % {"name": recorded.name})
            return redirect(file)
    return render(request, "beneficiaries/research/participation_form.html", {
        "file": file, "form": form,
        "requests": file.participation_requests.select_related("recorded_by")})


@login_required
@permission_required("beneficiaries.assign_researcher", raise_exception=True)
def researcher_requests(request):
    """RT-2: the manager's list of requests awaiting a decision, then the latest decided ones."""
    requests = ResearcherChangeRequest.objects.filter(file__in=_visible_files(request)).select_related(
        "file", "file__researcher", "recorded_by", "decided_by", "new_researcher")
    return render(request, "beneficiaries/research/request_list.html", {
        "pending": requests.filter(status=ResearcherChangeRequest.Status.PENDING).order_by("recorded_at"),
        "decided": requests.exclude(status=ResearcherChangeRequest.Status.PENDING).order_by("-decided_at")[:RECENT],
    })


@login_required
@permission_required("beneficiaries.assign_researcher", raise_exception=True)
def researcher_request_decide(request, pk):
    """RT-2, RT-4: accept (choosing the new researcher) or refuse a request, with reasons."""
    change = get_in_scope(request, ResearcherChangeRequest.objects.select_related(
        "file", "file__researcher", "recorded_by", "decided_by").filter(file__in=_visible_files(request)), pk)
    if request.method == "GET":
        log_access(request, change.file)
    form = _bound(request, forms.DecideResearcherRequestForm)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_researcher_change(request=change, by=request.user, accept=form.accept,
                                              reasons=data["reasons"], now=now_and_today()[0],
                                              new_researcher=data["new_researcher"] if form.accept else None)
        except ValidationError as exc:
            forms.add_service_error(form, exc, DECISION_ERRORS)
        else:
            message = REQUEST_ACCEPTED % {"researcher": data["new_researcher"]} if form.accept else REQUEST_REFUSED
            messages.success(request, message)
            return redirect("beneficiaries:researcher_requests")
    return render(request, "beneficiaries/research/decide.html", {
        "change": change, "file": change.file, "form": form,
        "is_pending": change.status == ResearcherChangeRequest.Status.PENDING,
    })


def _explainer_profile(request) -> PolicyProfile:
    """IN-4: the active profile, when the user is the person it names to explain; 404 otherwise
    (the queue and the answers are that role's alone, as if they did not exist for anyone else)."""
    profile = PolicyProfile.objects.active()
    if not policy.explains_procedure(request.user, profile):
        raise Http404
    return profile


@login_required
@permission_required("beneficiaries.refer_to_manager", raise_exception=True)
def refer_to_manager(request, pk):
    """IN-4: refer the applicant's question to the person the profile names."""
    file = _file(request, pk)
    profile = PolicyProfile.objects.active()
    form = _bound(request, forms.ReferToManagerForm, explainer=profile.procedure_explainer)
    if request.method == "POST" and form.is_valid():
        try:
            services.refer_to_manager(file=file, by=request.user, question=form.cleaned_data["question"],
                                      now=now_and_today()[0], profile=profile)
        except ValidationError as exc:
            forms.add_service_error(form, exc, {"question_required": "question"})
        else:
            messages.success(request, REFERRED % {"role": profile.procedure_explainer})
            return redirect(file)
    return render(request, "beneficiaries/research/refer.html", {
        "file": file, "form": form, "referrals": file.referrals.select_related("asked_by", "answered_by"),
    })


@login_required
@permission_required("beneficiaries.answer_referral", raise_exception=True)
def referrals(request):
    """IN-4: the questions referred to the person the profile names, unanswered (oldest first), then
    the latest answered; for anyone else, 404."""
    _explainer_profile(request)
    questions = ManagerReferral.objects.filter(file__in=_visible_files(request)).select_related(
        "file", "asked_by", "answered_by")
    return render(request, "beneficiaries/research/referral_list.html", {
        "unanswered": questions.filter(answered_at__isnull=True).order_by("asked_at"),
        "answered": questions.filter(answered_at__isnull=False).order_by("-answered_at")[:RECENT],
    })


@login_required
@permission_required("beneficiaries.answer_referral", raise_exception=True)
def referral_answer(request, pk):
    """IN-4: the person the profile names explains; the answer reaches the applicant through the
    staff. For anyone else, 404."""
    profile = _explainer_profile(request)
    referral = get_in_scope(request, ManagerReferral.objects.select_related("file", "asked_by", "answered_by")
                            .filter(file__in=_visible_files(request)), pk)
    if request.method == "GET":
        log_access(request, referral.file)
    form = _bound(request, forms.ReferralAnswerForm, initial={"answer": referral.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_referral(referral=referral, by=request.user, answer=form.cleaned_data["answer"],
                                     now=now_and_today()[0], profile=profile)
        except ValidationError as exc:
            forms.add_service_error(form, exc, {"answer_required": "answer"})
        else:
            messages.success(request, ANSWERED)
            return redirect("beneficiaries:referrals")
    return render(request, "beneficiaries/research/referral_answer.html", {
        "referral": referral, "file": referral.file, "form": form,
    })


urlpatterns = [
    path("<int:pk>/researcher/assign/", assign_researcher, name="assign_researcher"),
    path("<int:pk>/researcher/request/", researcher_request, name="researcher_request"),
    path("<int:pk>/participation/", participation_request, name="participation_request"),
    path("researcher-requests/", researcher_requests, name="researcher_requests"),
    path("researcher-requests/<int:pk>/decide/", researcher_request_decide, name="researcher_request_decide"),
    path("<int:pk>/refer/", refer_to_manager, name="refer_to_manager"),
    path("referrals/", referrals, name="referrals"),
    path("referrals/<int:pk>/answer/", referral_answer, name="referral_answer"),
]
