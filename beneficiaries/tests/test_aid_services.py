"""Aid through the services: TK-1 workflow, TK-3 funds, TK-4 goods, TK-5 campaigns, TK-2
recommendations, TK-8 the equality report and DU-7 cards. The fixtures here are shared with
test_aid_views.py."""

import datetime as dt
import sys
import types
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from beneficiaries import services as file_services
from beneficiaries.aid import policy, reports, services
from beneficiaries.models import AidPurpose, Disbursement, ElectronicCard, Fund, InKindDonation, Recommendation
from beneficiaries.policy import FileStatus, Gender, Relationship
from beneficiaries.tests.factories import NOW, TODAY, make_active, make_submitted, unique_national_id
from charity.models import Category, Notification
from charity.roles import Role

pytestmark = pytest.mark.django_db

IBAN = "SA0380000000608010167519"
Status, Kind = Disbursement.Status, Disbursement.Kind
D = Decimal
AID_PERMS = {
    "researcher": ["add_disbursement", "view_disbursement", "add_recommendation", "view_recommendation",
                   "change_recommendation", "view_electroniccard", "add_electroniccard", "change_electroniccard"],
    "manager": ["add_disbursement", "view_disbursement", "change_disbursement", "approve_aid", "manage_aid",
                "view_fund", "view_inkinddonation", "view_campaign", "add_recommendation", "view_recommendation",
                "change_recommendation", "view_electroniccard", "add_electroniccard", "change_electroniccard"],
}


def grant(user, *codenames):
    """Give `user` beneficiaries permissions (the aid roles proposed to the lead)."""
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="beneficiaries",
                                                         codename__in=codenames))
    return type(user).objects.get(pk=user.pk)  # a fresh object: no cached permissions


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


def refusal(exc_info) -> str:
    with translation.override("ar"):
        return " ".join(exc_info.value.messages)


def message(constant, **params) -> str:
    return ar(constant) % params if params else ar(constant)


def make_staff(make_user) -> SimpleNamespace:
    """Intake, two researchers and two managers, with the aid permissions proposed for their roles."""
    return SimpleNamespace(
        intake=make_user(Role.INTAKE, username="intake"),
        researcher=grant(make_user(Role.RESEARCHER, username="researcher"), *AID_PERMS["researcher"]),
        other_researcher=grant(make_user(Role.RESEARCHER, username="other"), *AID_PERMS["researcher"]),
        manager=grant(make_user(Role.MANAGER, username="manager"), *AID_PERMS["manager"]),
        approver=grant(make_user(Role.MANAGER, username="approver"), *AID_PERMS["manager"]),
    )


@pytest.fixture
def staff(profile, make_user):
    return make_staff(make_user)


def add_member(file, **data):
    values = {"relationship": Relationship.SON, "first_name": "سالم", "father_name": "محمد",
              "grandfather_name": "عبدالله", "family_name": "القحطاني", "id_number": unique_national_id(),
              "birth_date": dt.date(2012, 3, 1), "gender": Gender.MALE, **data}
    return file_services.save_member(file=file, data=values)


def active_file(staff, *, members=0, iban=IBAN, researcher=None, **kwargs):
    """An active file of 1 + `members` people, assigned to `researcher` (default: staff.researcher)."""
    file = make_active(staff.intake, iban=iban, **kwargs)
    for _ in range(members):
        add_member(file)
    return file_services.assign_researcher(file=file, researcher=researcher or staff.researcher, by=staff.manager,
                                           now=NOW)


@pytest.fixture
def file(staff):
    return active_file(staff)


def make_fund(staff) -> Fund:
    """A relief and food fund holding 1000 SAR."""
    fund = services.save_fund(by=staff.manager, name="صندوق الإغاثة", purposes=[AidPurpose.RELIEF, AidPurpose.FOOD])
    services.record_cash_donation(fund=fund, by=staff.manager, amount=D("1000.00"), received_on=TODAY, today=TODAY)
    return fund


@pytest.fixture
def fund(staff):
    return make_fund(staff)


def propose_cash(file, staff, fund, amount="100.00", purpose=AidPurpose.RELIEF, by=None):
    return services.propose_disbursement(file=file, by=by or staff.researcher, kind=Kind.CASH, purpose=purpose,
                                         fund=fund, amount=D(amount), now=NOW)


def paid_cash(file, staff, fund, amount, *, on=TODAY, purpose=AidPurpose.RELIEF):
    disbursement = services.approve_disbursement(disbursement=propose_cash(file, staff, fund, amount, purpose),
                                                 by=staff.manager, now=NOW)
    return services.pay_disbursement(disbursement=disbursement, by=staff.manager, today=on, now=NOW,
                                     transfer_reference=f"TRX-{disbursement.pk}")


def goods(staff, quantity=10, *, passed=True, expires_on=None):
    donation = services.record_in_kind_donation(by=staff.manager, item="سلة غذائية", quantity=quantity,
                                                received_on=TODAY, today=TODAY, expires_on=expires_on)
    if passed is not None:
        services.check_donation_safety(donation=donation, by=staff.manager, passed=passed,
                                       notes="" if passed else "تغليف تالف", now=NOW, today=TODAY)
    return donation


# --- TK-1: only active files, cash to the IBAN, the workflow --------------------------------------


def test_tk1_cash_aid_to_under_study_or_frozen_file_refused(staff, fund):
    """TK-1: aid goes to active files only; nothing is created for another status."""
    under_study = make_submitted(staff.intake, iban=IBAN)
    frozen = file_services.change_status(file=active_file(staff), to=FileStatus.FROZEN, now=NOW)
    for target in (under_study, frozen):
        with pytest.raises(ValidationError) as exc:
            propose_cash(target, staff, fund)
        assert refusal(exc) == message(policy.FILE_NOT_ACTIVE, status=ar(FileStatus(target.status).label))
    assert not Disbursement.objects.exists()


def test_tk1_cash_aid_without_iban_refused(staff, fund):
    """TK-1: cash aid is paid to the file's IBAN; without one it is refused."""
    no_iban = active_file(staff, iban="")
    with pytest.raises(ValidationError) as exc:
        propose_cash(no_iban, staff, fund)
    assert exc.value.code == "no_iban" and refusal(exc) == ar(policy.NO_IBAN)
    assert not Disbursement.objects.exists()


def test_tk1_cash_aid_needs_a_positive_amount(staff, file, fund):
    """TK-1: cash aid has an amount in riyals above zero."""
    for amount in ("0", "-5"):
        with pytest.raises(ValidationError) as exc:
            propose_cash(file, staff, fund, amount)
        assert exc.value.code == "amount_required"
    assert not Disbursement.objects.exists()


def test_tk1_proposal_records_household_size(staff, fund):
    """TK-1, TK-8: the household size when proposed is stored on the disbursement."""
    file = active_file(staff, members=2)
    assert propose_cash(file, staff, fund).household_size == 3


def test_tk1_proposer_cannot_approve_own(staff, file, fund):
    """TK-1: whoever proposed the aid may not approve it."""
    disbursement = propose_cash(file, staff, fund, by=staff.manager)
    with pytest.raises(ValidationError) as exc:
        services.approve_disbursement(disbursement=disbursement, by=staff.manager, now=NOW)
    assert refusal(exc) == ar(policy.OWN_PROPOSAL)
    disbursement.refresh_from_db()
    assert disbursement.status == Status.PROPOSED and disbursement.approved_by is None
    services.approve_disbursement(disbursement=disbursement, by=staff.approver, now=NOW)
    disbursement.refresh_from_db()
    assert disbursement.status == Status.APPROVED and disbursement.approved_by == staff.approver


def test_tk1_pay_needs_reference_copies_iban_and_tells_the_family(staff, file, fund,
                                                                  django_capture_on_commit_callbacks):
    """TK-1: payment needs the transfer reference; the IBAN is copied; the family gets an SMS in Arabic."""
    disbursement = services.approve_disbursement(disbursement=propose_cash(file, staff, fund, "250.00"),
                                                 by=staff.manager, now=NOW)
    with pytest.raises(ValidationError) as exc:
        services.pay_disbursement(disbursement=disbursement, by=staff.manager, today=TODAY, now=NOW,
                                  transfer_reference="  ")
    assert refusal(exc) == ar(policy.TRANSFER_REFERENCE_REQUIRED)
    disbursement.refresh_from_db()
    assert disbursement.status == Status.APPROVED and not Notification.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.pay_disbursement(disbursement=disbursement, by=staff.manager, today=TODAY, now=NOW,
                                  transfer_reference="TRX-778")
    disbursement.refresh_from_db()
    assert (disbursement.status, disbursement.iban, disbursement.transfer_reference) == (Status.PAID, IBAN, "TRX-778")
    assert disbursement.paid_on == TODAY and disbursement.paid_by == staff.manager
    sms = Notification.objects.get(purpose="aid-paid")
    assert sms.channel == "sms" and sms.recipient == file.mobile
    assert sms.body == message(policy.PAID_SMS, amount=D("250.00"), iban="7519", number=file.number)
    assert disbursement.history.filter(history_change_reason="TK-1 paid", history_user=staff.manager).exists()


def test_tk1_paid_file_frozen_after_approval_is_not_paid(staff, file, fund):
    """TK-1: a file frozen after approval is not paid."""
    disbursement = services.approve_disbursement(disbursement=propose_cash(file, staff, fund), by=staff.manager,
                                                 now=NOW)
    file_services.change_status(file=file, to=FileStatus.FROZEN, now=NOW)
    with pytest.raises(ValidationError) as exc:
        services.pay_disbursement(disbursement=disbursement, by=staff.manager, today=TODAY, now=NOW,
                                  transfer_reference="TRX-1")
    assert exc.value.code == "file_not_active"
    disbursement.refresh_from_db()
    assert disbursement.status == Status.APPROVED


def test_sat1_survey_hook_calls_send_survey_after_commit(staff, file, fund, monkeypatch,
                                                        django_capture_on_commit_callbacks):
    """SAT-1: after payment commits, the satisfaction app's send_survey is called for the event."""
    calls = []
    fake = types.ModuleType("satisfaction.services")
    fake.send_survey = lambda **kwargs: calls.append(kwargs)
    import satisfaction

    monkeypatch.setitem(sys.modules, "satisfaction.services", fake)
    monkeypatch.setattr(satisfaction, "services", fake, raising=False)
    disbursement = services.approve_disbursement(disbursement=propose_cash(file, staff, fund), by=staff.manager,
                                                 now=NOW)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.pay_disbursement(disbursement=disbursement, by=staff.manager, today=TODAY, now=NOW,
                                  transfer_reference="TRX-9")
    assert calls == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(calls) == 1
    assert calls[0]["event"].pk == disbursement.pk and calls[0]["service"] == "aid"
    assert calls[0]["file"] == file and calls[0]["staff"] == staff.researcher and calls[0]["now"] == NOW


def test_tk1_cancel_needs_reason_and_paid_aid_cannot_be_cancelled(staff, file, fund):
    """TK-1: cancelling needs a reason; paid aid is final."""
    disbursement = propose_cash(file, staff, fund)
    with pytest.raises(ValidationError) as exc:
        services.cancel_disbursement(disbursement=disbursement, by=staff.manager, reason=" ", now=NOW)
    assert refusal(exc) == ar(policy.CANCEL_REASON_REQUIRED)
    services.cancel_disbursement(disbursement=disbursement, by=staff.manager, reason="تكرار", now=NOW)
    disbursement.refresh_from_db()
    assert disbursement.status == Status.CANCELLED and "تكرار" in disbursement.note

    paid = paid_cash(file, staff, fund, "100.00")
    with pytest.raises(ValidationError) as exc:
        services.cancel_disbursement(disbursement=paid, by=staff.manager, reason="خطأ", now=NOW)
    assert exc.value.code == "not_allowed"
    paid.refresh_from_db()
    assert paid.status == Status.PAID


# --- TK-3: funds ---------------------------------------------------------------------------------


def test_tk3_fund_purpose_mismatch_refused(staff, file, fund):
    """TK-3: a fund designated for relief and food does not pay rent."""
    with pytest.raises(ValidationError) as exc:
        propose_cash(file, staff, fund, purpose=AidPurpose.RENT)
    assert exc.value.code == "purpose_not_of_fund"
    assert fund.name in refusal(exc)
    assert not Disbursement.objects.exists()


def test_tk3_balance_cannot_go_negative(staff, file, fund):
    """TK-3: balance = donations − approved and paid cash; an approval that overdraws is refused."""
    first, second = propose_cash(file, staff, fund, "600.00"), propose_cash(file, staff, fund, "600.00")
    assert reports.fund_balance(fund) == D("1000.00")  # proposals do not count
    services.approve_disbursement(disbursement=first, by=staff.manager, now=NOW)
    assert reports.fund_balance(fund) == D("400.00")
    with pytest.raises(ValidationError) as exc:
        services.approve_disbursement(disbursement=second, by=staff.manager, now=NOW)
    assert refusal(exc) == message(policy.INSUFFICIENT_BALANCE, fund=fund.name, balance=D("400.00"),
                                   amount=D("600.00"))
    second.refresh_from_db()
    assert second.status == Status.PROPOSED
    services.cancel_disbursement(disbursement=first, by=staff.manager, reason="أُلغيت", now=NOW)
    services.approve_disbursement(disbursement=second, by=staff.manager, now=NOW)
    assert reports.fund_balance(fund) == D("400.00")
    assert reports.funds_with_balance().get(pk=fund.pk).donated == D("1000.00")


def test_tk3_fund_needs_purposes_and_donations_are_positive(staff):
    """TK-3: a fund has designated purposes; a donation has a positive amount and is not in the future."""
    with pytest.raises(ValidationError) as exc:
        services.save_fund(by=staff.manager, name="صندوق", purposes=[])
    assert exc.value.code == "purposes_required"
    fund = services.save_fund(by=staff.manager, name="صندوق", purposes=[AidPurpose.FOOD])
    with pytest.raises(ValidationError):
        services.record_cash_donation(fund=fund, by=staff.manager, amount=D("0"), received_on=TODAY, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.record_cash_donation(fund=fund, by=staff.manager, amount=D("5"), received_on=TODAY
                                      + dt.timedelta(days=1), today=TODAY)
    assert exc.value.code == "date_in_future"
    assert not fund.donations.exists() and Fund.objects.count() == 1


def test_tk3_correcting_a_donation_never_leaves_a_fund_short_of_the_aid_approved_from_it(staff, file, fund):
    """TK-3: a recorded donation may be corrected (a typing error) but not below what was already
    approved or paid from its fund, nor moved to another fund if that leaves this one short."""
    paid_cash(file, staff, fund, "800.00")
    donation = fund.donations.get()
    other = services.save_fund(by=staff.manager, name="صندوق الغذاء", purposes=[AidPurpose.FOOD])
    for target, amount in ((fund, "700.00"), (other, "1000.00")):
        with pytest.raises(ValidationError) as exc:
            services.correct_cash_donation(donation=donation, by=staff.manager, fund=target, amount=D(amount),
                                           received_on=TODAY, today=TODAY)
        assert exc.value.code == "correction_uncovered"
        assert refusal(exc) == message(policy.CORRECTION_UNCOVERED, fund=fund.name, balance=D("-100.00")
                                       if target == fund else D("-800.00"))
    donation.refresh_from_db()
    assert (donation.fund, donation.amount) == (fund, D("1000.00"))
    corrected = services.correct_cash_donation(donation=donation, by=staff.manager, fund=fund, amount=D("800.00"),
                                               received_on=TODAY, today=TODAY, donor=" محسن ")
    assert (corrected.amount, corrected.donor, reports.fund_balance(fund)) == (D("800.00"), "محسن", D("0.00"))
    last = donation.history.latest()
    assert (last.history_user, last.history_change_reason) == (staff.manager, "TK-3 donation corrected")


def test_tk4_correcting_goods_keeps_what_was_given_and_the_checked_expiry(staff, file):
    """TK-4: the quantity received cannot fall below what was approved or given, and the expiry
    date a safety check was recorded against cannot move; before the check it may."""
    donation = goods(staff, 10, expires_on=TODAY + dt.timedelta(days=90))
    services.approve_disbursement(disbursement=propose_goods(file, staff, donation, 6), by=staff.manager, now=NOW)
    fields = {"donation": donation, "by": staff.manager, "item": donation.item, "unit": "", "donor": "",
              "received_on": TODAY, "today": TODAY}
    with pytest.raises(ValidationError) as exc:
        services.correct_in_kind_donation(**fields, quantity=5, expires_on=donation.expires_on)
    assert exc.value.code == "correction_below_given"
    with pytest.raises(ValidationError) as exc:
        services.correct_in_kind_donation(**fields, quantity=10, expires_on=TODAY + dt.timedelta(days=400))
    assert exc.value.code == "expiry_after_check"
    donation.refresh_from_db()
    assert (donation.quantity, donation.expires_on) == (10, TODAY + dt.timedelta(days=90))
    assert services.correct_in_kind_donation(**fields, quantity=6, expires_on=donation.expires_on).quantity == 6
    pending = goods(staff, 4, passed=None, expires_on=TODAY + dt.timedelta(days=30))
    moved = services.correct_in_kind_donation(**{**fields, "donation": pending}, quantity=4,
                                              expires_on=TODAY + dt.timedelta(days=60))
    assert moved.expires_on == TODAY + dt.timedelta(days=60)


# --- TK-4: goods and the safety check -------------------------------------------------------------


def propose_goods(file, staff, donation, quantity):
    return services.propose_disbursement(file=file, by=staff.researcher, kind=Kind.IN_KIND, purpose=AidPurpose.FOOD,
                                         items=[(donation, quantity)], now=NOW)


def test_tk4_unchecked_or_failed_goods_cannot_be_given(staff, file):
    """TK-4: only goods that passed the safety check can be given."""
    for donation in (goods(staff, passed=None), goods(staff, passed=False)):
        with pytest.raises(ValidationError) as exc:
            propose_goods(file, staff, donation, 1)
        assert refusal(exc) == message(policy.DONATION_NOT_PASSED, item=donation.item)
    assert not Disbursement.objects.exists()


def test_tk4_expired_goods_fail_the_check(staff):
    """TK-4: expired goods cannot pass; failing needs notes; the check is recorded once with who and when."""
    donation = goods(staff, passed=None, expires_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.check_donation_safety(donation=donation, by=staff.manager, passed=True, notes="", now=NOW,
                                       today=TODAY)
    assert exc.value.code == "expired_goods"
    with pytest.raises(ValidationError) as exc:
        services.check_donation_safety(donation=donation, by=staff.manager, passed=False, notes="", now=NOW,
                                       today=TODAY)
    assert exc.value.code == "notes_required"
    donation.refresh_from_db()
    assert donation.safety_check == InKindDonation.Check.PENDING
    services.check_donation_safety(donation=donation, by=staff.manager, passed=False, notes="منتهية", now=NOW,
                                   today=TODAY)
    donation.refresh_from_db()
    assert (donation.safety_check, donation.checked_by, donation.checked_at) == ("failed", staff.manager, NOW)
    with pytest.raises(ValidationError) as exc:
        services.check_donation_safety(donation=donation, by=staff.manager, passed=True, notes="", now=NOW,
                                       today=TODAY)
    assert exc.value.code == "already_checked"


def test_tk4_stock_limit(staff, file):
    """TK-4: stock = quantity − approved and paid items; giving more than the stock is refused."""
    donation = goods(staff, 10)
    services.approve_disbursement(disbursement=propose_goods(file, staff, donation, 6), by=staff.manager, now=NOW)
    assert reports.donations_with_stock().get(pk=donation.pk).stock == 4
    with pytest.raises(ValidationError) as exc:
        propose_goods(file, staff, donation, 5)
    assert refusal(exc) == message(policy.STOCK_EXCEEDED, item=donation.item, stock=4)
    first, second = propose_goods(file, staff, donation, 4), propose_goods(file, staff, donation, 4)
    services.approve_disbursement(disbursement=first, by=staff.manager, now=NOW)
    with pytest.raises(ValidationError) as exc:
        services.approve_disbursement(disbursement=second, by=staff.manager, now=NOW)
    assert exc.value.code == "stock_exceeded"
    second.refresh_from_db()
    assert second.status == Status.PROPOSED
    assert reports.donations_with_stock().get(pk=donation.pk).stock == 0


def test_tk4_handing_over_goods_needs_no_iban_nor_reference(staff):
    """TK-1, TK-4: in-kind aid is handed over without an IBAN or transfer reference."""
    file = active_file(staff, iban="")
    disbursement = propose_goods(file, staff, goods(staff, 3), 2)
    services.approve_disbursement(disbursement=disbursement, by=staff.manager, now=NOW)
    services.pay_disbursement(disbursement=disbursement, by=staff.manager, today=TODAY, now=NOW)
    disbursement.refresh_from_db()
    assert disbursement.status == Status.PAID and disbursement.amount == 0 and disbursement.fund is None
    assert not Notification.objects.filter(purpose="aid-paid").exists()


# --- TK-5: campaigns --------------------------------------------------------------------------------


def test_tk5_campaign_proposes_per_household_size_and_is_idempotent(staff, fund):
    """TK-5: one proposal per active file (amount per member × household size), files without an
    IBAN reported; running it again proposes nothing twice."""
    small, large = active_file(staff), active_file(staff, members=3)
    no_iban = active_file(staff, iban="")
    make_submitted(staff.intake, iban=IBAN)  # under study: not targeted
    criteria = {"files": [], "categories": ["widow"], "cities": []}
    preview = services.preview_campaign(criteria=criteria, by=staff.manager, amount_per_member=D("150"))
    assert (preview.files, preview.proposed, preview.total) == (3, 2, D("750.00"))

    result = services.create_campaign(by=staff.manager, name="سيول", reason="سيول جدة", fund=fund,
                                      amount_per_member=D("150"), purpose=AidPurpose.RELIEF, criteria=criteria, now=NOW)
    amounts = dict(Disbursement.objects.filter(campaign=result.campaign).values_list("file_id", "amount"))
    assert amounts == {small.pk: D("150.00"), large.pk: D("600.00")}
    assert result.proposed == 2 and [r["number"] for r in result.no_iban] == [no_iban.number]
    assert set(Disbursement.objects.values_list("status", "household_size")) == {(Status.PROPOSED, 1),
                                                                                (Status.PROPOSED, 4)}
    assert Disbursement.history.filter(history_change_reason__startswith="TK-5").count() == 2

    again = services.propose_campaign_aid(campaign=result.campaign, by=staff.manager, now=NOW)
    assert (again.proposed, again.already) == (0, 2)
    assert Disbursement.objects.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(file=small, kind=Kind.CASH, purpose=AidPurpose.RELIEF, fund=fund, amount=1,
                                    campaign=result.campaign, proposed_by=staff.manager, proposed_at=NOW)


def test_tk5_campaign_needs_criteria_and_its_funds_purpose(staff, file, fund):
    """TK-5, TK-3: a campaign names its files and spends a fund only on the fund's purposes."""
    with pytest.raises(ValidationError) as exc:
        services.preview_campaign(criteria={}, by=staff.manager, amount_per_member=D("1"))
    assert exc.value.code == "criteria_required"
    with pytest.raises(ValidationError) as exc:
        services.create_campaign(by=staff.manager, name="x", reason="x", fund=fund, amount_per_member=D("10"),
                                 purpose=AidPurpose.RENT, criteria={"files": [file.pk]}, now=NOW)
    assert exc.value.code == "purpose_not_of_fund"
    assert not Disbursement.objects.exists()


def test_tk5_campaign_targets_only_files_the_user_sees_by_city(staff, fund):
    """TK-5: criteria narrow each other; files outside the user's scope are never targeted."""
    mine = active_file(staff)
    theirs = active_file(staff, researcher=staff.other_researcher)
    targets = services.campaign_targets(criteria={"cities": [mine.city]}, by=staff.researcher)
    assert list(targets) == [mine]
    assert set(services.campaign_targets(criteria={"cities": [mine.city]}, by=staff.manager)) == {mine, theirs}
    assert not services.campaign_targets(criteria={"cities": ["أبها"]}, by=staff.manager).exists()


# --- TK-2: recommendations --------------------------------------------------------------------------


def test_tk2_recommendation_followed_up_to_a_file(staff, file):
    """TK-2: no identity number is needed; contacted → applied (with the new file); outcomes are final."""
    rec = services.recommend_family(by=staff.researcher, now=NOW, family_name="أسرة أبو محمد", city="الرياض",
                                    situation="أرملة مع أربعة أطفال", recommended_aid="سلة غذائية شهرية")
    assert rec.status == Recommendation.Status.RECOMMENDED
    services.follow_up_recommendation(recommendation=rec, by=staff.manager, status="contacted", note="اتصلنا")
    with pytest.raises(ValidationError) as exc:
        services.follow_up_recommendation(recommendation=rec, by=staff.manager, status="applied")
    assert exc.value.code == "file_required"
    rec = services.follow_up_recommendation(recommendation=rec, by=staff.manager, status="applied", file=file)
    assert rec.status == "applied" and rec.file == file and rec.outcome_note == "اتصلنا"
    with pytest.raises(ValidationError) as exc:
        services.follow_up_recommendation(recommendation=rec, by=staff.manager, status="declined")
    assert exc.value.code == "follow_up_not_allowed"


# --- DU-7: cards ------------------------------------------------------------------------------------------


def test_du7_card_lifecycle_keeps_one_active_card(staff, file):
    """DU-7: issue, report lost, replace (old replaced, new active), cancel; one active card per file."""
    card = services.issue_card(file=file, by=staff.manager, number="C-1001", today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.issue_card(file=file, by=staff.manager, number="C-1002", today=TODAY)
    assert refusal(exc) == message(policy.CARD_ALREADY_ACTIVE, number="C-1001")
    services.report_card_lost(card=card, by=staff.manager, today=TODAY, note="فقدتها الأسرة")
    card.refresh_from_db()
    assert card.status == "lost" and card.status_changed_on == TODAY
    with pytest.raises(ValidationError) as exc:
        services.replace_card(card=card, by=staff.manager, new_number="C-1001", today=TODAY)
    assert exc.value.code == "card_number_taken"
    card.refresh_from_db()
    assert card.status == "lost"  # nothing changed
    new = services.replace_card(card=card, by=staff.manager, new_number="C-1002", today=TODAY)
    card.refresh_from_db()
    assert card.status == "replaced" and new.status == "active"
    assert list(file.cards.filter(status="active")) == [new]
    services.cancel_card(card=new, by=staff.manager, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.report_card_lost(card=new, by=staff.manager, today=TODAY)
    assert exc.value.code == "card_not_allowed"
    with pytest.raises(IntegrityError), transaction.atomic():
        services.issue_card(file=file, by=staff.manager, number="C-2001", today=TODAY)
        ElectronicCard.objects.create(file=file, number="C-2002", issued_on=TODAY, issued_by=staff.manager)


def test_du7_card_only_for_active_files(staff):
    """DU-7, TK-1: cards are issued to active files."""
    frozen = file_services.change_status(file=active_file(staff), to=FileStatus.FROZEN, now=NOW)
    with pytest.raises(ValidationError) as exc:
        services.issue_card(file=frozen, by=staff.manager, number="C-1", today=TODAY)
    assert exc.value.code == "file_not_active"
    assert not ElectronicCard.objects.exists()


# --- TK-8: the equality report ----------------------------------------------------------------------------


def seed_equality(staff, fund):
    """Four files with known sizes and payments; returns (files, expected per member, period)."""
    start, end = dt.date(2026, 10, 1), dt.date(2026, 11, 30)
    food = services.save_fund(by=staff.manager, name="صندوق الغذاء", purposes=[AidPurpose.FOOD])
    services.record_cash_donation(fund=food, by=staff.manager, amount=D("5000"), received_on=TODAY, today=TODAY)
    services.record_cash_donation(fund=fund, by=staff.manager, amount=D("9000"), received_on=TODAY, today=TODAY)
    a, b = active_file(staff), active_file(staff, members=1)
    c, d = active_file(staff, members=3), active_file(staff, members=4, categories=("orphan",))
    paid_cash(a, staff, fund, "900.00", on=dt.date(2026, 10, 5))
    paid_cash(b, staff, fund, "300.00")
    add_member(b)  # household of 3 from now on
    paid_cash(b, staff, fund, "450.00")
    paid_cash(c, staff, food, "400.00", purpose=AidPurpose.FOOD)
    paid_cash(d, staff, fund, "500.00")
    paid_cash(d, staff, fund, "999.00", on=dt.date(2026, 9, 30))  # outside the period
    services.approve_disbursement(disbursement=propose_cash(a, staff, fund, "700.00"), by=staff.manager, now=NOW)
    return (a, b, c, d), start, end


def test_tk8_equality_report_matches_an_independent_computation(staff, fund, django_assert_num_queries):
    """TK-8: per file Σ(paid amount / household size when proposed); count, min, median, max, mean;
    files far from the median; totals by purpose and fund. Approved-only and out-of-period aid excluded.
    Three aggregate queries whatever the number of files (per file, by purpose, by fund)."""
    (a, b, c, d), start, end = seed_equality(staff, fund)
    staff.manager.has_perm("beneficiaries.view_all_files")  # load the permission cache first
    with django_assert_num_queries(3):
        report = reports.equality_report(user=staff.manager, start=start, end=end)
    expected = {a.number: D("900.00"), b.number: D("300") / 2 + D("450") / 3, c.number: D("100.00"),
                d.number: D("100.00")}
    assert {r["file__number"]: r["per_member"] for r in report["rows"]} == expected
    values = sorted(expected.values())  # 100, 100, 300, 900
    assert report["stats"] == {"count": 4, "min": values[0], "median": (values[1] + values[2]) / 2,
                               "max": values[-1], "mean": sum(values) / 4}
    assert [r["file__number"] for r in report["far_above"]] == [a.number]  # 900 > 2 × 200
    assert report["far_below"] == []  # 100 is exactly half the median: not below it
    assert report["total"] == D("2550.00")
    assert {r["purpose"]: (r["total"], r["files"]) for r in report["by_purpose"]} == {
        "relief": (D("2150.00"), 3), "food": (D("400.00"), 1)}
    assert {r["fund__name"]: (r["total"], r["files"]) for r in report["by_fund"]} == {
        fund.name: (D("2150.00"), 3), "صندوق الغذاء": (D("400.00"), 1)}


def test_tk8_equality_report_by_category_and_scope(staff, fund):
    """TK-8: the optional category narrows the files; a researcher sees only the files they may see."""
    (a, b, c, d), start, end = seed_equality(staff, fund)
    orphan = Category.objects.get(code="orphan")
    report = reports.equality_report(user=staff.manager, start=start, end=end, category=orphan)
    assert [r["file__number"] for r in report["rows"]] == [d.number]
    assert report["stats"]["median"] == D("100.00")
    assert reports.equality_report(user=staff.other_researcher, start=start, end=end)["rows"] == []


@pytest.mark.django_db(transaction=True)
def test_tk3_concurrent_approvals_never_overdraw_the_fund(profile, make_user, settings, tmp_path, monkeypatch):
    """TK-3: two approvers at the same moment on one fund: the fund row is locked, so only one of two
    600 SAR approvals passes a 1000 SAR balance (PostgreSQL; SQLite serialises writers anyway)."""
    import threading
    import time

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    settings.MEDIA_ROOT = tmp_path
    staff = make_staff(make_user)
    fund = make_fund(staff)
    proposals = [propose_cash(active_file(staff), staff, fund, "600.00") for _ in range(2)]  # two files
    barrier, outcomes = threading.Barrier(2), []
    balance_of = reports.fund_balance

    def slow_balance(fund):  # widen the window between reading the balance and saving the approval
        balance = balance_of(fund)
        time.sleep(0.5)
        return balance

    monkeypatch.setattr(reports, "fund_balance", slow_balance)

    def approve(disbursement, approver):
        try:
            barrier.wait()
            services.approve_disbursement(disbursement=disbursement, by=approver, now=NOW)
            outcomes.append("approved")
        except ValidationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    approvers = (staff.manager, staff.approver)
    threads = [threading.Thread(target=approve, args=pair) for pair in zip(proposals, approvers, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["approved", "insufficient_balance"]
    assert balance_of(fund) == D("400.00")
