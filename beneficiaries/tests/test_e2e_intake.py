"""Issue «The beneficiary file and intake», in Debian's Chromium: intake staff register a family
with two dependants, upload the documents, record the declaration and submit; once the decision
target has passed the manager sees the file in the overdue list; a researcher who is not
assigned gets 404 on its page."""

import datetime as dt
import tempfile
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from beneficiaries import services
from beneficiaries.models import BeneficiaryFile
from charity.models import PolicyProfile
from charity.roles import Role
from conftest import browser_login
from testdata import head_data, member_data, pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
START = timezone.make_aware(dt.datetime(2026, 11, 24, 9, 0))


def _submit(page, next_step: str):
    """Submit the step's form and wait for the next step's page (a glob of its URL)."""
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_url(next_step)


def _add_dependant(page, **overrides):
    member = member_data(**overrides)
    for field in ("first_name", "father_name", "grandfather_name", "family_name", "id_number"):
        page.fill(f"#id_member-{field}", member[field])
    page.select_option("#id_member-relationship", str(member["relationship"]))
    page.fill("#id_member-birth_date", member["birth_date"].isoformat())
    page.select_option("#id_member-gender", str(member["gender"]))
    page.locator("form:has(#id_member-first_name) button[type=submit]").click()
    expect(page.get_by_test_id("members")).to_contain_text(member["first_name"])  # the same page, once saved


def test_intake_overdue_and_confidentiality_in_the_browser(live_server, page, profile, make_user):
    intake = make_user(Role.INTAKE, username="desk")
    make_user(Role.MANAGER, username="boss")
    make_user(Role.RESEARCHER, username="other_researcher")
    with time_machine.travel(START, tick=True):
        browser_login(page, live_server, "desk")
        page.goto(f"{live_server.url}/files/intake/new/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        head = head_data()
        for field in ("first_name", "father_name", "grandfather_name", "family_name", "id_number"):
            page.fill(f"#id_{field}", head[field])
        page.fill("#id_birth_date", head["birth_date"].isoformat())
        page.select_option("#id_gender", str(head["gender"]))
        page.select_option("#id_marital_status", str(head["marital_status"]))
        page.select_option("#id_channel", "office")
        page.locator("input[name=categories]").first.check()  # the first category of the profile
        _submit(page, "**/files/intake/*/contact/")
        file = BeneficiaryFile.objects.get()
        assert page.url.endswith(f"/files/intake/{file.pk}/contact/")

        page.fill("#id_mobile", "0501234567")
        page.fill("#id_city", "الرياض")
        page.fill("#id_district", "النسيم")
        page.fill("#id_street", "شارع الأمير")
        page.fill("#id_building_number", "1234")
        page.fill("#id_postal_code", "12345")
        _submit(page, f"**/files/intake/{file.pk}/household/")
        _add_dependant(page)  # a son
        _add_dependant(page, first_name="نورة", relationship="daughter", gender="female")
        assert file.members.current().count() == 3

        page.goto(f"{live_server.url}/files/intake/{file.pk}/documents/")
        needed = [i["doc_type"] for i in services.document_checklist(
            file, today=START.date(), profile=PolicyProfile.objects.active()) if i["document"] is None]
        assert needed, "the checklist asks for documents"
        scan = Path(tempfile.mkdtemp()) / "scan.pdf"
        scan.write_bytes(pdf_bytes("scan"))
        uploaded = page.locator('[data-testid="documents"] tbody tr:has(a)')
        for count, doc_type in enumerate(needed, start=1):
            page.select_option("#id_doc-doc_type", doc_type)
            page.fill("#id_doc-issued_on", "2026-01-01")
            page.fill("#id_doc-expires_on", "2027-12-31")
            page.set_input_files("#id_doc-uploaded", str(scan))
            page.locator("#upload button[type=submit]").click()
            expect(uploaded).to_have_count(count)  # the same page, once stored
        assert file.documents.count() == len(needed)

        page.goto(f"{live_server.url}/files/intake/{file.pk}/declaration/")
        page.locator("input[name=decl-method][value=in_person]").check()
        _submit(page, f"**/files/intake/{file.pk}/review/")
        page.locator("main form[method=post] button[type=submit].btn-success").click()
        page.wait_for_url(f"{live_server.url}/files/{file.pk}/receipt/")
        file.refresh_from_db()
        assert file.status == "under_study" and file.registered_by == intake
        assert file.number in page.content()

    due = file.decision_due_on
    with time_machine.travel(timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time(9))),
                             tick=True):
        browser_login(page, live_server, "boss")
        page.goto(f"{live_server.url}/files/overdue/")
        expect(page.locator(f"text={file.number}").first).to_be_visible()

        browser_login(page, live_server, "other_researcher")
        response = page.goto(f"{live_server.url}/files/{file.pk}/")
        assert response.status == 404
