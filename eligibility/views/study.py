"""Eligibility study pages: checklist, witnesses, field visits, needs assessment, decision.

EL-1…EL-9, IN-5, IN-7, RT-1, RT-4, RT-5, IN-9 and the deciding body (PR). Every page reaches
the file through `visible_file` or the visible-file scope (RT-6, RT-10: 404 for anyone else);
every change goes through eligibility/services.py, whose refusals are shown and change nothing.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from beneficiaries import services as file_services
from beneficiaries.models import BeneficiaryFile
from beneficiaries.policy import DocumentType, FileStatus, decision_is_overdue
from beneficiaries.views.common import now_and_today, visible_file
from charity import calendar
from charity.audit import log_access
from charity.models import AccessLog, PolicyProfile
from charity.paging import paginate

from .. import policy, services
from ..forms import study as forms
from ..models import Decision, FieldVisit, NeedsAssessment, VerificationItem
from ..policy import ITEM_DOCUMENT, SCORE_WEIGHTS, ItemKind, Service

VERIFY = "eligibility.verify_eligibility"
DECIDERS = ("eligibility.decide_application", "eligibility.vote_in_committee")
PER_PAGE = 50
PAST_VISITS = 30

ITEM_ATTACHED = _("The document is attached: the item awaits verification.")
ITEM_VERIFIED = _("The item is verified.")
ITEM_NOT_APPLICABLE = _("The item is marked as not applicable.")
WITNESS_ADDED = _("The witness was recorded.")
VISIT_SCHEDULED = _("The field visit is scheduled for %(date)s.")
VISIT_RECORDED = _("The visit report was saved.")
VISIT_RESCHEDULED = _("Nobody was home: the visit is moved to %(date)s.")
ASSESSED = _("The needs study was saved: score %(score)s out of 100.")
DECIDED = _("The decision was recorded (%(outcome)s) and the applicant was notified.")

SCORE_LABELS = {"income": _("Income per member against the threshold"), "dependants": _("Dependants"),
                "housing": _("Housing and its state"), "health": _("Health needs")}

# Which form field shows each service refusal (by the ValidationError's code).
WITNESS_ERRORS = {"witness_twice": "national_id"}
VISIT_ERRORS = {"visit_in_past": "on"}
NOBODY_HOME_ERRORS = {"visit_in_past": "new_date"}
REPORT_ERRORS = {"upload_empty": "photos", "upload_too_large": "photos", "upload_wrong_type": "photos"}
DECISION_ERRORS = {"reasons_required": "reasons", "outcome_against_votes": "outcome"}


def deciders_only(view):
    """403 unless the user may decide applications, for the association or in the committee."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not any(request.user.has_perm(perm) for perm in DECIDERS):
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return wrapped


def _data(request):
    return request.POST if request.method == "POST" else None


def _file(request, pk) -> BeneficiaryFile:
    """Fetch the file in the user's scope; a page shown (GET) is logged, a POST leaves its own record."""
    return visible_file(request, pk, action=AccessLog.Action.VIEW if request.method == "GET" else None)


def _visible(request):
    return BeneficiaryFile.objects.visible_to(request.user)


def _in_scope(request, queryset, pk):
    """An object of a file the user may see (404 otherwise); a page shown is logged on its file."""
    obj = get_object_or_404(queryset.select_related("file"), pk=pk, file__in=_visible(request))
    if request.method == "GET":
        log_access(request, obj.file)
    return obj


def _study_url(file_id, anchor="") -> str:
    url = reverse("eligibility:study", args=[file_id])
    return f"{url}#{anchor}" if anchor else url


def _run(request, form, action, success) -> None:
    """Call the service with the form's data; show its refusal (or the form's errors) as messages."""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


def score_rows(assessment: NeedsAssessment) -> list[dict]:
    """EL-9: each component of the score with its maximum on the approved form."""
    return [{"key": key, "label": SCORE_LABELS.get(key, key), "points": assessment.breakdown.get(key, 0),
             "maximum": maximum} for key, maximum in SCORE_WEIGHTS.items()]


def service_labels(assessment: NeedsAssessment) -> list[str]:
    """IN-7: the recommended services, by their names."""
    return [Service(code).label if code in Service.values else code for code in assessment.recommended_services]


def latest_visit(file) -> FieldVisit | None:
    return file.field_visits.filter(status=FieldVisit.Status.COMPLETED).order_by("-visited_at").first()


# --- The study page and its checklist (EL-1…EL-8, RT-1) -------------------------------------


def _documents_by_type(file) -> dict[str, list]:
    documents = {}
    for doc in (file_services.current_documents(file).filter(doc_type__in=set(ITEM_DOCUMENT.values()))
                .select_related("member").order_by("-uploaded_at")):
        documents.setdefault(doc.doc_type, []).append(doc)
    return documents


def _item_row(item, documents, can_verify) -> dict:
    row = {"item": item, "wanted": ITEM_DOCUMENT.get(item.kind)}
    if not (can_verify and item.is_open):
        return row
    if documents.get(row["wanted"]):
        row["attach"] = forms.AttachDocumentForm(
            documents=documents[row["wanted"]], initial={"document": item.document_id}, id_prefix=f"attach{item.pk}",
            action=reverse("eligibility:item_attach", args=[item.pk]))
    row["verify"] = forms.VerifyItemForm(action=reverse("eligibility:item_verify", args=[item.pk]),
                                         id_prefix=f"verify{item.pk}")
    row["not_applicable"] = forms.NotApplicableForm(
        action=reverse("eligibility:item_not_applicable", args=[item.pk]), id_prefix=f"na{item.pk}")
    return row


def _decision_context(file) -> dict:
    """The decision if there is one, else why the file cannot be decided yet (RT-1)."""
    decision = (Decision.objects.filter(file=file).select_related("decided_by").prefetch_related("votes__member")
                .first())
    return {"decision": decision, "problems": services.decision_problems(file) if decision is None else []}


@login_required
@permission_required("eligibility.view_verificationitem", raise_exception=True)
@require_GET
def study(request, pk):
    """RT-1: the desk and field research of an application, item by item, up to its decision."""
    file = visible_file(request, pk)
    under_study = file.status == FileStatus.UNDER_STUDY
    items = (services.ensure_checklist(file) if under_study else
             list(file.verification_items.select_related("member", "document", "verified_by").order_by("id")))
    can_verify = under_study and request.user.has_perm(VERIFY)
    documents = _documents_by_type(file) if can_verify else {}
    assessment = file.needs_assessments.select_related("assessed_by").order_by("-assessed_at").first()
    context = {
        "file": file, "rows": [_item_row(item, documents, can_verify) for item in items],
        "can_verify": can_verify, "can_decide": any(request.user.has_perm(p) for p in DECIDERS),
        "show_witnesses": (any(i.kind == ItemKind.WITNESSES for i in items)
                           or file.categories.filter(code="abandoned").exists()),
        "witnesses": file.witnesses.select_related("recorded_by"),
        "visits": file.field_visits.select_related("researcher", "rescheduled_to").prefetch_related("photos")
        .order_by("-scheduled_for", "-id"),
        "assessment": assessment, "score_rows": score_rows(assessment) if assessment else [],
        "services": service_labels(assessment) if assessment else [],
        **_decision_context(file),
    }
    return render(request, "eligibility/study/study.html", context)


@login_required
@permission_required(VERIFY, raise_exception=True)
@require_POST
def item_attach(request, pk):
    """Link one of the file's documents of the item's type: the item awaits verification."""
    item = _in_scope(request, VerificationItem.objects, pk)
    documents = file_services.current_documents(item.file).filter(doc_type=ITEM_DOCUMENT.get(item.kind, ""))
    form = forms.AttachDocumentForm(request.POST, documents=list(documents.select_related("member")))
    _run(request, form, lambda data: services.attach_document(item=item, document=data["document"]), ITEM_ATTACHED)
    return redirect(_study_url(item.file_id, f"item-{item.pk}"))


@login_required
@permission_required(VERIFY, raise_exception=True)
@require_POST
def item_verify(request, pk):
    """EL-1…EL-8: the researcher confirms the item; who and when are recorded."""
    item = _in_scope(request, VerificationItem.objects, pk)
    now = now_and_today()[0]
    _run(request, forms.VerifyItemForm(request.POST),
         lambda data: services.verify_item(item=item, by=request.user, now=now, note=data["note"]), ITEM_VERIFIED)
    return redirect(_study_url(item.file_id, f"item-{item.pk}"))


@login_required
@permission_required(VERIFY, raise_exception=True)
@require_POST
def item_not_applicable(request, pk):
    """The item does not apply to this household; the note says why."""
    item = _in_scope(request, VerificationItem.objects, pk)
    now = now_and_today()[0]
    _run(request, forms.NotApplicableForm(request.POST),
         lambda data: services.mark_not_applicable(item=item, by=request.user, now=now, note=data["note"]),
         ITEM_NOT_APPLICABLE)
    return redirect(_study_url(item.file_id, f"item-{item.pk}"))


# --- EL-3: witnesses ----------------------------------------------------------------------


@login_required
@permission_required(VERIFY, raise_exception=True)
def witness_add(request, pk):
    """EL-3: record a witness who knows an abandoned woman's situation."""
    file = _file(request, pk)
    international = PolicyProfile.objects.active().international_phones
    form = forms.WitnessForm(_data(request), international_phones=international)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_witness(file=file, by=request.user, now=now_and_today()[0], **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_error(form, exc, WITNESS_ERRORS)
        else:
            messages.success(request, WITNESS_ADDED)
            return redirect(_study_url(file.pk, "witnesses"))
    return render(request, "eligibility/study/witness_form.html", {
        "file": file, "form": form, "witnesses": file.witnesses.select_related("recorded_by")})


# --- EL-2: field visits -------------------------------------------------------------------


@login_required
@permission_required(VERIFY, raise_exception=True)
def visit_schedule(request, pk):
    """EL-2: schedule a visit to the applicant's home."""
    file = _file(request, pk)
    form = forms.ScheduleVisitForm(_data(request), initial={"researcher": file.researcher_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.schedule_visit(file=file, by=request.user, researcher=data["researcher"], on=data["on"],
                                            today=calendar.today())
        except ValidationError as exc:
            forms.add_service_error(form, exc, VISIT_ERRORS)
        else:
            messages.success(request, VISIT_SCHEDULED % {"date": calendar.format_dual(visit.scheduled_for)})
            return redirect(_study_url(file.pk, "visits"))
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
    visit = _in_scope(request, FieldVisit.objects.select_related("researcher", "rescheduled_to"), pk)
    form = forms.VisitReportForm(_data(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _record_visit(request, visit, form)
        except ValidationError as exc:
            forms.add_service_error(form, exc, REPORT_ERRORS)
        else:
            messages.success(request, VISIT_RECORDED)
            return redirect(_study_url(visit.file_id, "visits"))
    return render(request, "eligibility/study/visit_report.html", {
        "file": visit.file, "visit": visit, "form": form, "photos": visit.photos.all(),
        "show_form": visit.status == FieldVisit.Status.SCHEDULED or form.is_bound})


@login_required
@permission_required(VERIFY, raise_exception=True)
def visit_nobody_home(request, pk):
    """EL-2: nobody was home; the visit gets a new date."""
    visit = _in_scope(request, FieldVisit.objects.select_related("researcher"), pk)
    form = forms.NobodyHomeForm(_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new_visit = services.record_nobody_home(visit=visit, by=request.user, new_date=data["new_date"],
                                                    today=calendar.today(), note=data["note"])
        except ValidationError as exc:
            forms.add_service_error(form, exc, NOBODY_HOME_ERRORS)
        else:
            messages.success(request, VISIT_RESCHEDULED % {"date": calendar.format_dual(new_visit.scheduled_for)})
            return redirect(_study_url(visit.file_id, "visits"))
    return render(request, "eligibility/study/nobody_home.html", {"file": visit.file, "visit": visit, "form": form})


@login_required
@permission_required(VERIFY, raise_exception=True)
@require_GET
def my_visits(request):
    """EL-2: the researcher's visits: today and upcoming first, then the past ones."""
    today = calendar.today()
    visits = FieldVisit.objects.filter(researcher=request.user, file__in=_visible(request)).select_related("file")
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
    qs = (FieldVisit.objects.filter(file__in=_visible(request)).select_related("file", "researcher")
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


# --- EL-8, EL-9, IN-7: the needs study ----------------------------------------------------


@login_required
@permission_required(VERIFY, raise_exception=True)
def assess(request, pk):
    """EL-8, EL-9, IN-7: score the need from the file and the latest visit; recommend services."""
    file = _file(request, pk)
    now, today = now_and_today()
    profile = PolicyProfile.objects.active()
    visit = latest_visit(file)
    form = forms.AssessForm(_data(request), initial={
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
    })


@login_required
@permission_required("eligibility.view_needsassessment", raise_exception=True)
@require_GET
def assessment_detail(request, pk):
    """EL-8: the printable aid-request form (استمارة طلب إعانة)."""
    assessment = get_object_or_404(NeedsAssessment.objects.select_related("file", "assessed_by"), pk=pk,
                                   file__in=_visible(request))
    file = assessment.file
    log_access(request, file, AccessLog.Action.PRINT)
    return render(request, "eligibility/study/assessment_detail.html", {
        "assessment": assessment, "file": file, "score_rows": score_rows(assessment),
        "services": service_labels(assessment), "visit": latest_visit(file), "today": calendar.today(),
        "members": file.members.current().order_by("id"), "categories": file.categories.all(),
        "below_threshold": assessment.income_per_member < assessment.threshold,
    })


# --- The decision (PR, IN-5, RT-1, RT-4, RT-5, IN-9) ----------------------------------------


@login_required
@deciders_only
def decide(request, pk):
    """Record the deciding body's decision; the applicant is told, with the reasons of a rejection."""
    file = _file(request, pk)
    profile = PolicyProfile.objects.active()
    form = forms.DecisionForm(_data(request), profile=profile)
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
            return redirect(file)
    return render(request, "eligibility/study/decide.html", {
        "file": file, "form": form, "profile": profile, "deciding_body": profile.get_deciding_body_display(),
        **_decision_context(file),
    })


@login_required
@deciders_only
@require_GET
def awaiting_decision(request):
    """IN-5, RT-1: applications under study, due date first, each marked ready or not (one query)."""
    today = calendar.today()
    files = (services.with_readiness(_visible(request).filter(status=FileStatus.UNDER_STUDY))
             .select_related("researcher").order_by(F("decision_due_on").asc(nulls_last=True), "number"))
    page = paginate(request, files, PER_PAGE)
    for file in page:
        file.is_ready = policy.checklist_done(file.item_count, file.open_count)
        file.is_overdue = decision_is_overdue(file.status, file.decision_due_on, today)
    return render(request, "eligibility/study/awaiting_decision.html", {"page": page, "today": today})


urlpatterns = [
    path("files/<int:pk>/", study, name="study"),
    path("items/<int:pk>/attach/", item_attach, name="item_attach"),
    path("items/<int:pk>/verify/", item_verify, name="item_verify"),
    path("items/<int:pk>/not-applicable/", item_not_applicable, name="item_not_applicable"),
    path("files/<int:pk>/witnesses/new/", witness_add, name="witness_add"),
    path("files/<int:pk>/visits/new/", visit_schedule, name="visit_schedule"),
    path("visits/<int:pk>/report/", visit_report, name="visit_report"),
    path("visits/<int:pk>/nobody-home/", visit_nobody_home, name="visit_nobody_home"),
    path("visits/", my_visits, name="my_visits"),
    path("visits/all/", visits, name="visits"),
    path("files/<int:pk>/assessment/new/", assess, name="assess"),
    path("assessments/<int:pk>/", assessment_detail, name="assessment_detail"),
    path("files/<int:pk>/decide/", decide, name="decide"),
    path("decisions/pending/", awaiting_decision, name="awaiting_decision"),
]
