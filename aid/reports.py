"""Reads of aid: funds' balances (TK-3), goods in stock (TK-4), household sizes (TK-5) and the
equality report (TK-8). Figures are aggregated in the database, one query per table, never one
per file; only the median and the distribution are computed here from the per-file rows."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, F, FloatField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _

from beneficiaries.models import BeneficiaryFile

from . import policy
from .models import AidPurpose, CashDonation, Disbursement, DisbursementItem, Fund, InKindDonation

MONEY = DecimalField(max_digits=14, decimal_places=2)
CURRENT_MEMBERS = Q(members__left_household_on__isnull=True, members__deceased_on__isnull=True)


# --- TK-3, TK-4, TK-5: balances, stock, household sizes -----------------------------------------


def funds_with_balance(funds=None):
    """TK-3: each fund with `donated`, `committed` (approved and paid cash) and `balance`."""
    donated = (CashDonation.objects.filter(fund=OuterRef("pk")).order_by().values("fund")
               .annotate(t=Sum("amount")).values("t"))
    committed = (Disbursement.objects.filter(fund=OuterRef("pk"), kind=Disbursement.Kind.CASH,
                                             status__in=policy.COMMITTED_STATUSES)
                 .order_by().values("fund").annotate(t=Sum("amount")).values("t"))
    zero = Value(0, output_field=MONEY)
    funds = Fund.objects.all() if funds is None else funds
    return funds.annotate(
        donated=Coalesce(Subquery(donated, output_field=MONEY), zero, output_field=MONEY),
        committed=Coalesce(Subquery(committed, output_field=MONEY), zero, output_field=MONEY),
    ).annotate(balance=F("donated") - F("committed"))


def fund_balance(fund: Fund) -> Decimal:
    """TK-3: the fund's balance = donations − (approved + paid cash disbursements)."""
    balance = funds_with_balance(Fund.objects.filter(pk=fund.pk)).values_list("balance", flat=True).get()
    return Decimal(balance).quantize(policy.CENT)


def donations_with_stock(donations=None):
    """TK-4: each in-kind donation with `given_out` (items of approved and paid aid) and `stock`."""
    given = (DisbursementItem.objects.filter(donation=OuterRef("pk"),
                                             disbursement__status__in=policy.COMMITTED_STATUSES)
             .order_by().values("donation").annotate(t=Sum("quantity")).values("t"))
    donations = InKindDonation.objects.all() if donations is None else donations
    number = IntegerField()
    return donations.annotate(
        given_out=Coalesce(Subquery(given, output_field=number), Value(0), output_field=number),
    ).annotate(stock=F("quantity") - F("given_out"))


def givable_donations():
    """TK-4: goods that passed the safety check and are still in stock."""
    return donations_with_stock(InKindDonation.objects.filter(safety_check=InKindDonation.Check.PASSED)).filter(
        stock__gt=0)


def with_household_size(files):
    """TK-5: annotate `household_size`, the current members of each file (one query)."""
    return files.annotate(household_size=Count("members", filter=CURRENT_MEMBERS, distinct=True))


# --- TK-8: the equality report -----------------------------------------------------------------


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(policy.CENT, ROUND_HALF_UP)


def paid_cash(*, user, start: dt.date, end: dt.date, category=None):
    """TK-8: the cash aid paid in the period to the files `user` may see (optionally one category)."""
    paid = Disbursement.objects.filter(
        status=Disbursement.Status.PAID, kind=Disbursement.Kind.CASH, paid_on__range=(start, end),
        file__in=BeneficiaryFile.objects.visible_to(user),
    )
    if category is not None:
        paid = paid.filter(file__in=BeneficiaryFile.objects.filter(categories=category).values("pk"))
    return paid


def equality_report(*, user, start: dt.date, end: dt.date, category=None) -> dict:
    """TK-8: the aid per household member of each file — each payment divided by the household
    size when it was proposed, summed — with its distribution, the files far from the median,
    and the totals by purpose and by fund."""
    paid = paid_cash(user=user, start=start, end=end, category=category)
    per_member = Sum(Cast("amount", FloatField()) / Cast("household_size", FloatField()))
    rows = list(paid.values("file_id", "file__number", "file__head_name").annotate(
        payments=Count("pk"), total=Sum("amount"), per_member=per_member).order_by("file__number"))
    for row in rows:
        row["total"], row["per_member"] = _money(row["total"]), _money(row["per_member"])
    stats = policy.distribution([row["per_member"] for row in rows])
    for row in rows:
        row["position"] = policy.position(row["per_member"], stats["median"])
    by_purpose = list(paid.values("purpose").annotate(total=Sum("amount"), payments=Count("pk"),
                                                      files=Count("file", distinct=True)).order_by("purpose"))
    for row in by_purpose:
        row["label"], row["total"] = AidPurpose(row["purpose"]).label, _money(row["total"])
    by_fund = list(paid.values("fund_id", "fund__name").annotate(total=Sum("amount"), payments=Count("pk"),
                                                                 files=Count("file", distinct=True))
                   .order_by("fund__name"))
    for row in by_fund:
        row["total"] = _money(row["total"])
    return {
        "start": start, "end": end, "category": category, "rows": rows, "stats": stats,
        "far_above": [r for r in rows if r["position"] == policy.ABOVE],
        "far_below": [r for r in rows if r["position"] == policy.BELOW],
        "by_purpose": by_purpose, "by_fund": by_fund,
        "total": sum((r["total"] for r in rows), Decimal("0")),
    }


def equality_workbook(report: dict) -> bytes:
    """TK-8: the report as an Excel workbook (summary, files, by purpose, by fund)."""
    from charity.xlsx import Sheet, write_workbook

    stats = report["stats"]
    category = report["category"]
    summary = [
        [_("From"), report["start"]], [_("To"), report["end"]],
        [_("Category"), str(category) if category else _("All categories")],
        [_("Files"), stats["count"]], [_("Minimum per member"), stats["min"]],
        [_("Median per member"), stats["median"]], [_("Maximum per member"), stats["max"]],
        [_("Mean per member"), stats["mean"]], [_("Total paid"), report["total"]],
    ]
    labels = {policy.ABOVE: _("Far above the median"), policy.BELOW: _("Far below the median"), "": ""}
    files = [[r["file__number"], r["file__head_name"], r["payments"], r["total"], r["per_member"],
              labels[r["position"]]] for r in report["rows"]]
    by_purpose = [[str(r["label"]), r["files"], r["payments"], r["total"]] for r in report["by_purpose"]]
    by_fund = [[r["fund__name"] or "—", r["files"], r["payments"], r["total"]] for r in report["by_fund"]]
    return write_workbook([
        Sheet(_("Summary"), [_("Figure"), _("Value")], summary, len(summary)),
        Sheet(_("Files"), [_("File"), _("Head of household"), _("Payments"), _("Total paid"), _("Aid per member"),
                           _("Compared with the median")], files, len(files)),
        Sheet(_("By purpose"), [_("Purpose"), _("Files"), _("Payments"), _("Total paid")], by_purpose,
              len(by_purpose)),
        Sheet(_("By fund"), [_("Fund"), _("Files"), _("Payments"), _("Total paid")], by_fund, len(by_fund)),
    ])
