"""The messages beneficiaries receives about its own records (DU-5), as data: purpose →
(label, default text). The texts are gettext msgids with named %-placeholders, rendered in
Arabic; the catalog (charity.messages, once merged) lets the admin edit them per profile."""

from django.utils.translation import gettext_lazy as _

ANNUAL_UPDATE = "annual-update"

MESSAGES = {
    ANNUAL_UPDATE: (
        _("Annual update announced (DU-5)"),
        _("The association has announced the annual update of families' data. For file %(number)s, hand in "
          "these documents by %(deadline)s: %(documents)s. You can upload them in «my file»: %(link)s"),
    ),
}
