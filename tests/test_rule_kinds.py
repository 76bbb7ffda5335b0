"""Every rule has the kind the public catalog gives it; profiles choose rules; kinds reach every output."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from winrmlint import engine
from winrmlint.cli import app
from winrmlint.output import sarif
from winrmlint.rules import BY_CODE, RULES
from winrmlint.rules.base import Kind, Profile

CATALOG = ROOT.parent / "shared" / "rules-catalog.md"


def catalog_kinds() -> dict[str, set[str]]:
    """code → the kinds the catalog's "Kinds and profiles" table lists it under."""
    section = CATALOG.read_text(encoding="utf-8").split("## Kinds and profiles", 1)[1]
    kinds: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) != 2 or not re.search(r"WRM\d{3}", cells[1]):
            continue
        label = cells[0]
        for code in re.findall(r"(WRM\d{3})(?: \([^)]*\))?", cells[1]):
            kinds.setdefault(code, set()).update(
                {"exposure", "baseline"} if label.startswith("exposure when") else {label}
            )
    return kinds


@pytest.mark.skipif(not CATALOG.exists(), reason="../shared/rules-catalog.md is not beside the repo")
def test_every_rule_has_the_catalog_kind() -> None:
    listed = catalog_kinds()
    assert set(listed) == {r.code for r in RULES}
    for rule in RULES:
        expected = listed[rule.code]
        assert rule.kind.value in expected, rule.code
        if expected == {"exposure", "baseline"}:
            # the split rules: exposure by default, a benchmark's check under a profile
            assert rule.kinds == ("exposure", "baseline") and rule.baselines, rule.code


def test_kind_leads_the_sarif_tags() -> None:
    for rule in RULES:
        tags = sarif.reporting_descriptor(rule).properties["tags"]
        assert tags[: len(rule.kinds)] == list(rule.kinds)
    assert "security" in sarif.reporting_descriptor(BY_CODE["WRM202"]).properties["tags"]


def test_profiles_select_rules_and_unknown_profiles_are_refused() -> None:
    default = engine.select_rules()
    assert {r.code for r in default} == {r.code for r in RULES if r.kind is not Kind.BASELINE}
    for name in ("stig", "cis", "cis-l2"):
        assert {r.code for r in engine.select_rules(profile=name)} >= {r.code for r in default}
    assert [r.code for r in engine.select_rules(["WRM201"], profile="stig")] == ["WRM001", "WRM201"]
    with pytest.raises(ValueError):
        engine.select_rules(profile="nist")
    assert Profile("cis-l2").asks("cis", level=2) and not Profile("cis").asks("cis", level=2)
    assert Profile("stig").asks("stig") and not Profile("default").asks("stig")


def test_rules_and_explain_show_the_kind() -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["rules"]).output
    assert re.search(r"^WRM201 .* exposure, baseline ", listed, re.MULTILINE)
    assert re.search(r"^WRM501 .* breaks ", listed, re.MULTILINE)
    assert re.search(r"^WRM001 .* input ", listed, re.MULTILINE)
    assert "**error** · kind: breaks" in runner.invoke(app, ["explain", "WRM501"]).output


def test_lint_takes_a_profile(tmp_path) -> None:
    runner = CliRunner()
    bundle = str(ROOT / "fixtures" / "bundles" / "web01-legacy")
    assert runner.invoke(app, ["lint", bundle, "--profile", "stig"]).exit_code == 1
    refused = runner.invoke(app, ["lint", bundle, "--profile", "nist"])
    assert refused.exit_code == 2
