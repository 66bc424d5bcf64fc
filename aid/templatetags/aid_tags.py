"""What the aid pages may offer, asked of the aid policy (TK-1, DU-7) rather than restated in
templates: a button shows only for a move the policy's transition table allows."""

from django import template

from aid import policy

register = template.Library()


@register.filter
def can_become(disbursement, status: str) -> bool:
    """TK-1: the disbursement may move to `status`."""
    return policy.can_move(disbursement.status, status)


@register.filter
def proposed_by(disbursement, user) -> bool:
    """TK-1: `user` proposed it, so another approver must approve it."""
    return policy.is_own_proposal(disbursement, user)


@register.filter
def card_can_become(card, status: str) -> bool:
    """DU-7: the card may move to `status`."""
    return policy.card_can_move(card.status, status)
