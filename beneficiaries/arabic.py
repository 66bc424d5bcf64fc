"""Arabic-aware text normalisation for search (issue: name search ignores diacritics and
tatweel and treats أ إ آ ا, ة ه, ى ي alike)."""

import re

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_SPACES = re.compile(r"\s+")


def normalize_arabic(text: str) -> str:
    """Return `text` folded for search: no diacritics or tatweel, unified letters, one space."""
    if not text:
        return ""
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "").translate(_FOLD)
    return _SPACES.sub(" ", text).strip().lower()
