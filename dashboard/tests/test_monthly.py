"""The stored monthly figures (dashboard/monthly.py, services.refresh_monthly_figures): the
closed months read from MonthlyFigure equal the live count on the same data, a period or a
user they cannot serve is counted live, and the page shows when they were counted."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aid.models import Disbursement, Fund
from charity import calendar
from dashboard import services
from dashboard.models import MonthlyFigure
from dashboard.monthly import monthly_series
from dashboard.queries import Period

from .conftest import NOW, TODAY, pay, seed

pytestmark = pytest.mark.django_db
MAX_QUERIES = 25


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def seeded(staff):
    """The conftest's month, with payments spread over older months, a fund paid only this
    month, a cancelled payment and payments without a fund."""
    out = seed(staff)
    file, manager = out.active[-1], staff["manager"]
    housing = Fund.objects.create(name="صندوق الإسكان")
    for months_back, fund, amount in ((2, out.funds[1], "300.00"), (5, None, "120.25"), (11, out.funds[0], "80.00"),
                                      (14, out.funds[0], "999.00")):  # 14: before the default period
        pay(file, manager, fund, amount, calendar.add_months(dt.date(2026, 11, 10), -months_back))
    pay(file, manager, housing, "640.00", dt.date(2026, 11, 1))
    pay(file, manager, out.funds[0], "55.00", dt.date(2026, 9, 9), status=Disbursement.Status.CANCELLED)
    return out


def _without_provenance(series: dict) -> dict:
    aid = {k: v for k, v in series["aid"].items() if k not in ("as_of", "stored_months")}
    return {"aid": aid, "satisfaction": series["satisfaction"]}


def test_stored_figures_equal_the_live_count_on_the_same_data(staff, seeded):
    """TK-1, TK-3: every closed month of the period from the store, the same figures as live."""
    director = staff["director"]
    assert services.refresh_monthly_figures(now=NOW) > services.STORED_MONTHS
    for period in (Period.default(TODAY), Period(dt.date(2025, 1, 1), dt.date(2026, 10, 31))):
        stored = monthly_series(director, period, TODAY)
        live = monthly_series(director, period)
        closed = [m for m in period.months() if m < TODAY.replace(day=1)]
        assert stored["aid"]["stored_months"] == len(closed) and live["aid"]["stored_months"] == 0
        assert stored["aid"]["as_of"] == NOW and live["aid"]["as_of"] is None
        assert _without_provenance(stored) == _without_provenance(live)
    aid = monthly_series(director, Period.default(TODAY), TODAY)["aid"]
    assert aid["total"] == Decimal("1725.50") + Decimal("300.00") + Decimal("120.25") + Decimal("80.00") + 640
    assert [f["name"] for f in aid["funds"]] == ["صندوق الأيتام", "صندوق الإسكان", "صندوق الزكاة", None]


def test_refresh_is_idempotent_and_catches_a_payment_dated_in_a_past_month(staff, seeded):
    director, period = staff["director"], Period.default(TODAY)
    services.refresh_monthly_figures(now=NOW)
    rows = sorted(MonthlyFigure.objects.values_list("month", "figure", "dimension", "total", "count"))
    later = NOW + dt.timedelta(minutes=10)
    services.refresh_monthly_figures(now=later)
    assert sorted(MonthlyFigure.objects.values_list("month", "figure", "dimension", "total", "count")) == rows
    pay(seeded.active[-1], staff["manager"], None, "1000.00", dt.date(2026, 10, 30))  # recorded late
    before = monthly_series(director, period, TODAY)["aid"]["total"]
    assert monthly_series(director, period)["aid"]["total"] == before + 1000  # until the next count
    services.refresh_monthly_figures(now=later + dt.timedelta(minutes=10))
    assert _without_provenance(monthly_series(director, period, TODAY)) == _without_provenance(
        monthly_series(director, period))
    assert not MonthlyFigure.objects.exclude(refreshed_at=later + dt.timedelta(minutes=10)).exists()


def test_a_period_or_a_user_the_store_cannot_serve_is_counted_live(staff, seeded):
    services.refresh_monthly_figures(now=NOW)
    director = staff["director"]
    cut = Period(dt.date(2026, 9, 15), dt.date(2026, 10, 20))  # neither month covered whole
    assert monthly_series(director, cut, TODAY)["aid"]["stored_months"] == 0
    assert monthly_series(director, cut, TODAY)["aid"]["total"] == 1000  # 5 October; 10 September is before
    half = Period(dt.date(2026, 9, 15), dt.date(2026, 11, 24))  # September cut, October whole
    assert monthly_series(director, half, TODAY)["aid"]["stored_months"] == 1
    assert _without_provenance(monthly_series(director, half, TODAY)) == _without_provenance(
        monthly_series(director, half))
    researcher = staff["researcher"]  # RT-6: sees only the files assigned to them
    assert monthly_series(researcher, Period.default(TODAY), TODAY)["aid"]["stored_months"] == 0
    assert monthly_series(researcher, Period.default(TODAY), TODAY)["aid"]["total"] == \
        monthly_series(researcher, Period.default(TODAY))["aid"]["total"]
    MonthlyFigure.objects.filter(month=dt.date(2026, 6, 1)).delete()  # a month not stored: counted live
    partial = monthly_series(director, Period.default(TODAY), TODAY)
    assert partial["aid"]["stored_months"] == 10
    assert _without_provenance(partial) == _without_provenance(monthly_series(director, Period.default(TODAY)))


def _page_queries(client) -> tuple[int, str]:
    client.get(reverse("dashboard:index"))  # warm: session, permissions
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_page_runs_at_most_25_queries_with_or_without_stored_figures_and_shows_their_time(client, staff,
                                                                                              seeded):
    client.force_login(staff["director"])
    without, html = _page_queries(client)
    assert 'data-testid="aid-as-of"' not in html
    services.refresh_monthly_figures(now=NOW - dt.timedelta(minutes=7))
    with_store, html = _page_queries(client)
    assert without == with_store <= MAX_QUERIES
    assert 'data-testid="aid-as-of"' in html
    assert calendar.format_dual(TODAY) in html and "09:53" in html  # both calendars, Riyadh time
