"""The message a family receives when its cash aid is paid (TK-1), registered with
`charity.messages` by `AidConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "aid-paid": (
        _("Cash aid paid (TK-1)"),
        _("The association transferred {amount} SAR of aid to your account ending in {iban_end} "
          "(file {file_number}). Your file: {portal_link}"),
    ),
}
