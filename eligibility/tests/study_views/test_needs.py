"""EL-8, EL-9, IN-7: the needs study and its printable form through the views."""


import pytest
from django.utils import translation

from charity.models import AccessLog, PolicyProfile
from eligibility import services
from eligibility.models import NeedsAssessment, VerificationItem
from eligibility.policy import ItemKind

from .helpers import page_url

pytestmark = pytest.mark.django_db


@pytest.mark.rule("EL-8", "EL-9")
def test_el8_el9_assessment_shows_the_breakdown_and_services(client, staff, file):
    services.ensure_checklist(file)
    client.force_login(staff["researcher"])
    page = client.get(page_url("assess", file.pk))
    assert page.status_code == 200
    assert page.context["threshold"] == PolicyProfile.objects.active().income_threshold_per_member
    assert page.context["form"]["housing_poor"].value() is False  # no completed visit yet
    response = client.post(page_url("assess", file.pk), {"housing_poor": "on", "notes": "حاجة ماسة"})
    assessment = NeedsAssessment.objects.get(file=file)
    assert response.status_code == 302 and response["Location"] == page_url("assessment_detail", assessment.pk)
    assert assessment.housing_poor and assessment.assessed_by == staff["researcher"]
    assert file.verification_items.get(kind=ItemKind.NEEDS_ASSESSMENT).status == VerificationItem.Status.VERIFIED

    detail = client.get(page_url("assessment_detail", assessment.pk))
    assert detail.status_code == 200
    rows = {r["key"]: (r["points"], r["maximum"]) for r in detail.context["score_rows"]}
    maxima = PolicyProfile.objects.active().needs_study["maxima"]
    assert rows == {k: (assessment.breakdown[k], maxima[k]) for k in maxima}
    assert f'data-testid="score">{assessment.score}<' in detail.content.decode()
    with translation.override("ar"):
        assert [str(s) for s in detail.context["services"]] and "home_repair" in assessment.recommended_services
    assert AccessLog.objects.filter(user=staff["researcher"], object_id=str(file.pk), action="print").exists()
