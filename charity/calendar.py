"""The Saudi calendar: working days, calendar months and Umm al-Qura Hijri dates.

This module is the only place in the project that does date arithmetic for the policy.
A *working day* is Sunday to Thursday that is not an official holiday (the `holidays`
package's SaudiArabia: Eid al-Fitr, Eid al-Adha, Founding Day, National Day) and not one of
the association's own calendar corrections (the admin-editable `CalendarException` table:
closure days, holidays the package lacks or dates wrongly, and package holidays cancelled).
A *month* is a calendar month counted from the start day (`relativedelta`), never 30 days.

Each public function loads the exceptions it needs with one query; code that computes many
dates at once (sweeps, dashboards) builds one `WorkingCalendar` for the whole range and
reuses it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.utils import timezone, translation
from hijridate import Gregorian

# Python weekday numbers: Monday=0 ... Friday=4, Saturday=5, Sunday=6.
WEEKEND = frozenset({4, 5})
_ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=256)
def official_holidays(year: int) -> dict[dt.date, str]:
    """Return the `holidays` package's Saudi official holidays of `year` (date -> name)."""
    return dict(holidays.SaudiArabia(years=year))


class WorkingCalendar:
    """Working-day arithmetic over a fixed range, with the exceptions loaded once."""

    def __init__(self, first: dt.date, last: dt.date):
        self.first, self.last = first, last
        self._closed: set[dt.date] = set()
        for year in range(first.year, last.year + 1):
            self._closed.update(d for d in official_holidays(year) if first <= d <= last)
        from charity.models import CalendarException  # the table is data; import lazily

        for day, kind in CalendarException.objects.filter(date__range=(first, last)).values_list(
            "date", "kind"
        ):
            if kind == CalendarException.Kind.WORKING_DAY:
                self._closed.discard(day)
            else:
                self._closed.add(day)

    def covers(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    def is_working_day(self, day: dt.date) -> bool:
        if not self.covers(day):
            raise ValueError(f"{day} is outside the loaded range {self.first}..{self.last}")
        return day.weekday() not in WEEKEND and day not in self._closed

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """Return the date `days` working days after `start` (start itself not counted)."""
        step = _ONE_DAY if days >= 0 else -_ONE_DAY
        remaining, day = abs(days), start
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Return the working days after `a` up to and including `b` (negative if b < a)."""
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a
        while day < b:
            day += _ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def _span_for(days: int) -> dt.timedelta:
    # Seven calendar days hold at least five working days; the longest holiday run is about
    # eleven days, so this span always holds the answer. Kept generous and cheap.
    return dt.timedelta(days=abs(days) * 7 // 5 + 45)


def calendar_for(first: dt.date, last: dt.date) -> WorkingCalendar:
    """Return a calendar covering `first`..`last` for repeated computations."""
    return WorkingCalendar(min(first, last), max(first, last))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """Return the date `days` Saudi working days after `start`; the start day is not counted."""
    span = _span_for(days)
    return calendar_for(start - span, start + span).add_working_days(start, days)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Return the number of working days after `a` up to and including `b`."""
    return calendar_for(a, b).working_days_between(a, b)


def is_working_day(day: dt.date) -> bool:
    return calendar_for(day, day).is_working_day(day)


def add_months(start: dt.date, months: int) -> dt.date:
    """Return the same day `months` calendar months later (clamped to the month's end)."""
    return start + relativedelta(months=months)


def add_days(start: dt.date, days: int) -> dt.date:
    """Return the date `days` calendar days after `start`."""
    return start + dt.timedelta(days=days)


def days_between(a: dt.date, b: dt.date) -> int:
    """Return the calendar days from `a` to `b` (negative if b < a)."""
    return (b - a).days


def age_on(birth_date: dt.date | None, day: dt.date) -> int | None:
    """Full years of age on `day` (a birthday counts from that day)."""
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def today() -> dt.date:
    """Return today's date in the project's time zone (Asia/Riyadh)."""
    return timezone.localdate()


def start_of_day(day: dt.date) -> dt.datetime:
    """The aware moment `day` begins in the project's time zone (for filtering datetimes by day)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


# --- Hijri (Umm al-Qura) -------------------------------------------------------------------


def to_hijri(day: dt.date):
    """Return the Umm al-Qura Hijri date of `day`, or None outside the supported range."""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    try:
        return Gregorian(day.year, day.month, day.day).to_hijri()
    except (OverflowError, ValueError):
        return None


def _language() -> str:
    return "ar" if (translation.get_language() or "ar").startswith("ar") else "en"


def format_gregorian(day: dt.date, language: str | None = None) -> str:
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    suffix = "م" if (language or _language()) == "ar" else ""
    return f"{day:%d/%m/%Y}{suffix}"


def format_hijri(day: dt.date, language: str | None = None) -> str:
    """Return e.g. «10 ذو الحجة 1447هـ» (Arabic) or «10 Dhu al-Hijjah 1447 AH» (English)."""
    lang = language or _language()
    hijri = to_hijri(day)
    if hijri is None:
        return ""
    if lang == "ar":
        return f"{hijri.day} {hijri.month_name('ar')} {hijri.year}هـ"
    return f"{hijri.day} {hijri.month_name('en')} {hijri.year} AH"


def format_dual(day: dt.date | None, language: str | None = None) -> str:
    """Return the date in both calendars, e.g. «27/05/2026م — 10 ذو الحجة 1447هـ»."""
    if day is None:
        return ""
    lang = language or _language()
    hijri = format_hijri(day, lang)
    gregorian = format_gregorian(day, lang)
    return f"{gregorian} — {hijri}" if hijri else gregorian


def hijri_year(day: dt.date) -> int:
    """Return the Umm al-Qura year of `day` (used in file numbers such as 1447-000123)."""
    hijri = to_hijri(day)
    if hijri is None:
        raise ValueError(f"{day} is outside the Umm al-Qura range")
    return hijri.year
