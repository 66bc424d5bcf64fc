"""The aid policy's pure functions (TK-1…TK-5, TK-8, DU-7)."""

import datetime as dt
from decimal import Decimal

import pytest

from aid import policy
from aid.models import Disbursement, ElectronicCard, Recommendation

Status, Card, Rec = Disbursement.Status, ElectronicCard.Status, Recommendation.Status
D = Decimal


@pytest.mark.rule("TK-1")
def test_tk1_workflow_proposed_approved_paid_or_cancelled():
    """TK-1: proposed → approved → paid; cancel only before payment; paid and cancelled are final."""
    assert policy.can_move(Status.PROPOSED, Status.APPROVED)
    assert policy.can_move(Status.APPROVED, Status.PAID)
    assert policy.can_move(Status.PROPOSED, Status.CANCELLED) and policy.can_move(Status.APPROVED, Status.CANCELLED)
    assert not policy.can_move(Status.PROPOSED, Status.PAID)
    assert not policy.can_move(Status.PAID, Status.CANCELLED)
    assert not policy.can_move(Status.CANCELLED, Status.APPROVED)
    assert set(policy.COMMITTED_STATUSES) == {Status.APPROVED, Status.PAID}


@pytest.mark.rule("TK-3")
def test_tk3_fund_serves_only_its_purposes_and_balance_never_negative():
    """TK-3: a fund pays only its designated purposes; an approval may not overdraw it."""
    assert policy.fund_serves(["relief", "food"], "food")
    assert not policy.fund_serves(["relief"], "rent")
    assert not policy.fund_serves([], "relief")
    assert policy.balance_covers(D("100.00"), D("100.00"))
    assert not policy.balance_covers(D("99.99"), D("100.00"))


@pytest.mark.rule("TK-4")
def test_tk4_goods_expired_before_today():
    """TK-4: goods whose expiry date has passed fail; goods without a date or expiring today do not."""
    today = dt.date(2026, 11, 24)
    assert policy.goods_expired(dt.date(2026, 11, 23), today)
    assert not policy.goods_expired(today, today)
    assert not policy.goods_expired(None, today)


@pytest.mark.rule("TK-5")
def test_tk5_campaign_amount_is_per_member_times_household():
    """TK-5: amount per member × current household size (at least one)."""
    assert policy.campaign_amount(D("250.00"), 4) == D("1000.00")
    assert policy.campaign_amount(D("99.99"), 3) == D("299.97")
    assert policy.campaign_amount(D("100"), 0) == D("100.00")


@pytest.mark.rule("TK-8")
def test_tk8_median_and_distribution():
    """TK-8: count, min, median (middle or mean of the two middles), max and mean."""
    assert policy.median([]) is None
    assert policy.median([D("3"), D("1"), D("2")]) == D("2")
    assert policy.median([D("1"), D("4"), D("2"), D("3")]) == D("2.50")
    stats = policy.distribution([D("100.00"), D("50.00"), D("300.00"), D("10.00")])
    assert stats == {"count": 4, "min": D("10.00"), "median": D("75.00"), "max": D("300.00"), "mean": D("115.00")}
    assert policy.distribution([])["count"] == 0


@pytest.mark.rule("TK-8")
def test_tk8_position_far_above_twice_or_below_half_the_median():
    """TK-8 (interpretation): more than 2× the median is far above, less than 0.5× far below."""
    median = D("100.00")
    assert policy.position(D("200.01"), median) == policy.ABOVE
    assert policy.position(D("200.00"), median) == ""
    assert policy.position(D("49.99"), median) == policy.BELOW
    assert policy.position(D("50.00"), median) == ""
    assert policy.position(D("10"), None) == ""


@pytest.mark.rule("DU-7")
def test_du7_card_transitions():
    """DU-7: an active card may be lost, replaced or cancelled; a lost one replaced or cancelled."""
    assert policy.CARD_TRANSITIONS[Card.ACTIVE] == {Card.LOST, Card.REPLACED, Card.CANCELLED}
    assert policy.CARD_TRANSITIONS[Card.LOST] == {Card.REPLACED, Card.CANCELLED}
    assert not policy.CARD_TRANSITIONS[Card.REPLACED] and not policy.CARD_TRANSITIONS[Card.CANCELLED]


@pytest.mark.rule("TK-2")
def test_tk2_recommendation_follow_up_transitions():
    """TK-2: recommended → contacted → applied or declined; both outcomes are final."""
    assert Rec.CONTACTED in policy.RECOMMENDATION_TRANSITIONS[Rec.RECOMMENDED]
    assert Rec.APPLIED in policy.RECOMMENDATION_TRANSITIONS[Rec.CONTACTED]
    assert not policy.RECOMMENDATION_TRANSITIONS[Rec.APPLIED]
    assert not policy.RECOMMENDATION_TRANSITIONS[Rec.DECLINED]
