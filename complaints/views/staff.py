"""Staff pages of complaints: the list, the complaint page, attachments, paper entry and the
workflow actions (CP-2, CP-4, CP-6…CP-10).

CP-8: every read goes through Complaint.objects.visible_to (404 for anyone else, including a
member of staff the complaint names, whatever their role), and every complaint page and
download writes an access-log row. Each action posts to its own URL and calls one service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beneficiaries.models import BeneficiaryFile
from charity import calendar
from charity.audit import get_in_scope, log_access
from charity.downloads import private_download
from charity.models import AccessLog, PolicyProfile
from charity.paging import paginate

from .. import policy, services
from ..access import may_list
from ..forms import (
    AssignForm,
    CloseForm,
    ExcuseDecisionForm,
    InvestigationOutcomeForm,
    ListFilterForm,
    NameStaffForm,
    NoticeForm,
    NotifyForm,
    PaperComplaintForm,
    ReferForm,
    RuleForm,
)
from ..models import Attachment, Complaint, InvestigationReferral
from ..policy import Status

PER_PAGE = 25
HISTORY_LIMIT = 30
PAPER_SESSION_KEY = "complaint_paper_receipt"

SAVED = {
    "decide_excuse": _("The decision on the excuse was recorded."),
    "assign": _("The complaint was assigned."),
    "name_staff": _("The staff members complained of were recorded."),
    "rule": _("The ruling was recorded. Send it to the complainant."),
    "notify": _("The result was queued for sending by SMS and email."),
    "record_notice": _("The notice was recorded."),
    "close": _("The complaint was closed."),
    "refer": _("The complaint was marked malicious and referred to the investigation committee."),
    "record_investigation": _("The committee's outcome was recorded."),
}
PAPER_ENTERED = _("The paper complaint was entered. Hand the tracking number and the code to the complainant.")


def visible_complaint(request, pk, *, log: bool = True) -> Complaint:
    """CP-8: the complaint if `request.user` may see it, else 404; logged when shown."""
    return get_in_scope(request, Complaint.objects.visible_to(request.user).select_related(
        "assigned_to", "entered_by", "excuse_decided_by", "ruled_by", "file"), pk,
        action=AccessLog.Action.VIEW if log else None)


# --- The list -------------------------------------------------------------------------------


def _filtered(queryset, form, today):
    if not form.is_valid():
        return queryset
    if form.cleaned_data["status"]:
        queryset = queryset.filter(status=form.cleaned_data["status"])
    show = form.cleaned_data["show"]
    if show == "overdue":
        queryset = queryset.overdue(today)
    elif show == "due_week":
        queryset = queryset.due_soon(today)
    elif show == "excuses":
        queryset = queryset.filter(status=Status.EXCUSE_REVIEW)
    if form.cleaned_data["source"]:
        queryset = queryset.filter(source=form.cleaned_data["source"])
    if form.cleaned_data["received_from"]:
        queryset = queryset.filter(received_on__gte=form.cleaned_data["received_from"])
    if form.cleaned_data["received_to"]:
        queryset = queryset.filter(received_on__lte=form.cleaned_data["received_to"])
    return queryset


def _days_left(complaints, today) -> None:
    """CP-7: working days left to the ruling date (negative once overdue), one calendar load."""
    running = [c for c in complaints if c.due_on and c.status == Status.UNDER_REVIEW]
    if not running:
        return
    dates = [c.due_on for c in running] + [today]
    cal = calendar.calendar_for(min(dates), max(dates))
    for complaint in running:
        complaint.days_left = cal.working_days_between(today, complaint.due_on)
        complaint.days_overdue = -complaint.days_left


@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
@require_GET
def complaint_list(request):
    """The complaints the user may see (CP-8), with the filters of the ruling period (CP-7);
    404 for a member of staff with none (access.may_list)."""
    if not may_list(request.user):
        raise Http404
    today = calendar.today()
    form = ListFilterForm(request.GET or None)
    scope = Complaint.objects.visible_to(request.user).select_related("assigned_to").order_by("-filed_at", "-pk")
    page = paginate(request, _filtered(scope, form, today), PER_PAGE)
    _days_left(page.object_list, today)
    return render(request, "complaints/complaint_list.html", {"form": form, "page": page, "today": today})


# --- The complaint page ---------------------------------------------------------------------


def _history(complaint) -> list[dict]:
    records = list(complaint.history.select_related("history_user").order_by("-history_date", "-history_id")
                   [:HISTORY_LIMIT + 1])
    labels = {f.name: f.verbose_name for f in [*Complaint._meta.fields, *Complaint._meta.many_to_many]}
    rows = []
    for record, previous in zip(records[:HISTORY_LIMIT], records[1:] + [None], strict=False):
        changes = record.diff_against(previous).changes if previous else []
        rows.append({"record": record, "fields": [str(labels.get(c.field, c.field)) for c in changes]})
    return rows


def _action_forms(request, complaint, referral, bound=None) -> list:
    """The actions this user may take on the complaint in its status."""
    user, status = request.user, complaint.status
    manage = policy.may_manage(user, complaint)
    allowed = []
    if manage:
        allowed += [ExcuseDecisionForm] if status == Status.EXCUSE_REVIEW else []
        allowed += [RuleForm] if status == Status.UNDER_REVIEW else []
        allowed += [NotifyForm] if status in (Status.RULED, Status.NOTIFIED) else []
        allowed += [CloseForm] if status == Status.NOTIFIED else []
        allowed += [AssignForm, NameStaffForm] if status != Status.CLOSED else []
        allowed += [ReferForm] if status in policy.RULED_STATUSES and referral is None else []
    if (manage or complaint.assigned_to_id == user.pk) and status in policy.RULED_STATUSES:
        allowed.append(NoticeForm)
    if referral is not None and user.has_perm("complaints.record_investigation"):
        allowed.append(InvestigationOutcomeForm)
    forms = [bound if bound is not None and isinstance(bound, cls) else cls(complaint=complaint, user=user)
             for cls in allowed]
    if bound is not None and type(bound) not in allowed:
        forms.insert(0, bound)
    return forms


def _linked_file(request, complaint):
    if not complaint.file_id:
        return None
    visible = BeneficiaryFile.objects.visible_to(request.user).filter(pk=complaint.file_id).exists()
    return {"visible": visible, "file": complaint.file if visible else None}


def render_detail(request, complaint, bound=None, status=200):
    referral = InvestigationReferral.objects.filter(complaint=complaint).select_related(
        "referred_by", "outcome_by").first()
    notices = complaint.notices.select_related("by", "notification").prefetch_related(
        "notification__delivery_attempts")
    days_left = None
    if complaint.due_on and complaint.status == Status.UNDER_REVIEW:
        days_left = calendar.working_days_between(calendar.today(), complaint.due_on)
    context = {
        "complaint": complaint, "referral": referral, "notices": notices, "days_left": days_left,
        "days_overdue": -days_left if days_left is not None else None,
        "attachments": complaint.attachments.order_by("pk"), "named_staff": complaint.named_staff.all(),
        "linked_file": _linked_file(request, complaint), "history": _history(complaint),
        "action_forms": _action_forms(request, complaint, referral, bound), "today": calendar.today(),
    }
    return render(request, "complaints/complaint_detail.html", context, status=status)


@login_required
@require_GET
def complaint_detail(request, pk):
    """Every CP-3 field, attachments, the linked file, notices (CP-9), history and actions."""
    return render_detail(request, visible_complaint(request, pk))


@login_required
@require_GET
def attachment_download(request, pk):
    """An attachment of a complaint the user may see, as a download; logged (CP-8)."""
    attachment = get_in_scope(request, Attachment.objects.select_related("complaint").filter(
        complaint__in=Complaint.objects.visible_to(request.user).values("pk")), pk)
    extension = attachment.stored.name.rsplit(".", 1)[-1] if attachment.stored else ""
    return private_download(attachment.stored, content_type=attachment.content_type,
                            filename=f"{attachment.complaint.tracking_number}-{attachment.pk}.{extension}",
                            log=lambda: log_access(request, attachment, AccessLog.Action.DOWNLOAD))


# --- Paper filings (CP-4) -------------------------------------------------------------------


@login_required
@permission_required("complaints.enter_paper_complaint", raise_exception=True)
@require_http_methods(["GET", "POST"])
def paper_entry(request):
    """CP-4: enter a complaint handed in on paper, with the day it was received; DU-12: or one
    received by phone or in person, with its channel and who entered it."""
    profile, today = PolicyProfile.objects.active(), calendar.today()
    if request.method != "POST":
        form = PaperComplaintForm(profile=profile, today=today, initial={"received_on": today})
        return render(request, "complaints/paper_form.html", {"form": form})
    form = PaperComplaintForm(request.POST, request.FILES, profile=profile, today=today)
    if form.is_valid():
        try:
            complaint, code = services.file_complaint(
                data=form.service_data(), attachments=form.cleaned_data["attachments"], profile=profile,
                now=timezone.now(), today=today, source=form.cleaned_data["source"],
                received_on=form.cleaned_data["received_on"],
                entered_by=request.user)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            request.session[PAPER_SESSION_KEY] = {"pk": complaint.pk, "number": complaint.tracking_number,
                                                  "code": services.format_code(code)}
            messages.success(request, PAPER_ENTERED)
            return redirect("complaints:paper_receipt")
    return render(request, "complaints/paper_form.html", {"form": form})


@login_required
@permission_required("complaints.enter_paper_complaint", raise_exception=True)
@require_GET
def paper_receipt(request):
    """The tracking number and code of the paper complaint just entered, shown once."""
    receipt = request.session.pop(PAPER_SESSION_KEY, None)
    complaint = None
    if receipt:
        complaint = Complaint.objects.visible_to(request.user).filter(pk=receipt["pk"]).first()
    return render(request, "complaints/paper_receipt.html", {"receipt": receipt, "complaint": complaint})


# --- Workflow actions -----------------------------------------------------------------------


def _act(request, complaint, form_class, perform):
    """Bind the action's form, call the service; on refusal show the page with the form's errors."""
    form = form_class(request.POST, complaint=complaint, user=request.user)
    if form.is_valid():
        try:
            perform(complaint, form.cleaned_data, request.user, timezone.now(), calendar.today())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, SAVED[form_class.url_name])
            return redirect(complaint)
    log_access(request, complaint, AccessLog.Action.VIEW)
    return render_detail(request, complaint, bound=form)


def _manager_action(form_class, perform):
    """A POST-only view for the executive director (complaints.manage_complaints) — or, for a
    complaint against an executive director, the role the profile names (policy.may_manage)."""

    @login_required
    @permission_required("complaints.view_complaint", raise_exception=True)
    @require_POST
    def view(request, pk):
        complaint = visible_complaint(request, pk, log=False)
        if not policy.may_manage(request.user, complaint):
            raise PermissionDenied
        return _act(request, complaint, form_class, perform)

    view.__doc__ = perform.__doc__
    return view


def _decide_excuse(complaint, data, by, now, today):
    """CP-2: accept the excuse of a late filing (the clock starts) or refuse it (closed, told why)."""
    services.decide_excuse(complaint=complaint, by=by, accept=data["accept"], reason=data["reason"], now=now,
                           today=today, profile=PolicyProfile.objects.active())


def _assign(complaint, data, by, now, today):
    """CP-6: give the complaint to a member of staff to examine."""
    services.assign(complaint=complaint, by=by, to=data["to"])


def _name_staff(complaint, data, by, now, today):
    """CP-8: record the members of staff the complaint is about."""
    services.name_staff(complaint=complaint, by=by, staff=data["staff"])


def _rule(complaint, data, by, now, today):
    """CP-7: the ruling and its text."""
    services.rule(complaint=complaint, by=by, ruling=data["ruling"], text=data["text"], now=now, today=today)


def _notify(complaint, data, by, now, today):
    """CP-9: send the result by SMS and email."""
    services.notify_result(complaint=complaint, by=by, now=now)


def _close(complaint, data, by, now, today):
    """Close a complaint whose result the complainant was told."""
    services.close(complaint=complaint, by=by, now=now, reason=data["reason"])


def _refer(complaint, data, by, now, today):
    """CP-10: mark the complaint malicious and refer it to the investigation committee."""
    services.refer_malicious(complaint=complaint, by=by, reasons=data["reasons"], now=now)


decide_excuse = _manager_action(ExcuseDecisionForm, _decide_excuse)
assign = _manager_action(AssignForm, _assign)
name_staff = _manager_action(NameStaffForm, _name_staff)
rule = _manager_action(RuleForm, _rule)
notify = _manager_action(NotifyForm, _notify)
close = _manager_action(CloseForm, _close)
refer = _manager_action(ReferForm, _refer)


def _record_notice(complaint, data, by, now, today):
    services.record_notice(complaint=complaint, by=by, channel=data["channel"], success=data["success"],
                           note=data["note"], now=now)


@login_required
@require_POST
def record_notice(request, pk):
    """CP-9: log a phone call or a visit in person: the director or the assigned staff member."""
    complaint = visible_complaint(request, pk, log=False)
    if not policy.may_record_notice(request.user, complaint):  # before the form: a 403, not an error
        raise PermissionDenied
    return _act(request, complaint, NoticeForm, _record_notice)


def _record_outcome(complaint, data, by, now, today):
    referral = get_object_or_404(InvestigationReferral, complaint=complaint)
    services.record_investigation_outcome(referral=referral, by=by, outcome=data["outcome"], now=now)


@login_required
@permission_required("complaints.record_investigation", raise_exception=True)
@require_POST
def record_investigation(request, pk):
    """CP-10: the investigation committee records its outcome."""
    return _act(request, visible_complaint(request, pk, log=False), InvestigationOutcomeForm, _record_outcome)


urlpatterns = [
    path("", complaint_list, name="list"),
    path("<int:pk>/", complaint_detail, name="detail"),
    path("attachments/<int:pk>/", attachment_download, name="attachment"),
    path("paper/", paper_entry, name="paper"),
    path("paper/receipt/", paper_receipt, name="paper_receipt"),
    path("<int:pk>/excuse/", decide_excuse, name="decide_excuse"),
    path("<int:pk>/assign/", assign, name="assign"),
    path("<int:pk>/named-staff/", name_staff, name="name_staff"),
    path("<int:pk>/rule/", rule, name="rule"),
    path("<int:pk>/notify/", notify, name="notify"),
    path("<int:pk>/notices/", record_notice, name="record_notice"),
    path("<int:pk>/close/", close, name="close"),
    path("<int:pk>/refer/", refer, name="refer"),
    path("<int:pk>/investigation/", record_investigation, name="record_investigation"),
]
