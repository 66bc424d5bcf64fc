from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Beneficiary files")

    def ready(self):
        from charity.history import register_reasons
        from charity.messages import register_messages

        from .history_reasons import REASONS
        from .messages import MESSAGES

        register_reasons(REASONS)
        register_messages(MESSAGES)

        from .scopes import register_scopes

        register_scopes()
