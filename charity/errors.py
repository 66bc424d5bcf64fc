"""Messages of the installation's services that users see (translatable; tests import them)."""

from django.utils.translation import gettext_lazy as _

# PR «Sections per profile»: the admin's setup checklist.
UNKNOWN_SECTION = _("Choose one of the sections of the policy.")
DECISION_NUMBER_REQUIRED = _("Enter the number of the board decision (or minutes) that adopted the section.")
DECISION_DATE_REQUIRED = _("Enter the date of the board decision.")
DECISION_DATE_IN_FUTURE = _("The decision date cannot be later than today.")
WITHDRAWAL_REASON_REQUIRED = _("Say why the adoption is withdrawn (for example: recorded by mistake).")
SECTION_NOT_ADOPTED = _("This section is not adopted.")

# PR: values no text gives, which the admin sets on the profile's setup checklist (charity.setup).
SERVICE_AREA_NOT_SET = _("The association's service area is not set yet, so no application can be submitted. "
                         "The system administrator must first set the service-area cities on the policy "
                         "profile's setup checklist.")
QUORUM_NOT_SET = _("The research committee's quorum is not set yet, so the committee cannot record a decision. "
                   "The system administrator must first set the quorum on the policy profile's setup checklist.")
QUORUM_TOO_SMALL = _("The quorum is at least one member.")
CITY_NAME_EMPTY = _("Write one city per line.")
