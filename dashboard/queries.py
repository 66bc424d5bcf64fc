"""The executive director's figures (GO-1…GO-6), each a function of (user, period, today).

GO-1 need and few steps: files by status and category, decisions past their target, caseload.
GO-2 electronic service, GO-3 several channels, GO-4 served where they are: applications by
channel, complaints by web link or paper, home visits made at the first attempt. GO-5
satisfaction by month. GO-6 trust: complaints ruled on time and the median ruling time.

Every figure is counted through the same scope as the list it links to:
BeneficiaryFile.objects.visible_to(user) (RT-6, RT-10) and Complaint.objects.visible_to(user)
(CP-8), so nobody learns from a number what the list would hide from them. Each function runs
a fixed number of queries, whatever the amount of data: counts and sums are grouped in the
database (annotate with Count/Sum, TruncMonth); the dates of the complaints ruled in the period
are read once and serve both the monthly share and the median in working days.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from beneficiaries.models import BeneficiaryFile
from beneficiaries.policy import OPEN_STATUSES, FileStatus
from charity import calendar
from charity.models import Category
from charity.policy import AT_THE_OFFICE, ELECTRONIC_CHANNELS, Channel
from complaints.models import Suggestion
from complaints.policy import COMPLAINTS_DUE_SOON, due_soon_window
from complaints.policy import OPEN_STATUSES as OPEN_COMPLAINT_STATUSES
from complaints.policy import Source as ComplaintSource
from complaints.policy import Status as ComplaintStatus
from eligibility.models import Exclusion, FieldVisit, Freeze
from eligibility.policy import FREEZES_ENDING_SOON

from .monthly import aid_by_month, monthly_series, satisfaction_by_month
from .scopes import DEFAULT_MONTHS, Period, complaints_for, files_for, in_visible_files, surveys_for

__all__ = ["DEFAULT_MONTHS", "Period", "aid_by_month", "dashboard", "satisfaction_by_month", "surveys_for"]
# The names of the figures whose definition holds a number (the dashboard, its PDF and workbook).
LABELS = {"freezes_soon": FREEZES_ENDING_SOON, "complaints_due_soon": COMPLAINTS_DUE_SOON}
MAX_MONTHS = 36


# --- Files (GO-1, IN-5) ---------------------------------------------------------------------


def _files_by_status_and_researcher(user) -> list[dict]:
    """One pass over the (researcher, status) index: counts by status and by researcher."""
    return list(files_for(user).values("status", "researcher").annotate(n=Count("*")).order_by())


def file_figures(user, today: dt.date, rows: list[dict] | None = None) -> dict:
    """Files by status, applications awaiting a decision and those past their target (IN-5)."""
    rows = _files_by_status_and_researcher(user) if rows is None else rows
    counts = Counter()
    for row in rows:
        counts[row["status"]] += row["n"]
    return {
        "total": sum(counts.values()),
        "by_status": [{"status": status, "count": counts[status]} for status in FileStatus],
        "open": sum(counts[status] for status in OPEN_STATUSES),
        "active": counts[FileStatus.ACTIVE],
        "awaiting_decision": counts[FileStatus.UNDER_STUDY],
        # Its own query: the (status, decision_due_on) index answers it in a millisecond, where
        # a conditional count in the grouped query above would read every row.
        "overdue": files_for(user).overdue(today).count(),
    }


def files_by_category(user) -> list[dict]:
    """GO-1: for each category, the files by status (a file counts once under each of its categories)."""
    Link = BeneficiaryFile.categories.through  # noqa: N806
    rows = (Link.objects.filter(in_visible_files(user, Link, "beneficiaryfile"))
            .values("category", "beneficiaryfile__status").annotate(n=Count("*")).order_by())
    found: dict[int, dict] = {}
    for row in rows:
        entry = found.setdefault(row["category"], {"total": 0, "by_status": {}})
        entry["total"] += row["n"]
        entry["by_status"][row["beneficiaryfile__status"]] = row["n"]
    categories = Category.objects.filter(pk__in=list(found)).order_by("rule", "pk") if found else []
    return [{"category": category, **found[category.pk]} for category in categories]


def caseload(user, rows: list[dict] | None = None) -> list[dict]:
    """Open files assigned to each social researcher, by status, the heaviest caseload first."""
    rows = _files_by_status_and_researcher(user) if rows is None else rows
    found: dict[int, dict] = {}
    for row in rows:
        if row["researcher"] is None or row["status"] not in OPEN_STATUSES:
            continue
        entry = found.setdefault(row["researcher"], {"researcher_id": row["researcher"], "total": 0,
                                                     "by_status": {}})
        entry["total"] += row["n"]
        entry["by_status"][row["status"]] = row["n"]
    names = get_user_model().objects.filter(pk__in=list(found)) if found else []
    for researcher in names:
        found[researcher.pk]["name"] = str(researcher)
    return sorted(found.values(), key=lambda e: (-e["total"], e.get("name", "")))


# --- Complaints (CP-7, GO-6) ----------------------------------------------------------------


def complaint_figures(user, today: dt.date, period: Period | None = None) -> dict:
    """Open complaints (by status), those due within a week and those past the ruling date; and,
    for GO-2, the complaints received in the period by the way they came (web link or paper)."""
    period = period or Period.default(today)
    running = Q(status=ComplaintStatus.UNDER_REVIEW)
    counts = {status.value: Count("pk", filter=Q(status=status)) for status in ComplaintStatus}
    received = Q(received_on__range=(period.start, period.end))
    sources = {f"source_{source.value}": Count("pk", filter=received & Q(source=source))
               for source in ComplaintSource}
    row = complaints_for(user).aggregate(
        **counts, **sources,
        due_week=Count("pk", filter=running & Q(due_on__range=due_soon_window(today))),
        overdue=Count("pk", filter=running & Q(due_on__lt=today)),
    )
    by_source = [{"source": source, "count": row[f"source_{source.value}"]} for source in ComplaintSource]
    received_total = sum(r["count"] for r in by_source)
    return {
        "by_source": by_source, "received": received_total,
        "web_share": _share(row[f"source_{ComplaintSource.WEB.value}"], received_total),
        "open": sum(row[status] for status in OPEN_COMPLAINT_STATUSES),
        "open_by_status": [{"status": ComplaintStatus(status), "count": row[status]}
                           for status in OPEN_COMPLAINT_STATUSES],
        "due_week": row["due_week"],
        "overdue": row["overdue"],
    }


def ruled_in(user, period: Period) -> list[tuple]:
    """(clock start, ruling day, due day) of each complaint ruled in the period: one query that
    serves both the monthly share and the median (CP-7)."""
    return list(complaints_for(user).filter(ruled_on__range=(period.start, period.end))
                .values_list("clock_started_on", "ruled_on", "due_on").order_by())


def rulings_by_month(user, period: Period, rows: list[tuple] | None = None) -> list[dict]:
    """CP-7: complaints ruled each month and the share ruled by their due date (ruled_on ≤ due_on)."""
    rows = ruled_in(user, period) if rows is None else rows
    ruled, on_time = Counter(), Counter()
    for _started, ruled_on, due_on in rows:
        if due_on is not None:
            key = (ruled_on.year, ruled_on.month)
            ruled[key] += 1
            on_time[key] += ruled_on <= due_on
    result = []
    for month in period.months():
        key = (month.year, month.month)
        share = round(100 * on_time[key] / ruled[key], 1) if ruled[key] else None
        result.append({"month": month, "ruled": ruled[key], "on_time": on_time[key], "share": share})
    return result


def _working_day_index(first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Map each day of first..last to the working days since `first`, with ONE calendar load."""
    cal = calendar.calendar_for(first, last)
    index, count, day = {}, 0, first
    while day <= last:
        if day != first and cal.is_working_day(day):
            count += 1
        index[day] = count
        day = calendar.add_days(day, 1)
    return index


def ruling_times(user, period: Period, rows: list[tuple] | None = None) -> dict:
    """CP-7: the median ruling time in working days (clock start to ruling), overall and by month."""
    rows = ruled_in(user, period) if rows is None else rows
    rows = [(started, ruled) for started, ruled, _due in rows if started is not None]
    months = period.months()
    if not rows:
        return {"median": None, "count": 0, "by_month": [{"month": m, "median": None} for m in months]}
    starts, ends = [r[0] for r in rows], [r[1] for r in rows]
    index = _working_day_index(min(min(starts), min(ends)), max(max(starts), max(ends)))
    per_month: dict[tuple, list[int]] = {}
    for started, ruled in rows:
        per_month.setdefault((ruled.year, ruled.month), []).append(index[ruled] - index[started])
    every = [days for values in per_month.values() for days in values]
    return {
        "median": statistics.median(every), "count": len(every),
        "by_month": [{"month": m, "median": statistics.median(per_month[(m.year, m.month)])
                      if (m.year, m.month) in per_month else None} for m in months],
    }


# --- Reach (GO-2, GO-3, GO-4) ---------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def applications_by_channel(user, period: Period) -> dict:
    """GO-2, GO-3, GO-4: the applications submitted in the period, by the channel they came
    through (IN-9): how many channels are used, the electronic share, and the share that spared
    the family a trip to the office."""
    start, end = period.datetimes()
    rows = (files_for(user).filter(submitted_at__gte=start, submitted_at__lt=end)
            .values("channel").annotate(n=Count("*")).order_by())
    counts = {row["channel"]: row["n"] for row in rows}
    total = sum(counts.values())
    return {
        "rows": [{"channel": channel, "count": counts[channel.value],
                  "electronic": channel in ELECTRONIC_CHANNELS}
                 for channel in Channel if counts.get(channel.value)],
        "total": total,
        "channels_used": len([c for c in counts.values() if c]),
        "electronic_share": _share(sum(counts.get(c.value, 0) for c in ELECTRONIC_CHANNELS), total),
        "away_from_office_share": _share(total - counts.get(AT_THE_OFFICE.value, 0), total),
    }


def field_visits(user, period: Period) -> dict:
    """GO-4, EL-2: home visits due in the period: made, nobody home (a trip lost for the family
    and the researcher), still to come; and the share made at the first attempt."""
    rows = (FieldVisit.objects.filter(in_visible_files(user, FieldVisit),
                                      scheduled_for__range=(period.start, period.end))
            .values("status").annotate(n=Count("pk")).order_by())
    counts = {row["status"]: row["n"] for row in rows}
    made, missed = counts.get(FieldVisit.Status.COMPLETED, 0), counts.get(FieldVisit.Status.NOBODY_HOME, 0)
    return {"completed": made, "nobody_home": missed, "scheduled": counts.get(FieldVisit.Status.SCHEDULED, 0),
            "made_share": _share(made, made + missed)}


# --- Service controls (SC-6, SC-12, SC-2…SC-12) ---------------------------------------------


def freezes_ending_soon(user, today: dt.date) -> int:
    """Open freezes ending within the next FREEZE_SOON_DAYS days: the freezes list with «soon»."""
    return Freeze.objects.filter(in_visible_files(user, Freeze)).ending_soon(today).count()


def exclusions_by_rule(user, month: dt.date) -> list[dict]:
    """Exclusions decided in the calendar month of `month`, by rule (SC-2…SC-12)."""
    span = Period.month(month)
    rows = (Exclusion.objects.filter(in_visible_files(user, Exclusion), decided_on__range=(span.start, span.end))
            .values("rule").annotate(n=Count("pk")).order_by())
    return sorted(({"rule": r["rule"], "count": r["n"]} for r in rows), key=lambda r: _rule_order(r["rule"]))


def _rule_order(rule: str):
    prefix, _, number = rule.partition("-")
    return (prefix, int(number)) if number.isdigit() else (prefix, 0)


# --- Everything at once ---------------------------------------------------------------------


def dashboard(user, period: Period, today: dt.date) -> dict:
    """Every figure of the dashboard, in a fixed number of queries (shared scans computed once)."""
    file_rows, ruled = _files_by_status_and_researcher(user), ruled_in(user, period)
    rulings, times = rulings_by_month(user, period, ruled), ruling_times(user, period, ruled)
    for row, month in zip(rulings, times["by_month"], strict=True):
        row["median"] = month["median"]
    return {
        "period": period, "today": today,
        "files": file_figures(user, today, file_rows),
        "categories": files_by_category(user),
        "caseload": caseload(user, file_rows),
        "complaints": complaint_figures(user, today, period),
        # DU-12: views and suggestions received in the period, by channel (for those who handle them).
        "suggestions": Suggestion.objects.visible_to(user).by_channel(period.start, period.end),
        "applications": applications_by_channel(user, period),
        "visits": field_visits(user, period),
        "rulings": rulings,
        "ruling_times": times,
        "freezes_soon": freezes_ending_soon(user, today),
        "exclusions": exclusions_by_rule(user, today),
        "exclusions_month": today.replace(day=1),
        # TK-1, TK-3, GO-5: closed months from the stored figures where they may serve, in two queries.
        **monthly_series(user, period, today),
    }
