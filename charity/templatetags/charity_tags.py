"""Template filters for dates in both calendars, the reasons on history rows, and whether the
association adopted a section of the policy."""

from django import template

from charity import calendar, history, text
from charity.policy import Section

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


@register.filter
def adopts(profile, section: str) -> bool:
    """PR «Sections per profile»: `{% if association|adopts:"complaints" %}` (False without a profile)."""
    return bool(profile) and profile.adopts(section)


@register.inclusion_tag("charity/partials/section_status.html")
def section_status(profile, section: str):
    """PR «Sections per profile»: the section adopted by which decision, or «not adopted», said
    where its rules are shown (so that no page calls a rule approved that the board never adopted)."""
    adoption = profile.adoptions().get(section) if profile else None
    return {"section": Section(section), "adoption": adoption}
