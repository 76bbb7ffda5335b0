"""Every rule has fail/ and pass/ fixture bundles, and a golden SARIF of what fail/ yields."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import FIXTURES, assert_valid_sarif
from golden import check_golden
from winrmlint import engine
from winrmlint.output import sarif
from winrmlint.rules import RULES, Rule

RULE_FIXTURES = FIXTURES / "rules"


def fleet_baseline(folder: Path, rule: Rule) -> str | None:
    """The golden host a fleet rule's fixtures are compared with (`--baseline`), named in `baseline.txt`."""
    marker = folder / "baseline.txt"
    return marker.read_text(encoding="utf-8").strip() if rule.fleet and marker.exists() else None


def lint_sarif(folder: Path, target: str, rule: Rule) -> dict:
    """What `winrmlint lint <target> --select <code> [--baseline NAME] --format sarif` prints, run in `folder`."""
    here = os.getcwd()
    os.chdir(folder)
    try:
        run = engine.lint([target], rules=engine.select_rules([rule.code]), baseline=fleet_baseline(folder, rule))
    finally:
        os.chdir(here)
    return sarif.document(run)


def rule_results(doc: dict, code: str) -> list[dict]:
    return [r for r in doc["runs"][0]["results"] if r["ruleId"] == code]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_fail_fixtures_trigger_the_rule_as_pinned(rule: Rule, update_goldens: bool) -> None:
    folder = RULE_FIXTURES / rule.code
    assert (folder / "fail").is_dir(), f"{folder}/fail is missing"
    doc = lint_sarif(folder, "fail", rule)
    assert_valid_sarif(doc)
    assert rule_results(doc, rule.code), f"{rule.code}: nothing in fail/ triggers it"
    for result in doc["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["region"]["startLine"] >= 1
        assert (folder / location["artifactLocation"]["uri"].split("%")[0]).exists() or "%" in location["artifactLocation"]["uri"]
    check_golden(folder / "expected.sarif.json", doc, update_goldens)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_pass_fixtures_stay_quiet(rule: Rule) -> None:
    folder = RULE_FIXTURES / rule.code
    assert (folder / "pass").is_dir(), f"{folder}/pass is missing"
    doc = lint_sarif(folder, "pass", rule)
    assert_valid_sarif(doc)
    assert rule_results(doc, rule.code) == [], f"{rule.code} fires on a pass/ case"
