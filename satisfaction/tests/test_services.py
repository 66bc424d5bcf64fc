"""Satisfaction surveys through the services (SAT-1, SAT-2, IN-8, GO-5, GO-6)."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from charity.models import Notification
from charity.notifications.sealing import opened
from charity.roles import Role
from complaints import policy as complaint_policy
from complaints import services as complaint_services
from satisfaction import policy, services
from satisfaction.models import Service, Survey
from testdata import NOW, file_complaint, make_active

pytestmark = pytest.mark.django_db

RATINGS = {"overall": 4, "courtesy": 5, "speed": 3, "clarity": 4}


@pytest.fixture
def served(staff):
    """The member of staff whose service the survey asks about: the researcher, سارة العتيبي."""
    return staff["researcher"]


@pytest.fixture
def file(served):
    return make_active(served)


def send(event, file, served, *, now=NOW, service=Service.AID, **kwargs):
    return services.send_survey(event=event, service=service, file=file, staff=served, now=now, **kwargs)


def answered(survey, now=NOW, **ratings):
    return services.answer_survey(token=survey.token, ratings={**RATINGS, **ratings}, comment="", now=now)


@pytest.mark.rule("IN-8", "SAT-1")
def test_sat1_send_survey_stores_only_the_hash_and_texts_the_link(file, served, settings):
    """SAT-1, IN-8: one survey, a random token stored only as its SHA-256, an SMS with the link."""
    settings.SITE_URL = "https://example.org.sa/"  # the links are built on SITE_URL (charity.links)
    survey = send(file, file, served)
    assert len(survey.token) >= 43
    assert survey.token_hash == hashlib.sha256(survey.token.encode()).hexdigest()
    stored = Survey.objects.get()
    assert survey.token not in {stored.token_hash, stored.object_id, stored.comment}
    assert stored.expires_at == NOW + dt.timedelta(days=policy.DEFAULT_TTL_DAYS)
    assert (stored.service, stored.file, stored.staff, stored.sent_at) == (Service.AID, file, served, NOW)
    sms = Notification.objects.get(purpose="satisfaction-survey")
    assert sms.channel == "sms" and sms.recipient == file.mobile
    assert survey.token not in sms.body + sms.sealed  # the link is sealed until delivery
    assert f"https://example.org.sa/survey/{survey.token}/" in opened(sms).body
    assert survey.url == f"https://example.org.sa/survey/{survey.token}/"


@pytest.mark.rule("SAT-1")
def test_sat1_one_survey_per_event_second_call_sends_nothing(file, served):
    assert send(file, file, served) is not None
    assert send(file, file, served, now=NOW + dt.timedelta(days=1)) is None
    assert Survey.objects.count() == 1
    assert Notification.objects.filter(purpose="satisfaction-survey").count() == 1


@pytest.mark.rule("SAT-1")
def test_sat1_tokens_differ_between_surveys(file, served, make_user):
    other = make_user(Role.INTAKE)
    first, second = send(file, file, served), send(other, file, served)
    assert first.token != second.token and first.token_hash != second.token_hash


@pytest.mark.rule("SAT-1")
def test_sat1_ttl_comes_from_the_setting_or_the_argument(file, served, make_user, settings):
    settings.SURVEY_TTL_DAYS = 3
    assert send(file, file, served).expires_at == NOW + dt.timedelta(days=3)
    assert send(served, file, served, ttl_days=7).expires_at == NOW + dt.timedelta(days=7)


@pytest.mark.rule("SAT-1")
def test_sat1_nobody_to_reach_means_no_survey(file, served):
    file.mobile = ""
    assert send(file, file, served) is None
    assert send(file, None, served) is None
    assert not Survey.objects.exists()
    assert send(file, None, served, mobile="+966551234567") is not None


@pytest.mark.rule("SAT-1")
def test_sat1_answered_once_and_a_second_answer_changes_nothing(file, served):
    survey = send(file, file, served)
    answered(survey, now=NOW + dt.timedelta(hours=2))
    row = Survey.objects.get()
    assert (row.overall, row.courtesy, row.speed, row.clarity) == (4, 5, 3, 4)
    assert row.answered_at == NOW + dt.timedelta(hours=2)
    with pytest.raises(ValidationError) as exc:
        services.answer_survey(token=survey.token, ratings={"overall": 1}, comment="again",
                               now=NOW + dt.timedelta(days=1))
    assert exc.value.code == policy.State.ANSWERED
    again = Survey.objects.get()
    assert (again.overall, again.comment, again.answered_at) == (4, "", NOW + dt.timedelta(hours=2))


@pytest.mark.rule("SAT-1")
def test_sat1_expired_or_unknown_link_is_refused(file, served):
    survey = send(file, file, served, ttl_days=1)
    with pytest.raises(ValidationError) as exc:
        answered(survey, now=NOW + dt.timedelta(days=1))
    assert exc.value.code == policy.State.EXPIRED
    with pytest.raises(ValidationError) as exc:
        services.answer_survey(token="not-a-token", ratings=RATINGS, now=NOW)
    assert exc.value.code == policy.State.UNKNOWN
    assert Survey.objects.get().answered_at is None


@pytest.mark.rule("SAT-1")
@pytest.mark.parametrize("ratings", [{"overall": None}, {"overall": 0}, {"overall": 6}, {"speed": 9},
                                     {"courtesy": "5"}])
def test_sat1_ratings_are_1_to_5_and_overall_is_required(file, served, ratings):
    survey = send(file, file, served)
    with pytest.raises(ValidationError) as exc:
        services.answer_survey(token=survey.token, ratings={**RATINGS, **ratings}, now=NOW)
    assert Survey.objects.get().answered_at is None
    (question,) = ratings
    with translation.override("ar"):  # the message names the scale the policy sets
        assert exc.value.message_dict[question] == [
            f"اختر تقييمًا من {policy.RATING_MIN} إلى {policy.RATING_MAX}."]


@pytest.mark.rule("SAT-1")
def test_sat1_optional_questions_may_be_skipped(file, served):
    survey = send(file, file, served)
    services.answer_survey(token=survey.token, ratings={"overall": 5}, comment="  شكرا  ", now=NOW)
    row = Survey.objects.get()
    assert (row.overall, row.courtesy, row.comment) == (5, None, "شكرا")


@pytest.mark.rule("SAT-1")
def test_sat1_survey_after_a_complaint_ruling_is_sent_by_notify_result_once(profile, make_user, file):
    """complaints.services.notify_result sends the survey: event=complaint, service «complaint»,
    file=complaint.file, staff=complaint.ruled_by, to the complainant's phone; once."""
    director = make_user(Role.DIRECTOR)
    complaint = file_complaint(national_id=file.head_id_number)  # the head complains: the survey goes to her file
    complaint_services.rule(complaint=complaint, by=director, ruling=complaint_policy.Ruling.UPHELD, text="تصرف",
                            now=NOW, today=NOW.date())
    complaint.refresh_from_db()
    assert not Survey.objects.exists()  # the ruling alone sends nothing: the result is not told yet
    complaint_services.notify_result(complaint=complaint, by=director, now=NOW)
    survey = Survey.objects.get(service=Service.COMPLAINT)
    assert (survey.object_id, survey.file, survey.staff) == (str(complaint.pk), file, director)
    assert Notification.objects.get(purpose="satisfaction-survey").recipient == complaint.phone
    complaint_services.notify_result(complaint=complaint, by=director, now=NOW)  # told again: no second survey
    assert Survey.objects.count() == 1


def _answered_surveys(file, served, other_staff, make_user):
    """Five surveys: aid (served) 5 and 3 in November, one unanswered; programme (other) 2 in December."""
    events = [make_user(None) for _ in range(5)]
    plan = [(Service.AID, served, NOW, 5), (Service.AID, served, NOW + dt.timedelta(days=1), 3),
            (Service.AID, served, NOW + dt.timedelta(days=2), None),
            (Service.PROGRAMME, other_staff, NOW + dt.timedelta(days=10), 2),
            (Service.PROGRAMME, other_staff, NOW - dt.timedelta(days=400), 1)]
    for event, (service, who, when, overall) in zip(events, plan, strict=True):
        survey = send(event, file, who, now=when, service=service)
        if overall:
            services.answer_survey(token=survey.token, ratings={"overall": overall, "courtesy": overall},
                                   comment=f"تعليق {overall}", now=when + dt.timedelta(hours=1))


@pytest.mark.rule("SAT-2", "TK-7")
def test_sat2_results_by_service_staff_and_month_within_the_period(file, served, make_user):
    other = make_user(Role.INTAKE, username="other", first_name="خالد", last_name="")
    _answered_surveys(file, served, other, make_user)
    result = services.results(first=NOW.date() - dt.timedelta(days=30), last=NOW.date() + dt.timedelta(days=30))
    assert (result["totals"]["sent"], result["totals"]["answered"], result["totals"]["rate"]) == (4, 3, 75)
    assert result["totals"]["avg_overall"] == pytest.approx(10 / 3)
    by_service = {r["service"]: r for r in result["by_service"]}
    assert (by_service["aid"]["sent"], by_service["aid"]["answered"], by_service["aid"]["avg_overall"]) == (3, 2, 4)
    assert (by_service["programme"]["sent"], by_service["programme"]["avg_overall"]) == (1, 2)
    by_staff = {r["name"]: r for r in result["by_staff"]}
    assert by_staff["سارة العتيبي"]["avg_courtesy"] == 4 and by_staff["خالد"]["answered"] == 1
    assert [(r["month"].month, r["sent"], r["answered"]) for r in result["by_month"]] == [(11, 3, 2), (12, 1, 1)]
    assert {c["comment"] for c in result["comments"]} == {"تعليق 5", "تعليق 3", "تعليق 2"}
    assert all(set(c) == {"service", "month", "comment", "label"} for c in result["comments"])  # nobody's identity
    assert services.results()["totals"]["sent"] == 5


@pytest.mark.rule("SAT-2")
def test_sat2_results_take_the_same_number_of_queries_for_any_number_of_surveys(file, served, make_user,
                                                                               django_assert_num_queries):
    other = make_user(Role.INTAKE)
    with django_assert_num_queries(5):
        services.results(first=None, last=None)
    _answered_surveys(file, served, other, make_user)
    with django_assert_num_queries(5):
        services.results(first=None, last=None)


@pytest.mark.rule("SAT-1")
def test_sat1_state_is_open_answered_expired_or_unknown(file, served):
    survey = send(file, file, served, ttl_days=2)
    assert services.survey_state(services.find_survey(survey.token), NOW) == policy.State.OPEN
    assert services.survey_state(services.find_survey(survey.token), NOW + dt.timedelta(days=2)) == "expired"
    assert services.survey_state(services.find_survey("x" * 43), NOW) == "unknown"
    answered(survey)
    assert services.survey_state(services.find_survey(survey.token), NOW) == "answered"
    assert timezone.is_aware(survey.expires_at)
