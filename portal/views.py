"""«My file»: signing in with a one-time code, and the family's own pages.

Thin views: the forms validate, portal/services.py signs in, portal/overview.py reads, and the
beneficiaries' research service records a request for another researcher. Every page of a
family is logged as a view of a sensitive record (RT-6, RT-10); another family's record is a 404.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beneficiaries import services as file_services
from beneficiaries.models import BeneficiaryFile, UpdateRequest
from beneficiaries.services import request_researcher_change, upload_document
from charity import calendar
from charity.audit import get_in_scope, log_access
from charity.clientip import client_ip
from charity.downloads import private_download
from charity.models import AccessLog, PolicyProfile
from eligibility.certificates import render_certificate
from satisfaction import services as satisfaction
from satisfaction.forms import SurveyForm
from satisfaction.models import Survey
from satisfaction.policy import State

from . import errors, overview, policy, services
from . import session as portal_session
from .forms import CodeForm, IdentityForm, ResearcherRequestForm, UpdateDocumentForm

# --- Signing in -----------------------------------------------------------------------------


def _signed_in_file(request):
    data = portal_session.current(request.session, now=timezone.now())
    return data and data["file"]


@require_http_methods(["GET", "POST"])
def sign_in(request):
    """The identity number; the same answer (the code page) whether or not it is on a file."""
    if request.method != "POST":
        if file_id := _signed_in_file(request):
            return redirect("portal:file", pk=file_id)
        return render(request, "portal/sign_in.html", {"form": IdentityForm()})
    form = IdentityForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/sign_in.html", {"form": form})
    try:
        pending = services.request_code(identity=form.cleaned_data["identity"], address=client_ip(request),
                                        now=timezone.now())
    except services.SignInRefused as refusal:
        return render(request, "portal/sign_in.html", {"form": IdentityForm(), "refused": refusal.message},
                      status=429)
    request.session[policy.PENDING_KEY] = pending
    return redirect("portal:verify")


def _code_page(request, form, *, refused="", status=200):
    return render(request, "portal/verify.html", {"form": form, "sent": errors.CODE_SENT, "refused": refused},
                  status=status)


@require_http_methods(["GET", "POST"])
def verify(request):
    """The code: right, the family's file opens; wrong, expired or void, a clear message."""
    pending = request.session.get(policy.PENDING_KEY)
    if not pending:
        messages.info(request, errors.NO_SIGN_IN)
        return redirect("portal:sign_in")
    if request.method != "POST":
        return _code_page(request, CodeForm())
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _code_page(request, form)
    now = timezone.now()
    try:
        file_id, member_id = services.check_code(pending=pending, code=form.cleaned_data["code"],
                                                 address=client_ip(request), now=now)
    except services.SignInRefused as refusal:
        request.session[policy.PENDING_KEY] = pending  # the tries counted
        status = 429 if isinstance(refusal, services.RateLimited) else 200
        return _code_page(request, CodeForm(), refused=refusal.message, status=status)
    portal_session.start(request.session, file_id=file_id, member_id=member_id, now=now)
    return redirect("portal:file", pk=file_id)


@require_POST
def resend(request):
    pending = request.session.get(policy.PENDING_KEY)
    if not pending:
        messages.info(request, errors.NO_SIGN_IN)
        return redirect("portal:sign_in")
    try:
        request.session[policy.PENDING_KEY] = services.resend_code(pending=pending, address=client_ip(request),
                                                                   now=timezone.now())
    except services.SignInRefused as refusal:
        messages.error(request, refusal.message)
    return redirect("portal:verify")


@require_POST
def sign_out(request):
    """End the portal session only: a member of staff on the same browser stays signed in."""
    portal_session.end(request.session)
    messages.success(request, errors.SIGNED_OUT)
    return redirect("home")


# --- The family's pages ---------------------------------------------------------------------


def family_page(view):
    """Open the page for the signed-in family's own file only: no portal session, the sign-in
    page; another family's file, 404. The view gets the file and the moment; the visit is logged."""

    @wraps(view)
    def wrapped(request, pk, **kwargs):
        now = timezone.now()
        data = portal_session.current(request.session, now=now)
        if data is None or not services.may_act_for(data["file"], data["member"]):
            ended = request.session.pop("portal_ended", False) or data is not None
            portal_session.end(request.session)
            if ended:
                messages.warning(request, errors.SESSION_ENDED)
            return redirect("portal:sign_in")
        request.access_actor = services.actor_label(data["member"])  # the access log names who looked
        # Another family's file: a 404, and the refusal is logged.
        file = get_in_scope(request, BeneficiaryFile.objects.filter(pk=data["file"]), pk, action=AccessLog.Action.VIEW)
        return view(request, file, now=now, **kwargs)

    return wrapped


def _page(request, template, context):
    return render(request, template, {**context, "portal_file": context["file"]})


@require_GET
@family_page
def file_home(request, file, *, now):
    """The file's number and status, who decides and when (IN-5), each decision and its reasons (RT-4)."""
    return _page(request, "portal/file.html", overview.file_page(file, profile=PolicyProfile.objects.active(),
                                                                   today=calendar.today()))


@require_GET
@family_page
def needs(request, file, *, now):
    """The documents still required, with their expiry (DU-1); open freezes and what lifts them."""
    context = overview.needs_page(file, profile=PolicyProfile.objects.active(), today=calendar.today())
    return _page(request, "portal/needs.html", context)


@require_http_methods(["GET", "POST"])
@family_page
def researcher(request, file, *, now):
    """RT-8: the researcher; RT-2: a request for another one with reasons, and its answer."""
    form = ResearcherRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_researcher_change(file=file, by=None, reasons=form.cleaned_data["reasons"], now=now)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, errors.REQUEST_SENT)
            return redirect("portal:researcher", pk=file.pk)
    return _page(request, "portal/researcher.html", {**overview.researcher_page(file), "form": form})


@require_http_methods(["GET", "POST"])
@family_page
def annual_update(request, file, *, now, request_pk):
    """DU-5: the annual update announced to the family, its deadline and documents, uploaded right
    here through the documents service (content and size checked). During an SC-6 freeze an
    upload is a response: the freeze lifts when nothing is missing, or waits for staff review."""
    update_request = get_in_scope(request, UpdateRequest.objects.select_related("update").filter(file=file), request_pk)
    context = overview.update_page(file, update_request, today=calendar.today())
    choices = [(d["code"], d["label"]) for d in context["documents"]]
    form = UpdateDocumentForm(request.POST or None, request.FILES or None, choices=choices)
    if request.method == "POST" and context["completed"]:
        messages.info(request, errors.UPDATE_CLOSED)
        return redirect("portal:update", pk=file.pk, request_pk=update_request.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            upload_document(file=file, by=None, uploaded=data["uploaded"], doc_type=data["doc_type"],
                            today=calendar.today(), expires_on=data["expires_on"])
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            update_request.refresh_from_db()
            done = (update_request.status == UpdateRequest.Status.COMPLETED
                    or not file_services.update_documents_missing(update_request))
            messages.success(request, errors.UPDATE_COMPLETE if done else errors.DOCUMENT_RECEIVED)
            return redirect("portal:update", pk=file.pk, request_pk=update_request.pk)
    return _page(request, "portal/update.html", {**context, "form": form})


@require_GET
@family_page
def complaints(request, file, *, now):
    """CP-9: the family's complaints and their statuses, without the code once signed in."""
    return _page(request, "portal/complaints.html", overview.complaints_page(file))


@require_GET
@family_page
def surveys(request, file, *, now):
    """SAT-1: the surveys waiting for the family's answer."""
    return _page(request, "portal/surveys.html", overview.surveys_page(file, now=now))


@require_http_methods(["GET", "POST"])
@family_page
def survey_answer(request, file, *, now, survey_pk):
    """SAT-1: a survey waiting for the family, answered right here (no link needed once signed
    in); saved once through the satisfaction service, like an answer by the text message's link."""
    survey = get_in_scope(request, Survey.objects.filter(file=file), survey_pk)
    state = satisfaction.survey_state(survey, now)
    if state != State.OPEN:
        messages.info(request, satisfaction.STATE_MESSAGES[state])
        return redirect("portal:surveys", pk=file.pk)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            satisfaction.answer_survey(survey=survey, ratings=form.ratings, comment=form.cleaned_data["comment"],
                                       now=now)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, errors.SURVEY_THANKS)
            return redirect("portal:surveys", pk=file.pk)
    return _page(request, "portal/survey.html", {"file": file, "form": form, **satisfaction.survey_context(survey)})


@require_GET
@family_page
def certificate(request, file, *, now):
    """SC-2: the exclusion certificate, rendered once and stored; the download is logged."""
    issued = overview.certificate_of(file)
    if issued is None:
        raise Http404
    render_certificate(issued)
    issued.refresh_from_db()
    return private_download(issued.pdf, filename=f"{issued.serial}.pdf", content_type="application/pdf",
                            log=lambda: log_access(request, issued, AccessLog.Action.DOWNLOAD))
