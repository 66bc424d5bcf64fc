"""The messages eligibility sends about a family's freeze (SC-6), as data: purpose → (label,
default text). gettext msgids with named %-placeholders, rendered in Arabic; the catalog
(charity.messages, once merged) lets the admin edit them per profile."""

from django.utils.translation import gettext_lazy as _

FREEZE_LATE_UPDATE = "freeze-SC-6"
FREEZE_LIFTED = "freeze-lifted"

MESSAGES = {
    FREEZE_LATE_UPDATE: (
        _("File frozen: annual update late (SC-6)"),
        _("File %(number)s has been frozen until %(until)s because these documents of the annual update were not "
          "handed in: %(documents)s. Hand them in before that date, in «my file» or at the association, and the "
          "freeze lifts: %(link)s"),
    ),
    FREEZE_LIFTED: (
        _("Freeze lifted"),
        _("The freeze on file %(number)s has been lifted; the file is active again. Your file: %(link)s"),
    ),
}
