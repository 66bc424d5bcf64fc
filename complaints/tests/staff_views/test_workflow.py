"""CP-6, CP-7, CP-9: who examines and rules, then the result's notices and the closing."""


import datetime as dt

import pytest
import time_machine
from django.utils.html import escape

from charity.models import DeliveryAttempt
from charity.roles import Role
from complaints import errors, services
from complaints.models import Notice
from complaints.policy import NoticeChannel, Ruling, Status
from testdata import NOW, TODAY

from .helpers import action, file_one, late_complaint, page_of, ruled

pytestmark = pytest.mark.django_db


@pytest.mark.rule("CP-6")
def test_actions_need_the_manage_permission_cp6(profile, director, researcher, client):
    """Only the executive director rules; the assigned staff member may view and log notices."""
    complaint = file_one()
    services.assign(complaint=complaint, by=director, to=researcher)
    client.force_login(researcher)
    html = page_of(client, complaint)
    assert 'data-testid="form-rule"' not in html
    assert action(client, complaint, "rule", ruling="upheld", text="x").status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == Status.UNDER_REVIEW


# --- The workflow and CP-9 notices ----------------------------------------------------------


@pytest.mark.rule("CP-7", "CP-9")
def test_rule_notify_log_a_call_and_close_cp7_cp9(profile, director, researcher, client,
                                                    django_capture_on_commit_callbacks):
    """CP-7, CP-9: rule, send the result by SMS and email (delivery attempts shown), the assigned
    staff member logs a phone call, the director closes."""
    complaint = file_one()
    client.force_login(director)
    action(client, complaint, "assign", to=researcher.pk)
    with time_machine.travel(NOW, tick=False):
        assert action(client, complaint, "rule", ruling=Ruling.PARTLY_UPHELD, text="تقبل جزئياً.").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.RULED and complaint.ruled_by == director
    assert (complaint.ruled_on, complaint.due_on) == (TODAY, dt.date(2026, 12, 15))  # within its 15 working days
    with django_capture_on_commit_callbacks(execute=True):
        assert action(client, complaint, "notify").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.NOTIFIED
    sent = Notice.objects.filter(complaint=complaint, channel__in=[NoticeChannel.SMS, NoticeChannel.EMAIL])
    assert sent.count() == 2 and all(n.notification.purpose == "complaint-result" for n in sent)
    assert DeliveryAttempt.objects.filter(notification__in=[n.notification for n in sent], success=True).count() == 2
    html = page_of(client, complaint)
    assert html.count('data-testid="delivery-attempts"') == 2 and "تقبل جزئياً." in html
    client.force_login(researcher)
    assert action(client, complaint, "notices", channel=NoticeChannel.PHONE_CALL, success="yes",
                  note="أبلغته هاتفياً.").status_code == 302
    call = Notice.objects.get(complaint=complaint, channel=NoticeChannel.PHONE_CALL)
    assert call.by == researcher and call.success and call.note == "أبلغته هاتفياً."
    assert action(client, complaint, "close").status_code == 403
    client.force_login(director)
    assert action(client, complaint, "close", reason="").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED


@pytest.mark.rule("CP-9")
def test_a_notice_cannot_be_logged_before_the_ruling_cp9(profile, director, client):
    complaint = file_one()
    client.force_login(director)
    response = action(client, complaint, "notices", channel=NoticeChannel.IN_PERSON, success="yes", note="")
    assert response.status_code == 200 and escape(str(errors.NOT_RULED)) in response.content.decode()
    assert not Notice.objects.exists()


@pytest.mark.rule("CP-9")
def test_other_staff_cannot_log_notices_cp9(profile, director, researcher, make_user, client):
    complaint = file_one()
    ruled(complaint, director)
    client.force_login(make_user(Role.MANAGER))
    assert action(client, complaint, "notices", channel=NoticeChannel.PHONE_CALL, success="yes").status_code == 404


@pytest.mark.rule("CP-2")
def test_ruling_a_late_complaint_awaiting_its_excuse_is_refused_cp2(profile, director, client):
    complaint = late_complaint()
    client.force_login(director)
    response = action(client, complaint, "rule", ruling=Ruling.UPHELD, text="x")
    assert response.status_code == 200 and escape(str(errors.NOT_UNDER_REVIEW)) in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.EXCUSE_REVIEW and not complaint.ruling


@pytest.mark.rule("CP-6")
def test_cp6_the_executive_director_sets_the_examination_and_the_examiner_records_notices(
        profile, director, manager, researcher, client):
    """CP-6: the executive director takes the measures for the complaint to be examined: only the
    director assigns the examiner (others get 403 and nothing changes); the examiner may then log
    the notices of the result but not rule."""
    complaint = file_one()
    client.force_login(manager)
    assert action(client, complaint, "assign", to=manager.pk).status_code in (403, 404)
    complaint.refresh_from_db()
    assert complaint.assigned_to is None
    client.force_login(director)
    assert action(client, complaint, "assign", to=researcher.pk).status_code == 302
    complaint.refresh_from_db()
    assert complaint.assigned_to == researcher
    client.force_login(researcher)
    assert action(client, complaint, "rule", ruling="upheld", ruling_text="x").status_code == 403
    complaint.refresh_from_db()
    assert complaint.ruling == ""
