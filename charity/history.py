"""The reason on a history row, told in the reader's language.

Services write each history row's reason as a short, language-neutral code that names the
rule («SC-2 exclusion», «decision: accept», «status → frozen»): it is stored once and must
read the same whatever language the person who acted used. This module turns that code into
a sentence when a page shows it. A reason it does not know (a free note, an old row) is shown
as written, never dropped."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from . import calendar


def _status(value: str) -> str:
    from beneficiaries.policy import FileStatus

    return str(FileStatus(value).label) if value in FileStatus.values else value


def _outcome(value: str) -> str:
    from eligibility.policy import Outcome

    return str(Outcome(value).label) if value in Outcome.values else value


def _date(value: str) -> str:
    try:
        return calendar.format_dual(dt.date.fromisoformat(value))
    except ValueError:
        return value


# (pattern of the stored code, how to say it). First match wins; groups are named.
_PATTERNS: list[tuple[re.Pattern, Callable[[dict], str]]] = [
    (re.compile(r"^status → (?P<status>\w+)$"),
     lambda g: _("Status changed to «%(status)s»") % {"status": _status(g["status"])}),
    (re.compile(r"^decision: (?P<outcome>\w+)$"),
     lambda g: _("Decision on the application: %(outcome)s") % {"outcome": _outcome(g["outcome"])}),
    (re.compile(r"^(?P<rule>[A-Z]+-\d+) exclusion$"),
     lambda g: _("Excluded from services under %(rule)s") % g),
    (re.compile(r"^(?P<rule>[A-Z]+-\d+) freeze$"),
     lambda g: _("Services frozen under %(rule)s") % g),
    (re.compile(r"^(?P<rule>[A-Z]+-\d+) lifted$"),
     lambda g: _("Freeze under %(rule)s lifted") % g),
    (re.compile(r"^SC-7 closed$"),
     lambda g: _("File closed after the head of household's death (SC-7)")),
    (re.compile(r"^IN-5 submitted$"),
     lambda g: _("Application submitted for study (IN-5)")),
    (re.compile(r"^BEN-1 referral$"),
     lambda g: _("Referred to another body (BEN-1)")),
    (re.compile(r"^BEN-1: outside the service area$"),
     lambda g: _("Recorded as outside the service area (BEN-1)")),
    (re.compile(r"^RT-2 researcher assigned$"),
     lambda g: _("Researcher assigned (RT-2)")),
    (re.compile(r"^DU-4 reported (?P<date>\d{4}-\d{2}-\d{2})$"),
     lambda g: _("Change reported by the beneficiary on %(date)s (DU-4)") % {"date": _date(g["date"])}),
    (re.compile(r"^intake: contact$"),
     lambda g: _("Intake: contact details")),
    (re.compile(r"^intake: housing and IBAN$"),
     lambda g: _("Intake: housing and bank account")),
]


def describe_reason(reason: str | None) -> str:
    """The stored reason as a sentence in the active language ("" for none)."""
    reason = (reason or "").strip()
    for pattern, say in _PATTERNS:
        match = pattern.match(reason)
        if match:
            return say(match.groupdict())
    return reason
