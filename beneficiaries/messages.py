"""The messages a beneficiary file's family receives, and how they are sent (IN-5, RT-2, RT-4, DU-5).

The catalog entries are registered with `charity.messages` by `BeneficiariesConfig.ready()`;
`tell_family` sends one by SMS and by e-mail (when the file has one) through the outbox, in
Arabic, worded by the profile's admin or by default, with the «my file» link. Eligibility's
decisions and exclusions go through it too."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from charity.links import absolute_reverse
from charity.messages import render_message
from charity.models import Notification
from charity.notifications import queue_notification

ANNUAL_UPDATE = "annual-update"

# IN-5, in the text's own terms: a minimum, never a latest date.
PERIOD = _("not less than two weeks")

MESSAGES = {
    "application-received": (
        _("Application received (IN-5)"),
        _("Your application, file {file_number}, was received and goes to {deciding_body}. The answer, acceptance "
          "or refusal, comes after the study, within a period of {period}. Follow your file at {portal_link}"),
    ),
    "researcher-change-accepted": (
        _("Request for another researcher accepted (RT-2)"),
        _("Your request for another social researcher on file {file_number} was accepted. Your researcher is now "
          "{researcher}. Reasons: {reasons}. Your file: {portal_link}"),
    ),
    "researcher-change-refused": (
        _("Request for another researcher refused (RT-2)"),
        _("Your request for another social researcher on file {file_number} was not accepted. Reasons: {reasons}. "
          "You may file a grievance at {complaint_link}. Your file: {portal_link}"),
    ),
    # DU-5: the announcement, with the deadline (counted from the notice) and the family's update page.
    ANNUAL_UPDATE: (
        _("Annual update announced (DU-5)"),
        _("The association has announced the annual update of families' data. For file {file_number}, hand in "
          "these documents by {due_on}: {documents}. You can upload them in «my file»: {portal_link}"),
    ),
}


def portal_link() -> str:
    """Return the absolute link of «my file» (the family signs in there)."""
    return absolute_reverse("portal:sign_in")


def complaint_link() -> str:
    """Return the absolute link of the public complaint and grievance form (CP-1, CP-4)."""
    return absolute_reverse("complaints_public:file")


def family_messages(*, file, purpose: str, context: dict, about, profile=None, dedupe_key: str = "",
                    row_purpose: str = "") -> list[dict]:
    """The message `purpose` to the file's mobile and e-mail, as queue_notification arguments.

    The context gets the file number and the «my file» and complaint links; `row_purpose`
    names the outbox row when it says more than the catalog entry (e.g. the rule)."""
    body = render_message(purpose, {"file_number": file.number, "portal_link": portal_link(),
                                    "complaint_link": complaint_link(), **context}, profile=profile)
    return contact_messages(file=file, purpose=row_purpose or purpose, body=body, about=about, dedupe_key=dedupe_key)


def contact_messages(*, file, purpose: str, body: str, about, dedupe_key: str = "") -> list[dict]:
    """One message to each of the file's contacts (mobile by SMS, e-mail), as queue_notification
    arguments; a `dedupe_key` is made per channel."""
    contacts = ((Notification.Channel.SMS, file.mobile), (Notification.Channel.EMAIL, file.email))
    return [{"channel": channel, "recipient": recipient, "body": body, "about": about, "subject": file.number,
             "purpose": purpose, **({"dedupe_key": f"{dedupe_key}:{channel}"} if dedupe_key else {})}
            for channel, recipient in contacts if recipient]


def tell_family(*, file, purpose: str, context: dict, about, profile=None, dedupe_key: str = "",
                row_purpose: str = "") -> list[Notification]:
    """Queue the message by SMS and e-mail (delivered after commit); with a `dedupe_key`, a
    repeated call queues nothing again. Return the rows queued."""
    rows = [queue_notification(**fields) for fields in family_messages(
        file=file, purpose=purpose, context=context, about=about, profile=profile, dedupe_key=dedupe_key,
        row_purpose=row_purpose)]
    return [row for row in rows if row is not None]
