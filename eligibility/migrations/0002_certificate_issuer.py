"""The issuing association stored on each certificate (name and licence at issue time).

Existing certificates are filled from the profile that was active when each was issued, read
from the profiles' history (django-simple-history); with no history, from the profile active
now, the one that issued them as far as this installation can tell."""

from django.db import migrations, models

FIELDS = ("issuer_name", "issuer_name_en", "issuer_licence")
BATCH = 500


def _issuer(row) -> dict:
    return {"issuer_name": row["name_ar"], "issuer_name_en": row["name_en"] or "",
            "issuer_licence": row["licence_number"] or ""}


def fill_issuer(apps, schema_editor):
    Certificate = apps.get_model("eligibility", "Certificate")
    PolicyProfile = apps.get_model("charity", "PolicyProfile")
    Historical = apps.get_model("charity", "HistoricalPolicyProfile")
    values = ("id", "history_date", "history_type", "is_active", "name_ar", "name_en", "licence_number")
    history = list(Historical.objects.order_by("history_date", "history_id").values(*values))
    current = PolicyProfile.objects.filter(is_active=True).values("name_ar", "name_en", "licence_number").first()
    state, position, batch = {}, 0, []
    # Walk the certificates and the history together, both in time order.
    for certificate in Certificate.objects.order_by("issued_at", "pk").iterator(chunk_size=BATCH):
        while position < len(history) and history[position]["history_date"] <= certificate.issued_at:
            row = history[position]
            state[row["id"]] = None if row["history_type"] == "-" else row
            position += 1
        active = next((row for row in state.values() if row and row["is_active"]), None) or current
        if active is None:
            continue
        for field, value in _issuer(active).items():
            setattr(certificate, field, value)
        batch.append(certificate)
        if len(batch) >= BATCH:
            Certificate.objects.bulk_update(batch, FIELDS)
            batch = []
    if batch:
        Certificate.objects.bulk_update(batch, FIELDS)


class Migration(migrations.Migration):

    dependencies = [
        ("charity", "0006_delivery_status"),
        ("eligibility", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="issuer_licence",
            field=models.CharField(blank=True, max_length=60, verbose_name="issuer's licence number"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="issuer_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="issuing association"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="issuer_name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="issuing association (English)"),
        ),
        migrations.RunPython(fill_issuer, migrations.RunPython.noop),
    ]
