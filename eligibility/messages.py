"""The messages eligibility sends about a family's freeze (SC-6), registered in the catalog
(charity.messages) from EligibilityConfig.ready(): purpose → (label, default wording). The
admin may edit each wording per profile; the dates (…_on) and links (…_link) must stay."""

from django.utils.translation import gettext_lazy as _

FREEZE_LATE_UPDATE = "freeze-SC-6"
FREEZE_LIFTED = "freeze-lifted"

MESSAGES = {
    FREEZE_LATE_UPDATE: (
        _("File frozen: annual update late (SC-6)"),
        _("File {file_number} has been frozen until {ends_on} because these documents of the annual update were "
          "not handed in: {documents}. Hand them in before that date, in «my file» or at the association, and the "
          "freeze lifts: {portal_link}"),
    ),
    FREEZE_LIFTED: (
        _("Freeze lifted"),
        _("The freeze on file {file_number} has been lifted; the file is active again. Your file: {portal_link}"),
    ),
}
