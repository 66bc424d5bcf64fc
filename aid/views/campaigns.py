"""Aid pages of TK-5: disaster and crisis campaigns."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from beneficiaries.models import BeneficiaryFile
from beneficiaries.views.common import now_and_today

from .. import forms, services
from ..models import Campaign
from .common import FIELD_ERRORS, MANAGE, bound, call_service

CAMPAIGN_RUN = _("%(proposed)s aid proposals were made; %(no_iban)s files were skipped because they have no IBAN.")


@login_required
@permission_required("aid.view_campaign", raise_exception=True)
def campaigns(request):
    return render(request, "aid/campaign_list.html", {
        "campaigns": Campaign.objects.select_related("fund", "created_by")})


def _campaign_message(request, result) -> None:
    messages.success(request, CAMPAIGN_RUN % {"proposed": result.proposed, "no_iban": len(result.no_iban)})


@login_required
@permission_required(MANAGE, raise_exception=True)
def campaign_new(request):
    """TK-5: choose the files by criteria, preview how many and for how much, then create."""
    form = bound(request, forms.CampaignForm, user=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "create" in request.POST:
            result = call_service(form, FIELD_ERRORS, services.create_campaign, by=request.user, now=now_and_today()[0],
                                  name=data["name"], reason=data["reason"], fund=data["fund"], purpose=data["purpose"],
                                  amount_per_member=data["amount_per_member"], criteria=form.criteria)
            if result:
                _campaign_message(request, result)
                return redirect("aid:aid_campaign_detail", pk=result.campaign.pk)
        else:
            preview = call_service(form, FIELD_ERRORS, services.preview_campaign, by=request.user,
                                   criteria=form.criteria, amount_per_member=data["amount_per_member"])
    return render(request, "aid/campaign_form.html", {"form": form, "preview": preview})


@login_required
@permission_required("aid.view_campaign", raise_exception=True)
def campaign_detail(request, pk):
    """TK-5: the campaign's proposals (in the user's scope) and the files still without an IBAN."""
    campaign = get_object_or_404(Campaign.objects.select_related("fund", "created_by"), pk=pk)
    rows = (campaign.disbursements.filter(file__in=BeneficiaryFile.objects.visible_to(request.user))
            .select_related("file").order_by("file__number"))
    preview = services.preview_campaign(criteria=campaign.criteria, by=request.user,
                                        amount_per_member=campaign.amount_per_member)
    return render(request, "aid/campaign_detail.html", {
        "campaign": campaign, "rows": rows, "no_iban": preview.no_iban})


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def campaign_run(request, pk):
    """TK-5: propose the campaign's aid again to files added since (never twice to a file)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    result = services.propose_campaign_aid(campaign=campaign, by=request.user, now=now_and_today()[0])
    _campaign_message(request, result)
    return redirect("aid:aid_campaign_detail", pk=campaign.pk)

urlpatterns = [
    path("aid/campaigns/", campaigns, name="aid_campaigns"),
    path("aid/campaigns/new/", campaign_new, name="aid_campaign_new"),
    path("aid/campaigns/<int:pk>/", campaign_detail, name="aid_campaign_detail"),
    path("aid/campaigns/<int:pk>/run/", campaign_run, name="aid_campaign_run"),
]
