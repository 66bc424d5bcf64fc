"""Views and suggestions (DU-12): the public form and its receipt, with the complaint form's
protections (limits per address and per mobile, a honeypot, CSRF); the staff entry of one
received by phone or in person; the list, the page (logged), acknowledging and answering for
those who handle them — anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from charity import calendar, ratelimit
from charity.audit import get_in_scope, log_access
from charity.clientip import client_ip
from charity.forms import add_service_error
from charity.models import AccessLog, PolicyProfile
from charity.paging import paginate

from .. import errors, services, suggestions
from ..forms_suggestions import AcknowledgeForm, AnswerForm, StaffSuggestionForm, SuggestionForm
from ..models import Suggestion
from ..suggestions import Channel, Status
from .public import rate_limit, retry_message

RECEIPT_SESSION_KEY = "suggestion_receipt"
PER_PAGE = 25
HISTORY_LIMIT = 20
ENTERED = _("The view or suggestion was entered with the reference number %(reference)s.")
SAVED = {"suggestion_acknowledge": _("The view or suggestion was acknowledged."),
         "suggestion_answer": _("The answer was recorded and, if the sender gave a mobile, sent by SMS.")}


def _limit(name: str) -> tuple[int, int]:
    return rate_limit(name, rules=suggestions, setting="SUGGESTION")


# --- The public form ------------------------------------------------------------------------


def _form_page(request, form, *, status=200, blocked=""):
    return render(request, "complaints/suggestions/public_form.html", {"form": form, "rate_limited": blocked},
                  status=status)


@require_http_methods(["GET", "POST"])
def suggest(request):
    """DU-12: a view or suggestion through the website; on success the receipt (PRG)."""
    profile = PolicyProfile.objects.active()
    if request.method != "POST":
        return _form_page(request, SuggestionForm(profile=profile))
    now = timezone.now()
    stamp = now.timestamp()
    retry_at = ratelimit.hit(ratelimit.key("suggestion-ip", client_ip(request)), _limit("IP"), stamp)
    if retry_at:
        form = SuggestionForm(initial=request.POST.dict(), profile=profile)
        return _form_page(request, form, status=429,
                          blocked=retry_message(retry_at, stamp, errors.SUGGESTION_RATE_LIMITED))
    form = SuggestionForm(request.POST, profile=profile)
    if form.bot_filled_honeypot():  # a bot: a plain page, nothing saved
        return render(request, "complaints/suggestions/received.html", {"receipt": None})
    if not form.is_valid():
        return _form_page(request, form)
    mobile_key = ratelimit.key("suggestion-mobile", form.cleaned_data["phone"]) if form.cleaned_data["phone"] else ""
    if mobile_key:
        retry_at = ratelimit.reached(mobile_key, _limit("MOBILE"), stamp)
        if retry_at:
            return _form_page(request, form, status=429,
                              blocked=retry_message(retry_at, stamp, errors.SUGGESTION_RATE_LIMITED))
    try:
        suggestion = services.submit_suggestion(data=form.service_data(), profile=profile, channel=Channel.WEB,
                                                now=now, today=calendar.today())
    except ValidationError as exc:
        add_service_error(form, exc)
        return _form_page(request, form)
    if mobile_key:
        ratelimit.hit(mobile_key, _limit("MOBILE"), stamp)
    request.session[RECEIPT_SESSION_KEY] = {"reference": suggestion.reference, "answer_by_sms": bool(suggestion.phone)}
    return redirect("complaints_public:suggestion_received")


@require_GET
def suggestion_received(request):
    """The receipt: the reference number, shown once."""
    return render(request, "complaints/suggestions/received.html",
                  {"receipt": request.session.pop(RECEIPT_SESSION_KEY, None)})


# --- Staff ----------------------------------------------------------------------------------


@login_required
@permission_required(suggestions.ENTER_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def suggestion_new(request):
    """DU-12: enter a view or suggestion received by phone or in person; who entered it is kept."""
    profile = PolicyProfile.objects.active()
    form = StaffSuggestionForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            suggestion = services.submit_suggestion(
                data=form.service_data(), profile=profile, channel=form.cleaned_data["channel"],
                now=timezone.now(), today=calendar.today(), entered_by=request.user)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, ENTERED % {"reference": suggestion.reference})
            if suggestions.may_handle(request.user):
                return redirect(suggestion)
            return redirect("complaints:suggestion_new")
    return render(request, "complaints/suggestions/staff_form.html", {"form": form})


def _handler_only(request) -> None:
    if not suggestions.may_handle(request.user):  # DU-12: the list is for those who handle them
        raise Http404


@login_required
@require_GET
def suggestion_list(request):
    """DU-12: every view and suggestion, newest first, with its channel and status."""
    _handler_only(request)
    status = request.GET.get("status", "")
    scope = Suggestion.objects.visible_to(request.user).select_related("entered_by")
    if status in Status.values:
        scope = scope.filter(status=status)
    return render(request, "complaints/suggestions/list.html", {
        "page": paginate(request, scope, PER_PAGE), "statuses": Status.choices, "status": status})


def _visible(request, pk, *, log=True) -> Suggestion:
    return get_in_scope(request, Suggestion.objects.visible_to(request.user).select_related(
        "entered_by", "acknowledged_by", "answered_by", "file"), pk, action=AccessLog.Action.VIEW if log else None)


def _render_detail(request, suggestion, bound=None, status=200):
    forms = []
    if suggestion.status == Status.RECEIVED:
        forms.append(AcknowledgeForm(suggestion=suggestion))
    if suggestion.status != Status.ANSWERED:
        forms.append(bound if isinstance(bound, AnswerForm) else AnswerForm(suggestion=suggestion))
    history = suggestion.history.select_related("history_user").order_by("-history_date", "-history_id")
    return render(request, "complaints/suggestions/detail.html", {
        "suggestion": suggestion, "action_forms": forms, "history": history[:HISTORY_LIMIT]}, status=status)


@login_required
@require_GET
def suggestion_detail(request, pk):
    """DU-12: the view or suggestion, who entered it and how, its answer and history (logged)."""
    return _render_detail(request, _visible(request, pk))


def _act(request, pk, form_class, perform):
    suggestion = _visible(request, pk, log=False)
    form = form_class(request.POST, suggestion=suggestion)
    if form.is_valid():
        try:
            perform(suggestion, form.cleaned_data, request.user, timezone.now())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, SAVED[form_class.url_name])
            return redirect(suggestion)
    log_access(request, suggestion, AccessLog.Action.VIEW)
    return _render_detail(request, suggestion, bound=form)


@login_required
@require_POST
def suggestion_acknowledge(request, pk):
    """DU-12: acknowledge a view or suggestion."""
    return _act(request, pk, AcknowledgeForm,
                lambda s, data, by, now: services.acknowledge_suggestion(suggestion=s, by=by, now=now))


@login_required
@require_POST
def suggestion_answer(request, pk):
    """DU-12: answer it; the answer goes to the sender by SMS when they gave a mobile."""
    return _act(request, pk, AnswerForm,
                lambda s, data, by, now: services.answer_suggestion(suggestion=s, by=by, answer=data["answer"],
                                                                    now=now))


public_urlpatterns = [
    path("suggest/", suggest, name="suggest"),
    path("suggest/received/", suggestion_received, name="suggestion_received"),
]

staff_urlpatterns = [
    path("suggestions/", suggestion_list, name="suggestion_list"),
    path("suggestions/new/", suggestion_new, name="suggestion_new"),
    path("suggestions/<int:pk>/", suggestion_detail, name="suggestion_detail"),
    path("suggestions/<int:pk>/acknowledge/", suggestion_acknowledge, name="suggestion_acknowledge"),
    path("suggestions/<int:pk>/answer/", suggestion_answer, name="suggestion_answer"),
]
