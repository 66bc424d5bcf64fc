"""Aid pages under /files/aid/: the file's aid (TK-1, DU-7), disbursements and their approval,
funds and donations (TK-3), goods and the safety check (TK-4), campaigns (TK-5),
recommendations (TK-2) and the equality report (TK-8).

Thin views: bind a form, call a service (services.py), redirect with a message. Everything
about a file goes through BeneficiaryFile.objects.visible_to (404 for anyone else)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from charity.audit import client_ip, log_access
from charity.forms import add_service_error
from charity.models import AccessLog
from charity.paging import paginate

from ..models import (
    AidPurpose,
    BeneficiaryFile,
    Campaign,
    Disbursement,
    ElectronicCard,
    Fund,
    InKindDonation,
    Recommendation,
)
from ..views.common import now_and_today, visible_file
from ..views.files import mask_iban
from . import forms, reports, services

VIEW, PROPOSE, APPROVE, PAY = ("beneficiaries.view_disbursement", "beneficiaries.add_disbursement",
                               "beneficiaries.approve_aid", "beneficiaries.change_disbursement")
MANAGE = "beneficiaries.manage_aid"
CARD_ISSUE, CARD_CHANGE = "beneficiaries.add_electroniccard", "beneficiaries.change_electroniccard"
PER_PAGE = 50

PROPOSED = _("The aid was proposed; it now awaits the approver.")
APPROVED = _("The aid was approved.")
PAID = _("The aid was recorded as paid / handed over.")
CANCELLED = _("The aid was cancelled.")
SAVED = _("Saved.")
CHECKED = _("The safety check was recorded.")
CAMPAIGN_RUN = _("%(proposed)s aid proposals were made; %(no_iban)s files were skipped because they have no IBAN.")
CARD_DONE = _("The card was updated.")

# Which form field shows each service refusal (by the ValidationError's code).
PROPOSE_ERRORS = {"amount_required": "amount", "fund_required": "fund", "fund_inactive": "fund",
                  "purpose_not_of_fund": "purpose"}
FIELD_ERRORS = {"transfer_reference_required": "transfer_reference", "reason_required": "reason",
                "purposes_required": "purposes", "date_in_future": "received_on", "quantity_required": "quantity",
                "notes_required": "notes", "expired_goods": "result", "file_required": "file_number",
                "card_number_required": "number", "card_number_taken": "number", "criteria_required": "categories"}


def _bound(request, form_class, **kwargs):
    return form_class(request.POST if request.method == "POST" else None, **kwargs)


def _call(form, fields, service, **kwargs):
    """Call the service; on refusal show its message on the form and return None."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        add_service_error(form, exc, fields)
        return None


def _done(request, form, message, action, fields=FIELD_ERRORS):
    """On a valid POST run `action(cleaned_data)` (a service call) and flash `message`; return its
    result, or None when there is nothing to do or the service refused (shown on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    result = _call(form, fields, action, data=form.cleaned_data)
    if result:
        messages.success(request, message)
    return result


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _form_page(request, form, title, back, **context):
    return render(request, "beneficiaries/aid/form.html", {"form": form, "title": title, "back": back, **context})


def _disbursement(request, pk) -> Disbursement:
    return get_object_or_404(Disbursement.objects.select_related("file", "fund", "proposed_by"), pk=pk,
                             file__in=BeneficiaryFile.objects.visible_to(request.user))


def _card(request, pk) -> ElectronicCard:
    return get_object_or_404(ElectronicCard.objects.select_related("file"), pk=pk,
                             file__in=BeneficiaryFile.objects.visible_to(request.user))


def _file_url(file) -> str:
    return reverse("beneficiaries:aid_file", args=[file.pk])


# --- The file's aid (TK-1, DU-7) ------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
def file_aid(request, pk):
    """TK-1, DU-7: the file's aid and cards, with the actions the user may take."""
    file = visible_file(request, pk, queryset=BeneficiaryFile.objects.select_related("researcher"))
    disbursements = (file.disbursements.select_related("fund", "proposed_by", "approved_by", "paid_by", "campaign")
                     .prefetch_related("items__donation"))
    return render(request, "beneficiaries/aid/file.html", {
        "file": file, "disbursements": disbursements, "cards": file.cards.select_related("issued_by"),
        "iban_masked": mask_iban(file.iban), "household_size": file.members.current().count(),
        "paid_total": sum(d.amount for d in disbursements if d.status == Disbursement.Status.PAID),
    })


@login_required
@permission_required(PROPOSE, raise_exception=True)
def propose(request, pk):
    """TK-1: propose cash or in-kind aid for an active file."""
    file = visible_file(request, pk, action=AccessLog.Action.VIEW if request.method == "GET" else None)
    form = _bound(request, forms.ProposeForm)
    items = forms.ItemFormSet(request.POST if request.method == "POST" else None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        data = form.cleaned_data
        now = now_and_today()[0]
        if _call(form, PROPOSE_ERRORS, services.propose_disbursement, file=file, by=request.user, now=now,
                 kind=data["kind"], purpose=data["purpose"], fund=data["fund"], amount=data["amount"],
                 items=forms.chosen_items(items), note=data["note"]):
            messages.success(request, PROPOSED)
            return redirect(_file_url(file))
    return render(request, "beneficiaries/aid/propose.html", {"file": file, "form": form, "items": items,
                                                              "iban_masked": mask_iban(file.iban)})


@login_required
@permission_required(VIEW, raise_exception=True)
def disbursements(request):
    """TK-1: the aid of the files the user may see, filtered by status, fund, purpose and month."""
    qs = Disbursement.objects.filter(file__in=BeneficiaryFile.objects.visible_to(request.user)).select_related(
        "file", "fund", "proposed_by", "campaign")
    filters = forms.DisbursementFilterForm(request.GET or None)
    page = paginate(request, filters.filter(qs), PER_PAGE)
    return render(request, "beneficiaries/aid/disbursement_list.html", {"filters": filters, "page": page})


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
    return redirect(_next(request, reverse("beneficiaries:aid_disbursements")))


@login_required
@permission_required(PAY, raise_exception=True)
def pay(request, pk):
    """TK-1: record the transfer (with its reference) or the hand-over of the goods."""
    disbursement = _disbursement(request, pk)
    form = _bound(request, forms.PayForm, cash=disbursement.kind == Disbursement.Kind.CASH)
    now, today = now_and_today()
    if _done(request, form, PAID, lambda data: services.pay_disbursement(
            disbursement=disbursement, by=request.user, today=today, now=now,
            transfer_reference=data.get("transfer_reference", ""))):
        return redirect(_next(request, _file_url(disbursement.file)))
    if request.method == "GET":
        log_access(request, disbursement.file)
    return _form_page(request, form, _("Pay the aid"), _file_url(disbursement.file), disbursement=disbursement,
                      iban_masked=mask_iban(disbursement.file.iban))


@login_required
@permission_required(APPROVE, raise_exception=True)
def cancel(request, pk):
    """TK-1: cancel proposed or approved aid with a reason."""
    disbursement = _disbursement(request, pk)
    form = _bound(request, forms.ReasonForm, submit_label=_("Cancel the aid"))
    if _done(request, form, CANCELLED, lambda data: services.cancel_disbursement(
            disbursement=disbursement, by=request.user, reason=data["reason"], now=now_and_today()[0])):
        return redirect(_next(request, _file_url(disbursement.file)))
    return _form_page(request, form, _("Cancel the aid"), _file_url(disbursement.file), disbursement=disbursement)


# --- Funds and donations (TK-3, TK-4) --------------------------------------------------------------


def _purpose_labels(fund) -> list[str]:
    return [AidPurpose(p).label for p in fund.purposes if p in AidPurpose.values]


@login_required
@permission_required("beneficiaries.view_fund", raise_exception=True)
def funds(request):
    """TK-3: every fund with its purposes, donations, committed aid and balance."""
    funds = list(reports.funds_with_balance())
    for fund in funds:
        fund.purpose_labels = _purpose_labels(fund)
    return render(request, "beneficiaries/aid/fund_list.html", {"funds": funds})


@login_required
@permission_required("beneficiaries.view_fund", raise_exception=True)
def fund_detail(request, pk):
    """TK-3: a fund's donations and balance."""
    fund = get_object_or_404(reports.funds_with_balance(), pk=pk)
    return render(request, "beneficiaries/aid/fund_detail.html", {
        "fund": fund, "purposes": _purpose_labels(fund),
        "donations": fund.donations.select_related("recorded_by")[:200]})


@login_required
@permission_required(MANAGE, raise_exception=True)
def fund_new(request):
    """TK-3: open a fund for designated purposes."""
    form = _bound(request, forms.FundForm)
    fund = _done(request, form, SAVED, lambda data: services.save_fund(by=request.user, **data))
    if fund:
        return redirect("beneficiaries:aid_fund_detail", pk=fund.pk)
    return _form_page(request, form, _("New fund"), reverse("beneficiaries:aid_funds"))


@login_required
@permission_required(MANAGE, raise_exception=True)
def donation_new(request, pk):
    """TK-3: record a cash donation received into the fund."""
    fund = get_object_or_404(Fund, pk=pk)
    form = _bound(request, forms.CashDonationForm, initial={"received_on": now_and_today()[1]})
    if _done(request, form, SAVED, lambda data: services.record_cash_donation(
            fund=fund, by=request.user, today=now_and_today()[1], **data)):
        return redirect("beneficiaries:aid_fund_detail", pk=fund.pk)
    return _form_page(request, form, _("Record a cash donation to %(fund)s") % {"fund": fund.name},
                      reverse("beneficiaries:aid_fund_detail", args=[fund.pk]))


@login_required
@permission_required("beneficiaries.view_inkinddonation", raise_exception=True)
def in_kind(request):
    """TK-4: donated goods with their safety check and what is left in stock."""
    donations = reports.donations_with_stock().select_related("checked_by", "recorded_by")
    page = paginate(request, donations, PER_PAGE)
    return render(request, "beneficiaries/aid/inkind_list.html", {"page": page})


@login_required
@permission_required(MANAGE, raise_exception=True)
def in_kind_new(request):
    """TK-4: record donated goods; they wait for the safety check."""
    form = _bound(request, forms.InKindDonationForm, initial={"received_on": now_and_today()[1]})
    if _done(request, form, SAVED, lambda data: services.record_in_kind_donation(
            by=request.user, today=now_and_today()[1], **data)):
        return redirect("beneficiaries:aid_in_kind")
    return _form_page(request, form, _("Record donated goods"), reverse("beneficiaries:aid_in_kind"))


@login_required
@permission_required(MANAGE, raise_exception=True)
def safety_check(request, pk):
    """TK-4: record whether the goods passed the safety check."""
    donation = get_object_or_404(InKindDonation, pk=pk)
    form = _bound(request, forms.SafetyCheckForm)
    now, today = now_and_today()
    if _done(request, form, CHECKED, lambda data: services.check_donation_safety(
            donation=donation, by=request.user, now=now, today=today, passed=data["result"] == form.PASSED,
            notes=data["notes"])):
        return redirect("beneficiaries:aid_in_kind")
    return _form_page(request, form, _("Safety check of %(item)s") % {"item": donation},
                      reverse("beneficiaries:aid_in_kind"), donation=donation)


# --- Campaigns (TK-5) ------------------------------------------------------------------------------


@login_required
@permission_required("beneficiaries.view_campaign", raise_exception=True)
def campaigns(request):
    return render(request, "beneficiaries/aid/campaign_list.html", {
        "campaigns": Campaign.objects.select_related("fund", "created_by")})


def _campaign_message(request, result) -> None:
    messages.success(request, CAMPAIGN_RUN % {"proposed": result.proposed, "no_iban": len(result.no_iban)})


@login_required
@permission_required(MANAGE, raise_exception=True)
def campaign_new(request):
    """TK-5: choose the files by criteria, preview how many and for how much, then create."""
    form = _bound(request, forms.CampaignForm, user=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "create" in request.POST:
            result = _call(form, FIELD_ERRORS, services.create_campaign, by=request.user, now=now_and_today()[0],
                           name=data["name"], reason=data["reason"], fund=data["fund"], purpose=data["purpose"],
                           amount_per_member=data["amount_per_member"], criteria=form.criteria)
            if result:
                _campaign_message(request, result)
                return redirect("beneficiaries:aid_campaign_detail", pk=result.campaign.pk)
        else:
            preview = _call(form, FIELD_ERRORS, services.preview_campaign, by=request.user, criteria=form.criteria,
                            amount_per_member=data["amount_per_member"])
    return render(request, "beneficiaries/aid/campaign_form.html", {"form": form, "preview": preview})


@login_required
@permission_required("beneficiaries.view_campaign", raise_exception=True)
def campaign_detail(request, pk):
    """TK-5: the campaign's proposals (in the user's scope) and the files still without an IBAN."""
    campaign = get_object_or_404(Campaign.objects.select_related("fund", "created_by"), pk=pk)
    rows = (campaign.disbursements.filter(file__in=BeneficiaryFile.objects.visible_to(request.user))
            .select_related("file").order_by("file__number"))
    preview = services.preview_campaign(criteria=campaign.criteria, by=request.user,
                                        amount_per_member=campaign.amount_per_member)
    return render(request, "beneficiaries/aid/campaign_detail.html", {
        "campaign": campaign, "rows": rows, "no_iban": preview.no_iban})


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def campaign_run(request, pk):
    """TK-5: propose the campaign's aid again to files added since (never twice to a file)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    result = services.propose_campaign_aid(campaign=campaign, by=request.user, now=now_and_today()[0])
    _campaign_message(request, result)
    return redirect("beneficiaries:aid_campaign_detail", pk=campaign.pk)


# --- Recommendations (TK-2) --------------------------------------------------------------------------


def _recommendations(user):
    """TK-2: who sees all the recommendations sees all files; a researcher sees their own."""
    qs = Recommendation.objects.select_related("recommended_by", "file")
    return qs if user.has_perm("beneficiaries.view_all_files") else qs.filter(recommended_by=user)


@login_required
@permission_required("beneficiaries.view_recommendation", raise_exception=True)
def recommendations(request):
    """TK-2: the families too proud to ask, by status, for the manager to follow."""
    status = request.GET.get("status", "")
    qs = _recommendations(request.user)
    if status in Recommendation.Status.values:
        qs = qs.filter(status=status)
    return render(request, "beneficiaries/aid/recommendation_list.html", {
        "recommendations": qs, "status": status, "statuses": Recommendation.Status.choices})


@login_required
@permission_required("beneficiaries.add_recommendation", raise_exception=True)
def recommendation_new(request):
    """TK-2: a researcher recommends a family too proud to ask (no identity number needed)."""
    form = _bound(request, forms.RecommendationForm)
    if _done(request, form, SAVED, lambda data: services.recommend_family(
            by=request.user, now=now_and_today()[0], **data)):
        return redirect("beneficiaries:aid_recommendations")
    return _form_page(request, form, _("Recommend a family too proud to ask"),
                      reverse("beneficiaries:aid_recommendations"))


@login_required
@permission_required("beneficiaries.change_recommendation", raise_exception=True)
def follow_up(request, pk):
    """TK-2: record that the family was contacted, applied (with their file) or declined."""
    recommendation = get_object_or_404(_recommendations(request.user), pk=pk)
    form = _bound(request, forms.FollowUpForm, user=request.user)
    if _done(request, form, SAVED, lambda data: services.follow_up_recommendation(
            recommendation=recommendation, by=request.user, status=data["status"], note=data["note"],
            file=data["file_number"])):
        return redirect("beneficiaries:aid_recommendations")
    return _form_page(request, form, _("Follow up: %(family)s") % {"family": recommendation.family_name},
                      reverse("beneficiaries:aid_recommendations"), recommendation=recommendation)


# --- The equality report (TK-8) ----------------------------------------------------------------------


def _equality(request):
    form = forms.EqualityForm(request.GET or None, today=now_and_today()[1])
    return form, reports.equality_report(user=request.user, **form.period())


@login_required
@permission_required(VIEW, raise_exception=True)
def equality(request):
    """TK-8: aid per household member of each file in a period, its spread and the outliers."""
    form, report = _equality(request)
    return render(request, "beneficiaries/aid/equality.html", {"form": form, "report": report})


@login_required
@permission_required(VIEW, raise_exception=True)
def equality_export(request):
    """TK-8: the same report as an Excel workbook; every exported file is logged."""
    form, report = _equality(request)
    user, ip, agent = request.user, client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:255]
    file_type = ContentType.objects.get_for_model(BeneficiaryFile)
    AccessLog.objects.bulk_create(
        AccessLog(user=user, action=AccessLog.Action.EXPORT, content_type=file_type, object_id=str(r["file_id"]),
                  path=request.path[:255], ip_address=ip, user_agent=agent) for r in report["rows"])
    response = HttpResponse(reports.equality_workbook(report),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"equality-{report['start']:%Y%m%d}-{report['end']:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Electronic cards (DU-7) ---------------------------------------------------------------------------


@login_required
@permission_required(CARD_ISSUE, raise_exception=True)
def card_issue(request, pk):
    """DU-7: hand an active file its electronic card."""
    file = visible_file(request, pk, action=AccessLog.Action.VIEW if request.method == "GET" else None)
    form = _bound(request, forms.CardForm, submit_label=_("Issue the card"))
    if _done(request, form, CARD_DONE, lambda data: services.issue_card(
            file=file, by=request.user, today=now_and_today()[1], **data)):
        return redirect(_file_url(file))
    return _form_page(request, form, _("Issue an electronic card"), _file_url(file), file=file)


@login_required
@permission_required(CARD_ISSUE, raise_exception=True)
def card_replace(request, pk):
    """DU-7: replace a card: the old one becomes replaced, the new one active."""
    card = _card(request, pk)
    form = _bound(request, forms.CardForm, submit_label=_("Replace the card"))
    if _done(request, form, CARD_DONE, lambda data: services.replace_card(
            card=card, by=request.user, today=now_and_today()[1], new_number=data["number"], note=data["note"])):
        return redirect(_file_url(card.file))
    return _form_page(request, form, _("Replace card %(number)s") % {"number": card.number}, _file_url(card.file),
                      file=card.file)


def _card_action(request, pk, service):
    card = _card(request, pk)
    try:
        service(card=card, by=request.user, today=now_and_today()[1], note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, CARD_DONE)
    return redirect(_file_url(card.file))


@require_POST
@login_required
@permission_required(CARD_CHANGE, raise_exception=True)
def card_lost(request, pk):
    """DU-7: the family reports the card lost."""
    return _card_action(request, pk, services.report_card_lost)


@require_POST
@login_required
@permission_required(CARD_CHANGE, raise_exception=True)
def card_cancel(request, pk):
    """DU-7: cancel the card."""
    return _card_action(request, pk, services.cancel_card)


urlpatterns = [
    path("aid/files/<int:pk>/", file_aid, name="aid_file"),
    path("aid/files/<int:pk>/propose/", propose, name="aid_propose"),
    path("aid/files/<int:pk>/cards/issue/", card_issue, name="aid_card_issue"),
    path("aid/disbursements/", disbursements, name="aid_disbursements"),
    path("aid/disbursements/<int:pk>/approve/", approve, name="aid_approve"),
    path("aid/disbursements/<int:pk>/pay/", pay, name="aid_pay"),
    path("aid/disbursements/<int:pk>/cancel/", cancel, name="aid_cancel"),
    path("aid/funds/", funds, name="aid_funds"),
    path("aid/funds/new/", fund_new, name="aid_fund_new"),
    path("aid/funds/<int:pk>/", fund_detail, name="aid_fund_detail"),
    path("aid/funds/<int:pk>/donations/new/", donation_new, name="aid_donation_new"),
    path("aid/in-kind/", in_kind, name="aid_in_kind"),
    path("aid/in-kind/new/", in_kind_new, name="aid_in_kind_new"),
    path("aid/in-kind/<int:pk>/check/", safety_check, name="aid_safety_check"),
    path("aid/campaigns/", campaigns, name="aid_campaigns"),
    path("aid/campaigns/new/", campaign_new, name="aid_campaign_new"),
    path("aid/campaigns/<int:pk>/", campaign_detail, name="aid_campaign_detail"),
    path("aid/campaigns/<int:pk>/run/", campaign_run, name="aid_campaign_run"),
    path("aid/recommendations/", recommendations, name="aid_recommendations"),
    path("aid/recommendations/new/", recommendation_new, name="aid_recommendation_new"),
    path("aid/recommendations/<int:pk>/follow-up/", follow_up, name="aid_follow_up"),
    path("aid/equality/", equality, name="aid_equality"),
    path("aid/equality/export/", equality_export, name="aid_equality_export"),
    path("aid/cards/<int:pk>/replace/", card_replace, name="aid_card_replace"),
    path("aid/cards/<int:pk>/lost/", card_lost, name="aid_card_lost"),
    path("aid/cards/<int:pk>/cancel/", card_cancel, name="aid_card_cancel"),
]
