"""Validators for identity numbers, phones and IBANs. Messages are translatable constants."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from charity.text import to_ascii_digits  # noqa: F401  (the one digit normaliser, re-exported for the forms)

NATIONAL_ID_FORMAT = _("An identity number is 10 digits and starts with 1 (citizen) or 2 (resident).")
NATIONAL_ID_CHECKSUM = _("This identity number is not valid: please check the digits.")
PASSPORT_FORMAT = _("A passport number is 6 to 12 letters and digits.")
MOBILE_INVALID = _("Enter a valid mobile number, e.g. 05XXXXXXXX.")
MOBILE_NOT_SAUDI = _("Only Saudi mobile numbers are accepted.")
IBAN_FORMAT = _("A Saudi IBAN is SA followed by 22 digits and letters.")
IBAN_CHECKSUM = _("This IBAN is not valid: please check it against the bank's certificate.")

def clean_national_id(value: str) -> str:
    return re.sub(r"\s+", "", to_ascii_digits(value))


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        digit = int(char)
        if index % 2 == 0:  # the Saudi ID doubles the odd positions, counting from 1
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return total % 10 == 0


NATIONAL_ID_SHAPE = re.compile(r"[12]\d{9}")  # 10 digits, 1 (citizen) or 2 (resident) first


def validate_national_id(value: str) -> None:
    """Raise ValidationError unless `value` is a Saudi national ID or iqama number:
    10 digits, starting with 1 (citizen) or 2 (resident), passing the Luhn checksum."""
    value = clean_national_id(value)
    if not NATIONAL_ID_SHAPE.fullmatch(value):
        raise ValidationError(NATIONAL_ID_FORMAT, code="national_id_format")
    if not luhn_valid(value):
        raise ValidationError(NATIONAL_ID_CHECKSUM, code="national_id_checksum")


def validate_passport(value: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9]{6,12}", to_ascii_digits(value or "")):
        raise ValidationError(PASSPORT_FORMAT, code="passport_format")


def normalize_mobile(value: str, *, international: bool = False) -> str:
    """Return the mobile number in E.164 (Saudi by default); raise ValidationError if invalid.

    International numbers are accepted only when the profile allows them (awaser)."""
    raw = to_ascii_digits(value or "").strip()
    try:
        number = phonenumbers.parse(raw, "SA")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(MOBILE_INVALID, code="mobile_invalid") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(MOBILE_INVALID, code="mobile_invalid")
    if not international and phonenumbers.region_code_for_number(number) != "SA":
        raise ValidationError(MOBILE_NOT_SAUDI, code="mobile_not_saudi")
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE
    ):
        raise ValidationError(MOBILE_INVALID, code="mobile_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_iban(value: str) -> str:
    return re.sub(r"\s+", "", to_ascii_digits(value or "")).upper()


def validate_iban(value: str) -> None:
    """Raise ValidationError unless `value` is a Saudi IBAN (SA + 22) passing ISO 13616 mod 97."""
    iban = clean_iban(value)
    if not re.fullmatch(r"SA\d{2}[0-9A-Z]{20}", iban):
        raise ValidationError(IBAN_FORMAT, code="iban_format")
    rearranged = iban[4:] + iban[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    if int(numeric) % 97 != 1:
        raise ValidationError(IBAN_CHECKSUM, code="iban_checksum")
