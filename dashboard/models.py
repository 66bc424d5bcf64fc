"""Long exports run by a worker, with visible progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("requested by"))
    kind = models.CharField(_("export"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    output = models.FileField(_("file"), upload_to="exports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        permissions = [("view_dashboard", _("Can see the executive director's dashboard"))]

    def __str__(self):
        return f"{self.kind} ({self.get_status_display()})"


class MonthlyFigure(models.Model):
    """A figure of a closed calendar month, counted over every file and stored so that the
    dashboard does not scan the big tables on each request (dashboard/monthly.py).

    Derived data, not a case record: no history; dashboard.services.refresh_monthly_figures
    recounts it from the records (idempotent) and it may be deleted at any time."""

    class Figure(models.TextChoices):
        MONTH = "month", _("Month counted")  # one per refreshed month: its figures are all stored
        AID_PAID = "aid_paid", _("Aid paid, by fund")

    month = models.DateField(_("month"))
    figure = models.CharField(_("figure"), max_length=20, choices=Figure.choices)
    dimension = models.PositiveIntegerField(_("dimension"), default=0, help_text=_("The fund's number; 0 for none."))
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=2, default=0)
    count = models.PositiveIntegerField(_("count"), default=0)
    refreshed_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        constraints = [models.UniqueConstraint(fields=["month", "figure", "dimension"], name="one_figure_per_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.figure} {self.dimension}"
