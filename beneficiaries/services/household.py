"""The household: members (never deleted, marked as left or deceased) and incomes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import errors
from ..models import BeneficiaryFile, IncomeSource, Member
from ..policy import Relationship
from .files import lock_file, refuse_duplicate_open_file, save_file


def save_member(*, file: BeneficiaryFile, data: dict, member: Member | None = None, reason: str = "") -> Member:
    """Add or change a household member. The head's identity is kept on the file too; `reason`
    goes on the member's and the file's history rows."""
    with transaction.atomic():
        locked = lock_file(file)
        id_number = data.get("id_number", getattr(member, "id_number", ""))
        same_person = Member.objects.filter(file=locked, id_number=id_number)
        if same_person.exclude(pk=getattr(member, "pk", None)).exists():
            raise ValidationError(errors.MEMBER_IN_FILE, code="member_in_file")
        member = member or Member(file=locked)
        for name, value in data.items():
            setattr(member, name, value)
        if reason:
            member._change_reason = locked._change_reason = reason
        member.save()
        if member.relationship == Relationship.HEAD and member.is_current:
            if member.id_number != locked.head_id_number:
                refuse_duplicate_open_file(member.id_number, exclude_pk=locked.pk)
            locked.head_id_number, locked.head_id_type = member.id_number, member.id_type
            locked.head_name = member.full_name
        save_file(locked)
    return member


def mark_member_left(*, member: Member, on: dt.date, deceased: bool = False, reason: str = "") -> Member:
    """Members are never deleted: mark that one left the household or died."""
    if reason:
        member._change_reason = reason
    if deceased:
        member.deceased_on = on
    else:
        member.left_household_on = on
    member.save(update_fields=["deceased_on", "left_household_on"])
    return member


def save_income(*, file: BeneficiaryFile, data: dict, income: IncomeSource | None = None) -> IncomeSource:
    income = income or IncomeSource(file=file)
    for name, value in data.items():
        setattr(income, name, value)
    income.save()
    return income
