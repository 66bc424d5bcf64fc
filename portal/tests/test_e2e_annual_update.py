"""The whole path on a phone (360x740) in Debian's Chromium (issue 12, "Done when"): a visitor
reaches the complaint form from / in one click; the head of household, told of the annual update
by SMS, signs in with the code of the text message, reads the decision and its reasons, uploads
the update's documents in «my file»; the next sweep, after the deadline, leaves the file active."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from beneficiaries import services as file_services
from beneficiaries.models import UpdateRequest
from beneficiaries.policy import ANNUAL_UPDATE_DOCUMENTS, FileStatus
from charity import calendar
from eligibility.models import Decision, Freeze
from eligibility.sweep import enforce_deadlines
from testdata import pdf_bytes

from . import capture
from .helpers import make_family

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "ar-SA"}
REASONS = "الأسرة بلا دخل ثابت، وعائلها أرملة تعول ثلاثة أيتام."


def sent_to(mobile: str) -> list[str]:
    return [body for recipient, body in capture.SENT if recipient == mobile]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.rule("DU-5", "SC-6", "SC-1", "RT-4", "RT-9")
def test_from_the_home_page_to_the_annual_update_and_a_sweep_that_leaves_the_file_active(
        live_server, browser, staff, settings, tmp_path):
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS,
                                      "sms": "portal.tests.capture.CapturingSmsBackend"}
    capture.SENT.clear()
    today = calendar.today()
    opened = timezone.now() - dt.timedelta(days=90)
    with time_machine.travel(opened, tick=False):  # the intake documents predate the announcement
        family = make_family(staff["intake"], today=opened.date(), now=opened)
    Decision.objects.create(file=family.file, body="manager", outcome="accept", reasons=REASONS,
                            decided_by=staff["manager"], decided_at=opened)
    deadline = calendar.add_days(today, 30)
    file_services.announce_annual_update(by=staff["manager"], title="تحديث بيانات 1448", deadline=deadline,
                                         today=today)
    # Delivered by the outbox after commit (after the intake's own messages).
    [announcement] = [body for body in sent_to(family.file.mobile) if "التحديث السنوي" in body]
    assert f"/my-file/{family.file.pk}/update/" in announcement
    phone = browser.new_context(**PHONE).new_page()

    # A visitor: the complaint form is one click from the home page.
    phone.goto(f"{live_server.url}/")
    phone.get_by_test_id("link-complaint").click()
    phone.wait_for_url(f"{live_server.url}/complaints/")
    expect(phone.get_by_test_id("complaint-form")).to_be_visible()

    # The head of household signs in with the code of the text message.
    phone.goto(f"{live_server.url}/")
    phone.get_by_test_id("link-my-file").click()
    phone.wait_for_url(f"{live_server.url}/my-file/")
    phone.fill("#id_identity", family.identity)
    phone.locator('[data-testid="identity-form"] [type=submit]').click()
    phone.wait_for_url(f"{live_server.url}/my-file/code/")
    code = re.search(r"\b\d{6}\b", sent_to(family.file.mobile)[-1]).group(0)
    phone.fill("#id_code", code)
    phone.locator('[data-testid="code-form"] [type=submit]').click()
    phone.wait_for_url(f"{live_server.url}/my-file/{family.file.pk}/")

    # The decision and its reasons; the annual update with its deadline.
    expect(phone.get_by_test_id("decision-reasons")).to_contain_text(REASONS)
    expect(phone.get_by_test_id("annual-update-item")).to_contain_text("تحديث بيانات 1448")
    assert fits_the_screen(phone)
    phone.get_by_test_id("annual-update-link").click()
    request = UpdateRequest.objects.get(file=family.file)
    phone.wait_for_url(f"{live_server.url}/my-file/{family.file.pk}/update/{request.pk}/")
    expect(phone.get_by_test_id("update-deadline")).to_contain_text(str(deadline.year))
    expect(phone.get_by_test_id("update-document")).to_have_count(len(ANNUAL_UPDATE_DOCUMENTS))

    # The documents, uploaded from the phone one by one.
    received = phone.locator('[data-testid="update-document"] .text-bg-success')
    for count, doc_type in enumerate(ANNUAL_UPDATE_DOCUMENTS, start=1):
        scan = tmp_path / f"{doc_type}.pdf"
        scan.write_bytes(pdf_bytes(str(doc_type)))
        phone.select_option("#id_doc_type", str(doc_type))
        phone.set_input_files("#id_uploaded", str(scan))
        phone.locator('[data-testid="update-document-form"] [type=submit]').click()
        expect(received).to_have_count(count)
    expect(phone.get_by_test_id("update-all-received")).to_be_visible()
    assert fits_the_screen(phone)

    # The next sweep, the day after the deadline: the file stays active, its update complete.
    result = enforce_deadlines(today=calendar.add_days(deadline, 1), now=timezone.now())
    assert (result.frozen, result.excluded, result.failed) == (0, 0, 0)
    family.file.refresh_from_db()
    assert family.file.status == FileStatus.ACTIVE and not Freeze.objects.filter(file=family.file).exists()
    assert UpdateRequest.objects.get(file=family.file).status == UpdateRequest.Status.COMPLETED
    phone.reload()
    expect(phone.get_by_test_id("update-complete")).to_be_visible()
