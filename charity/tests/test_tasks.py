"""Every Celery task of the project is bounded in time and in retries, and acknowledges late
only when running it twice is harmless (issue «Proof under attack», reliability)."""

from django.conf import settings

from charity.celery import app

PROJECT = ("charity.", "beneficiaries.", "aid.", "programmes.", "eligibility.", "complaints.", "satisfaction.",
           "dashboard.", "privacy.")

# Tasks that may run twice (a worker killed after starting one redelivers it), and why that is
# harmless. A new acks_late task must be added here, with its reason, by whoever reviews it.
IDEMPOTENT = {
    "charity.tasks.record_heartbeat": "one row per worker, last time wins",
    "charity.tasks.send_notification": "a sent notification is never sent again (row lock, status)",
    "charity.tasks.send_notifications": "the same, for each notification of the batch",
    "charity.tasks.deliver_pending_notifications": "the same, for each pending notification",
    "charity.tasks.remove_orphan_uploads": "removing a removed file does nothing",
    "complaints.tasks.send_deadline_reminders": "each reminder has a dedupe key in the outbox",
    "complaints.tasks.send_daily_digest": "one digest a day (dedupe key)",
    "eligibility.tasks.enforce_deadlines": "the sweep is exactly-once (test_sweep_*.py)",
    "eligibility.tasks.render_certificates": "a rendered certificate is never rendered again",
    "programmes.expire_nominations": "only nominations still waiting past their date",
    "aid.tasks.send_payment_survey": "one survey per payment: send_survey skips an event that has one",
    "privacy.tasks.apply_retention": "anonymised records are skipped",
}


def _tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if name.startswith(PROJECT)}


def test_every_task_has_a_soft_and_a_hard_time_limit():
    tasks = _tasks()
    assert len(tasks) >= 13
    unbounded = [name for name, task in tasks.items()
                 if not (task.time_limit and task.soft_time_limit and task.soft_time_limit < task.time_limit)]
    assert unbounded == []


def test_retries_are_bounded_and_never_automatic():
    for name, task in _tasks().items():
        assert task.max_retries is not None and task.max_retries <= 5, name
        assert not getattr(task, "autoretry_for", ()), name


def test_acks_late_only_where_running_twice_is_harmless():
    late = {name for name, task in _tasks().items() if task.acks_late}
    assert late == set(IDEMPOTENT)
    assert not getattr(settings, "CELERY_TASK_ACKS_LATE", False)  # never on by default
