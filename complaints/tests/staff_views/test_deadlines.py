"""CP-7: the ruling period (golden due dates, reminders, the daily digest) and the list's
deadline filters."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from charity import calendar
from charity.models import Notification
from charity.roles import Role
from complaints import services
from complaints.models import Complaint
from complaints.policy import Status
from testdata import NOW, TODAY, complaint_form_data

from .helpers import LIST_URL, file_one, late_complaint

pytestmark = pytest.mark.django_db


@pytest.mark.rule("CP-7")
@pytest.mark.parametrize(("filed", "due"), [
    (dt.date(2026, 5, 21), dt.date(2026, 6, 17)),  # across Eid al-Adha 1447
    (dt.date(2025, 9, 21), dt.date(2025, 10, 13)),  # across National Day (23 September)
])
def test_golden_due_dates_through_the_public_form_cp7(profile, client, filed, due):
    """CP-7: 15 Saudi working days (weekends, Eid al-Adha, National Day), stored on filing."""
    form = complaint_form_data(incident_on=filed - dt.timedelta(days=2))
    with time_machine.travel(timezone.make_aware(dt.datetime.combine(filed, dt.time(11, 0))), tick=False):
        assert client.post("/complaints/", form).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.received_on == filed and complaint.clock_started_on == filed and complaint.due_on == due


@pytest.mark.rule("CP-7")
def test_reminders_at_5_and_2_days_and_one_escalation_never_twice_cp7(profile, director, make_user):
    """CP-7: a reminder to the director at 5 and at 2 working days left, one escalation to the
    admins when overdue; running the job twice sends nothing more."""
    make_user(Role.ADMIN, username="admin", email="admin@charity.example")
    complaint = file_one()
    due = complaint.due_on
    assert (complaint.received_on, due) == (TODAY, dt.date(2026, 12, 15))  # 15 working days
    five_left = calendar.add_working_days(due, -5)
    two_left = calendar.add_working_days(due, -2)

    def run(today):
        services.send_deadline_reminders(today=today)
        services.send_deadline_reminders(today=today)
        return Notification.objects.filter(purpose="complaint-staff").count()

    assert run(calendar.add_working_days(due, -6)) == 0
    assert run(five_left) == 2  # SMS and email to the director
    assert run(calendar.add_working_days(five_left, 1)) == 2
    assert run(two_left) == 4
    assert run(due) == 4  # the last day: not overdue yet
    assert run(due + dt.timedelta(days=1)) == 5  # one escalation (the admin has email only)
    assert run(due + dt.timedelta(days=3)) == 5
    complaint.refresh_from_db()
    assert complaint.escalated_on == due + dt.timedelta(days=1)


def test_daily_digest_is_sent_once_a_day(profile, director):
    file_one()
    first = services.send_daily_digest(today=TODAY)
    assert first == 2 and services.send_daily_digest(today=TODAY) == 0
    assert services.send_daily_digest(today=TODAY + dt.timedelta(days=1)) == 2


# --- The list -------------------------------------------------------------------------------


@pytest.mark.rule("CP-7")
def test_list_filters_overdue_due_this_week_and_excuses_cp7(profile, director, client):
    """CP-7: filters for overdue complaints, those due within a week, and late excuses. Filed on
    3 November, a complaint is due today (15 working days) and not yet overdue; filed on the 2nd,
    it was due yesterday and is."""

    def filed_on(day):
        return file_one(today=day, now=NOW - (TODAY - day), incident_on=day - dt.timedelta(days=1))

    old, due_yesterday, due_today, soon = (filed_on(day) for day in (
        dt.date(2026, 10, 15), dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 11, 7)))
    fresh = file_one()
    late = late_complaint()
    assert [c.due_on for c in (old, due_yesterday, due_today, soon, fresh)] == [
        dt.date(2026, 11, 5), dt.date(2026, 11, 23), TODAY, dt.date(2026, 11, 26), dt.date(2026, 12, 15)]
    client.force_login(director)
    everyone = (old, due_yesterday, due_today, soon, fresh, late)

    def listed(**params):
        with time_machine.travel(NOW, tick=False):
            html = client.get(LIST_URL, params).content.decode()
        return {c.tracking_number for c in everyone if c.tracking_number in html}

    assert listed() == {c.tracking_number for c in everyone}
    assert listed(show="overdue") == {old.tracking_number, due_yesterday.tracking_number}
    assert listed(show="due_week") == {due_today.tracking_number, soon.tracking_number}
    assert listed(show="excuses") == {late.tracking_number}
    assert listed(status=Status.EXCUSE_REVIEW) == {late.tracking_number}


def test_list_shows_working_days_left(profile, director, client):
    complaint = file_one()
    client.force_login(director)
    with time_machine.travel(NOW, tick=False):
        response = client.get(LIST_URL)
    row = next(c for c in response.context["page"] if c.pk == complaint.pk)
    assert row.days_left == 15
    assert 'data-testid="days-left"' in response.content.decode()


@pytest.mark.rule("CP-7")
def test_a_long_ruling_period_and_one_broken_complaint_never_stop_the_reminders(profile, director, monkeypatch):
    """CP-7: with a ruling period of 45 working days the job once raised (a date outside its
    calendar) and no complaint got its reminder; and one complaint that fails is logged and
    skipped, the others are reminded."""
    from complaints.services import reminders

    profile.ruling_working_days = 45
    profile.save()
    far, near = file_one(), file_one()
    assert calendar.working_days_between(TODAY, far.due_on) == 45
    Complaint.objects.filter(pk=near.pk).update(due_on=calendar.add_working_days(TODAY, 3))
    assert services.send_deadline_reminders(today=TODAY)["reminders"] == 2  # SMS and e-mail for «near»
    Notification.objects.all().delete()

    original = reminders._remind

    def broken_for_far(complaint, *args):
        if complaint.pk == far.pk:
            raise RuntimeError("boom")
        return original(complaint, *args)

    monkeypatch.setattr(reminders, "_remind", broken_for_far)
    Complaint.objects.filter(pk=far.pk).update(due_on=calendar.add_working_days(TODAY, 1))
    counts = services.send_deadline_reminders(today=calendar.add_days(TODAY, 1))
    assert counts["failed"] == 1 and counts["reminders"] == 2
