"""The catalog of the messages sent to beneficiaries: registry and validation (no model here).

Use it through `charity.messages`, which adds the rendering with the profile's wording.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .text import series

REQUIRED = re.compile(r"(_link|reasons|period|_on|code|ruling)$")
NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
LANGUAGE = "ar"

UNKNOWN_PURPOSE = _("This message is not in the catalog.")
MALFORMED = _("The wording is malformed: write each placeholder as {name}, and «{{» or «}}» for a brace.")
NOT_OFFERED = _("This message offers no placeholder %(names)s. Allowed: %(allowed)s.")
MISSING = _("The wording must keep %(names)s: the policy requires the beneficiary to receive it.")

_catalog: dict[str, tuple[object, str]] = {}


def register_messages(messages: Mapping[str, tuple[object, str]]) -> None:
    """Add purposes to the catalog: {purpose: (label, default wording)}; again replaces it."""
    for purpose, (label, default) in messages.items():
        with translation.override(LANGUAGE):
            fields = placeholders(str(default))  # a broken default fails at start-up, not at sending
        if any(not NAME.match(name) for name in fields):
            raise ValueError(f"message {purpose!r}: placeholders must be plain names, got {sorted(fields)}")
        _catalog[purpose] = (label, default)


def purposes() -> list[tuple[str, str]]:
    """Return (purpose, label) of every registered message, sorted by purpose."""
    return [(purpose, str(label)) for purpose, (label, _default) in sorted(_catalog.items())]


def is_registered(purpose: str) -> bool:
    return purpose in _catalog


def default_text(purpose: str) -> str:
    """Return the purpose's default wording in Arabic; KeyError for an unknown purpose."""
    _label, default = _catalog[purpose]
    with translation.override(LANGUAGE):
        return str(default)


def offered(purpose: str) -> set[str]:
    """Return the placeholders the purpose offers (those of its default wording)."""
    return placeholders(default_text(purpose))


def required(purpose: str) -> set[str]:
    """Return the placeholders a wording of the purpose must keep."""
    return {name for name in offered(purpose) if REQUIRED.search(name)}


def placeholders(text: str) -> set[str]:
    """Return the placeholder names used in `text`; ValueError when the braces are malformed."""
    names = set()
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is None:
            continue
        if spec or conversion or not field:
            raise ValueError(text)
        names.add(field)
    return names


def validate_wording(purpose: str, text: str) -> None:
    """Raise ValidationError (Arabic when active) unless `text` suits the purpose."""
    if not is_registered(purpose):
        raise ValidationError(UNKNOWN_PURPOSE, code="unknown_purpose")
    try:
        used = placeholders(text)
    except ValueError:
        raise ValidationError(MALFORMED, code="malformed") from None
    allowed = offered(purpose)
    errors = []
    if used - allowed:
        errors.append(ValidationError(NOT_OFFERED, code="not_offered", params={
            "names": _braced(used - allowed), "allowed": _braced(allowed)}))
    if required(purpose) - used:
        errors.append(ValidationError(MISSING, code="missing", params={"names": _braced(required(purpose) - used)}))
    if errors:
        raise ValidationError(errors)


def _braced(names) -> str:
    return series("{" + name + "}" for name in sorted(names))


def wordings_cache_key(profile_id: int) -> str:
    """Return the cache key of a profile's wordings (kept by charity.messages, cleared on save)."""
    return f"charity.messages:wordings:{profile_id}"
