"""Readable numbers that restart every Hijri year (files «1448-000123», certificates, complaints)."""

import datetime as dt

from . import calendar


def next_in_hijri_year(sequence_model, today: dt.date, count: int = 1) -> tuple[int, int]:
    """Reserve `count` consecutive numbers from `sequence_model` (fields `year`, `last`) and
    return (Hijri year, the first of them). The sequence's row stays locked until the caller's
    transaction ends, so two callers never get the same number and a rollback gives them back."""
    if count < 1:
        raise ValueError("count must be at least 1")
    year = calendar.hijri_year(today)
    sequence_model.objects.get_or_create(year=year)
    sequence = sequence_model.objects.select_for_update().get(year=year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return year, first
