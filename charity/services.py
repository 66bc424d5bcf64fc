"""Changes of state for the installation: loading and activating a policy profile (PR)."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Category, PolicyProfile
from .policy import DEFAULT_PERIODS, Channel, DecidingBody

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"

_SCALAR_FIELDS = [
    "name_ar", "name_en", "licence_number", "approval_record_ar", "approval_record_en",
    "source_document", "deciding_body", "channels", "service_area_cities",
    "service_area_enforced", "international_phones", "passport_identity",
    "sc10_orphans_exempt", "address_ar", "phone", "email", "website", "committee_quorum",
]


class ProfileError(ValueError):
    """A profile file that cannot be loaded; the message says why."""


def available_profiles() -> list[str]:
    """Return the codes of the profiles shipped as data in charity/profiles/."""
    return sorted(p.stem for p in PROFILES_DIR.glob("*.json") if p.stem != "charter")


def read_profile(code: str) -> dict:
    """Return the profile file's data, checked against the policy's catalogues."""
    path = PROFILES_DIR / f"{code}.json"
    if code not in available_profiles():
        raise ProfileError(_("Unknown profile %(code)s. Available: %(available)s")
                           % {"code": code, "available": ", ".join(available_profiles())})
    data = json.loads(path.read_text(encoding="utf-8"))
    unknown = set(data.get("channels", [])) - set(Channel.values)
    if unknown:
        raise ProfileError(_("Unknown channel codes: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    if data.get("deciding_body") not in DecidingBody.values:
        raise ProfileError(_("Unknown deciding body: %(body)s") % {"body": data.get("deciding_body")})
    missing = set(DEFAULT_PERIODS) - set(data.get("periods", {}))
    if missing:
        raise ProfileError(_("Missing periods: %(names)s") % {"names": ", ".join(sorted(missing))})
    return data


@transaction.atomic
def load_policy_profile(code: str, *, activate: bool = True) -> tuple[PolicyProfile, bool]:
    """Create or update the profile `code` from its file and make it the active one.

    Idempotent: a second load of an unchanged file saves nothing and writes no history.
    Return the profile and whether anything changed.
    """
    data = read_profile(code)
    changed = False
    categories = []
    for item in data.get("categories", []):
        category, created = Category.objects.get_or_create(
            code=item["code"],
            defaults={"name_ar": item["name_ar"], "name_en": item.get("name_en", ""),
                      "rule": item.get("rule", "BEN-1")},
        )
        changed |= created
        categories.append(category)

    wanted = {name: data.get(name, "") for name in _SCALAR_FIELDS}
    wanted.update(data["periods"])
    wanted["income_threshold_per_member"] = Decimal(data.get("income_threshold_per_member", "1500"))
    profile = PolicyProfile.objects.filter(code=code).first()
    if profile is None:
        profile = PolicyProfile.objects.create(code=code, **wanted)
        changed = True
    else:
        diff = {k: v for k, v in wanted.items() if getattr(profile, k) != v}
        if diff:
            for key, value in diff.items():
                setattr(profile, key, value)
            profile.save()
            changed = True
    if {c.pk for c in profile.categories.all()} != {c.pk for c in categories}:
        profile.categories.set(categories)
        changed = True
    if activate and not profile.is_active:
        activate_profile(profile)
        changed = True
    return profile, changed


@transaction.atomic
def activate_profile(profile: PolicyProfile) -> None:
    """Make `profile` the installation's only active profile."""
    for other in PolicyProfile.objects.select_for_update().filter(is_active=True).exclude(pk=profile.pk):
        other.is_active = False
        other.save(update_fields=["is_active", "updated_at"])
    profile.is_active = True
    profile.save(update_fields=["is_active", "updated_at"])
