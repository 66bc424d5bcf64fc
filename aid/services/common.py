"""What every aid service shares: refusing with the policy's message, naming who changed a
record and why on its history row, and the checks on the file and the fund (TK-1, TK-3)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from beneficiaries.models import BeneficiaryFile
from beneficiaries.policy import FileStatus
from charity.text import series

from .. import policy
from ..models import AidPurpose, Fund


def refuse(message, code: str, **params):
    """Raise the policy's message (translated when shown) with its code for the form."""
    raise ValidationError(message, code=code, params=params or None)


def stamp(obj, by, reason: str):
    """Name who made the change and why on the history row."""
    obj._history_user, obj._change_reason = by, reason[:100]
    return obj


def require_active(file: BeneficiaryFile) -> None:
    """TK-1: aid goes to active files only."""
    if file.status != policy.AID_FILE_STATUS:
        refuse(policy.FILE_NOT_ACTIVE, "file_not_active", status=FileStatus(file.status).label)


def check_fund(fund: Fund | None, purpose: str) -> None:
    """TK-3: the fund is open and designated for this purpose."""
    if fund is None:
        refuse(policy.FUND_REQUIRED, "fund_required")
    if not fund.is_active:
        refuse(policy.FUND_INACTIVE, "fund_inactive", fund=fund.name)
    if not policy.fund_serves(fund.purposes, purpose):
        labels = series(str(AidPurpose(p).label) for p in fund.purposes if p in AidPurpose.values)
        refuse(policy.PURPOSE_NOT_OF_FUND, "purpose_not_of_fund", fund=fund.name, purposes=labels)

