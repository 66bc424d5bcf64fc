"""Satisfaction surveys: sending a link, answering it once, and the aggregate results.

SAT-1, IN-8, GO-5, GO-6: after a service the beneficiary receives a random link by SMS; only
the link's SHA-256 is stored; the link expires; a survey is answered once (the row is locked).
SAT-2: the results are computed with aggregate queries, by service, by member of staff and by
month — never a list of who answered what.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from charity import calendar
from charity.links import absolute_reverse
from charity.messages import render_message
from charity.models import Notification
from charity.notifications import queue_notification, secret_slot

from . import policy
from .models import Service, Survey
from .policy import State

UNKNOWN_LINK = _("This survey link is not valid. Check that you opened the whole link from the text message.")
ALREADY_ANSWERED = _("This survey has already been answered. Thank you: each survey is answered only once.")
LINK_EXPIRED = _("This survey link has expired. Thank you for your interest.")
RATING_REQUIRED = _("Choose a rating from %(min)s to %(max)s.")

STATE_MESSAGES = {State.UNKNOWN: UNKNOWN_LINK, State.ANSWERED: ALREADY_ANSWERED, State.EXPIRED: LINK_EXPIRED}

# --- Sending (SAT-1) ------------------------------------------------------------------------


def survey_url(token: str) -> str:
    """Return the public link of a survey, e.g. https://charity.example/survey/<token>/."""
    return absolute_reverse("survey:answer", token)


def ttl_days_setting() -> int:
    return int(getattr(settings, "SURVEY_TTL_DAYS", policy.DEFAULT_TTL_DAYS))


def _event_key(event) -> dict:
    return {"content_type": ContentType.objects.get_for_model(event), "object_id": str(event.pk)}


def send_survey(*, event, service: str, file, staff, now: dt.datetime, ttl_days: int | None = None,
                mobile: str | None = None) -> Survey | None:
    """SAT-1: create the one survey of `event` and text its link to the beneficiary.

    The SMS goes to `mobile` if given (e.g. the complainant's phone), else to the file's mobile.
    Return the survey with its `token` and `url` on the instance (the token is stored only as a
    hash); return None and send nothing when the event already has a survey or nobody can be
    reached."""
    recipient = mobile or getattr(file, "mobile", "")
    key = _event_key(event)
    if not recipient or Survey.objects.filter(**key).exists():
        return None
    ttl = ttl_days if ttl_days is not None else ttl_days_setting()
    token = policy.new_token()
    try:
        with transaction.atomic():
            survey = Survey.objects.create(service=service, file=file, staff=staff, sent_at=now,
                                           expires_at=policy.expires_at(now, ttl),
                                           token_hash=policy.hash_token(token), **key)
            queue_notification(channel=Notification.Channel.SMS, recipient=recipient, about=survey,
                               body=_sms_body(service, survey.expires_at), purpose="satisfaction-survey",
                               dedupe_key=f"satisfaction-survey-{survey.pk}", redact_after_send=True,
                               secrets={"survey_link": survey_url(token)})
    except IntegrityError:
        if Survey.objects.filter(**key).exists():  # a concurrent call sent it first
            return None
        raise
    survey.token, survey.url = token, survey_url(token)
    return survey


def _sms_body(service: str, expires_at: dt.datetime) -> str:
    """The survey's SMS; its link carries the token, so the outbox keeps it sealed (a placeholder here)."""
    last_day = timezone.localtime(expires_at).date() - dt.timedelta(days=1)
    with translation.override("ar"):
        label, day = str(Service(service).label), calendar.format_gregorian(last_day)
    return render_message("satisfaction-survey", {"service": label, "survey_link": secret_slot("survey_link"),
                                                   "last_day": day})


# --- Answering (SAT-1, GO-6) ----------------------------------------------------------------


def find_survey(token: str) -> Survey | None:
    """Return the survey of a link, or None (a link is looked up by its hash only)."""
    return Survey.objects.filter(token_hash=policy.hash_token(token)).first()


def survey_state(survey: Survey | None, now: dt.datetime) -> str:
    return policy.state(survey, now)


def survey_context(survey: Survey) -> dict:
    """What the survey's page says around the form (SAT-1, GO-6): the service, the date, why it
    is asked and that it is never used against anyone."""
    return {"service": survey.get_service_display(), "sent_on": survey.sent_at, "purpose_note": policy.PURPOSE_NOTE,
            "privacy_note": policy.PRIVACY_NOTE, "scale": policy.rating_scale()}


def _check_ratings(ratings: dict) -> dict:
    problems = {}
    for question in policy.QUESTIONS:
        value = ratings.get(question)
        if value is None and question not in policy.REQUIRED_QUESTIONS:
            continue
        if not policy.valid_rating(value):
            problems[question] = ValidationError(RATING_REQUIRED, code="rating_required",
                                                 params={"min": policy.RATING_MIN, "max": policy.RATING_MAX})
    if problems:
        raise ValidationError(problems)
    return {q: ratings.get(q) for q in policy.QUESTIONS}


def answer_survey(*, ratings: dict, now: dt.datetime, comment: str = "", token: str | None = None,
                  survey: Survey | None = None) -> Survey:
    """SAT-1: record the answer once, reached by the link's token or, in «my file», by the
    family's own survey. An unknown, expired or already answered survey is refused (code
    "unknown", "expired" or "answered") and nothing changes."""
    with transaction.atomic():
        rows = Survey.objects.select_for_update()
        lookup = {"pk": survey.pk} if survey is not None else {"token_hash": policy.hash_token(token or "")}
        survey = rows.filter(**lookup).first()
        current = policy.state(survey, now)
        if current != State.OPEN:
            raise ValidationError(STATE_MESSAGES[current], code=current)
        for question, value in _check_ratings(ratings).items():
            setattr(survey, question, value)
        survey.comment = (comment or "").strip()[:policy.COMMENT_MAX_LENGTH]
        survey.answered_at = now
        survey.save(update_fields=[*policy.QUESTIONS, "comment", "answered_at"])
    return survey


# --- Results (SAT-2) ------------------------------------------------------------------------

_FIGURES = {
    "sent": Count("pk"),
    "answered": Count("answered_at"),
    **{f"avg_{q}": Avg(q) for q in policy.QUESTIONS},
}


def surveys_sent_between(first: dt.date | None, last: dt.date | None):
    """Surveys sent from `first` to `last` inclusive (Riyadh days); either bound may be open."""
    qs = Survey.objects.order_by()
    if first:
        qs = qs.filter(sent_at__gte=calendar.start_of_day(first))
    if last:
        qs = qs.filter(sent_at__lt=calendar.start_of_day(calendar.add_days(last, 1)))
    return qs


def _with_rate(row: dict) -> dict:
    row["rate"] = policy.response_rate(row["answered"], row["sent"])
    return row


def _staff_name(row: dict) -> str:
    first, last, username = [row.pop(f"staff__{k}") for k in ("first_name", "last_name", "username")]
    return f"{first or ''} {last or ''}".strip() or username


def results(*, first: dt.date | None = None, last: dt.date | None = None) -> dict:
    """SAT-2: totals, and figures by service, by member of staff and by month of sending, in
    a handful of aggregate queries. Comments come without any link to a file or a person."""
    qs = surveys_sent_between(first, last)
    by_service = [_with_rate(r) for r in qs.values("service").annotate(**_FIGURES).order_by("service")]
    for row in by_service:
        row["label"] = Service(row["service"]).label
    staff_rows = (qs.filter(staff__isnull=False)
                  .values("staff_id", "staff__first_name", "staff__last_name", "staff__username")
                  .annotate(**_FIGURES).order_by("staff__first_name", "staff__last_name", "staff_id"))
    by_staff = []
    for row in staff_rows:
        row["name"] = _staff_name(row)
        by_staff.append(_with_rate(row))
    by_month = [_with_rate(r) for r in qs.annotate(month=TruncMonth("sent_at")).values("month")
                .annotate(**_FIGURES).order_by("month")]
    comments = list(qs.filter(answered_at__isnull=False).exclude(comment="")
                    .annotate(month=TruncMonth("answered_at")).values("service", "month", "comment")
                    .order_by("-answered_at")[:50])
    for row in comments:
        row["label"] = Service(row["service"]).label
    return {"totals": _with_rate(qs.aggregate(**_FIGURES)), "by_service": by_service, "by_staff": by_staff,
            "by_month": by_month, "comments": comments}
