from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "aid"
    verbose_name = _("Aid")

    def ready(self):
        from charity.messages import register_messages

        from .messages import MESSAGES

        register_messages(MESSAGES)

        from beneficiaries.scopes import register_file_scoped

        from .models import Disbursement

        register_file_scoped(Disbursement)
