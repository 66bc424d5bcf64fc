"""TK-5: a disaster or crisis campaign proposes aid to many active files at once, from one
fund, at an amount per household member."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from beneficiaries.models import BeneficiaryFile

from .. import policy, reports
from ..models import Campaign, Disbursement, Fund
from .common import check_fund, refuse, stamp

Kind = Disbursement.Kind


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
        refuse(policy.CRITERIA_REQUIRED, "criteria_required")
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
        refuse(policy.AMOUNT_REQUIRED, "amount_required")
    check_fund(fund, purpose)
    criteria = {key: list(criteria.get(key) or []) for key in policy.CRITERIA_KEYS}
    if not campaign_targets(criteria=criteria, by=by).exists():
        refuse(policy.NO_TARGETS, "no_targets")
    with transaction.atomic():
        campaign = stamp(Campaign(name=name.strip(), reason=reason.strip(), fund=fund, purpose=purpose,
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
