"""The family's delegate and the one-time sign-in codes of «my file»."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.models import BeneficiaryFile, Member

USER = settings.AUTH_USER_MODEL


class DelegateQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class Delegate(models.Model):
    """A household member staff registered as the family's delegate: they may sign in to the
    family's file as the head does. Never deleted: an ended delegation keeps its history."""

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="delegates",
                             verbose_name=_("file"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="delegations",
                               verbose_name=_("household member"))
    reason = models.TextField(_("reason"))
    designated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("registered by"))
    designated_at = models.DateTimeField(_("registered at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("ended by"))
    end_reason = models.TextField(_("reason for ending"), blank=True)

    objects = DelegateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["file", "-designated_at"]
        verbose_name = _("family delegate")
        verbose_name_plural = _("family delegates")
        constraints = [models.UniqueConstraint(fields=["file"], condition=Q(ended_at__isnull=True),
                                               name="one_current_delegate_per_file")]

    def __str__(self):
        return f"{self.file.number}: {self.member}"


class SignInCode(models.Model):
    """A one-time code sent by SMS to the file's mobile. Only its HMAC is kept (policy.hash_code)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be typed")
        USED = "used", _("Used to sign in")
        EXHAUSTED = "exhausted", _("Void after too many wrong tries")
        REPLACED = "replaced", _("Replaced by a newer code")

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="sign_in_codes",
                             verbose_name=_("file"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("signing in"))
    salt = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    issued_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("expires at"))
    tries = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["salt", "code_hash"])

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [models.Index(fields=["file", "status"])]

    def __str__(self):
        return f"{self.file.number} {self.issued_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"
