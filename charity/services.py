"""Changes of state for the installation: loading and activating a policy profile (PR), adopting or
withdrawing a section of the policy (PR «Sections per profile»), and the rest of the setup checklist:
the values no text gives (charity.setup) and the staff tools' uploads («Staff tools»)."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import errors
from .models import Category, PolicyProfile, SectionAdoption, StaffTool, StaffToolVersion
from .needs_study import default_needs_study, validate_needs_study
from .policy import DEFAULT_PERIODS, Channel, DecidingBody, Section
from .roles import PROCEDURE_EXPLAINER_ROLES
from .uploads import inspect_upload

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"

_SCALAR_FIELDS = [
    "name_ar", "name_en", "licence_number", "approval_record_ar", "approval_record_en",
    "source_document", "deciding_body", "complaint_receiver_ar", "complaint_receiver_en",
    "investigation_committee_ar", "investigation_committee_en", "channels", "service_area_cities",
    "service_area_enforced", "international_phones", "passport_identity",
    "sc10_orphans_exempt", "address_ar", "phone", "email", "website", "committee_quorum",
    "ruling_clock_from", "director_complaints_role", "procedure_explained_by", "verification_items",
]
# Values no text gives (charity.setup): a file leaves them unset (empty, null), and a reload then
# keeps what the admin set on the setup checklist.
_SET_BY_THE_ADMIN = ("service_area_cities", "committee_quorum")


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
    explainer = data.get("procedure_explained_by")
    if explainer is not None and explainer not in dict(PROCEDURE_EXPLAINER_ROLES):
        raise ProfileError(_("Unknown role for IN-4: %(role)s") % {"role": explainer})
    missing = set(DEFAULT_PERIODS) - set(data.get("periods", {}))
    if missing:
        raise ProfileError(_("Missing periods: %(names)s") % {"names": ", ".join(sorted(missing))})
    try:
        validate_needs_study(data.setdefault("needs_study", default_needs_study()))
    except ValidationError as exc:
        raise ProfileError(" ".join(exc.messages)) from None
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
    wanted["needs_study"] = data["needs_study"]  # EL-9: the file's, else the product's defaults
    profile = PolicyProfile.objects.filter(code=code).first()
    if profile is not None:
        wanted.update({name: getattr(profile, name) for name in _SET_BY_THE_ADMIN if not wanted[name]})
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
    changed |= _seed_staff_tools(profile, data.get("staff_tools", []))
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


def _seed_staff_tools(profile: PolicyProfile, items: list[dict]) -> bool:
    """«Staff tools»: create the documents the profile's text names, not yet uploaded; a document
    already there keeps its uploads (its name and line follow the file). None is ever removed."""
    changed = False
    existing = {tool.code: tool for tool in profile.staff_tools.all()}
    for position, item in enumerate(items, start=1):
        wanted = {"name_ar": item["name_ar"], "name_en": item.get("name_en", ""),
                  "source_line": item.get("source_line", ""), "position": position}
        tool = existing.get(item["code"])
        if tool is None:
            tool = StaffTool(profile=profile, code=item["code"], **wanted)
            tool._change_reason = "staff tool named by the profile file"
        elif any(getattr(tool, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(tool, key, value)
            tool._change_reason = "staff tool renamed by the profile file"
        else:
            continue
        tool.save()
        changed = True
    return changed


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


# --- PR: the rest of the setup checklist (charity.setup) -------------------------------------


@transaction.atomic
def set_setup_values(*, profile: PolicyProfile, service_area_cities: list[str], committee_quorum: int | None,
                     by) -> PolicyProfile:
    """Set the values no text gives: the service-area cities (BEN-1) and the research committee's
    quorum. Either may be left unset again (the rules that need it then wait, charity.setup)."""
    cities = [city.strip() for city in service_area_cities or []]
    problems = {}
    if any(not city for city in cities):
        problems["service_area_cities"] = errors.CITY_NAME_EMPTY
    if committee_quorum is not None and committee_quorum < 1:
        problems["committee_quorum"] = errors.QUORUM_TOO_SMALL
    if problems:
        raise ValidationError(problems)
    locked = PolicyProfile.objects.select_for_update().get(pk=profile.pk)
    locked.service_area_cities, locked.committee_quorum = list(dict.fromkeys(cities)), committee_quorum
    locked._change_reason = "setup values set"
    locked._history_user = by
    locked.save(update_fields=["service_area_cities", "committee_quorum", "updated_at"])
    profile.service_area_cities, profile.committee_quorum = locked.service_area_cities, locked.committee_quorum
    return locked


@transaction.atomic
def upload_staff_tool(*, tool: StaffTool, uploaded, by, now: dt.datetime) -> StaffToolVersion:
    """«Staff tools»: keep the admin's upload of `tool` after checking its content and size; an
    earlier upload stays on record (its history), the new one is the one staff open."""
    inspected = inspect_upload(uploaded)
    version = StaffToolVersion(tool=tool, content_type=inspected.content_type, size=inspected.size,
                               sha256=inspected.sha256, original_name=(getattr(uploaded, "name", "") or "")[:200],
                               uploaded_by=by, uploaded_at=now)
    version.stored.save(f"upload.{inspected.extension}", uploaded, save=False)
    try:
        version._change_reason = "staff tool uploaded" if not tool.versions.exists() else "staff tool replaced"
        version._history_user = by
        version.save()
    except Exception:
        version.stored.delete(save=False)  # no orphan file when the row cannot be saved
        raise
    return version
