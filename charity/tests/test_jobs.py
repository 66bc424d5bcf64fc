"""Long jobs are recorded and a run whose worker died is resumed at once and reported
(charity/jobs.py; issue 14, point 8). The same with a real worker killed by SIGKILL:
eligibility/tests/test_sweep_worker_kill.py."""

import datetime as dt

import pytest
from django.utils import timezone

from charity import jobs
from charity.models import JobRun, Notification
from charity.roles import Role
from eligibility.models import Exclusion
from eligibility.tasks import enforce_deadlines_task
from eligibility.tests.test_sweep_concurrency import SWEEP_DAY, _assert_each_excluded_once, _due_files

pytestmark = pytest.mark.django_db
NAME = enforce_deadlines_task.name


def _stalled_run(*, minutes_ago: int, done: int = 5) -> JobRun:
    then = timezone.now() - dt.timedelta(minutes=minutes_ago)
    run = jobs.start(NAME, [SWEEP_DAY], now=then)
    jobs.alive(run, done=done, now=then)
    return run


def test_the_sweep_task_records_its_run_with_its_day_and_progress(profile, make_user, settings):
    settings.SWEEP_BATCH_SIZE = 2
    _due_files(5, make_user(Role.INTAKE))
    enforce_deadlines_task.apply(args=[SWEEP_DAY])
    run = JobRun.objects.get()
    assert (run.task_name, run.args, run.outcome, run.progress) == (NAME, [SWEEP_DAY], JobRun.Outcome.FINISHED, 5)
    assert run.finished_at and run.resumes is None


def test_a_run_that_raises_is_recorded_as_failed(profile):
    with pytest.raises(RuntimeError), jobs.tracked(NAME, [SWEEP_DAY]):
        raise RuntimeError("boom")
    assert JobRun.objects.get().outcome == JobRun.Outcome.FAILED


def test_a_stalled_run_is_resumed_at_once_and_the_admins_are_told(profile, make_user, settings,
                                                                  django_capture_on_commit_callbacks, caplog):
    """Issue 14 (8): the killed sweep's run is found by the watchdog, sent again with the same
    day, finishes the work exactly once, and every administrator gets one e-mail."""
    admin = make_user(Role.ADMIN, username="sysadmin", email="it@example.org")
    make_user(Role.MANAGER, username="manager", email="manager@example.org")
    files = _due_files(6, make_user(Role.INTAKE))
    dead = _stalled_run(minutes_ago=settings.JOB_STALL_MINUTES + 1)
    alive = jobs.start("charity.tasks.deliver_pending_notifications", [], now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        resumed = jobs.resume_stalled(now=timezone.now())
    assert resumed == [dead]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.outcome == JobRun.Outcome.INTERRUPTED and "5" in dead.detail
    assert alive.outcome == JobRun.Outcome.RUNNING  # a sign of life just now: left alone
    again = JobRun.objects.get(resumes=dead)
    assert (again.args, again.outcome) == ([SWEEP_DAY], JobRun.Outcome.FINISHED)
    assert Exclusion.objects.count() == 6
    _assert_each_excluded_once(files)
    mails = Notification.objects.filter(purpose=jobs.PURPOSE)
    assert list(mails.values_list("recipient", flat=True)) == [admin.email]
    assert "stopped" in caplog.text
    # The watchdog again: nothing more to do, nobody told twice.
    jobs.finish(alive, now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.resume_stalled(now=timezone.now() + dt.timedelta(hours=1)) == []
    assert mails.count() == 1 and JobRun.objects.filter(outcome=JobRun.Outcome.INTERRUPTED).count() == 1


def test_a_run_the_watchdog_gave_up_on_keeps_its_outcome_if_it_ends_after_all(profile):
    run = _stalled_run(minutes_ago=60)
    jobs.resume_stalled(now=timezone.now())
    jobs.finish(run, now=timezone.now())
    run.refresh_from_db()
    assert run.outcome == JobRun.Outcome.INTERRUPTED


def test_the_admin_home_lists_interrupted_runs(profile, make_user, client):
    run = _stalled_run(minutes_ago=60)
    jobs.resume_stalled(now=timezone.now())
    client.force_login(make_user(Role.ADMIN))
    page = client.get("/").content.decode()
    assert 'data-testid="interrupted-jobs"' in page and run.task_name in page
    client.force_login(make_user(Role.MANAGER))
    assert 'data-testid="interrupted-jobs"' not in client.get("/").content.decode()


def test_the_watchdog_runs_from_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["resume-stalled-jobs"]
    assert entry["task"] == "charity.tasks.resume_stalled_jobs"
    assert entry["schedule"] * 2 <= settings.JOB_STALL_MINUTES * 60 * 2 < 3600
