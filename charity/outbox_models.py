"""The outbox's tables: a notification to send and every attempt to deliver it (imported into
charity.models, where the rest of the foundation's tables are)."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NotificationQuerySet":
        """The notifications `user` may see: those about a record they may see (charity.scopes:
        the file's RT-6 scope, the complaint's CP-8 scope, …). A superuser sees them all; a
        notification about no record, or about a model without a scope, only a superuser."""
        from .scopes import generic_scope

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(generic_scope(user))


class Notification(models.Model):
    """An outbox row: a message to a beneficiary or to staff, written in the same transaction
    as the change it reports, and delivered by a worker (so nothing is lost while Redis is down:
    a periodic sweep delivers whatever is still pending)."""

    class Channel(models.TextChoices):
        SMS = "sms", _("Text message (SMS)")
        EMAIL = "email", _("Email")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True,
                                     verbose_name=_("about record type"))
    object_id = models.CharField(_("about record id"), max_length=64, blank=True)
    purpose = models.CharField(_("purpose"), max_length=60, blank=True)
    dedupe_key = models.CharField(max_length=120, unique=True, null=True, blank=True, editable=False)
    # Messages carrying a secret (a complaint's code) keep no copy once delivered.
    redact_after_send = models.BooleanField(default=False, editable=False)
    # The secrets of the message (a code, a link with a token), sealed (charity.notifications.sealing):
    # the body holds only their placeholders. Opened by the worker that delivers, then emptied.
    sealed = models.TextField(blank=True, default="", editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now, db_index=True)
    # Held by the one worker making an attempt (outbox.claim); a lapsed claim may be taken again.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # What the gateway said: its id and status for a sent message, or the last failure's reason.
    provider_message_id = models.CharField(_("gateway message id"), max_length=100, blank=True)
    provider_status = models.CharField(_("gateway status"), max_length=40, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["status", "next_attempt_at"]),
                   models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient} ({self.get_status_display()})"


class DeliveryAttempt(models.Model):
    """Every attempt to deliver a notification, with its result (RT-4, CP-9)."""

    notification = models.ForeignKey(Notification, on_delete=models.PROTECT, related_name="delivery_attempts",
                                      verbose_name=_("notification"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    backend = models.CharField(_("backend"), max_length=120)
    success = models.BooleanField(_("succeeded"))
    detail = models.TextField(_("result"), blank=True)

    class Meta:
        ordering = ["notification", "at"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {'✓' if self.success else '✗'} {self.backend}"
