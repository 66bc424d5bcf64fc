"""The step-by-step intake through the web pages (IN-1…IN-6, IN-9, DU-1, BEN-1, BEN-2, CH, RT-3)."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from beneficiaries import errors, services, validators
from beneficiaries.forms import intake as intake_forms
from beneficiaries.models import BeneficiaryFile, Declaration, Document, Member
from beneficiaries.tests import factories
from beneficiaries.tests.factories import NOW, TODAY, make_draft, make_submitted, pdf_upload, unique_national_id
from beneficiaries.views.intake import STEPS
from charity import calendar
from charity.models import AccessLog, Category
from charity.roles import Role
from charity.uploads import UPLOAD_TOO_LARGE, UPLOAD_WRONG_TYPE

pytestmark = pytest.mark.django_db

GOOD_IBAN = "SA03 8000 0000 6080 1016 7519"
BAD_IBAN = "SA0380000000608010167518"


@pytest.fixture(autouse=True)
def _pinned(settings, tmp_path):
    """Fixed «today» (TODAY) and private uploads in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def intake(make_user):
    return make_user(Role.INTAKE, username="intake")


@pytest.fixture
def desk(client, intake, profile):
    client.force_login(intake)
    return client


def ar(message, **params) -> str:
    """The message as an Arabic page shows it (escaped like the template does)."""
    with translation.override("ar"):
        text = str(message) % params if params else str(message)
    return escape(text)


def step_url(file, step):
    return reverse("beneficiaries:intake_step", args=[file.pk, step])


def start_data(**overrides):
    data = {"first_name": "فاطمة", "father_name": "محمد", "grandfather_name": "عبدالله", "family_name": "القحطاني",
            "id_type": "national_id", "id_number": unique_national_id(), "birth_date": "1980-05-01",
            "gender": "female", "marital_status": "widowed", "channel": "office"}
    data.update(overrides)
    if "categories" not in data:
        data["categories"] = [Category.objects.get(code="widow").pk]
    return data


def contact_data(file, **overrides):
    data = {"mobile": "0501234567", "mobile_alt": "", "email": "fatima@example.com", "city": "الرياض",
            "district": "النسيم", "street": "شارع الأمير", "building_number": "١٢٣٤", "postal_code": "12345",
            "version": file.version}
    data.update(overrides)
    return data


def member_data(**overrides):
    data = {"action": "member", "member-relationship": "son", "member-first_name": "سالم",
            "member-father_name": "خالد", "member-grandfather_name": "محمد", "member-family_name": "القحطاني",
            "member-id_type": "national_id", "member-id_number": unique_national_id(),
            "member-birth_date": "2012-03-01", "member-gender": "male", "member-marital_status": "single",
            "member-school_stage": "primary", "member-disability": "", "member-health_conditions": ""}
    data.update(overrides)
    return data


def housing_data(file, **overrides):
    data = {"action": "housing", "housing-housing_type": "owned", "housing-monthly_rent": "",
            "housing-housing_notes": "", "housing-iban": GOOD_IBAN, "housing-version": file.version}
    data.update(overrides)
    return data


def upload_data(doc_type, uploaded=None, **overrides):
    data = {"doc-doc_type": doc_type, "doc-member": "", "doc-issued_on": "2026-01-01",
            "doc-expires_on": "2027-06-30", "doc-uploaded": uploaded or pdf_upload(), "doc-note": ""}
    data.update(overrides)
    return data


# --- The whole path -------------------------------------------------------------------------


def test_intake_happy_path_through_every_step(desk, profile, intake):
    """IN-1…IN-6, DU-1, IN-3, IN-5: register a widow with two dependants, upload the documents,
    record the declaration and submit; the decision is due decision_target_days later."""
    assert desk.get(reverse("beneficiaries:intake_start")).status_code == 200
    response = desk.post(reverse("beneficiaries:intake_start"), start_data())
    file = BeneficiaryFile.objects.get()
    assert response.status_code == 302 and response["Location"] == step_url(file, "contact")
    assert file.status == "applicant" and file.registered_by == intake and file.channel == "office"

    response = desk.post(step_url(file, "contact"), contact_data(file))
    assert response["Location"] == step_url(file, "household")
    file.refresh_from_db()
    assert file.mobile == "+966501234567" and file.building_number == "1234" and file.city == "الرياض"

    for extra in ({}, {"member-relationship": "daughter", "member-first_name": "نورة", "member-gender": "female",
                       "member-school_stage": "intermediate", "member-has_disability": "on",
                       "member-disability": "إعاقة سمعية"}):
        response = desk.post(step_url(file, "household"), member_data(**extra))
        assert response.status_code == 302, response.context["form"].errors
    assert file.members.current().count() == 3
    assert file.members.get(first_name="نورة").disability == "إعاقة سمعية"

    desk.post(step_url(file, "income"), {"action": "income", "income-kind": "social_security",
                                         "income-member": "", "income-monthly_amount": "١٥٠٠", "income-note": ""})
    file.refresh_from_db()
    response = desk.post(step_url(file, "income"), housing_data(file, **{"housing-housing_type": "rented",
                                                                         "housing-monthly_rent": "2000"}))
    assert response["Location"] == step_url(file, "documents")
    file.refresh_from_db()
    assert file.iban == "SA0380000000608010167519" and file.monthly_rent == 2000
    assert str(file.incomes.get().monthly_amount) == "1500.00"

    page = desk.get(step_url(file, "documents"))
    needed = [item["doc_type"] for item in page.context["checklist"]]
    assert {"identity", "family_record", "income_statement", "rental_contract", "iban_certificate",
            "school_certificate", "death_certificate"} == set(needed)
    for doc_type in needed:
        assert desk.post(step_url(file, "documents"), upload_data(doc_type)).status_code == 302
    assert Document.objects.filter(file=file).count() == len(needed)

    assert desk.get(reverse("beneficiaries:declaration_pdf", args=[file.pk])).status_code == 200
    response = desk.post(step_url(file, "declaration"), {"decl-method": "in_person",
                                                         "decl-signed_by_name": file.head_name,
                                                         "decl-signed_by_id_number": file.head_id_number})
    assert response["Location"] == step_url(file, "review")
    declaration = Declaration.objects.get(file=file)
    assert declaration.confirmed_by == intake and declaration.signed_at == NOW

    review = desk.get(step_url(file, "review"))
    assert review.context["problems"] == []
    response = desk.post(step_url(file, "review"))
    assert response["Location"] == reverse("beneficiaries:receipt", args=[file.pk])
    file.refresh_from_db()
    assert file.status == "under_study"
    assert file.decision_due_on == TODAY + dt.timedelta(days=profile.decision_target_days)

    page = desk.get(reverse("beneficiaries:receipt", args=[file.pk])).content.decode()
    assert file.number in page
    assert ar(profile.get_deciding_body_display()) in page
    with translation.override("ar"):
        assert escape(calendar.format_dual(file.decision_due_on)) in page


# --- Start: identity, duplicates, channel (IN-1, CH, BEN-2, IN-9) ---------------------------


def test_start_wrong_id_checksum_saves_nothing(desk):
    """IN-2: an identity number with a wrong check digit is refused with a clear message."""
    number = unique_national_id()
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    response = desk.post(reverse("beneficiaries:intake_start"), start_data(id_number=wrong))
    assert response.status_code == 200
    assert ar(validators.NATIONAL_ID_CHECKSUM) in response.content.decode()
    assert not BeneficiaryFile.objects.exists() and not Member.objects.exists()


def test_start_identity_type_must_match_the_number(desk):
    """A residence-permit number (starting with 2) is not a national ID."""
    response = desk.post(reverse("beneficiaries:intake_start"), start_data(id_number=unique_national_id("2")))
    assert ar(intake_forms.ID_TYPE_MISMATCH) in response.content.decode()
    assert not BeneficiaryFile.objects.exists()
    response = desk.post(reverse("beneficiaries:intake_start"), start_data(id_type="iqama",
                                                                           id_number=unique_national_id("2")))
    assert response.status_code == 302 and BeneficiaryFile.objects.get().head_id_type == "iqama"


def test_start_second_open_file_for_same_head_is_refused(desk, intake):
    """One open file per head of household: the service's message, nothing saved."""
    existing = make_draft(intake)
    response = desk.post(reverse("beneficiaries:intake_start"), start_data(id_number=existing.head_id_number))
    assert ar(errors.DUPLICATE_OPEN_FILE, number=existing.number) in response.content.decode()
    assert BeneficiaryFile.objects.count() == 1


def test_start_head_in_another_open_file_is_allowed_with_a_warning(desk, intake):
    """The person is a member of another open file: staff are warned, the file still opens."""
    other = make_draft(intake)
    son = factories.head_data(first_name="سالم", gender="male", marital_status="single", birth_date=dt.date(2000, 1, 1))
    services.save_member(file=other, data={**son, "relationship": "son"})
    response = desk.post(reverse("beneficiaries:intake_start"), start_data(id_number=son["id_number"]), follow=True)
    assert BeneficiaryFile.objects.count() == 2
    assert any(m.level_tag == "warning" for m in response.context["messages"])


def test_start_referral_channel_needs_the_agency(desk):
    """CH: a case referred by an agency records which agency."""
    response = desk.post(reverse("beneficiaries:intake_start"), start_data(channel="referral"))
    assert ar(intake_forms.REFERRING_AGENCY_REQUIRED) in response.content.decode()
    assert not BeneficiaryFile.objects.exists()
    desk.post(reverse("beneficiaries:intake_start"),
              start_data(channel="referral", referring_agency="الشؤون الاجتماعية"))
    assert BeneficiaryFile.objects.get().referring_agency == "الشؤون الاجتماعية"


def test_start_passport_refused_in_general(desk):
    """PR: a passport is not an identity in the `general` profile."""
    page = desk.get(reverse("beneficiaries:intake_start")).content.decode()
    assert 'value="passport"' not in page
    response = desk.post(reverse("beneficiaries:intake_start"), start_data(id_type="passport", id_number="A1234567"))
    assert response.status_code == 200 and "id_type" in response.context["form"].errors
    assert not BeneficiaryFile.objects.exists()


def test_awaser_passport_embassy_and_international_mobile_accepted(client, make_user):
    """IN-9, BEN-2 (awaser): a family abroad with a passport, arriving from an embassy through the
    Ministry of Foreign Affairs, reachable on a foreign mobile."""
    from charity.services import load_policy_profile

    load_policy_profile("awaser")
    client.force_login(make_user(Role.INTAKE))
    abroad = Category.objects.get(code="family_abroad").pk
    base = start_data(id_type="passport", id_number="a1234567", channel="embassy", categories=[abroad],
                      embassy="سفارة خادم الحرمين الشريفين في لندن")
    response = client.post(reverse("beneficiaries:intake_start"), base)
    assert ar(intake_forms.EMBASSY_REQUIRED) in response.content.decode()
    assert not BeneficiaryFile.objects.exists()

    response = client.post(reverse("beneficiaries:intake_start"), {**base, "ministry_reference": "MOFA-1448-77"})
    file = BeneficiaryFile.objects.get()
    assert response.status_code == 302
    assert (file.head_id_type, file.head_id_number, file.ministry_reference) == ("passport", "A1234567", "MOFA-1448-77")
    response = client.post(step_url(file, "contact"), contact_data(file, mobile="+44 7911 123456", city="لندن",
                                                                    postal_code="SW1A 1AA"))
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.mobile == "+447911123456" and file.city == "لندن"


def test_contact_international_mobile_refused_in_general(desk, intake):
    file = make_draft(intake, mobile="")
    response = desk.post(step_url(file, "contact"), contact_data(file, mobile="+44 7911 123456"))
    assert ar(validators.MOBILE_NOT_SAUDI) in response.content.decode()
    file.refresh_from_db()
    assert file.mobile == ""


# --- Access (RT-6, RT-10) -------------------------------------------------------------------


def test_start_needs_register_permission(client, make_user, profile):
    client.force_login(make_user(Role.COMMITTEE))
    assert client.get(reverse("beneficiaries:intake_start")).status_code == 403
    assert client.post(reverse("beneficiaries:intake_start"), start_data()).status_code == 403
    assert not BeneficiaryFile.objects.exists()


def test_steps_of_another_users_draft_are_404(client, make_user, intake, profile):
    """RT-6, RT-10: intake staff see only the drafts they registered."""
    file = make_draft(intake)
    client.force_login(make_user(Role.INTAKE, username="colleague"))
    for step in STEPS:
        assert client.get(step_url(file, step)).status_code == 404
    assert client.post(step_url(file, "contact"), contact_data(file, city="جدة")).status_code == 404
    assert client.get(reverse("beneficiaries:declaration_pdf", args=[file.pk])).status_code == 404
    file.refresh_from_db()
    assert file.city == "الرياض"


def test_step_view_is_logged_and_unknown_step_is_404(desk, intake):
    file = make_draft(intake)
    desk.get(step_url(file, "household"))
    assert AccessLog.objects.filter(object_id=str(file.pk), action="view", user=intake).count() == 1
    assert desk.get(step_url(file, "nonsense")).status_code == 404


def test_submitted_file_steps_redirect_to_its_page(desk, intake):
    file = make_submitted(intake)
    response = desk.get(step_url(file, "contact"))
    assert response.status_code == 302 and response["Location"] == reverse("beneficiaries:file_detail", args=[file.pk])


def test_drafts_lists_only_own_open_drafts(desk, intake, make_user):
    mine = make_draft(intake)
    submitted = make_submitted(intake)
    theirs = make_draft(make_user(Role.INTAKE, username="other"))
    page = desk.get(reverse("beneficiaries:intake_drafts")).content.decode()
    assert mine.number in page and submitted.number not in page and theirs.number not in page


# --- Contact and service area (BEN-1) -------------------------------------------------------


def test_contact_outside_service_area_saves_nothing(desk, intake):
    """BEN-1: a city outside the area is refused with the clear message."""
    file = make_draft(intake)
    response = desk.post(step_url(file, "contact"), contact_data(file, city="جدة", mobile="0551234567"))
    assert ar(errors.OUTSIDE_SERVICE_AREA, city="جدة") in response.content.decode()
    file.refresh_from_db()
    assert (file.city, file.mobile, file.status) == ("الرياض", "+966501234567", "applicant")


def test_contact_outside_area_recorded_as_referral(desk, intake):
    """BEN-1: staff may record the applicant as referred to another body."""
    file = make_draft(intake)
    response = desk.post(step_url(file, "contact"), contact_data(file, city="جدة", refer_out="on"))
    assert ar(intake_forms.REFERRED_TO_REQUIRED) in response.content.decode()
    file.refresh_from_db()
    assert file.status == "applicant"
    response = desk.post(step_url(file, "contact"), contact_data(file, city="جدة", refer_out="on",
                                                                 referred_to="جمعية البر بجدة"))
    assert response["Location"] == reverse("beneficiaries:file_detail", args=[file.pk])
    file.refresh_from_db()
    assert (file.status, file.referred_to, file.outside_service_area, file.city) == (
        "referred_out", "جمعية البر بجدة", True, "جدة")


def test_contact_stale_version_is_refused(desk, intake):
    """Someone saved in between: nothing is overwritten."""
    file = make_draft(intake)
    stale = file.version
    BeneficiaryFile.objects.filter(pk=file.pk).update(version=stale + 1)
    response = desk.post(step_url(file, "contact"), contact_data(file, version=stale, district="الملز"))
    assert ar(errors.STALE_VERSION) in response.content.decode()
    file.refresh_from_db()
    assert file.district == "النسيم"


# --- Household ------------------------------------------------------------------------------


def test_household_duplicate_member_refused(desk, intake):
    file = make_draft(intake)
    head = file.members.get()
    response = desk.post(step_url(file, "household"), member_data(**{"member-id_number": head.id_number}))
    assert ar(errors.MEMBER_IN_FILE) in response.content.decode()
    assert file.members.count() == 1


def test_household_member_in_other_open_file_warns(desk, intake):
    other = make_draft(intake)
    response = desk.post(step_url(make_draft(intake), "household"),
                         member_data(**{"member-id_number": other.head_id_number}), follow=True)
    assert Member.objects.filter(id_number=other.head_id_number).count() == 2
    assert any(m.level_tag == "warning" for m in response.context["messages"])


def test_household_edit_and_mark_left_never_deletes(desk, intake):
    file = make_draft(intake)
    desk.post(step_url(file, "household"), member_data())
    son = file.members.get(relationship="son")
    edit = member_data(**{"member-id_number": son.id_number, "member-first_name": "سلطان", "member_id": son.pk})
    assert desk.post(step_url(file, "household"), edit).status_code == 302
    son.refresh_from_db()
    assert son.first_name == "سلطان"
    response = desk.post(step_url(file, "household"), {"action": "left", "member_id": son.pk,
                                                       "left-on": "2026-11-20"})
    assert response.status_code == 302
    son.refresh_from_db()
    assert son.left_household_on == dt.date(2026, 11, 20) and Member.objects.filter(pk=son.pk).exists()
    head = file.members.get(relationship="head")
    desk.post(step_url(file, "household"), {"action": "left", "member_id": head.pk, "left-on": "2026-11-20"})
    head.refresh_from_db()
    assert head.is_current


# --- Income and IBAN ------------------------------------------------------------------------


def test_income_wrong_iban_saves_nothing(desk, intake):
    file = make_draft(intake)
    response = desk.post(step_url(file, "income"), housing_data(file, **{"housing-iban": BAD_IBAN,
                                                                         "housing-housing_type": "family"}))
    assert ar(validators.IBAN_CHECKSUM) in response.content.decode()
    file.refresh_from_db()
    assert (file.iban, file.housing_type) == ("", "owned")


def test_income_ended_not_deleted(desk, intake):
    file = make_draft(intake)
    desk.post(step_url(file, "income"), {"action": "income", "income-kind": "salary", "income-monthly_amount": "3000"})
    income = file.incomes.get()
    desk.post(step_url(file, "income"), {"action": "end_income", "income_id": income.pk})
    income.refresh_from_db()
    assert income.ended_on == TODAY


# --- Documents (DU-1, IN-2) -----------------------------------------------------------------


@pytest.mark.parametrize("uploaded, overrides, message", [
    (None, {"doc-expires_on": "2026-11-23"}, "expired"),
    (SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024) + b"\n%%EOF\n"), {}, UPLOAD_TOO_LARGE),
    (SimpleUploadedFile("page.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"), {},
     UPLOAD_WRONG_TYPE),
])
def test_documents_bad_upload_saves_nothing(desk, intake, uploaded, overrides, message):
    """DU-1, IN-2: expired, too large (20 MB) or disguised (HTML named .pdf) uploads are refused."""
    file = make_draft(intake)
    response = desk.post(step_url(file, "documents"), upload_data("identity", uploaded, **overrides))
    if message == "expired":
        message = errors.EXPIRED_ON_UPLOAD % {"date": calendar.format_dual(dt.date(2026, 11, 23), "ar")}
    assert response.status_code == 200 and ar(message) in response.content.decode()
    assert not Document.objects.exists()


def test_documents_file_input_hints_accepted_types(desk, intake):
    """One hint for every upload field (the content itself is checked on the server)."""
    from beneficiaries.forms.files import ACCEPTED_UPLOADS

    page = desk.get(step_url(make_draft(intake), "documents")).content.decode()
    assert f'accept="{ACCEPTED_UPLOADS}"' in page


# --- Declaration (IN-3) and submission (IN-2, IN-5) ----------------------------------------


def test_declaration_scan_needs_a_file_then_records_it(desk, intake):
    """IN-3: a scanned declaration is stored as a signed-declaration document."""
    file = make_draft(intake)
    data = {"decl-method": "scan", "decl-signed_by_name": file.head_name,
            "decl-signed_by_id_number": file.head_id_number}
    response = desk.post(step_url(file, "declaration"), data)
    assert ar(errors.SCAN_REQUIRED) in response.content.decode() and not Declaration.objects.exists()
    desk.post(step_url(file, "declaration"), {**data, "decl-scan": pdf_upload("signed.pdf")})
    declaration = Declaration.objects.get()
    assert declaration.method == "scan" and declaration.scan.doc_type == "signed_declaration"
    page = desk.get(step_url(file, "declaration")).content.decode()
    assert str(intake) in page


def test_review_incomplete_application_is_not_submitted(desk, intake):
    """IN-2, IN-6: missing documents and no declaration: listed, and the submission is refused."""
    file = make_draft(intake)
    response = desk.post(step_url(file, "review"))
    assert response.status_code == 200
    assert ar(errors.NO_DECLARATION) in response.content.decode()
    file.refresh_from_db()
    assert file.status == "applicant" and file.submitted_at is None


def test_receipt_only_for_submitted_files(desk, intake):
    assert desk.get(reverse("beneficiaries:receipt", args=[make_draft(intake).pk])).status_code == 404
    assert desk.get(reverse("beneficiaries:receipt_pdf", args=[make_draft(intake).pk])).status_code == 404
