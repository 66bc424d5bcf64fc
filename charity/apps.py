from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from .roles import sync_role_permissions

    sync_role_permissions()


class CharityConfig(AppConfig):
    name = "charity"
    verbose_name = _("Association and system")

    def ready(self):
        # After every migrate, give each role the permissions that now exist.
        post_migrate.connect(_sync_roles, dispatch_uid="charity.sync_roles")

