"""Every change of state of aid goes through these functions (TK-1…TK-5, TK-2, DU-7).

Views, admin and tasks call them; none sets `status` by hand. Each takes the acting user and
`now`/`today` explicitly, locks the rows it decides on (select_for_update inside
transaction.atomic), checks the policy (policy.py), writes history (django-simple-history)
and refuses bad input with a translatable message from policy.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from charity import calendar
from charity.notifications import queue_notification

from ..models import (
    AidPurpose,
    BeneficiaryFile,
    Campaign,
    CashDonation,
    Disbursement,
    DisbursementItem,
    ElectronicCard,
    Fund,
    InKindDonation,
    Recommendation,
)
from ..policy import FileStatus
from ..services import lock_file
from . import policy, reports

logger = logging.getLogger(__name__)
Kind, Status = Disbursement.Kind, Disbursement.Status
CardStatus, Check = ElectronicCard.Status, InKindDonation.Check


def _refuse(message, code: str, **params):
    """Raise the policy's message (translated when shown) with its code for the form."""
    raise ValidationError(message, code=code, params=params or None)


def _stamp(obj, by, reason: str):
    """Name who made the change and why on the history row."""
    obj._history_user, obj._change_reason = by, reason[:100]
    return obj


# --- TK-1: propose, approve, pay, cancel ---------------------------------------------------------


def _household_size(file: BeneficiaryFile) -> int:
    return max(file.members.current().count(), 1)


def _require_active(file: BeneficiaryFile) -> None:
    if file.status != policy.AID_FILE_STATUS:
        _refuse(policy.FILE_NOT_ACTIVE, "file_not_active", status=FileStatus(file.status).label)


def _check_fund(fund: Fund | None, purpose: str) -> None:
    """TK-3: the fund is open and designated for this purpose."""
    if fund is None:
        _refuse(policy.FUND_REQUIRED, "fund_required")
    if not fund.is_active:
        _refuse(policy.FUND_INACTIVE, "fund_inactive", fund=fund.name)
    if not policy.fund_serves(fund.purposes, purpose):
        labels = "، ".join(str(AidPurpose(p).label) for p in fund.purposes if p in AidPurpose.values)
        _refuse(policy.PURPOSE_NOT_OF_FUND, "purpose_not_of_fund", fund=fund.name, purposes=labels)


def _check_cash(file: BeneficiaryFile, fund: Fund | None, purpose: str, amount) -> Decimal:
    """TK-1, TK-3: cash aid has an amount, comes from a fund designated for it, and goes to an IBAN."""
    if amount is None or amount <= 0:
        _refuse(policy.AMOUNT_REQUIRED, "amount_required")
    _check_fund(fund, purpose)
    if not file.iban:
        _refuse(policy.NO_IBAN, "no_iban")
    return Decimal(amount).quantize(policy.CENT)


def _merge_items(items) -> dict[int, int]:
    merged: dict[int, int] = {}
    for donation, quantity in items:
        if not quantity or quantity < 1:
            _refuse(policy.QUANTITY_REQUIRED, "quantity_required")
        merged[donation.pk] = merged.get(donation.pk, 0) + quantity
    if not merged:
        _refuse(policy.ITEMS_REQUIRED, "items_required")
    return merged


def _check_stock(wanted: dict[int, int], today: dt.date, *, lock: bool) -> None:
    """TK-4: only goods that passed the safety check and have not expired, within the stock."""
    donations = InKindDonation.objects.filter(pk__in=wanted).order_by("pk")
    if lock:
        list(donations.select_for_update())  # lock in a fixed order, then read the stock
    for donation in reports.donations_with_stock(donations):
        if donation.safety_check != Check.PASSED:
            _refuse(policy.DONATION_NOT_PASSED, "donation_not_passed", item=donation.item)
        if policy.goods_expired(donation.expires_on, today):
            _refuse(policy.DONATION_EXPIRED, "donation_expired", item=donation.item,
                    date=calendar.format_dual(donation.expires_on))
        if wanted[donation.pk] > donation.stock:
            _refuse(policy.STOCK_EXCEEDED, "stock_exceeded", item=donation.item, stock=max(donation.stock, 0))


def propose_disbursement(*, file: BeneficiaryFile, by, kind: str, purpose: str, now: dt.datetime,
                         fund: Fund | None = None, amount=None, items=(), note: str = "") -> Disbursement:
    """TK-1: propose cash aid (to the file's IBAN, from a fund) or in-kind aid (from donated goods)."""
    today = timezone.localdate(now)
    with transaction.atomic():
        locked = lock_file(file)
        _require_active(locked)
        wanted = {}
        if kind == Kind.CASH:
            amount = _check_cash(locked, fund, purpose, amount)
        else:
            wanted = _merge_items(items)
            _check_stock(wanted, today, lock=False)
            fund, amount = None, Decimal("0")  # goods are not paid from a fund
        disbursement = _stamp(Disbursement(
            file=locked, kind=kind, purpose=purpose, fund=fund, amount=amount, household_size=_household_size(locked),
            proposed_by=by, proposed_at=now, note=note.strip()), by, "TK-1 proposed")
        disbursement.save()
        DisbursementItem.objects.bulk_create(DisbursementItem(disbursement=disbursement, donation_id=pk, quantity=q)
                                             for pk, q in wanted.items())
    return disbursement


def _lock(disbursement: Disbursement, to: str) -> Disbursement:
    locked = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if not policy.can_move(locked.status, to):
        _refuse(policy.NOT_ALLOWED, "not_allowed", current=Status(locked.status).label, new=Status(to).label)
    return locked


def approve_disbursement(*, disbursement: Disbursement, by, now: dt.datetime) -> Disbursement:
    """TK-1: the approver (never the proposer) approves; TK-3 the fund covers it; TK-4 the stock does."""
    with transaction.atomic():
        locked = _lock(disbursement, Status.APPROVED)
        if policy.is_own_proposal(locked, by):
            _refuse(policy.OWN_PROPOSAL, "own_proposal")
        _require_active(lock_file(locked.file))
        if locked.kind == Kind.CASH:
            fund = Fund.objects.select_for_update().get(pk=locked.fund_id)  # serialise approvals on the fund
            _check_fund(fund, locked.purpose)
            balance = reports.fund_balance(fund)
            if not policy.balance_covers(balance, locked.amount):
                _refuse(policy.INSUFFICIENT_BALANCE, "insufficient_balance", fund=fund.name, balance=balance,
                        amount=locked.amount)
        else:
            wanted = _merge_items((item.donation, item.quantity) for item in locked.items.select_related("donation"))
            _check_stock(wanted, timezone.localdate(now), lock=True)
        locked.status, locked.approved_by, locked.approved_at = Status.APPROVED, by, now
        _stamp(locked, by, "TK-1 approved").save()
    return locked


def pay_disbursement(*, disbursement: Disbursement, by, today: dt.date, now: dt.datetime,
                     transfer_reference: str = "") -> Disbursement:
    """TK-1: pay cash to the file's IBAN (with the transfer reference) or hand the goods over;
    tell the family by SMS and, after commit, send the satisfaction survey (SAT-1)."""
    with transaction.atomic():
        locked = _lock(disbursement, Status.PAID)
        file = lock_file(locked.file)
        _require_active(file)
        if locked.kind == Kind.CASH:
            if not transfer_reference.strip():
                _refuse(policy.TRANSFER_REFERENCE_REQUIRED, "transfer_reference_required")
            if not file.iban:
                _refuse(policy.NO_IBAN, "no_iban")
            locked.iban, locked.transfer_reference = file.iban, transfer_reference.strip()
        else:
            for item in locked.items.select_related("donation"):
                if policy.goods_expired(item.donation.expires_on, today):
                    _refuse(policy.DONATION_EXPIRED, "donation_expired", item=item.donation.item,
                            date=calendar.format_dual(item.donation.expires_on))
        locked.status, locked.paid_on, locked.paid_by = Status.PAID, today, by
        _stamp(locked, by, "TK-1 paid").save()
        if locked.kind == Kind.CASH:
            _tell_family_paid(file, locked)
        transaction.on_commit(lambda: _after_payment(locked.pk, now))
    return locked


def _tell_family_paid(file: BeneficiaryFile, disbursement: Disbursement) -> None:
    with translation.override("ar"):
        body = str(policy.PAID_SMS % {"amount": disbursement.amount, "iban": disbursement.iban[-4:],
                                      "number": file.number})
    queue_notification(channel="sms", recipient=file.mobile, body=body, about=disbursement, purpose="aid-paid",
                       dedupe_key=f"aid-paid-{disbursement.pk}")


def _after_payment(disbursement_id: int, now: dt.datetime) -> None:
    """SAT-1: the satisfaction survey of the payment (after commit)."""
    from satisfaction.models import Service
    from satisfaction.services import send_survey

    disbursement = Disbursement.objects.select_related("file", "proposed_by").get(pk=disbursement_id)
    try:
        send_survey(event=disbursement, service=Service.AID, file=disbursement.file, staff=disbursement.proposed_by,
                    now=now)
    except Exception:  # the payment is committed; a failed survey must not undo or hide it
        logger.exception("satisfaction survey for disbursement %s failed", disbursement_id)


def cancel_disbursement(*, disbursement: Disbursement, by, reason: str, now: dt.datetime) -> Disbursement:
    """TK-1: cancel proposed or approved aid, with a reason (it frees the fund and the stock)."""
    if not reason.strip():
        _refuse(policy.CANCEL_REASON_REQUIRED, "reason_required")
    with transaction.atomic():
        locked = _lock(disbursement, Status.CANCELLED)
        locked.status = Status.CANCELLED
        locked.note = "\n".join(p for p in (locked.note, reason.strip()) if p)
        _stamp(locked, by, f"TK-1 cancelled: {reason.strip()}").save()
    return locked


# --- TK-3, TK-4: funds and donations ------------------------------------------------------------


def save_fund(*, by, name: str, purposes, description: str = "", is_active: bool = True,
              fund: Fund | None = None) -> Fund:
    """TK-3: create or change a fund and its designated purposes."""
    purposes = list(dict.fromkeys(purposes or ()))
    if not purposes:
        _refuse(policy.PURPOSES_REQUIRED, "purposes_required")
    for purpose in purposes:
        if purpose not in AidPurpose.values:
            _refuse(policy.UNKNOWN_PURPOSE, "unknown_purpose", purpose=purpose)
    fund = fund or Fund()
    fund.name, fund.purposes, fund.description, fund.is_active = name.strip(), purposes, description, is_active
    _stamp(fund, by, "TK-3 fund saved").save()
    return fund


def record_cash_donation(*, fund: Fund, by, amount, received_on: dt.date, today: dt.date, donor: str = "",
                         reference: str = "") -> CashDonation:
    """TK-3: record a cash donation received into a fund."""
    if amount is None or amount <= 0:
        _refuse(policy.AMOUNT_REQUIRED, "amount_required")
    if received_on > today:
        _refuse(policy.DATE_IN_FUTURE, "date_in_future")
    if not fund.is_active:
        _refuse(policy.FUND_INACTIVE, "fund_inactive", fund=fund.name)
    donation = CashDonation(fund=fund, amount=amount, received_on=received_on, donor=donor.strip(),
                            reference=reference.strip(), recorded_by=by)
    _stamp(donation, by, "TK-3 donation").save()
    return donation


def check_cash_donation_correction(*, donation: CashDonation, fund: Fund, amount, received_on: dt.date,
                                   today: dt.date) -> Decimal:
    """TK-3: refuse a correction of a recorded donation (its fund, its amount) that would leave a
    fund with less than the aid already approved or paid from it; return the amount to store.
    A form calls it for its first answer; `correct_cash_donation` calls it again under lock."""
    if amount is None or amount <= 0:
        _refuse(policy.AMOUNT_REQUIRED, "amount_required")
    if received_on > today:
        _refuse(policy.DATE_IN_FUTURE, "date_in_future")
    amount = Decimal(amount).quantize(policy.CENT)
    for affected in {donation.fund, fund}:
        # The fund's balance as it would be: this donation moved or changed, nothing else.
        balance = reports.fund_balance(affected) - (donation.amount if affected.pk == donation.fund_id else 0) \
            + (amount if affected.pk == fund.pk else 0)
        if balance < 0:
            _refuse(policy.CORRECTION_UNCOVERED, "correction_uncovered", fund=affected.name, balance=balance)
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
        _stamp(locked, by, "TK-3 donation corrected").save()
    return locked


def check_in_kind_donation_correction(*, donation: InKindDonation, quantity: int, expires_on: dt.date | None,
                                      received_on: dt.date, today: dt.date) -> None:
    """TK-4: refuse a correction of donated goods that would leave less received than was
    already approved or given, or move the expiry date a safety check was recorded against."""
    if not quantity or quantity < 1:
        _refuse(policy.QUANTITY_REQUIRED, "quantity_required")
    if received_on > today:
        _refuse(policy.DATE_IN_FUTURE, "date_in_future")
    if donation.safety_check != Check.PENDING and expires_on != donation.expires_on:
        _refuse(policy.EXPIRY_AFTER_CHECK, "expiry_after_check")
    given = reports.donations_with_stock(InKindDonation.objects.filter(pk=donation.pk)).get().given_out
    if quantity < given:
        _refuse(policy.CORRECTION_BELOW_GIVEN, "correction_below_given", given=given, item=donation.item)


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
        _stamp(locked, by, "TK-4 goods corrected").save()
    return locked


def record_in_kind_donation(*, by, item: str, quantity: int, received_on: dt.date, today: dt.date,
                            unit: str = "", expires_on: dt.date | None = None, donor: str = "") -> InKindDonation:
    """TK-4: record donated goods; they wait for the safety check."""
    if not quantity or quantity < 1:
        _refuse(policy.QUANTITY_REQUIRED, "quantity_required")
    if received_on > today:
        _refuse(policy.DATE_IN_FUTURE, "date_in_future")
    donation = InKindDonation(item=item.strip(), quantity=quantity, received_on=received_on, expires_on=expires_on,
                              donor=donor.strip(), recorded_by=by)
    if unit.strip():
        donation.unit = unit.strip()
    _stamp(donation, by, "TK-4 received").save()
    return donation


def check_donation_safety(*, donation: InKindDonation, by, passed: bool, notes: str, now: dt.datetime,
                          today: dt.date) -> InKindDonation:
    """TK-4: record who checked the goods, when, the result and notes; expired goods fail."""
    with transaction.atomic():
        locked = InKindDonation.objects.select_for_update().get(pk=donation.pk)
        if locked.safety_check != Check.PENDING:
            _refuse(policy.ALREADY_CHECKED, "already_checked")
        if passed and policy.goods_expired(locked.expires_on, today):
            _refuse(policy.EXPIRED_GOODS, "expired_goods", date=calendar.format_dual(locked.expires_on))
        if not passed and not notes.strip():
            _refuse(policy.FAIL_NOTES_REQUIRED, "notes_required")
        locked.safety_check = Check.PASSED if passed else Check.FAILED
        locked.checked_by, locked.checked_at, locked.check_notes = by, now, notes.strip()
        _stamp(locked, by, f"TK-4 check {locked.safety_check}").save()
    return locked



# --- TK-5: campaigns ---------------------------------------------------------------------------


@dataclass
class CampaignResult:
    """What a campaign run did: proposals made, files already served, files skipped for no IBAN."""

    campaign: Campaign | None
    proposed: int = 0
    already: int = 0
    no_iban: list[dict] = field(default_factory=list)
    files: int = 0
    total: Decimal = Decimal("0")


def campaign_targets(*, criteria: dict, by):
    """TK-5: the active files, among those `by` may see, that every given criterion selects."""
    if not any(criteria.get(key) for key in policy.CRITERIA_KEYS):
        _refuse(policy.CRITERIA_REQUIRED, "criteria_required")
    files = BeneficiaryFile.objects.visible_to(by).filter(status=policy.AID_FILE_STATUS)
    if criteria.get("files"):
        files = files.filter(pk__in=criteria["files"])
    if criteria.get("categories"):
        files = files.filter(pk__in=BeneficiaryFile.objects.filter(categories__code__in=criteria["categories"])
                             .values("pk"))
    if criteria.get("cities"):
        files = files.filter(city__in=criteria["cities"])
    return files


def _campaign_rows(criteria: dict, by) -> list[dict]:
    files = reports.with_household_size(campaign_targets(criteria=criteria, by=by))
    return list(files.values("pk", "number", "head_name", "iban", "household_size").order_by("number"))


def preview_campaign(*, criteria: dict, by, amount_per_member: Decimal) -> CampaignResult:
    """TK-5: how many files a campaign would reach, for how much, and which lack an IBAN."""
    rows = _campaign_rows(criteria, by)
    paid = [r for r in rows if r["iban"]]
    return CampaignResult(campaign=None, proposed=len(paid), no_iban=[r for r in rows if not r["iban"]],
                          files=len(rows), total=sum((policy.campaign_amount(amount_per_member, r["household_size"])
                                                     for r in paid), Decimal("0")))


def create_campaign(*, by, name: str, reason: str, fund: Fund, amount_per_member: Decimal, purpose: str,
                    criteria: dict, now: dt.datetime) -> CampaignResult:
    """TK-5: record the campaign and propose its aid to every file it targets, in one transaction."""
    if amount_per_member is None or amount_per_member <= 0:
        _refuse(policy.AMOUNT_REQUIRED, "amount_required")
    _check_fund(fund, purpose)
    criteria = {key: list(criteria.get(key) or []) for key in policy.CRITERIA_KEYS}
    if not campaign_targets(criteria=criteria, by=by).exists():
        _refuse(policy.NO_TARGETS, "no_targets")
    with transaction.atomic():
        campaign = _stamp(Campaign(name=name.strip(), reason=reason.strip(), fund=fund, purpose=purpose,
                                   amount_per_member=amount_per_member, criteria=criteria, created_by=by,
                                   created_at=now), by, "TK-5 campaign")
        campaign.save()
        return propose_campaign_aid(campaign=campaign, by=by, now=now)


def propose_campaign_aid(*, campaign: Campaign, by, now: dt.datetime) -> CampaignResult:
    """TK-5: propose one disbursement per targeted file (amount per member × household size),
    skipping files without an IBAN; running it again proposes nothing twice."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)  # one run at a time
        rows = _campaign_rows(campaign.criteria, by)
        done = set(Disbursement.objects.filter(campaign=campaign).values_list("file_id", flat=True))
        new = [Disbursement(file_id=r["pk"], kind=Kind.CASH, purpose=campaign.purpose, fund_id=campaign.fund_id,
                            amount=policy.campaign_amount(campaign.amount_per_member, r["household_size"]),
                            campaign=campaign, household_size=max(r["household_size"], 1), proposed_by=by,
                            proposed_at=now)
               for r in rows if r["iban"] and r["pk"] not in done]
        bulk_create_with_history(new, Disbursement, batch_size=500, default_user=by,
                                 default_change_reason=f"TK-5 campaign {campaign.pk}", default_date=now)
    return CampaignResult(campaign=campaign, proposed=len(new), already=sum(r["pk"] in done for r in rows),
                          no_iban=[r for r in rows if not r["iban"]], files=len(rows),
                          total=sum((d.amount for d in new), Decimal("0")))


# --- TK-2: families too proud to ask --------------------------------------------------------------


def recommend_family(*, by, now: dt.datetime, family_name: str, city: str, situation: str, recommended_aid: str,
                     contact: str = "", district: str = "") -> Recommendation:
    """TK-2: a researcher recommends a family too proud to ask; no identity number is needed."""
    recommendation = Recommendation(family_name=family_name.strip(), contact=contact.strip(), city=city.strip(),
                                    district=district.strip(), situation=situation.strip(),
                                    recommended_aid=recommended_aid.strip(), recommended_by=by, recommended_at=now)
    _stamp(recommendation, by, "TK-2 recommended").save()
    return recommendation


def follow_up_recommendation(*, recommendation: Recommendation, by, status: str, note: str = "",
                             file: BeneficiaryFile | None = None) -> Recommendation:
    """TK-2: record that the family was contacted, applied (linking their new file) or declined."""
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if status not in policy.RECOMMENDATION_TRANSITIONS.get(locked.status, set()):
            _refuse(policy.FOLLOW_UP_NOT_ALLOWED, "follow_up_not_allowed",
                    current=Recommendation.Status(locked.status).label, new=Recommendation.Status(status).label)
        if status == Recommendation.Status.APPLIED and file is None:
            _refuse(policy.FILE_REQUIRED, "file_required")
        locked.status = status
        locked.file = file if status == Recommendation.Status.APPLIED else locked.file
        locked.outcome_note = "\n".join(p for p in (locked.outcome_note, note.strip()) if p)
        _stamp(locked, by, f"TK-2 {status}").save()
    return locked


# --- DU-7: electronic cards ------------------------------------------------------------------------


def _new_card(*, file: BeneficiaryFile, by, number: str, today: dt.date, note: str) -> ElectronicCard:
    number = (number or "").strip()
    if not number:
        _refuse(policy.CARD_NUMBER_REQUIRED, "card_number_required")
    if ElectronicCard.objects.filter(number=number).exists():
        _refuse(policy.CARD_NUMBER_TAKEN, "card_number_taken", number=number)
    card = _stamp(ElectronicCard(file=file, number=number, issued_on=today, note=note.strip(), issued_by=by), by,
                  "DU-7 issued")
    try:
        with transaction.atomic():
            card.save()
    except IntegrityError:  # a concurrent issue took the number or the file's active card
        _refuse(policy.CARD_NUMBER_TAKEN, "card_number_taken", number=number)
    return card


def issue_card(*, file: BeneficiaryFile, by, number: str, today: dt.date, note: str = "") -> ElectronicCard:
    """DU-7: hand an active file its electronic card; a file holds one active card at a time."""
    with transaction.atomic():
        locked = lock_file(file)
        _require_active(locked)
        current = ElectronicCard.objects.filter(file=locked, status=CardStatus.ACTIVE).first()
        if current:
            _refuse(policy.CARD_ALREADY_ACTIVE, "card_already_active", number=current.number)
        return _new_card(file=locked, by=by, number=number, today=today, note=note)


def _move_card(card: ElectronicCard, to: str, *, by, today: dt.date, note: str) -> ElectronicCard:
    locked = ElectronicCard.objects.select_for_update().get(pk=card.pk)
    if not policy.card_can_move(locked.status, to):
        _refuse(policy.CARD_NOT_ALLOWED, "card_not_allowed", current=CardStatus(locked.status).label,
                new=CardStatus(to).label)
    locked.status, locked.status_changed_on = to, today
    locked.note = note.strip()[:200] or locked.note
    _stamp(locked, by, f"DU-7 {to}").save()
    return locked


def report_card_lost(*, card: ElectronicCard, by, today: dt.date, note: str = "") -> ElectronicCard:
    """DU-7: the family reports the card lost; it stops being the file's active card."""
    with transaction.atomic():
        return _move_card(card, CardStatus.LOST, by=by, today=today, note=note)


def cancel_card(*, card: ElectronicCard, by, today: dt.date, note: str = "") -> ElectronicCard:
    """DU-7: cancel a card (e.g. when the file is closed)."""
    with transaction.atomic():
        return _move_card(card, CardStatus.CANCELLED, by=by, today=today, note=note)


def replace_card(*, card: ElectronicCard, by, new_number: str, today: dt.date, note: str = "") -> ElectronicCard:
    """DU-7: the old card (active or lost) becomes replaced and the new one active."""
    with transaction.atomic():
        file = lock_file(card.file)
        _require_active(file)
        _move_card(card, CardStatus.REPLACED, by=by, today=today, note=note)
        return _new_card(file=file, by=by, number=new_number, today=today, note=note)
