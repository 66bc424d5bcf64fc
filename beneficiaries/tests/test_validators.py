"""Identity numbers, mobiles and IBANs (issue: bad input gives a clear message)."""

import pytest
from django.core.exceptions import ValidationError

from beneficiaries import validators
from testdata import national_id


@pytest.mark.parametrize("value", ["1000000008", "2000000006", national_id("1", 1), national_id("2", 2),
                                   "١٠٠٠٠٠٠٠٠٨"])
def test_validate_national_id_accepts_valid_citizen_and_resident_numbers(value):
    validators.validate_national_id(value)


@pytest.mark.parametrize(("value", "message"), [
    ("1000000009", validators.NATIONAL_ID_CHECKSUM),  # wrong checksum
    ("3000000000", validators.NATIONAL_ID_FORMAT),  # neither citizen nor resident
    ("100000000", validators.NATIONAL_ID_FORMAT),  # 9 digits
    ("10000000080", validators.NATIONAL_ID_FORMAT),  # 11 digits
    ("10000000a8", validators.NATIONAL_ID_FORMAT),
    ("", validators.NATIONAL_ID_FORMAT),
])
def test_validate_national_id_refuses_with_a_clear_message(value, message):
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_national_id(value)
    assert excinfo.value.messages == [str(message)]


def test_luhn_checksum_of_every_single_digit_change_is_caught():
    valid = national_id("1", 42)
    for position in range(1, 10):
        for digit in "0123456789":
            if digit == valid[position]:
                continue
            changed = valid[:position] + digit + valid[position + 1:]
            with pytest.raises(ValidationError):
                validators.validate_national_id(changed)


@pytest.mark.parametrize(("raw", "e164"), [
    ("0501234567", "+966501234567"), ("501234567", "+966501234567"), ("+966 50 123 4567", "+966501234567"),
    ("٠٥٠١٢٣٤٥٦٧", "+966501234567"), ("00966501234567", "+966501234567"),
])
def test_mobiles_are_normalised_to_e164_saudi_by_default(raw, e164):
    assert validators.normalize_mobile(raw) == e164


def test_international_mobiles_only_where_the_profile_allows_them():
    with pytest.raises(ValidationError) as excinfo:
        validators.normalize_mobile("+971501234567")
    assert excinfo.value.messages == [str(validators.MOBILE_NOT_SAUDI)]
    assert validators.normalize_mobile("+971501234567", international=True) == "+971501234567"


@pytest.mark.parametrize("raw", ["0112345678", "12345", "hello", "+96650"])
def test_landlines_and_garbage_are_not_mobiles(raw):
    with pytest.raises(ValidationError):
        validators.normalize_mobile(raw)


def test_iban_accepts_a_valid_saudi_iban_with_spaces_and_lowercase():
    validators.validate_iban("sa03 8000 0000 6080 1016 7519")
    assert validators.clean_iban("sa03 8000 0000 6080 1016 7519") == "SA0380000000608010167519"


@pytest.mark.parametrize(("raw", "message"), [
    ("SA0380000000608010167518", validators.IBAN_CHECKSUM),
    ("SA038000000060801016751", validators.IBAN_FORMAT),  # 23 characters
    ("AE070331234567890123456", validators.IBAN_FORMAT),  # not Saudi
    ("", validators.IBAN_FORMAT),
])
def test_iban_refuses_wrong_format_and_checksum(raw, message):
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_iban(raw)
    assert excinfo.value.messages == [str(message)]


def test_passport_format():
    validators.validate_passport("A1234567")
    with pytest.raises(ValidationError):
        validators.validate_passport("12")
