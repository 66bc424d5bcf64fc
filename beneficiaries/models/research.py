"""The social researcher of a file (RT-2, RT-7, RT-8), the applicant's questions referred to the
person the profile names (IN-4) and the family member the beneficiary asked to take part in
decisions (RT-5)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from charity.roles import PROCEDURE_EXPLAINER_ROLES, Role

from .file import BeneficiaryFile, Member


class ResearcherAssignment(models.Model):
    """One period during which a researcher served a file; the history of assignments."""

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="assignments",
                             verbose_name=_("file"))
    researcher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("social researcher"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("assigned by"))
    assigned_at = models.DateTimeField(_("assigned at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["file", "-assigned_at"]
        verbose_name = _("researcher assignment")
        verbose_name_plural = _("researcher assignments")
        constraints = [models.UniqueConstraint(fields=["file"], condition=Q(ended_at__isnull=True),
                                               name="one_current_assignment_per_file")]

    def __str__(self):
        return f"{self.file.number}: {self.researcher}"


class ResearcherChangeRequest(models.Model):
    """RT-2: the beneficiary asks for another researcher, with reasons; the manager decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the manager's decision")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="researcher_requests",
                             verbose_name=_("file"))
    reasons = models.TextField(_("the beneficiary's reasons"))
    # None: the family asked through «my file» (the portal), not through a member of staff.
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    new_researcher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("new researcher"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("request to change researcher")
        verbose_name_plural = _("requests to change researcher")
        constraints = [models.UniqueConstraint(fields=["file"], condition=Q(status="pending"),
                                               name="one_pending_researcher_request")]

    def __str__(self):
        return f"{self.file.number}: {self.get_status_display()}"


class ManagerReferral(models.Model):
    """IN-4: an applicant's question referred to the role the profile names (the beneficiary-services
    manager or the social-research officer), who explains. The name is historical."""

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="referrals",
                             verbose_name=_("file"))
    # The role the question went to, as the profile named it that day.
    referred_to = models.CharField(_("referred to"), max_length=40, choices=PROCEDURE_EXPLAINER_ROLES,
                                   default=Role.MANAGER.value)
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("referred by"))
    asked_at = models.DateTimeField(_("referred at"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = _("applicant's question (IN-4)")
        verbose_name_plural = _("applicants' questions (IN-4)")
        permissions = [
            ("view_referred_files", _("Can see the files whose applicant's question was referred to their role")),
        ]

    def __str__(self):
        return f"{self.file.number}: {self.question[:40]}"


class ParticipationRequest(models.Model):
    """RT-5: the beneficiary asks that a family member take part in decisions about their care
    and in solving problems — a member of the household, or a person named with their
    relationship. The latest request of a file is the one in force."""

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="participation_requests",
                             verbose_name=_("file"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("household member"))
    name = models.CharField(_("name"), max_length=200)
    relationship = models.CharField(_("relationship"), max_length=60)
    requested_on = models.DateField(_("asked on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("request that a family member take part")
        verbose_name_plural = _("requests that a family member take part")

    def __str__(self):
        return f"{self.file.number}: {self.name} ({self.relationship})"
