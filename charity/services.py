"""Changes of state for the installation: loading and activating a policy profile (PR), and
adopting or withdrawing a section of the policy (PR «Sections per profile»)."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import errors
from .models import Category, PolicyProfile, SectionAdoption
from .policy import DEFAULT_PERIODS, Channel, DecidingBody, Section

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"

_SCALAR_FIELDS = [
    "name_ar", "name_en", "licence_number", "approval_record_ar", "approval_record_en",
    "source_document", "deciding_body", "complaint_receiver_ar", "complaint_receiver_en",
    "investigation_committee_ar", "investigation_committee_en", "channels", "service_area_cities",
    "service_area_enforced", "international_phones", "passport_identity",
    "sc10_orphans_exempt", "address_ar", "phone", "email", "website", "committee_quorum",
    "ruling_clock_from", "director_complaints_role", "verification_items",
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
    for item in data.get("adopted_sections", []):
        if item.get("section") not in Section.values:
            raise ProfileError(_("Unknown section: %(section)s") % {"section": item.get("section")})
        try:
            item["decided_on"] = dt.date.fromisoformat(item["decided_on"]) if item.get("decided_on") else None
        except ValueError:
            raise ProfileError(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": item["decided_on"]}) from None
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

    # A value the file leaves out is the model's default (e.g. CP-4's executive director).
    wanted = {name: data.get(name, PolicyProfile._meta.get_field(name).get_default()) for name in _SCALAR_FIELDS}
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
    changed |= _seed_adoptions(profile, data.get("adopted_sections", []))
    if activate and not profile.is_active:
        activate_profile(profile)
        changed = True
    return profile, changed


def _seed_adoptions(profile: PolicyProfile, items: list[dict]) -> bool:
    """Record the sections the profile's own text adopts (PR «Sections per profile»), as the file
    gives them. Only missing rows are added, and never one an admin withdrew: what an admin
    recorded (a decision number the text left blank, a section adopted later or withdrawn) is a
    board's decision, never undone by a reload."""
    existing = set(profile.section_adoptions.values_list("section", flat=True))
    existing |= set(SectionAdoption.history.filter(profile_id=profile.pk, history_type="-")
                    .values_list("section", flat=True))
    added = [SectionAdoption(profile=profile, section=item["section"], note=item.get("note", ""),
                             decision_number=item.get("decision_number", ""), decided_on=item["decided_on"])
             for item in items if item["section"] not in existing]
    for adoption in added:
        adoption._change_reason = "section adopted (profile file)"
        adoption.save()
    profile.forget_adoptions()
    return bool(added)


@transaction.atomic
def activate_profile(profile: PolicyProfile) -> None:
    """Make `profile` the installation's only active profile."""
    for other in PolicyProfile.objects.select_for_update().filter(is_active=True).exclude(pk=profile.pk):
        other.is_active = False
        other.save(update_fields=["is_active", "updated_at"])
    profile.is_active = True
    profile.save(update_fields=["is_active", "updated_at"])


# --- PR «Sections per profile»: the admin's setup checklist ---------------------------------


@transaction.atomic
def adopt_section(*, profile: PolicyProfile, section: str, decision_number: str, decided_on: dt.date | None,
                  by, now: dt.datetime, today: dt.date, note: str = "") -> SectionAdoption:
    """Record that the association's board adopted `section` by decision `decision_number` on
    `decided_on`; for a section already adopted, complete or correct the decision on record.
    From then on the section's rules apply (its sweep, its refusals, «approved» on its pages)."""
    problems = {}
    if section not in Section.values:
        problems["section"] = errors.UNKNOWN_SECTION
    if not (decision_number or "").strip():
        problems["decision_number"] = errors.DECISION_NUMBER_REQUIRED
    if decided_on is None:
        problems["decided_on"] = errors.DECISION_DATE_REQUIRED
    elif decided_on > today:
        problems["decided_on"] = errors.DECISION_DATE_IN_FUTURE
    if problems:
        raise ValidationError(problems)
    adoption = (SectionAdoption.objects.select_for_update().filter(profile=profile, section=section).first()
                or SectionAdoption(profile=profile, section=section))
    adoption.decision_number, adoption.decided_on = decision_number.strip(), decided_on
    adoption.note = (note or "").strip() or adoption.note
    adoption.recorded_by, adoption.recorded_at = by, now
    adoption._change_reason = "section adopted" if adoption.pk is None else "adoption decision recorded"
    adoption._history_user = by
    adoption.save()
    profile.forget_adoptions()
    return adoption


@transaction.atomic
def withdraw_section(*, profile: PolicyProfile, section: str, reason: str, by) -> None:
    """Take back a section recorded as adopted by mistake (or repealed by the board): its rules
    stop applying at once. The history keeps the adoption, who withdrew it and why."""
    if not (reason or "").strip():
        raise ValidationError({"reason": errors.WITHDRAWAL_REASON_REQUIRED})
    adoption = SectionAdoption.objects.select_for_update().filter(profile=profile, section=section).first()
    if adoption is None:
        raise ValidationError(errors.SECTION_NOT_ADOPTED, code="not_adopted")
    adoption.note = reason.strip()  # the deletion's history row keeps the instance as it is here
    adoption._change_reason = "section withdrawn"
    adoption._history_user = by
    adoption.delete()
    profile.forget_adoptions()
