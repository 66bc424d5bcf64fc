"""The aid policy: who may receive aid, the workflow, funds, goods, campaigns, cards, equality.

Rules TK-1…TK-5, TK-8 and DU-7 of ../shared/policy/RULES.md. Everything here is a constant,
a message or a pure function; aid/services/ applies them inside transactions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from beneficiaries.policy import FileStatus

from .models import Disbursement, ElectronicCard, Recommendation

Status = Disbursement.Status
CardStatus = ElectronicCard.Status
RecommendationStatus = Recommendation.Status
CENT = Decimal("0.01")

# --- TK-1: the disbursement workflow ------------------------------------------------------------

# Aid goes to active files only: checked when proposed, approved and paid.
AID_FILE_STATUS = FileStatus.ACTIVE

TRANSITIONS: dict[str, set[str]] = {
    Status.PROPOSED: {Status.APPROVED, Status.CANCELLED},
    Status.APPROVED: {Status.PAID, Status.CANCELLED},
    Status.PAID: set(),
    Status.CANCELLED: set(),
}

# TK-3, TK-4: approved and paid aid is committed: it counts against a fund's balance and a
# donation's stock. Proposed aid does not (the approval checks and locks).
COMMITTED_STATUSES = (Status.APPROVED, Status.PAID)


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, set())


def is_own_proposal(disbursement, user) -> bool:
    """TK-1: four eyes: whoever proposed aid does not approve it."""
    return disbursement.proposed_by_id == user.pk


# --- TK-3: funds and their designated purposes ---------------------------------------------------


def fund_serves(purposes: Iterable[str], purpose: str) -> bool:
    """TK-3: a fund's money is spent only on its designated purposes."""
    return purpose in set(purposes or ())


def balance_covers(balance: Decimal, amount: Decimal) -> bool:
    """TK-3: an approval may not make the fund's balance negative."""
    return amount <= balance


# --- TK-4: in-kind donations and the safety check ------------------------------------------------


def goods_expired(expires_on: dt.date | None, today: dt.date) -> bool:
    """TK-4: goods past their expiry date fail the safety check and are never given."""
    return expires_on is not None and expires_on < today


# --- TK-5: campaigns -----------------------------------------------------------------------------

CRITERIA_KEYS = ("categories", "cities", "files")


def campaign_amount(amount_per_member: Decimal, household_size: int) -> Decimal:
    """TK-5: each file receives the amount per member times its current household size."""
    return (amount_per_member * max(household_size, 1)).quantize(CENT)


# --- TK-2: recommendations of families too proud to ask ------------------------------------------

RECOMMENDATION_TRANSITIONS: dict[str, set[str]] = {
    RecommendationStatus.RECOMMENDED: {RecommendationStatus.CONTACTED, RecommendationStatus.APPLIED,
                                       RecommendationStatus.DECLINED},
    RecommendationStatus.CONTACTED: {RecommendationStatus.APPLIED, RecommendationStatus.DECLINED},
    RecommendationStatus.APPLIED: set(),
    RecommendationStatus.DECLINED: set(),
}

# --- DU-7: electronic cards ----------------------------------------------------------------------

CARD_TRANSITIONS: dict[str, set[str]] = {
    CardStatus.ACTIVE: {CardStatus.LOST, CardStatus.REPLACED, CardStatus.CANCELLED},
    CardStatus.LOST: {CardStatus.REPLACED, CardStatus.CANCELLED},
    CardStatus.REPLACED: set(),
    CardStatus.CANCELLED: set(),
}


def card_can_move(current: str, new: str) -> bool:
    return new in CARD_TRANSITIONS.get(current, set())

# --- TK-8: equality between beneficiaries --------------------------------------------------------

# (interpretation) A file is "far" from the others when its aid per household member is more
# than twice, or less than half, the median of the period.
FAR_ABOVE = Decimal("2")
FAR_BELOW = Decimal("0.5")
ABOVE, BELOW = "above", "below"


def median(values: Sequence[Decimal]) -> Decimal | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return ((ordered[middle - 1] + ordered[middle]) / 2).quantize(CENT, ROUND_HALF_UP)


def distribution(values: Sequence[Decimal]) -> dict:
    """TK-8: count, min, median, max and mean of the aid per household member."""
    if not values:
        return {"count": 0, "min": None, "median": None, "max": None, "mean": None}
    mean = (sum(values, Decimal("0")) / len(values)).quantize(CENT, ROUND_HALF_UP)
    return {"count": len(values), "min": min(values), "median": median(values), "max": max(values), "mean": mean}


def position(value: Decimal, middle: Decimal | None) -> str:
    """TK-8: whether a file's aid per member is far above or below the median ("" if not)."""
    if not middle:
        return ""
    if value > middle * FAR_ABOVE:
        return ABOVE
    if value < middle * FAR_BELOW:
        return BELOW
    return ""


# --- Messages the services show (tests import them) ---------------------------------------------

FILE_NOT_ACTIVE = _("Aid is given to active files only; this file is «%(status)s».")
AMOUNT_REQUIRED = _("Enter an amount in riyals greater than zero.")
FUND_REQUIRED = _("Choose the fund that pays this cash aid.")
FUND_INACTIVE = _("The fund «%(fund)s» is closed.")
NO_IBAN = _("The file has no IBAN: record the family's IBAN before proposing or paying cash aid.")
PURPOSE_NOT_OF_FUND = _("The fund «%(fund)s» may be spent only on: %(purposes)s.")
ITEMS_REQUIRED = _("Choose at least one item and its quantity.")
QUANTITY_REQUIRED = _("Each quantity must be at least one.")
DONATION_NOT_PASSED = _("«%(item)s» has not passed the safety check and cannot be given.")
DONATION_EXPIRED = _("«%(item)s» expired on %(date)s and cannot be given.")
STOCK_EXCEEDED = _("Only %(stock)s of «%(item)s» are left in stock.")
NOT_ALLOWED = _("Aid in the status «%(current)s» cannot become «%(new)s».")
OWN_PROPOSAL = _("You proposed this aid: another approver must approve it.")
INSUFFICIENT_BALANCE = _("The fund «%(fund)s» has %(balance)s SAR left; this aid of %(amount)s SAR "
                         "would make its balance negative.")
TRANSFER_REFERENCE_REQUIRED = _("Enter the bank transfer reference.")
CANCEL_REASON_REQUIRED = _("Write why the aid is cancelled.")
PURPOSES_REQUIRED = _("Choose at least one designated purpose.")
UNKNOWN_PURPOSE = _("Unknown purpose: %(purpose)s.")
DATE_IN_FUTURE = _("The date received cannot be in the future.")
EXPIRED_GOODS = _("These goods expired on %(date)s: they fail the safety check.")
ALREADY_CHECKED = _("This donation's safety check was already recorded.")
FAIL_NOTES_REQUIRED = _("Write why the goods failed the safety check.")
CORRECTION_UNCOVERED = _("After this correction the fund «%(fund)s» would have %(balance)s SAR, less than the "
                         "aid already approved or paid from it. Cancel that aid first, or correct the amount "
                         "differently.")
CORRECTION_BELOW_GIVEN = _("%(given)s of «%(item)s» were already approved or given: the quantity received "
                           "cannot be less.")
EXPIRY_AFTER_CHECK = _("The safety check was recorded against this expiry date: it cannot be changed now.")
CRITERIA_REQUIRED = _("Choose which files the campaign targets: categories, cities or file numbers.")
NO_TARGETS = _("No active file matches these criteria.")
FOLLOW_UP_NOT_ALLOWED = _("A recommendation in the status «%(current)s» cannot become «%(new)s».")
FILE_REQUIRED = _("Link the file that was opened for this family.")
CARD_ALREADY_ACTIVE = _("This file already has an active card (%(number)s): replace it instead.")
CARD_NUMBER_REQUIRED = _("Enter the card number.")
CARD_NUMBER_TAKEN = _("The card number %(number)s is already in use.")
CARD_NOT_ALLOWED = _("A card in the status «%(current)s» cannot become «%(new)s».")
