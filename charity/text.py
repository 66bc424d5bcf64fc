"""Small pieces of text shared by pages, PDFs and messages."""

import unicodedata
from collections.abc import Iterable

from django.utils.translation import gettext


def series(items: Iterable) -> str:
    """Items in a row, with the separator of the current language («، » in Arabic, «, » in English)."""
    # Translators: the separator between the items of a list (Arabic: «، »).
    return gettext(", ").join(str(item) for item in items)


def to_ascii_digits(value: str) -> str:
    """Return `value` with every Unicode decimal digit (Arabic-Indic ٠١٢, Persian ۰۱۲, full-width
    ０１２, Devanagari ०१२, …) written as an ASCII digit: staff and families type either. The one
    function every edge uses (forms, search, the complaint link, «my file», log masking)."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in value or "")
