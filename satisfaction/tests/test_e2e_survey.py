"""A satisfaction survey answered from a phone, in Debian's Chromium (SAT-1, GO-6).

The survey is sent through the service; the beneficiary opens the link without logging in,
reads that the survey improves the service and punishes nobody, answers, and sees the thanks.
Opening the link again says it was already answered, and a second POST is refused."""

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from charity.roles import Role
from satisfaction import policy, services
from satisfaction.models import Service, Survey
from testdata import load_set_up, make_active

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


@pytest.mark.rule("SAT-1")
def test_sat1_survey_from_a_phone_answered_once(live_server, page, make_user, settings):
    load_set_up("general")  # its service area set, as an admin would: the file is submitted
    settings.SITE_URL = live_server.url
    staff = make_user(Role.MANAGER, username="served", first_name="سارة", last_name="العتيبي")
    file = make_active(staff)
    survey = services.send_survey(event=file, service=Service.PROGRAMME, file=file, staff=staff, now=timezone.now())
    assert survey.url.startswith(live_server.url)

    phone = page
    phone.set_viewport_size(PHONE)
    phone.goto(survey.url)
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert ar(policy.PURPOSE_NOTE) in phone.locator('[data-testid="survey-purpose"]').inner_text()
    body = phone.locator("body").inner_text()
    assert file.number not in body and file.head_name not in body and "العتيبي" not in body
    phone.check('input[name="overall"][value="4"]')
    phone.check('input[name="courtesy"][value="5"]')
    phone.check('input[name="speed"][value="3"]')
    phone.fill("#id_comment", "شكرا على حسن التعامل")
    phone.locator('[data-testid="survey-form"] [type=submit]').click()
    phone.wait_for_url(f"{live_server.url}/survey/thanks/")
    expect(phone.locator('[data-testid="survey-thanks"]')).to_be_visible()
    row = Survey.objects.get()
    assert (row.overall, row.courtesy, row.speed, row.clarity, row.comment) == (4, 5, 3, None, "شكرا على حسن التعامل")

    phone.goto(survey.url)
    closed = phone.locator('[data-testid="survey-closed"]')
    assert closed.get_attribute("data-state") == "answered"
    assert ar(services.ALREADY_ANSWERED) in closed.inner_text()
    assert phone.locator('[data-testid="survey-form"]').count() == 0

    # A second POST (e.g. a form kept open in another tab) is refused and changes nothing.
    csrf = next(c["value"] for c in phone.context.cookies() if c["name"] == "csrftoken")
    response = phone.request.post(survey.url, form={"overall": "1", "comment": "again", "csrfmiddlewaretoken": csrf},
                                  headers={"Referer": survey.url, "X-CSRFToken": csrf})
    assert response.status == 409
    row.refresh_from_db()
    assert (row.overall, row.comment) == (4, "شكرا على حسن التعامل")
