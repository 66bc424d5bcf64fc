"""The messages a complainant receives (CP-2, CP-4, CP-7, CP-9), registered with
`charity.messages` by `ComplaintsConfig.ready()`; each carries the status page's link."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "complaint-receipt": (
        _("Complaint received, with its secret code (CP-4)"),
        _("Your complaint was received. Tracking number: {tracking_number}. Secret code: {code}. Keep the code: "
          "you need both to follow your complaint at {status_link}"),
    ),
    "complaint-off-day": (
        _("Complaint filed on a weekend or holiday: when the ruling clock starts (CP-7)"),
        _("Your complaint {tracking_number} was received on {received_on}, which is not a working day. The "
          "{working_days} working days for the ruling are counted from the next working day, {clock_starts_on}; "
          "the ruling is due by {due_on}. Follow it at {status_link}"),
    ),
    "complaint-excuse-accepted": (
        _("Late complaint: excuse accepted (CP-2)"),
        _("The excuse for the late filing of your complaint {tracking_number} was accepted: {reasons}. The "
          "complaint is now examined and the ruling is due by {due_on}. Follow it at {status_link}"),
    ),
    "complaint-excuse-refused": (
        _("Late complaint: excuse refused (CP-2)"),
        _("Your complaint {tracking_number} was filed after the period and the excuse was not accepted: "
          "{reasons}. Details at {status_link}"),
    ),
    "complaint-result": (
        _("Complaint ruled (CP-7, CP-9)"),
        _("The ruling on your complaint {tracking_number}: {ruling}. {reasons} Details at {status_link}"),
    ),
    "suggestion-answer": (
        _("The answer to a view or suggestion (DU-12)"),
        _("Thank you for your view or suggestion {reference}. The association's answer: {answer} To send another: "
          "{suggest_link}"),
    ),
}
