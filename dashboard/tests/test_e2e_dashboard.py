"""In Debian's Chromium: the executive director opens the dashboard, the charts draw under the
strict CSP, and a click on «overdue complaints» lands on exactly those complaints — without
the one that names the director (CP-7, CP-8, GO-6)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from charity import calendar
from charity.roles import Role
from complaints import services as complaint_services
from conftest import browser_login

from .conftest import file_complaint

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.rule("CP-8")
def test_director_clicks_overdue_complaints_and_sees_exactly_those_cp7_cp8(live_server, page, profile, make_user):
    director = make_user(Role.DIRECTOR, username="director")
    manager = make_user(Role.MANAGER, username="manager")
    today = calendar.today()
    overdue = [file_complaint(today - dt.timedelta(days=days), today=today) for days in (40, 55, 70)]
    file_complaint(today, today=today)  # running, not overdue
    named = overdue.pop()
    complaint_services.name_staff(complaint=named, by=manager, staff=[director])  # CP-8: not the director's

    errors, missing = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: missing.append(response.url) if response.status >= 400 else None)
    browser_login(page, live_server, "director")
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    figure = page.locator('[data-testid="figure-complaints-overdue"]')
    assert len(overdue) == 2
    expect(figure).to_have_text("2")
    assert page.evaluate("Chart.getChart('chart-status') !== undefined")  # the script ran under the CSP
    missing = [url for url in missing if not url.endswith("/favicon.ico")]
    assert not missing, missing  # every script and stylesheet loaded
    assert not [e for e in errors if "Failed to load resource" not in e], errors  # no CSP refusal, no JS error

    figure.click()
    page.wait_for_url(f"{live_server.url}/staff/complaints/?show=overdue")
    listed = {row.inner_text().strip() for row in page.locator('[data-testid="complaint-row"] td:first-child').all()}
    assert listed == {c.tracking_number for c in overdue}
    assert named.tracking_number not in page.content()
