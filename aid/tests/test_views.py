"""Aid through the pages: scope (404), permissions (403), the TK-1 workflow with the forms
showing the services' refusals, and the file's cards (DU-7)."""

import pytest

from aid import policy, services
from aid.models import AidPurpose, Disbursement, ElectronicCard
from charity.models import AccessLog
from testdata import NOW, TODAY, beyond_role, make_submitted

from .builders import IBAN, D, Status, active_file, ar, form_errors, goods, message, propose_cash, shown, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("view_clock")]


# --- Scope and permissions -------------------------------------------------------------------------


@pytest.mark.rule("RT-6", "TK-1")
def test_tk1_file_aid_page_404_for_a_user_who_cannot_see_the_file(client, staff, file):
    """RT-6, TK-1: another researcher gets 404 on the file's aid pages, the file's researcher sees it (logged)."""
    client.force_login(staff["researcher2"])
    for name in ("aid_file", "aid_propose", "aid_card_issue"):
        assert client.get(url(name, file.pk)).status_code == 404
    assert client.post(url("aid_propose", file.pk), {"kind": "cash"}).status_code == 404
    client.force_login(staff["researcher"])
    assert client.get(url("aid_file", file.pk)).status_code == 200
    assert AccessLog.objects.filter(user=staff["researcher"], object_id=str(file.pk), action="view").exists()


@pytest.mark.rule("RT-6", "TK-1")
def test_tk1_disbursement_and_card_actions_404_outside_the_scope(client, staff, fund):
    """RT-6: a disbursement or card of a file outside the user's scope is 404, even with the permission."""
    theirs = active_file(staff, researcher=staff["researcher2"])
    disbursement = propose_cash(theirs, staff, fund, by=staff["researcher2"])
    card = services.issue_card(file=theirs, by=staff["manager"], number="C-9", today=TODAY)
    # No role approves aid while seeing only its own files (the manager sees every file).
    approver = beyond_role(staff["researcher"], "aid.approve_aid", "aid.change_disbursement")
    client.force_login(approver)
    assert client.get(url("aid_cancel", disbursement.pk)).status_code == 404
    assert client.post(url("aid_approve", disbursement.pk)).status_code == 404
    assert client.post(url("aid_card_cancel", card.pk)).status_code == 404
    assert client.get(url("aid_card_replace", card.pk)).status_code == 404
    assert list(client.get(url("aid_disbursements")).context["page"]) == []
    disbursement.refresh_from_db()
    card.refresh_from_db()
    assert (disbursement.status, card.status) == (Status.PROPOSED, "active")
    client.force_login(staff["researcher2"])
    assert client.post(url("aid_card_lost", card.pk)).status_code == 302
    card.refresh_from_db()
    assert card.status == "lost"


def test_aid_pages_need_their_permissions(client, staff, file, fund):
    """Roles without the aid permissions get 403 on each page."""
    client.force_login(staff["intake"])
    for name, args in [("aid_file", [file.pk]), ("aid_disbursements", []), ("aid_funds", []),
                       ("aid_fund_new", []), ("aid_in_kind", []), ("aid_campaign_new", []),
                       ("aid_recommendations", []), ("aid_equality", []), ("aid_equality_export", [])]:
        assert client.get(url(name, *args)).status_code == 403, name
    client.force_login(staff["researcher"])
    disbursement = propose_cash(file, staff, fund)
    assert client.post(url("aid_approve", disbursement.pk)).status_code == 403
    assert client.get(url("aid_pay", disbursement.pk)).status_code == 403
    assert client.get(url("aid_funds")).status_code == 403
    disbursement.refresh_from_db()
    assert disbursement.status == Status.PROPOSED


# --- TK-1: propose, approve, pay, cancel ---------------------------------------------------------------


@pytest.mark.rule("TK-1")
def test_tk1_propose_approve_and_pay_through_the_pages(client, staff, file, fund):
    """TK-1: researcher proposes; the manager approves and pays with the transfer reference."""
    client.force_login(staff["researcher"])
    page = client.get(url("aid_propose", file.pk))
    assert page.status_code == 200
    response = client.post(url("aid_propose", file.pk), {
        "kind": "cash", "purpose": "relief", "fund": fund.pk, "amount": "٣٠٠", "note": "",
        "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0"})
    assert response.status_code == 302 and response["Location"] == url("aid_file", file.pk)
    disbursement = Disbursement.objects.get()
    assert (disbursement.amount, disbursement.status, disbursement.proposed_by) == (D("300"), "proposed",
                                                                                    staff["researcher"])
    client.force_login(staff["manager"])
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


@pytest.mark.rule("TK-1", "TK-3")
def test_tk1_propose_refusals_show_on_the_form_and_change_nothing(client, staff, fund):
    """TK-1, TK-3: no IBAN and a fund of other purposes are refused on the form; nothing is saved."""
    no_iban = active_file(staff, iban="")
    client.force_login(staff["researcher"])
    data = {"kind": "cash", "purpose": "relief", "fund": fund.pk, "amount": "100", "items-TOTAL_FORMS": "3",
            "items-INITIAL_FORMS": "0"}
    response = client.post(url("aid_propose", no_iban.pk), data)
    assert response.status_code == 200 and form_errors(response) == [ar(policy.NO_IBAN)]
    with_iban = active_file(staff)
    response = client.post(url("aid_propose", with_iban.pk), {**data, "purpose": "rent"})
    assert response.status_code == 200 and form_errors(response, "purpose")
    assert not Disbursement.objects.exists()


@pytest.mark.rule("TK-1")
def test_tk1_file_under_study_cannot_receive_aid_through_the_page(client, staff, fund):
    """TK-1: a file under study is refused on the form."""
    under_study = make_submitted(staff["intake"], iban=IBAN)
    client.force_login(staff["manager"])
    response = client.post(url("aid_propose", under_study.pk), {
        "kind": "cash", "purpose": "relief", "fund": fund.pk, "amount": "100", "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0"})
    assert response.status_code == 200 and form_errors(response)[0].startswith(ar(policy.FILE_NOT_ACTIVE)[:20])
    assert not Disbursement.objects.exists()


@pytest.mark.rule("TK-1")
def test_tk1_proposer_cannot_approve_own_through_the_page(client, staff, file, fund):
    """TK-1: the approve button refuses the proposer's own aid with the policy's message."""
    disbursement = propose_cash(file, staff, fund, by=staff["manager"])
    client.force_login(staff["manager"])
    response = client.post(url("aid_approve", disbursement.pk), follow=True)
    assert ar(policy.OWN_PROPOSAL) in shown(response)
    disbursement.refresh_from_db()
    assert disbursement.status == Status.PROPOSED


@pytest.mark.rule("TK-1")
def test_tk1_cancel_page_needs_a_reason(client, staff, file, fund):
    """TK-1: cancelling needs a reason; it is kept on the aid."""
    disbursement = propose_cash(file, staff, fund)
    client.force_login(staff["manager"])
    response = client.post(url("aid_cancel", disbursement.pk), {"reason": ""})
    assert form_errors(response, "reason") == [ar(policy.CANCEL_REASON_REQUIRED)]
    response = client.post(url("aid_cancel", disbursement.pk), {"reason": "مكرر"})
    assert response.status_code == 302
    disbursement.refresh_from_db()
    assert disbursement.status == Status.CANCELLED and "مكرر" in disbursement.note


@pytest.mark.rule("TK-1")
def test_tk1_disbursement_list_filters_by_status_fund_purpose_and_month(client, staff, file, fund):
    """TK-1: approvers filter the aid by status, fund, purpose and month proposed."""
    proposed = propose_cash(file, staff, fund, purpose=AidPurpose.FOOD)
    approved = services.approve_disbursement(disbursement=propose_cash(file, staff, fund), by=staff["manager"], now=NOW)
    client.force_login(staff["manager"])

    def listed(**params):
        return {d.pk for d in client.get(url("aid_disbursements"), params).context["page"]}

    assert listed() == {proposed.pk, approved.pk}
    assert listed(status="approved") == {approved.pk}
    assert listed(purpose="food") == {proposed.pk}
    assert listed(fund=fund.pk, month="2026-11") == {proposed.pk, approved.pk}
    assert listed(month="2026-10") == set()



# --- DU-7: cards -----------------------------------------------------------------------------------------------


@pytest.mark.rule("DU-7")
def test_du7_card_pages(client, staff, file):
    """DU-7: issue, report lost and replace through the pages; one active card; shown on the aid page."""
    client.force_login(staff["researcher"])
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
    approved = services.approve_disbursement(disbursement=propose_cash(file, staff, fund), by=staff["manager"], now=NOW)
    donation = goods(staff, 3, passed=None)
    card = services.issue_card(file=file, by=staff["manager"], number="C-7", today=TODAY)
    rec = services.recommend_family(by=staff["researcher"], now=NOW, family_name="أسرة", city="الرياض", situation="x",
                                    recommended_aid="y")
    result = services.create_campaign(by=staff["manager"], name="حملة الشتاء", reason="برد", fund=fund,
                                      amount_per_member=D("50"), purpose="relief", criteria={"files": [file.pk]},
                                      now=NOW)
    client.force_login(staff["manager"])
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




@pytest.mark.rule("DU-7", "TK-1")
def test_tk1_du7_the_file_page_offers_only_the_moves_the_policy_allows(client, staff, file, fund):
    """TK-1, DU-7: each button matches a transition of the policy's tables (and four eyes): a
    proposal offers approve and cancel, approved aid pay and cancel, paid aid nothing; a lost
    card may be replaced or cancelled but not reported lost again."""
    proposed = propose_cash(file, staff, fund, "50.00")
    approved = services.approve_disbursement(disbursement=propose_cash(file, staff, fund, "60.00"),
                                             by=staff["manager"], now=NOW)
    paid = services.pay_disbursement(
        disbursement=services.approve_disbursement(disbursement=propose_cash(file, staff, fund, "70.00"),
                                                   by=staff["manager"], now=NOW),
        by=staff["manager"], today=TODAY, now=NOW, transfer_reference="TRX-9")
    card = services.report_card_lost(card=services.issue_card(file=file, by=staff["manager"], number="C-9",
                                                              today=TODAY), by=staff["manager"], today=TODAY)
    client.force_login(staff["manager2"])
    html = client.get(url("aid_file", file.pk)).content.decode()
    offered = {name: {d.pk for d in (proposed, approved, paid) if url(name, d.pk) in html}
               for name in ("aid_approve", "aid_pay", "aid_cancel")}
    assert offered == {"aid_approve": {proposed.pk}, "aid_pay": {approved.pk},
                       "aid_cancel": {proposed.pk, approved.pk}}
    assert url("aid_card_replace", card.pk) in html and url("aid_card_cancel", card.pk) in html
    assert url("aid_card_lost", card.pk) not in html
    own = propose_cash(file, staff, fund, "40.00", by=staff["manager2"])  # four eyes: not their own proposal
    html = client.get(url("aid_file", file.pk)).content.decode()
    assert url("aid_approve", own.pk) not in html and url("aid_cancel", own.pk) in html
