from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    name = "satisfaction"
    verbose_name = _("Beneficiary satisfaction")

    def ready(self):
        from charity.messages import register_messages

        from .messages import MESSAGES

        register_messages(MESSAGES)
