"""The file's history reasons, registered by BeneficiariesConfig.ready(), in each language."""

import pytest
from django.utils import translation

from beneficiaries.policy import FileStatus
from charity.history import describe_reason


@pytest.mark.parametrize(("code", "english", "arabic"), [
    ("status → frozen", "Status changed to «Frozen»", "تغيّرت الحالة إلى «مجمّد»"),
    ("IN-5 submitted", "Application submitted for study (IN-5)", "قُدّم الطلب للدراسة (IN-5)"),
    ("BEN-1 referral", "Referred to another body (BEN-1)", "أُحيل إلى جهة أخرى (BEN-1)"),
    ("RT-2 researcher assigned", "Researcher assigned (RT-2)", "كُلِّف باحث بالملف (RT-2)"),
    ("DU-4 reported 2026-05-27", "Change reported by the beneficiary on 27/05/2026",
     "تغيير أبلغ عنه المستفيد في 27/05/2026"),
    ("intake: contact", "Intake: contact details", "الاستقبال: بيانات التواصل"),
])
def test_known_codes_are_told_in_each_language(code, english, arabic):
    with translation.override("en"):
        assert describe_reason(code).startswith(english)
    with translation.override("ar"):
        told = describe_reason(code)
        assert told.startswith(arabic), told
        assert code not in told


def test_status_uses_its_label():
    with translation.override("ar"):
        assert describe_reason("status → excluded") == f"تغيّرت الحالة إلى «{FileStatus.EXCLUDED.label}»"


def test_an_unknown_status_is_shown_as_written():
    with translation.override("en"):
        assert describe_reason("status → nonsense") == "Status changed to «nonsense»"
