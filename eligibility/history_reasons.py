"""How the study's and the service controls' history reasons read (decision, SC-x exclusion,
freeze and lift, SC-7 closing).

Registered with `charity.history` by `EligibilityConfig.ready()`."""

from django.utils.translation import gettext as _

from charity.history import label_of

from .policy import Outcome

REASONS = [
    (r"^decision: (?P<outcome>\w+)$",
     lambda g: _("Decision on the application: %(outcome)s") % {"outcome": label_of(Outcome, g["outcome"])}),
    (r"^(?P<rule>[A-Z]+-\d+) exclusion$",
     lambda g: _("Excluded from services under %(rule)s") % g),
    (r"^(?P<rule>[A-Z]+-\d+) freeze$",
     lambda g: _("Services frozen under %(rule)s") % g),
    (r"^(?P<rule>[A-Z]+-\d+) lifted$",
     lambda g: _("Freeze under %(rule)s lifted") % g),
    (r"^SC-7 closed$",
     lambda g: _("File closed after the head of household's death (SC-7)")),
    (r"^SC-7 death transfer$",
     lambda g: _("File moved to a dependant after the head of household's death (SC-7)")),
]
