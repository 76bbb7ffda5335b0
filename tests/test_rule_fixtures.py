"""Every rule has fail/ and pass/ fixture bundles; what fail/ yields is pinned as results only.

Layout (issue 10, "goldens pin results, not prose"):
- `fixtures/rules/rules.sarif.json`: the rule metadata once, as SARIF `tool.driver.rules`.
- `fixtures/rules/<code>/expected.json`: the SARIF results of `lint fail --select <code>` (codes,
  levels, locations, messages, fingerprints, fixes), without the metadata.
- `fail-<profile>/` and `pass-<profile>/` (`fail-stig/`, `pass-cis/`…): the same under
  `--profile <profile>`, pinned in `expected-<profile>.json`.
Every document is validated against the SARIF schema before it is cut down.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, assert_valid_sarif
from golden import check_golden
from winrmlint import engine
from winrmlint.output import sarif
from winrmlint.rules import RULES, Rule

RULE_FIXTURES = FIXTURES / "rules"
PROFILES = ("stig", "cis", "cis-l2")
# a `winrm set … @{…}` that cmd takes but PowerShell would read as a hashtable
_UNQUOTED_HASH = re.compile(r"(?<!cmd: )`winrm (?:set|create) [^`@']*@\{")


def fleet_baseline(folder: Path, rule: Rule) -> str | None:
    """The golden host a fleet rule's fixtures are compared with (`--baseline`), named in `baseline.txt`."""
    marker = folder / "baseline.txt"
    return marker.read_text(encoding="utf-8").strip() if rule.fleet and marker.exists() else None


def lint_sarif(folder: Path, target: str, rule: Rule, profile: str = "default") -> dict:
    """What `winrmlint lint <target> --select <code> [--profile P] [--baseline NAME] --format sarif`
    prints, run in `folder`."""
    here = os.getcwd()
    os.chdir(folder)
    try:
        run = engine.lint(
            [target],
            rules=engine.select_rules([rule.code], profile=profile),
            baseline=fleet_baseline(folder, rule),
            profile=profile,
        )
    finally:
        os.chdir(here)
    return sarif.document(run)


def rule_results(doc: dict, code: str) -> list[dict]:
    return [r for r in doc["runs"][0]["results"] if r["ruleId"] == code]


def pinned_results(doc: dict) -> list[dict]:
    """The results as pinned: `ruleIndex` dropped (it numbers the metadata, pinned elsewhere)."""
    return [{k: v for k, v in r.items() if k != "ruleIndex"} for r in doc["runs"][0]["results"]]


def cases(rule: Rule) -> list[tuple[str, str]]:
    """(folder, profile) of the rule's fail cases: `fail/` in the default profile, `fail-<p>/`."""
    folder = RULE_FIXTURES / rule.code
    found = [("fail", "default")]
    found += [(f"fail-{p}", p) for p in PROFILES if (folder / f"fail-{p}").is_dir()]
    return found


def test_rule_metadata_is_pinned_once(update_goldens: bool) -> None:
    doc = sarif.document(engine.lint([str(RULE_FIXTURES / "WRM001" / "pass")], rules=RULES))
    assert_valid_sarif(doc)
    check_golden(RULE_FIXTURES / "rules.sarif.json", {"rules": doc["runs"][0]["tool"]["driver"]["rules"]}, update_goldens)


@pytest.mark.parametrize(
    "rule,target,profile",
    [(r, t, p) for r in RULES for t, p in cases(r)],
    ids=lambda v: v.code if isinstance(v, Rule) else str(v),
)
def test_fail_fixtures_trigger_the_rule_as_pinned(rule: Rule, target: str, profile: str, update_goldens: bool) -> None:
    folder = RULE_FIXTURES / rule.code
    assert (folder / target).is_dir(), f"{folder}/{target} is missing"
    doc = lint_sarif(folder, target, rule, profile)
    assert_valid_sarif(doc)
    found = rule_results(doc, rule.code)
    assert found, f"{rule.code}: nothing in {target}/ triggers it"
    for case in (folder / target).iterdir():
        if case.is_dir() and not rule.fleet:
            alone = lint_sarif(folder, f"{target}/{case.name}", rule, profile)
            assert rule_results(alone, rule.code), f"{rule.code}: {target}/{case.name} does not trigger it"
    for result in doc["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["region"]["startLine"] >= 1
        assert (folder / location["artifactLocation"]["uri"].split("%")[0]).exists() or "%" in location["artifactLocation"]["uri"]
        fix = result.get("properties", {}).get("fix", "")
        assert not _UNQUOTED_HASH.search(fix), f"{rule.code}: a `winrm set` fix without its PowerShell form: {fix}"
    name = "expected.json" if profile == "default" else f"expected-{profile}.json"
    check_golden(folder / name, {"results": pinned_results(doc)}, update_goldens)


@pytest.mark.parametrize(
    "rule,target,profile",
    [(r, "pass", "default") for r in RULES]
    + [(r, f"pass-{p}", p) for r in RULES for p in PROFILES if (RULE_FIXTURES / r.code / f"pass-{p}").is_dir()],
    ids=lambda v: v.code if isinstance(v, Rule) else str(v),
)
def test_pass_fixtures_stay_quiet(rule: Rule, target: str, profile: str) -> None:
    folder = RULE_FIXTURES / rule.code
    assert (folder / target).is_dir(), f"{folder}/{target} is missing"
    doc = lint_sarif(folder, target, rule, profile)
    assert_valid_sarif(doc)
    assert rule_results(doc, rule.code) == [], f"{rule.code} fires on a {target}/ case"


def test_no_stale_goldens() -> None:
    """A golden nothing writes any more is a pin that checks nothing."""
    for folder in RULE_FIXTURES.iterdir():
        if not folder.is_dir():
            continue
        written = {"expected.json"} | {f"expected-{p}.json" for p in PROFILES if (folder / f"fail-{p}").is_dir()}
        present = {p.name for p in folder.glob("expected*.json")}
        assert present <= written, f"{folder.name}: stale {sorted(present - written)}"
