from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using="default", apps=None, **kwargs):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    from .roles import sync_role_permissions

    # post_migrate reaches the apps one by one, in INSTALLED_APPS order; make sure every app's
    # permissions exist before the roles are given theirs, whichever app is being signalled.
    for app_config in global_apps.get_app_configs():
        if app_config.models_module is not None:
            create_permissions(app_config, verbosity=0, using=using)
    sync_role_permissions()


class CharityConfig(AppConfig):
    name = "charity"
    verbose_name = _("Association and system")

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
        # After every migrate, give each role the permissions that now exist.
        post_migrate.connect(_sync_roles, dispatch_uid="charity.sync_roles")
        from .superusers import log_superuser_after_save, note_superuser_before_save

        user = self.get_model("User")
        pre_save.connect(note_superuser_before_save, sender=user, dispatch_uid="charity.superuser_before")
        post_save.connect(log_superuser_after_save, sender=user, dispatch_uid="charity.superuser_after")

