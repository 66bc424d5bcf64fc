"""A real Celery worker process executes a task (Redis in CI's second pass)."""

import os

import pytest
from django.conf import settings

from charity.models import WorkerHeartbeat
from charity.queue import enqueue
from charity.tasks import record_heartbeat
from conftest import wait_for


@pytest.mark.worker
def test_real_worker_process_executes_a_task(live_worker):
    queue, log_path = live_worker
    record_heartbeat.apply_async(args=["ci-probe"], queue=queue)
    seen = wait_for(lambda: WorkerHeartbeat.objects.filter(worker="ci-probe").first())
    log = log_path.read_text()
    assert seen is not None, f"the worker did not run the task; its log:\n{log}"
    assert "charity.tasks.record_heartbeat" in log
    if os.environ.get("REDIS_URL"):
        assert settings.CELERY_BROKER_URL.startswith("redis://")
        assert "transport:   redis://" in log
    else:
        assert "transport:   filesystem://" in log


@pytest.mark.worker
def test_task_enqueued_by_name_reaches_a_real_worker(live_worker):
    queue, log_path = live_worker
    enqueue("charity.tasks.record_heartbeat", "by-name", options={"queue": queue})  # no transaction: sent at once
    seen = wait_for(lambda: WorkerHeartbeat.objects.filter(worker="by-name").first())
    assert seen is not None, f"the worker did not run the task sent by name; its log:\n{log_path.read_text()}"
