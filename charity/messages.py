"""The catalog of the messages sent to beneficiaries, and their wording per profile.

Each app registers the messages its services send, from its `AppConfig.ready()`:

    register_messages({"application-received": (_("Application received"), _("Your file {file_number} ..."))})

A purpose maps to a label and a default wording: a template with named placeholders in
`str.format` style (`{file_number}`, `{portal_link}`), the same everywhere. The placeholders
of the default wording are the ones the purpose offers. The admin may write the profile's own
wording (`MessageWording`, in Django admin); it may use only the offered placeholders and must
keep the required ones: every link (`…_link`), the reasons, the period, the dates (`…_on`),
the codes (`…code`) and a ruling — what the rule says must reach the beneficiary.

`render_message(purpose, context)` returns the text in Arabic: the active profile's wording
when the admin wrote one, else the default. Only plain names are substituted: no attribute,
index, conversion or format spec is ever evaluated, whoever wrote the wording.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from django.core.cache import cache
from django.utils import translation

from . import breaker
from .message_catalog import (
    LANGUAGE,
    MALFORMED,
    MISSING,
    NAME,
    NOT_OFFERED,
    UNKNOWN_PURPOSE,
    _catalog,
    default_text,
    is_registered,
    offered,
    placeholders,
    purposes,
    register_messages,
    required,
    validate_wording,
    wordings_cache_key,
)
from .models import MessageWording, PolicyProfile

__all__ = ["MALFORMED", "MISSING", "NOT_OFFERED", "UNKNOWN_PURPOSE", "MessageWording", "_catalog", "default_text",
           "is_registered", "offered", "placeholders", "purposes", "register_messages", "render_message",
           "required", "validate_wording"]


def render_message(purpose: str, context: Mapping[str, object], *, profile=None) -> str:
    """Return the message for `purpose` in Arabic, filled from `context`.

    The profile's wording (the active profile when none is given) when the admin wrote one,
    else the default; a placeholder missing from the context reads as empty."""
    text = _wording(purpose, profile)
    if text is None:
        text = default_text(purpose)
    with translation.override(LANGUAGE):
        return _fill(text, context).strip()


# A batch (the daily sweep) renders one message per file: the profile's wordings are read
# once and kept briefly; saving or deleting a wording clears them (MessageWording.save).
WORDINGS_CACHE_SECONDS = 60


def _wording(purpose: str, profile) -> str | None:
    if profile is None:
        try:
            profile = PolicyProfile.objects.active()
        except PolicyProfile.DoesNotExist:
            return None
    key = wordings_cache_key(profile.pk)
    wordings = _cached(key)
    if wordings is None:
        wordings = dict(MessageWording.objects.filter(profile=profile).values_list("purpose", "text"))
        _cached(key, wordings)
    return wordings.get(purpose)


def _cached(key: str, value=None):
    """Read (or, with `value`, store) the wordings in the cache; a cache that is down or hung is
    only a slower path to the database (charity/breaker.py), never a message not sent."""
    if value is None:
        return breaker.call(breaker.cache, lambda: cache.get(key))
    return breaker.call(breaker.cache, lambda: cache.set(key, value, WORDINGS_CACHE_SECONDS))


def _fill(text: str, context: Mapping[str, object]) -> str:
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:  # a wording saved around the validation: never fail a sending for it
        return text
    out = []
    for literal, field, _spec, _conversion in parts:
        out.append(literal)
        if field is not None and NAME.match(field):
            value = context.get(field, "")
            out.append("" if value is None else str(value))
    return "".join(out)
