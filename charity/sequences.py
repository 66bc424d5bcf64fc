"""Readable numbers that restart every Hijri year (files «1448-000123», certificates, complaints)."""

import datetime as dt

from . import calendar


def next_in_hijri_year(sequence_model, today: dt.date) -> tuple[int, int]:
    """Return (Hijri year, next number) from `sequence_model` (fields `year`, `last`), locking its
    row for the caller's transaction so that two numbers are never the same."""
    year = calendar.hijri_year(today)
    sequence_model.objects.get_or_create(year=year)
    sequence = sequence_model.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return year, sequence.last
