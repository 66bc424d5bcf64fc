"""Staff pages of data-subject requests (PDPL): the list with the 30-day limit, a new request,
the request page (export, completion, refusal) and the retention log.

Every page needs privacy.handle_requests (403 otherwise). The export gathers every file and
complaint of the person, so preparing or downloading it needs the permissions of someone who
already sees them all (policy.EXPORT_PERMISSIONS); each download writes EXPORT rows to the
access log. No view here deletes anything: destruction is the retention job's alone.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beneficiaries.models import BeneficiaryFile
from charity import calendar
from charity.audit import log_access
from charity.downloads import private_download
from charity.forms import add_service_error
from charity.models import AccessLog
from charity.paging import paginate
from complaints.models import Complaint

from . import policy, services
from .exports import find_person
from .forms import CompleteForm, ExportForm, ListFilterForm, RefuseForm, RequestForm
from .models import DataSubjectRequest, RetentionLog
from .policy import RequestKind

HANDLE = "privacy.handle_requests"
PER_PAGE = 25
RECORDED = _("The request was recorded. The answer is due on %(date)s.")
SAVED = {
    "prepare_export": _("The export is ready to download."),
    "complete": _("The request was marked completed."),
    "refuse": _("The request was refused; tell the person the reasons."),
}


def _dsr(pk) -> DataSubjectRequest:
    return get_object_or_404(DataSubjectRequest.objects.select_related(
        "recorded_by", "handled_by", "corrected_file"), pk=pk)


def _may_export(user) -> bool:
    return user.has_perms(policy.EXPORT_PERMISSIONS)


# --- The list and a new request -------------------------------------------------------------


def _filtered(queryset, form, today):
    show = form.cleaned_data.get("show") if form.is_valid() else ""
    if show == "overdue":
        queryset = queryset.overdue(today)
    elif show == "closed":
        queryset = queryset.filter(status__in=policy.CLOSED_STATUSES).order_by("-completed_at", "-pk")
    elif show != "all":
        queryset = queryset.open()
    if form.is_valid() and form.cleaned_data.get("kind"):
        queryset = queryset.filter(kind=form.cleaned_data["kind"])
    return queryset


@login_required
@permission_required(HANDLE, raise_exception=True)
@require_GET
def request_list(request):
    """The requests with the days left to their 30-day limit; overdue ones stand out."""
    today = calendar.today()
    form = ListFilterForm(request.GET or None)
    scope = DataSubjectRequest.objects.select_related("handled_by").order_by("due_on", "pk")
    page = paginate(request, _filtered(scope, form, today), PER_PAGE)
    for item in page.object_list:
        item.days_left = policy.days_left(item.due_on, today)
        item.days_overdue = -item.days_left
        item.overdue = policy.is_overdue(item.status, item.due_on, today)
    overdue_count = DataSubjectRequest.objects.overdue(today).count()
    return render(request, "privacy/request_list.html", {"form": form, "page": page, "today": today,
                                                         "response_days": policy.RESPONSE_DAYS,
                                                         "overdue_count": overdue_count})


@login_required
@permission_required(HANDLE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def request_create(request):
    """Record a request received from a person about their own data."""
    today = calendar.today()
    if request.method != "POST":
        form = RequestForm(initial={"received_on": today})
        return render(request, "privacy/request_form.html", {"form": form})
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            dsr = services.record_request(by=request.user, today=today, now=timezone.now(), **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, RECORDED % {"date": calendar.format_dual(dsr.due_on)})
            return redirect(dsr)
    return render(request, "privacy/request_form.html", {"form": form})


# --- The request page -----------------------------------------------------------------------


def _action_forms(request, dsr, bound=None) -> list:
    if not dsr.is_open:
        return []
    allowed = [ExportForm] if dsr.kind == RequestKind.ACCESS and _may_export(request.user) else []
    allowed += [CompleteForm, RefuseForm]
    candidates = (services.correction_candidates(dsr, request.user) if dsr.kind == RequestKind.CORRECTION else ())
    forms = []
    for cls in allowed:
        if bound is not None and isinstance(bound, cls):
            forms.append(bound)
        elif cls is CompleteForm:
            forms.append(cls(request_obj=dsr, candidates=candidates))
        else:
            forms.append(cls(request_obj=dsr))
    return forms


def _retention_schedule(dsr, user) -> list[dict]:
    """For a destruction request: the person's files the user may see, and when each is destroyed."""
    person = find_person(dsr.national_id)
    files = BeneficiaryFile.objects.visible_to(user).filter(pk__in=person.head_file_ids).order_by("pk")
    rows = []
    for file in files:
        final_since = file.status_changed_at if file.status in policy.FINAL_FILE_STATUSES else None
        due = policy.retention_due_on(timezone.localdate(final_since)) if final_since else None
        rows.append({"file": file, "due_on": due})
    return rows


def render_detail(request, dsr, bound=None, status=200):
    today = calendar.today()
    days_left = policy.days_left(dsr.due_on, today)
    context = {
        "dsr": dsr, "today": today, "days_left": days_left, "days_overdue": -days_left,
        "overdue": policy.is_overdue(dsr.status, dsr.due_on, today),
        "may_export": _may_export(request.user), "action_forms": _action_forms(request, dsr, bound),
        "correction": services.linked_correction(dsr),
        "schedule": _retention_schedule(dsr, request.user) if dsr.kind == RequestKind.ERASURE else None,
        "retention_years": policy.retention_years(),
    }
    return render(request, "privacy/request_detail.html", context, status=status)


@login_required
@permission_required(HANDLE, raise_exception=True)
@require_GET
def request_detail(request, pk):
    """The request, its limit, the export, the linked correction and the actions; logged."""
    dsr = _dsr(pk)
    log_access(request, dsr, AccessLog.Action.VIEW)
    return render_detail(request, dsr)


def _act(request, dsr, form_class, perform, **form_kwargs):
    """Bind the action's form and call the service; on refusal show the page with the errors."""
    form = form_class(request.POST, request_obj=dsr, **form_kwargs)
    if form.is_valid():
        try:
            perform(dsr, form.cleaned_data, request.user, timezone.now())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, SAVED[form_class.url_name])
            return redirect(dsr)
    return render_detail(request, dsr, bound=form, status=400)


@login_required
@permission_required(HANDLE, raise_exception=True)
@require_POST
def prepare_export(request, pk):
    """Gather everything held about the person into the request's private export."""
    if not _may_export(request.user):
        raise PermissionDenied
    return _act(request, _dsr(pk), ExportForm,
                lambda dsr, data, by, now: services.prepare_export(request=dsr, by=by, now=now))


@login_required
@permission_required(HANDLE, raise_exception=True)
@require_POST
def complete(request, pk):
    """Close the request as answered (a correction links the change made)."""
    dsr = _dsr(pk)
    candidates = services.correction_candidates(dsr, request.user) if dsr.kind == RequestKind.CORRECTION else ()
    return _act(request, dsr, CompleteForm, lambda dsr, data, by, now: services.complete_request(
        request=dsr, by=by, now=now, outcome=data["outcome"], correction=data.get("correction", "")),
        candidates=candidates)


@login_required
@permission_required(HANDLE, raise_exception=True)
@require_POST
def refuse(request, pk):
    """Refuse the request with reasons."""
    return _act(request, _dsr(pk), RefuseForm, lambda dsr, data, by, now: services.refuse_request(
        request=dsr, by=by, now=now, reasons=data["reasons"]))


def _log_export(request, dsr) -> None:
    """Log the download on the request and on every file and complaint the export holds."""
    log_access(request, dsr, AccessLog.Action.EXPORT)
    person = find_person(dsr.national_id)
    for record in [*BeneficiaryFile.objects.filter(pk__in=person.head_file_ids),
                   *Complaint.objects.filter(national_id=person.national_id)]:
        log_access(request, record, AccessLog.Action.EXPORT)


@login_required
@permission_required(HANDLE, raise_exception=True)
@require_GET
def export_download(request, pk):
    """Stream the prepared export as an attachment; logged as an export."""
    if not _may_export(request.user):
        raise PermissionDenied
    dsr = _dsr(pk)
    return private_download(dsr.export_file, content_type="application/zip", filename=f"pdpl-export-{dsr.pk}.zip",
                            log=lambda: _log_export(request, dsr))


# --- The retention log ----------------------------------------------------------------------


@login_required
@permission_required(HANDLE, raise_exception=True)
@require_GET
def retention_log(request):
    """What the retention job destroyed, by rule and record (no personal data)."""
    entries = RetentionLog.objects.select_related("content_type").order_by("-at", "-pk")
    page = paginate(request, entries, PER_PAGE * 2)
    totals = (RetentionLog.objects.values("rule", "action").annotate(entries=Count("pk"), records=Sum("count"))
              .order_by("rule", "action"))
    labels = dict(policy.RetentionRule.choices)
    actions = dict(RetentionLog.Action.choices)
    summary = [{**t, "rule_label": labels.get(t["rule"], t["rule"]), "action_label": actions.get(t["action"])}
               for t in totals]
    context = {"page": page, "summary": summary, "retention_years": policy.retention_years(),
               "access_log_years": policy.access_log_years(), "export_keep_days": policy.EXPORT_KEEP_DAYS}
    return render(request, "privacy/retention_log.html", context)
