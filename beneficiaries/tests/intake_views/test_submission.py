"""The whole intake path (IN-1…IN-6, DU-1), the declaration (IN-3), the review that refuses an
incomplete application (IN-2, IN-6) and the receipt."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from beneficiaries import errors
from beneficiaries.models import BeneficiaryFile, Declaration, Document
from charity import calendar
from testdata import NOW, TODAY, make_draft, member_form_data, pdf_upload

from .helpers import ar, contact_data, housing_data, start_data, step_url, upload_data

pytestmark = pytest.mark.django_db


@pytest.mark.rule("DU-1", "IN-1", "IN-3", "IN-5", "IN-6")
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
        response = desk.post(step_url(file, "household"), member_form_data(**extra))
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
    with translation.override("ar"):  # IN-5: the period, never a latest date
        assert escape(calendar.format_dual(file.decision_due_on)) not in page
        assert "لا تقل عن أسبوعين" in page


# --- Declaration (IN-3) and submission (IN-2, IN-5) ----------------------------------------


@pytest.mark.rule("IN-3")
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


@pytest.mark.rule("IN-2", "IN-6")
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
