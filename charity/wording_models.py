"""The profile's own wording of a message to beneficiaries (charity.messages)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MessageWording(models.Model):
    """The profile's own wording of a message to beneficiaries (charity.messages), written by
    the admin; without one, the catalog's default is sent."""

    profile = models.ForeignKey("charity.PolicyProfile", on_delete=models.PROTECT, related_name="message_wordings",
                                verbose_name=_("policy profile"))
    purpose = models.CharField(_("message"), max_length=60)
    text = models.TextField(_("wording"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["profile", "purpose"]
        verbose_name = _("message wording")
        verbose_name_plural = _("message wordings")
        constraints = [models.UniqueConstraint(fields=["profile", "purpose"], name="one_wording_per_profile_purpose")]

    def __str__(self):
        return f"{self.profile} · {self.purpose}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.forget_cached()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.forget_cached()
        return result

    def forget_cached(self) -> None:
        """Clear the profile's wordings kept by charity.messages, after the commit too."""
        from django.core.cache import cache
        from django.db import transaction

        from . import breaker
        from .message_catalog import wordings_cache_key

        key = wordings_cache_key(self.profile_id)
        breaker.call(breaker.cache, lambda: cache.delete(key))
        transaction.on_commit(lambda: breaker.call(breaker.cache, lambda: cache.delete(key)))

    def clean(self):
        from .message_catalog import validate_wording

        if self.purpose:
            try:
                validate_wording(self.purpose, self.text or "")
            except ValidationError as error:
                field = "purpose" if getattr(error, "code", None) == "unknown_purpose" else "text"
                raise ValidationError({field: error.error_list}) from None
