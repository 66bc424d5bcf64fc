"""Excel exports of the dashboard's figures and of the lists behind them, and the board's
monthly PDF report.

Every list is read through the same scope as the page it comes from (RT-6, RT-10, CP-8), as
the user who asked for it. Exports run in a worker (dashboard/tasks.py) with their progress
on the ExportJob row; their downloads are logged (charity.models.AccessLog, EXPORT).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from aid.models import Disbursement
from beneficiaries.pdf import render_pdf
from beneficiaries.policy import OPEN_STATUSES, FileStatus
from charity import calendar, replica
from charity.queue import enqueue
from charity.xlsx import Sheet, write_workbook
from complaints.policy import OPEN_STATUSES as OPEN_COMPLAINT_STATUSES
from complaints.policy import Status as ComplaintStatus
from eligibility.models import Exclusion, Freeze

from . import queries
from .models import ExportJob
from .queries import Period

logger = logging.getLogger(__name__)
CHUNK = 2000
NOT_QUEUED_ERROR = "not_queued"  # the export never reached the background queue
KEEP_DAYS = 7  # how long a finished workbook stays on the disk for its owner to download
# --- The figures ----------------------------------------------------------------------------


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def _figure_sheets(figures: dict) -> list[Sheet]:
    files, complaints = figures["files"], figures["complaints"]
    summary = [
        (_t("Files"), files["total"]), (_t("Open files"), files["open"]),
        (_t("Applications awaiting a decision"), files["awaiting_decision"]),
        (_t("Applications past their decision target"), files["overdue"]),
        (_t("Open complaints"), complaints["open"]),
        (str(queries.LABELS["complaints_due_soon"]), complaints["due_week"]),
        (_t("Overdue complaints"), complaints["overdue"]),
        (_t("Median ruling time (working days)"), figures["ruling_times"]["median"]),
        (str(queries.LABELS["freezes_soon"]), figures["freezes_soon"]),
        (_t("Aid paid (SAR)"), figures["aid"]["total"]),
    ]
    summary += [(str(r["status"].label), r["count"]) for r in files["by_status"]]
    statuses = list(FileStatus)
    sheets = [
        Sheet(_t("Summary"), [_t("Figure"), _t("Value")], summary, len(summary)),
        Sheet(_t("Categories"), [_t("Category"), _t("Files"), *[s.label for s in statuses]],
              [(c["category"].name, c["total"], *[c["by_status"].get(s, 0) for s in statuses])
               for c in figures["categories"]], len(figures["categories"])),
        Sheet(_t("Caseload"), [_t("Social researcher"), _t("Open files"), *[s.label for s in OPEN_STATUSES]],
              [(r["name"], r["total"], *[r["by_status"].get(s, 0) for s in OPEN_STATUSES])
               for r in figures["caseload"]], len(figures["caseload"])),
    ]
    return sheets + _series_sheets(figures) + [_reach_sheet(figures)]


def _reach_sheet(figures: dict) -> Sheet:
    """GO-2, GO-3, GO-4 over the period: applications by channel, complaints by source, visits."""
    applications, visits = figures["applications"], figures["visits"]
    rows = [(str(r["channel"].label), r["count"]) for r in applications["rows"]]
    rows += [(str(r["source"].label), r["count"]) for r in figures["complaints"]["by_source"]]
    rows += [
        (_t("Applications made electronically (%)"), applications["electronic_share"]),
        (_t("Applications without a trip to the office (%)"), applications["away_from_office_share"]),
        (_t("Complaints filed through the web link (%)"), figures["complaints"]["web_share"]),
        (_t("Home visits made"), visits["completed"]), (_t("Nobody home"), visits["nobody_home"]),
        (_t("Home visits made at the first attempt (%)"), visits["made_share"]),
    ]
    return Sheet(_t("Reach"), [_t("Figure"), _t("Value")], rows, len(rows))


def _series_sheets(figures: dict) -> list[Sheet]:
    rulings = [(_month(r["month"]), r["ruled"], r["on_time"], r["share"], r["median"])
               for r in figures["rulings"]]
    aid = figures["aid"]
    aid_rows = [(f["name"] or _t("No fund"), *f["by_month"], f["total"]) for f in aid["funds"]]
    satisfaction = [(_month(s["month"]), s["average"], s["answers"]) for s in figures["satisfaction"]]
    exclusions = [(e["rule"], e["count"]) for e in figures["exclusions"]]
    return [
        Sheet(_t("Complaint rulings"), [_t("Month"), _t("Ruled"), _t("Ruled on time"), _t("Share on time (%)"),
                                        _t("Median ruling time (working days)")], rulings, len(rulings)),
        Sheet(_t("Aid"), [_t("Fund"), *[_month(m) for m in aid["months"]], _t("Total")], aid_rows, len(aid_rows)),
        Sheet(_t("Satisfaction"), [_t("Month"), _t("Average (1-5)"), _t("Answers")], satisfaction,
              len(satisfaction)),
        Sheet(_t("Exclusions"), [_t("Rule"), _t("Exclusions")], exclusions, len(exclusions)),
    ]


def figures_export(user, period: Period, today: dt.date) -> list[Sheet]:
    return _figure_sheets(queries.dashboard(user, period, today))


# --- The lists behind the figures -----------------------------------------------------------


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    return value


def _file_sheet(title, queryset) -> Sheet:
    queryset = queryset.select_related("researcher").prefetch_related("categories").order_by("pk")
    rows = ((f.number, f.head_name, f.get_status_display(), "، ".join(c.name for c in f.categories.all()),
             str(f.researcher or ""), f.city, _date(f.submitted_at), f.decision_due_on)
            for f in queryset.iterator(chunk_size=CHUNK))
    headers = [_t("File number"), _t("Head of household"), _t("Status"), _t("Categories"), _t("Social researcher"),
               _t("City"), _t("Submitted on"), _t("Decision due on")]
    return Sheet(title, headers, rows, queryset.count())


def files_export(user, period, today) -> list[Sheet]:
    return [_file_sheet(_t("Files"), queries.files_for(user))]


def overdue_files_export(user, period, today) -> list[Sheet]:
    return [_file_sheet(_t("Overdue applications"), queries.files_for(user).overdue(today))]


def _is_overdue(complaint, today: dt.date) -> bool:
    """CP-7: still under review after the ruling date (Complaint.objects.overdue)."""
    running = complaint.status == ComplaintStatus.UNDER_REVIEW
    return running and complaint.due_on is not None and complaint.due_on < today


def _complaint_sheet(title, queryset, today) -> Sheet:
    queryset = queryset.select_related("assigned_to").order_by("due_on", "pk")
    rows = ((c.tracking_number, c.get_kind_display(), c.subject, c.get_status_display(), c.received_on, c.due_on,
             str(c.assigned_to or ""), _t("Yes") if _is_overdue(c, today) else _t("No"))
            for c in queryset.iterator(chunk_size=CHUNK))
    headers = [_t("Tracking number"), _t("Kind"), _t("Subject"), _t("Status"), _t("Received on"),
               _t("Ruling due on"), _t("Examined by"), _t("Overdue")]
    return Sheet(title, headers, rows, queryset.count())


def open_complaints_export(user, period, today) -> list[Sheet]:
    scope = queries.complaints_for(user).filter(status__in=OPEN_COMPLAINT_STATUSES)
    return [_complaint_sheet(_t("Open complaints"), scope, today)]


def overdue_complaints_export(user, period, today) -> list[Sheet]:
    return [_complaint_sheet(_t("Overdue complaints"), queries.complaints_for(user).overdue(today), today)]


def freezes_export(user, period, today) -> list[Sheet]:
    queryset = (Freeze.objects.filter(file__in=queries.files_for(user)).ending_soon(today)
                .select_related("file").order_by("ends_on", "pk"))
    rows = ((f.file.number, f.file.head_name, f.rule, f.started_on, f.ends_on, calendar.days_between(today, f.ends_on))
            for f in queryset.iterator(chunk_size=CHUNK))
    headers = [_t("File number"), _t("Head of household"), _t("Rule"), _t("Started on"), _t("Ends on"),
               _t("Days left")]
    return [Sheet(_t("Freezes ending soon"), headers, rows, queryset.count())]


def exclusions_export(user, period, today) -> list[Sheet]:
    span = Period.month(today)
    queryset = (Exclusion.objects.filter(file__in=queries.files_for(user), decided_on__range=(span.start, span.end))
                .select_related("file", "decided_by").order_by("decided_on", "pk"))
    rows = ((e.file.number, e.file.head_name, e.rule, e.decided_on, str(e.decided_by or ""))
            for e in queryset.iterator(chunk_size=CHUNK))
    headers = [_t("File number"), _t("Head of household"), _t("Rule"), _t("Decision date"), _t("Decided by")]
    return [Sheet(_t("Exclusions this month"), headers, rows, queryset.count())]


def disbursements_export(user, period, today) -> list[Sheet]:
    queryset = (Disbursement.objects.filter(status=Disbursement.Status.PAID,
                                            paid_on__range=(period.start, period.end),
                                            file__in=queries.files_for(user))
                .select_related("file", "fund").order_by("paid_on", "pk"))
    rows = ((d.file.number, str(d.fund or _t("No fund")), d.get_purpose_display(), d.get_kind_display(), d.amount,
             d.paid_on) for d in queryset.iterator(chunk_size=CHUNK))
    headers = [_t("File number"), _t("Fund"), _t("Purpose"), _t("Kind"), _t("Amount (SAR)"), _t("Paid on")]
    return [Sheet(_t("Aid paid"), headers, rows, queryset.count())]


@dataclass(frozen=True)
class Export:
    label: str
    build: Callable[..., list[Sheet]]


EXPORT_KINDS: dict[str, Export] = {
    "figures": Export(_("The dashboard's figures"), figures_export),
    "files": Export(_("Beneficiary files"), files_export),
    "overdue_files": Export(_("Applications past their decision target"), overdue_files_export),
    "open_complaints": Export(_("Open complaints"), open_complaints_export),
    "overdue_complaints": Export(_("Overdue complaints"), overdue_complaints_export),
    "freezes": Export(queries.LABELS["freezes_soon"], freezes_export),
    "exclusions": Export(_("Exclusions this month"), exclusions_export),
    "disbursements": Export(_("Aid paid in the period"), disbursements_export),
}


# --- Running a job --------------------------------------------------------------------------


def queue_export(*, user, kind: str, period: Period, today: dt.date, language: str) -> ExportJob:
    """Record the export asked for and hand it to a worker once the row is committed."""
    params = {"start": period.start.isoformat(), "end": period.end.isoformat(), "today": today.isoformat(),
              "language": language}
    job = ExportJob.objects.create(user=user, kind=kind, params=params)
    enqueue("dashboard.tasks.run_export", job.pk, on_failure=lambda: not_queued(job.pk))
    return job


def not_queued(job_id: int) -> None:
    """The background queue could not take the export (Redis down): say so at once, rather than
    leave it «queued 0 %» for a worker that will never see it."""
    ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.FAILED, finished_at=timezone.now(), error=NOT_QUEUED_ERROR)


def _set_progress(job_id: int, done: int, total: int) -> None:
    ExportJob.objects.filter(pk=job_id).update(progress=min(99, done * 100 // total))


def run_job(job_id: int) -> bool:
    """Run a queued export as the user who asked for it; return whether it finished.

    The QUEUED → RUNNING step is a guarded update, so a job delivered twice runs once."""
    if not ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.RUNNING, progress=0):
        return False
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    params = job.params
    try:
        with translation.override(params.get("language") or "ar"):
            today = dt.date.fromisoformat(params["today"])
            period = Period(dt.date.fromisoformat(params["start"]), dt.date.fromisoformat(params["end"]))
            with replica.reading_from_replica():  # the job's own row is read and written on the primary
                sheets = EXPORT_KINDS[job.kind].build(job.user, period, today)
            data = write_workbook(sheets, lambda done, total: _set_progress(job.pk, done, total))
        job.output.save(f"{job.kind}-{job.pk}.xlsx", ContentFile(data), save=False)
        job.status, job.progress, job.finished_at = ExportJob.Status.DONE, 100, timezone.now()
        job.save(update_fields=["output", "status", "progress", "finished_at"])
    except Exception:
        logger.exception("Export %s (%s) failed", job.pk, job.kind)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, finished_at=timezone.now(),
                                                   error="The export failed; see the server log.")
        return False
    return True


def expire_exports(*, now: dt.datetime, keep_days: int = KEEP_DAYS) -> int:
    """Delete the workbooks of exports older than `keep_days`: they hold personal data. The rows
    stay, as the record of who exported what; return how many files were removed."""
    removed = 0
    for job in ExportJob.objects.filter(created_at__lt=now - dt.timedelta(days=keep_days)).exclude(output=""):
        job.output.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(output="")
        removed += 1
    return removed


def download_name(job: ExportJob) -> str:
    return f"{job.kind}-{job.created_at:%Y%m%d-%H%M}.xlsx"


# --- The monthly report for the board -------------------------------------------------------


def monthly_report(user, month: dt.date, today: dt.date) -> bytes:
    """The board's PDF for `month`: the month's series and today's counts, on the letterhead."""
    period = Period.month(month)
    figures = queries.dashboard(user, period, today)
    figures["exclusions"] = queries.exclusions_by_rule(user, period.start)
    figures["exclusions_month"] = period.start
    context = {"figures": figures, "month": period.start, "period": period, "today": today, "generated_by": user,
               "labels": queries.LABELS}
    return render_pdf("dashboard/pdf/monthly.html", context)
