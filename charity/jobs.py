"""Long periodic jobs that must finish (the daily deadline sweep).

Each run is recorded (`JobRun`) and shows a sign of life after every batch it commits. A
worker killed half-way (SIGKILL, out of memory, a restart) leaves its run «running» with an
old sign of life. The watchdog (`resume_stalled`, every few minutes from beat) finds such a
run, marks it interrupted, sends the job again at once (not after the broker's one-hour
redelivery) and tells the administrators by e-mail, with an error in the log for the error
mails. The next run records that it resumes the interrupted one.

A tracked job must be safe to run twice: the deadline sweep is (each due row exactly once,
eligibility/sweep.py), so a run wrongly thought dead costs nothing but a second pass.
"""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .job_models import JobRun
from .notifications import queue_notification
from .queue import enqueue
from .roles import Role

logger = logging.getLogger("charity.jobs")
PURPOSE = "job-interrupted"


def stall_after() -> dt.timedelta:
    """How long a run may go without a sign of life before it is thought dead (JOB_STALL_MINUTES)."""
    return dt.timedelta(minutes=settings.JOB_STALL_MINUTES)


def start(task_name: str, args: list, *, now: dt.datetime) -> JobRun:
    """Record a run that starts now; it resumes the latest interrupted run of the same job and
    arguments that nothing has resumed yet."""
    interrupted = (JobRun.objects.filter(task_name=task_name, args=args, outcome=JobRun.Outcome.INTERRUPTED,
                                         resumed_by__isnull=True).order_by("-started_at").first())
    return JobRun.objects.create(task_name=task_name, args=args, started_at=now, heartbeat_at=now,
                                 resumes=interrupted)


def alive(run: JobRun, *, done: int, now: dt.datetime | None = None) -> None:
    """A sign of life after a committed batch (one UPDATE, outside the batch's transaction)."""
    JobRun.objects.filter(pk=run.pk, outcome=JobRun.Outcome.RUNNING).update(
        heartbeat_at=now or timezone.now(), progress=done)


def finish(run: JobRun, *, now: dt.datetime, outcome: str = JobRun.Outcome.FINISHED, detail: str = "") -> None:
    """The run ended; a run the watchdog already declared interrupted keeps that outcome."""
    JobRun.objects.filter(pk=run.pk, outcome=JobRun.Outcome.RUNNING).update(
        finished_at=now, heartbeat_at=now, outcome=outcome, detail=detail[:2000])


@contextmanager
def tracked(task_name: str, args: list, *, now: dt.datetime | None = None):
    """Run the body as a recorded run: yields the run, marks it finished, or failed (and
    re-raises) when the body raises."""
    run = start(task_name, args, now=now or timezone.now())
    try:
        yield run
    except BaseException as exc:  # a soft time limit too: the run did not finish
        finish(run, now=timezone.now(), outcome=JobRun.Outcome.FAILED, detail=type(exc).__name__)
        raise
    finish(run, now=timezone.now())


def resume_stalled(*, now: dt.datetime) -> list[JobRun]:
    """Every run without a sign of life for `stall_after()`: marked interrupted, sent again
    (after this transaction commits) and reported to the administrators. Safe to run at any
    time and from two workers at once (each stalled run is taken by one of them)."""
    with transaction.atomic():
        stalled = list(JobRun.objects.select_for_update(skip_locked=True)
                       .filter(outcome=JobRun.Outcome.RUNNING, heartbeat_at__lt=now - stall_after())
                       .order_by("started_at"))
        for run in stalled:
            run.outcome, run.finished_at = JobRun.Outcome.INTERRUPTED, now
            run.detail = _("No sign of life since %(when)s after %(done)d rows: its worker stopped. "
                           "Sent again at %(now)s.") % {
                "when": timezone.localtime(run.heartbeat_at).strftime("%Y-%m-%d %H:%M"), "done": run.progress,
                "now": timezone.localtime(now).strftime("%Y-%m-%d %H:%M")}
            run.save(update_fields=["outcome", "finished_at", "detail"])
            logger.error("job %s (run %s, started %s) stopped after %d rows without finishing: sent again",
                         run.task_name, run.pk, run.started_at.isoformat(), run.progress)
            _tell_admins(run)
            enqueue(run.task_name, *run.args)
    return stalled


def _tell_admins(run: JobRun) -> int:
    """E-mail every active system administrator (and superuser) once about this run."""
    admins = (get_user_model().objects.filter(is_active=True)
              .filter(Q(groups__name=Role.ADMIN.value) | Q(is_superuser=True)).distinct())
    subject = _("A background job stopped and was started again")
    body = _("The job «%(job)s» that started at %(started)s stopped without finishing. %(detail)s "
             "Nothing is done twice; check that the background worker is healthy.") % {
        "job": run.task_name, "started": timezone.localtime(run.started_at).strftime("%Y-%m-%d %H:%M"),
        "detail": run.detail}
    queued = 0
    for user in admins:
        queued += bool(queue_notification(channel="email", recipient=user.email, subject=subject, body=body,
                                          about=run, purpose=PURPOSE, dedupe_key=f"{PURPOSE}:{run.pk}:{user.pk}"))
    return queued


def recent_interruptions(*, now: dt.datetime, days: int = 7):
    """The runs interrupted in the last `days` days, newest first (the administrator's home)."""
    return JobRun.objects.filter(outcome=JobRun.Outcome.INTERRUPTED,
                                 finished_at__gte=now - dt.timedelta(days=days)).order_by("-finished_at")
