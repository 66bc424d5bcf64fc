"""The reason on a history row, told in the reader's language.

Services write each history row's reason as a short, language-neutral code that names the
rule («SC-2 exclusion», «decision: accept», «status → frozen»): it is stored once and must
read the same whatever language the person who acted used. This module turns that code into
a sentence when a page shows it. A reason it does not know (a free note, an old row) is shown
as written, never dropped.

The foundation knows no app's codes: each app registers the codes its services write, with
how to say them, from its `AppConfig.ready()` (`register_reasons([(pattern, say), ...])`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.db.models import Choices

# How to say a stored code: given the pattern's named groups, return the sentence.
Say = Callable[[dict[str, str]], str]


class ReasonRegistry:
    """Stored reason patterns and how to say them; the first pattern that matches wins."""

    def __init__(self) -> None:
        self._reasons: dict[str, tuple[re.Pattern, Say]] = {}

    def register(self, reasons: Iterable[tuple[str, Say]]) -> None:
        """Add (pattern, say) pairs; registering a pattern again replaces its sentence."""
        for pattern, say in reasons:
            self._reasons[pattern] = (re.compile(pattern), say)

    def describe(self, reason: str | None) -> str:
        """Return the stored reason as a sentence in the active language ("" for none)."""
        reason = (reason or "").strip()
        for pattern, say in self._reasons.values():
            match = pattern.match(reason)
            if match:
                return say(match.groupdict())
        return reason


def label_of(choices: type[Choices], value: str) -> str:
    """Return the choice's label in the active language, or the value when it is not a choice."""
    return str(choices(value).label) if value in choices.values else value


reasons = ReasonRegistry()
register_reasons = reasons.register
describe_reason = reasons.describe
