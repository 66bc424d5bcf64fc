"""The rights-and-duties charter (RT, DU, CP) that applicants receive and the public pages show.

The texts are in profiles/charter.json. What differs between associations in the complaint
procedure — the filing window (CP-2), the ruling period (CP-7), who receives and examines the
complaints (CP-4, CP-6, CP-10) and the investigation committee (CP-10) — is written there as a
named placeholder and filled from the policy profile here, so that no page, receipt or PDF states
a period or a body the profile does not hold (RT-9).
"""

import json
from functools import lru_cache
from pathlib import Path

from django.utils import translation
from django.utils.translation import get_language, ngettext, npgettext

from .models import PolicyProfile
from .policy import Section

_CHARTER_FILE = Path(__file__).resolve().parent / "profiles" / "charter.json"

# The Arabic charter writes its numbers in Arabic-Indic digits, as the approved text does.
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@lru_cache(maxsize=1)
def _charter_data() -> dict:
    return json.loads(_CHARTER_FILE.read_text(encoding="utf-8"))


def charter(language: str | None = None, *, profile: PolicyProfile | None = None) -> dict[str, list[dict]]:
    """Return {"rights": [...], "duties": [...], "complaints": [...]}, each item {id, text}, with the
    complaint procedure's periods and bodies taken from `profile` (the active one by default)."""
    lang = _language(language)
    profile = profile or PolicyProfile.objects.filter(is_active=True).first() or PolicyProfile()
    values = {code: charter_values(profile, code) for code in {lang, "ar"}}
    result = {}
    for section, items in _charter_data().items():
        result[section] = []
        for item in items:
            text_lang = lang if item.get(lang) else "ar"
            result[section].append({"id": item["id"], "text": item[text_lang].format_map(values[text_lang])})
    return result


def charter_values(profile: PolicyProfile, language: str) -> dict[str, str]:
    """The placeholders of charter.json, from the profile, as `language` ("ar" or "en") writes them."""
    with translation.override(language):
        window = npgettext("charter CP-2: the filing window", "%(days)s day", "%(days)s days",
                           profile.complaint_window_days) % {"days": profile.complaint_window_days}
        ruling = npgettext("charter CP-7: the ruling period", "%(days)s working day", "%(days)s working days",
                           profile.ruling_working_days) % {"days": profile.ruling_working_days}
    receiver = profile.in_language("complaint_receiver", language)
    if language == "ar":
        window, ruling = window.translate(_ARABIC_INDIC), ruling.translate(_ARABIC_INDIC)
    return {
        "complaint_window": window,
        "ruling_period": ruling,
        "complaint_receiver": receiver,
        "for_complaint_receiver": with_li(receiver) if language == "ar" else receiver,
        "investigation_committee": profile.in_language("investigation_committee", language),
    }


def with_li(noun: str) -> str:
    """Arabic «لـ» joined to a noun phrase: «المدير التنفيذي» → «للمدير التنفيذي», «اللجنة» →
    «للجنة», «مدير الخدمات» → «لمدير الخدمات» (the article's alif, and its lam before a lam, drop)."""
    noun = noun.strip()
    if noun.startswith("الل"):
        return "ل" + noun[2:]
    if noun.startswith("ال"):
        return "ل" + noun[1:]
    return "ل" + noun


def grievance_period(profile: PolicyProfile, language: str | None = None) -> str:
    """The clause that tells a refused applicant or an excluded family when they may file a
    grievance (CP-1, CP-2), to follow «you may file a grievance»: the profile's window where the
    association adopted its complaint procedure; elsewhere no window (nothing is refused as late)
    and the ruling period as the association's practice (RULES.md «Sections per profile»)."""
    with translation.override(_language(language)):
        if profile.adopts(Section.COMPLAINTS):
            days = profile.complaint_window_days
            return ngettext("within %(days)s day", "within %(days)s days", days) % {"days": days}
        days = profile.ruling_working_days
        return ngettext(
            "at any time (the association aims to rule on it within %(days)s working day: its practice, not a "
            "period adopted by its board)",
            "at any time (the association aims to rule on it within %(days)s working days: its practice, not a "
            "period adopted by its board)", days) % {"days": days}


def _language(language: str | None) -> str:
    return "en" if (language or get_language() or "ar").startswith("en") else "ar"
