"""CP-7: where the ruling clock of a late complaint starts (a profile choice), the excuse
decision's own deadline and reminder; CP-8: a complaint against the executive director goes
to the role the profile names and never reaches him (lists, figures, reminders, digest)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from charity import calendar
from charity.models import Notification
from charity.roles import Role
from complaints import errors, services
from complaints.models import Complaint
from complaints.policy import Status
from dashboard.queries import complaint_figures
from testdata import complaint_form_data

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 21)
NOW = timezone.make_aware(dt.datetime(2026, 5, 21, 10, 0))


def file(profile, **overrides):
    data = complaint_form_data(**{"incident_on": TODAY - dt.timedelta(days=10), **overrides})
    return services.file_complaint(data=data, profile=profile, now=NOW, today=TODAY)[0]


def late(profile):
    return file(profile, incident_on=TODAY - dt.timedelta(days=45), excuse="كنت خارج المملكة.")


def accept(complaint, director, profile, on):
    services.decide_excuse(complaint=complaint, by=director, accept=True, reason="عذر مقبول", now=NOW, today=on,
                           profile=profile)
    complaint.refresh_from_db()
    return complaint


@pytest.mark.rule("CP-7")
def test_the_ruling_clock_counts_from_the_filing_date_by_default(profile, make_user):
    complaint = accept(late(profile), make_user(Role.DIRECTOR), profile, on=dt.date(2026, 6, 1))
    assert profile.ruling_clock_from == "filing"
    assert complaint.clock_started_on == TODAY
    assert complaint.due_on == calendar.add_working_days(TODAY, profile.ruling_working_days)


@pytest.mark.rule("CP-7")
def test_counting_from_the_excuse_acceptance_is_a_profile_choice(profile, make_user):
    profile.ruling_clock_from = "excuse_accepted"
    profile.save()
    accepted_on = dt.date(2026, 6, 1)
    complaint = accept(late(profile), make_user(Role.DIRECTOR), profile, on=accepted_on)
    assert complaint.clock_started_on == accepted_on
    assert complaint.due_on == calendar.add_working_days(accepted_on, profile.ruling_working_days)


@pytest.mark.rule("CP-7", "CP-2")
def test_the_excuse_decision_has_its_own_deadline_and_reminder(profile, make_user):
    director = make_user(Role.DIRECTOR, email="director@example.org")
    assert profile.excuse_decision_working_days == 5
    complaint = late(profile)
    assert complaint.status == Status.EXCUSE_REVIEW
    assert complaint.excuse_due_on == calendar.add_working_days(TODAY, 5)
    assert services.send_deadline_reminders(today=TODAY)["excuse_reminders"] == 0  # five working days left
    day_before = calendar.add_working_days(complaint.excuse_due_on, -1)
    counts = services.send_deadline_reminders(today=day_before)
    assert counts["excuse_reminders"] >= 1  # e-mail (and SMS when he has a mobile)
    assert Notification.objects.filter(recipient=director.email, body__contains=complaint.tracking_number).exists()
    assert services.send_deadline_reminders(today=day_before)["excuse_reminders"] == 0  # once only


@pytest.mark.rule("CP-8", "CP-6")
def test_a_complaint_against_the_director_goes_to_the_board_chairman(profile, make_user, monkeypatch):
    director, deputy = make_user(Role.DIRECTOR), make_user(Role.DIRECTOR, email="deputy@example.org")
    chair = make_user(Role.BOARD_CHAIR, email="chair@example.org")
    ordinary, against = file(profile), late(profile)
    services.name_staff(complaint=against, by=deputy, staff=[director])
    assert against.is_against_director() and not ordinary.is_against_director()
    for someone in (director, deputy):
        assert set(Complaint.objects.visible_to(someone)) == {ordinary}
        figures = complaint_figures(someone, TODAY)
        assert figures["open"] == 1 and figures["received"] == 1
    assert set(Complaint.objects.visible_to(chair)) == {against}
    assert complaint_figures(chair, TODAY)["open"] == 1
    with pytest.raises(ValidationError):  # never handed to an executive director to examine
        services.assign(complaint=against, by=chair, to=deputy)
    services.send_deadline_reminders(today=calendar.add_working_days(against.excuse_due_on, -1))
    assert Notification.objects.filter(recipient=chair.email, body__contains=against.tracking_number).exists()
    assert not Notification.objects.filter(recipient=deputy.email, body__contains=against.tracking_number).exists()
    monkeypatch.setattr(errors, "MSG_DIGEST", "open=%(open)s excuses=%(excuses)s %(due_week)s %(overdue)s %(date)s")
    services.send_daily_digest(today=TODAY)
    digest = Notification.objects.get(recipient=deputy.email, dedupe_key__startswith="complaints-digest")
    assert digest.body.startswith("open=1 excuses=0 ")  # the complaint against the director is not counted


@pytest.mark.rule("CP-8")
def test_the_profile_names_who_takes_complaints_against_the_director(profile, make_user):
    director, committee = make_user(Role.DIRECTOR), make_user(Role.INVESTIGATION)
    chair = make_user(Role.BOARD_CHAIR)
    complaint = file(profile)
    services.name_staff(complaint=complaint, by=make_user(Role.DIRECTOR), staff=[director])
    profile.director_complaints_role = Role.INVESTIGATION.value
    profile.save()
    assert set(Complaint.objects.visible_to(committee)) == {complaint}
    assert set(Complaint.objects.visible_to(chair)) == set()
