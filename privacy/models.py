"""Data-subject requests (PDPL) and the record of what the retention job destroyed."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.models import BeneficiaryFile, Document
from beneficiaries.validators import validate_national_id

from .policy import RequestKind, RequestStatus, RetentionRule

USER = settings.AUTH_USER_MODEL


def private_export_path(instance, filename) -> str:
    """Store under a generated name: never the person's identity number, never guessable."""
    name = uuid.uuid4().hex
    return f"privacy/exports/{name[:2]}/{name}.zip"


class DataSubjectRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RequestStatus.OPEN)

    def overdue(self, today):
        """Open requests past their 30-day due date (one indexed question)."""
        return self.filter(status=RequestStatus.OPEN, due_on__lt=today)


class DataSubjectRequest(models.Model):
    """A person's request about their own data: access (export), correction or destruction."""

    kind = models.CharField(_("kind of request"), max_length=20, choices=RequestKind.choices)
    national_id = models.CharField(_("national ID or iqama number"), max_length=16, db_index=True,
                                   validators=[validate_national_id])
    requester_name = models.CharField(_("requester's name"), max_length=200)
    contact = models.CharField(_("how to reach them"), max_length=200)
    details = models.TextField(_("what they ask (for a correction: what is wrong)"), blank=True)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due on"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN,
                              db_index=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))
    handled_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("handled by"))
    completed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.TextField(_("outcome or reasons"), blank=True)
    export_file = models.FileField(_("export"), upload_to=private_export_path, max_length=200, blank=True)
    export_prepared_at = models.DateTimeField(_("export prepared at"), null=True, blank=True)
    export_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # A correction links the change that was made; the file's own history shows it.
    corrected_file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("corrected file"))
    correction_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("kind of history record"))
    correction_history_id = models.PositiveBigIntegerField(_("history record"), null=True, blank=True)

    objects = DataSubjectRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gt=F("received_on")), name="request_due_after_receipt"),
            models.CheckConstraint(condition=~Q(status="refused") | ~Q(outcome=""), name="refusal_has_reasons"),
            models.CheckConstraint(condition=Q(status="open") | Q(completed_at__isnull=False),
                                   name="closed_request_has_a_date"),
        ]
        permissions = [("handle_requests", _("Can handle data-subject requests and see the retention log"))]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("privacy:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN


class DestroyedDocument(models.Model):
    """A document whose stored file the retention job removed (the row keeps type and dates)."""

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="destruction",
                                    verbose_name=_("document"))
    destroyed_at = models.DateTimeField(_("destroyed at"))
    rule = models.CharField(_("rule"), max_length=20, choices=RetentionRule.choices)

    class Meta:
        ordering = ["-destroyed_at"]
        verbose_name = _("destroyed document")
        verbose_name_plural = _("destroyed documents")

    def __str__(self):
        return f"{self.document_id} @ {self.destroyed_at:%Y-%m-%d}"


class RetentionLog(models.Model):
    """One action of the retention job: which kind of record, its id, the rule, when.

    No personal data: only record types, ids and counts. Old access-log entries are cleared in
    batches, one row per batch (`object_id` holds the first and last id, `count` how many)."""

    class Action(models.TextChoices):
        ANONYMISED = "anonymised", _("Personal data replaced")
        FILE_DESTROYED = "file_destroyed", _("Stored file removed")

    at = models.DateTimeField(_("at"), db_index=True)
    rule = models.CharField(_("rule"), max_length=20, choices=RetentionRule.choices)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64)
    count = models.PositiveIntegerField(_("records"), default=1)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("retention-log entry")
        verbose_name_plural = _("retention log")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.rule} {self.content_type.model}#{self.object_id}"
