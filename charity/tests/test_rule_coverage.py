"""The `rule` marker and the check that every RULES.md rule has a passing test proving it."""

from pathlib import Path

import pytest

from charity.tests.rule_coverage import known_rules, missing_rules

CHECKOUT = Path(__file__).resolve().parents[2]

TINY_SUITE = '''
import pytest

@pytest.mark.rule("SC-1")
def test_proves_sc1():
    assert True

@pytest.mark.rule("SC-2")
def test_claims_sc2_but_fails():
    assert False
'''


def _run(pytester, monkeypatch, suite, rules="- SC-1 one\n- SC-2 two\n"):
    rules_file = pytester.path / "RULES.md"
    rules_file.write_text(rules, encoding="utf-8")
    pytester.makepyfile(test_tiny=suite)
    monkeypatch.setenv("RULES_FILE", str(rules_file))
    monkeypatch.setenv("PYTHONPATH", str(CHECKOUT), prepend=":")
    return pytester.runpytest_subprocess("-p", "no:django", "-p", "no:cacheprovider",
                                         "-p", "charity.tests.rule_coverage", "--rules-coverage")


def test_known_rules_reads_every_id_of_rules_md():
    known = known_rules()
    assert {"IN-1", "SC-12", "CP-10", "SAT-2", "TK-8", "BEN-1"} <= known
    assert len(known) >= 80


def test_missing_rules_lists_what_no_passing_test_proved_in_order():
    assert missing_rules({"SC-10", "SC-2", "CP-1", "SC-1"}, {"SC-1"}) == ["CP-1", "SC-2", "SC-10"]


def test_a_rule_whose_only_test_fails_fails_the_run(pytester, monkeypatch):
    result = _run(pytester, monkeypatch, TINY_SUITE)
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*no passing test marked @pytest.mark.rule: SC-2*"])


def test_every_rule_proven_passes_the_run(pytester, monkeypatch):
    result = _run(pytester, monkeypatch, TINY_SUITE.replace("assert False", "assert True"))
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*Every one of the 2 RULES.md rules has a passing test*"])


def test_an_unknown_rule_id_is_an_error(pytester, monkeypatch):
    result = _run(pytester, monkeypatch, TINY_SUITE.replace('"SC-2"', '"SC-99"'))
    assert result.ret != 0
    assert "unknown rule ID" in result.stdout.str() + result.stderr.str()


@pytest.mark.rule("GO-1")
def test_marker_is_registered(request):
    assert request.node.get_closest_marker("rule").args == ("GO-1",)


def test_rule_option_runs_only_the_tests_of_that_rule(pytester, monkeypatch):
    rules_file = pytester.path / "RULES.md"
    rules_file.write_text("- SC-1 one\n- SC-2 two\n", encoding="utf-8")
    pytester.makepyfile(test_tiny=TINY_SUITE)
    monkeypatch.setenv("RULES_FILE", str(rules_file))
    monkeypatch.setenv("PYTHONPATH", str(CHECKOUT), prepend=":")
    result = pytester.runpytest_subprocess("-p", "no:django", "-p", "no:cacheprovider",
                                           "-p", "charity.tests.rule_coverage", "--rule", "SC-1")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*1 passed, 1 deselected*"])
