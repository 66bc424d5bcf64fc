"""Aid pages of TK-1 and the file (DU-7): the file's aid, proposing, approving, paying and
cancelling it, and the list of disbursements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from beneficiaries.models import BeneficiaryFile
from beneficiaries.views.common import now_and_today, visible_file
from beneficiaries.views.files import mask_iban
from charity.audit import get_in_scope, log_access
from charity.models import AccessLog
from charity.paging import paginate

from .. import forms, services
from ..models import Disbursement
from .common import APPROVE, PAY, PER_PAGE, PROPOSE, VIEW, bound, call_service, done, file_url, form_page, next_url

PROPOSED = _("The aid was proposed; it now awaits the approver.")
APPROVED = _("The aid was approved.")
PAID = _("The aid was recorded as paid / handed over.")
CANCELLED = _("The aid was cancelled.")
REFUSED = _("The family's written refusal was recorded; the aid was cancelled and may go to another beneficiary.")
REFUSAL_ERRORS = {"refusal_not_in_writing": "written_refusal", "upload_empty": "signed_refusal",
                  "upload_too_large": "signed_refusal", "upload_wrong_type": "signed_refusal"}

# Which form field shows each refusal of a proposal (by the ValidationError's code).
PROPOSE_ERRORS = {"amount_required": "amount", "fund_required": "fund", "fund_inactive": "fund",
                  "purpose_not_of_fund": "purpose"}


def _disbursement(request, pk) -> Disbursement:
    return get_in_scope(request, Disbursement.objects.select_related("file", "fund", "proposed_by").filter(
        file__in=BeneficiaryFile.objects.visible_to(request.user)), pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def file_aid(request, pk):
    """TK-1, DU-7: the file's aid and cards, with the actions the user may take."""
    file = visible_file(request, pk, queryset=BeneficiaryFile.objects.select_related("researcher"))
    disbursements = (file.disbursements.select_related("fund", "proposed_by", "approved_by", "paid_by", "campaign",
                                                       "refusal__recorded_by", "refusal__signed_refusal")
                     .prefetch_related("items__donation"))
    return render(request, "aid/file.html", {
        "file": file, "disbursements": disbursements, "cards": file.cards.select_related("issued_by"),
        "iban_masked": mask_iban(file.iban), "household_size": file.members.current().count(),
        "paid_total": sum(d.amount for d in disbursements if d.status == Disbursement.Status.PAID),
    })


@login_required
@permission_required(PROPOSE, raise_exception=True)
def propose(request, pk):
    """TK-1: propose cash or in-kind aid for an active file."""
    file = visible_file(request, pk, action=AccessLog.Action.VIEW if request.method == "GET" else None)
    form = bound(request, forms.ProposeForm)
    items = forms.ItemFormSet(request.POST if request.method == "POST" else None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        data = form.cleaned_data
        now = now_and_today()[0]
        if call_service(form, PROPOSE_ERRORS, services.propose_disbursement, file=file, by=request.user, now=now,
                        kind=data["kind"], purpose=data["purpose"], fund=data["fund"], amount=data["amount"],
                        items=forms.chosen_items(items), note=data["note"]):
            messages.success(request, PROPOSED)
            return redirect(file_url(file))
    return render(request, "aid/propose.html", {"file": file, "form": form, "items": items,
                                                "iban_masked": mask_iban(file.iban)})


@login_required
@permission_required(VIEW, raise_exception=True)
def disbursements(request):
    """TK-1: the aid of the files the user may see, filtered by status, fund, purpose and month."""
    qs = Disbursement.objects.filter(file__in=BeneficiaryFile.objects.visible_to(request.user)).select_related(
        "file", "fund", "proposed_by", "campaign")
    filters = forms.DisbursementFilterForm(request.GET or None)
    page = paginate(request, filters.filter(qs), PER_PAGE)
    return render(request, "aid/disbursement_list.html", {"filters": filters, "page": page})


@require_POST
@login_required
@permission_required(APPROVE, raise_exception=True)
def approve(request, pk):
    """TK-1, TK-3, TK-4: the approver approves (never their own proposal)."""
    disbursement = _disbursement(request, pk)
    try:
        services.approve_disbursement(disbursement=disbursement, by=request.user, now=now_and_today()[0])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, APPROVED)
    return redirect(next_url(request, reverse("aid:aid_disbursements")))


@login_required
@permission_required(PAY, raise_exception=True)
def pay(request, pk):
    """TK-1: record the transfer (with its reference) or the hand-over of the goods."""
    disbursement = _disbursement(request, pk)
    form = bound(request, forms.PayForm, cash=disbursement.kind == Disbursement.Kind.CASH)
    now, today = now_and_today()
    if done(request, form, PAID, lambda data: services.pay_disbursement(
            disbursement=disbursement, by=request.user, today=today, now=now,
            transfer_reference=data.get("transfer_reference", ""))):
        return redirect(next_url(request, file_url(disbursement.file)))
    if request.method == "GET":
        log_access(request, disbursement.file)
    return form_page(request, form, _("Pay the aid"), file_url(disbursement.file), disbursement=disbursement,
                     iban_masked=mask_iban(disbursement.file.iban))


@login_required
@permission_required(APPROVE, raise_exception=True)
def cancel(request, pk):
    """TK-1: cancel proposed or approved aid with a reason."""
    disbursement = _disbursement(request, pk)
    form = bound(request, forms.ReasonForm, submit_label=_("Cancel the aid"))
    if done(request, form, CANCELLED, lambda data: services.cancel_disbursement(
            disbursement=disbursement, by=request.user, reason=data["reason"], now=now_and_today()[0])):
        return redirect(next_url(request, file_url(disbursement.file)))
    return form_page(request, form, _("Cancel the aid"), file_url(disbursement.file), disbursement=disbursement)

@login_required
@permission_required(PROPOSE, raise_exception=True)
def refuse(request, pk):
    """DU-11: record the family's written refusal of proposed or approved aid; the aid is
    cancelled and may go to another beneficiary."""
    disbursement = _disbursement(request, pk)
    form = forms.RefusalForm(request.POST or None, request.FILES or None)
    now, today = now_and_today()
    if done(request, form, REFUSED, lambda data: services.record_service_refusal(
            disbursement=disbursement, by=request.user, today=today, now=now,
            written_refusal=data["written_refusal"], signed_refusal=data["signed_refusal"]), REFUSAL_ERRORS):
        return redirect(file_url(disbursement.file))
    if request.method == "GET":
        log_access(request, disbursement.file)
    return form_page(request, form, _("The family refuses the aid"), file_url(disbursement.file),
                     disbursement=disbursement)


urlpatterns = [
    path("aid/files/<int:pk>/", file_aid, name="aid_file"),
    path("aid/files/<int:pk>/propose/", propose, name="aid_propose"),
    path("aid/disbursements/", disbursements, name="aid_disbursements"),
    path("aid/disbursements/<int:pk>/approve/", approve, name="aid_approve"),
    path("aid/disbursements/<int:pk>/pay/", pay, name="aid_pay"),
    path("aid/disbursements/<int:pk>/cancel/", cancel, name="aid_cancel"),
    path("aid/disbursements/<int:pk>/refuse/", refuse, name="aid_refuse"),
]
