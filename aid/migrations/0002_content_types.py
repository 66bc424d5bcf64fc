"""Rename the content types of the aid models from `beneficiaries` to `aid`.

Their permissions (beneficiaries.manage_aid → aid.manage_aid, …) are the same rows, so every
group and user keeps what it may do (charity/moves.py)."""

from django.db import migrations

from charity.moves import move_content_types

MODELS = ["fund", "cashdonation", "inkinddonation", "campaign", "disbursement", "disbursementitem",
          "recommendation", "electroniccard"]
HISTORY = ["historicalfund", "historicalcashdonation", "historicalinkinddonation", "historicalcampaign",
           "historicaldisbursement", "historicalrecommendation", "historicalelectroniccard"]


def forwards(apps, schema_editor):
    move_content_types(apps, from_label="beneficiaries", to_label="aid", models=MODELS + HISTORY)


def backwards(apps, schema_editor):
    move_content_types(apps, from_label="aid", to_label="beneficiaries", models=MODELS + HISTORY)


class Migration(migrations.Migration):

    dependencies = [
        ('aid', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
