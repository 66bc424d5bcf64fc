"""Every change of state of aid goes through these functions (TK-1…TK-5, TK-2, DU-7, SAT-1).

Views, admin and tasks call them; none sets `status` by hand. Each takes the acting user and
`now`/`today` explicitly, locks the rows it decides on (select_for_update inside
transaction.atomic), checks the policy (policy.py), writes history (django-simple-history)
and refuses bad input with a translatable message from policy.py. Side effects that must wait
for the commit are enqueued by task name (charity.queue.enqueue): services never import tasks.

One module per subject: disbursements (TK-1, SAT-1), funds and donations (TK-3, TK-4),
campaigns (TK-5), recommendations (TK-2), cards (DU-7) and written refusals (DU-11).
"""

from .campaigns import CampaignResult, campaign_targets, create_campaign, preview_campaign, propose_campaign_aid
from .cards import cancel_card, issue_card, replace_card, report_card_lost
from .disbursements import (
    PAYMENT_SURVEY_TASK,
    approve_disbursement,
    cancel_disbursement,
    pay_disbursement,
    propose_disbursement,
    send_payment_survey,
)
from .funds import (
    check_cash_donation_correction,
    check_donation_safety,
    check_in_kind_donation_correction,
    correct_cash_donation,
    correct_in_kind_donation,
    record_cash_donation,
    record_in_kind_donation,
    save_fund,
)
from .recommendations import follow_up_recommendation, recommend_family
from .refusals import record_service_refusal

__all__ = [
    "PAYMENT_SURVEY_TASK", "CampaignResult", "approve_disbursement", "campaign_targets", "cancel_card",
    "cancel_disbursement", "check_cash_donation_correction", "check_donation_safety",
    "check_in_kind_donation_correction", "correct_cash_donation", "correct_in_kind_donation", "create_campaign",
    "follow_up_recommendation", "issue_card", "pay_disbursement", "preview_campaign", "propose_campaign_aid",
    "propose_disbursement", "recommend_family", "record_cash_donation", "record_in_kind_donation",
    "record_service_refusal", "replace_card",
    "report_card_lost", "save_fund", "send_payment_survey",
]
