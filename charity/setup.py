"""PR: what an association must set up before the product acts on it — the values no approved text
gives, and the documents its text names. The admin's setup checklist (charity.admin_setup) lists
what is still missing; the rules that wait for a value ask here.

- The service area (BEN-1): no text names a city. While an enforced area is empty, no application
  is submitted (beneficiaries.services.intake), rather than every city being «outside the area».
- The research committee's quorum: no text gives one. While it is unset, the committee records no
  decision where it is the deciding body (eligibility.services).
- «Staff tools» (RULES.md): each document the profile's text names, until the admin uploads it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .policy import DecidingBody


def service_area_missing(profile) -> bool:
    """BEN-1: the profile enforces a service area and names no city in it."""
    return profile.service_area_enforced and not profile.service_area_cities


def quorum_needed(profile) -> bool:
    """The research committee decides new applications (PR), so a quorum is needed."""
    return profile.deciding_body == DecidingBody.COMMITTEE


def quorum_missing(profile) -> bool:
    """The committee decides and no quorum is set: no committee decision is recorded."""
    return quorum_needed(profile) and not profile.committee_quorum


def missing_staff_tools(profile) -> list:
    """«Staff tools»: the documents the text names that the admin has not uploaded yet."""
    return list(profile.staff_tools.filter(versions__isnull=True).order_by("position", "id"))


@dataclass(frozen=True)
class Missing:
    key: str
    label: str


def missing_setup(profile) -> list[Missing]:
    """What the setup checklist shows as still missing, in its order."""
    missing = []
    if service_area_missing(profile):
        missing.append(Missing("service_area", _("The service-area cities")))
    if quorum_missing(profile):
        missing.append(Missing("committee_quorum", _("The deciding committee's quorum")))
    missing += [Missing(f"staff_tool:{tool.code}", tool.name) for tool in missing_staff_tools(profile)]
    return missing
