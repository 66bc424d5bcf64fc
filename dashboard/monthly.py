"""TK-1, TK-3 aid paid and GO-5, SAT-2 satisfaction, by month of the dashboard's period.

Aid paid by month and fund was the dashboard's biggest scan (every paid disbursement of the
period: about 400,000 rows at the bench). For a user who may see every file, each closed month
the period covers whole is read from MonthlyFigure, which dashboard.services.refresh_monthly_figures
recounts every 10 minutes (charity/schedule.py); the page shows when. The current month, a month
the period cuts, a month not stored yet and every user with a narrower scope are counted live,
from the same function the refresh uses, so a stored month holds what the live count gives.

The live aid, the satisfaction series (always live: CP-8 hides some complaints' surveys from
some users) and the funds' names go in ONE statement (UNION ALL): the page runs the same number
of queries whichever way the months are served.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import CharField, Count, DecimalField, F, IntegerField, Q, Sum, Value
from django.db.models.functions import ExtractMonth, ExtractYear

from aid.models import Disbursement, Fund
from charity import calendar

from .models import MonthlyFigure
from .scopes import Period, every_file, in_visible_files, sees_every_file, surveys_for

AID, SATISFACTION, FUND = "aid", "satisfaction", "fund"
COLUMNS = ("figure", "year", "number", "dimension", "name")


def month_end(month: dt.date) -> dt.date:
    return calendar.add_days(calendar.add_months(month.replace(day=1), 1), -1)


def _in_ranges(field: str, ranges: list[tuple[dt.date, dt.date]]) -> Q:
    condition = Q(pk__in=[])  # no range: no row (Django leaves an empty branch out of a UNION)
    for start, end in ranges:
        condition |= Q(**{f"{field}__range": (start, end)})
    return condition


def aid_rows(scope: Q, ranges: list[tuple[dt.date, dt.date]]):
    """Paid disbursements in `ranges` (dates, both ends included) within `scope`: the sum and the
    number by (year, month) of payment and fund. The live count and the stored one both use it."""
    return (Disbursement.objects.filter(scope, _in_ranges("paid_on", ranges), status=Disbursement.Status.PAID)
            .annotate(figure=Value(AID), year=ExtractYear("paid_on"), number=ExtractMonth("paid_on"),
                      dimension=F("fund"), name=Value(None, output_field=CharField()))
            .values(*COLUMNS).annotate(total=Sum("amount"), n=Count("*")).order_by())


def _satisfaction_rows(user, period: Period):
    start, end = period.datetimes()
    return (surveys_for(user).filter(sent_at__gte=start, sent_at__lt=end, overall__isnull=False)
            .annotate(figure=Value(SATISFACTION), year=ExtractYear("sent_at"), number=ExtractMonth("sent_at"),
                      dimension=Value(0), name=Value(None, output_field=CharField()))
            .values(*COLUMNS).annotate(total=Sum("overall"), n=Count("pk")).order_by())


def _fund_rows():
    """Every fund's name (a short table), so that no other query looks them up."""
    return (Fund.objects.annotate(figure=Value(FUND), year=Value(0), number=Value(0), dimension=F("pk"))
            .values(*COLUMNS).annotate(total=Value(0, output_field=DecimalField()),
                                       n=Value(0, output_field=IntegerField())).order_by())


def _stored(user, period: Period, today: dt.date | None) -> tuple[dict, list, dt.datetime | None]:
    """The stored months the period covers whole, and their aid by fund: (month → rows, months, as of)."""
    current = (today or period.start).replace(day=1)
    candidates = [m for m in period.months() if today is not None and m < current
                  and period.start <= m and month_end(m) <= period.end]
    if not candidates or not sees_every_file(user):
        return {}, [], None
    rows = MonthlyFigure.objects.filter(month__in=candidates).values_list(
        "month", "figure", "dimension", "total", "count", "refreshed_at")
    stored, as_of = {}, None
    for month, figure, dimension, total, count, refreshed_at in rows:
        if figure == MonthlyFigure.Figure.MONTH:
            stored.setdefault(month, [])
            as_of = refreshed_at if as_of is None else min(as_of, refreshed_at)
        else:
            stored.setdefault(month, []).append((dimension or None, total, count))
    return stored, [m for m in candidates if m in stored], as_of


def _live_ranges(period: Period, served: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """The parts of the period not served by stored months, adjacent months joined."""
    ranges: list[list[dt.date]] = []
    for month in period.months():
        if month in served:
            continue
        start, end = max(month, period.start), min(month_end(month), period.end)
        if ranges and calendar.add_days(ranges[-1][1], 1) == start:
            ranges[-1][1] = end
        else:
            ranges.append([start, end])
    return [(start, end) for start, end in ranges]


def monthly_series(user, period: Period, today: dt.date | None = None) -> dict:
    """{"aid": ..., "satisfaction": ...} over the period: stored months where they may serve
    (only when `today` is given), the rest live. Two queries at most."""
    stored, served, as_of = _stored(user, period, today)
    live = aid_rows(in_visible_files(user, Disbursement), _live_ranges(period, served))
    rows = list(live.union(_satisfaction_rows(user, period), _fund_rows(), all=True))
    months = period.months()
    aid_cells = [(dt.date(r["year"], r["number"], 1), r["dimension"], r["total"], r["n"])
                 for r in rows if r["figure"] == AID]
    aid_cells += [(month, fund, total, count) for month, cells in stored.items() for fund, total, count in cells]
    names = {r["dimension"]: r["name"] for r in rows if r["figure"] == FUND}
    answers = {dt.date(r["year"], r["number"], 1): r for r in rows if r["figure"] == SATISFACTION}
    aid = _aid(months, aid_cells, names)
    aid.update(as_of=as_of, stored_months=len(served))
    satisfaction = [{"month": m, "average": round(float(answers[m]["total"]) / answers[m]["n"], 2)
                     if m in answers else None, "answers": answers[m]["n"] if m in answers else 0} for m in months]
    return {"aid": aid, "satisfaction": satisfaction}


def _aid(months: list[dt.date], cells, names: dict) -> dict:
    funds: dict = {}
    for month, fund_id, total, count in cells:
        fund = funds.setdefault(fund_id, {"fund_id": fund_id, "name": names.get(fund_id),
                                          "totals": dict.fromkeys(months, 0), "total": 0, "count": 0})
        fund["totals"][month] = Decimal(total)
        fund["total"] += Decimal(total)
        fund["count"] += count
    ordered = sorted(funds.values(), key=lambda f: (f["fund_id"] is None, f["name"] or ""))
    for fund in ordered:
        fund["by_month"] = [fund["totals"][m] for m in months]
    return {"months": months, "funds": ordered, "total": sum(f["total"] for f in ordered),
            "count": sum(f["count"] for f in ordered)}


def aid_by_month(user, period: Period, today: dt.date | None = None) -> dict:
    """Paid disbursements: the sum of amounts by month of payment and by fund."""
    return monthly_series(user, period, today)["aid"]


def satisfaction_by_month(user, period: Period) -> list[dict]:
    """GO-5, SAT-2: the average overall satisfaction (1–5) of the answered surveys, by month of
    sending, as on the satisfaction results page."""
    return monthly_series(user, period)["satisfaction"]


def stored_scope() -> Q:
    """The disbursements the stored figures count: those of every file."""
    return every_file(Disbursement)
