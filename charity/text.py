"""Small pieces of text shared by pages, PDFs and messages."""

from collections.abc import Iterable

from django.utils.translation import gettext


def series(items: Iterable) -> str:
    """Items in a row, with the separator of the current language («، » in Arabic, «, » in English)."""
    # Translators: the separator between the items of a list (Arabic: «، »).
    return gettext(", ").join(str(item) for item in items)
