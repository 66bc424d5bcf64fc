"""Golden dates for the Saudi working calendar (RULES.md: "working day", "month"; CP-7)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from charity import calendar
from charity.models import CalendarException

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Across Eid al-Adha 1447 (26 May - 31 May 2026 in the holidays package).
        (D(2026, 5, 21), 15, D(2026, 6, 17)),
        # Across National Day (23 Sep 2025, a Tuesday).
        (D(2025, 9, 21), 15, D(2025, 10, 13)),
        # Across Eid al-Fitr 1447 (19 - 24 Mar 2026).
        (D(2026, 3, 17), 3, D(2026, 3, 26)),
        # Across Founding Day (22 Feb 2026, a Sunday).
        (D(2026, 2, 19), 1, D(2026, 2, 23)),
        # Weekend: Thursday + 1 working day is Sunday.
        (D(2026, 1, 8), 1, D(2026, 1, 11)),
        # Starting on a Friday: the start day is not counted.
        (D(2026, 1, 9), 1, D(2026, 1, 11)),
        # Year end: 31 Dec 2026 is a Thursday.
        (D(2026, 12, 30), 3, D(2027, 1, 4)),
        (D(2026, 1, 4), 0, D(2026, 1, 4)),
    ],
)
def test_add_working_days_golden_dates(start, days, expected):
    assert calendar.add_working_days(start, days) == expected


def test_add_working_days_inverse_of_working_days_between():
    start = D(2026, 5, 21)
    due = calendar.add_working_days(start, 15)
    assert calendar.working_days_between(start, due) == 15
    assert calendar.working_days_between(due, start) == -15


def test_weekend_and_holidays_are_not_working_days():
    assert not calendar.is_working_day(D(2026, 11, 27))  # Friday
    assert not calendar.is_working_day(D(2026, 11, 28))  # Saturday
    assert calendar.is_working_day(D(2026, 11, 29))  # Sunday
    assert not calendar.is_working_day(D(2026, 9, 23))  # National Day
    assert not calendar.is_working_day(D(2026, 2, 22))  # Founding Day


def test_added_closure_day_moves_due_date_by_one():
    start = D(2026, 5, 21)
    before = calendar.add_working_days(start, 15)
    CalendarException.objects.create(date=D(2026, 6, 8), kind=CalendarException.Kind.CLOSURE, name="إغلاق")
    assert calendar.add_working_days(start, 15) == before + dt.timedelta(days=1)


def test_admin_can_move_a_package_holiday():
    # The package's Eid al-Adha 2026 is an estimate: cancel its last observed day and close
    # the following Monday instead.
    start = D(2026, 5, 21)
    before = calendar.add_working_days(start, 15)
    CalendarException.objects.create(date=D(2026, 5, 31), kind=CalendarException.Kind.WORKING_DAY, name="تصحيح")
    assert calendar.is_working_day(D(2026, 5, 31))
    assert calendar.add_working_days(start, 15) == before - dt.timedelta(days=1)
    CalendarException.objects.create(date=D(2026, 6, 1), kind=CalendarException.Kind.HOLIDAY, name="عيد الأضحى")
    assert calendar.add_working_days(start, 15) == before


def test_add_working_days_reads_exceptions_with_one_query():
    with CaptureQueriesContext(connection) as ctx:
        calendar.add_working_days(D(2026, 1, 1), 200)
    assert len(ctx.captured_queries) == 1


def test_working_calendar_reuses_loaded_range_without_queries():
    cal = calendar.calendar_for(D(2026, 1, 1), D(2026, 12, 31))
    with CaptureQueriesContext(connection) as ctx:
        for day in range(1, 28):
            cal.add_working_days(D(2026, 2, day), 10)
    assert ctx.captured_queries == []


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 15), 1, D(2026, 2, 15)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # clamped to the month's end
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2023, 11, 30), 3, D(2024, 2, 29)),  # leap year
    ],
)
def test_add_months_uses_calendar_months(start, months, expected):
    assert calendar.add_months(start, months) == expected


def test_format_dual_in_arabic():
    with translation.override("ar"):
        assert calendar.format_dual(D(2026, 5, 27)) == "27/05/2026م — 10 ذو الحجة 1447هـ"


def test_format_dual_in_english():
    with translation.override("en"):
        assert calendar.format_dual(D(2026, 5, 27)) == "27/05/2026 — 10 Dhu al-Hijjah 1447 AH"


def test_hijri_year_and_out_of_range():
    assert calendar.hijri_year(D(2026, 5, 27)) == 1447
    assert calendar.hijri_year(D(2026, 6, 17)) == 1448
    assert calendar.format_hijri(D(1800, 1, 1)) == ""
    assert calendar.format_dual(D(1800, 1, 1), "ar") == "01/01/1800م"


def test_dual_date_template_filter():
    from django.template import Context, Template

    with translation.override("ar"):
        out = Template("{% load charity_tags %}{{ d|dual_date }}").render(Context({"d": D(2026, 5, 27)}))
    assert out == "27/05/2026م — 10 ذو الحجة 1447هـ"
