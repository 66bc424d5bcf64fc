"""History reasons: stored as language-neutral codes, told in the reader's language.

The foundation only holds the registry; each app's own codes are tested in that app
(beneficiaries/tests/test_history_reasons.py, eligibility/tests/test_history_reasons.py)."""

from django.db import models
from django.utils import translation

from charity.history import ReasonRegistry, describe_reason, label_of


class Colour(models.TextChoices):
    RED = "red", "Red"  # a plain label: a test adds nothing to the catalogue


def _registry():
    registry = ReasonRegistry()
    registry.register([
        (r"^(?P<rule>[A-Z]+-\d+) painted$", lambda g: f"Painted under {g['rule']}"),
        (r"^XX-1 painted$", lambda g: "never reached: the pattern above matches first"),
        (r"^colour → (?P<colour>\w+)$", lambda g: f"Colour «{label_of(Colour, g['colour'])}»"),
    ])
    return registry


def test_registered_codes_are_told_by_the_first_pattern_that_matches():
    registry = _registry()
    assert registry.describe("XX-1 painted") == "Painted under XX-1"
    assert registry.describe("  colour → red ") == "Colour «Red»"


def test_registering_a_pattern_again_replaces_its_sentence():
    registry = _registry()
    registry.register([(r"^colour → (?P<colour>\w+)$", lambda g: "repainted")])
    assert registry.describe("colour → red") == "repainted"
    assert registry.describe("XX-1 painted") == "Painted under XX-1"


def test_label_of_keeps_a_value_that_is_not_a_choice():
    with translation.override("en"):
        assert label_of(Colour, "red") == "Red"
    assert label_of(Colour, "nonsense") == "nonsense"
    assert _registry().describe("colour → nonsense") == "Colour «nonsense»"


def test_an_unknown_reason_is_shown_as_written():
    assert _registry().describe("painted by hand") == "painted by hand"
    assert describe_reason("RT-2: the family asked for a woman researcher") == \
        "RT-2: the family asked for a woman researcher"
    assert describe_reason(None) == "" and describe_reason("  ") == ""
