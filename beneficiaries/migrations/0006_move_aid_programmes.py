"""Aid and programmes left the beneficiaries app for apps of their own (aid/, programmes/).

The tables stay where they are, under their `beneficiaries_` names: this migration only
removes the models from beneficiaries' state, after aid 0001 and programmes 0001 took them
over. Models that point at others go first, so no state ever refers to a removed model."""

from django.db import migrations

MOVED = [
    # history first: its rows point at the models below
    "HistoricalAttendance", "HistoricalNomination", "HistoricalProgramme",
    "HistoricalDisbursement", "HistoricalCampaign", "HistoricalCashDonation", "HistoricalElectronicCard",
    "HistoricalFund", "HistoricalInKindDonation", "HistoricalRecommendation",
    # then each model after every model that points at it
    "Attendance", "Session", "Nomination", "Programme",
    "DisbursementItem", "Disbursement", "Campaign", "CashDonation", "ElectronicCard", "Recommendation",
    "InKindDonation", "Fund",
]


class Migration(migrations.Migration):

    dependencies = [
        ('beneficiaries', '0005_file_submitted_channel_index'),
        ('aid', '0001_initial'),
        ('programmes', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name=name) for name in MOVED],
        ),
    ]
