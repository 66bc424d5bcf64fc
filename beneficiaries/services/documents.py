"""The file's documents (DU-1, IN-2): private uploads checked on the way in, and the checklist
of what the file must hold."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from charity import calendar
from charity.models import PolicyProfile
from charity.uploads import inspect_upload

from .. import errors, policy
from ..models import BeneficiaryFile, Document, Member
from ..policy import FileStatus, IdType
from ..signals import document_handed_in


def upload_document(*, file: BeneficiaryFile, by, uploaded, doc_type: str, today: dt.date,
                    issued_on: dt.date | None = None, expires_on: dt.date | None = None,
                    member: Member | None = None, note: str = "") -> Document:
    """Store an uploaded document privately after checking its content, size and dates; a file
    whose record is final (closed, excluded, rejected, referred out) takes none."""
    status = BeneficiaryFile.objects.values_list("status", flat=True).get(pk=file.pk)  # as stored now
    if status in policy.DOCUMENT_CLOSED_STATUSES:
        raise ValidationError(errors.DOCUMENTS_CLOSED % {"status": FileStatus(status).label}, code="documents_closed")
    if issued_on and issued_on > today:
        raise ValidationError(errors.ISSUED_IN_FUTURE, code="issued_in_future")
    if issued_on and expires_on and expires_on < issued_on:
        raise ValidationError(errors.EXPIRY_BEFORE_ISSUE, code="expiry_before_issue")
    if not policy.document_is_valid_on(expires_on, today):
        raise ValidationError(errors.EXPIRED_ON_UPLOAD % {"date": calendar.format_dual(expires_on)},
                              code="expired_on_upload")
    inspected = inspect_upload(uploaded)
    document = Document(file=file, member=member, doc_type=doc_type, issued_on=issued_on, expires_on=expires_on,
                        content_type=inspected.content_type, size=inspected.size, sha256=inspected.sha256,
                        original_name=(getattr(uploaded, "name", "") or "")[:200], note=note, uploaded_by=by)
    with transaction.atomic():
        document.stored.save(f"upload.{inspected.extension}", uploaded, save=False)
        try:
            document.save()
        except Exception:
            document.stored.delete(save=False)  # no orphan file when the row cannot be saved
            raise
        document_handed_in.send(sender=Document, file_id=file.pk, document=document, by=by,
                                now=document.uploaded_at)
    return document


def require_refusal_in_writing(written_words: str, signed_paper) -> None:
    """DU-11: refuse to record a refusal that is not in writing (policy.refusal_in_writing)."""
    if not policy.refusal_in_writing(written_words, signed_paper):
        raise ValidationError(policy.REFUSAL_NOT_IN_WRITING, code="refusal_not_in_writing")


def current_documents(file: BeneficiaryFile):
    return file.documents.filter(superseded_by__isnull=True)


def document_checklist(file: BeneficiaryFile, *, today: dt.date, profile: PolicyProfile) -> list[dict]:
    """DU-1: each required document type with its latest upload and whether it is valid."""
    members = list(file.members.current())
    latest = {}
    for doc in current_documents(file).order_by("uploaded_at"):
        latest[doc.doc_type] = doc
    required = policy.required_documents(
        category_codes=file.categories.values_list("code", flat=True),
        housing_type=file.housing_type,
        has_income=file.incomes.current().exists(),
        has_iban=bool(file.iban),
        school_children=sum(1 for m in members if m.school_stage in policy.SCHOOL_STAGES_NEEDING_CERTIFICATE),
        passport_identity=file.head_id_type == IdType.PASSPORT,
    )
    return [
        {"doc_type": doc_type, "label": policy.DocumentType(doc_type).label, "document": latest.get(doc_type),
         "valid": doc_type in latest and policy.document_is_valid_on(latest[doc_type].expires_on, today)}
        for doc_type in required
    ]
