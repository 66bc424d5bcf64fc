"""Every page of the beneficiary's door on a phone (360x740), in Arabic, in Debian's Chromium:
each one declares its language and direction, fits the screen without sideways scrolling, and
names every form field (WCAG 2.1 AA 1.3.1, 1.4.10, 3.1.1, 4.1.2). The screenshots go to a
temporary folder, or to SCREENS_DIR when set (`docs/screens/` is made that way)."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beneficiaries import services as file_services
from charity import calendar
from eligibility.models import Decision

from . import capture
from .helpers import make_family

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "ar-SA"}

# Every control a person fills in must have a name a screen reader reads out (a button's is its text).
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => !['hidden', 'submit', 'button', 'reset'].includes(el.type) && el.offsetParent !== null)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id)"""


def check_and_shoot(page, name: str, folder: Path) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{name} scrolls sideways"
    assert page.evaluate(UNLABELLED) == [], f"{name} has form fields without a label"
    page.screenshot(path=str(folder / f"portal-{name}.png"), full_page=True)


@pytest.mark.rule("RT-4", "RT-8", "RT-2")
def test_every_portal_page_is_arabic_fits_a_phone_and_labels_its_fields(live_server, browser, staff, settings,
                                                                        tmp_path):
    folder = Path(os.environ.get("SCREENS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS,
                                      "sms": "portal.tests.capture.CapturingSmsBackend"}
    capture.SENT.clear()
    today = calendar.today()
    opened = timezone.now() - dt.timedelta(days=40)
    family = make_family(staff["intake"], today=today, now=timezone.now())
    file_services.assign_researcher(file=family.file, researcher=staff["researcher"], by=staff["manager"],
                                    now=timezone.now())
    Decision.objects.create(file=family.file, body="manager", outcome="accept", decided_by=staff["manager"],
                            reasons="الأسرة بلا دخل ثابت، وعائلها أرملة تعول ثلاثة أيتام.", decided_at=opened)
    file_services.announce_annual_update(by=staff["manager"], title="تحديث بيانات 1448",
                                         deadline=calendar.add_days(today, 30), today=today)
    from satisfaction.services import send_survey

    survey = send_survey(event=family.file, service="aid", file=family.file, staff=None, now=timezone.now())
    phone = browser.new_context(**PHONE).new_page()

    phone.goto(f"{live_server.url}/")
    check_and_shoot(phone, "home", folder)
    phone.get_by_test_id("link-my-file").click()
    phone.wait_for_url(f"{live_server.url}/my-file/")
    check_and_shoot(phone, "sign-in", folder)
    phone.fill("#id_identity", family.identity)
    phone.locator('[data-testid="identity-form"] [type=submit]').click()
    phone.wait_for_url(f"{live_server.url}/my-file/code/")
    check_and_shoot(phone, "code", folder)
    code = re.search(r"\b\d{6}\b", [b for r, b in capture.SENT if r == family.file.mobile][-1]).group(0)
    phone.fill("#id_code", code)
    phone.locator('[data-testid="code-form"] [type=submit]').click()
    base = f"{live_server.url}/my-file/{family.file.pk}/"
    phone.wait_for_url(base)
    check_and_shoot(phone, "my-file", folder)
    for page_name in ("needed", "researcher", "complaints", "surveys"):
        phone.goto(f"{base}{page_name}/")
        check_and_shoot(phone, page_name, folder)
    phone.goto(f"{base}surveys/{survey.pk}/")
    check_and_shoot(phone, "survey", folder)
    request = family.file.update_requests.get()
    phone.goto(f"{base}update/{request.pk}/")
    check_and_shoot(phone, "annual-update", folder)
