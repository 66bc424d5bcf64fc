"""DU-7: the electronic card handed to an active file, which the family must keep: issued,
reported lost, replaced or cancelled; one active card per file."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from beneficiaries.models import BeneficiaryFile
from beneficiaries.services import lock_file

from .. import policy
from ..models import ElectronicCard
from .common import refuse, require_active, stamp

CardStatus = ElectronicCard.Status


def _new_card(*, file: BeneficiaryFile, by, number: str, today: dt.date, note: str) -> ElectronicCard:
    number = (number or "").strip()
    if not number:
        refuse(policy.CARD_NUMBER_REQUIRED, "card_number_required")
    if ElectronicCard.objects.filter(number=number).exists():
        refuse(policy.CARD_NUMBER_TAKEN, "card_number_taken", number=number)
    card = stamp(ElectronicCard(file=file, number=number, issued_on=today, note=note.strip(), issued_by=by), by,
                 "DU-7 issued")
    try:
        with transaction.atomic():
            card.save()
    except IntegrityError:  # a concurrent issue took the number or the file's active card
        refuse(policy.CARD_NUMBER_TAKEN, "card_number_taken", number=number)
    return card


def issue_card(*, file: BeneficiaryFile, by, number: str, today: dt.date, note: str = "") -> ElectronicCard:
    """DU-7: hand an active file its electronic card; a file holds one active card at a time."""
    with transaction.atomic():
        locked = lock_file(file)
        require_active(locked)
        current = ElectronicCard.objects.filter(file=locked, status=CardStatus.ACTIVE).first()
        if current:
            refuse(policy.CARD_ALREADY_ACTIVE, "card_already_active", number=current.number)
        return _new_card(file=locked, by=by, number=number, today=today, note=note)


def _move_card(card: ElectronicCard, to: str, *, by, today: dt.date, note: str) -> ElectronicCard:
    locked = ElectronicCard.objects.select_for_update().get(pk=card.pk)
    if not policy.card_can_move(locked.status, to):
        refuse(policy.CARD_NOT_ALLOWED, "card_not_allowed", current=CardStatus(locked.status).label,
               new=CardStatus(to).label)
    locked.status, locked.status_changed_on = to, today
    locked.note = note.strip()[:200] or locked.note
    stamp(locked, by, f"DU-7 {to}").save()
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
        require_active(file)
        _move_card(card, CardStatus.REPLACED, by=by, today=today, note=note)
        return _new_card(file=file, by=by, number=new_number, today=today, note=note)
