"""charity.queue.enqueue: a task named, run after the commit, never on rollback."""

import logging

import pytest
from celery.exceptions import NotRegistered
from django.db import transaction
from kombu.exceptions import OperationalError

from charity import breaker
from charity.celery import app
from charity.models import WorkerHeartbeat
from charity.queue import enqueue, registered_task

pytestmark = pytest.mark.django_db
HEARTBEAT = "charity.tasks.record_heartbeat"


class BoomError(Exception):
    pass


@app.task(name="charity.tests.test_queue.fail")
def fail():
    raise BoomError


@pytest.fixture
def not_eager(monkeypatch):
    """Send to the broker as in production; record what is sent instead of sending it."""
    sent = []
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(app, "send_task", lambda name, **kw: sent.append((name, kw)))
    return sent


def test_enqueue_runs_the_task_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue(HEARTBEAT, "probe")
        assert not WorkerHeartbeat.objects.filter(worker="probe").exists()
    assert len(callbacks) == 1
    assert WorkerHeartbeat.objects.filter(worker="probe").exists()


def test_enqueue_runs_nothing_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError), \
            transaction.atomic():
        enqueue(HEARTBEAT, "rolled-back")
        raise RuntimeError
    assert callbacks == []
    assert not WorkerHeartbeat.objects.filter(worker="rolled-back").exists()


def test_enqueue_eager_passes_keyword_arguments_to_the_real_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(HEARTBEAT, worker="by-keyword", options={"queue": "elsewhere", "countdown": 5})
    assert WorkerHeartbeat.objects.filter(worker="by-keyword").exists()


def test_enqueue_eager_propagates_the_task_exception(django_capture_on_commit_callbacks):
    with pytest.raises(BoomError), django_capture_on_commit_callbacks(execute=True):
        enqueue("charity.tests.test_queue.fail")


def test_enqueue_unknown_name_fails_in_the_caller(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(NotRegistered):
        enqueue("charity.tasks.no_such_task", 1)
    assert callbacks == []


def test_enqueue_sends_by_name_with_arguments_and_options(not_eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(HEARTBEAT, "w1", options={"queue": "q1", "countdown": 3})
    assert not_eager == [(HEARTBEAT, {"args": ("w1",), "kwargs": {}, "ignore_result": True, "queue": "q1",
                                      "countdown": 3})]
    assert not WorkerHeartbeat.objects.exists()


def test_enqueue_broker_down_logs_a_warning(monkeypatch, caplog, django_capture_on_commit_callbacks):
    def refuse(name, **kw):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(app, "send_task", refuse)
    with caplog.at_level(logging.WARNING, logger="charity.queue"), django_capture_on_commit_callbacks(execute=True):
        enqueue(HEARTBEAT, "w2")
    assert "broker unavailable" in caplog.text
    assert HEARTBEAT in caplog.text


def test_registered_task_knows_every_scheduled_task_by_name(settings):
    # The web process has not imported the tasks modules; the helper discovers them itself.
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert registered_task(entry["task"]).name == entry["task"]


def test_after_a_broker_failure_the_next_tasks_wait_without_asking_it(monkeypatch, django_capture_on_commit_callbacks):
    """Issue «Hardening», Redis outages: a down or hung broker costs one bounded attempt per
    process, then it is left alone (charity/breaker.py); each caller still hears it failed."""
    attempts, failed = [], []

    def refuse(name, **kw):
        attempts.append(name)
        raise OperationalError("timed out")

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(app, "send_task", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            enqueue(HEARTBEAT, f"w{n}", on_failure=lambda n=n: failed.append(n))
    assert attempts == [HEARTBEAT] and failed == [0, 1, 2]
    breaker.broker.reset()  # the retry period over: the next task is sent again
    monkeypatch.setattr(app, "send_task", lambda name, **kw: attempts.append(kw["ignore_result"]))
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(HEARTBEAT, "w3")
    assert attempts == [HEARTBEAT, True]  # fire-and-forget: no wait on the result backend
