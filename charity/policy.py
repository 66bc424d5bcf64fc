"""What the policy fixes for every association (PR, CH), whatever the profile.

The periods and the rest of what differs between associations live in the active
`PolicyProfile` (data, admin-editable); this module names the catalogues the profiles
choose from.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """CH — the channels through which a case may reach the association."""

    OFFICE = "office", _("Office interview")
    FIELD_VISIT = "field_visit", _("Field visit")
    SOCIAL = "social", _("Social media")
    WEB = "web", _("Website")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("Text message (SMS)")
    LETTER = "letter", _("Letters")
    HELP_REQUEST = "help_request", _("Help-request service")
    VOLUNTEER = "volunteer", _("Volunteering service")
    DELEGATE = "delegate", _("Delegate of the branch or introductory offices")
    REFERRAL = "referral", _("Referred by a supervisory or related agency")
    EMBASSY = "embassy", _("Embassy of the Kingdom (through the Ministry of Foreign Affairs)")


# GO-2 «serve electronically with modern means»: the channels through which a family applies
# without paper or a visit to the office. The dashboard reports their share.
ELECTRONIC_CHANNELS = frozenset({Channel.WEB, Channel.SOCIAL, Channel.SMS})
# GO-4 «serve the beneficiary where they are»: every channel but the office interview spares
# the family the trip.
AT_THE_OFFICE = Channel.OFFICE


class DecidingBody(models.TextChoices):
    """PR — who decides on new applications (IN-5)."""

    MANAGER = "manager", _("Beneficiary-services manager")
    COMMITTEE = "committee", _("Research committee")
    ASSOCIATION = "association", _("The association, answering through the Ministry of Foreign Affairs")


# The periods every profile must define, with the policy's defaults (RULES.md).
DEFAULT_PERIODS = {
    "decision_target_days": 14,  # IN-5 (interpretation: a 14-day target)
    "complaint_window_days": 30,  # CP-2
    "ruling_working_days": 15,  # CP-7
    "freeze_documents_months": 1,  # SC-6
    "freeze_contact_months": 3,  # SC-12
}
