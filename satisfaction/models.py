"""Satisfaction surveys after a service (SAT-1, SAT-2, IN-8, GO-5, GO-6)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import BeneficiaryFile


class Service(models.TextChoices):
    """The services a survey follows."""

    AID = "aid", _("Aid")
    PROGRAMME = "programme", _("Programme or training")
    COMPLAINT = "complaint", _("Complaint ruling")


class Survey(models.Model):
    """One survey per event (a disbursement, a programme, a complaint ruling), answered once
    through a tokenised link that expires. Only a hash of the token is stored."""

    service = models.CharField(_("service"), max_length=20, choices=Service.choices, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("event type"))
    object_id = models.CharField(_("event id"), max_length=64)
    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="surveys", verbose_name=_("file"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("member of staff who served"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, db_index=True)
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"), null=True, blank=True)
    courtesy = models.PositiveSmallIntegerField(_("respect and courtesy of the staff"), null=True, blank=True)
    speed = models.PositiveSmallIntegerField(_("speed of the service"), null=True, blank=True)
    clarity = models.PositiveSmallIntegerField(_("clarity of the information"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_survey_per_event"),
            models.CheckConstraint(condition=models.Q(overall__isnull=True) | models.Q(overall__range=(1, 5)),
                                   name="overall_1_to_5"),
        ]
        indexes = [models.Index(fields=["service", "answered_at"])]
        permissions = [("view_results", _("Can see satisfaction results"))]

    def __str__(self):
        return f"{self.get_service_display()} {self.sent_at:%Y-%m-%d}"
