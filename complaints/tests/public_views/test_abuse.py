"""The public link's abuse controls: rate limits (failing open, CP-4), honeypot, CSRF."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape

from charity.models import Notification
from complaints import errors
from complaints.models import Complaint
from complaints.views.public import rate_limit
from testdata import NOW, complaint_form_data, pdf_upload, unique_national_id

from .helpers import FORM_URL, files_on_disk, post_form

pytestmark = pytest.mark.django_db


def rate_limited_prefix() -> str:
    with translation.override("ar"):
        return escape(str(errors.RATE_LIMITED).split("%(when)s")[0])


def test_rate_limit_per_address_blocks_the_sixth_post_with_429(profile, client):
    """Every POST from one address counts (5 an hour); the sixth gets 429, the Arabic message
    with the Riyadh clock time and the minutes to wait, and saves nothing."""
    assert rate_limit("IP") == (5, 3600)
    for _ in range(4):
        post_form(client, complaint_form_data(complainant_name="x"))
    assert post_form(client, complaint_form_data()).status_code == 302
    response = post_form(client, complaint_form_data())
    assert response.status_code == 429
    html = response.content.decode()
    assert rate_limited_prefix() in html and 'data-testid="rate-limited"' in html
    retry = timezone.localtime(NOW + dt.timedelta(hours=1)).strftime("%H:%M")
    with translation.override("ar"):  # the whole sentence: the clock time and the minutes to wait
        when = translation.ngettext("%(time)s (in %(minutes)s minute)", "%(time)s (in %(minutes)s minutes)", 60) % {
            "time": "11:00", "minutes": 60}
        expected = escape(str(errors.RATE_LIMITED) % {"when": when})
    assert retry == "11:00" and expected in html and "60" in when
    assert Complaint.objects.count() == 1
    assert client.post(FORM_URL, {}, REMOTE_ADDR="10.0.0.9").status_code == 200  # another address


def test_rate_limit_per_national_id_counts_only_accepted_submissions(profile, client, settings):
    """Three accepted complaints a day per national ID; refused attempts do not count."""
    settings.COMPLAINT_RATE_LIMIT_PER_IP = 100
    national_id = unique_national_id()
    for _ in range(2):
        assert post_form(client, complaint_form_data(national_id=national_id, phone="", email="")).status_code == 200
    for _ in range(3):
        assert post_form(client, complaint_form_data(national_id=national_id)).status_code == 302
    response = post_form(client, complaint_form_data(national_id=national_id))
    assert response.status_code == 429 and rate_limited_prefix() in response.content.decode()
    assert Complaint.objects.count() == 3
    assert post_form(client, complaint_form_data()).status_code == 302  # another national ID


def test_rate_limits_are_overridable_by_settings(profile, client, settings):
    """settings.COMPLAINT_RATE_LIMIT_PER_IP (a count or a (count, seconds) pair) raises or lowers the limit."""
    settings.COMPLAINT_RATE_LIMIT_PER_IP = (1, 120)
    settings.COMPLAINT_RATE_LIMIT_PER_NATIONAL_ID = 500
    assert rate_limit("IP") == (1, 120) and rate_limit("NATIONAL_ID") == (500, 24 * 3600)
    assert post_form(client, complaint_form_data()).status_code == 302
    response = post_form(client, complaint_form_data())
    assert response.status_code == 429 and "10:02" in response.content.decode()


def test_the_rate_limit_window_ends(profile, client):
    for _ in range(5):
        post_form(client, complaint_form_data(complainant_name="x"))
    assert post_form(client, complaint_form_data()).status_code == 429
    with time_machine.travel(NOW + dt.timedelta(hours=1, seconds=1), tick=False):
        assert post_form(client, complaint_form_data()).status_code == 302


@pytest.mark.rule("CP-4")
def test_rate_limit_fails_open_when_the_cache_is_down(profile, client, monkeypatch):
    """With Redis down the link keeps working (CP-4): the limits are skipped, the complaint filed."""
    from charity import ratelimit

    class DownCache:
        def __getattr__(self, name):
            def down(*args, **kwargs):
                raise ConnectionError("the cache is down")

            return down

    monkeypatch.setattr(ratelimit, "cache", DownCache())
    for _ in range(7):
        assert post_form(client, complaint_form_data()).status_code == 302
    assert Complaint.objects.count() == 7


def test_honeypot_filled_saves_nothing(profile, client, settings):
    """A bot that fills the hidden field gets a plain receipt-like page; nothing is saved or sent."""
    response = post_form(client, complaint_form_data(homepage="http://spam.example"), files=[pdf_upload()])
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="receipt"' not in html and 'name="complainant_name"' not in html
    assert Complaint.objects.count() == 0 and Notification.objects.count() == 0 and files_on_disk(settings) == []


def test_post_without_csrf_token_is_refused(profile):
    """Django's CSRF protection guards the public form."""
    client = Client(enforce_csrf_checks=True)
    assert client.post(FORM_URL, complaint_form_data()).status_code == 403
    assert Complaint.objects.count() == 0


def test_an_overlong_text_is_refused_on_its_field_and_nothing_is_stored(profile, client):
    """An anonymous form stored and showed 8 MB of text: each free-text field holds
    MAX_TEXT_CHARS at most, said in the complainant's language on the field."""
    from complaints.forms import MAX_TEXT_CHARS

    response = post_form(client, complaint_form_data(facts="ح" * (MAX_TEXT_CHARS + 1)))
    assert response.status_code == 200 and not Complaint.objects.exists()
    with translation.override("ar"):
        expected = str(errors.TEXT_TOO_LONG) % {"limit_value": MAX_TEXT_CHARS, "show_value": MAX_TEXT_CHARS + 1}
    assert [str(e) for e in response.context["form"].errors["facts"]] == [expected]
    assert post_form(client, complaint_form_data(facts="ح" * MAX_TEXT_CHARS)).status_code == 302


def test_a_request_body_of_megabytes_is_refused_before_any_form(profile, client):
    client.raise_request_exception = False
    response = post_form(client, complaint_form_data(facts="x" * (8 * 1024 * 1024)))
    assert response.status_code == 400 and not Complaint.objects.exists()
