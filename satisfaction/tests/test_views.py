"""The public survey page and the staff results, through the views (SAT-1, SAT-2, GO-6)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from charity import calendar
from charity.roles import Role
from satisfaction import policy, services
from satisfaction.models import Service, Survey
from testdata import NOW, make_active

pytestmark = pytest.mark.django_db

ANSWER = {"overall": "4", "courtesy": "5", "speed": "3", "clarity": "2", "comment": "الخدمة جيدة"}


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


@pytest.fixture
def clock():
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def served(staff):
    """The member of staff whose service the survey asks about: the researcher, سارة العتيبي."""
    return staff["researcher"]


@pytest.fixture
def file(served):
    return make_active(served)


@pytest.fixture
def survey(file, served):
    return services.send_survey(event=file, service=Service.AID, file=file, staff=served, now=NOW)


def url(survey):
    return reverse("survey:answer", args=[survey.token])


def snapshot():
    return list(Survey.objects.values_list("overall", "courtesy", "speed", "clarity", "comment", "answered_at"))


@pytest.mark.rule("GO-6", "SAT-1")
def test_sat1_survey_page_shows_the_purpose_and_nothing_personal(client, survey, file, served, clock):
    """GO-6: the page says the survey improves the service and punishes nobody; no name, no file number."""
    before = snapshot()
    response = client.get(url(survey))
    assert response.status_code == 200
    page = response.content.decode()
    assert ar(policy.PURPOSE_NOTE) in page
    assert ar(Service.AID.label) in page
    assert 'lang="ar"' in page and 'dir="rtl"' in page
    # SAT-1: the scale is said with the policy's ends and their names, in one sentence.
    assert "قيّم كل سؤال من 1 (غير راضٍ إطلاقًا) إلى 5 (راضٍ جدًا)." in page
    for personal in (file.number, file.head_name, file.head_id_number, file.mobile, served.first_name,
                     served.last_name):
        assert personal not in page
    assert snapshot() == before  # GET never changes anything


@pytest.mark.rule("SAT-1")
def test_sat1_answer_once_then_thanks_and_a_second_post_is_refused(client, survey, clock):
    response = client.post(url(survey), ANSWER)
    assert response.status_code == 302 and response["Location"] == reverse("survey:thanks")
    assert client.get(response["Location"]).status_code == 200
    row = Survey.objects.get()
    assert (row.overall, row.courtesy, row.speed, row.clarity, row.comment) == (4, 5, 3, 2, "الخدمة جيدة")
    assert row.answered_at == NOW + dt.timedelta(hours=1)
    before = snapshot()
    again = client.post(url(survey), {**ANSWER, "overall": "1", "comment": "again"})
    assert again.status_code == 409
    assert ar(services.ALREADY_ANSWERED) in again.content.decode()
    assert snapshot() == before
    shown = client.get(url(survey))
    assert shown.status_code == 200 and ar(services.ALREADY_ANSWERED) in shown.content.decode()
    assert 'data-testid="survey-form"' not in shown.content.decode()


@pytest.mark.rule("SAT-1")
def test_sat1_invalid_answer_shows_the_error_and_saves_nothing(client, survey, clock):
    response = client.post(url(survey), {**ANSWER, "overall": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["overall"]
    response = client.post(url(survey), {**ANSWER, "speed": "7"})
    assert response.context["form"].errors["speed"]
    assert Survey.objects.get().answered_at is None


@pytest.mark.rule("SAT-1")
def test_sat1_expired_link_gets_a_clear_page_and_changes_nothing(client, survey):
    with time_machine.travel(survey.expires_at + dt.timedelta(minutes=1), tick=False):
        assert client.get(url(survey)).status_code == 410
        response = client.post(url(survey), ANSWER)
    assert response.status_code == 410 and ar(services.LINK_EXPIRED) in response.content.decode()
    assert Survey.objects.get().answered_at is None


@pytest.mark.rule("SAT-1")
def test_sat1_unknown_link_is_404_with_a_clear_page(client, survey, clock):
    response = client.get(reverse("survey:answer", args=["x" * 43]))
    assert response.status_code == 404 and ar(services.UNKNOWN_LINK) in response.content.decode()
    wrong = survey.token[:-1] + ("B" if survey.token.endswith("A") else "A")  # one character off
    assert client.post(reverse("survey:answer", args=[wrong]), ANSWER).status_code == 404
    assert Survey.objects.get().answered_at is None


@pytest.mark.rule("SAT-2")
def test_sat2_results_need_the_permission(client, make_user, profile):
    results = reverse("satisfaction:results")
    assert client.get(results).status_code == 302  # login first
    client.force_login(make_user(Role.INTAKE))
    assert client.get(results).status_code == 403


@pytest.fixture
def director(staff):
    """The executive director, who reads the results (satisfaction.view_results, by role)."""
    return staff["director"]


@pytest.mark.rule("SAT-2")
def test_sat2_results_show_aggregates_only_never_who_answered(client, director, file, served, clock):
    for event, overall in ((file, 5), (served, 2)):
        sent = services.send_survey(event=event, service=Service.AID, file=file, staff=served, now=NOW)
        services.answer_survey(token=sent.token, ratings={"overall": overall}, comment=f"رأي {overall}", now=NOW)
    client.force_login(director)
    response = client.get(reverse("satisfaction:results"))
    assert response.status_code == 200
    assert response.context["totals"]["sent"] == 2 and response.context["totals"]["avg_overall"] == 3.5
    page = response.content.decode()
    assert "سارة العتيبي" in page and "رأي 5" in page
    for personal in (file.number, file.head_name, file.head_id_number, file.mobile):
        assert personal not in page
    assert file.get_absolute_url() not in page


@pytest.mark.rule("SAT-2")
def test_sat2_results_period_filters_and_rejects_a_reversed_range(client, director, file, served, clock):
    services.send_survey(event=file, service=Service.AID, file=file, staff=served, now=NOW)
    services.send_survey(event=served, service=Service.PROGRAMME, file=file, staff=served,
                         now=NOW - dt.timedelta(days=60))
    client.force_login(director)
    day = timezone.localdate(NOW)
    response = client.get(reverse("satisfaction:results"), {"first": day.isoformat(), "last": day.isoformat()})
    assert [r["service"] for r in response.context["by_service"]] == ["aid"]
    dual = calendar.format_dual(day)
    assert f"من {dual} إلى {dual}" in response.content.decode()  # the period as one sentence
    response = client.get(reverse("satisfaction:results"), {"first": day.isoformat(),
                                                            "last": (day - dt.timedelta(days=1)).isoformat()})
    assert response.context["form"].errors
    assert response.context["totals"]["sent"] == 2  # the default period: the last twelve months
