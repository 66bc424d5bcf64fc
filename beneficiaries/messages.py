"""The messages beneficiaries sends about a family's own records (DU-5), registered in the
catalog (charity.messages) from BeneficiariesConfig.ready(): purpose → (label, default wording).
The admin may edit each wording per profile; the dates (…_on) and links (…_link) must stay."""

from django.utils.translation import gettext_lazy as _

ANNUAL_UPDATE = "annual-update"

MESSAGES = {
    ANNUAL_UPDATE: (
        _("Annual update announced (DU-5)"),
        _("The association has announced the annual update of families' data. For file {file_number}, hand in "
          "these documents by {due_on}: {documents}. You can upload them in «my file»: {portal_link}"),
    ),
}
