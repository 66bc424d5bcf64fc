"""The complainant's status page: no lookup on GET, one answer for every miss, the ruling (CP-9)."""

import datetime as dt
import re

import pytest
from django.utils import translation
from django.utils.html import escape

from charity import calendar
from complaints import errors, services
from complaints.models import Notice
from complaints.policy import NoticeChannel, Ruling, Status
from testdata import NOW, TODAY

from .helpers import STATUS_URL, file_directly

pytestmark = pytest.mark.django_db


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_status_page_get_never_looks_anything_up(profile, client, monkeypatch):
    """No national ID or code in any URL: a GET with query parameters shows only the empty form."""
    complaint, code = file_directly()
    monkeypatch.setattr(services, "find_for_complainant", lambda *a: pytest.fail("looked up on GET"))
    response = client.get(STATUS_URL, {"tracking_number": complaint.tracking_number, "code": code})
    assert response.status_code == 200
    html = response.content.decode()
    assert complaint.subject not in html and 'data-testid="complaint-status"' not in html
    assert 'method="post"' in html


def test_status_wrong_code_and_unknown_number_get_identical_answers(profile, client):
    """A wrong code and an unknown number: same template, same message, same status code."""
    complaint, _code = file_directly()
    wrong_code = client.post(STATUS_URL, {"tracking_number": complaint.tracking_number, "code": "AAAAA-BBBBB"})
    unknown = client.post(STATUS_URL, {"tracking_number": "1400-999999", "code": "AAAAA-BBBBB"})
    empty = client.post(STATUS_URL, {})
    assert wrong_code.status_code == unknown.status_code == empty.status_code == 200
    assert [t.name for t in wrong_code.templates] == [t.name for t in unknown.templates]
    assert escape(str(errors.NOT_FOUND)) in wrong_code.content.decode()
    assert without_csrf(wrong_code.content.decode()) == without_csrf(unknown.content.decode())
    assert without_csrf(empty.content.decode()) == without_csrf(unknown.content.decode())
    assert complaint.tracking_number not in wrong_code.content.decode()


def test_status_page_shows_status_and_due_date(profile, client):
    """The complainant sees the status, the received date and the due date (both calendars)."""
    complaint, code = file_directly()
    response = client.post(STATUS_URL, {"tracking_number": complaint.tracking_number,
                                        "code": services.format_code(code).lower()})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="complaint-status"' in html
    with translation.override("ar"):
        assert str(Status.UNDER_REVIEW.label) in html
        assert calendar.format_dual(complaint.due_on) in html and calendar.format_dual(TODAY) in html
    assert 'data-testid="status-ruling"' not in html
    assert not Notice.objects.filter(channel=NoticeChannel.WEBSITE).exists()


def test_status_page_accepts_arabic_indic_digits(profile, client):
    """A phone with an Arabic keyboard types ١٤٤٨-٠٠٠٠٠١: the same complaint is found."""
    complaint, code = file_directly()
    arabic = complaint.tracking_number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    html = client.post(STATUS_URL, {"tracking_number": arabic, "code": code}).content.decode()
    assert 'data-testid="complaint-status"' in html


@pytest.mark.rule("CP-9")
def test_status_page_after_ruling_shows_it_and_records_a_website_notice_cp9(profile, client, make_user):
    """CP-9: after the ruling the status page shows it and its text, and the view is recorded
    once as a website notice (the complaint becomes «notified»)."""
    from charity.roles import Role

    director = make_user(Role.DIRECTOR)
    complaint, code = file_directly()
    services.rule(complaint=complaint, by=director, ruling=Ruling.UPHELD, text="تصرف المساعدة خلال أسبوع.",
                  now=NOW, today=TODAY)
    for _ in range(2):
        html = client.post(STATUS_URL, {"tracking_number": complaint.tracking_number, "code": code}).content.decode()
        assert "تصرف المساعدة خلال أسبوع." in html and 'data-testid="status-ruling"' in html
    notice = Notice.objects.get(complaint=complaint, channel=NoticeChannel.WEBSITE)
    assert notice.success and notice.at == NOW
    complaint.refresh_from_db()
    assert complaint.status == Status.NOTIFIED


@pytest.mark.rule("CP-2")
def test_status_page_shows_a_refused_excuse_cp2(profile, client, make_user):
    from charity.roles import Role

    director = make_user(Role.DIRECTOR)
    complaint, code = file_directly(incident_on=TODAY - dt.timedelta(days=60), excuse="سفر")
    services.decide_excuse(complaint=complaint, by=director, accept=False, reason="لا يوجد ما يثبت السفر.",
                           now=NOW, today=TODAY, profile=profile)
    html = client.post(STATUS_URL, {"tracking_number": complaint.tracking_number, "code": code}).content.decode()
    assert "لا يوجد ما يثبت السفر." in html
