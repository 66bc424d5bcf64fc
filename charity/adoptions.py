"""PR «Sections per profile»: which sections of the general policy an association adopted, and by
which board decision. No row: the section is not adopted (nothing punitive runs on it and no page
calls it approved). Rows change only through charity.services (adopt_section, withdraw_section)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .policy import Section


class SectionAdoption(models.Model):
    """One section of the policy adopted by one association, with the decision that adopted it.

    A shipped profile whose text contains a section but names no decision number (amass, kafl)
    has the row with the number (and, for kafl, the date) blank: adopted by the approved text,
    the decision left for the admin to record on the setup checklist."""

    profile = models.ForeignKey("charity.PolicyProfile", on_delete=models.PROTECT, related_name="section_adoptions",
                                verbose_name=_("policy profile"))
    section = models.CharField(_("section"), max_length=30, choices=Section.choices)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["profile", "section"]
        verbose_name = _("adopted section")
        verbose_name_plural = _("adopted sections")
        constraints = [models.UniqueConstraint(fields=["profile", "section"], name="one_adoption_per_profile_section")]

    def __str__(self):
        return f"{self.profile_id} · {self.get_section_display()}"

    @property
    def decision_recorded(self) -> bool:
        """Whether the decision's number and date are both on record (else: on the setup checklist)."""
        return bool(self.decision_number and self.decided_on)
