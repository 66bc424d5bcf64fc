"""The policy of satisfaction surveys (SAT-1, SAT-2, IN-8, GO-5, GO-6, TK-7).

SAT-1: after a service (aid, a programme, a complaint ruling) the beneficiary is asked, by a
link sent by SMS, how satisfied they are — as their right, never as a tool of punishment. The
link is the only credential: it is random, only its hash is stored, it expires, and the survey
is answered once. SAT-2: staff and management see the results over time, by service and by
member of staff — aggregate figures only, never who answered what.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.utils.translation import gettext_lazy as _

# 32 random bytes: 43 URL-safe characters, 256 bits (token_urlsafe).
TOKEN_BYTES = 32
# How long a link stays valid; settings.SURVEY_TTL_DAYS overrides it.
DEFAULT_TTL_DAYS = 14

# The questions, each rated 1 (very dissatisfied) to 5 (very satisfied). Only `overall` is
# required: a beneficiary may skip a question that does not apply to the service.
RATING_MIN, RATING_MAX = 1, 5
QUESTIONS = ("overall", "courtesy", "speed", "clarity")
REQUIRED_QUESTIONS = ("overall",)
RATING_LABELS = {
    1: _("Very dissatisfied"),
    2: _("Dissatisfied"),
    3: _("Neutral"),
    4: _("Satisfied"),
    5: _("Very satisfied"),
}
COMMENT_MAX_LENGTH = 2000


def rating_scale() -> dict:
    """SAT-1: the scale as the pages say it: its ends and their names."""
    return {"min": RATING_MIN, "max": RATING_MAX, "min_label": RATING_LABELS[RATING_MIN],
            "max_label": RATING_LABELS[RATING_MAX]}

# GO-6, SAT-1: shown on every survey page, above the questions.
PURPOSE_NOTE = _("This survey is a tool to improve our service. It is never used to punish or defame anyone.")
PRIVACY_NOTE = _("Management sees the answers only as overall figures, without your name.")


class State:
    """What the public page shows for a link."""

    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """Return the SHA-256 (hex) stored instead of the token."""
    return hashlib.sha256((token or "").encode()).hexdigest()


def expires_at(sent_at: dt.datetime, ttl_days: int) -> dt.datetime:
    return sent_at + dt.timedelta(days=ttl_days)


def state(survey, now: dt.datetime) -> str:
    """SAT-1: a survey is answered once, and only before its link expires."""
    if survey is None:
        return State.UNKNOWN
    if survey.answered_at is not None:
        return State.ANSWERED
    if now >= survey.expires_at:
        return State.EXPIRED
    return State.OPEN


def valid_rating(value) -> bool:
    return isinstance(value, int) and RATING_MIN <= value <= RATING_MAX


def response_rate(answered: int, sent: int) -> int | None:
    """SAT-2: the percentage of surveys answered (None when none was sent)."""
    return round(100 * answered / sent) if sent else None
