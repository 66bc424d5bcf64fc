"""Service controls (SC-1…SC-12) and certificates: exclude, freeze, lift, death; download and
verify certificates.

Every page reaches the file through visible_file (404 outside the user's scope, access log);
freezes and certificates through BeneficiaryFile.objects.visible_to. Each change goes through
eligibility/controls.py; a refusal is shown on the form and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from beneficiaries import services as file_services
from beneficiaries.models import BeneficiaryFile, UpdateRequest
from beneficiaries.policy import DocumentType, FileStatus, can_transition
from beneficiaries.views.common import active_profile, now_and_today, visible_file
from charity import calendar
from charity.audit import get_in_scope, log_access
from charity.models import AccessLog
from charity.paging import paginate
from charity.policy import Section

from .. import controls as services
from .. import errors, policy
from ..certificates import render_certificate
from ..forms import controls as forms
from ..models import Certificate, Exclusion, Freeze
from ..policy import DeathOutcome

VIEW_PERM = "eligibility.view_exclusion"
ACT_PERM = "eligibility.apply_service_controls"
PER_PAGE = 25
OPEN_FILE_STATUSES = (FileStatus.ACTIVE, FileStatus.FROZEN)

EXCLUDED = _("File %(number)s was excluded under %(rule)s. %(document)s no. %(serial)s was issued.")
FROZEN = _("File %(number)s was frozen under %(rule)s until %(until)s.")
LIFTED = _("The freeze on file %(number)s was lifted: the file is active again.")
REVIEWED_INCOMPLETE = _("The family of file %(number)s was told what is still missing; the freeze now ends on "
                        "%(until)s.")
DEATH_RECORDED = {
    DeathOutcome.TO_WIFE: _("The death was recorded. File %(number)s moved to the name of %(name)s."),
    DeathOutcome.TO_CHILD: _("The death was recorded. File %(number)s moved to the name of %(name)s."),
    DeathOutcome.TO_DEPENDANT: _("The death was recorded. File %(number)s moved to the name of %(name)s."),
    DeathOutcome.CLOSED: _("The death was recorded. File %(number)s was closed: no dependants."),
}
NO_CURRENT_HEAD = _("This file has no current head of household.")
ACTION_CLOSED = _("This action is not possible on a file in the status «%(status)s».")


def _log_on_get(request):
    """Log a page view; a POST is recorded by the service's own history row."""
    return AccessLog.Action.VIEW if request.method == "GET" else None


def _bound(request, files: bool = False):
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _missing_documents(freeze) -> list[str]:
    """SC-6: the documents of the freeze's update request not renewed yet."""
    update_request = getattr(freeze, "update_request", None)
    if update_request is None or update_request.status == UpdateRequest.Status.COMPLETED:
        return []
    return [str(DocumentType(d).label) for d in file_services.update_documents_missing(update_request)]


def _actions(user, file, open_freeze) -> dict:
    if not user.has_perm(ACT_PERM):
        return {}
    adopted = active_profile().adopts(Section.SERVICE_CONTROLS)  # else nothing punitive is offered
    return {
        "exclude": adopted and can_transition(file.status, FileStatus.EXCLUDED),
        "freeze": adopted and open_freeze is None and can_transition(file.status, FileStatus.FROZEN),
        "lift": open_freeze,
        "review": open_freeze if open_freeze is not None and open_freeze.awaiting_review else None,
        "death": file.status in OPEN_FILE_STATUSES,
    }


def _refuse_closed(request, file, target: str) -> object | None:
    """Redirect to the controls page when `file` can no longer move to `target`."""
    if can_transition(file.status, target):
        return None
    messages.error(request, ACTION_CLOSED % {"status": file.get_status_display()})
    return redirect("eligibility:controls", pk=file.pk)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@require_GET
def controls(request, pk):
    """The file's service controls: status, freezes, the exclusion, deaths, actions and the SC table."""
    file = visible_file(request, pk, queryset=BeneficiaryFile.objects.select_related("researcher"))
    open_freeze = (file.freezes.filter(outcome=Freeze.Outcome.OPEN)
                   .select_related("created_by", "update_request__update").first())
    exclusion = (Exclusion.objects.filter(file=file)
                 .select_related("decided_by", "proof_document", "certificate", "freeze").first())
    return render(request, "eligibility/controls/controls.html", {
        "file": file, "open_freeze": open_freeze, "freeze_missing": _missing_documents(open_freeze),
        "freeze_control": policy.control(open_freeze.rule) if open_freeze else None,
        "days_left": calendar.days_between(calendar.today(), open_freeze.ends_on) if open_freeze else None,
        "past_freezes": file.freezes.exclude(outcome=Freeze.Outcome.OPEN).select_related("ended_by", "created_by"),
        "exclusion": exclusion, "exclusion_control": policy.control(exclusion.rule) if exclusion else None,
        "deaths": file.deaths.select_related("deceased", "new_head", "recorded_by", "proof_document"),
        "actions": _actions(request.user, file, open_freeze), "service_controls": policy.SERVICE_CONTROLS.values(),
    })


def _exclude(request, file, form) -> Exclusion | None:
    """Store the uploaded proof and exclude, all or nothing; show a refusal on the form."""
    data, (now, today), uploaded = form.cleaned_data, now_and_today(), None
    try:
        with transaction.atomic():
            if data["proof_upload"]:
                uploaded = file_services.upload_document(file=file, by=request.user, uploaded=data["proof_upload"],
                                                         doc_type=policy.proof_upload_type(data["rule"]),
                                                         today=today)
            return services.exclude_file(
                file=file, rule=data["rule"], by=request.user, today=today, now=now, profile=active_profile(),
                proof_document=uploaded or data["proof_document"], proof_note=data["proof_note"],
                referred_to=data["referred_to"])
    except ValidationError as exc:
        if uploaded is not None:
            uploaded.stored.delete(save=False)  # the row was rolled back: leave no orphan file
        forms.add_service_error(form, exc, forms.EXCLUDE_ERROR_FIELDS)
        return None


@login_required
@permission_required(ACT_PERM, raise_exception=True)
def exclude(request, pk):
    """SC-2…SC-11: exclude the file by decision on proof, after an explicit confirmation."""
    file = visible_file(request, pk, action=_log_on_get(request))
    if refused := _refuse_closed(request, file, FileStatus.EXCLUDED):
        return refused
    documents = file_services.current_documents(file).order_by("-uploaded_at")
    form = forms.ExcludeForm(*_bound(request, files=True), file=file, documents=documents)
    if request.method == "POST" and form.is_valid():
        exclusion = _exclude(request, file, form)
        if exclusion is not None:
            certificate = exclusion.certificate
            messages.success(request, EXCLUDED % {"number": file.number, "rule": exclusion.rule,
                                                  "document": certificate.get_kind_display(),
                                                  "serial": certificate.serial})
            return redirect("eligibility:controls", pk=file.pk)
    controls_table = [policy.control(rule) for rule in policy.EXCLUSION_RULES]
    return render(request, "eligibility/controls/exclude.html",
                  {"file": file, "form": form, "controls_table": controls_table})


def _pending_update(file):
    """SC-6: the file's update request still awaiting documents, if any."""
    return (file.update_requests.exclude(status=UpdateRequest.Status.COMPLETED).select_related("update")
            .order_by("-due_on").first())


@login_required
@permission_required(ACT_PERM, raise_exception=True)
def freeze(request, pk):
    """SC-12 (and SC-6, normally applied by the daily sweep): freeze the file for the profile's period."""
    file = visible_file(request, pk, action=_log_on_get(request))
    if refused := _refuse_closed(request, file, FileStatus.FROZEN):
        return refused
    profile = active_profile()
    pending = _pending_update(file)
    form = forms.FreezeForm(*_bound(request), profile=profile)
    if request.method == "POST" and form.is_valid():
        rule, (now, today) = form.cleaned_data["rule"], now_and_today()
        try:
            frozen = services.freeze_file(file=file, rule=rule, by=request.user, today=today, now=now,
                                          profile=profile, reason=form.cleaned_data["reason"].strip(),
                                          update_request=pending if rule == "SC-6" else None)
        except ValidationError as exc:
            forms.add_service_error(form, exc, {})
        else:
            messages.success(request, FROZEN % {"number": file.number, "rule": rule,
                                                "until": calendar.format_dual(frozen.ends_on)})
            return redirect("eligibility:controls", pk=file.pk)
    return render(request, "eligibility/controls/freeze.html", {"file": file, "form": form, "pending": pending})


def _lift(request, freeze, file, form) -> Freeze:
    """Apply the updated contact details (DU-4), then lift; all or nothing."""
    now, today = now_and_today()
    version = form.cleaned_data["version"]
    with transaction.atomic():
        for kind, changes in form.contact_changes():
            file_services.record_change(file=file, by=request.user, kind=kind, reported_on=today,
                                        description=form.change_description(changes), today=today,
                                        changes=changes, expected_version=version)
            version = BeneficiaryFile.objects.values_list("version", flat=True).get(pk=file.pk)
        return services.lift_freeze(freeze=freeze, by=request.user, now=now, note=form.cleaned_data["note"].strip())


@login_required
@permission_required(ACT_PERM, raise_exception=True)
def lift_freeze(request, pk):
    """The beneficiary answered in time: lift the freeze (SC-12 with new contacts, SC-6 with renewed documents)."""
    freeze = get_in_scope(request, Freeze.objects.select_related("update_request__update").filter(
        file__in=BeneficiaryFile.objects.visible_to(request.user)), pk)
    file = visible_file(request, freeze.file_id, action=_log_on_get(request))
    if freeze.outcome != Freeze.Outcome.OPEN:
        messages.error(request, errors.NOT_FROZEN)
        return redirect("eligibility:controls", pk=file.pk)
    profile = active_profile()
    form = forms.LiftFreezeForm(*_bound(request), file=file, rule=freeze.rule,
                                international_phones=profile.international_phones)
    if request.method == "POST" and form.is_valid():
        try:
            _lift(request, freeze, file, form)
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            messages.success(request, LIFTED % {"number": file.number})
            return redirect("eligibility:controls", pk=file.pk)
    return render(request, "eligibility/controls/lift.html", {
        "file": file, "freeze": freeze, "form": form, "missing": _missing_documents(freeze),
        "control": policy.control(freeze.rule),
    })


@login_required
@permission_required(ACT_PERM, raise_exception=True)
def review_response(request, pk):
    """SC-6: review documents handed in during the freeze that did not complete what was required."""
    freeze = get_in_scope(request, Freeze.objects.select_related("update_request__update").filter(
        file__in=BeneficiaryFile.objects.visible_to(request.user)), pk)
    file = visible_file(request, freeze.file_id, action=_log_on_get(request))
    form = forms.ReviewResponseForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        now, today = now_and_today()
        accept = form.cleaned_data["outcome"] == form.ACCEPT
        try:
            reviewed = services.review_freeze_response(freeze=freeze, by=request.user, now=now, today=today,
                                                       accept=accept, reasons=form.cleaned_data["reasons"])
        except ValidationError as exc:
            forms.add_service_error(form, exc, {"reasons_required": "reasons"})
        else:
            done = LIFTED % {"number": file.number} if accept else REVIEWED_INCOMPLETE % {
                "number": file.number, "until": calendar.format_dual(reviewed.ends_on)}
            messages.success(request, done)
            return redirect("eligibility:controls", pk=file.pk)
    return render(request, "eligibility/controls/review.html", {
        "file": file, "freeze": freeze, "form": form, "missing": _missing_documents(freeze),
        "received": _received_since(freeze), "min_days": policy.REVIEW_MIN_DAYS})


def _received_since(freeze: Freeze):
    """The family's documents handed in since the freeze started: what the reviewer judges."""
    return (freeze.file.documents.filter(uploaded_at__date__gte=freeze.started_on)
            .exclude(doc_type__in=policy.NOT_A_RESPONSE).order_by("-uploaded_at"))


def _record_death(request, file, head, form):
    data, now, uploaded = form.cleaned_data, now_and_today()[0], None
    try:
        with transaction.atomic():
            if data["certificate"]:
                uploaded = file_services.upload_document(
                    file=file, by=request.user, uploaded=data["certificate"], member=head,
                    doc_type=DocumentType.DEATH_CERTIFICATE, today=calendar.today())
            return services.record_death(
                file=file, deceased=head, died_on=data["died_on"], by=request.user, now=now,
                new_head=data.get("new_head"), proof_document=uploaded,
                **{name: data.get(name, "") for name in ("guardian_name", "guardian_relationship",
                                                         "guardian_id_number")})
    except ValidationError as exc:
        if uploaded is not None:
            uploaded.stored.delete(save=False)
        forms.add_service_error(form, exc, forms.DEATH_ERROR_FIELDS)
        return None


@login_required
@permission_required(ACT_PERM, raise_exception=True)
def record_death(request, pk):
    """SC-7: the head died; the file moves to the wife or a chosen child, or closes."""
    file = visible_file(request, pk, action=_log_on_get(request))
    if refused := _refuse_closed(request, file, FileStatus.CLOSED):
        return refused
    household = services.death_household(file, calendar.today())
    if household.head is None:
        messages.error(request, NO_CURRENT_HEAD)
        return redirect("eligibility:controls", pk=file.pk)
    outcome, candidates = household.outcome, household.candidates
    form = forms.DeathForm(*_bound(request, files=True), candidates=file.members.filter(
        pk__in=[m.pk for m in candidates]).order_by("birth_date", "pk"),
        choose=outcome in (DeathOutcome.TO_CHILD, DeathOutcome.TO_DEPENDANT),
        minors=any(household.is_minor(m) for m in candidates))
    if request.method == "POST" and form.is_valid():
        record = _record_death(request, file, household.head, form)
        if record is not None:
            name = record.new_head.full_name if record.new_head else ""
            messages.success(request, DEATH_RECORDED[record.outcome] % {"number": file.number, "name": name})
            return redirect("eligibility:controls", pk=file.pk)
    refer = outcome == policy.DEATH_REFER
    context = {"file": file, "form": form, "head": household.head, "dependants": household.dependants,
               "wives": household.wives, "outcome": outcome, "refer": refer,
               "outcome_label": errors.DEATH_REFER_TO_MANAGER if refer else DeathOutcome(outcome).label}
    return render(request, "eligibility/controls/death.html", context)


def _page(request, queryset):
    return paginate(request, queryset, PER_PAGE)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@require_GET
def freezes(request):
    """SC-6, SC-12: the open freezes the user may see, ending soonest first, with the days left;
    those answered with documents that await review are marked (and never excluded)."""
    today = calendar.today()
    form = forms.FreezeFilterForm(request.GET)
    qs = (Freeze.objects.filter(outcome=Freeze.Outcome.OPEN, file__in=BeneficiaryFile.objects.visible_to(request.user))
          .select_related("file", "file__researcher").order_by("ends_on", "pk"))
    if form.is_valid() and form.cleaned_data["soon"]:
        qs = qs.ending_soon(today)
    if form.is_valid() and form.cleaned_data["awaiting"]:
        qs = qs.awaiting_review()
    page = _page(request, qs)
    rows = [{"freeze": f, "days_left": calendar.days_between(today, f.ends_on)} for f in page]
    return render(request, "eligibility/controls/freezes.html", {"form": form, "page": page, "rows": rows})


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@require_GET
def exclusions(request):
    """The exclusions the user may see, newest first, filtered by rule and month."""
    form = forms.ExclusionFilterForm(request.GET)
    qs = (Exclusion.objects.filter(file__in=BeneficiaryFile.objects.visible_to(request.user))
          .select_related("file", "decided_by", "certificate").order_by("-decided_at", "-pk"))
    if form.is_valid():
        if form.cleaned_data["rule"]:
            qs = qs.filter(rule=form.cleaned_data["rule"])
        if month := form.cleaned_data["month"]:
            qs = qs.filter(decided_on__year=month.year, decided_on__month=month.month)
    page = _page(request, qs)
    rows = [{"exclusion": e, "situation": policy.control(e.rule).situation} for e in page]
    return render(request, "eligibility/controls/exclusions.html", {"form": form, "page": page, "rows": rows})


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@require_GET
def certificate_download(request, pk):
    """The certificate or decision PDF, rendered once and stored (the same bytes every time); logged."""
    certificate = get_in_scope(request, Certificate.objects.select_related("exclusion__file").filter(
        exclusion__file__in=BeneficiaryFile.objects.visible_to(request.user)), pk)
    data = render_certificate(certificate)
    log_access(request, certificate, AccessLog.Action.DOWNLOAD)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{certificate.serial}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("files/<int:pk>/controls/", controls, name="controls"),
    path("files/<int:pk>/exclude/", exclude, name="exclude"),
    path("files/<int:pk>/freeze/", freeze, name="freeze"),
    path("freezes/<int:pk>/lift/", lift_freeze, name="lift_freeze"),
    path("freezes/<int:pk>/review/", review_response, name="review_response"),
    path("files/<int:pk>/death/", record_death, name="record_death"),
    path("freezes/", freezes, name="freezes"),
    path("exclusions/", exclusions, name="exclusions"),
    path("certificates/<int:pk>/download/", certificate_download, name="certificate_download"),
]
