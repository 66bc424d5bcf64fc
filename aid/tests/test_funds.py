"""TK-3 funds and their balance, TK-4 donated goods and the safety check, through the services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from aid import policy, reports, services
from aid.models import AidPurpose, Disbursement, Fund, InKindDonation
from charity.models import Notification
from testdata import NOW, TODAY

from .builders import D, Status, active_file, goods, message, paid_cash, propose_cash, propose_goods, refusal

pytestmark = pytest.mark.django_db


# --- TK-3: funds ---------------------------------------------------------------------------------


@pytest.mark.rule("TK-3")
def test_tk3_fund_purpose_mismatch_refused(staff, file, fund):
    """TK-3: a fund designated for relief and food does not pay rent."""
    with pytest.raises(ValidationError) as exc:
        propose_cash(file, staff, fund, purpose=AidPurpose.RENT)
    assert exc.value.code == "purpose_not_of_fund"
    assert fund.name in refusal(exc)
    assert not Disbursement.objects.exists()


@pytest.mark.rule("TK-3")
def test_tk3_balance_cannot_go_negative(staff, file, fund):
    """TK-3: balance = donations − approved and paid cash; an approval that overdraws is refused."""
    first, second = propose_cash(file, staff, fund, "600.00"), propose_cash(file, staff, fund, "600.00")
    assert reports.fund_balance(fund) == D("1000.00")  # proposals do not count
    services.approve_disbursement(disbursement=first, by=staff["manager"], now=NOW)
    assert reports.fund_balance(fund) == D("400.00")
    with pytest.raises(ValidationError) as exc:
        services.approve_disbursement(disbursement=second, by=staff["manager"], now=NOW)
    assert refusal(exc) == message(policy.INSUFFICIENT_BALANCE, fund=fund.name, balance=D("400.00"),
                                   amount=D("600.00"))
    second.refresh_from_db()
    assert second.status == Status.PROPOSED
    services.cancel_disbursement(disbursement=first, by=staff["manager"], reason="أُلغيت", now=NOW)
    services.approve_disbursement(disbursement=second, by=staff["manager"], now=NOW)
    assert reports.fund_balance(fund) == D("400.00")
    assert reports.funds_with_balance().get(pk=fund.pk).donated == D("1000.00")


@pytest.mark.rule("TK-3")
def test_tk3_fund_needs_purposes_and_donations_are_positive(staff):
    """TK-3: a fund has designated purposes; a donation has a positive amount and is not in the future."""
    with pytest.raises(ValidationError) as exc:
        services.save_fund(by=staff["manager"], name="صندوق", purposes=[])
    assert exc.value.code == "purposes_required"
    fund = services.save_fund(by=staff["manager"], name="صندوق", purposes=[AidPurpose.FOOD])
    with pytest.raises(ValidationError):
        services.record_cash_donation(fund=fund, by=staff["manager"], amount=D("0"), received_on=TODAY, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.record_cash_donation(fund=fund, by=staff["manager"], amount=D("5"), received_on=TODAY
                                      + dt.timedelta(days=1), today=TODAY)
    assert exc.value.code == "date_in_future"
    assert not fund.donations.exists() and Fund.objects.count() == 1


@pytest.mark.rule("TK-3")
def test_tk3_correcting_a_donation_never_leaves_a_fund_short_of_the_aid_approved_from_it(staff, file, fund):
    """TK-3: a recorded donation may be corrected (a typing error) but not below what was already
    approved or paid from its fund, nor moved to another fund if that leaves this one short."""
    paid_cash(file, staff, fund, "800.00")
    donation = fund.donations.get()
    other = services.save_fund(by=staff["manager"], name="صندوق الغذاء", purposes=[AidPurpose.FOOD])
    for target, amount in ((fund, "700.00"), (other, "1000.00")):
        with pytest.raises(ValidationError) as exc:
            services.correct_cash_donation(donation=donation, by=staff["manager"], fund=target, amount=D(amount),
                                           received_on=TODAY, today=TODAY)
        assert exc.value.code == "correction_uncovered"
        assert refusal(exc) == message(policy.CORRECTION_UNCOVERED, fund=fund.name, balance=D("-100.00")
                                       if target == fund else D("-800.00"))
    donation.refresh_from_db()
    assert (donation.fund, donation.amount) == (fund, D("1000.00"))
    corrected = services.correct_cash_donation(donation=donation, by=staff["manager"], fund=fund, amount=D("800.00"),
                                               received_on=TODAY, today=TODAY, donor=" محسن ")
    assert (corrected.amount, corrected.donor, reports.fund_balance(fund)) == (D("800.00"), "محسن", D("0.00"))
    last = donation.history.latest()
    assert (last.history_user, last.history_change_reason) == (staff["manager"], "TK-3 donation corrected")


@pytest.mark.rule("TK-4")
def test_tk4_correcting_goods_keeps_what_was_given_and_the_checked_expiry(staff, file):
    """TK-4: the quantity received cannot fall below what was approved or given, and the expiry
    date a safety check was recorded against cannot move; before the check it may."""
    donation = goods(staff, 10, expires_on=TODAY + dt.timedelta(days=90))
    services.approve_disbursement(disbursement=propose_goods(file, staff, donation, 6), by=staff["manager"], now=NOW)
    fields = {"donation": donation, "by": staff["manager"], "item": donation.item, "unit": "", "donor": "",
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


@pytest.mark.rule("TK-4")
def test_tk4_unchecked_or_failed_goods_cannot_be_given(staff, file):
    """TK-4: only goods that passed the safety check can be given."""
    for donation in (goods(staff, passed=None), goods(staff, passed=False)):
        with pytest.raises(ValidationError) as exc:
            propose_goods(file, staff, donation, 1)
        assert refusal(exc) == message(policy.DONATION_NOT_PASSED, item=donation.item)
    assert not Disbursement.objects.exists()


@pytest.mark.rule("TK-4")
def test_tk4_expired_goods_fail_the_check(staff):
    """TK-4: expired goods cannot pass; failing needs notes; the check is recorded once with who and when."""
    donation = goods(staff, passed=None, expires_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.check_donation_safety(donation=donation, by=staff["manager"], passed=True, notes="", now=NOW,
                                       today=TODAY)
    assert exc.value.code == "expired_goods"
    with pytest.raises(ValidationError) as exc:
        services.check_donation_safety(donation=donation, by=staff["manager"], passed=False, notes="", now=NOW,
                                       today=TODAY)
    assert exc.value.code == "notes_required"
    donation.refresh_from_db()
    assert donation.safety_check == InKindDonation.Check.PENDING
    services.check_donation_safety(donation=donation, by=staff["manager"], passed=False, notes="منتهية", now=NOW,
                                   today=TODAY)
    donation.refresh_from_db()
    assert (donation.safety_check, donation.checked_by, donation.checked_at) == ("failed", staff["manager"], NOW)
    with pytest.raises(ValidationError) as exc:
        services.check_donation_safety(donation=donation, by=staff["manager"], passed=True, notes="", now=NOW,
                                       today=TODAY)
    assert exc.value.code == "already_checked"


@pytest.mark.rule("TK-4")
def test_tk4_stock_limit(staff, file):
    """TK-4: stock = quantity − approved and paid items; giving more than the stock is refused."""
    donation = goods(staff, 10)
    services.approve_disbursement(disbursement=propose_goods(file, staff, donation, 6), by=staff["manager"], now=NOW)
    assert reports.donations_with_stock().get(pk=donation.pk).stock == 4
    with pytest.raises(ValidationError) as exc:
        propose_goods(file, staff, donation, 5)
    assert refusal(exc) == message(policy.STOCK_EXCEEDED, item=donation.item, stock=4)
    first, second = propose_goods(file, staff, donation, 4), propose_goods(file, staff, donation, 4)
    services.approve_disbursement(disbursement=first, by=staff["manager"], now=NOW)
    with pytest.raises(ValidationError) as exc:
        services.approve_disbursement(disbursement=second, by=staff["manager"], now=NOW)
    assert exc.value.code == "stock_exceeded"
    second.refresh_from_db()
    assert second.status == Status.PROPOSED
    assert reports.donations_with_stock().get(pk=donation.pk).stock == 0


@pytest.mark.rule("TK-1", "TK-4")
def test_tk4_handing_over_goods_needs_no_iban_nor_reference(staff):
    """TK-1, TK-4: in-kind aid is handed over without an IBAN or transfer reference."""
    file = active_file(staff, iban="")
    disbursement = propose_goods(file, staff, goods(staff, 3), 2)
    services.approve_disbursement(disbursement=disbursement, by=staff["manager"], now=NOW)
    services.pay_disbursement(disbursement=disbursement, by=staff["manager"], today=TODAY, now=NOW)
    disbursement.refresh_from_db()
    assert disbursement.status == Status.PAID and disbursement.amount == 0 and disbursement.fund is None
    assert not Notification.objects.filter(purpose="aid-paid").exists()
