"""Readable numbers that restart every Hijri year (files «1448-000123», certificates, complaints)."""

import datetime as dt

from django.db import connections, router

from . import calendar


def next_in_hijri_year(sequence_model, today: dt.date, count: int = 1) -> tuple[int, int]:
    """Reserve `count` consecutive numbers from `sequence_model` (fields `year`, `last`, `year`
    unique) and return (Hijri year, the first of them).

    One statement: the year's row is inserted, or its `last` raised, and the new value returned.
    The row stays locked until the caller's transaction ends, so two callers never get the same
    number and a rollback gives them back (PostgreSQL and SQLite both run INSERT … ON CONFLICT
    DO UPDATE … RETURNING)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    year = calendar.hijri_year(today)
    connection = connections[router.db_for_write(sequence_model)]
    quote = connection.ops.quote_name
    table, last = quote(sequence_model._meta.db_table), quote("last")
    sql = (f"INSERT INTO {table} ({quote('year')}, {last}) VALUES (%s, %s) "  # noqa: S608 (names, not input)
           f"ON CONFLICT ({quote('year')}) DO UPDATE SET {last} = {table}.{last} + EXCLUDED.{last} "
           f"RETURNING {last}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, count])
        (new_last,) = cursor.fetchone()
    return year, new_last - count + 1
