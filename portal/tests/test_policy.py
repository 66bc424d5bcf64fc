import datetime as dt

from beneficiaries.validators import to_ascii_digits
from portal import policy


def test_normalize_identity_writes_arabic_indic_digits_in_ascii():
    assert policy.normalize_identity("١٠٢٣٤٥٦٧٨٩") == "1023456789"


def test_ascii_digits_arabic_indic_persian_and_full_width():
    assert to_ascii_digits("١٢٣") == "123"
    assert to_ascii_digits("۴۵۶") == "456"
    assert to_ascii_digits("７８９") == "789"
    assert to_ascii_digits("abc") == "abc"


def test_normalize_identity_drops_separators_and_bidi_marks():
    assert policy.normalize_identity("\u200f١٠٠ ٠٠٠-٠٠٠٠") == "1000000000"
    assert policy.normalize_identity(" a1234567 ") == "A1234567"


def test_is_identity_number_national_id_iqama_or_passport():
    assert policy.is_identity_number("1000000000")
    assert policy.is_identity_number("2000000000")
    assert policy.is_identity_number("A1234567")
    assert not policy.is_identity_number("3000000000")
    assert not policy.is_identity_number("12345")
    assert not policy.is_identity_number("123456789")  # digits only: not a passport, not an ID


def test_hash_code_is_keyed_salted_and_never_the_code():
    digest = policy.hash_code("123456", "salt")
    assert "123456" not in digest and len(digest) == 40
    assert digest != policy.hash_code("123456", "other")
    assert policy.code_matches("123456", "salt", digest)
    assert not policy.code_matches("123457", "salt", digest)


def test_code_expires_after_five_minutes():
    issued = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    assert not policy.code_expired(issued, issued + dt.timedelta(minutes=4, seconds=59))
    assert policy.code_expired(issued, issued + dt.timedelta(minutes=5))


def test_resend_waits_a_minute_and_stops_after_three_codes():
    issued = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    assert not policy.may_resend(issued_at=issued, sends=1, now=issued + dt.timedelta(seconds=59))
    assert policy.may_resend(issued_at=issued, sends=1, now=issued + dt.timedelta(seconds=60))
    assert not policy.may_resend(issued_at=issued, sends=3, now=issued + dt.timedelta(hours=1))


def test_session_lives_fifteen_idle_minutes_and_two_hours_in_all():
    assert policy.session_alive(since=0, seen=0, now=14 * 60)
    assert not policy.session_alive(since=0, seen=0, now=15 * 60)
    assert policy.session_alive(since=0, seen=7000, now=7100)
    assert not policy.session_alive(since=0, seen=7199, now=7200)
