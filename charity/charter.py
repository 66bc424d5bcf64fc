"""The rights-and-duties charter (RT, DU, CP) that applicants receive and the public pages show."""

import json
from functools import lru_cache
from pathlib import Path

from django.utils.translation import get_language

_CHARTER_FILE = Path(__file__).resolve().parent / "profiles" / "charter.json"


@lru_cache(maxsize=1)
def _charter_data() -> dict:
    return json.loads(_CHARTER_FILE.read_text(encoding="utf-8"))


def charter(language: str | None = None) -> dict[str, list[dict]]:
    """Return {"rights": [...], "duties": [...], "complaints": [...]}, each item {id, text}."""
    lang = "en" if (language or get_language() or "ar").startswith("en") else "ar"
    return {
        section: [{"id": item["id"], "text": item[lang] or item["ar"]} for item in items]
        for section, items in _charter_data().items()
    }
