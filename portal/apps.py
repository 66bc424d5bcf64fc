from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("«My file»: the beneficiary's portal")

    def ready(self):
        from beneficiaries.scopes import register_file_scoped

        from .models import SignInCode

        register_file_scoped(SignInCode)
