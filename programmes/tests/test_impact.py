"""IN-8 «قياس أثر ورضا المستفيد»: a programme's impact is the change in its participants' needs
studies (EL-9) before and after it, with the satisfaction of its surveys (SAT-1); aggregated,
scoped, and shown where the profile adopts the programmes section."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats, timezone, translation

from beneficiaries.models import BeneficiaryFile
from charity.services import load_policy_profile
from eligibility.models import NeedsAssessment
from programmes import impact, services
from satisfaction import services as survey_services
from satisfaction.models import Survey

from .builders import ENDS, STARTS, url

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def shown(value: Decimal) -> str:
    """A figure as the Arabic pages print it."""
    with translation.override("ar"):
        return formats.localize(value)


def study(file, by, day, *, score, per_member, parts):
    """A needs study with pinned figures (the score's parts: income, dependants, housing, health)."""
    return NeedsAssessment.objects.create(
        file=file, assessed_by=by, assessed_at=at(day), household_size=4, dependants=3,
        monthly_income=per_member * 4, income_per_member=per_member, threshold=Decimal("1500"),
        breakdown=dict(zip(("income", "dependants", "housing", "health"), parts, strict=True)), score=score,
        recommended_services=[])


@pytest.fixture
def measured(staff, running, heads):
    """Families A and B studied before and after the programme, C only before, D never nominated;
    the programme closed on its last day, and one survey answered (overall 4)."""
    by = staff["researcher"]
    a, b, c = (n.file for n in running.people)
    d = heads[3].file
    study(a, by, STARTS - dt.timedelta(days=60), score=90, per_member=Decimal("100"), parts=(40, 20, 20, 10))
    study(a, by, STARTS - dt.timedelta(days=5), score=60, per_member=Decimal("500"), parts=(27, 12, 14, 7))
    study(a, by, STARTS + dt.timedelta(days=3), score=10, per_member=Decimal("1400"), parts=(3, 4, 3, 0))
    study(a, by, ENDS + dt.timedelta(days=3), score=40, per_member=Decimal("900"), parts=(16, 12, 10, 2))
    study(a, by, ENDS + dt.timedelta(days=20), score=5, per_member=Decimal("1490"), parts=(0, 4, 1, 0))
    study(b, by, STARTS - dt.timedelta(days=1), score=50, per_member=Decimal("700"), parts=(21, 8, 14, 7))
    study(b, by, ENDS + dt.timedelta(days=1), score=45, per_member=Decimal("800"), parts=(19, 8, 14, 4))
    study(c, by, STARTS - dt.timedelta(days=2), score=70, per_member=Decimal("300"), parts=(32, 16, 14, 8))
    study(d, by, STARTS - dt.timedelta(days=2), score=99, per_member=Decimal("0"), parts=(40, 20, 20, 19))
    study(d, by, ENDS + dt.timedelta(days=2), score=1, per_member=Decimal("5000"), parts=(0, 0, 1, 0))
    services.complete_programme(programme=running.programme, by=staff["manager"], today=ENDS, now=at(ENDS))
    survey = Survey.objects.get(object_id=str(running.people[0].pk))
    survey_services.answer_survey(survey=survey, ratings={"overall": 4}, now=at(ENDS, 12))
    return running


@pytest.mark.rule("IN-8")
def test_in8_impact_is_the_change_between_the_studies_before_and_after_the_programme(measured):
    row = impact.programme_impact(measured.programme, files=BeneficiaryFile.objects.all())
    assert (row["families"], row["with_before"], row["with_after"], row["measured"]) == (3, 3, 2, 2)
    figures = {i.key: (i.before, i.after, i.change, i.improved) for i in row["indicators"]}
    assert figures == {
        "score": (Decimal("55.00"), Decimal("42.50"), Decimal("-12.50"), True),
        "income_per_member": (Decimal("600.00"), Decimal("850.00"), Decimal("250.00"), True),
        "income": (Decimal("24.00"), Decimal("17.50"), Decimal("-6.50"), True),
        "dependants": (Decimal("10.00"), Decimal("10.00"), Decimal("0.00"), None),
        "housing": (Decimal("14.00"), Decimal("12.00"), Decimal("-2.00"), True),
        "health": (Decimal("7.00"), Decimal("3.00"), Decimal("-4.00"), True),
    }
    assert row["satisfaction"] == {"sent": 3, "answered": 1, "overall": Decimal("4.00")}


@pytest.mark.rule("IN-8")
def test_in8_a_family_that_attended_counts_one_that_never_came_does_not(staff, running):
    """Took part: completed, or present at a session. A nominee who accepted and then dropped out
    without attending did not take part."""
    a, b, c = running.people
    services.record_attendance(session=running.sessions[0], participants=[a, b], present_ids=[a.pk],
                               by=staff["manager"], today=STARTS)
    for nomination in (a, b):
        services.record_dropout(nomination=nomination, by=staff["manager"], reasons="سفر", discussed=True,
                                dropped_out_on=STARTS + dt.timedelta(days=1), today=STARTS + dt.timedelta(days=1))
    assert impact.took_part(running.programme, BeneficiaryFile.objects.all()) == [a.file_id]


@pytest.mark.rule("IN-8")
def test_in8_pages_show_the_aggregate_scoped_and_gated(measured, staff, client, researcher_running_programmes):
    """The programme page and the satisfaction results show the figures, no family named; a
    researcher sees only the families of their files; with Kafl (programmes not adopted) nothing."""
    with time_machine.travel(at(ENDS + dt.timedelta(days=25)), tick=False):
        client.force_login(staff["manager"])
        page = client.get(url("programme_detail", measured.programme.pk))
        assert page.context["impact"]["measured"] == 2
        assert f'data-testid="change">{shown(Decimal("-12.50"))}<' in page.content.decode()
        results = client.get(reverse("satisfaction:results"), {"first": STARTS.isoformat(),
                                                                 "last": (ENDS + dt.timedelta(days=1)).isoformat()})
        html = results.content.decode()
        assert [r["programme"] for r in results.context["programmes_impact"]] == [measured.programme]
        assert 'data-testid="programmes-impact"' in html and f'data-testid="change">{shown(Decimal("-12.50"))}<' in html
        assert all(n.file.number not in html for n in measured.people)  # aggregates only

        a_file = measured.people[0].file
        BeneficiaryFile.objects.filter(pk=a_file.pk).update(researcher=staff["researcher"])
        client.force_login(researcher_running_programmes)
        scoped = client.get(url("programme_detail", measured.programme.pk)).context["impact"]
        assert (scoped["families"], scoped["measured"]) == (1, 1)
        assert {i.key: i.change for i in scoped["indicators"]}["score"] == Decimal("-20.00")

        load_policy_profile("kafl")
        client.force_login(staff["manager"])
        assert client.get(url("programme_detail", measured.programme.pk)).context["impact"] is None
        assert client.get(reverse("satisfaction:results")).context["programmes_impact"] is None


@pytest.mark.rule("IN-8")
def test_in8_the_researcher_records_the_study_after_the_programme(measured, staff, client):
    """Family C has no study after the programme: the programme page offers the after-study and the
    study page says what it measures; once recorded it becomes C's «after»."""
    c_file = measured.people[2].file
    with time_machine.travel(at(ENDS + dt.timedelta(days=25)), tick=False):
        client.force_login(staff["manager"])
        html = client.get(url("programme_detail", measured.programme.pk)).content.decode()
        assert reverse("eligibility:assess", args=[c_file.pk]) in html
        assess = client.get(reverse("eligibility:assess", args=[c_file.pk]))
        assert assess.context["after_programmes"] == [measured.programme]
        posted = client.post(reverse("eligibility:assess", args=[c_file.pk]), {"notes": "بعد البرنامج"})
        assert posted.status_code == 302
        assert client.get(reverse("eligibility:assess", args=[c_file.pk])).context["after_programmes"] == []
    row = impact.programme_impact(measured.programme, files=BeneficiaryFile.objects.all())
    assert (row["with_after"], row["measured"]) == (3, 3)
