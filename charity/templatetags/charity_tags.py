"""Template filters for dates in both calendars and the reasons on history rows."""

from django import template

from charity import calendar, history, text

register = template.Library()


@register.filter
def dual_date(value):
    """Show a date in Gregorian and Umm al-Qura Hijri: «27/05/2026م — 10 ذو الحجة 1447هـ»."""
    return calendar.format_dual(value) if value else ""


@register.filter
def series(value):
    """A list in a row, with the separator of the current language."""
    return text.series(value or [])


@register.filter
def hijri(value):
    return calendar.format_hijri(value) if value else ""


@register.filter
def gregorian(value):
    return calendar.format_gregorian(value) if value else ""


@register.filter
def change_reason(value):
    """A history row's stored reason as a sentence in the reader's language."""
    return history.describe_reason(value)
