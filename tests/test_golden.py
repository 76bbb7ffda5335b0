"""`winrmlint lint --golden NAME fleet/`: fleet drift (WRM802) as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, assert_valid_sarif
from golden import check_golden
from winrmlint.cli import app

DRIFT = FIXTURES / "rules" / "WRM802"
# The golden host of the WRM802 fixtures, as a user would pass it to --golden
BASELINE = (DRIFT / "baseline.txt").read_text(encoding="utf-8").strip()

runner = CliRunner()


def lint(*args: str):
    return runner.invoke(app, ["lint", *args], catch_exceptions=False)


@pytest.fixture
def in_drift(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the WRM802 folder, as the golden's relative URIs expect."""
    monkeypatch.chdir(DRIFT)
    return DRIFT


def drift_results(stdout: str) -> list[dict]:
    doc = json.loads(stdout)
    return [r for r in doc["runs"][0]["results"] if r["ruleId"] == "WRM802"]


def test_fleet_against_baseline_matches_the_golden(in_drift: Path, update_goldens: bool) -> None:
    result = lint("--golden", BASELINE, "--select", "WRM802", "--format", "sarif", "fail")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert_valid_sarif(doc)
    check_golden(in_drift / "expected.sarif.json", doc, update_goldens)


def test_every_drifted_host_is_reported_against_the_baseline(in_drift: Path) -> None:
    result = lint("--golden", BASELINE, "--select", "WRM802", "--format", "sarif", "fail")
    found = drift_results(result.stdout)
    hosts = {r["properties"]["host"] for r in found}
    assert hosts == {"web01", "web02", "web03"}
    for r in found:
        # the baseline's own value is the related location, in the baseline's bundle
        related = r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert related.startswith(f"fail/{BASELINE}/")
        assert f"on the baseline host `{BASELINE.upper()}`" in r["message"]["text"]


def test_per_host_values_are_not_drift(in_drift: Path) -> None:
    result = lint("--golden", BASELINE, "--select", "WRM802", "--format", "sarif", "pass")
    assert result.exit_code == 0, result.stdout
    assert drift_results(result.stdout) == []


def test_baseline_name_ignores_case(in_drift: Path) -> None:
    lower = lint("--golden", BASELINE.lower(), "--select", "WRM802", "--format", "sarif", "fail")
    upper = lint("--golden", BASELINE.upper(), "--select", "WRM802", "--format", "sarif", "fail")
    assert drift_results(lower.stdout) == drift_results(upper.stdout) != []


def test_without_baseline_the_rule_is_silent(in_drift: Path) -> None:
    result = lint("--select", "WRM802", "--format", "sarif", "fail")
    assert result.exit_code == 0
    assert drift_results(result.stdout) == []


def test_text_output_names_host_value_and_fix(in_drift: Path) -> None:
    result = lint("--golden", BASELINE, "--select", "WRM802", "fail")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(
        "fail/web01/winrm-config.txt:" in l and " WRM802 " in l and "`service/AllowUnencrypted` is `true`" in l
        for l in lines
    )
    assert any(l.strip() == 'fix: winrm set winrm/config/service @{AllowUnencrypted="false"}' for l in lines)


def test_a_baseline_that_is_no_host_of_the_run_is_a_usage_error(in_drift: Path) -> None:
    result = runner.invoke(app, ["lint", "--golden", "GOLD-TYPO", "fail"])
    assert result.exit_code == 2
    assert "GOLD-TYPO" in result.stderr and BASELINE.lower() in result.stderr.lower()
