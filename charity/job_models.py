"""The record of each run of a long periodic job (imported into charity.models): when it
started, its last sign of life, how it ended, and the run that resumed it (charity/jobs.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")
        INTERRUPTED = "interrupted", _("Interrupted (its worker stopped) and resumed")

    task_name = models.CharField(_("job"), max_length=120, db_index=True)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    started_at = models.DateTimeField(_("started at"))
    heartbeat_at = models.DateTimeField(_("last sign of life"))
    progress = models.PositiveIntegerField(_("rows done"), default=0)
    finished_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.RUNNING,
                               db_index=True)
    detail = models.TextField(_("detail"), blank=True)
    resumes = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="resumed_by",
                                verbose_name=_("resumes the run"))

    class Meta:
        verbose_name = _("background job run")
        verbose_name_plural = _("background job runs")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.task_name} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"
