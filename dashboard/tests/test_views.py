"""The dashboard's pages (GO-1…GO-6): permission (403), figures linked to the lists behind
them, a fixed number of queries, Excel exports through an ExportJob and the board's PDF."""

import datetime as dt
import io
import os
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from pypdf import PdfReader

from aid.models import Fund
from beneficiaries import services as file_services
from charity.models import AccessLog
from charity.roles import Role
from dashboard import queries
from dashboard.models import ExportJob
from satisfaction.models import Service
from testdata import make_active

from .conftest import NOW, TODAY, file_complaint, pay, rule_complaint, seed, survey

pytestmark = pytest.mark.django_db
URL = reverse("dashboard:index")
MAX_QUERIES = 25


@pytest.fixture(autouse=True)
def _pinned(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def director_client(client, staff):
    client.force_login(staff["director"])
    return client


def _figures(response):
    return response.context["figures"]


# --- Permission and figures -----------------------------------------------------------------


@pytest.mark.rule("GO-1", "GO-6")
def test_go_a_user_without_the_dashboard_permission_gets_403(client, staff):
    """GO-1…GO-6: the dashboard is the executive director's (dashboard.view_dashboard)."""
    for role in ("manager", "researcher", "intake"):
        client.force_login(staff[role])
        assert client.get(URL).status_code == 403
        assert client.get(reverse("dashboard:monthly_report"), {"month": "2026-11"}).status_code == 403
        assert client.post(reverse("dashboard:export_start"), {"kind": "figures"}).status_code == 403
    assert not ExportJob.objects.exists()
    client.logout()
    assert client.get(URL).status_code == 302


@pytest.mark.rule("GO-1", "IN-5")
def test_go1_the_director_sees_the_figures_linked_to_the_lists(director_client, staff):
    """GO-1, IN-5: each figure links to the list behind it, with its filter."""
    seeded = seed(staff)
    response = director_client.get(URL)
    assert response.status_code == 200
    figures = _figures(response)
    assert figures["complaints"]["overdue"] == len(seeded.complaints_overdue) == 1
    assert figures["files"]["overdue"] == len(seeded.overdue_files) == 1
    html = response.content.decode()
    assert f'href="{reverse("complaints:list")}?show=overdue" data-testid="figure-complaints-overdue"' in html
    assert f'href="{reverse("complaints:list")}?show=due_week"' in html
    assert f'href="{reverse("beneficiaries:overdue")}" data-testid="figure-files-overdue"' in html
    assert f'{reverse("eligibility:freezes")}?soon=1' in html
    assert f'{reverse("eligibility:exclusions")}?rule=SC-3&amp;month=2026-11' in html
    assert f'{reverse("beneficiaries:file_list")}?researcher={staff["researcher"].pk}&amp;status=active' in html
    assert 'id="dashboard-data" type="application/json"' in html and "<script>" not in html


@pytest.mark.rule("GO-1")
def test_go1_figure_names_say_the_number_of_days_they_count(director_client, staff, monkeypatch):
    """The «ending soon» and «due soon» figures say their own number of days (the constants
    they count with), in Arabic plural forms, never a number written into the text."""
    from complaints import policy as complaint_policy
    from eligibility import policy as eligibility_policy

    html = director_client.get(URL).content.decode()
    assert "حالات تجميد تنتهي خلال 7 أيام" in html and "شكاوى يحل موعد البت فيها خلال 7 أيام" in html
    monkeypatch.setattr(eligibility_policy, "FREEZE_SOON_DAYS", 14)
    monkeypatch.setattr(complaint_policy, "DUE_SOON_DAYS", 2)
    with translation.override("ar"):
        assert str(queries.LABELS["freezes_soon"]) == "حالات تجميد تنتهي خلال 14 يومًا"
        assert str(queries.LABELS["complaints_due_soon"]) == "شكاوى يحل موعد البت فيها خلال يومين"
    with translation.override("en"):
        assert str(queries.LABELS["freezes_soon"]) == "Freezes ending in the next 14 days"


@pytest.mark.rule("GO-1")
def test_go1_the_linked_lists_show_the_counted_rows(director_client, staff):
    """The number on the dashboard equals the rows of the list it links to."""
    seeded = seed(staff)
    figures = _figures(director_client.get(URL))
    overdue = director_client.get(figures["complaints"]["overdue_url"])
    assert len(overdue.context["page"].object_list) == figures["complaints"]["overdue"]
    due_week = director_client.get(figures["complaints"]["due_week_url"])
    assert len(due_week.context["page"].object_list) == figures["complaints"]["due_week"]
    freezes = director_client.get(figures["freezes_url"])
    assert len(freezes.context["rows"]) == figures["freezes_soon"]
    for row in figures["files"]["by_status"]:
        listed = director_client.get(row["url"]).context["page"].paginator.count
        assert listed == row["count"], row["status"]
    active = director_client.get(figures["files"]["active_url"]).context["page"].paginator.count
    assert active == figures["files"]["active"] == len(seeded.active) == 1
    overdue_files = director_client.get(figures["files"]["overdue_url"])
    assert overdue_files.context["page"].paginator.count == figures["files"]["overdue"]


def test_the_period_filter_applies_to_the_series(director_client, staff):
    """The from/to filter narrows the monthly series; a reversed range falls back to the default."""
    seed(staff)
    response = director_client.get(URL, {"start": "2026-11-01", "end": "2026-11-30"})
    figures = _figures(response)
    assert [r["month"] for r in figures["rulings"]] == [dt.date(2026, 11, 1)]
    assert figures["aid"]["total"] == Decimal("725.50")
    response = director_client.get(URL, {"start": "2026-11-30", "end": "2026-11-01"})
    assert response.context["form"].errors and len(_figures(response)["rulings"]) == 12


def _grow(staff, n: int, researchers: list) -> None:
    """Add `n` active files with researchers, payments, surveys and complaints."""
    fund = Fund.objects.create(name=f"صندوق {n}")
    for i in range(n):
        file = make_active(staff["intake"], categories=("widow", "orphan") if i % 2 else ("elderly",))
        file_services.assign_researcher(file=file, researcher=researchers[i % len(researchers)],
                                        by=staff["manager"], now=NOW)
        payment = pay(file, staff["manager"], fund if i % 3 else None, "100.00", TODAY - dt.timedelta(days=30 * i))
        survey(payment, service=Service.AID, file=file, sent_on=TODAY - dt.timedelta(days=20 * i), overall=1 + i % 5)
        complaint = file_complaint(TODAY - dt.timedelta(days=10 * i))
        if i % 4 == 0:
            rule_complaint(complaint, staff["director"], TODAY)


def _count_queries(client) -> int:
    client.get(URL)  # warm: session, permissions
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured)


def test_the_dashboard_runs_the_same_queries_with_3_files_and_with_30(director_client, staff, make_user):
    """A fixed number of queries (≤ 25), whatever the amount of data."""
    researchers = [staff["researcher"], staff["researcher2"]]
    _grow(staff, 3, researchers)
    small = _count_queries(director_client)
    researchers += [make_user(Role.RESEARCHER, username=f"r{n}") for n in range(3)]
    _grow(staff, 27, researchers)
    response = director_client.get(URL)
    assert _figures(response)["files"]["total"] == 30 and len(_figures(response)["caseload"]) == 5
    assert _count_queries(director_client) == small <= MAX_QUERIES


# --- Exports --------------------------------------------------------------------------------


def _export(client, kind, django_capture_on_commit_callbacks, **extra) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:export_start"), {"kind": kind, **extra})
    job = ExportJob.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:export", args=[job.pk])
    return job


def _workbook(client, job):
    response = client.get(reverse("dashboard:export_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_export_of_the_figures_runs_as_a_job_and_gives_a_valid_workbook(director_client, staff,
                                                                        django_capture_on_commit_callbacks):
    """Export (eager worker): the job reaches 100 %, the xlsx opens and holds the figures; logged."""
    seed(staff)
    job = _export(director_client, "figures", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.progress, job.user) == (ExportJob.Status.DONE, 100, staff["director"])
    page = director_client.get(reverse("dashboard:export", args=[job.pk]))
    assert 'data-testid="export-download"' in page.content.decode()
    workbook = _workbook(director_client, job)
    summary = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)}
    values = list(summary.values())
    figures = _figures(director_client.get(URL))
    assert values[:7] == [figures["files"]["total"], figures["files"]["open"], figures["files"]["awaiting_decision"],
                          figures["files"]["overdue"], figures["complaints"]["open"],
                          figures["complaints"]["due_week"], figures["complaints"]["overdue"]]
    assert workbook.worksheets[0].sheet_view.rightToLeft
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (log.user, log.object_id, log.content_type) == (staff["director"], str(job.pk),
                                                           ContentType.objects.get_for_model(ExportJob))


def test_export_of_a_list_holds_exactly_its_rows(director_client, staff, django_capture_on_commit_callbacks):
    """The overdue complaints' export lists the overdue ones, and text stays text."""
    seeded = seed(staff)
    job = _export(director_client, "overdue_complaints", django_capture_on_commit_callbacks)
    sheet = _workbook(director_client, job).worksheets[0]
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [c.tracking_number for c in seeded.complaints_overdue]
    files_job = _export(director_client, "files", django_capture_on_commit_callbacks)
    rows = list(_workbook(director_client, files_job).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert len(rows) == _figures(director_client.get(URL))["files"]["total"]


def test_export_cells_starting_with_equals_stay_text(staff):
    """A subject typed as «=…» is written as text, never as a formula."""
    from charity.xlsx import Sheet, write_workbook

    data = write_workbook([Sheet("s", ["a"], [("=HYPERLINK(\"http://x\")",)], 1)])
    cell = load_workbook(io.BytesIO(data)).worksheets[0]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=")


def test_export_belongs_to_the_user_who_asked(director_client, client, staff, make_user,
                                              django_capture_on_commit_callbacks):
    """Another director gets 404 on someone else's export page and download, and nothing is logged."""
    job = _export(director_client, "figures", django_capture_on_commit_callbacks)
    other = make_user(Role.DIRECTOR, username="deputy")
    client.force_login(other)
    assert client.get(reverse("dashboard:export", args=[job.pk])).status_code == 404
    assert client.get(reverse("dashboard:export_download", args=[job.pk])).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_export_page_polls_every_2_seconds_while_the_job_runs(director_client, staff):
    """htmx asks again every 2 s until the job is ready; no download before that."""
    job = ExportJob.objects.create(user=staff["director"], kind="files", params={}, progress=40,
                                   status=ExportJob.Status.RUNNING)
    response = director_client.get(reverse("dashboard:export", args=[job.pk]), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' in html and 'value="40"' in html and "<html" not in html
    assert director_client.get(reverse("dashboard:export_download", args=[job.pk])).status_code == 404
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED)
    html = director_client.get(reverse("dashboard:export", args=[job.pk]), headers={"HX-Request": "true"}).content
    assert b"hx-trigger" not in html


def test_export_workbooks_are_removed_after_a_week(director_client, staff, django_capture_on_commit_callbacks):
    """Exports hold personal data: after KEEP_DAYS the file goes, the record of the export stays."""
    from dashboard.exports import KEEP_DAYS, expire_exports

    job = _export(director_client, "figures", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    path = job.output.path
    assert expire_exports(now=NOW + dt.timedelta(days=KEEP_DAYS - 1)) == 0
    assert expire_exports(now=NOW + dt.timedelta(days=KEEP_DAYS, minutes=1)) == 1
    job.refresh_from_db()
    assert not job.output and job.status == ExportJob.Status.DONE
    assert not os.path.exists(path)
    assert director_client.get(reverse("dashboard:export_download", args=[job.pk])).status_code == 404
    page = director_client.get(reverse("dashboard:export", args=[job.pk])).content.decode()
    assert 'data-testid="export-expired"' in page and 'data-testid="export-download"' not in page


def test_export_of_an_unknown_kind_is_refused(director_client, staff):
    response = director_client.post(reverse("dashboard:export_start"), {"kind": "everything"})
    assert response.status_code == 302 and response["Location"] == URL
    assert not ExportJob.objects.exists()


# --- The board's monthly report -------------------------------------------------------------


@pytest.mark.rule("GO-1", "GO-6")
def test_monthly_report_pdf_holds_the_month_and_its_figures(director_client, staff):
    """GO-1…GO-6: the board's PDF for November 2026 names the month and shows its figures."""
    seeded = seed(staff)
    response = director_client.get(reverse("dashboard:monthly_report"), {"month": "2026-11"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "board-report-2026-11.pdf" in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "2026-11" in text
    assert "725.50" in text  # the aid paid in November
    with translation.override("ar"):  # each count right after its label
        expected = {str(_("Overdue complaints")): len(seeded.complaints_overdue),
                    str(queries.LABELS["complaints_due_soon"]): len(seeded.complaints_due_week)}
    # pypdf gives a right-to-left line's runs in visual order when it mixes Arabic and digits
    # («7 أيام»): each label's words are on one line that ends with the count.
    lines = text.splitlines()
    for label, count in expected.items():
        line = next((line for line in lines if label.split()[0] in line and label.split()[-1] in line), "")
        assert all(word in line for word in label.split()) and line.endswith(str(count)), (label, line)


def test_monthly_report_with_a_wrong_month_goes_back_with_a_message(director_client, staff):
    response = director_client.get(reverse("dashboard:monthly_report"), {"month": "nov"}, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert any("YYYY-MM" in str(m) for m in response.context["messages"])


@pytest.mark.rule("GO-2", "GO-3")
def test_go2_go3_the_channel_and_source_figures_link_to_exactly_those_rows(director_client, staff):
    """GO-2, GO-3: each count of applications by channel and of complaints by source opens the
    file or complaint list filtered to the same rows."""
    from .test_queries import _channels

    _channels(staff)
    file_complaint(TODAY - dt.timedelta(days=2))
    response = director_client.get(URL)
    figures = _figures(response)
    applications = figures["applications"]
    assert applications["total"] == 5
    for row in applications["rows"]:
        listed = director_client.get(row["url"]).context["page"].paginator.count
        assert listed == row["count"], row["channel"]
    assert director_client.get(applications["url"]).context["page"].paginator.count == applications["total"]
    for row in figures["complaints"]["by_source"]:
        listed = director_client.get(row["url"]).context["page"].paginator.count
        assert listed == row["count"], row["source"]
    html = response.content.decode()
    assert 'data-testid="channel-web"' in html and 'data-testid="source-web"' in html
    assert 'data-testid="electronic-share">60.0<' in html


@pytest.mark.rule("GO-2", "GO-4")
def test_go2_go4_reach_in_the_workbook_and_in_the_board_report(director_client, staff,
                                                              django_capture_on_commit_callbacks):
    """The figures export has a «Reach» sheet with the same numbers as the page; the board's
    PDF shows the electronic share of the month."""
    from charity.policy import Channel

    from .test_queries import _channels

    _channels(staff)
    figures = _figures(director_client.get(URL))
    job = _export(director_client, "figures", django_capture_on_commit_callbacks)
    workbook = _workbook(director_client, job)
    sheet = workbook.worksheets[-1]
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    # Every sheet and label of the Arabic workbook is in Arabic (`_t` labels reach the catalogue).
    assert not [title for title in workbook.sheetnames if any("a" <= ch.lower() <= "z" for ch in title)]
    assert not [label for label in rows if any("a" <= ch.lower() <= "z" for ch in str(label))]
    with translation.override("ar"):
        assert rows[str(Channel.WEB.label)] == 2 and rows[str(Channel.SOCIAL.label)] == 1
    assert figures["applications"]["electronic_share"] in rows.values()
    response = director_client.get(reverse("dashboard:monthly_report"), {"month": f"{TODAY:%Y-%m}"})
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "60.0" in text  # three of the five applications of the month were electronic


@pytest.mark.rule("GO-4")
def test_go4_the_visit_figures_open_the_visits_list_with_the_same_rows(director_client, staff):
    """GO-4: «made», «nobody home» and «still to come» open the visits list filtered alike."""
    from eligibility import services as eligibility_services
    from testdata import make_submitted

    researcher = staff["researcher"]
    files = [file_services.assign_researcher(file=make_submitted(staff["intake"]), researcher=researcher,
                                             by=staff["manager"], now=NOW) for _ in range(2)]
    visits = [eligibility_services.schedule_visit(file=f, by=researcher, researcher=researcher, on=TODAY,
                                                  today=TODAY) for f in files]
    eligibility_services.record_visit(visit=visits[0], by=researcher, now=NOW, report={
        "housing_state": "fair", "observations": "-", "present": "الأم", "recommendation": "eligible"})
    eligibility_services.record_nobody_home(visit=visits[1], by=researcher, new_date=TODAY, today=TODAY)
    figures = _figures(director_client.get(URL))["visits"]
    assert (figures["completed"], figures["nobody_home"], figures["scheduled"]) == (1, 1, 1)
    for status in ("completed", "nobody_home", "scheduled"):
        listed = director_client.get(figures[f"{status}_url"]).context["page"]
        assert listed.paginator.count == figures[status] and all(v.status == status for v in listed), status


def test_export_with_the_broker_down_says_so_at_once(director_client, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    """Issue «Hardening», point 4: with Redis down, the export fails with a clear message at once,
    not a job left «queued 0 %» for a worker that never sees it."""
    from kombu.exceptions import OperationalError

    from charity.celery import app

    def refuse(name, **kw):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(app, "send_task", refuse)
    job = _export(director_client, "figures", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.finished_at is not None
    with translation.override("ar"):
        page = director_client.get(reverse("dashboard:export", args=[job.pk])).content.decode()
    assert 'data-testid="export-not-queued"' in page and "hx-trigger" not in page
