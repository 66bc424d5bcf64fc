"""Views and suggestions (DU-12): received from the website or entered by staff, acknowledged
and answered; the answer reaches the sender by SMS through the outbox when they gave a mobile."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from beneficiaries.validators import normalize_mobile, validate_national_id, validate_passport
from charity.links import absolute_reverse
from charity.messages import render_message
from charity.models import Notification, PolicyProfile
from charity.notifications import queue_notification
from charity.sequences import next_in_hijri_year

from .. import policy, suggestions
from ..errors import (
    ALREADY_ANSWERED,
    ANSWER_REQUIRED,
    NOT_RECEIVED,
    STAFF_CHANNEL_REQUIRED,
    SUGGESTION_REQUIRED,
    SUGGESTION_TOO_LONG,
)
from ..models import Suggestion, SuggestionSequence
from ..suggestions import Channel, Status
from .filing import _file_for


def check_suggestion(data: dict, *, profile: PolicyProfile) -> dict:
    """DU-12: return the cleaned text and the optional name, mobile and identity number, or raise
    with every problem on its field. Nothing of CP-3 is asked."""
    problems, cleaned = {}, {}
    cleaned["text"] = (data.get("text") or "").strip()
    if not cleaned["text"]:
        problems["text"] = SUGGESTION_REQUIRED
    elif len(cleaned["text"]) > suggestions.TEXT_MAX_LENGTH:
        problems["text"] = SUGGESTION_TOO_LONG % {"max": suggestions.TEXT_MAX_LENGTH}
    cleaned["name"] = (data.get("name") or "").strip()[:200]
    cleaned["phone"] = ""
    if (data.get("phone") or "").strip():
        try:
            cleaned["phone"] = normalize_mobile(data["phone"], international=profile.international_phones)
        except ValidationError as exc:
            problems["phone"] = exc.messages[0]
    cleaned["national_id"] = policy.identity_number(data.get("national_id", ""))
    if cleaned["national_id"]:  # the same identity rule as a complaint's (CP-3; passports for awaser)
        validate = (validate_passport if policy.is_passport_number(cleaned["national_id"], profile)
                    else validate_national_id)
        try:
            validate(cleaned["national_id"])
        except ValidationError as exc:
            problems["national_id"] = exc.messages[0]
    if problems:
        raise ValidationError(problems)
    return cleaned


@transaction.atomic
def submit_suggestion(*, data: dict, profile: PolicyProfile, channel: str, now: dt.datetime, today: dt.date,
                      entered_by=None) -> Suggestion:
    """DU-12: record a view or suggestion from the website (no `entered_by`), or one a member of
    staff received by phone or in person (`entered_by` and a staff channel). Linked to the open
    file of the identity number given, if any."""
    if (entered_by is not None) != (channel in suggestions.STAFF_CHANNELS) or channel not in Channel.values:
        raise ValidationError({"channel": STAFF_CHANNEL_REQUIRED})
    cleaned = check_suggestion(data, profile=profile)
    year, number = next_in_hijri_year(SuggestionSequence, today)
    suggestion = Suggestion(reference=f"S{year}-{number:06d}", channel=channel, submitted_at=now, received_on=today,
                            entered_by=entered_by,
                            file=_file_for(cleaned["national_id"]) if cleaned["national_id"] else None, **cleaned)
    suggestion._change_reason = "DU-12 received"
    suggestion.save()
    return suggestion


def _lock(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


@transaction.atomic
def acknowledge_suggestion(*, suggestion: Suggestion, by, now: dt.datetime) -> Suggestion:
    """DU-12: a member of staff who handles them has read it («ليتم اتخاذ اللازم بشأنها»)."""
    suggestion = _lock(suggestion)
    if not suggestions.can_transition(suggestion.status, Status.ACKNOWLEDGED):
        raise ValidationError(NOT_RECEIVED, code="not_received")
    suggestion.status, suggestion.acknowledged_by, suggestion.acknowledged_at = Status.ACKNOWLEDGED, by, now
    suggestion._change_reason = "DU-12 acknowledged"
    suggestion.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    return suggestion


@transaction.atomic
def answer_suggestion(*, suggestion: Suggestion, by, answer: str, now: dt.datetime) -> Notification | None:
    """DU-12: record the association's answer (acknowledging it too if not yet) and send it to the
    sender by SMS when they gave a mobile; return the outbox's row, or None."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": ANSWER_REQUIRED})
    if len(answer) > suggestions.ANSWER_MAX_LENGTH:
        raise ValidationError({"answer": SUGGESTION_TOO_LONG % {"max": suggestions.ANSWER_MAX_LENGTH}})
    suggestion = _lock(suggestion)
    if not suggestions.can_transition(suggestion.status, Status.ANSWERED):
        raise ValidationError(ALREADY_ANSWERED, code="already_answered")
    if suggestion.acknowledged_at is None:
        suggestion.acknowledged_by, suggestion.acknowledged_at = by, now
    suggestion.status, suggestion.answer, suggestion.answered_by, suggestion.answered_at = (
        Status.ANSWERED, answer, by, now)
    suggestion._change_reason = "DU-12 answered"
    suggestion.save(update_fields=["status", "answer", "answered_by", "answered_at", "acknowledged_by",
                                   "acknowledged_at"])
    body = render_message("suggestion-answer", {"reference": suggestion.reference, "answer": answer,
                                                "suggest_link": absolute_reverse("complaints_public:suggest")})
    return queue_notification(channel=Notification.Channel.SMS, recipient=suggestion.phone, body=body,
                              subject=suggestion.reference, about=suggestion, purpose="suggestion-answer",
                              dedupe_key=f"suggestion-answer:{suggestion.pk}")
