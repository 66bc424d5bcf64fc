"""Aid through the pages: scope (404), permissions (403), forms showing the services' refusals,
and the rules TK-1…TK-5, TK-2, TK-8, DU-7 end to end."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from beneficiaries.aid import policy, services
from beneficiaries.aid.forms import UNKNOWN_FILES
from beneficiaries.models import AidPurpose, Campaign, Disbursement, ElectronicCard, InKindDonation, Recommendation
from beneficiaries.tests.factories import NOW, TODAY, make_submitted
from beneficiaries.tests.test_aid_services import (
    IBAN,
    active_file,
    ar,
    goods,
    grant,
    make_fund,
    make_staff,
    message,
    propose_cash,
    seed_equality,
)
from charity import calendar
from charity.models import AccessLog
from charity.roles import Role

pytestmark = pytest.mark.django_db
Status, Kind = Disbursement.Status, Disbursement.Kind
D = Decimal


@pytest.fixture
def staff(profile, make_user):
    return make_staff(make_user)


@pytest.fixture
def file(staff):
    return active_file(staff)


@pytest.fixture
def fund(staff):
    return make_fund(staff)


@pytest.fixture(autouse=True)
def _an_hour_after_now():
    """Views read the clock: pin it just after the factories' NOW (TODAY)."""
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        yield


def url(name, *args):
    return reverse(f"beneficiaries:{name}", args=args)


def form_errors(response, field="__all__") -> list[str]:
    with translation.override("ar"):
        return [str(e) for e in response.context["form"].errors.get(field, [])]


def shown(response) -> list[str]:
    with translation.override("ar"):
        return [str(m) for m in get_messages(response.wsgi_request)]


# --- Scope and permissions -------------------------------------------------------------------------


def test_tk1_file_aid_page_404_for_a_user_who_cannot_see_the_file(client, staff, file):
    """RT-6, TK-1: another researcher gets 404 on the file's aid pages, the file's researcher sees it (logged)."""
    client.force_login(staff.other_researcher)
    for name in ("aid_file", "aid_propose", "aid_card_issue"):
        assert client.get(url(name, file.pk)).status_code == 404
    assert client.post(url("aid_propose", file.pk), {"kind": "cash"}).status_code == 404
    client.force_login(staff.researcher)
    assert client.get(url("aid_file", file.pk)).status_code == 200
    assert AccessLog.objects.filter(user=staff.researcher, object_id=str(file.pk), action="view").exists()


def test_tk1_disbursement_and_card_actions_404_outside_the_scope(client, staff, fund):
    """RT-6: a disbursement or card of a file outside the user's scope is 404, even with the permission."""
    theirs = active_file(staff, researcher=staff.other_researcher)
    disbursement = propose_cash(theirs, staff, fund, by=staff.other_researcher)
    card = services.issue_card(file=theirs, by=staff.manager, number="C-9", today=TODAY)
    approver = grant(staff.researcher, "approve_aid", "change_disbursement")
    client.force_login(approver)
    assert client.get(url("aid_cancel", disbursement.pk)).status_code == 404
    assert client.post(url("aid_approve", disbursement.pk)).status_code == 404
    assert client.post(url("aid_card_cancel", card.pk)).status_code == 404
    assert client.get(url("aid_card_replace", card.pk)).status_code == 404
    assert list(client.get(url("aid_disbursements")).context["page"]) == []
    disbursement.refresh_from_db()
    card.refresh_from_db()
    assert (disbursement.status, card.status) == (Status.PROPOSED, "active")
    client.force_login(staff.other_researcher)
    assert client.post(url("aid_card_lost", card.pk)).status_code == 302
    card.refresh_from_db()
    assert card.status == "lost"


def test_aid_pages_need_their_permissions(client, staff, file, fund):
    """Roles without the aid permissions get 403 on each page."""
    client.force_login(staff.intake)
    for name, args in [("aid_file", [file.pk]), ("aid_disbursements", []), ("aid_funds", []),
                       ("aid_fund_new", []), ("aid_in_kind", []), ("aid_campaign_new", []),
                       ("aid_recommendations", []), ("aid_equality", []), ("aid_equality_export", [])]:
        assert client.get(url(name, *args)).status_code == 403, name
    client.force_login(staff.researcher)
    disbursement = propose_cash(file, staff, fund)
    assert client.post(url("aid_approve", disbursement.pk)).status_code == 403
    assert client.get(url("aid_pay", disbursement.pk)).status_code == 403
    assert client.get(url("aid_funds")).status_code == 403
    disbursement.refresh_from_db()
    assert disbursement.status == Status.PROPOSED


# --- TK-1: propose, approve, pay, cancel ---------------------------------------------------------------


def test_tk1_propose_approve_and_pay_through_the_pages(client, staff, file, fund):
    """TK-1: researcher proposes; the manager approves and pays with the transfer reference."""
    client.force_login(staff.researcher)
    page = client.get(url("aid_propose", file.pk))
    assert page.status_code == 200
    response = client.post(url("aid_propose", file.pk), {
        "kind": "cash", "purpose": "relief", "fund": fund.pk, "amount": "٣٠٠", "note": "",
        "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0"})
    assert response.status_code == 302 and response["Location"] == url("aid_file", file.pk)
    disbursement = Disbursement.objects.get()
    assert (disbursement.amount, disbursement.status, disbursement.proposed_by) == (D("300"), "proposed",
                                                                                    staff.researcher)
    client.force_login(staff.manager)
    assert client.post(url("aid_approve", disbursement.pk)).status_code == 302
    disbursement.refresh_from_db()
    assert disbursement.status == Status.APPROVED
    response = client.post(url("aid_pay", disbursement.pk), {"transfer_reference": ""})
    assert response.status_code == 200
    assert form_errors(response, "transfer_reference") == [ar(policy.TRANSFER_REFERENCE_REQUIRED)]
    response = client.post(url("aid_pay", disbursement.pk), {"transfer_reference": "TRX-1"})
    assert response.status_code == 302
    disbursement.refresh_from_db()
    assert (disbursement.status, disbursement.iban) == (Status.PAID, IBAN)
    page = client.get(url("aid_file", file.pk)).content.decode()
    assert "TRX-1" in page and IBAN not in page


def test_tk1_propose_refusals_show_on_the_form_and_change_nothing(client, staff, fund):
    """TK-1, TK-3: no IBAN and a fund of other purposes are refused on the form; nothing is saved."""
    no_iban = active_file(staff, iban="")
    client.force_login(staff.researcher)
    data = {"kind": "cash", "purpose": "relief", "fund": fund.pk, "amount": "100", "items-TOTAL_FORMS": "3",
            "items-INITIAL_FORMS": "0"}
    response = client.post(url("aid_propose", no_iban.pk), data)
    assert response.status_code == 200 and form_errors(response) == [ar(policy.NO_IBAN)]
    with_iban = active_file(staff)
    response = client.post(url("aid_propose", with_iban.pk), {**data, "purpose": "rent"})
    assert response.status_code == 200 and form_errors(response, "purpose")
    assert not Disbursement.objects.exists()


def test_tk1_file_under_study_cannot_receive_aid_through_the_page(client, staff, fund):
    """TK-1: a file under study is refused on the form."""
    under_study = make_submitted(staff.intake, iban=IBAN)
    client.force_login(staff.manager)
    response = client.post(url("aid_propose", under_study.pk), {
        "kind": "cash", "purpose": "relief", "fund": fund.pk, "amount": "100", "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0"})
    assert response.status_code == 200 and form_errors(response)[0].startswith(ar(policy.FILE_NOT_ACTIVE)[:20])
    assert not Disbursement.objects.exists()


def test_tk1_proposer_cannot_approve_own_through_the_page(client, staff, file, fund):
    """TK-1: the approve button refuses the proposer's own aid with the policy's message."""
    disbursement = propose_cash(file, staff, fund, by=staff.manager)
    client.force_login(staff.manager)
    response = client.post(url("aid_approve", disbursement.pk), follow=True)
    assert ar(policy.OWN_PROPOSAL) in shown(response)
    disbursement.refresh_from_db()
    assert disbursement.status == Status.PROPOSED


def test_tk1_cancel_page_needs_a_reason(client, staff, file, fund):
    """TK-1: cancelling needs a reason; it is kept on the aid."""
    disbursement = propose_cash(file, staff, fund)
    client.force_login(staff.manager)
    response = client.post(url("aid_cancel", disbursement.pk), {"reason": ""})
    assert form_errors(response, "reason") == [ar(policy.CANCEL_REASON_REQUIRED)]
    response = client.post(url("aid_cancel", disbursement.pk), {"reason": "مكرر"})
    assert response.status_code == 302
    disbursement.refresh_from_db()
    assert disbursement.status == Status.CANCELLED and "مكرر" in disbursement.note


def test_tk1_disbursement_list_filters_by_status_fund_purpose_and_month(client, staff, file, fund):
    """TK-1: approvers filter the aid by status, fund, purpose and month proposed."""
    proposed = propose_cash(file, staff, fund, purpose=AidPurpose.FOOD)
    approved = services.approve_disbursement(disbursement=propose_cash(file, staff, fund), by=staff.manager, now=NOW)
    client.force_login(staff.manager)

    def listed(**params):
        return {d.pk for d in client.get(url("aid_disbursements"), params).context["page"]}

    assert listed() == {proposed.pk, approved.pk}
    assert listed(status="approved") == {approved.pk}
    assert listed(purpose="food") == {proposed.pk}
    assert listed(fund=fund.pk, month="2026-11") == {proposed.pk, approved.pk}
    assert listed(month="2026-10") == set()


# --- TK-3, TK-4: funds and goods --------------------------------------------------------------------------


def test_tk3_funds_and_cash_donation_pages(client, staff, fund):
    """TK-3: the funds list shows balance and donations; a donation is recorded on the fund."""
    client.force_login(staff.manager)
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


def test_tk4_goods_and_safety_check_pages(client, staff):
    """TK-4: goods are recorded, then pass or fail; expired goods cannot pass; the stock is shown."""
    client.force_login(staff.manager)
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
    assert (donation.safety_check, donation.checked_by) == ("failed", staff.manager)
    rows = client.get(url("aid_in_kind")).context["page"]
    assert [(d.pk, d.stock) for d in rows] == [(donation.pk, 20)]


def test_tk4_in_kind_aid_through_the_propose_page_respects_stock(client, staff, file):
    """TK-4: only passed goods are offered; more than the stock is refused on the form."""
    donation = goods(staff, 5)
    goods(staff, 5, passed=False)
    client.force_login(staff.researcher)
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


def test_tk5_campaign_preview_then_create(client, staff, fund):
    """TK-5: preview the count and total, then create: one proposal per file, files without IBAN reported."""
    small, large, no_iban = active_file(staff), active_file(staff, members=2), active_file(staff, iban="")
    client.force_login(staff.manager)
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


def test_tk5_campaign_unknown_file_numbers_refused(client, staff, fund):
    """TK-5: file numbers outside the user's scope are reported, not silently skipped."""
    client.force_login(staff.manager)
    response = client.post(url("aid_campaign_new"), {
        "name": "x", "reason": "x", "fund": fund.pk, "purpose": "relief", "amount_per_member": "100",
        "file_numbers": "1448-999999", "preview": "1"})
    assert form_errors(response, "file_numbers") == [ar(UNKNOWN_FILES) % {"numbers": "1448-999999"}]


# --- TK-2: recommendations -------------------------------------------------------------------------------------


def test_tk2_recommendation_pages(client, staff, file):
    """TK-2: a researcher recommends a family; the manager sees all, another researcher none; follow-up
    to «applied» links the file opened."""
    client.force_login(staff.researcher)
    response = client.post(url("aid_recommendation_new"), {
        "family_name": "أسرة أم سعد", "city": "الرياض", "situation": "مطلقة بلا دخل", "recommended_aid": "إيجار"})
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    client.force_login(staff.other_researcher)
    assert list(client.get(url("aid_recommendations")).context["recommendations"]) == []
    assert client.get(url("aid_follow_up", rec.pk)).status_code == 404
    client.force_login(staff.manager)
    assert list(client.get(url("aid_recommendations")).context["recommendations"]) == [rec]
    response = client.post(url("aid_follow_up", rec.pk), {"status": "applied", "file_number": "", "note": ""})
    assert form_errors(response, "file_number") == [ar(policy.FILE_REQUIRED)]
    response = client.post(url("aid_follow_up", rec.pk), {"status": "applied", "file_number": file.number})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.status, rec.file) == ("applied", file)


# --- TK-8: the equality report --------------------------------------------------------------------------------


def test_tk8_equality_page_and_excel_export(client, staff, fund):
    """TK-8: the page shows the distribution; the Excel export has the same figures and is logged."""
    (a, b, c, d), start, end = seed_equality(staff, fund)
    client.force_login(staff.manager)
    params = {"start": start.isoformat(), "end": end.isoformat()}
    page = client.get(url("aid_equality"), params)
    stats = page.context["report"]["stats"]
    assert (stats["count"], stats["median"], stats["max"]) == (4, D("200.00"), D("900.00"))
    assert 'data-position="above"' in page.content.decode()
    export = client.get(url("aid_equality_export"), params)
    assert export.status_code == 200 and export["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(export.content))
    files = {row[0]: row[4] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert files == {a.number: 900, b.number: 300, c.number: 100, d.number: 100}
    summary = [row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert summary[3:9] == [4, 100, 200, 900, 350, 2550]  # files, min, median, max, mean, total
    assert AccessLog.objects.filter(action="export", user=staff.manager).count() == 4
    reversed_period = client.get(url("aid_equality"), {"start": end.isoformat(), "end": start.isoformat()})
    assert reversed_period.context["form"].errors["end"]


# --- DU-7: cards -----------------------------------------------------------------------------------------------


def test_du7_card_pages(client, staff, file):
    """DU-7: issue, report lost and replace through the pages; one active card; shown on the aid page."""
    client.force_login(staff.researcher)
    assert client.post(url("aid_card_issue", file.pk), {"number": "C-100"}).status_code == 302
    response = client.post(url("aid_card_issue", file.pk), {"number": "C-101"})
    assert form_errors(response) == [message(policy.CARD_ALREADY_ACTIVE, number="C-100")]
    card = ElectronicCard.objects.get()
    assert client.post(url("aid_card_lost", card.pk)).status_code == 302
    response = client.post(url("aid_card_replace", card.pk), {"number": "C-100"})
    assert form_errors(response, "number") == [message(policy.CARD_NUMBER_TAKEN, number="C-100")]
    assert client.post(url("aid_card_replace", card.pk), {"number": "C-102"}).status_code == 302
    assert dict(file.cards.values_list("number", "status")) == {"C-100": "replaced", "C-102": "active"}
    page = client.get(url("aid_file", file.pk)).content.decode()
    assert "C-102" in page and page.count('data-testid="card-row"') == 2


def test_aid_pages_render_for_the_manager(client, staff, file, fund):
    """Every aid page renders for the manager, with data on it."""
    disbursement = propose_cash(file, staff, fund)
    approved = services.approve_disbursement(disbursement=propose_cash(file, staff, fund), by=staff.manager, now=NOW)
    donation = goods(staff, 3, passed=None)
    card = services.issue_card(file=file, by=staff.manager, number="C-7", today=TODAY)
    rec = services.recommend_family(by=staff.researcher, now=NOW, family_name="أسرة", city="الرياض", situation="x",
                                    recommended_aid="y")
    result = services.create_campaign(by=staff.manager, name="حملة الشتاء", reason="برد", fund=fund,
                                      amount_per_member=D("50"), purpose="relief", criteria={"files": [file.pk]},
                                      now=NOW)
    client.force_login(staff.manager)
    pages = [("aid_file", file.pk), ("aid_propose", file.pk), ("aid_card_issue", file.pk), ("aid_disbursements",),
             ("aid_pay", approved.pk), ("aid_cancel", disbursement.pk), ("aid_funds",), ("aid_fund_new",),
             ("aid_fund_detail", fund.pk), ("aid_donation_new", fund.pk), ("aid_in_kind",), ("aid_in_kind_new",),
             ("aid_safety_check", donation.pk), ("aid_campaigns",), ("aid_campaign_new",),
             ("aid_campaign_detail", result.campaign.pk), ("aid_recommendations",), ("aid_recommendation_new",),
             ("aid_follow_up", rec.pk), ("aid_equality",), ("aid_card_replace", card.pk)]
    for name, *args in pages:
        response = client.get(url(name, *args))
        assert response.status_code == 200, name
        assert b"{%" not in response.content and b"{{" not in response.content, name


def test_aid_admin_scoped_and_without_delete(rf, staff, make_user, file, fund):
    """Django admin: aid records are never deleted, and a disbursement is listed only to those who
    may see its file (RT-6) — the admin role does not see case files."""
    from django.contrib import admin

    from beneficiaries.aid.admin import DisbursementAdmin, FundAdmin

    disbursement = propose_cash(file, staff, fund)
    model_admin = DisbursementAdmin(Disbursement, admin.site)
    request = rf.get("/admin/")
    request.user = make_user(Role.ADMIN, username="sysadmin")
    assert list(model_admin.get_queryset(request)) == []
    request.user = staff.manager
    assert list(model_admin.get_queryset(request)) == [disbursement]
    assert not model_admin.has_delete_permission(request, disbursement)
    assert not model_admin.has_add_permission(request)
    assert "status" in model_admin.readonly_fields and "file__number" in model_admin.search_fields
    assert not FundAdmin(type(fund), admin.site).has_delete_permission(request, fund)


def test_tk3_tk4_admin_cannot_change_what_committed_aid_rests_on(client, django_user_model, staff, file, fund):
    """Django admin: a paid disbursement's fund, amount, purpose and file are read-only (only its
    note may be corrected); a donation's correction goes through the TK-3 check, shown on the form."""
    from beneficiaries.tests.test_aid_services import paid_cash

    paid = paid_cash(file, staff, fund, "800.00")
    other = services.save_fund(by=staff.manager, name="صندوق آخر", purposes=[AidPurpose.RELIEF])
    admin_user = django_user_model.objects.create_superuser("root-admin", password="x" * 20)
    client.force_login(admin_user)
    change = reverse("admin:beneficiaries_disbursement_change", args=[paid.pk])
    response = client.post(change, {"fund": other.pk, "amount": "1", "purpose": AidPurpose.FOOD,
                                    "file": make_submitted(staff.intake).pk, "note": "تصحيح الملاحظة",
                                    "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    paid.refresh_from_db()
    assert (paid.fund, paid.amount, paid.purpose, paid.file, paid.note) == (
        fund, D("800.00"), AidPurpose.RELIEF, file, "تصحيح الملاحظة")

    donation = fund.donations.get()
    change = reverse("admin:beneficiaries_cashdonation_change", args=[donation.pk])
    data = {"fund": fund.pk, "amount": "500.00", "donor": "", "received_on": TODAY.isoformat(), "reference": ""}
    with translation.override("ar"):
        response = client.post(change, data, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert message(policy.CORRECTION_UNCOVERED, fund=fund.name, balance=D("-300.00")) in [
        str(e) for e in response.context["adminform"].form.non_field_errors()]
    donation.refresh_from_db()
    assert donation.amount == D("1000.00")
    response = client.post(change, {**data, "amount": "900.00"})
    assert response.status_code == 302
    donation.refresh_from_db()
    assert donation.amount == D("900.00")
    assert donation.history.latest().history_change_reason == "TK-3 donation corrected"


def test_tk1_du7_the_file_page_offers_only_the_moves_the_policy_allows(client, staff, file, fund):
    """TK-1, DU-7: each button matches a transition of the policy's tables (and four eyes): a
    proposal offers approve and cancel, approved aid pay and cancel, paid aid nothing; a lost
    card may be replaced or cancelled but not reported lost again."""
    proposed = propose_cash(file, staff, fund, "50.00")
    approved = services.approve_disbursement(disbursement=propose_cash(file, staff, fund, "60.00"),
                                             by=staff.manager, now=NOW)
    paid = services.pay_disbursement(
        disbursement=services.approve_disbursement(disbursement=propose_cash(file, staff, fund, "70.00"),
                                                   by=staff.manager, now=NOW),
        by=staff.manager, today=TODAY, now=NOW, transfer_reference="TRX-9")
    card = services.report_card_lost(card=services.issue_card(file=file, by=staff.manager, number="C-9",
                                                              today=TODAY), by=staff.manager, today=TODAY)
    client.force_login(staff.approver)
    html = client.get(url("aid_file", file.pk)).content.decode()
    offered = {name: {d.pk for d in (proposed, approved, paid) if url(name, d.pk) in html}
               for name in ("aid_approve", "aid_pay", "aid_cancel")}
    assert offered == {"aid_approve": {proposed.pk}, "aid_pay": {approved.pk},
                       "aid_cancel": {proposed.pk, approved.pk}}
    assert url("aid_card_replace", card.pk) in html and url("aid_card_cancel", card.pk) in html
    assert url("aid_card_lost", card.pk) not in html
    own = propose_cash(file, staff, fund, "40.00", by=staff.approver)  # four eyes: not their own proposal
    html = client.get(url("aid_file", file.pk)).content.decode()
    assert url("aid_approve", own.pk) not in html and url("aid_cancel", own.pk) in html
