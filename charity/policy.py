"""What the policy fixes for every association (PR, CH), whatever the profile.

The periods and the rest of what differs between associations live in the active
`PolicyProfile` (data, admin-editable); this module names the catalogues the profiles
choose from.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """CH — the channels through which a case may reach the association."""

    OFFICE = "office", _("Office interview")
    FIELD_VISIT = "field_visit", _("Field visit")
    SOCIAL = "social", _("Social media")
    WEB = "web", _("Website")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("Text message (SMS)")
    LETTER = "letter", _("Letters")
    HELP_REQUEST = "help_request", _("Help-request service")
    VOLUNTEER = "volunteer", _("Volunteering service")
    DELEGATE = "delegate", _("Delegate of the branch or introductory offices")
    REFERRAL = "referral", _("Referred by a supervisory or related agency")
    EMBASSY = "embassy", _("Embassy of the Kingdom (through the Ministry of Foreign Affairs)")


# GO-2 «serve electronically with modern means»: the channels through which a family applies
# without paper or a visit to the office. The dashboard reports their share.
ELECTRONIC_CHANNELS = frozenset({Channel.WEB, Channel.SOCIAL, Channel.SMS})
# GO-4 «serve the beneficiary where they are»: every channel but the office interview spares
# the family the trip.
AT_THE_OFFICE = Channel.OFFICE


class DecidingBody(models.TextChoices):
    """PR — who decides on new applications (IN-5)."""

    MANAGER = "manager", _("Beneficiary-services manager")
    COMMITTEE = "committee", _("Research committee")
    ASSOCIATION = "association", _("The association, answering through the Ministry of Foreign Affairs")


class RulingClockFrom(models.TextChoices):
    """CP-7 (interpretation): where the ruling period of a late complaint whose excuse is
    accepted starts. The text counts «من تاريخ تقديم الطلب او الشكوى»: the filing date."""

    FILING = "filing", _("The filing date (the policy's text)")
    EXCUSE_ACCEPTED = "excuse_accepted", _("The day the excuse is accepted")


# The periods every profile must define, with the policy's defaults (RULES.md).
DEFAULT_PERIODS = {
    "decision_target_days": 14,  # IN-5 (interpretation: a 14-day target)
    "complaint_window_days": 30,  # CP-2
    "ruling_working_days": 15,  # CP-7
    "excuse_decision_working_days": 5,  # CP-2, CP-7 (interpretation: the text sets no period)
    "freeze_documents_months": 1,  # SC-6
    "freeze_contact_months": 3,  # SC-12
}


class Section(models.TextChoices):
    """PR «Sections per profile»: the parts of the general policy (000) that an association adopts
    one by one, each by a board decision. Texts 001–004 contain none of the first five; a section
    that is not adopted runs nothing punitive and no page calls it approved."""

    CHARTER = "charter", _("Rights and duties of beneficiaries")  # RT, DU
    COMPLAINTS = "complaints", _("Grievance and complaint procedure")  # CP
    ELIGIBILITY = "eligibility", _("Eligibility checklist")  # EL-1…EL-8
    NEEDS_STUDY = "needs_study", _("Needs study")  # EL-9, IN-7
    SERVICE_CONTROLS = "service_controls", _("Controls on providing service")  # SC
    PROGRAMMES = "programmes", _("Programmes and activities")  # TK-6, DU-3, DU-6, DU-10, DU-11
    SATISFACTION = "satisfaction", _("Satisfaction measurement")  # SAT, GO-5, IN-8


# The rules each section carries, as the setup checklist and the policy page name them.
SECTION_RULES = {
    Section.CHARTER: "RT-1…RT-11, DU-1…DU-13",
    Section.COMPLAINTS: "CP-1…CP-10",
    Section.ELIGIBILITY: "EL-1…EL-8",
    Section.NEEDS_STUDY: "EL-9, IN-7",
    Section.SERVICE_CONTROLS: "SC-1…SC-12",
    Section.PROGRAMMES: "TK-6, DU-3, DU-6, DU-10, DU-11",
    Section.SATISFACTION: "SAT-1, SAT-2, GO-5, IN-8",
}
