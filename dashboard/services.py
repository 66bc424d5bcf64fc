"""Changes of state of the dashboard's own data: the stored monthly figures (derived data)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from charity import calendar

from .models import MonthlyFigure
from .monthly import aid_rows, stored_scope

# How far back the closed months are kept; older months are counted live (MAX_MONTHS is 36).
STORED_MONTHS = 48


def refresh_monthly_figures(*, now: dt.datetime) -> int:
    """Recount the stored figures of the closed months (the last STORED_MONTHS before `now`'s
    month) over every file; return the number of rows written. Idempotent: each row is upserted
    with `now` and the month's rows a previous count left behind (a fund no longer paid) removed."""
    current = timezone.localtime(now).date().replace(day=1)
    first, last = calendar.add_months(current, -STORED_MONTHS), calendar.add_days(current, -1)
    rows = [MonthlyFigure(month=dt.date(r["year"], r["number"], 1), figure=MonthlyFigure.Figure.AID_PAID,
                          dimension=r["dimension"] or 0, total=r["total"], count=r["n"], refreshed_at=now)
            for r in aid_rows(stored_scope(), [(first, last)])]
    month = first
    while month <= last:
        rows.append(MonthlyFigure(month=month, figure=MonthlyFigure.Figure.MONTH, refreshed_at=now))
        month = calendar.add_months(month, 1)
    with transaction.atomic():
        MonthlyFigure.objects.bulk_create(rows, batch_size=1000, update_conflicts=True,
                                          unique_fields=["month", "figure", "dimension"],
                                          update_fields=["total", "count", "refreshed_at"])
        MonthlyFigure.objects.filter(month__range=(first, last)).exclude(refreshed_at=now).delete()
        MonthlyFigure.objects.filter(month__lt=first).delete()
    return len(rows)
