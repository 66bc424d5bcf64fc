"""TK-1: aid proposed for an active file, approved by someone else, paid to the file's IBAN or
handed over as goods (TK-4), or cancelled; after the payment, the satisfaction survey (SAT-1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from beneficiaries.messages import portal_link
from beneficiaries.models import BeneficiaryFile
from beneficiaries.services import lock_file
from charity import calendar
from charity.messages import render_message
from charity.notifications import queue_notification
from charity.queue import enqueue
from satisfaction.models import Service, Survey
from satisfaction.services import send_survey

from .. import policy, reports
from ..models import Disbursement, DisbursementItem, Fund, InKindDonation
from .common import check_fund, refuse, require_active, stamp

Kind, Status = Disbursement.Kind, Disbursement.Status
Check = InKindDonation.Check
# SAT-1: the task that sends the survey of a payment (aid/tasks.py), named, never imported.
PAYMENT_SURVEY_TASK = "aid.tasks.send_payment_survey"


def _household_size(file: BeneficiaryFile) -> int:
    return max(file.members.current().count(), 1)


def _check_cash(file: BeneficiaryFile, fund: Fund | None, purpose: str, amount) -> Decimal:
    """TK-1, TK-3: cash aid has an amount, comes from a fund designated for it, and goes to an IBAN."""
    if amount is None or amount <= 0:
        refuse(policy.AMOUNT_REQUIRED, "amount_required")
    check_fund(fund, purpose)
    if not file.iban:
        refuse(policy.NO_IBAN, "no_iban")
    return Decimal(amount).quantize(policy.CENT)


def _merge_items(items) -> dict[int, int]:
    merged: dict[int, int] = {}
    for donation, quantity in items:
        if not quantity or quantity < 1:
            refuse(policy.QUANTITY_REQUIRED, "quantity_required")
        merged[donation.pk] = merged.get(donation.pk, 0) + quantity
    if not merged:
        refuse(policy.ITEMS_REQUIRED, "items_required")
    return merged


def _check_stock(wanted: dict[int, int], today: dt.date, *, lock: bool) -> None:
    """TK-4: only goods that passed the safety check and have not expired, within the stock."""
    donations = InKindDonation.objects.filter(pk__in=wanted).order_by("pk")
    if lock:
        list(donations.select_for_update())  # lock in a fixed order, then read the stock
    for donation in reports.donations_with_stock(donations):
        if donation.safety_check != Check.PASSED:
            refuse(policy.DONATION_NOT_PASSED, "donation_not_passed", item=donation.item)
        if policy.goods_expired(donation.expires_on, today):
            refuse(policy.DONATION_EXPIRED, "donation_expired", item=donation.item,
                   date=calendar.format_dual(donation.expires_on))
        if wanted[donation.pk] > donation.stock:
            refuse(policy.STOCK_EXCEEDED, "stock_exceeded", item=donation.item, stock=max(donation.stock, 0))


def propose_disbursement(*, file: BeneficiaryFile, by, kind: str, purpose: str, now: dt.datetime,
                         fund: Fund | None = None, amount=None, items=(), note: str = "") -> Disbursement:
    """TK-1: propose cash aid (to the file's IBAN, from a fund) or in-kind aid (from donated goods)."""
    today = timezone.localdate(now)
    with transaction.atomic():
        locked = lock_file(file)
        require_active(locked)
        wanted = {}
        if kind == Kind.CASH:
            amount = _check_cash(locked, fund, purpose, amount)
        else:
            wanted = _merge_items(items)
            _check_stock(wanted, today, lock=False)
            fund, amount = None, Decimal("0")  # goods are not paid from a fund
        disbursement = stamp(Disbursement(
            file=locked, kind=kind, purpose=purpose, fund=fund, amount=amount, household_size=_household_size(locked),
            proposed_by=by, proposed_at=now, note=note.strip()), by, "TK-1 proposed")
        disbursement.save()
        DisbursementItem.objects.bulk_create(DisbursementItem(disbursement=disbursement, donation_id=pk, quantity=q)
                                             for pk, q in wanted.items())
    return disbursement


def lock_for_transition(disbursement: Disbursement, to: str) -> Disbursement:
    """The disbursement locked for update, refused unless it may move to `to` (policy.can_move)."""
    locked = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if not policy.can_move(locked.status, to):
        refuse(policy.NOT_ALLOWED, "not_allowed", current=Status(locked.status).label, new=Status(to).label)
    return locked


def approve_disbursement(*, disbursement: Disbursement, by, now: dt.datetime) -> Disbursement:
    """TK-1: the approver (never the proposer) approves; TK-3 the fund covers it; TK-4 the stock does."""
    with transaction.atomic():
        locked = lock_for_transition(disbursement, Status.APPROVED)
        if policy.is_own_proposal(locked, by):
            refuse(policy.OWN_PROPOSAL, "own_proposal")
        require_active(lock_file(locked.file))
        if locked.kind == Kind.CASH:
            fund = Fund.objects.select_for_update().get(pk=locked.fund_id)  # serialise approvals on the fund
            check_fund(fund, locked.purpose)
            balance = reports.fund_balance(fund)
            if not policy.balance_covers(balance, locked.amount):
                refuse(policy.INSUFFICIENT_BALANCE, "insufficient_balance", fund=fund.name, balance=balance,
                       amount=locked.amount)
        else:
            wanted = _merge_items((item.donation, item.quantity) for item in locked.items.select_related("donation"))
            _check_stock(wanted, timezone.localdate(now), lock=True)
        locked.status, locked.approved_by, locked.approved_at = Status.APPROVED, by, now
        stamp(locked, by, "TK-1 approved").save()
    return locked


def pay_disbursement(*, disbursement: Disbursement, by, today: dt.date, now: dt.datetime,
                     transfer_reference: str = "") -> Disbursement:
    """TK-1: pay cash to the file's IBAN (with the transfer reference) or hand the goods over;
    tell the family by SMS and, after commit, send the satisfaction survey (SAT-1)."""
    with transaction.atomic():
        locked = lock_for_transition(disbursement, Status.PAID)
        file = lock_file(locked.file)
        require_active(file)
        if locked.kind == Kind.CASH:
            if not transfer_reference.strip():
                refuse(policy.TRANSFER_REFERENCE_REQUIRED, "transfer_reference_required")
            if not file.iban:
                refuse(policy.NO_IBAN, "no_iban")
            locked.iban, locked.transfer_reference = file.iban, transfer_reference.strip()
        else:
            for item in locked.items.select_related("donation"):
                if policy.goods_expired(item.donation.expires_on, today):
                    refuse(policy.DONATION_EXPIRED, "donation_expired", item=item.donation.item,
                           date=calendar.format_dual(item.donation.expires_on))
        locked.status, locked.paid_on, locked.paid_by = Status.PAID, today, by
        stamp(locked, by, "TK-1 paid").save()
        if locked.kind == Kind.CASH:
            _tell_family_paid(file, locked)
        enqueue(PAYMENT_SURVEY_TASK, locked.pk, now.isoformat())  # SAT-1, after the commit
    return locked


def _tell_family_paid(file: BeneficiaryFile, disbursement: Disbursement) -> None:
    body = render_message("aid-paid", {"amount": disbursement.amount, "iban_end": disbursement.iban[-4:],
                                       "file_number": file.number, "portal_link": portal_link()})
    queue_notification(channel="sms", recipient=file.mobile, body=body, about=disbursement, purpose="aid-paid",
                       dedupe_key=f"aid-paid-{disbursement.pk}")


def cancel_disbursement(*, disbursement: Disbursement, by, reason: str, now: dt.datetime) -> Disbursement:
    """TK-1: cancel proposed or approved aid, with a reason (it frees the fund and the stock)."""
    if not reason.strip():
        refuse(policy.CANCEL_REASON_REQUIRED, "reason_required")
    with transaction.atomic():
        locked = lock_for_transition(disbursement, Status.CANCELLED)
        locked.status = Status.CANCELLED
        locked.note = "\n".join(p for p in (locked.note, reason.strip()) if p)
        stamp(locked, by, f"TK-1 cancelled: {reason.strip()}").save()
    return locked


def send_payment_survey(*, disbursement_id: int, now: dt.datetime) -> Survey | None:
    """SAT-1: send the family the satisfaction survey of a paid disbursement.

    Run by the task the payment enqueued (after its commit). A failure is not caught here: the
    task logs it and tries again. Sending twice is harmless (one survey per payment)."""
    disbursement = Disbursement.objects.select_related("file", "proposed_by").get(pk=disbursement_id,
                                                                                  status=Status.PAID)
    return send_survey(event=disbursement, service=Service.AID, file=disbursement.file,
                       staff=disbursement.proposed_by, now=now)
