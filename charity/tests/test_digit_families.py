"""Identity numbers and phones typed in any family of digits (issue «Hardening», point 6): one
function (charity.text.to_ascii_digits) writes them in ASCII at every edge, so the duplicate
check, the complaint link to the file and its per-ID limit, the file search and log masking
treat «١٠…» or «１０…» exactly as «10…»; and no log line keeps one, nor a spaced phone or an
e-mail address (point 7)."""

import pytest
from django.core.exceptions import ValidationError

from beneficiaries.forms.intake import clean_identity
from beneficiaries.models import BeneficiaryFile
from beneficiaries.policy import IdType
from beneficiaries.services.files import refuse_duplicate_open_file
from charity.logging import redact
from charity.models import PolicyProfile
from charity.text import to_ascii_digits
from complaints.forms import ComplaintForm
from testdata import TODAY, complaint_form_data, file_complaint, make_active

FAMILIES = {  # the digits 0…9 of each family
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "persian": "۰۱۲۳۴۵۶۷۸۹",
    "fullwidth": "０１２３４５６７８９",
    "devanagari": "०१२३४५६७८९",
    "bengali": "০১২৩৪৫৬৭৮৯",
}


def written_in(family: str, ascii_text: str) -> str:
    return "".join(FAMILIES[family][int(c)] if c.isdigit() else c for c in ascii_text)


@pytest.mark.parametrize("family", FAMILIES)
def test_the_one_function_reads_every_family(family):
    assert to_ascii_digits(written_in(family, "1012345678 / 0501234567")) == "1012345678 / 0501234567"


@pytest.mark.parametrize("family", FAMILIES)
def test_logs_mask_ids_and_phones_in_every_family(family):
    line = written_in(family, "file for 1012345678, mobile 0501234567 and +966 50 123 4567")
    masked = redact(line)
    assert "[national-id]" in masked and masked.count("[phone]") == 2
    assert not any(ch.isdigit() for ch in masked.replace("[", "").replace("]", "")), masked


def test_logs_mask_spaced_phones_and_email_addresses():
    masked = redact("call 050-123-4567 or 050 123 4567, write to fatima.q@example.com.sa")
    assert masked == "call [phone] or [phone], write to [email]"


@pytest.mark.django_db
@pytest.mark.parametrize("family", FAMILIES)
def test_an_id_in_any_family_is_the_same_person(family, staff):
    """The duplicate check, the complaint's link to the file, its per-ID limit and the search."""
    file = make_active(staff["intake"])
    typed = written_in(family, file.head_id_number)

    # Intake: the head typed again in other digits is the same person, with an open file.
    cleaned = clean_identity(IdType.NATIONAL_ID, typed, passport_allowed=False)
    assert cleaned == file.head_id_number
    with pytest.raises(ValidationError) as duplicate:
        refuse_duplicate_open_file(cleaned)
    assert file.number in str(duplicate.value)

    # The public complaint form: the number the per-ID limit counts, and the file it links to.
    form = ComplaintForm(data=complaint_form_data(national_id=typed), profile=PolicyProfile.objects.active(),
                         today=TODAY)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["national_id"] == file.head_id_number
    assert file_complaint(national_id=form.cleaned_data["national_id"]).file_id == file.pk

    # The file search.
    assert list(BeneficiaryFile.objects.search(typed)) == [file]
