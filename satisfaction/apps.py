from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    name = "satisfaction"
    verbose_name = _("Beneficiary satisfaction")

    def ready(self):
        from charity.messages import register_messages

        from .messages import MESSAGES

        register_messages(MESSAGES)

        from beneficiaries.scopes import register_file_scoped

        from .models import Survey

        register_file_scoped(Survey)  # a complainant's survey with no file: superusers only
