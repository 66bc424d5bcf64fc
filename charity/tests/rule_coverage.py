"""The `rule` marker: `@pytest.mark.rule("SC-6", "RT-4")` says which RULES.md rules a test
proves. The IDs are checked against ../shared/policy/RULES.md at collection (a typo is an
error), and with `--rules-coverage` (what `make test` passes) the run fails when a rule of
RULES.md has no test carrying its ID that passed: a rule nobody exercises is a failure, not a
gap found later."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

RULE_ID = re.compile(r"\b(?:BEN|CP|DU|EL|GO|IN|RT|SAT|SC|TK)-\d+\b")
RULES_FILE = Path(os.environ.get("RULES_FILE") or
                  Path(__file__).resolve().parents[2].parent / "shared" / "policy" / "RULES.md")

_marked: dict[str, tuple[str, ...]] = {}
_proven: set[str] = set()


def rule_ids(text: str) -> set[str]:
    """Every rule ID a text defines or cites."""
    return set(RULE_ID.findall(text))


def known_rules(path: Path = RULES_FILE) -> set[str]:
    """The IDs RULES.md restates (empty when the file is not beside the checkout)."""
    return rule_ids(path.read_text(encoding="utf-8")) if path.exists() else set()


def missing_rules(known: set[str], proven: set[str]) -> list[str]:
    """The rules no passing test proved, in RULES.md's natural order."""
    def key(rule_id: str):
        prefix, number = rule_id.split("-")
        return prefix, int(number)

    return sorted(known - proven, key=key)


def pytest_addoption(parser):
    parser.addoption("--rules-coverage", action="store_true", default=False,
                     help="fail when a RULES.md rule has no passing test marked with its ID")
    parser.addoption("--rule", action="append", default=[], metavar="ID",
                     help="run only the tests marked as proving this rule (repeatable)")


def pytest_configure(config):
    config.addinivalue_line("markers", "rule(*ids): the RULES.md rules this test proves")


def pytest_collection_modifyitems(config, items):
    known = known_rules()
    for item in items:
        ids = tuple(i for marker in item.iter_markers("rule") for i in marker.args)
        if not ids:
            continue
        unknown = [i for i in ids if not RULE_ID.fullmatch(i) or (known and i not in known)]
        if unknown:
            raise pytest.UsageError(f"{item.nodeid}: unknown rule ID(s) {unknown} in @pytest.mark.rule")
        _marked[item.nodeid] = ids
    wanted = set(config.getoption("--rule"))
    if wanted:
        kept = [item for item in items if wanted & set(_marked.get(item.nodeid, ()))]
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed:
        _proven.update(_marked.get(report.nodeid, ()))


def pytest_sessionfinish(session, exitstatus):
    if not session.config.getoption("--rules-coverage"):
        return
    known = known_rules()
    if not known:
        raise pytest.UsageError(f"--rules-coverage: {RULES_FILE} not found")
    missing = missing_rules(known, _proven)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if missing:
        if reporter:
            reporter.write_line(f"RULES.md rules with no passing test marked @pytest.mark.rule: {', '.join(missing)}",
                                red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif reporter:
        reporter.write_line(f"Every one of the {len(known)} RULES.md rules has a passing test that proves it.")
