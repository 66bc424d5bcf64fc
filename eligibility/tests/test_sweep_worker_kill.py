"""A Celery worker killed with SIGKILL during the deadline sweep, then the sweep rerun: every
due file is excluded exactly once (issue «Proof under attack»: reliability). The kill comes
while the sweep waits at its pause point after the first batch (eligibility/tests/pause.py).
The rerun is not sent by hand: the watchdog (charity/jobs.py) on the new worker finds the dead
run, sends it again and tells the administrators (issue 14, point 8)."""

import pytest

from conftest import start_worker, stop_worker, wait_for
from eligibility.models import Exclusion
from eligibility.tasks import enforce_deadlines_task
from eligibility.tests.pause import paused_env, wait_until_paused
from eligibility.tests.test_sweep_concurrency import BATCH_ENV, SWEEP_DAY, _assert_each_excluded_once, _due_files

DUE = 20


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_killed_during_sweep_then_rerun_excludes_each_file_once(profile, make_user, tmp_path):
    import uuid

    from charity import jobs
    from charity.models import JobRun, Notification
    from charity.roles import Role
    from charity.tasks import resume_stalled_jobs

    files = _due_files(DUE, make_user(Role.INTAKE))
    make_user(Role.ADMIN, username="sysadmin", email="it@example.org")
    queue, log, pause = f"kill-{uuid.uuid4().hex[:8]}", tmp_path / "worker.log", tmp_path / "paused"
    worker = start_worker(queue, log, env={**BATCH_ENV, **paused_env(pause)})
    try:
        enforce_deadlines_task.apply_async(args=[SWEEP_DAY], queue=queue)
        try:
            committed = wait_until_paused(pause, worker)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{log.read_text()}") from None
    finally:
        stop_worker(worker, kill=True)
    done_before = Exclusion.objects.count()
    assert committed == done_before == int(BATCH_ENV["SWEEP_BATCH_SIZE"]) < DUE
    dead = JobRun.objects.get()
    assert (dead.outcome, dead.progress, dead.args) == (JobRun.Outcome.RUNNING, committed, [SWEEP_DAY])
    # The new worker thinks a run dead at once (JOB_STALL_MINUTES=0), as beat's watchdog would
    # after ten minutes; the watchdog sends the sweep to the worker's own queue.
    worker = start_worker(queue, log, env={**BATCH_ENV, "JOB_STALL_MINUTES": "0"})
    try:
        resume_stalled_jobs.apply_async(queue=queue)
        assert wait_for(lambda: JobRun.objects.filter(resumes=dead, outcome=JobRun.Outcome.FINISHED).exists(),
                        timeout=240, interval=0.5), log.read_text()
    finally:
        stop_worker(worker)
    assert Exclusion.objects.count() == DUE
    _assert_each_excluded_once(files)
    dead.refresh_from_db()
    assert dead.outcome == JobRun.Outcome.INTERRUPTED
    assert list(Notification.objects.filter(purpose=jobs.PURPOSE).values_list("recipient", flat=True)) == [
        "it@example.org"]
