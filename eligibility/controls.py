"""The controls on providing service (SC-1…SC-12): freeze, lift, exclude, death. The daily
sweep that enforces their deadlines is eligibility/sweep.py; the table is eligibility/policy.py."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from beneficiaries import services as file_services
from beneficiaries.messages import complaint_link
from beneficiaries.models import BeneficiaryFile, Document, UpdateRequest
from beneficiaries.policy import FileStatus, Gender, MaritalStatus, Relationship
from charity import calendar
from charity.links import absolute_reverse
from charity.messages import render_message
from charity.models import PolicyProfile
from charity.policy import Section

from . import errors, policy
from .certificates import create_certificate
from .deaths import Household, death_household, record_death  # noqa: F401 (SC-7, eligibility/deaths.py)
from .messages import FREEZE_LATE_UPDATE, FREEZE_LIFTED, RESPONSE_INCOMPLETE
from .models import Exclusion, Freeze
from .policy import Consequence
from .services import grievance_context, notify_applicant

# --- Freezes (SC-6, SC-12) ------------------------------------------------------------------


def freeze_file(*, file: BeneficiaryFile, rule: str, by, today: dt.date, now: dt.datetime, profile: PolicyProfile,
                reason: str = "", update_request: UpdateRequest | None = None) -> Freeze:
    """Freeze an active file for the profile's period under SC-6 or SC-12."""
    if policy.control(rule).consequence != Consequence.FREEZE:
        raise ValueError(f"{rule} is not a freeze rule")
    require_adopted(profile)
    with transaction.atomic():
        locked = file_services.lock_file(file)
        if locked.status != FileStatus.ACTIVE:
            raise ValidationError(errors.NOT_ACTIVE, code="not_active")
        if locked.freezes.filter(outcome=Freeze.Outcome.OPEN).exists():
            raise ValidationError(errors.ALREADY_FROZEN, code="already_frozen")
        freeze = Freeze.objects.create(
            file=locked, rule=rule, started_on=today, ends_on=policy.freeze_ends_on(today, rule, profile),
            reason=reason or str(policy.control(rule).situation), update_request=update_request, created_by=by,
            created_at=now,
        )
        file_services.change_status(file=locked, to=FileStatus.FROZEN, now=now, reason=f"{rule} freeze")
        if update_request is not None and update_request.status == UpdateRequest.Status.OPEN:
            update_request.status = UpdateRequest.Status.LATE
            update_request.save(update_fields=["status"])
        notify_applicant(file=locked, purpose=f"freeze-{rule}", message=freeze_message(locked, freeze), about=freeze)
    return freeze


def freeze_message(file: BeneficiaryFile, freeze: Freeze) -> str:
    """The freeze told to the family; for a late annual update (SC-6) it names the missing documents."""
    with translation.override("ar"):
        until = calendar.format_dual(freeze.ends_on)
        missing = freeze.update_request_id and file_services.update_documents_missing(freeze.update_request)
        if missing:
            return render_message(FREEZE_LATE_UPDATE, {
                "file_number": file.number, "ends_on": until, "documents": file_services.document_labels(missing),
                "portal_link": absolute_reverse("portal:needs", pk=file.pk)})
        return str(errors.MSG_FROZEN % {"number": file.number, "until": until,
                                        "reason": _sentence(policy.control(freeze.rule).situation)})


def lifted_message(file: BeneficiaryFile) -> str:
    return render_message(FREEZE_LIFTED, {"file_number": file.number,
                                          "portal_link": absolute_reverse("portal:file", pk=file.pk)})


def lift_freeze(*, freeze: Freeze, by, now: dt.datetime, note: str, waive_missing: bool = False) -> Freeze:
    """The beneficiary responded in time (documents supplied, contact details updated): the
    freeze lifts and the file returns to active. For SC-6 the update request must be complete,
    unless a reviewer accepts the response as it is (`waive_missing`, the note saying why)."""
    with transaction.atomic():
        locked = Freeze.objects.select_for_update().get(pk=freeze.pk)
        if locked.outcome != Freeze.Outcome.OPEN:
            raise ValidationError(errors.NOT_FROZEN, code="not_frozen")
        if locked.update_request_id and locked.update_request.status != UpdateRequest.Status.COMPLETED:
            file_services.complete_update_request(request=locked.update_request, by=by, now=now,
                                                  waived=note if waive_missing else "")
        locked.outcome, locked.ended_at, locked.ended_by, locked.end_note = Freeze.Outcome.LIFTED, now, by, note
        locked.save(update_fields=["outcome", "ended_at", "ended_by", "end_note"])
        file_services.change_status(file=locked.file, to=FileStatus.ACTIVE, now=now, reason=f"{locked.rule} lifted")
        notify_applicant(file=locked.file, purpose=FREEZE_LIFTED, message=lifted_message(locked.file), about=locked)
    return locked


def record_freeze_response(*, file_id: int, now: dt.datetime) -> Freeze | None:
    """SC-6: documents handed in during the freeze (portal, front desk, researcher) are a
    response. The freeze lifts itself when what was required is complete; otherwise it waits
    for staff review (responded_at), and the sweep never excludes it. Return the freeze, if any."""
    with transaction.atomic():
        file = file_services.lock_file(BeneficiaryFile(pk=file_id))
        freeze = (Freeze.objects.select_for_update(of=("self",)).select_related("update_request__update", "file")
                  .filter(file=file, rule="SC-6", outcome=Freeze.Outcome.OPEN).first())
        if freeze is None:
            return None
        request = freeze.update_request
        if request is not None and not file_services.update_documents_missing(request):
            return lift_freeze(freeze=freeze, by=None, now=now, note=str(errors.LIFTED_BY_DOCUMENTS))
        if freeze.responded_at is None:
            freeze.responded_at = now
            freeze.save(update_fields=["responded_at"])
        return freeze


def review_freeze_response(*, freeze: Freeze, by, now: dt.datetime, today: dt.date, accept: bool,
                           reasons: str) -> Freeze:
    """SC-6: staff review a response that did not complete what was required. Accepted, the
    freeze lifts with the reviewer's reasons (the family is told, as for any lift). Found
    incomplete, the family is told what is still missing and why, and gets back the time it had
    left (policy.ends_after_incomplete_response); its earlier documents no longer hold off the
    exclusion, a new one does. Either way the file never waits for review forever."""
    if not reasons.strip():
        raise ValidationError(errors.REVIEW_REASONS_REQUIRED, code="reasons_required")
    with transaction.atomic():
        locked = (Freeze.objects.select_for_update(of=("self",)).select_related("update_request__update", "file")
                  .get(pk=freeze.pk))
        if locked.outcome != Freeze.Outcome.OPEN:
            raise ValidationError(errors.NOT_FROZEN, code="not_frozen")
        if not locked.awaiting_review:
            raise ValidationError(errors.NOT_AWAITING_REVIEW, code="not_awaiting_review")
        if accept:
            return lift_freeze(freeze=locked, by=by, now=now, note=reasons.strip(), waive_missing=True)
        locked.ends_on = policy.ends_after_incomplete_response(
            ends_on=locked.ends_on, responded_on=timezone.localdate(locked.responded_at), today=today)
        locked.responded_at, locked.reviewed_at, locked.reviewed_by = None, now, by
        locked.review_note = reasons.strip()
        locked.save(update_fields=["ends_on", "responded_at", "reviewed_at", "reviewed_by", "review_note"])
        notify_applicant(file=locked.file, purpose=RESPONSE_INCOMPLETE, about=locked,
                         message=incomplete_message(locked.file, locked))
    return locked


def incomplete_message(file: BeneficiaryFile, freeze: Freeze) -> str:
    """SC-6, RT-4: what is still missing, why the documents handed in were not enough, and until when."""
    with translation.override("ar"):
        missing = freeze.update_request_id and file_services.update_documents_missing(freeze.update_request)
        return render_message(RESPONSE_INCOMPLETE, {
            "file_number": file.number, "reasons": _sentence(freeze.review_note),
            "documents": file_services.document_labels(missing) if missing else "—",
            "ends_on": calendar.format_dual(freeze.ends_on),
            "portal_link": absolute_reverse("portal:needs", pk=file.pk)})


# --- Exclusions (SC-2…SC-12) ----------------------------------------------------------------


def require_adopted(profile: PolicyProfile) -> None:
    """PR «Sections per profile»: nothing punitive (a freeze, an exclusion) runs on the service
    controls until the association's board adopted them, by hand no more than by the sweep."""
    if not profile.adopts(Section.SERVICE_CONTROLS):
        raise ValidationError(errors.CONTROLS_NOT_ADOPTED, code="controls_not_adopted")


def household_has_orphans(file: BeneficiaryFile, today: dt.date) -> bool:
    """SC-10: children of the household under policy.ADULT_AGE whose father died — a man's death
    recorded on the file (SC-7), or a head of household who is a widow."""
    current = file.members.current()
    head = current.filter(relationship=Relationship.HEAD).first()
    widow = head is not None and head.gender == Gender.FEMALE and head.marital_status == MaritalStatus.WIDOWED
    if not (widow or file.deaths.filter(deceased__gender=Gender.MALE).exists()):
        return False
    children = current.filter(relationship__in=(Relationship.SON, Relationship.DAUGHTER))
    return any(policy.is_minor(child.birth_date, today) for child in children)


def check_exclusion(*, file: BeneficiaryFile, rule: str, profile: PolicyProfile, proof_document, proof_note: str,
                     referred_to: str, freeze, today: dt.date | None = None) -> None:
    require_adopted(profile)
    control = policy.control(rule)
    if freeze is None and control.consequence != Consequence.EXCLUDE:
        raise ValidationError(errors.NOT_AN_EXCLUSION_RULE % {"rule": rule}, code="not_exclusion_rule")
    if control.needs_proof and proof_document is None and not proof_note.strip():
        raise ValidationError(errors.PROOF_REQUIRED, code="proof_required")
    if not policy.proof_is_the_required_document(rule, proof_document):
        raise ValidationError(errors.CANCELLATION_FORM_REQUIRED, code="signed_form_required")
    if rule == "SC-10" and policy.sc10_exempt(
            set(file.categories.values_list("code", flat=True)), profile,
            orphans_in_household=household_has_orphans(file, today or calendar.today())):
        raise ValidationError(errors.ORPHANS_EXEMPT, code="orphans_exempt")
    if rule == "SC-8":
        codes = set(file.categories.values_list("code", flat=True))
        head = file.members.current().filter(relationship=Relationship.HEAD).first()
        widowed = head is not None and head.marital_status in (MaritalStatus.WIDOWED, MaritalStatus.DIVORCED)
        if not (widowed or codes & {"widow", "divorced"}):
            raise ValidationError(errors.NOT_WIDOW_OR_DIVORCED, code="not_widow_or_divorced")
    if control.refer_to_authorities and not referred_to.strip():
        raise ValidationError(errors.AUTHORITY_REQUIRED, code="authority_required")
    if proof_document is not None and proof_document.file_id != file.pk:
        raise ValidationError(errors.DOCUMENT_OF_OTHER_FILE, code="document_of_other_file")


def exclude_file(*, file: BeneficiaryFile, rule: str, by, today: dt.date, now: dt.datetime, profile: PolicyProfile,
                 proof_document: Document | None = None, proof_note: str = "", referred_to: str = "",
                 freeze: Freeze | None = None) -> Exclusion:
    """Exclude the file under `rule`, recording the proof, who decided and when; issue the
    certificate (SC-2) or the exclusion decision; tell the beneficiary the reason (RT-4)."""
    check_exclusion(file=file, rule=rule, profile=profile, proof_document=proof_document, proof_note=proof_note,
                     referred_to=referred_to, freeze=freeze, today=today)
    with transaction.atomic():
        locked = file_services.lock_file(file)
        if Exclusion.objects.filter(file=locked).exists():
            raise ValidationError(errors.ALREADY_EXCLUDED, code="already_excluded")
        open_freeze = freeze or locked.freezes.filter(outcome=Freeze.Outcome.OPEN).first()
        exclusion = Exclusion.objects.create(
            file=locked, rule=rule, proof_document=proof_document, proof_note=proof_note.strip(),
            referred_to_authorities=referred_to.strip(), freeze=freeze, decided_by=by, decided_at=now,
            decided_on=today,
        )
        if open_freeze is not None:
            open_freeze.outcome, open_freeze.ended_at, open_freeze.ended_by = Freeze.Outcome.EXCLUDED, now, by
            open_freeze.save(update_fields=["outcome", "ended_at", "ended_by"])
        file_services.change_status(file=locked, to=FileStatus.EXCLUDED, now=now, reason=f"{rule} exclusion")
        create_certificate(exclusion=exclusion, now=now, today=today, profile=profile)
        notify_applicant(file=locked, purpose=f"exclusion-{rule}", message=exclusion_message(locked, rule, profile),
                         about=exclusion)
    return exclusion


def exclusion_message(file: BeneficiaryFile, rule: str, profile: PolicyProfile) -> str:
    """SC-2, CP-1, RT-4: the reason, the certificate's link in «my file» and the right to a grievance."""
    with translation.override("ar"):
        reasons = _sentence(policy.control(rule).situation)
    return render_message("exclusion", {
        "file_number": file.number, "reasons": reasons, **grievance_context(profile),
        "certificate_link": absolute_reverse("portal:certificate", file.pk), "complaint_link": complaint_link(),
    }, profile=profile)


def _sentence(text) -> str:
    """A rule's text set inside a message, which puts its own full stop after it."""
    return str(text).rstrip(" .")
