"""Load rows with PostgreSQL COPY, as pg_restore does: the secondary indexes and foreign keys of
the tables loaded are dropped first and made again at the end (one index build and one join per
foreign key instead of one index update and one lookup per row), all in the caller's transaction.

Rows are generated in Python and streamed with psycopg 3's `cursor.copy(...).write_row`; the
columns a generator does not give take the model field's default, so a new field with a default
never breaks the seed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.db import connection


class Table:
    """COPY rows of `model`: each row gives the values of `names` (attnames, the pk first when
    given); every other concrete column takes its field's default."""

    def __init__(self, model, names: list[str]):
        self.model, self.table = model, model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(names) - set(fields)
        if unknown:
            raise ValueError(f"{self.table}: no such fields {sorted(unknown)}")
        rest = [f for name, f in fields.items() if name not in names and not f.primary_key]
        self.columns = [fields[name].column for name in names] + [f.column for f in rest]
        self.constants = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)

    def load(self, rows: Iterable[tuple], out=None, every: int = 0) -> int:
        """Stream `rows` into the table; return how many were written."""
        columns = ", ".join(f'"{c}"' for c in self.columns)
        count, constants = 0, self.constants
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
            with raw.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy:
                write = copy.write_row
                for row in rows:
                    write(row + constants)
                    count += 1
                    if out and every and count % every == 0:
                        out(f"    {self.table}: {count:,}")
        return count


class Deferred:
    """Drop the secondary indexes and the foreign keys of `tables`; `restore()` makes them again."""

    def __init__(self, tables: list[str]):
        self.tables, self.indexes, self.foreign_keys = tables, [], []

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])", [self.tables])
            self.foreign_keys = cursor.fetchall()
            for table, name, _definition in self.foreign_keys:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            # Indexes that back no constraint (primary keys and unique constraints stay).
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = ANY(%s::regclass[]) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", [self.tables])
            self.indexes = cursor.fetchall()
            for name, _definition in self.indexes:
                cursor.execute(f"DROP INDEX {name}")

    def restore(self, out=print) -> None:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for _name, definition in self.indexes:
                cursor.execute(definition)
            for table, name, definition in self.foreign_keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        out(f"  {len(self.indexes)} indexes and {len(self.foreign_keys)} foreign keys made again "
            f"in {time.perf_counter() - started:.0f} s")


def next_id(model) -> int:
    """The first free primary key of `model`'s table."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT coalesce(max(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608 - a model's table
        return cursor.fetchone()[0]


def reset_sequences(models) -> None:
    """setval each table's id sequence to its largest id, as after a pg_restore."""
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            largest = f'(SELECT coalesce(max(id), 1) FROM "{table}")'  # noqa: S608 - a model's table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), {largest})", [table])
