"""A Celery worker killed with SIGKILL during the deadline sweep, then the sweep rerun: every
due file is excluded exactly once (issue «Proof under attack»: reliability)."""

import pytest

from conftest import start_worker, stop_worker, wait_for
from eligibility.models import Exclusion
from eligibility.tasks import enforce_deadlines_task
from eligibility.tests.test_sweep_concurrency import BATCH_ENV, SWEEP_DAY, _assert_each_excluded_once, _due_files

DUE = 200


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_killed_during_sweep_then_rerun_excludes_each_file_once(profile, make_user, tmp_path):
    import uuid

    from charity.roles import Role

    files = _due_files(DUE, make_user(Role.INTAKE))
    queue, log = f"kill-{uuid.uuid4().hex[:8]}", tmp_path / "worker.log"
    worker = start_worker(queue, log, env=BATCH_ENV)
    try:
        enforce_deadlines_task.apply_async(args=[SWEEP_DAY], queue=queue)
        started = wait_for(lambda: Exclusion.objects.count() >= 5, timeout=120, interval=0.05)
    finally:
        stop_worker(worker, kill=True)
    done_before = Exclusion.objects.count()
    assert started, log.read_text()
    assert done_before < DUE, "the sweep finished before the worker could be killed"
    worker = start_worker(queue, log, env=BATCH_ENV)
    try:
        enforce_deadlines_task.apply_async(args=[SWEEP_DAY], queue=queue)
        assert wait_for(lambda: Exclusion.objects.count() >= DUE, timeout=240, interval=0.5), log.read_text()
    finally:
        stop_worker(worker)
    _assert_each_excluded_once(files)
