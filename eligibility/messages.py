"""The messages eligibility sends to the family (RT-4, SC-2, SC-6, CP-1), registered with
`charity.messages` by `EligibilityConfig.ready()` and sent through `beneficiaries.messages`."""

from django.utils.translation import gettext_lazy as _

FREEZE_LATE_UPDATE = "freeze-SC-6"
FREEZE_LIFTED = "freeze-lifted"
RESPONSE_INCOMPLETE = "freeze-response-incomplete"
DEATH_TRANSFER = "death-transfer"

# RT-4: an acceptance may be decided without written reasons; the family still reads why.
ACCEPTED_WITHOUT_REASONS = _("the study found that the association's conditions are met")

# CP-1, CP-2: {grievance_period} is charity.charter.grievance_period: the profile's window where the
# association adopted its complaint procedure, else «at any time» with its ruling practice.
MESSAGES = {
    "decision-accept": (
        _("Application accepted (RT-4)"),
        _("Your application, file {file_number}, has been accepted by the association. Reasons: {reasons}. "
          "Your file: {portal_link}"),
    ),
    "decision-reject": (
        _("Application refused, with the reasons (RT-4)"),
        _("Your application, file {file_number}, was not accepted. Reasons: {reasons}. You may file a grievance "
          "{grievance_period} at {complaint_link}. Your file: {portal_link}"),
    ),
    "exclusion": (
        _("File excluded, with the certificate and the right to a grievance (SC-2, CP-1)"),
        _("File {file_number} has been excluded from the association's services. Reason: {reasons}. The exclusion "
          "certificate: {certificate_link}. You may file a grievance {grievance_period} at {complaint_link}."),
    ),
    # SC-6: the freeze names the documents still missing; the lift tells the family its file is active.
    FREEZE_LATE_UPDATE: (
        _("File frozen: annual update late (SC-6)"),
        _("File {file_number} has been frozen until {ends_on} because these documents of the annual update were "
          "not handed in: {documents}. Hand them in before that date, in «my file» or at the association, and the "
          "freeze lifts: {portal_link}"),
    ),
    RESPONSE_INCOMPLETE: (
        _("Documents handed in during the freeze found incomplete, with the reasons (SC-6, RT-4)"),
        _("The documents handed in for file {file_number} do not yet complete the annual update: {reasons}. "
          "Still needed: {documents}. Hand them in by {ends_on}, in «my file» or at the association, and the "
          "freeze lifts: {portal_link}"),
    ),
    # SC-7: the file is now in the new head's name, its number and history kept.
    DEATH_TRANSFER: (
        _("File moved to a dependant after the head of household's death (SC-7)"),
        _("After the death of {deceased}, file {file_number} is now in the name of {new_head}; its number and "
          "history are kept. Your file: {portal_link}"),
    ),
    FREEZE_LIFTED: (
        _("Freeze lifted"),
        _("The freeze on file {file_number} has been lifted; the file is active again. Your file: {portal_link}"),
    ),
}
