"""CP-2: the excuse of a late complaint, accepted (the ruling clock starts) or refused."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django.utils.html import escape

from charity import calendar
from charity.models import Notification
from complaints import errors
from complaints.policy import NoticeChannel, Status
from testdata import NOW

from .helpers import action, late_complaint, page_of

pytestmark = pytest.mark.django_db


@pytest.mark.rule("CP-2")
def test_accepting_the_excuse_starts_the_ruling_clock_cp2(profile, director, client):
    """CP-2: a late complaint has no due date until the excuse is accepted; where the profile
    chose so (CP-7), the clock then starts on the day of acceptance (15 working days, stored)."""
    profile.ruling_clock_from = "excuse_accepted"
    profile.save()
    complaint = late_complaint()
    assert complaint.status == Status.EXCUSE_REVIEW and complaint.due_on is None
    client.force_login(director)
    assert 'data-testid="form-decide_excuse"' in page_of(client, complaint)
    accepted_on = dt.date(2026, 12, 1)
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 12, 1, 9, 0)), tick=False):
        client.force_login(director)  # the session would have expired over a week
        response = action(client, complaint, "excuse", accept="yes", reason="العذر مقبول بالمستندات.")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.UNDER_REVIEW and complaint.excuse_accepted is True
    assert complaint.clock_started_on == accepted_on
    assert complaint.due_on == calendar.add_working_days(accepted_on, 15)
    assert complaint.excuse_decided_by == director


@pytest.mark.rule("CP-2")
def test_refusing_the_excuse_closes_and_tells_the_complainant_why_cp2(profile, director, client):
    """CP-2: a refusal closes the complaint and queues the reason to the complainant (SMS, email)."""
    complaint = late_complaint()
    client.force_login(director)
    with time_machine.travel(NOW, tick=False):
        action(client, complaint, "excuse", accept="no", reason="لم يقدم ما يثبت العذر.")
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.excuse_accepted is False
    sent = Notification.objects.filter(purpose="complaint-excuse-refused")
    assert {n.channel for n in sent} == {"sms", "email"}
    assert all("لم يقدم ما يثبت العذر." in n.body for n in sent)
    assert complaint.notices.filter(channel__in=[NoticeChannel.SMS, NoticeChannel.EMAIL]).count() == 2


@pytest.mark.rule("CP-2")
def test_excuse_decision_without_reason_changes_nothing_cp2(profile, director, client):
    complaint = late_complaint()
    client.force_login(director)
    response = action(client, complaint, "excuse", accept="yes", reason="  ")
    assert response.status_code == 200
    assert escape(str(errors.REASON_REQUIRED)) in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.EXCUSE_REVIEW and complaint.excuse_accepted is None
