"""SC-3: the approved form on which a beneficiary asks to cancel their file.

«يستبعد بإصدار قرار بالاستبعاد بناء على تعبئة النموذج المعتمد»: staff print the form prefilled
from the file, the beneficiary signs it, and its signed scan is the only proof of an SC-3
exclusion (eligibility.policy, control("SC-3").proof_document_type; checked by
eligibility.controls.check_exclusion)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from beneficiaries.models import BeneficiaryFile
from charity import calendar

# An official Arabic document whatever the language of the screen that printed it.
FORM_LANGUAGE = "ar"


def cancellation_form_context(file: BeneficiaryFile, today: dt.date) -> dict:
    return {
        "file": file, "rule": "SC-3",
        "date_gregorian": calendar.format_gregorian(today, FORM_LANGUAGE),
        "date_hijri": calendar.format_hijri(today, FORM_LANGUAGE),
    }


def render_cancellation_form(file: BeneficiaryFile, today: dt.date) -> bytes:
    """Return the SC-3 cancellation request as a PDF, prefilled with the file, its head and the date."""
    from beneficiaries.pdf import render_pdf

    with translation.override(FORM_LANGUAGE):
        return render_pdf("eligibility/pdf/cancellation_request.html", cancellation_form_context(file, today))
