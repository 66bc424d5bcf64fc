"""TK-3: funds and the cash donated into them; TK-4: donated goods and their safety check.
Corrections made in admin come here too, checked again under lock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from charity import calendar

from .. import policy, reports
from ..models import AidPurpose, CashDonation, Fund, InKindDonation
from .common import refuse, stamp

Check = InKindDonation.Check


def save_fund(*, by, name: str, purposes, description: str = "", is_active: bool = True,
              fund: Fund | None = None) -> Fund:
    """TK-3: create or change a fund and its designated purposes."""
    purposes = list(dict.fromkeys(purposes or ()))
    if not purposes:
        refuse(policy.PURPOSES_REQUIRED, "purposes_required")
    for purpose in purposes:
        if purpose not in AidPurpose.values:
            refuse(policy.UNKNOWN_PURPOSE, "unknown_purpose", purpose=purpose)
    fund = fund or Fund()
    fund.name, fund.purposes, fund.description, fund.is_active = name.strip(), purposes, description, is_active
    stamp(fund, by, "TK-3 fund saved").save()
    return fund


def record_cash_donation(*, fund: Fund, by, amount, received_on: dt.date, today: dt.date, donor: str = "",
                         reference: str = "") -> CashDonation:
    """TK-3: record a cash donation received into a fund."""
    if amount is None or amount <= 0:
        refuse(policy.AMOUNT_REQUIRED, "amount_required")
    if received_on > today:
        refuse(policy.DATE_IN_FUTURE, "date_in_future")
    if not fund.is_active:
        refuse(policy.FUND_INACTIVE, "fund_inactive", fund=fund.name)
    donation = CashDonation(fund=fund, amount=amount, received_on=received_on, donor=donor.strip(),
                            reference=reference.strip(), recorded_by=by)
    stamp(donation, by, "TK-3 donation").save()
    return donation


def check_cash_donation_correction(*, donation: CashDonation, fund: Fund, amount, received_on: dt.date,
                                   today: dt.date) -> Decimal:
    """TK-3: refuse a correction of a recorded donation (its fund, its amount) that would leave a
    fund with less than the aid already approved or paid from it; return the amount to store.
    A form calls it for its first answer; `correct_cash_donation` calls it again under lock."""
    if amount is None or amount <= 0:
        refuse(policy.AMOUNT_REQUIRED, "amount_required")
    if received_on > today:
        refuse(policy.DATE_IN_FUTURE, "date_in_future")
    amount = Decimal(amount).quantize(policy.CENT)
    for affected in {donation.fund, fund}:
        # The fund's balance as it would be: this donation moved or changed, nothing else.
        balance = reports.fund_balance(affected) - (donation.amount if affected.pk == donation.fund_id else 0) \
            + (amount if affected.pk == fund.pk else 0)
        if balance < 0:
            refuse(policy.CORRECTION_UNCOVERED, "correction_uncovered", fund=affected.name, balance=balance)
    return amount


def correct_cash_donation(*, donation: CashDonation, by, fund: Fund, amount, received_on: dt.date, today: dt.date,
                          donor: str = "", reference: str = "") -> CashDonation:
    """TK-3: correct a recorded cash donation (a typing error), with the funds locked so no
    approval spends the money being taken away at the same moment."""
    with transaction.atomic():
        for pk in sorted({donation.fund_id, fund.pk}):
            Fund.objects.select_for_update().get(pk=pk)  # the order approvals lock in: no deadlock
        locked = CashDonation.objects.select_for_update().select_related("fund").get(pk=donation.pk)
        amount = check_cash_donation_correction(donation=locked, fund=fund, amount=amount, received_on=received_on,
                                                today=today)
        locked.fund, locked.amount, locked.received_on = fund, amount, received_on
        locked.donor, locked.reference = donor.strip(), reference.strip()
        stamp(locked, by, "TK-3 donation corrected").save()
    return locked


def check_in_kind_donation_correction(*, donation: InKindDonation, quantity: int, expires_on: dt.date | None,
                                      received_on: dt.date, today: dt.date) -> None:
    """TK-4: refuse a correction of donated goods that would leave less received than was
    already approved or given, or move the expiry date a safety check was recorded against."""
    if not quantity or quantity < 1:
        refuse(policy.QUANTITY_REQUIRED, "quantity_required")
    if received_on > today:
        refuse(policy.DATE_IN_FUTURE, "date_in_future")
    if donation.safety_check != Check.PENDING and expires_on != donation.expires_on:
        refuse(policy.EXPIRY_AFTER_CHECK, "expiry_after_check")
    given = reports.donations_with_stock(InKindDonation.objects.filter(pk=donation.pk)).get().given_out
    if quantity < given:
        refuse(policy.CORRECTION_BELOW_GIVEN, "correction_below_given", given=given, item=donation.item)


def correct_in_kind_donation(*, donation: InKindDonation, by, item: str, unit: str, quantity: int, donor: str,
                             received_on: dt.date, expires_on: dt.date | None, today: dt.date) -> InKindDonation:
    """TK-4: correct recorded goods (a typing error), the donation locked as approvals lock it."""
    with transaction.atomic():
        locked = InKindDonation.objects.select_for_update().get(pk=donation.pk)
        check_in_kind_donation_correction(donation=locked, quantity=quantity, expires_on=expires_on,
                                          received_on=received_on, today=today)
        locked.item, locked.quantity, locked.donor = item.strip(), quantity, donor.strip()
        locked.unit = unit.strip() or locked.unit
        locked.received_on, locked.expires_on = received_on, expires_on
        stamp(locked, by, "TK-4 goods corrected").save()
    return locked


def record_in_kind_donation(*, by, item: str, quantity: int, received_on: dt.date, today: dt.date,
                            unit: str = "", expires_on: dt.date | None = None, donor: str = "") -> InKindDonation:
    """TK-4: record donated goods; they wait for the safety check."""
    if not quantity or quantity < 1:
        refuse(policy.QUANTITY_REQUIRED, "quantity_required")
    if received_on > today:
        refuse(policy.DATE_IN_FUTURE, "date_in_future")
    donation = InKindDonation(item=item.strip(), quantity=quantity, received_on=received_on, expires_on=expires_on,
                              donor=donor.strip(), recorded_by=by)
    if unit.strip():
        donation.unit = unit.strip()
    stamp(donation, by, "TK-4 received").save()
    return donation


def check_donation_safety(*, donation: InKindDonation, by, passed: bool, notes: str, now: dt.datetime,
                          today: dt.date) -> InKindDonation:
    """TK-4: record who checked the goods, when, the result and notes; expired goods fail."""
    with transaction.atomic():
        locked = InKindDonation.objects.select_for_update().get(pk=donation.pk)
        if locked.safety_check != Check.PENDING:
            refuse(policy.ALREADY_CHECKED, "already_checked")
        if passed and policy.goods_expired(locked.expires_on, today):
            refuse(policy.EXPIRED_GOODS, "expired_goods", date=calendar.format_dual(locked.expires_on))
        if not passed and not notes.strip():
            refuse(policy.FAIL_NOTES_REQUIRED, "notes_required")
        locked.safety_check = Check.PASSED if passed else Check.FAILED
        locked.checked_by, locked.checked_at, locked.check_notes = by, now, notes.strip()
        stamp(locked, by, f"TK-4 check {locked.safety_check}").save()
    return locked
