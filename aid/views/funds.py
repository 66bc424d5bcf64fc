"""Aid pages of TK-3 and TK-4: funds and their cash donations, donated goods and the
safety check."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from beneficiaries.views.common import now_and_today
from charity.paging import paginate

from .. import forms, reports, services
from ..models import AidPurpose, Fund, InKindDonation
from .common import MANAGE, PER_PAGE, SAVED, bound, done, form_page

CHECKED = _("The safety check was recorded.")


def _purpose_labels(fund) -> list[str]:
    return [AidPurpose(p).label for p in fund.purposes if p in AidPurpose.values]


@login_required
@permission_required("aid.view_fund", raise_exception=True)
def funds(request):
    """TK-3: every fund with its purposes, donations, committed aid and balance."""
    funds = list(reports.funds_with_balance())
    for fund in funds:
        fund.purpose_labels = _purpose_labels(fund)
    return render(request, "aid/fund_list.html", {"funds": funds})


@login_required
@permission_required("aid.view_fund", raise_exception=True)
def fund_detail(request, pk):
    """TK-3: a fund's donations and balance."""
    fund = get_object_or_404(reports.funds_with_balance(), pk=pk)
    return render(request, "aid/fund_detail.html", {
        "fund": fund, "purposes": _purpose_labels(fund),
        "donations": fund.donations.select_related("recorded_by")[:200]})


@login_required
@permission_required(MANAGE, raise_exception=True)
def fund_new(request):
    """TK-3: open a fund for designated purposes."""
    form = bound(request, forms.FundForm)
    fund = done(request, form, SAVED, lambda data: services.save_fund(by=request.user, **data))
    if fund:
        return redirect("aid:aid_fund_detail", pk=fund.pk)
    return form_page(request, form, _("New fund"), reverse("aid:aid_funds"))


@login_required
@permission_required(MANAGE, raise_exception=True)
def donation_new(request, pk):
    """TK-3: record a cash donation received into the fund."""
    fund = get_object_or_404(Fund, pk=pk)
    form = bound(request, forms.CashDonationForm, initial={"received_on": now_and_today()[1]})
    if done(request, form, SAVED, lambda data: services.record_cash_donation(
            fund=fund, by=request.user, today=now_and_today()[1], **data)):
        return redirect("aid:aid_fund_detail", pk=fund.pk)
    return form_page(request, form, _("Record a cash donation to %(fund)s") % {"fund": fund.name},
                     reverse("aid:aid_fund_detail", args=[fund.pk]))


@login_required
@permission_required("aid.view_inkinddonation", raise_exception=True)
def in_kind(request):
    """TK-4: donated goods with their safety check and what is left in stock."""
    donations = reports.donations_with_stock().select_related("checked_by", "recorded_by")
    page = paginate(request, donations, PER_PAGE)
    return render(request, "aid/inkind_list.html", {"page": page})


@login_required
@permission_required(MANAGE, raise_exception=True)
def in_kind_new(request):
    """TK-4: record donated goods; they wait for the safety check."""
    form = bound(request, forms.InKindDonationForm, initial={"received_on": now_and_today()[1]})
    if done(request, form, SAVED, lambda data: services.record_in_kind_donation(
            by=request.user, today=now_and_today()[1], **data)):
        return redirect("aid:aid_in_kind")
    return form_page(request, form, _("Record donated goods"), reverse("aid:aid_in_kind"))


@login_required
@permission_required(MANAGE, raise_exception=True)
def safety_check(request, pk):
    """TK-4: record whether the goods passed the safety check."""
    donation = get_object_or_404(InKindDonation, pk=pk)
    form = bound(request, forms.SafetyCheckForm)
    now, today = now_and_today()
    if done(request, form, CHECKED, lambda data: services.check_donation_safety(
            donation=donation, by=request.user, now=now, today=today, passed=data["result"] == form.PASSED,
            notes=data["notes"])):
        return redirect("aid:aid_in_kind")
    return form_page(request, form, _("Safety check of %(item)s") % {"item": donation},
                     reverse("aid:aid_in_kind"), donation=donation)

urlpatterns = [
    path("aid/funds/", funds, name="aid_funds"),
    path("aid/funds/new/", fund_new, name="aid_fund_new"),
    path("aid/funds/<int:pk>/", fund_detail, name="aid_fund_detail"),
    path("aid/funds/<int:pk>/donations/new/", donation_new, name="aid_donation_new"),
    path("aid/in-kind/", in_kind, name="aid_in_kind"),
    path("aid/in-kind/new/", in_kind_new, name="aid_in_kind_new"),
    path("aid/in-kind/<int:pk>/check/", safety_check, name="aid_safety_check"),
]
