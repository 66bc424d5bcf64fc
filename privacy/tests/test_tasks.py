"""The retention job as a management command and as a Celery task (PDPL)."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from beneficiaries.models import BeneficiaryFile
from charity.models import AccessLog
from privacy.models import RetentionLog
from privacy.tasks import apply_retention_task
from testdata import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_entry(handler):
    return AccessLog.objects.create(at=NOW - dt.timedelta(days=6 * 365), user=handler, action="view",
                                    content_type=ContentType.objects.get_for_model(BeneficiaryFile), object_id="1",
                                    ip_address="10.0.0.1")


def test_pdpl_the_command_dry_run_reports_and_changes_nothing(old_entry):
    out = StringIO()
    call_command("apply_retention", "--today", "2026-11-24", "--dry-run", stdout=out)
    assert "dry run" in out.getvalue() and "1 access-log entries" in out.getvalue()
    old_entry.refresh_from_db()
    assert old_entry.user_id is not None and not RetentionLog.objects.exists()


def test_pdpl_the_command_applies_the_policy_for_the_given_day(old_entry):
    out = StringIO()
    call_command("apply_retention", "--today", "2026-11-24", stdout=out)
    old_entry.refresh_from_db()
    assert old_entry.user_id is None and RetentionLog.objects.count() == 1
    call_command("apply_retention", "--today", "2026-11-24", stdout=out)  # a second run does nothing
    assert RetentionLog.objects.count() == 1


def test_pdpl_the_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError):
        call_command("apply_retention", "--today", "24/11/2026")


def test_pdpl_the_task_runs_the_job_and_reports_its_counts(old_entry):
    result = apply_retention_task.delay("2026-11-24").get()
    assert result["access_logs"] == 1 and result["failed"] == 0
    old_entry.refresh_from_db()
    assert old_entry.ip_address is None
