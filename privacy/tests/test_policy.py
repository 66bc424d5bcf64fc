"""The PDPL periods and the retention rules (privacy/policy.py)."""

import datetime as dt

from privacy import policy
from privacy.policy import RequestStatus


def test_pdpl_request_is_due_30_calendar_days_after_receipt():
    assert policy.request_due_on(dt.date(2026, 11, 24)) == dt.date(2026, 12, 24)
    assert policy.request_due_on(dt.date(2026, 2, 10)) == dt.date(2026, 3, 12)


def test_pdpl_request_is_overdue_only_while_open_and_after_its_due_date():
    due = dt.date(2026, 12, 24)
    assert not policy.is_overdue(RequestStatus.OPEN, due, dt.date(2026, 12, 24))
    assert policy.is_overdue(RequestStatus.OPEN, due, dt.date(2026, 12, 25))
    assert not policy.is_overdue(RequestStatus.COMPLETED, due, dt.date(2027, 1, 30))
    assert policy.days_left(due, dt.date(2026, 12, 20)) == 4
    assert policy.days_left(due, dt.date(2026, 12, 27)) == -3


def test_retention_identity_marker_is_one_way_short_and_unlinkable():
    marker = policy.identity_marker("1012345678", "beneficiaries.member:7:id_number")
    assert len(marker) == 10 and marker.startswith(policy.MARKER_PREFIX)
    assert "1012345678" not in marker
    assert marker == policy.identity_marker("1012345678", "beneficiaries.member:7:id_number")
    assert marker != policy.identity_marker("1012345678", "beneficiaries.member:8:id_number")


def test_retention_periods_come_from_settings(settings):
    settings.PRIVACY_RETENTION_YEARS, settings.PRIVACY_ACCESS_LOG_YEARS = 7, 2
    assert (policy.retention_years(), policy.access_log_years()) == (7, 2)
    assert policy.cutoff(dt.date(2026, 11, 24), 7) == dt.date(2019, 11, 24)
    assert policy.retention_due_on(dt.date(2020, 2, 29)) == dt.date(2027, 2, 28)


def test_retention_defaults_are_ten_and_five_years(settings):
    for name in ("PRIVACY_RETENTION_YEARS", "PRIVACY_ACCESS_LOG_YEARS"):
        if hasattr(settings, name):
            delattr(settings, name)
    assert (policy.retention_years(), policy.access_log_years()) == (10, 5)


def test_retention_final_statuses_are_rejected_excluded_closed_and_referred_out():
    assert set(policy.FINAL_FILE_STATUSES) == {"rejected", "excluded", "closed", "referred_out"}
