"""Superuser status is given only from the command line (`manage.py createsuperuser`; the
admin form shows it read-only, charity/admin_users.py), and every account that becomes
superuser, however it happened, is logged to `charity.security`."""

import logging

logger = logging.getLogger("charity.security")


def note_superuser_before_save(sender, instance, update_fields=None, raw=False, **kwargs):
    """Mark an account about to become superuser (a new one, or one that was not)."""
    if raw or not instance.is_superuser or (update_fields is not None and "is_superuser" not in update_fields):
        return
    was = instance.pk is not None and sender.objects.filter(pk=instance.pk, is_superuser=True).exists()
    instance._becomes_superuser = not was


def log_superuser_after_save(sender, instance, raw=False, **kwargs):
    if raw or not getattr(instance, "_becomes_superuser", False):
        return
    instance._becomes_superuser = False
    logger.warning("account %r (id %s) is now a superuser", instance.get_username(), instance.pk)
