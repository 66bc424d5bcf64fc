"""From a phone (360x740) in Debian's Chromium: the public home reaches the complaint form in one
click; a family signs in to «my file» with the code of the text message and reads a decision and
its reasons. Bad input (an unknown number, a wrong code) gets a clear Arabic message."""

import re

import pytest
from playwright.sync_api import expect

from eligibility.models import Decision
from testdata import NOW

from . import capture
from .helpers import make_family

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "ar-SA"}
REASONS = "الأسرة بلا دخل ثابت، وعائلها أرملة تعول ثلاثة أيتام."


def code_sent_to(mobile: str) -> str:
    bodies = [body for recipient, body in capture.SENT if recipient == mobile]
    return re.search(r"\d{6}", bodies[-1]).group(0)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.rule("RT-4", "RT-9")
def test_from_the_home_page_to_a_decision_and_its_reasons_on_a_phone(live_server, browser, staff, settings):
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS,
                                      "sms": "portal.tests.capture.CapturingSmsBackend"}
    family = make_family(staff["intake"])
    capture.SENT.clear()  # the application-received message (IN-5) went to the family's mobile
    Decision.objects.create(file=family.file, body="manager", outcome="accept", reasons=REASONS,
                            decided_by=staff["manager"], decided_at=NOW)
    phone = browser.new_context(**PHONE).new_page()

    # The public home: the complaint form is one click away.
    phone.goto(f"{live_server.url}/")
    assert phone.locator("html").get_attribute("dir") == "rtl" and fits_the_screen(phone)
    expect(phone.get_by_test_id("link-staff-login")).to_be_visible()
    phone.get_by_test_id("link-complaint").click()
    phone.wait_for_url(f"{live_server.url}/complaints/")
    expect(phone.locator('[data-testid="complaint-form"]')).to_be_visible()

    # An unknown number: the same page as a real one; any code is refused, in Arabic.
    phone.goto(f"{live_server.url}/")
    phone.get_by_test_id("link-my-file").click()
    phone.wait_for_url(f"{live_server.url}/my-file/")
    expect(phone.locator("label[for=id_identity]")).to_be_visible()
    phone.fill("#id_identity", "1000000008")
    phone.locator('[data-testid="identity-form"] [type=submit]').click()
    phone.wait_for_url(f"{live_server.url}/my-file/code/")
    expect(phone.get_by_test_id("code-sent")).to_contain_text("إذا كان هذا الرقم لملف لدى الجمعية")
    assert capture.SENT == []
    phone.fill("#id_code", "123456")
    phone.locator('[data-testid="code-form"] [type=submit]').click()
    expect(phone.get_by_test_id("portal-refused")).to_contain_text("الرمز غير صحيح")

    # The head of household, typing the number in Arabic-Indic digits, then the code of the SMS.
    phone.get_by_role("link", name="ابدأ من جديد برقم آخر").click()
    phone.wait_for_url(f"{live_server.url}/my-file/")
    phone.fill("#id_identity", family.identity.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")))
    phone.locator("#id_identity").press("Enter")  # the keyboard alone submits
    phone.wait_for_url(f"{live_server.url}/my-file/code/")
    code = code_sent_to(family.file.mobile)
    wrong = "000000" if code != "000000" else "111111"
    phone.fill("#id_code", wrong)
    phone.locator('[data-testid="code-form"] [type=submit]').click()
    expect(phone.get_by_test_id("portal-refused")).to_contain_text("بقي لك 4")
    phone.fill("#id_code", code)
    phone.locator('[data-testid="code-form"] [type=submit]').click()
    phone.wait_for_url(f"{live_server.url}/my-file/{family.file.pk}/")
    expect(phone.get_by_test_id("file-number")).to_have_text(family.file.number)
    expect(phone.get_by_test_id("decision-reasons")).to_contain_text(REASONS)
    assert fits_the_screen(phone)

    phone.get_by_test_id("portal-sign-out").click()
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto(f"{live_server.url}/my-file/{family.file.pk}/")
    phone.wait_for_url(f"{live_server.url}/my-file/")
