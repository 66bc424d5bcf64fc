"""The researcher of a file (RT-2, RT-7, RT-8): assignment and the beneficiary's requests for
another one; and the applicant's questions referred to the person the profile names (IN-4)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from charity.models import PolicyProfile
from charity.roles import Role, active_members

from .. import errors, policy
from ..messages import tell_family
from ..models import BeneficiaryFile, ManagerReferral, ResearcherAssignment, ResearcherChangeRequest
from .files import lock_file, save_file


def is_researcher(user) -> bool:
    return active_members(Role.RESEARCHER).filter(pk=user.pk).exists()


def assign_researcher(*, file: BeneficiaryFile, researcher, by, now: dt.datetime, reason: str = "") -> BeneficiaryFile:
    """Assign the file to a researcher, ending the current assignment (history kept)."""
    if not is_researcher(researcher):
        raise ValidationError(errors.NOT_A_RESEARCHER % {"user": researcher}, code="not_a_researcher")
    with transaction.atomic():
        locked = lock_file(file)
        if locked.researcher_id == researcher.pk:
            raise ValidationError(errors.SAME_RESEARCHER, code="same_researcher")
        ResearcherAssignment.objects.filter(file=locked, ended_at__isnull=True).update(ended_at=now)
        ResearcherAssignment.objects.create(file=locked, researcher=researcher, assigned_by=by, assigned_at=now,
                                            reason=reason)
        locked.researcher = researcher
        locked._change_reason = "RT-2 researcher assigned"
        save_file(locked, ["researcher"])
    return locked


def request_researcher_change(*, file: BeneficiaryFile, by, reasons: str, now: dt.datetime) -> ResearcherChangeRequest:
    """RT-2: record the beneficiary's request for another researcher, with their reasons; `by`
    is the member of staff who recorded it, or None when the family asked through «my file»."""
    if not reasons.strip():
        raise ValidationError(errors.REASONS_REQUIRED, code="reasons_required")
    if file.researcher_requests.filter(status=ResearcherChangeRequest.Status.PENDING).exists():
        raise ValidationError(errors.REQUEST_ALREADY_PENDING, code="request_pending")
    return ResearcherChangeRequest.objects.create(file=file, reasons=reasons.strip(), recorded_by=by, recorded_at=now)


def decide_researcher_change(*, request: ResearcherChangeRequest, by, accept: bool, reasons: str,
                             now: dt.datetime, new_researcher=None) -> ResearcherChangeRequest:
    """RT-2, RT-4: the manager accepts (choosing the new researcher) or refuses, with reasons;
    the family is told either way, with the reasons."""
    if not reasons.strip():
        raise ValidationError(errors.REASONS_REQUIRED, code="reasons_required")
    if accept and new_researcher is None:
        raise ValidationError(errors.NEW_RESEARCHER_REQUIRED, code="new_researcher_required")
    with transaction.atomic():
        locked = ResearcherChangeRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != ResearcherChangeRequest.Status.PENDING:
            raise ValidationError(errors.REQUEST_NOT_PENDING, code="request_not_pending")
        if accept:
            assign_researcher(file=locked.file, researcher=new_researcher, by=by, now=now,
                              reason=f"RT-2: {reasons.strip()}")
        locked.status = (ResearcherChangeRequest.Status.ACCEPTED if accept else ResearcherChangeRequest.Status.REFUSED)
        locked.decided_by, locked.decided_at = by, now
        locked.decision_reasons, locked.new_researcher = reasons.strip(), new_researcher if accept else None
        locked.save()
        purpose = "researcher-change-accepted" if accept else "researcher-change-refused"
        tell_family(file=locked.file, purpose=purpose, about=locked, dedupe_key=f"{purpose}:{locked.pk}",
                    context={"reasons": locked.decision_reasons,
                             "researcher": new_researcher.get_full_name() if accept else ""})
    return locked


# --- The applicant's questions (IN-4) ------------------------------------------------------


def refer_to_manager(*, file: BeneficiaryFile, by, question: str, now: dt.datetime,
                     profile: PolicyProfile | None = None) -> ManagerReferral:
    """IN-4: refer the applicant's question to the person the profile names — the beneficiary-
    services manager or the social-research officer (the name of the function is historical)."""
    if not question.strip():
        raise ValidationError(errors.QUESTION_REQUIRED, code="question_required")
    profile = profile or PolicyProfile.objects.active()
    return ManagerReferral.objects.create(file=file, question=question.strip(), asked_by=by, asked_at=now,
                                          referred_to=profile.procedure_explained_by)


def answer_referral(*, referral: ManagerReferral, by, answer: str, now: dt.datetime,
                    profile: PolicyProfile | None = None) -> ManagerReferral:
    """IN-4: the explanation of the person the profile names; staff pass it on to the applicant."""
    profile = profile or PolicyProfile.objects.active()
    if not policy.explains_procedure(by, profile):
        raise ValidationError(errors.NOT_THE_EXPLAINER % {"role": profile.procedure_explainer},
                              code="not_the_explainer")
    if not answer.strip():
        raise ValidationError(errors.ANSWER_REQUIRED, code="answer_required")
    referral.answer, referral.answered_by, referral.answered_at = answer.strip(), by, now
    referral.save(update_fields=["answer", "answered_by", "answered_at"])
    return referral
