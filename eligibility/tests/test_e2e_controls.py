"""In Debian's Chromium: the researcher reports a field visit (EL-2) that finds a widow remarried;
the manager excludes her file under SC-8, downloads the decision, and anyone can verify its code
on the public page (SC-8, RT-4)."""

import io

import pypdf
import pytest
from playwright.sync_api import expect

from beneficiaries import services as file_services
from beneficiaries.policy import FileStatus
from charity import calendar
from charity.roles import Role
from conftest import browser_login
from eligibility import services
from eligibility.certificates import format_code
from eligibility.models import Exclusion, FieldVisit
from testdata import make_active

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _report_visit(page, live_server, visit):
    """EL-2: the researcher writes the visit's report through the study pages (helper D's)."""
    browser_login(page, live_server, "researcher1")
    page.goto(f"{live_server.url}/eligibility/visits/{visit.pk}/report/")
    page.select_option("#id_housing_state", "fair")
    page.fill("#id_observations", "أفادت المستفيدة بأنها تزوجت قبل شهرين واطلعت الباحثة على عقد الزواج")
    page.fill("#id_present", "المستفيدة وابنها")
    page.select_option("#id_recommendation", "not_eligible")
    page.locator("form input[type=submit][name=submit]").click()
    page.wait_for_url(f"{live_server.url}/eligibility/files/{visit.file_id}/**")
    visit.refresh_from_db()
    assert visit.status == FieldVisit.Status.COMPLETED
    page.context.clear_cookies()


@pytest.mark.rule("SC-8")
def test_visit_then_sc8_exclusion_then_the_decision_is_downloaded_and_verified(
        live_server, page, profile, make_user):
    intake = make_user(Role.INTAKE, username="intake1")
    manager = make_user(Role.MANAGER, username="manager1")
    researcher = make_user(Role.RESEARCHER, username="researcher1")
    file = make_active(intake, categories=("widow",))
    file_services.assign_researcher(file=file, researcher=researcher, by=manager, now=file.status_changed_at)
    visit = services.schedule_visit(file=file, by=manager, researcher=researcher, on=calendar.today(),
                                    today=calendar.today())
    _report_visit(page, live_server, visit)

    browser_login(page, live_server, "manager1")
    page.goto(f"{live_server.url}/eligibility/files/{file.pk}/controls/")
    expect(page.get_by_test_id("file-status")).to_be_visible()
    page.get_by_test_id("action-exclude").click()
    page.wait_for_url(f"{live_server.url}/eligibility/files/{file.pk}/exclude/")
    expect(page.get_by_test_id("cannot-be-undone")).to_be_visible()
    page.locator('input[name="rule"][value="SC-8"]').check()
    page.fill("#id_proof_note", "اطلعت الباحثة على عقد الزواج الموثق")
    page.locator("#id_confirm").check()
    page.locator("#submit-id-submit").click()
    page.wait_for_url(f"{live_server.url}/eligibility/files/{file.pk}/controls/")

    exclusion = Exclusion.objects.select_related("certificate", "file").get(file=file)
    assert exclusion.rule == "SC-8" and exclusion.file.status == FileStatus.EXCLUDED
    certificate = exclusion.certificate
    expect(page.get_by_test_id("certificate-serial")).to_have_text(certificate.serial)
    with page.expect_download() as info:
        page.get_by_test_id("certificate-download").click()
    download = info.value
    assert download.suggested_filename == f"{certificate.serial}.pdf"
    with open(download.path(), "rb") as handle:
        content = handle.read()
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert file.number in text and certificate.serial in text and format_code(certificate.verification_code) in text

    page.context.clear_cookies()  # the public: no session
    page.goto(f"{live_server.url}/verify/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("#id_code", format_code(certificate.verification_code))
    page.locator("#submit-id-submit").click()
    result = page.get_by_test_id("verify-result")
    expect(result).to_have_attribute("data-valid", "true")
    expect(result).to_contain_text(profile.name_ar)
    assert file.head_name not in page.content() and file.number not in page.content()
    assert "code=" not in page.url
