"""Valid identity numbers for the bench's people, the n-th always the same."""

from beneficiaries.validators import luhn_valid


def national_id(index: int) -> str:
    """Return the `index`-th valid identity number (Luhn, as beneficiaries.validators checks)."""
    body = f"1{index:08d}"
    total = 0
    for position, char in enumerate(body):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    number = body + str(-total % 10)
    assert luhn_valid(number), number
    return number
