"""What «my file» shows a family, read through the existing querysets and services.

One function per page; each takes the signed-in family's file (the views find it, or 404) and
the day or moment, and returns plain data for the template."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from beneficiaries import services as file_services
from beneficiaries.messages import PERIOD
from beneficiaries.models import BeneficiaryFile, ResearcherChangeRequest, UpdateRequest
from beneficiaries.policy import AWAITING_DECISION, DocumentType, FileStatus, update_due_on
from charity.models import PolicyProfile
from charity.policy import DecidingBody
from complaints import policy as complaint_policy
from complaints.models import Complaint
from eligibility import policy as eligibility_policy
from eligibility.models import Certificate, Decision, Exclusion, Freeze
from satisfaction.models import Survey

from . import policy

LIFT_BY_DOCUMENTS = _("Hand in these documents before the freeze ends, here or at the association: %(documents)s.")
LIFT_BY_CONTACT = _("Tell the association your current address and phone numbers before the freeze ends.")
LIFT_BY_RESPONSE = _("Respond to the association before the freeze ends: %(situation)s")


def _body_label(code: str) -> str:
    return str(DecidingBody(code).label) if code in DecidingBody.values else code


def file_page(file: BeneficiaryFile, *, profile: PolicyProfile, today: dt.date) -> dict:
    """The file's number and status, the deciding body and the period (IN-5, in the text's own
    terms: never a latest date), and each decision with its reasons (RT-4)."""
    decision = Decision.objects.filter(file=file).first()
    exclusion = Exclusion.objects.filter(file=file).first()
    period = policy.EXPECTED_PERIOD % {"body": _body_label(profile.deciding_body), "period": PERIOD}
    return {
        "file": file, "status": FileStatus(file.status).label, "awaiting": file.status in AWAITING_DECISION,
        "deciding_body": _body_label(profile.deciding_body), "expected_period": period,
        "decision": decision and {"outcome": decision.get_outcome_display(), "body": _body_label(decision.body),
                                  "reasons": decision.reasons, "at": decision.decided_at},
        "exclusion": exclusion and {"rule": exclusion.rule, "on": exclusion.decided_on,
                                    "reasons": eligibility_policy.control(exclusion.rule).situation,
                                    "certificate": Certificate.objects.filter(exclusion=exclusion).exists()},
        "freezes": [_freeze(f) for f in Freeze.objects.filter(file=file).order_by("-started_on")],
        "researcher_answers": ResearcherChangeRequest.objects.filter(file=file).exclude(
            status=ResearcherChangeRequest.Status.PENDING),
        "updates": announced_updates(file, today=today),
        "participation": file_services.participation_in_force(file),  # RT-5
    }


def _freeze(freeze: Freeze) -> dict:
    return {"freeze": freeze, "rule": freeze.rule, "reasons": eligibility_policy.control(freeze.rule).situation,
            "open": freeze.outcome == Freeze.Outcome.OPEN, "outcome": freeze.get_outcome_display()}


def what_lifts(freeze: Freeze) -> str:
    """SC-6, SC-12: what the family must do for an open freeze to lift."""
    if freeze.update_request_id:
        missing = file_services.update_documents_missing(freeze.update_request)
        labels = file_services.document_labels(missing)
        if labels:
            return LIFT_BY_DOCUMENTS % {"documents": labels}
    if freeze.rule in eligibility_policy.LIFTED_BY_CONTACT:
        return str(LIFT_BY_CONTACT)
    return LIFT_BY_RESPONSE % {"situation": eligibility_policy.control(freeze.rule).situation}


def needs_page(file: BeneficiaryFile, *, profile: PolicyProfile, today: dt.date) -> dict:
    """DU-1: the documents still required (missing, or expired) with their expiry; the open
    freezes (SC-6, SC-12) and what lifts each."""
    checklist = file_services.document_checklist(file, today=today, profile=profile)
    missing = [{"label": item["label"], "expires_on": item["document"] and item["document"].expires_on,
                "expired": item["document"] is not None} for item in checklist if not item["valid"]]
    freezes = Freeze.objects.filter(file=file, outcome=Freeze.Outcome.OPEN).select_related("update_request__update")
    return {"file": file, "documents": missing,
            "valid": [item for item in checklist if item["valid"]],
            "freezes": [{**_freeze(f), "lifts": what_lifts(f)} for f in freezes],
            "updates": announced_updates(file, today=today)}


def announced_updates(file: BeneficiaryFile, *, today: dt.date) -> list[dict]:
    """DU-5: the annual updates announced to the family and still waiting for its documents."""
    requests = (UpdateRequest.objects.filter(file=file).exclude(status=UpdateRequest.Status.COMPLETED)
                .select_related("update").order_by("-update__announced_on"))
    return [_update(r, today=today) for r in requests]


def _update(request: UpdateRequest, *, today: dt.date) -> dict:
    """DU-5: a family not yet told has no deadline of its own; reading the update here, it is
    shown the one it would have if told today (never earlier than the announced deadline)."""
    missing = file_services.update_documents_missing(request)
    update = request.update
    deadline = request.due_on or update_due_on(announced_on=update.announced_on, deadline=update.deadline,
                                               told_on=today)
    return {"request": request, "update": update, "deadline": deadline,
            "completed": request.status == UpdateRequest.Status.COMPLETED,
            "documents": [{"code": d, "label": DocumentType(d).label, "handed_in": d not in missing}
                          for d in request.update.required_documents if d in DocumentType.values],
            "missing": missing}


def update_page(file: BeneficiaryFile, request: UpdateRequest, *, today: dt.date) -> dict:
    """DU-5: one annual update of the family: its deadline, the documents required and which of
    them were handed in since the announcement, and what lifts a freeze it caused."""
    freeze = Freeze.objects.filter(file=file, update_request=request, outcome=Freeze.Outcome.OPEN).first()
    shown = freeze and {**_freeze(freeze), "lifts": what_lifts(freeze)}
    return {"file": file, **_update(request, today=today), "freeze": shown}


def researcher_page(file: BeneficiaryFile) -> dict:
    """RT-8: who the researcher is and how to reach them; RT-2: the requests for another one,
    each with its answer and reasons."""
    requests = ResearcherChangeRequest.objects.filter(file=file).order_by("-recorded_at")
    return {"file": file, "researcher": file.researcher, "requests": requests,
            "pending": any(r.status == ResearcherChangeRequest.Status.PENDING for r in requests)}


def complaints_page(file: BeneficiaryFile) -> dict:
    """CP-9: the complaints linked to the file, their statuses and, once ruled, the ruling."""
    rows = Complaint.objects.filter(file=file).order_by("-filed_at")
    return {"file": file, "complaints": [{"complaint": c, "ruled": complaint_policy.ruling_shown(c)}
                                         for c in rows]}


def surveys_page(file: BeneficiaryFile, *, now: dt.datetime) -> dict:
    """SAT-1: the surveys sent to the family and not answered while their link is valid."""
    waiting = Survey.objects.filter(file=file, answered_at__isnull=True, expires_at__gt=now).order_by("expires_at")
    return {"file": file, "surveys": waiting}


def certificate_of(file: BeneficiaryFile) -> Certificate | None:
    """SC-2: the exclusion certificate (or decision) issued on the file, if any."""
    return Certificate.objects.filter(exclusion__file=file).select_related("exclusion").first()
