"""TK-3 under concurrency: two approvers on one fund at the same moment (PostgreSQL)."""

import pytest
from django.core.exceptions import ValidationError

from aid import reports, services
from conftest import needs_postgresql, wait_for
from testdata import NOW

from .builders import D, active_file, make_fund, propose_cash

pytestmark = pytest.mark.django_db


@pytest.mark.rule("TK-3")
@pytest.mark.django_db(transaction=True)
def test_tk3_concurrent_approvals_never_overdraw_the_fund(staff, settings, tmp_path, monkeypatch):
    """TK-3: two approvers at the same moment on one fund: the fund row is locked, so only one of two
    600 SAR approvals passes a 1000 SAR balance (PostgreSQL; SQLite serialises writers anyway)."""
    import threading

    from django.db import connection

    needs_postgresql("row locks are a PostgreSQL matter")
    settings.MEDIA_ROOT = tmp_path
    fund = make_fund(staff)
    proposals = [propose_cash(active_file(staff), staff, fund, "600.00") for _ in range(2)]  # two files
    barrier, outcomes, read = threading.Barrier(2), [], []
    balance_of = reports.fund_balance

    def other_waits_on_a_lock() -> bool:
        with connection.cursor() as cursor:  # pg_locks is read live (pg_stat_activity is cached per transaction)
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid())")
            return cursor.fetchone()[0]

    def balance_then_hold(fund):
        """Read the balance, then hold the approval until the other approver has read it too
        (no lock: both see 1000 SAR) or waits for this one's lock, as PostgreSQL reports."""
        balance = balance_of(fund)
        read.append(balance)
        assert wait_for(lambda: len(read) == 2 or other_waits_on_a_lock(), timeout=120, interval=0.05)
        return balance

    monkeypatch.setattr(reports, "fund_balance", balance_then_hold)

    def approve(disbursement, approver):
        try:
            barrier.wait()
            services.approve_disbursement(disbursement=disbursement, by=approver, now=NOW)
            outcomes.append("approved")
        except ValidationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    approvers = (staff["manager"], staff["manager2"])
    threads = [threading.Thread(target=approve, args=pair) for pair in zip(proposals, approvers, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert sorted(outcomes) == ["approved", "insufficient_balance"]
    assert balance_of(fund) == D("400.00")
