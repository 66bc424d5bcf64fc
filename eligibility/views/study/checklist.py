"""The study page and its checklist (EL-1…EL-8, RT-1), and the witnesses of EL-3."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from beneficiaries import services as file_services
from beneficiaries.policy import FileStatus
from beneficiaries.views.common import now_and_today, visible_file
from charity.models import PolicyProfile

from ... import services
from ...forms import study as forms
from ...models import VerificationItem
from ...policy import ITEM_DOCUMENT, ItemKind
from .common import (
    DECIDERS,
    VERIFY,
    decision_context,
    form_data,
    in_scope,
    scoped_file,
    score_rows,
    service_labels,
    study_url,
)

ITEM_ATTACHED = _("The document is attached: the item awaits verification.")
ITEM_VERIFIED = _("The item is verified.")
ITEM_NOT_APPLICABLE = _("The item is marked as not applicable.")
WITNESS_ADDED = _("The witness was recorded.")

# Which form field shows each service refusal (by the ValidationError's code).
WITNESS_ERRORS = {"witness_twice": "national_id"}


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
        **decision_context(file),
    }
    return render(request, "eligibility/study/study.html", context)


@login_required
@permission_required(VERIFY, raise_exception=True)
@require_POST
def item_attach(request, pk):
    """Link one of the file's documents of the item's type: the item awaits verification."""
    item = in_scope(request, VerificationItem.objects, pk)
    documents = file_services.current_documents(item.file).filter(doc_type=ITEM_DOCUMENT.get(item.kind, ""))
    form = forms.AttachDocumentForm(request.POST, documents=list(documents.select_related("member")))
    _run(request, form, lambda data: services.attach_document(item=item, document=data["document"]), ITEM_ATTACHED)
    return redirect(study_url(item.file_id, f"item-{item.pk}"))


@login_required
@permission_required(VERIFY, raise_exception=True)
@require_POST
def item_verify(request, pk):
    """EL-1…EL-8: the researcher confirms the item; who and when are recorded."""
    item = in_scope(request, VerificationItem.objects, pk)
    now = now_and_today()[0]
    _run(request, forms.VerifyItemForm(request.POST),
         lambda data: services.verify_item(item=item, by=request.user, now=now, note=data["note"]), ITEM_VERIFIED)
    return redirect(study_url(item.file_id, f"item-{item.pk}"))


@login_required
@permission_required(VERIFY, raise_exception=True)
@require_POST
def item_not_applicable(request, pk):
    """The item does not apply to this household; the note says why."""
    item = in_scope(request, VerificationItem.objects, pk)
    now = now_and_today()[0]
    _run(request, forms.NotApplicableForm(request.POST),
         lambda data: services.mark_not_applicable(item=item, by=request.user, now=now, note=data["note"]),
         ITEM_NOT_APPLICABLE)
    return redirect(study_url(item.file_id, f"item-{item.pk}"))


@login_required
@permission_required(VERIFY, raise_exception=True)
def witness_add(request, pk):
    """EL-3: record a witness who knows an abandoned woman's situation."""
    file = scoped_file(request, pk)
    international = PolicyProfile.objects.active().international_phones
    form = forms.WitnessForm(form_data(request), international_phones=international)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_witness(file=file, by=request.user, now=now_and_today()[0], **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_error(form, exc, WITNESS_ERRORS)
        else:
            messages.success(request, WITNESS_ADDED)
            return redirect(study_url(file.pk, "witnesses"))
    return render(request, "eligibility/study/witness_form.html", {
        "file": file, "form": form, "witnesses": file.witnesses.select_related("recorded_by")})
