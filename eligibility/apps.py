from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EligibilityConfig(AppConfig):
    name = "eligibility"
    verbose_name = _("Eligibility and service controls")

    def ready(self):
        from charity.history import register_reasons
        from charity.messages import register_messages

        from .history_reasons import REASONS
        from .messages import MESSAGES

        register_reasons(REASONS)
        register_messages(MESSAGES)

        from beneficiaries.scopes import register_file_scoped

        from .models import DeathRecord, Decision, Exclusion, Freeze

        register_file_scoped(Decision, Exclusion, Freeze, DeathRecord)

        from beneficiaries.signals import document_handed_in

        document_handed_in.connect(_record_freeze_response, dispatch_uid="eligibility.freeze_response")


def _record_freeze_response(sender, *, file_id, document, now, **kwargs):
    """SC-6: documents handed in during a freeze are a response (controls.record_freeze_response)."""
    from .controls import record_freeze_response
    from .policy import NOT_A_RESPONSE

    if document.doc_type not in NOT_A_RESPONSE:
        record_freeze_response(file_id=file_id, now=now)
