"""SC-2: the official handover of the exclusion certificate to the beneficiary — who handed it,
to whom, when and how — recorded once, with history (imported into eligibility.models)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class HandoverMethod(models.TextChoices):
    IN_PERSON = "in_person", _("Handed to the beneficiary in person")
    REPRESENTATIVE = "representative", _("Handed to a family member or representative")
    REGISTERED_MAIL = "registered_mail", _("Sent by registered mail")
    EMAIL = "email", _("Sent by e-mail")


class CertificateHandover(models.Model):
    certificate = models.OneToOneField("eligibility.Certificate", on_delete=models.PROTECT, related_name="handover",
                                       verbose_name=_("certificate"))
    method = models.CharField(_("how"), max_length=20, choices=HandoverMethod.choices)
    received_by = models.CharField(_("received by"), max_length=200)
    handed_on = models.DateField(_("handed over on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("handed over by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certificate handover")
        verbose_name_plural = _("certificate handovers")

    def __str__(self):
        return f"{self.certificate} → {self.received_by}"
