"""History reasons: stored as language-neutral codes, told in the reader's language."""

import pytest
from django.utils import translation

from charity.history import describe_reason


@pytest.mark.parametrize(("code", "english", "arabic"), [
    ("status → frozen", "Status changed to «Frozen»", "تغيّرت الحالة إلى «مجمّد»"),
    ("decision: reject", "Decision on the application: ", "القرار في الطلب: "),
    ("SC-2 exclusion", "Excluded from services under SC-2", "استُبعد من الخدمات وفق SC-2"),
    ("SC-12 freeze", "Services frozen under SC-12", "جُمّدت الخدمات وفق SC-12"),
    ("SC-6 lifted", "Freeze under SC-6 lifted", "رُفع التجميد المقرّر وفق SC-6"),
    ("SC-7 closed", "File closed after the head of household's death (SC-7)", "أُغلق الملف بعد وفاة رب الأسرة (SC-7)"),
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


def test_decision_and_status_use_their_labels():
    from beneficiaries.policy import FileStatus
    from eligibility.policy import Outcome

    with translation.override("ar"):
        assert describe_reason("decision: accept").endswith(str(Outcome.ACCEPT.label))
        assert describe_reason("status → excluded") == f"تغيّرت الحالة إلى «{FileStatus.EXCLUDED.label}»"


def test_an_unknown_reason_is_shown_as_written():
    assert describe_reason("RT-2: the family asked for a woman researcher") == \
        "RT-2: the family asked for a woman researcher"
    with translation.override("en"):
        assert describe_reason("status → nonsense") == "Status changed to «nonsense»"
    assert describe_reason(None) == "" and describe_reason("  ") == ""
