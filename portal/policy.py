"""«My file», the beneficiary's own door, readable in one sitting.

Who may sign in (the head of household and a delegate staff registered), the one-time code
(6 digits, 5 minutes, 5 tries, hashed with the installation's secret), the limits on sending
and trying codes, the portal session's lifetime, and what the family is told about the period
of the decision (IN-5). Constants and pure functions only; portal/services.py applies them.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from beneficiaries.validators import to_ascii_digits

# --- The one-time code ----------------------------------------------------------------------

CODE_DIGITS = 6
CODE_TTL = dt.timedelta(minutes=5)
MAX_CODE_TRIES = 5  # wrong codes typed against one code before it is void
RESEND_AFTER = dt.timedelta(seconds=60)  # the least time between two codes of one sign-in
MAX_SENDS_PER_SIGN_IN = 3  # codes one sign-in may ask for (the first and two resends)

# --- Limits counted in the cache (charity/ratelimit.py): (count, seconds) ----------------------

SENDS_PER_ID = (5, 60 * 60)  # codes sent for one identity number in an hour
WRONG_CODES_PER_ID = (10, 60 * 60)  # wrong codes typed for one identity number in an hour
REQUESTS_PER_ADDRESS = (30, 15 * 60)  # sign-in and code posts from one client address

# --- The portal session (never a Django user) -----------------------------------------------

SESSION_KEY = "portal"  # {"file", "member", "since", "seen"}: timestamps in seconds
PENDING_KEY = "portal_pending"  # the sign-in waiting for its code
SESSION_IDLE = dt.timedelta(minutes=15)  # signed out after this long without a request
SESSION_MAX = dt.timedelta(hours=2)  # and after this long in any case

# --- Identity numbers -----------------------------------------------------------------------

# Marks and separators people paste or type with a number: spaces, dashes, bidi marks.
_IGNORED = re.compile(r"[\s\-_.\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_NATIONAL_ID = re.compile(r"[12]\d{9}")
_PASSPORT = re.compile(r"[A-Z0-9]{6,12}")


def normalize_identity(value: str) -> str:
    """Return the identity number as stored: ASCII digits, upper case, without separators."""
    return _IGNORED.sub("", to_ascii_digits(value)).upper()


def is_identity_number(value: str) -> bool:
    """A national ID or iqama number (10 digits from 1 or 2) or a passport number (6-12 letters
    and digits). The format only: whether a file holds it is never told."""
    return bool(_NATIONAL_ID.fullmatch(value) or (_PASSPORT.fullmatch(value) and not value.isdigit()))


def normalize_code(value: str) -> str:
    return re.sub(r"\s", "", to_ascii_digits(value))


def hash_code(code: str, salt: str) -> str:
    """The code as stored: an HMAC keyed with SECRET_KEY, so a copy of the database alone cannot
    be searched through the million possible codes."""
    return salted_hmac("portal.sign-in-code", f"{salt}:{code}").hexdigest()


def code_matches(code: str, salt: str, stored_hash: str) -> bool:
    return constant_time_compare(hash_code(code, salt), stored_hash)


def code_expired(issued_at: dt.datetime, now: dt.datetime) -> bool:
    return now >= issued_at + CODE_TTL


def tries_left(tries: int) -> int:
    return max(0, MAX_CODE_TRIES - tries)


def may_resend(*, issued_at: dt.datetime, sends: int, now: dt.datetime) -> bool:
    return sends < MAX_SENDS_PER_SIGN_IN and now >= issued_at + RESEND_AFTER


def session_alive(*, since: float, seen: float, now: float) -> bool:
    """The portal session lives SESSION_IDLE after the last request, SESSION_MAX in all."""
    return now - seen < SESSION_IDLE.total_seconds() and now - since < SESSION_MAX.total_seconds()


# --- IN-5: the period, in the text's own terms ----------------------------------------------

# «خلال مدة لا تقل عن أسبوعين»: a minimum, never a latest date; the period's words are those of
# the application-received message (beneficiaries.messages.PERIOD), said once.
EXPECTED_PERIOD = _("The request goes to %(body)s. The answer, acceptance or refusal, comes after the study, "
                    "within a period of %(period)s.")
