"""DU-11: a family's refusal of aid offered to it, recorded only in writing; the aid is
cancelled, which frees its fund and goods for another beneficiary (TK-3, TK-4)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from beneficiaries import services as file_services
from beneficiaries.policy import DocumentType
from charity import calendar

from ..models import Disbursement, ServiceRefusal
from .common import stamp
from .disbursements import lock_for_transition

Status = Disbursement.Status
SIGNED_REFUSAL_NOTE = _("Signed refusal of the aid proposed on %(date)s")
REFUSED_NOTE = _("Refused in writing by the family (DU-11).")


def record_service_refusal(*, disbursement: Disbursement, by, today: dt.date, now: dt.datetime,
                           written_refusal: str = "", signed_refusal=None) -> ServiceRefusal:
    """DU-11: record the family's written refusal of proposed or approved aid (its words, a
    signed scan kept on the file, or both), who recorded it and when, and cancel the aid so that
    another beneficiary may have it. A refusal not in writing is refused and changes nothing."""
    written_refusal = (written_refusal or "").strip()
    file_services.require_refusal_in_writing(written_refusal, signed_refusal)
    with transaction.atomic():
        locked = lock_for_transition(disbursement, Status.CANCELLED)
        document = None
        if signed_refusal is not None:
            with translation.override("ar"):
                note = str(SIGNED_REFUSAL_NOTE % {"date": calendar.format_dual(timezone.localdate(locked.proposed_at))})
            document = file_services.upload_document(file=locked.file, by=by, uploaded=signed_refusal,
                                                     doc_type=DocumentType.WRITTEN_REFUSAL, today=today, note=note)
        refusal = stamp(ServiceRefusal(file=locked.file, disbursement=locked, written_refusal=written_refusal,
                                       signed_refusal=document, refused_on=today, recorded_by=by, recorded_at=now),
                        by, "DU-11 refused in writing")
        refusal.save()
        with translation.override("ar"):
            reason = str(REFUSED_NOTE)
        locked.status = Status.CANCELLED
        locked.note = "\n".join(p for p in (locked.note, reason) if p)
        stamp(locked, by, "DU-11 refused in writing").save()
    return refusal
