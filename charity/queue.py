"""Enqueue a background task by name once the caller's transaction commits.

Services call `enqueue("app.tasks.name", *args)` instead of importing their tasks module, so
services and tasks never import each other (STYLE.md point 5): tasks call services, services
name tasks.
"""

import functools
import logging
from collections.abc import Callable

from celery import Task
from django.db import transaction

from . import breaker
from .celery import app

logger = logging.getLogger("charity.queue")


@functools.cache
def _discover() -> None:
    """Import every installed app's tasks module once, so the registry knows every name
    (a worker does this at start; a web process only when it first enqueues)."""
    app.autodiscover_tasks(force=True)


def registered_task(task_name: str) -> Task:
    """Return the task registered under `task_name`; raise celery's NotRegistered if none is."""
    _discover()
    return app.tasks[task_name]


def enqueue(task_name: str, *args, options: dict | None = None, on_failure: Callable[[], None] | None = None,
            **kwargs) -> None:
    """Run the task named `task_name` with `args`/`kwargs` after the current transaction
    commits (at once outside a transaction); nothing runs if it rolls back.

    `options` go to Celery as they are (`queue`, `countdown`, ...). An unknown name raises
    NotRegistered here, in the caller. With `task_always_eager` (the tests) the task runs
    inline and its exceptions propagate as with `.delay()`; otherwise it is sent to the broker,
    and a broker that cannot be reached is logged: the periodic sweeps pick the work up, and
    `on_failure` (if given) tells the caller's record that nothing will run it now. After a
    failure the broker is left alone for a while (charity/breaker.py): a down or hung Redis
    costs one bounded timeout, not one per request."""
    task = registered_task(task_name)
    options = dict(options or {})
    transaction.on_commit(lambda: _send(task, args, kwargs, options, on_failure))


def _send(task: Task, args: tuple, kwargs: dict, options: dict, on_failure=None) -> None:
    if app.conf.task_always_eager:  # send_task ignores eager mode: run it as .delay() would
        task.apply(args=args, kwargs=kwargs, **options)
        return
    if breaker.broker.is_open():
        logger.warning("broker left alone after a failure; task %s not sent (args %r)", task.name, args)
    else:
        try:
            # send_task knows the task by name only: say it is fire-and-forget, or it waits on the result backend.
            app.send_task(task.name, args=args, kwargs=kwargs, ignore_result=task.ignore_result, **options)
            breaker.broker.succeeded()
            return
        except Exception:  # the broker is down: the work stays queued in the database
            breaker.broker.trip()
            logger.warning("broker unavailable; task %s not sent (args %r)", task.name, args, exc_info=True)
    if on_failure is not None:
        on_failure()
