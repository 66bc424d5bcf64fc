"""The study's and the controls' history reasons, registered by EligibilityConfig.ready()."""

import pytest
from django.utils import translation

from charity.history import describe_reason
from eligibility.policy import Outcome


@pytest.mark.parametrize(("code", "english", "arabic"), [
    ("decision: reject", "Decision on the application: ", "القرار في الطلب: "),
    ("SC-2 exclusion", "Excluded from services under SC-2", "استُبعد من الخدمات وفق SC-2"),
    ("SC-12 freeze", "Services frozen under SC-12", "جُمّدت الخدمات وفق SC-12"),
    ("SC-6 lifted", "Freeze under SC-6 lifted", "رُفع التجميد المقرّر وفق SC-6"),
    ("SC-7 closed", "File closed after the head of household's death (SC-7)", "أُغلق الملف بعد وفاة رب الأسرة (SC-7)"),
])
def test_known_codes_are_told_in_each_language(code, english, arabic):
    with translation.override("en"):
        assert describe_reason(code).startswith(english)
    with translation.override("ar"):
        told = describe_reason(code)
        assert told.startswith(arabic), told
        assert code not in told


def test_decision_uses_its_label():
    with translation.override("ar"):
        assert describe_reason("decision: accept").endswith(str(Outcome.ACCEPT.label))
