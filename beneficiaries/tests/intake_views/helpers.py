"""What the intake-page tests share: each step's form data and reading a message as the page shows it."""

from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from charity.models import Category
from testdata import head_data, pdf_upload

GOOD_IBAN = "SA03 8000 0000 6080 1016 7519"
BAD_IBAN = "SA0380000000608010167518"


def ar(message, **params) -> str:
    """The message as an Arabic page shows it (escaped like the template does)."""
    with translation.override("ar"):
        text = str(message) % params if params else str(message)
    return escape(text)


def step_url(file, step):
    return reverse("beneficiaries:intake_step", args=[file.pk, step])


def start_data(**overrides):
    """The start page's form: the head (testdata.head_data), how she came, and her categories."""
    data = {**head_data(), "channel": "office"}
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
