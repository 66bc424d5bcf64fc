"""Views and suggestions (DU-12), readable in one sitting.

DU-12: «في حالة عدم رضا المستفيد … فإنه يجب عليكم الإفصاح عن ذلك من خلال إبلاغ مقدمي الخدمة مباشرةً أو
التواصل الهاتفي أو موقع الجمعية الإلكتروني لإيصال وجهة نظركم أو اقتراحكم أو الشكوى». A complaint
follows CP-1…CP-10 (complaints/policy.py); a view or a suggestion («رأي أو مقترح») is short: its
text, and if the sender wishes a name, a mobile and an identity number that links it to their
file. No CP-3 contents, no filing window, no ruling clock: it is acknowledged and answered, and
the answer goes to the sender by SMS when they gave a mobile. Constants and pure functions
only; complaints/services/suggestions.py applies them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """DU-12: on the website, by phone, or to the staff directly (in person)."""

    WEB = "web", _("The website")
    PHONE = "phone", _("By phone")
    IN_PERSON = "in_person", _("In person, to the staff")


# DU-12: a view or suggestion received by phone or in person is entered by the member of staff
# who received it; the website's own form enters the others.
STAFF_CHANNELS = (Channel.PHONE, Channel.IN_PERSON)


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ANSWERED = "answered", _("Answered")


TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.ACKNOWLEDGED, Status.ANSWERED},
    Status.ACKNOWLEDGED: {Status.ANSWERED},
    Status.ANSWERED: set(),
}


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, set())


TEXT_MAX_LENGTH = 2000
ANSWER_MAX_LENGTH = 600  # the answer is sent by SMS as written

# DU-12: those whose work is complaints and the quality of service — the executive director and
# the beneficiary-services manager — see, acknowledge and answer them; any member of staff who
# takes a call or a visit enters one.
HANDLE_PERMISSION = "complaints.handle_suggestions"
ENTER_PERMISSION = "complaints.enter_suggestion"


def may_handle(user) -> bool:
    return user.has_perm(HANDLE_PERMISSION)


# Abuse of the public form: the complaint form's protections (complaints/policy.py), per address
# and, when one is given, per mobile number.
RATE_LIMIT_PER_IP = (5, 60 * 60)  # submissions, seconds
RATE_LIMIT_PER_MOBILE = (3, 24 * 60 * 60)
