"""`winrmlint lint --baseline FILE`: results marked new, unchanged, updated or absent by fingerprint."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, LOWERED, assert_valid_sarif, invoke

SELECT = ("--isolated", "-s", "WRM1", "-s", "WRM7")


def edit(bundle: Path, old: str, new: str) -> None:
    config = bundle / "winrm-config.txt"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Last release's dumps in before/web01 and this PR's in web01, run from tmp_path.

    The PR fixes the client's AllowUnencrypted (WRM101 absent), raises one quota a little (WRM702
    updated), lowers MaxEnvelopeSizekb (WRM701 new) and moves every line down by two.
    """
    before = tmp_path / "before" / "web01"
    shutil.copytree(LOWERED, before)
    edit(before, "MaxEnvelopeSizekb = 150", "MaxEnvelopeSizekb = 500")
    now = tmp_path / "web01"
    shutil.copytree(LOWERED, now)
    edit(now, "Config\n", "\n\nConfig\n")
    edit(now, "        AllowUnencrypted = true", "        AllowUnencrypted = false")
    edit(now, "MaxConcurrentOperationsPerUser = 15", "MaxConcurrentOperationsPerUser = 100")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def baseline(history: Path, fmt: str) -> Path:
    out = history / f"baseline.{fmt}"
    # the baseline's URIs name before/web01; fingerprints do not depend on where a file was
    invoke("lint", *SELECT, "--format", f"{fmt}={out}", "before/web01")
    return out


@pytest.mark.parametrize("fmt", ["sarif", "json"])
def test_states_by_fingerprint(history: Path, fmt: str) -> None:
    result = invoke("lint", *SELECT, "--baseline", str(baseline(history, fmt)), "--format", "sarif", "web01")
    doc = json.loads(result.stdout)
    assert_valid_sarif(doc)
    results = doc["runs"][0]["results"]
    assert all("baselineState" in r for r in results)
    states = {(r["ruleId"], r["properties"]["logicalPath"].rsplit("/", 1)[1]): r["baselineState"] for r in results}
    assert states[("WRM701", "MaxEnvelopeSizekb")] == "new"
    assert states[("WRM702", "MaxConcurrentOperationsPerUser")] == "updated"
    assert states[("WRM102", "AllowUnencrypted")] == "unchanged"  # its line moved by two
    assert states[("WRM101", "AllowUnencrypted")] == "absent"
    gone = next(r for r in results if r["baselineState"] == "absent")
    assert (gone["kind"], gone["level"]) == ("pass", "none")
    assert gone["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("before/web01/")
    assert list(states.values()).count("new") == 1


def test_fail_on_new_fails_only_for_new_findings(history: Path) -> None:
    base = str(baseline(history, "sarif"))
    assert invoke("lint", *SELECT, "--baseline", base, "web01").exit_code == 1
    assert invoke("lint", *SELECT, "--baseline", base, "--fail-on-new", "web01").exit_code == 1
    # without the new WRM701, what remains was there before: the PR passes
    assert invoke("lint", *SELECT, "-i", "WRM701", "--baseline", base, "--fail-on-new", "web01").exit_code == 0
    assert invoke("lint", *SELECT, "-i", "WRM701", "--baseline", base, "web01").exit_code == 1


def test_text_and_json_show_the_state(history: Path) -> None:
    base = str(baseline(history, "json"))
    text = invoke("lint", *SELECT, "--baseline", base, "web01").stdout
    assert any(" WRM701 [new] Config `MaxEnvelopeSizekb`" in l for l in text.splitlines())
    assert "against the baseline: 1 new, 1 gone" in text.splitlines()[-1]
    doc = json.loads(invoke("lint", *SELECT, "--baseline", base, "--format", "json", "web01").stdout)
    assert [a["code"] for a in doc["absent"]] == ["WRM101"]
    assert {f["baseline_state"] for f in doc["hosts"][0]["findings"]} == {"new", "updated", "unchanged"}


def test_a_baseline_from_another_tool_is_a_usage_error() -> None:
    result = invoke("lint", "--baseline", str(FIXTURES / "baseline" / "other-tool.sarif"), str(LOWERED))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "was written by 'checkov', not winrmlint" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<testsuites/>", "is not JSON"),
        (b'{"results": []}', "is neither SARIF nor winrmlint JSON"),
        (b'{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "winrmlint"}}, "results": [{"ruleId": "WRM101"}]}]}',
         "a result lacks winrmlint's fingerprint or location"),
    ],
)
def test_an_unreadable_baseline_is_a_usage_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "baseline.sarif"
    path.write_bytes(content)
    result = invoke("lint", "--baseline", str(path), str(LOWERED))
    assert result.exit_code == 2
    assert f"baseline {path}: {message}" in result.stderr
    assert invoke("lint", "--baseline", str(tmp_path / "missing.sarif"), str(LOWERED)).exit_code == 2


def test_the_old_baseline_host_call_points_to_golden() -> None:
    result = invoke("lint", "--baseline", "SRV-GOLD", str(LOWERED))
    assert result.exit_code == 2
    assert "baseline SRV-GOLD: no such file (a golden host for WRM802 is now --golden SRV-GOLD)" in result.stderr


def test_a_sarif_baseline_of_the_same_run_leaves_every_result_unchanged(tmp_path: Path) -> None:
    """SARIF escapes a message's brackets (`\\[Source="GPO"\\]`); the baseline compared that text
    with this run's own, so that 14 of 299 results of fixtures/rules were "updated" against a
    baseline of themselves. The baseline's text is read back unescaped."""
    sarif = tmp_path / "baseline.sarif"
    invoke("lint", "--isolated", "-f", "sarif", "-o", str(sarif), str(FIXTURES / "rules"))
    result = invoke("lint", "--isolated", "-f", "json", "--baseline", str(sarif), str(FIXTURES / "rules"))
    states = [f["baseline_state"] for h in json.loads(result.stdout)["hosts"] for f in h["findings"]]
    assert len(states) > 200 and set(states) == {"unchanged"}
