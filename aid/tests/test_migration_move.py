"""Aid and programmes left the beneficiaries app without losing a row (issue 11).

The test migrates the database back to the layout before the move (beneficiaries 0005, no aid
or programmes app), seeds every moved table and its history through the historical models of
that layout, migrates forward to the latest state and compares: the same rows in every table
and history table, readable through the new models, and the same people allowed to do the same
things (the permission rows were renamed, not recreated). It ends with the database migrated
to the latest state, as every other test expects."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from aid.models import Campaign, CashDonation, Disbursement, DisbursementItem, ElectronicCard, Fund, Recommendation
from charity.models import User
from charity.roles import Role
from programmes.models import Attendance, Nomination, Programme, Session

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("beneficiaries", "0005_file_submitted_channel_index"), ("aid", None), ("programmes", None)]
AID = ["fund", "cashdonation", "inkinddonation", "campaign", "disbursement", "disbursementitem", "recommendation",
       "electroniccard"]
PROGRAMMES = ["programme", "nomination", "session", "attendance"]
HISTORY = ["historicalfund", "historicalcashdonation", "historicalinkinddonation", "historicalcampaign",
           "historicaldisbursement", "historicalrecommendation", "historicalelectroniccard", "historicalprogramme",
           "historicalnomination", "historicalattendance"]
TABLES = [f"beneficiaries_{name}" for name in AID + PROGRAMMES + HISTORY]
NOW = timezone.make_aware(dt.datetime(2026, 11, 24, 10, 0))
TODAY = NOW.date()


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_apps():
    """The models as they were before the move (aid and programmes inside beneficiaries)."""
    return MigrationExecutor(connection).loader.project_state([BEFORE[0]]).apps


def row_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from this module
            counts[table] = cursor.fetchone()[0]
    return counts


def with_history(apps, instance, changes: int = 2) -> None:
    """Write `changes` history rows of `instance`, as simple-history would have."""
    history = apps.get_model("beneficiaries", f"Historical{type(instance).__name__}")
    values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    for number in range(changes):
        history.objects.create(**values, history_date=NOW + dt.timedelta(minutes=number),
                               history_type="+" if number == 0 else "~", history_change_reason="seeded")


def seed(apps) -> dict:
    """One of every moved record, connected as in real use, each with its history."""
    def get(name):
        return apps.get_model("beneficiaries", name)

    user_model, group_model = apps.get_model("charity", "User"), apps.get_model("auth", "Group")
    manager = user_model.objects.create(username="move-manager", password="!", first_name="مدير")
    approver = user_model.objects.create(username="move-approver", password="!", first_name="معتمد")
    manager.groups.add(group_model.objects.get(name=Role.MANAGER.value))
    old_perm = apps.get_model("auth", "Permission").objects.get(content_type__app_label="beneficiaries",
                                                                  codename="approve_aid")
    approver.user_permissions.add(old_perm)
    file = get("BeneficiaryFile").objects.create(
        number="1448-990001", status="active", head_id_type="national_id", head_id_number="1990000001",
        head_name="أسرة النقل", head_name_search="اسره النقل", channel="office", registered_by=manager,
        mobile="0500000001", iban="SA0380000000608010167519")
    members = [get("Member").objects.create(
        file=file, relationship=relationship, first_name=name, father_name="محمد", grandfather_name="عبدالله",
        family_name="النقل", name_search=name, id_number=f"19900000{i}2", birth_date=dt.date(1990 + 10 * i, 1, 1),
        gender="male") for i, (relationship, name) in enumerate([("head", "سالم"), ("son", "سعد")])]
    rows = {}
    rows["fund"] = get("Fund").objects.create(name="صندوق النقل", purposes=["relief", "food"])
    rows["donations"] = [get("CashDonation").objects.create(fund=rows["fund"], amount=Decimal(a), received_on=TODAY,
                                                            recorded_by=manager) for a in ("1000.00", "250.50")]
    rows["goods"] = get("InKindDonation").objects.create(item="سلة غذائية", quantity=10, received_on=TODAY,
                                                         safety_check="passed", recorded_by=manager)
    rows["campaign"] = get("Campaign").objects.create(
        name="حملة الشتاء", reason="موجة برد", fund=rows["fund"], amount_per_member=Decimal("50.00"),
        purpose="relief", criteria={"files": [file.pk]}, created_by=manager, created_at=NOW)
    rows["paid"] = get("Disbursement").objects.create(
        file=file, kind="cash", purpose="relief", fund=rows["fund"], amount=Decimal("100.00"), iban=file.iban,
        transfer_reference="TRX-1", campaign=rows["campaign"], household_size=2, status="paid",
        proposed_by=manager, proposed_at=NOW, approved_by=approver, approved_at=NOW, paid_on=TODAY,
        paid_by=approver)
    rows["in_kind"] = get("Disbursement").objects.create(file=file, kind="in_kind", purpose="food", household_size=2,
                                                         proposed_by=manager, proposed_at=NOW)
    get("DisbursementItem").objects.create(disbursement=rows["in_kind"], donation=rows["goods"], quantity=3)
    rows["recommendation"] = get("Recommendation").objects.create(
        family_name="أسرة متعففة", city="الرياض", situation="دخل منقطع", recommended_aid="سلة غذائية",
        recommended_by=manager, recommended_at=NOW)
    rows["card"] = get("ElectronicCard").objects.create(file=file, number="MOVE-1", issued_on=TODAY,
                                                       issued_by=manager)
    rows["programme"] = get("Programme").objects.create(
        title="دورة الخياطة", kind="training", capacity=2, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=30),
        coordinator=manager)
    rows["nominations"] = [get("Nomination").objects.create(
        programme=rows["programme"], file=file, member=member, rank=rank, status="accepted", nominated_by=manager,
        nominated_on=TODAY, written_answer="أوافق") for rank, member in enumerate(members, start=1)]
    sessions = [get("Session").objects.create(programme=rows["programme"], held_on=TODAY + dt.timedelta(days=d))
                for d in (1, 8)]
    for session in sessions:
        for nomination in rows["nominations"]:
            get("Attendance").objects.create(session=session, nomination=nomination, mark="present",
                                             recorded_by=manager)
    for model in ("Fund", "CashDonation", "InKindDonation", "Campaign", "Disbursement", "Recommendation",
                  "ElectronicCard", "Programme", "Nomination", "Attendance"):
        for instance in get(model).objects.all():
            with_history(apps, instance)
    return {"manager": manager.pk, "approver": approver.pk, "paid": rows["paid"].pk,
            "approve_aid": old_perm.pk, "card": rows["card"].pk}


def target_already_there(apps) -> int:
    """A content type of the new layout created before the move (a `migrate` run with the new code
    first), holding a permission some group was given: the move must merge it, not fail."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    early = content_type_model.objects.create(app_label="aid", model="electroniccard")
    permission = apps.get_model("auth", "Permission").objects.create(content_type=early, codename="view_electroniccard",
                                                                     name="Can view electronic card")
    group = apps.get_model("auth", "Group").objects.create(name="move-early-group")
    group.permissions.add(permission)
    return group.pk


def report(before: dict, after: dict) -> None:
    print("\nrows per table, before the move → after it (issue 11):")
    for table in TABLES:
        print(f"  {table:<45} {before[table]:>4} → {after[table]:>4}")
    print(f"  total: {sum(before.values())} → {sum(after.values())} rows; history "
          f"{sum(before[f'beneficiaries_{h}'] for h in HISTORY)} → {sum(after[f'beneficiaries_{h}'] for h in HISTORY)}")


def test_moving_aid_and_programmes_loses_no_row_no_history_and_no_permission(record_property):
    try:
        migrate(BEFORE)
        apps = old_apps()
        seeded = seed(apps)
        early_group = target_already_there(apps)
        before = row_counts()
        migrate(latest())
        ContentType.objects.clear_cache()
        after = row_counts()
    finally:
        migrate(latest())
        ContentType.objects.clear_cache()
    report(before, after)
    record_property("rows_before", before)
    record_property("rows_after", after)

    assert after == before
    assert all(count > 0 for count in before.values()), before
    for model, table in [(Fund, "fund"), (CashDonation, "cashdonation"), (Campaign, "campaign"),
                         (Disbursement, "disbursement"), (DisbursementItem, "disbursementitem"),
                         (Recommendation, "recommendation"), (ElectronicCard, "electroniccard"),
                         (Programme, "programme"), (Nomination, "nomination"), (Session, "session"),
                         (Attendance, "attendance")]:
        assert model.objects.count() == after[f"beneficiaries_{table}"], model
        if hasattr(model, "history"):
            assert model.history.count() == after[f"beneficiaries_historical{table}"], model
    paid = Disbursement.objects.select_related("fund", "campaign", "file").get(pk=seeded["paid"])
    assert (paid.fund.name, paid.campaign.name, paid.file.number) == ("صندوق النقل", "حملة الشتاء", "1448-990001")
    assert paid.amount == Decimal("100.00") and paid.history.count() == 2
    assert Attendance.objects.filter(nomination__programme__title="دورة الخياطة").count() == 4

    # Who may do what did not change: the role's group and the user's own permission follow the
    # renamed rows (the same primary keys), and no permission is left under the old label.
    manager, approver = User.objects.get(pk=seeded["manager"]), User.objects.get(pk=seeded["approver"])
    assert manager.has_perm("aid.manage_aid") and manager.has_perm("programmes.manage_programmes")
    assert manager.has_perm("aid.view_disbursement") and manager.has_perm("aid.approve_aid")
    assert approver.has_perm("aid.approve_aid") and not approver.has_perm("aid.manage_aid")
    assert Permission.objects.get(pk=seeded["approve_aid"]).content_type.app_label == "aid"
    moved = AID + PROGRAMMES + HISTORY
    assert not ContentType.objects.filter(app_label="beneficiaries", model__in=moved).exists()
    assert ContentType.objects.filter(app_label="aid", model="electroniccard").count() == 1
    early = Permission.objects.filter(group__pk=early_group).get()
    assert (early.content_type.app_label, early.codename) == ("aid", "view_electroniccard")
