"""How the file's history reasons read (status changes, IN-5, BEN-1, RT-2, DU-4, intake steps).

Registered with `charity.history` by `BeneficiariesConfig.ready()`."""

import datetime as dt

from django.utils.translation import gettext as _

from charity import calendar
from charity.history import label_of

from .policy import FileStatus


def _date(value: str) -> str:
    try:
        return calendar.format_dual(dt.date.fromisoformat(value))
    except ValueError:
        return value


REASONS = [
    (r"^status → (?P<status>\w+)$",
     lambda g: _("Status changed to «%(status)s»") % {"status": label_of(FileStatus, g["status"])}),
    (r"^IN-5 submitted$",
     lambda g: _("Application submitted for study (IN-5)")),
    (r"^BEN-1 referral$",
     lambda g: _("Referred to another body (BEN-1)")),
    (r"^BEN-1: outside the service area$",
     lambda g: _("Recorded as outside the service area (BEN-1)")),
    (r"^RT-2 researcher assigned$",
     lambda g: _("Researcher assigned (RT-2)")),
    (r"^DU-4 reported (?P<date>\d{4}-\d{2}-\d{2})$",
     lambda g: _("Change reported by the beneficiary on %(date)s (DU-4)") % {"date": _date(g["date"])}),
    (r"^intake: contact$",
     lambda g: _("Intake: contact details")),
    (r"^intake: housing and IBAN$",
     lambda g: _("Intake: housing and bank account")),
]
