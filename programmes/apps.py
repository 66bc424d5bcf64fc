from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self):
        from beneficiaries.scopes import register_file_scoped

        from .models import Nomination

        register_file_scoped(Nomination)
