"""Grievances and complaints, readable in one sitting (CP-1…CP-10, RT-9, DU-12).

Statuses and their transitions, the filing window (CP-2), the ruling period (CP-7), what a
complaint must contain to be considered (CP-3, CP-5) and who is told what (CP-9). Constants and
pure functions only; complaints/services/ applies them.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from charity import calendar
from charity.policy import Section


class Kind(models.TextChoices):
    """CP-1: a grievance (تظلم) against a decision, or a complaint (شكوى)."""

    COMPLAINT = "complaint", _("Complaint")
    GRIEVANCE = "grievance", _("Grievance against a decision")


class Topic(models.TextChoices):
    """CP-1: what the complaint is about."""

    RIGHTS = "rights", _("Something that diminishes my rights")
    SERVICE = "service", _("A shortfall in a service")
    STAFF = "staff", _("The conduct of a member of staff")
    PARTNER = "partner", _("A party through which the association serves me")
    OTHER = "other", _("Something else")


class Source(models.TextChoices):
    """CP-4: through the web link, or on paper at the executive director's office; DU-12: by
    phone or in person to the staff, entered by the member of staff who received it."""

    WEB = "web", _("The web link")
    PAPER = "paper", _("On paper, at the executive director's office")
    PHONE = "phone", _("By phone")
    IN_PERSON = "in_person", _("In person, to the staff")


# CP-4, DU-12: the ways a member of staff enters a complaint received by hand.
STAFF_SOURCES = (Source.PAPER, Source.PHONE, Source.IN_PERSON)


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    EXCUSE_REVIEW = "excuse_review", _("Late: the excuse awaits management's decision")
    UNDER_REVIEW = "under_review", _("Under review")
    RULED = "ruled", _("Ruled")
    NOTIFIED = "notified", _("The complainant has been told the result")
    CLOSED = "closed", _("Closed")


TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.UNDER_REVIEW, Status.EXCUSE_REVIEW},
    Status.EXCUSE_REVIEW: {Status.UNDER_REVIEW, Status.CLOSED},
    Status.UNDER_REVIEW: {Status.RULED},
    Status.RULED: {Status.NOTIFIED},
    Status.NOTIFIED: {Status.CLOSED},
    Status.CLOSED: set(),
}

OPEN_STATUSES = (Status.RECEIVED, Status.EXCUSE_REVIEW, Status.UNDER_REVIEW, Status.RULED, Status.NOTIFIED)
# A ruling has been given (CP-6): the result may be told and the complaint referred (CP-9, CP-10).
RULED_STATUSES = (Status.RULED, Status.NOTIFIED, Status.CLOSED)


def ruling_shown(complaint) -> bool:
    """CP-9: the ruling is shown to the complainant once the complaint is ruled and has one."""
    return complaint.status in RULED_STATUSES and bool(complaint.ruling)
# CP-7: «due this week» on the list, the dashboard and the director's digest: calendar days.
DUE_SOON_DAYS = 7


def _complaints_due_soon() -> str:
    return ngettext("Complaints due within %(days)s day", "Complaints due within %(days)s days",
                    DUE_SOON_DAYS) % {"days": DUE_SOON_DAYS}


COMPLAINTS_DUE_SOON = lazy(_complaints_due_soon, str)()  # the figure's name, with the number above


def due_soon_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """CP-7: «due soon» is a ruling due from today to DUE_SOON_DAYS days ahead, both included."""
    return today, calendar.add_days(today, DUE_SOON_DAYS)


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, set())


class Ruling(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    REJECTED = "rejected", _("Rejected")


class NoticeChannel(models.TextChoices):
    """CP-9: the ways the complainant is told the result."""

    SMS = "sms", _("Text message (SMS)")
    EMAIL = "email", _("Email")
    PHONE_CALL = "phone_call", _("Phone call")
    IN_PERSON = "in_person", _("In person")
    WEBSITE = "website", _("The website (status page)")


# CP-9: who logs a phone call or a visit in person that told the complainant the result: those
# who manage complaints (the executive director) and the staff member the complaint is assigned to.
MANAGE_PERMISSION = "complaints.manage_complaints"


def may_record_notice(user, complaint) -> bool:
    return may_manage(user, complaint) or (complaint.assigned_to_id is not None
                                                 and complaint.assigned_to_id == user.pk)


# --- CP-2: the filing window ----------------------------------------------------------------


def late_filing_applies(profile) -> bool:
    """CP-2's window refuses late filings only where the association adopted its complaint
    procedure (RULES.md «Sections per profile»): elsewhere every complaint is received and ruled on,
    whatever its date (DU-12, GO-3: the link stays open for every profile)."""
    return profile.adopts(Section.COMPLAINTS)


def complaint_is_late(incident_on: dt.date, filed_on: dt.date, window_days: int) -> bool:
    """CP-2: filed more than the window (30 days) after the date the claimed right arose."""
    return calendar.days_between(incident_on, filed_on) > window_days


# --- CP-7: the ruling period ----------------------------------------------------------------


def ruling_due_on(clock_started_on: dt.date, working_days: int) -> dt.date:
    """CP-7: ruled within the profile's working days (15) of the day the clock starts."""
    return calendar.add_working_days(clock_started_on, working_days)


# Reminders to the executive director when this many working days are left (CP-7).
REMINDER_DAYS_LEFT = (5, 2)


def ruling_clock_start(complaint, profile, accepted_on: dt.date) -> dt.date:
    """CP-7 (interpretation): a late complaint whose excuse is accepted counts its ruling period
    from the filing date (the text: «من تاريخ تقديم الطلب او الشكوى»), or from the acceptance
    where the profile chose so (PolicyProfile.ruling_clock_from)."""
    from charity.policy import RulingClockFrom

    if profile.ruling_clock_from == RulingClockFrom.EXCUSE_ACCEPTED:
        return accepted_on
    return complaint.received_on


def excuse_decision_due_on(review_started_on: dt.date, working_days: int) -> dt.date:
    """CP-2, CP-7 (interpretation): the excuse of a late filing is decided within the profile's
    working days (5) of the day its review starts."""
    return calendar.add_working_days(review_started_on, working_days)


# The reminder of an excuse awaiting the decision, when this many working days are left.
EXCUSE_REMINDER_DAYS_LEFT = (2,)


# --- CP-3, CP-5: what a complaint must contain ----------------------------------------------

# CP-3: what every complaint states, besides who files it (a clear full name, CP-5; a valid
# identity number) and a way to reach them (a mobile number or an email, at least one).
REQUIRED_CONTENTS = ("subject", "facts", "against", "harm", "reasons", "remedy")
# Everything services.check_contents reads.
CONTENT_FIELDS = ("complainant_name", "national_id", "phone", "email", *REQUIRED_CONTENTS)

_NAME_PART = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


def identity_number(value: str) -> str:
    """CP-3: the complainant's identity number as stored and counted (the per-ID limit, the file
    link): digits of any family made ASCII, spaces dropped, a passport's letters upper-cased as
    files store them (beneficiaries: IdType.PASSPORT)."""
    from charity.text import to_ascii_digits

    return re.sub(r"\s+", "", to_ascii_digits(value or "")).upper()


def is_passport_number(value: str, profile) -> bool:
    """CP-3 with the awaser profile (PolicyProfile.passport_identity: families abroad): a number
    that is not shaped as a national ID or iqama (10 digits, 1 or 2 first) is read as a passport
    number. Every other profile asks for the national ID or iqama only."""
    from beneficiaries.validators import NATIONAL_ID_SHAPE

    return bool(profile.passport_identity) and not NATIONAL_ID_SHAPE.fullmatch(identity_number(value))


def full_name_is_clear(name: str) -> bool:
    """CP-5: a clear full name of at least three parts (e.g. name, father's name, family name)."""
    return len(_NAME_PART.findall(name or "")) >= 3


# --- CP-8: who may see a complaint ----------------------------------------------------------
# The executive director, the staff member the director assigns, and the investigation
# committee for complaints referred to it; never a member of staff the complaint names. A
# complaint naming an executive director, or that its complainant said is about him (the
# form's «about the executive director»), goes to the role the profile names (the board
# chairman by default) and no executive director sees it.
# Implemented once, in ComplaintQuerySet.visible_to (complaints/models.py).


def director_complaints_role() -> str:
    """CP-8: the role the active profile names to take complaints against the executive director."""
    from charity.models import PolicyProfile
    from charity.roles import Role

    role = PolicyProfile.objects.filter(is_active=True).values_list("director_complaints_role", flat=True).first()
    return role or Role.BOARD_CHAIR.value


def director_complaints_handler(profile) -> str:
    """CP-8: the name of the role that takes complaints about the executive director, as the
    public form tells the complainant (the board chairman by default)."""
    return profile.get_director_complaints_role_display()


def may_manage(user, complaint) -> bool:
    """CP-6, CP-8: who takes the workflow decisions on a complaint (the excuse, assignment, the
    ruling, …): the executive director — or, for a complaint against an executive director,
    the role the profile names."""
    if complaint.is_against_director():
        return user.groups.filter(name=director_complaints_role()).exists()
    return user.has_perm(MANAGE_PERMISSION)

# --- Abuse of the public form ---------------------------------------------------------------

RATE_LIMIT_PER_IP = (5, 60 * 60)  # submissions, seconds
RATE_LIMIT_PER_NATIONAL_ID = (3, 24 * 60 * 60)
