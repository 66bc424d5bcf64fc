"""Aid through the pages: funds and cash donations (TK-3), donated goods and the safety check
(TK-4), and campaigns (TK-5)."""

import datetime as dt

import pytest
from django.utils import translation

from aid import policy
from aid.forms import UNKNOWN_FILES
from aid.models import Campaign, Disbursement, InKindDonation
from charity import calendar

from .builders import D, active_file, ar, form_errors, goods, message, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("view_clock")]


# --- TK-3, TK-4: funds and goods --------------------------------------------------------------------------


@pytest.mark.rule("TK-3")
def test_tk3_funds_and_cash_donation_pages(client, staff, fund):
    """TK-3: the funds list shows balance and donations; a donation is recorded on the fund."""
    client.force_login(staff["manager"])
    page = client.get(url("aid_funds"))
    assert [(f.name, f.donated, f.balance) for f in page.context["funds"]] == [(fund.name, D("1000"), D("1000"))]
    response = client.post(url("aid_donation_new", fund.pk), {"amount": "250.50", "received_on": "2026-11-20",
                                                              "donor": "فاعل خير", "reference": "R-1"})
    assert response.status_code == 302
    assert client.get(url("aid_fund_detail", fund.pk)).context["fund"].balance == D("1250.50")
    response = client.post(url("aid_donation_new", fund.pk), {"amount": "10", "received_on": "2026-12-01"})
    assert form_errors(response, "received_on") == [ar(policy.DATE_IN_FUTURE)]
    response = client.post(url("aid_fund_new"), {"name": "صندوق الإيجار", "purposes": ["rent"]})
    assert response.status_code == 302


@pytest.mark.rule("TK-4")
def test_tk4_goods_and_safety_check_pages(client, staff):
    """TK-4: goods are recorded, then pass or fail; expired goods cannot pass; the stock is shown."""
    client.force_login(staff["manager"])
    response = client.post(url("aid_in_kind_new"), {"item": "حليب أطفال", "unit": "علبة", "quantity": "20",
                                                    "received_on": "2026-11-01", "expires_on": "2026-11-10"})
    assert response.status_code == 302
    donation = InKindDonation.objects.get()
    response = client.post(url("aid_safety_check", donation.pk), {"result": "passed", "notes": ""})
    with translation.override("ar"):
        expiry = calendar.format_dual(dt.date(2026, 11, 10))
    assert form_errors(response, "result") == [message(policy.EXPIRED_GOODS, date=expiry)]
    donation.refresh_from_db()
    assert donation.safety_check == "pending"
    response = client.post(url("aid_safety_check", donation.pk), {"result": "failed", "notes": "منتهي الصلاحية"})
    assert response.status_code == 302
    donation.refresh_from_db()
    assert (donation.safety_check, donation.checked_by) == ("failed", staff["manager"])
    rows = client.get(url("aid_in_kind")).context["page"]
    assert [(d.pk, d.stock) for d in rows] == [(donation.pk, 20)]


@pytest.mark.rule("TK-4")
def test_tk4_in_kind_aid_through_the_propose_page_respects_stock(client, staff, file):
    """TK-4: only passed goods are offered; more than the stock is refused on the form."""
    donation = goods(staff, 5)
    goods(staff, 5, passed=False)
    client.force_login(staff["researcher"])
    page = client.get(url("aid_propose", file.pk))
    offered = list(page.context["items"].forms[0].fields["donation"].queryset)
    assert offered == [donation]
    data = {"kind": "in_kind", "purpose": "food", "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0",
            "items-0-donation": donation.pk, "items-0-quantity": "6"}
    response = client.post(url("aid_propose", file.pk), data)
    assert form_errors(response) == [message(policy.STOCK_EXCEEDED, item=donation.item, stock=5)]
    response = client.post(url("aid_propose", file.pk), {**data, "items-0-quantity": "5"})
    assert response.status_code == 302
    assert list(Disbursement.objects.get().items.values_list("donation", "quantity")) == [(donation.pk, 5)]


# --- TK-5: campaigns -----------------------------------------------------------------------------------------


@pytest.mark.rule("TK-5")
def test_tk5_campaign_preview_then_create(client, staff, fund):
    """TK-5: preview the count and total, then create: one proposal per file, files without IBAN reported."""
    small, large, no_iban = active_file(staff), active_file(staff, members=2), active_file(staff, iban="")
    client.force_login(staff["manager"])
    data = {"name": "سيول", "reason": "سيول", "fund": fund.pk, "purpose": "relief", "amount_per_member": "100",
            "file_numbers": f"{small.number}\n{large.number}\n{no_iban.number}"}
    preview = client.post(url("aid_campaign_new"), {**data, "preview": "1"})
    assert preview.status_code == 200
    result = preview.context["preview"]
    assert (result.files, result.proposed, result.total) == (3, 2, D("400.00"))
    assert not Campaign.objects.exists()
    response = client.post(url("aid_campaign_new"), {**data, "create": "1"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == url("aid_campaign_detail", campaign.pk)
    assert dict(campaign.disbursements.values_list("file", "amount")) == {small.pk: D("100.00"),
                                                                         large.pk: D("300.00")}
    detail = client.get(url("aid_campaign_detail", campaign.pk))
    assert [r["number"] for r in detail.context["no_iban"]] == [no_iban.number]
    client.post(url("aid_campaign_run", campaign.pk))
    assert campaign.disbursements.count() == 2


@pytest.mark.rule("TK-5")
def test_tk5_campaign_unknown_file_numbers_refused(client, staff, fund):
    """TK-5: file numbers outside the user's scope are reported, not silently skipped."""
    client.force_login(staff["manager"])
    response = client.post(url("aid_campaign_new"), {
        "name": "x", "reason": "x", "fund": fund.pk, "purpose": "relief", "amount_per_member": "100",
        "file_numbers": "1448-999999", "preview": "1"})
    assert form_errors(response, "file_numbers") == [ar(UNKNOWN_FILES) % {"numbers": "1448-999999"}]
