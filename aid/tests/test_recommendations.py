"""TK-2: families too proud to ask, recommended and followed up to a file."""

import pytest
from django.core.exceptions import ValidationError

from aid import services
from aid.models import Recommendation
from testdata import NOW

pytestmark = pytest.mark.django_db


# --- TK-2: recommendations --------------------------------------------------------------------------


@pytest.mark.rule("TK-2")
def test_tk2_recommendation_followed_up_to_a_file(staff, file):
    """TK-2: no identity number is needed; contacted → applied (with the new file); outcomes are final."""
    rec = services.recommend_family(by=staff["researcher"], now=NOW, family_name="أسرة أبو محمد", city="الرياض",
                                    situation="أرملة مع أربعة أطفال", recommended_aid="سلة غذائية شهرية")
    assert rec.status == Recommendation.Status.RECOMMENDED
    services.follow_up_recommendation(recommendation=rec, by=staff["manager"], status="contacted", note="اتصلنا")
    with pytest.raises(ValidationError) as exc:
        services.follow_up_recommendation(recommendation=rec, by=staff["manager"], status="applied")
    assert exc.value.code == "file_required"
    rec = services.follow_up_recommendation(recommendation=rec, by=staff["manager"], status="applied", file=file)
    assert rec.status == "applied" and rec.file == file and rec.outcome_note == "اتصلنا"
    with pytest.raises(ValidationError) as exc:
        services.follow_up_recommendation(recommendation=rec, by=staff["manager"], status="declined")
    assert exc.value.code == "follow_up_not_allowed"
