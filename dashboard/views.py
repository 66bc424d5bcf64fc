"""The executive director's dashboard (GO-1…GO-6): the figures, each linked to the list behind
it, exports to Excel through a worker, and the board's monthly PDF report.

The figures come from dashboard/queries.py, counted through the lists' own scopes; a link is
shown only when the user may open the list it leads to.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from beneficiaries.policy import OPEN_STATUSES, FileStatus
from charity import calendar, replica
from charity.audit import get_in_scope, log_access
from charity.downloads import private_download
from charity.models import AccessLog

from . import exports, queries
from .forms import ExportForm, MonthForm, PeriodForm
from .models import ExportJob

VIEW_PERM = "dashboard.view_dashboard"
RECENT_EXPORTS = 5
EXPORT_QUEUED = _("The export is being prepared. You can download it from this page when it is ready.")
EXPORT_INVALID = _("Choose an export from the list.")
MONTH_INVALID = _("Enter a month as YYYY-MM.")

# The lists behind the figures: URL name and the permission their view asks for.
FILE_LIST = ("beneficiaries:file_list", "beneficiaries.view_beneficiaryfile")
OVERDUE_FILES = ("beneficiaries:overdue", "beneficiaries.view_overdue_applications")
FREEZES = ("eligibility:freezes", "eligibility.view_exclusion")
EXCLUSIONS = ("eligibility:exclusions", "eligibility.view_exclusion")
COMPLAINTS = ("complaints:list", "complaints.view_complaint")
SATISFACTION_RESULTS = ("satisfaction:results", "satisfaction.view_results")
VISITS = ("eligibility:visits", "eligibility.view_fieldvisit")
AID_LIST = ("aid:aid_disbursements", "aid.view_disbursement")


class Links:
    """URLs of the lists behind the figures, with their filters. Each list's URL and permission
    are looked up once per page; a list the user may not open gives no link (None)."""

    def __init__(self, user):
        self.user = user
        self._bases: dict[tuple, str | None] = {}

    def base(self, target) -> str | None:
        if target not in self._bases:
            name, permission = target
            self._bases[target] = reverse(name) if self.user.has_perm(permission) else None
        return self._bases[target]

    def __call__(self, target, **query) -> str | None:
        url = self.base(target)
        query = {k: v for k, v in query.items() if v not in (None, "")}
        return f"{url}?{urlencode(query)}" if url and query else url


def _file_links(link: Links, figures) -> None:
    files = figures["files"]
    files["url"] = link(FILE_LIST)
    for row in files["by_status"]:
        row["url"] = link(FILE_LIST, status=row["status"].value)
    files["active_url"] = link(FILE_LIST, status=FileStatus.ACTIVE.value)
    files["awaiting_url"] = link(FILE_LIST, status=FileStatus.UNDER_STUDY.value)
    files["overdue_url"] = link(OVERDUE_FILES) or link(FILE_LIST, overdue="yes")
    for row in figures["categories"]:
        pk = row["category"].pk
        row["url"] = link(FILE_LIST, category=pk)
        row["cells"] = [{"count": row["by_status"].get(s, 0), "url": link(FILE_LIST, category=pk, status=s)}
                        for s in OPEN_STATUSES]
    for row in figures["caseload"]:
        pk = row["researcher_id"]
        row["url"] = link(FILE_LIST, researcher=pk)
        row["cells"] = [{"count": row["by_status"].get(s, 0), "url": link(FILE_LIST, researcher=pk, status=s)}
                        for s in OPEN_STATUSES]


def _other_links(link: Links, figures) -> None:
    complaints = figures["complaints"]
    complaints["url"] = link(COMPLAINTS)
    for row in complaints["open_by_status"]:
        row["url"] = link(COMPLAINTS, status=row["status"].value)
    complaints["due_week_url"] = link(COMPLAINTS, show="due_week")
    complaints["overdue_url"] = link(COMPLAINTS, show="overdue")
    figures["freezes_url"] = link(FREEZES, soon=1)
    month = f"{figures['exclusions_month']:%Y-%m}"
    figures["exclusions_url"] = link(EXCLUSIONS, month=month)
    for row in figures["exclusions"]:
        row["url"] = link(EXCLUSIONS, rule=row["rule"], month=month)
    for fund in figures["aid"]["funds"]:
        fund["url"] = link(AID_LIST, fund=fund["fund_id"]) if fund["fund_id"] else None
    period = figures["period"]
    figures["satisfaction_url"] = link(SATISFACTION_RESULTS, first=period.start, last=period.end)
    for row in figures["applications"]["rows"]:
        row["url"] = link(FILE_LIST, channel=row["channel"].value, submitted_from=period.start,
                          submitted_to=period.end)
    figures["applications"]["url"] = link(FILE_LIST, submitted_from=period.start, submitted_to=period.end)
    for row in complaints["by_source"]:
        row["url"] = link(COMPLAINTS, source=row["source"].value, received_from=period.start,
                          received_to=period.end)
    visits = figures["visits"]
    for status in ("completed", "nobody_home", "scheduled"):
        visits[f"{status}_url"] = link(VISITS, status=status, scheduled_from=period.start, scheduled_to=period.end)


def _number(value):
    return None if value is None else float(value)


def chart_data(figures) -> dict:
    """The series the charts draw (static/js/dashboard.js), ready for json_script."""
    months = [f"{m:%Y-%m}" for m in figures["period"].months()]
    files = figures["files"]
    return {
        "months": months,
        "status": {"labels": [str(r["status"].label) for r in files["by_status"]],
                   "data": [r["count"] for r in files["by_status"]],
                   "urls": [r["url"] for r in files["by_status"]]},
        "rulings": {"share": [r["share"] for r in figures["rulings"]],
                    "median": [r["median"] for r in figures["rulings"]]},
        "aid": [{"label": f["name"] or str(_("No fund")), "data": [_number(v) for v in f["by_month"]]}
                for f in figures["aid"]["funds"]],
        "satisfaction": [_number(s["average"]) for s in figures["satisfaction"]],
        "labels": {"share": str(_("Ruled on time (%)")), "median": str(_("Median ruling time (working days)")),
                   "satisfaction": str(_("Average satisfaction (1-5)"))},
    }


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@require_GET
def index(request):
    """GO-1…GO-6: the figures over the chosen period, each linked to the list behind it."""
    today = calendar.today()
    form = PeriodForm(request.GET or None, today=today)
    period = form.period()
    with replica.reading_from_replica() as reading:
        figures = queries.dashboard(request.user, period, today)
    links = Links(request.user)
    _file_links(links, figures)
    _other_links(links, figures)
    context = {
        "form": form, "figures": figures, "charts": chart_data(figures),
        "export_form": ExportForm(initial={"start": period.start, "end": period.end}),
        "month_form": MonthForm(initial={"month": f"{today:%Y-%m}"}),
        "open_columns": [status.label for status in OPEN_STATUSES],
        "exports": ExportJob.objects.filter(user=request.user)[:RECENT_EXPORTS], "labels": queries.LABELS,
        "replica_as_of": reading.as_of,  # None when the figures come from the primary
    }
    return render(request, "dashboard/index.html", context)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@require_POST
def export_start(request):
    """Queue an export of the figures or of a list, over the dashboard's period."""
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, EXPORT_INVALID)
        return redirect("dashboard:index")
    today = calendar.today()
    job = exports.queue_export(user=request.user, kind=form.cleaned_data["kind"], period=form.period(today),
                               today=today, language=request.LANGUAGE_CODE)
    job.refresh_from_db()
    if job.status == ExportJob.Status.QUEUED:
        messages.info(request, EXPORT_QUEUED)
    return redirect("dashboard:export", pk=job.pk)


def _own_job(request, pk) -> ExportJob:
    """An export is seen and downloaded only by the member of staff who asked for it."""
    return get_in_scope(request, ExportJob.objects.filter(user=request.user), pk)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@require_GET
def export_detail(request, pk):
    """The export's progress; htmx asks again every 2 s until it is ready or failed."""
    job = _own_job(request, pk)
    label = exports.EXPORT_KINDS.get(job.kind)
    context = {"job": job, "label": label.label if label else job.kind,
               "polling": job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)}
    if request.headers.get("HX-Request"):
        return render(request, "dashboard/partials/export_status.html", context)
    return render(request, "dashboard/export.html", context)


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@require_GET
def export_download(request, pk):
    """Stream the finished workbook to the user who asked for it; log the export."""
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    return private_download(job.output, filename=exports.download_name(job),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            log=lambda: log_access(request, job, AccessLog.Action.EXPORT))


@login_required
@permission_required(VIEW_PERM, raise_exception=True)
@require_GET
def monthly_report(request):
    """The board's monthly report (PDF, on the letterhead) for the chosen month."""
    form = MonthForm(request.GET)
    if not form.is_valid():
        messages.error(request, MONTH_INVALID)
        return redirect("dashboard:index")
    month = form.cleaned_data["month"]
    with replica.reading_from_replica():
        data = exports.monthly_report(request.user, month, calendar.today())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"board-report-{month:%Y-%m}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("", index, name="index"),
    path("exports/", export_start, name="export_start"),
    path("exports/<int:pk>/", export_detail, name="export"),
    path("exports/<int:pk>/download/", export_download, name="export_download"),
    path("report/", monthly_report, name="monthly_report"),
]
