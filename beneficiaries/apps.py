from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Beneficiary files")

    def ready(self):
        from charity.history import register_reasons

        from .history_reasons import REASONS

        register_reasons(REASONS)

        from charity.messages import register_messages

        from .messages import MESSAGES

        register_messages(MESSAGES)
