"""Suppressions as a user writes them: in the configuration and in one host's winrmlint.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURES, LOWERED, assert_valid_sarif, invoke

CONFIGS = FIXTURES / "config"
SITE = CONFIGS / "site.winrmlint.toml"
WEB02 = CONFIGS / "hosts" / "web02"


def findings(stdout: str) -> list[dict]:
    doc = json.loads(stdout)
    return [f for h in doc["hosts"] for f in h["findings"]] + doc["other_findings"]


def test_a_suppressed_finding_is_left_out_by_default() -> None:
    result = invoke("lint", "--format", "json", "--config", str(SITE), str(LOWERED))
    found = findings(result.stdout)
    assert "WRM301" not in {f["code"] for f in found}
    assert json.loads(result.stdout)["summary"]["suppressed_hidden"] == 1
    text = invoke("lint", "--config", str(SITE), str(LOWERED)).stdout
    assert "WRM301" not in text.split("configuration")[0]
    assert "1 suppressed (--include-suppressed shows them)" in text


def test_include_suppressed_marks_it_in_text_json_and_sarif() -> None:
    args = ("--config", str(SITE), "--include-suppressed", str(LOWERED))
    found = [f for f in findings(invoke("lint", "--format", "json", *args).stdout) if f["code"] == "WRM301"]
    assert len(found) == 1
    marked = found[0]["suppressed"]
    assert marked["justification"] == "legacy IIS farm, TrustedHosts set by the vendor's installer (CHG-4711)"
    assert (marked["expires"], marked["line"]) == ("2099-12-31", 13)
    assert marked["file"].endswith("fixtures/config/site.winrmlint.toml")
    text = invoke("lint", *args).stdout
    line = next(l for l in text.splitlines() if " WRM301 " in l)
    assert "[suppressed: legacy IIS farm, TrustedHosts set by the vendor's installer (CHG-4711)]" in line
    doc = json.loads(invoke("lint", "--format", "sarif", *args).stdout)
    assert_valid_sarif(doc)
    results = doc["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["WRM301"]
    assert suppressed[0]["suppressions"] == [
        {"kind": "external", "justification": "legacy IIS farm, TrustedHosts set by the vendor's installer (CHG-4711)"}
    ]


def test_expired_and_unused_suppressions_are_findings_at_their_line() -> None:
    result = invoke("lint", "--format", "sarif", "--config", str(SITE), str(LOWERED))
    doc = json.loads(result.stdout)
    assert_valid_sarif(doc)
    run = doc["runs"][0]
    by_rule = {r["ruleId"]: r for r in run["results"] if r["ruleId"] in ("WRM002", "WRM003")}
    expired, unused = by_rule["WRM002"], by_rule["WRM003"]
    for res, line in ((expired, 19), (unused, 26)):
        where = res["locations"][0]["physicalLocation"]
        assert where["artifactLocation"]["uri"].endswith("fixtures/config/site.winrmlint.toml")
        assert where["region"]["startLine"] == line
    assert "expired on `2020-06-30`" in expired["message"]["text"]
    assert "matched no finding" in unused["message"]["text"]
    # the expired one no longer suppresses: the finding it covered is back
    assert any(r["ruleId"] == "WRM201" for r in run["results"])
    assert {"WRM002", "WRM003"} <= {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert result.exit_code == 1


def test_a_suppression_of_a_rule_that_did_not_run_is_not_unused() -> None:
    result = invoke("lint", "--format", "json", "--config", str(SITE), "--select", "WRM102", str(LOWERED))
    assert [f["code"] for f in findings(result.stdout)] == ["WRM102", "WRM002"]


def test_suppressing_every_failing_finding_passes_the_run(tmp_path: Path) -> None:
    config = tmp_path / ".winrmlint.toml"
    config.write_text(
        '[[suppressions]]\nrule = "WRM102"\nhosts = "WEB*"\npath = "winrm/config/service/AllowUnencrypted"\n'
        'justification = "isolated VLAN (SEC-1029)"\n',
        encoding="utf-8",
    )
    assert invoke("lint", "--isolated", "--select", "WRM102", str(LOWERED)).exit_code == 1
    assert invoke("lint", "--config", str(config), "--select", "WRM102", str(LOWERED)).exit_code == 0
    # a path glob that does not match leaves the finding, and the suppression is unused
    config.write_text(config.read_text().replace("service/AllowUnencrypted", "client/*"), encoding="utf-8")
    result = invoke("lint", "--format", "json", "--config", str(config), "--select", "WRM102", str(LOWERED))
    assert [f["code"] for f in findings(result.stdout)] == ["WRM102", "WRM003"]
    assert result.exit_code == 1


def test_a_hosts_manifest_suppresses_on_that_host_only(tmp_path: Path) -> None:
    shutil.copytree(WEB02, tmp_path / "web02")
    shutil.copytree(LOWERED, tmp_path / "web01")
    result = invoke("lint", "--format", "json", "--isolated", "-s", "WRM102", "-s", "WRM701", "-s", "WRM204", str(tmp_path))
    doc = json.loads(result.stdout)
    per_host = {h["name"]: sorted(f["code"] for f in h["findings"]) for h in doc["hosts"]}
    assert per_host["web01"] == ["WRM102", "WRM204", "WRM204", "WRM701"]
    # WRM102 (path glob) and WRM701 (file glob) suppressed; the WRM204 one has expired
    assert per_host["web02"] == ["WRM002", "WRM204", "WRM204"]
    expired = next(f for h in doc["hosts"] for f in h["findings"] if f["code"] == "WRM002")
    assert expired["file"].endswith("web02/winrmlint.json") and expired["line"] == 18
    assert "host `web02`" in expired["message"]


def test_a_manifest_suppression_of_an_unknown_rule_is_wrm001(tmp_path: Path) -> None:
    shutil.copytree(WEB02, tmp_path / "web02")
    manifest = tmp_path / "web02" / "winrmlint.json"
    manifest.write_text(manifest.read_text().replace('"WRM701"', '"WRM799"'), encoding="utf-8")
    result = invoke("lint", "--format", "json", "--isolated", str(tmp_path / "web02"))
    errors = [f for f in findings(result.stdout) if f["code"] == "WRM001"]
    assert len(errors) == 1 and "suppressions[2].rule: 'WRM799' is no rule code or name" in errors[0]["message"]
