"""Changes the beneficiary reports (DU-4) and the annual update (DU-5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..policy import ChangeKind
from .file import BeneficiaryFile


class ReportedChange(models.Model):
    """DU-4: a change the beneficiary reported, with the date they reported it."""

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="reported_changes",
                             verbose_name=_("file"))
    kind = models.CharField(_("kind of change"), max_length=20, choices=ChangeKind.choices)
    reported_on = models.DateField(_("reported on"))
    description = models.TextField(_("what changed"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_on", "-recorded_at"]
        verbose_name = _("reported change")
        verbose_name_plural = _("reported changes")

    def __str__(self):
        return f"{self.file.number}: {self.get_kind_display()}"


class AnnualUpdate(models.Model):
    """DU-5: the manager announces the yearly update of families' data, with a deadline."""

    title = models.CharField(_("title"), max_length=200)
    announced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("announced by"))
    announced_on = models.DateField(_("announced on"))
    deadline = models.DateField(_("deadline"), db_index=True)
    required_documents = models.JSONField(_("documents to renew"), default=list)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-announced_on"]
        verbose_name = _("annual update")
        verbose_name_plural = _("annual updates")

    def __str__(self):
        return self.title


class UpdateRequest(models.Model):
    """One active file's part in an annual update: open until its documents are renewed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting documents")
        COMPLETED = "completed", _("Completed")
        LATE = "late", _("Late (file frozen under SC-6)")

    update = models.ForeignKey(AnnualUpdate, on_delete=models.PROTECT, related_name="requests",
                               verbose_name=_("annual update"))
    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="update_requests",
                             verbose_name=_("file"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    # DU-5: the family's own deadline, set when the announcement reached it (told_on); a family
    # never told has none, so SC-6 can never find it late.
    told_on = models.DateField(_("told on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("completed by"))
    # Completed by staff review although documents were missing (SC-6): why they were not needed.
    completion_note = models.TextField(_("completion note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("update request")
        verbose_name_plural = _("update requests")
        constraints = [models.UniqueConstraint(fields=["update", "file"], name="one_request_per_file_and_update")]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return f"{self.update}: {self.file.number}"


class UpdateNotice(models.Model):
    """DU-5: how the annual update reached a family. An SMS or e-mail is its outbox row, told
    once delivered; a letter or a visit is recorded by staff with who told the family and when."""

    class Method(models.TextChoices):
        SMS = "sms", _("Text message (SMS)")
        EMAIL = "email", _("Email")
        LETTER = "letter", _("Letter")
        VISIT = "visit", _("Visit")

    request = models.ForeignKey(UpdateRequest, on_delete=models.PROTECT, related_name="notices",
                                verbose_name=_("update request"))
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    notification = models.ForeignKey("charity.Notification", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("outbox message"))
    told_on = models.DateField(_("told on"), null=True, blank=True)
    told_by = models.CharField(_("told by"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "recorded_at"]
        verbose_name = _("update notice")
        verbose_name_plural = _("update notices")
        indexes = [models.Index(fields=["told_on"])]

    def __str__(self):
        return f"{self.request}: {self.get_method_display()}"
