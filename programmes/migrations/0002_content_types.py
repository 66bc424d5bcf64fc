"""Rename the content types of the programmes models from `beneficiaries` to `programmes`.

Their permissions (beneficiaries.manage_programmes → programmes.manage_programmes, …) are the
same rows, so every group and user keeps what it may do (charity/moves.py)."""

from django.db import migrations

from charity.moves import move_content_types

MODELS = ["programme", "nomination", "session", "attendance"]
HISTORY = ["historicalprogramme", "historicalnomination", "historicalattendance"]


def forwards(apps, schema_editor):
    move_content_types(apps, from_label="beneficiaries", to_label="programmes", models=MODELS + HISTORY)


def backwards(apps, schema_editor):
    move_content_types(apps, from_label="programmes", to_label="beneficiaries", models=MODELS + HISTORY)


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
