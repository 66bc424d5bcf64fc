from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints and grievances")

    def ready(self):
        from charity.messages import register_messages

        from .messages import MESSAGES

        register_messages(MESSAGES)

        from charity.scopes import register_scope

        from .models import Complaint, Suggestion

        register_scope(Complaint, Complaint.objects.visible_to)  # CP-8
        register_scope(Suggestion, Suggestion.objects.visible_to)  # DU-12
