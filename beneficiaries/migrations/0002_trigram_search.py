"""Trigram indexes for Arabic name search on PostgreSQL (LIKE '%...%' uses them).

SQLite has no such index; the search works there too, scanning."""

from django.db import migrations

INDEXES = [
    ("beneficiaries_member", "name_search", "beneficiaries_member_name_trgm"),
    ("beneficiaries_beneficiaryfile", "head_name_search", "beneficiaries_file_head_name_trgm"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column, name in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
