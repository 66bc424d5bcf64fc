"""Template tags of the dashboard."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def count_link(count, url=None, testid=""):
    """A count in a table cell, linked to the list behind it when there is one (and it is not 0).

    A simple tag rather than an include: the dashboard draws a few hundred of these."""
    testid_attr = format_html(' data-testid="{}"', testid) if testid else ""
    if url and count:
        return format_html('<a href="{}"{}><span class="ltr-data">{}</span></a>', url, testid_attr, count)
    return format_html('<span class="ltr-data text-body-secondary"{}>{}</span>', testid_attr, count)
