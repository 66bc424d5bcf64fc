"""TK-2: families too proud to ask, recommended by a researcher and followed up."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from beneficiaries.models import BeneficiaryFile

from .. import policy
from ..models import Recommendation
from .common import refuse, stamp


def recommend_family(*, by, now: dt.datetime, family_name: str, city: str, situation: str, recommended_aid: str,
                     contact: str = "", district: str = "") -> Recommendation:
    """TK-2: a researcher recommends a family too proud to ask; no identity number is needed."""
    recommendation = Recommendation(family_name=family_name.strip(), contact=contact.strip(), city=city.strip(),
                                    district=district.strip(), situation=situation.strip(),
                                    recommended_aid=recommended_aid.strip(), recommended_by=by, recommended_at=now)
    stamp(recommendation, by, "TK-2 recommended").save()
    return recommendation


def follow_up_recommendation(*, recommendation: Recommendation, by, status: str, note: str = "",
                             file: BeneficiaryFile | None = None) -> Recommendation:
    """TK-2: record that the family was contacted, applied (linking their new file) or declined."""
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if status not in policy.RECOMMENDATION_TRANSITIONS.get(locked.status, set()):
            refuse(policy.FOLLOW_UP_NOT_ALLOWED, "follow_up_not_allowed",
                   current=Recommendation.Status(locked.status).label, new=Recommendation.Status(status).label)
        if status == Recommendation.Status.APPLIED and file is None:
            refuse(policy.FILE_REQUIRED, "file_required")
        locked.status = status
        locked.file = file if status == Recommendation.Status.APPLIED else locked.file
        locked.outcome_note = "\n".join(p for p in (locked.outcome_note, note.strip()) if p)
        stamp(locked, by, f"TK-2 {status}").save()
    return locked
