"""RT-5: the beneficiary's request that a family member take part in decisions about their care
and in solving problems («له الحق في طلب مشاركة أحد افراد عائلته في اتخاذ القرارات ... وفي حل أي
مشكلة تتعلق بها»). Recorded on the file with the day asked, who recorded it and when; the
decisions made later offer that member (eligibility.forms.study.DecisionForm)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import translation

from .. import errors, policy
from ..models import BeneficiaryFile, Member, ParticipationRequest
from ..policy import FileStatus, Relationship


def record_participation_request(*, file: BeneficiaryFile, by, now: dt.datetime, today: dt.date,
                                 requested_on: dt.date | None = None, member: Member | None = None, name: str = "",
                                 relationship: str = "") -> ParticipationRequest:
    """RT-5: record that the beneficiary asks that `member` of the household (or the person named,
    with their relationship) take part in decisions; it replaces any earlier request."""
    requested_on = requested_on or today
    if file.status in policy.DOCUMENT_CLOSED_STATUSES:
        raise ValidationError(errors.PARTICIPATION_ON_FINAL_FILE % {"status": FileStatus(file.status).label},
                              code="participation_on_final_file")
    if requested_on > today:
        raise ValidationError(errors.ASKED_IN_FUTURE, code="asked_in_future")
    if member is not None:
        if not file.members.current().filter(pk=member.pk).exists():
            raise ValidationError(errors.PARTICIPANT_NOT_IN_HOUSEHOLD, code="not_in_household")
        with translation.override("ar"):  # stored as it is printed on the file's decisions
            name, relationship = member.full_name, str(Relationship(member.relationship).label)
    name, relationship = (name or "").strip(), (relationship or "").strip()
    if not name or not relationship:
        raise ValidationError(errors.PARTICIPANT_REQUIRED, code="participant_required")
    participation = ParticipationRequest(file=file, member=member, name=name, relationship=relationship,
                                         requested_on=requested_on, recorded_by=by, recorded_at=now)
    participation._change_reason = "RT-5 requested"
    participation.save()
    return participation


def participation_in_force(file: BeneficiaryFile) -> ParticipationRequest | None:
    """RT-5: the file's latest request, the one later decisions offer."""
    return file.participation_requests.select_related("recorded_by", "member").first()
