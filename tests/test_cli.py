"""The command line as a user runs it: arguments, exit codes, output."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXTURES, LOWERED, ROOT, assert_valid_sarif, invoke
from winrmlint import __version__
from winrmlint.rules import RULES

CLEAN = FIXTURES / "bundles" / "srv-clean-2022"
LEGACY = FIXTURES / "bundles" / "web01-legacy"
MODEL_SCHEMA = json.loads((ROOT / "schemas" / "host-model.schema.json").read_text())


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"winrmlint {__version__}"


def test_rules_lists_every_registered_rule() -> None:
    result = invoke("rules")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == [r.code for r in RULES]


def test_clean_server_has_no_error_or_warning() -> None:
    result = invoke("lint", "--format", "json", str(CLEAN))
    doc = json.loads(result.stdout)
    levels = {f["level"] for h in doc["hosts"] for f in h["findings"]}
    assert levels <= {"note"}, doc
    assert result.exit_code == 0
    assert doc["hosts"][0]["files"] and all(f["error"] is None for f in doc["hosts"][0]["files"])


def test_text_output_names_file_line_code_and_fix() -> None:
    result = invoke("lint", str(LEGACY))
    assert result.exit_code == 1
    assert "\x1b[" not in result.stdout  # not a terminal: no colour
    lines = result.stdout.splitlines()
    assert any(":" in l and " error WRM102 " in l and "AllowUnencrypted" in l for l in lines)
    # a fix that is a command is the bare command, whole on its line, ready to paste
    assert 'fix: cmd: winrm set winrm/config/service @{AllowUnencrypted="false"}' in [l.strip() for l in lines]
    assert "PowerShell: winrm set winrm/config/service '@{AllowUnencrypted=\"false\"}'" in [l.strip() for l in lines]
    findings = [l for l in lines if re.match(r"\s+\S+:\d+: (error|warning|note) WRM\d{3} ", l)]
    assert lines[-1].startswith(f"{len(findings)} findings")


def test_fail_on_threshold() -> None:
    assert invoke("lint", "--select", "WRM701", "--fail-on", "error", str(LEGACY)).exit_code == 0
    assert invoke("lint", "--select", "WRM102", "--fail-on", "error", str(LEGACY)).exit_code == 1


def test_sarif_to_file_is_valid(tmp_path: Path) -> None:
    out = tmp_path / "results.sarif"
    result = invoke("lint", "--format", "sarif", "-o", str(out), str(LEGACY))
    assert result.exit_code == 1
    doc = json.loads(out.read_text())
    assert_valid_sarif(doc)
    run = doc["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is True
    assert {r["ruleId"] for r in run["results"]} >= {"WRM101", "WRM102"}
    for res in run["results"]:
        assert res["partialFingerprints"]["winrmlint/v1"]
        # qualified by the host's name, which dsregcmd's Device Name gives (not the folder's)
        assert res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].startswith("web01/")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert invoke("lint", str(tmp_path / "missing")).exit_code == 2
    assert invoke("lint", "--select", "WRM999", str(LEGACY)).exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke("lint", str(empty)).exit_code == 2


def test_unreadable_file_is_reported_and_the_rest_is_linted(tmp_path: Path) -> None:
    bundle = tmp_path / "web01"
    shutil.copytree(LEGACY, bundle)
    (bundle / "capture.bin").write_bytes(b"\x00\x01\x02\xff" * 64)
    # PowerShell 5.1 `>` writes UTF-16LE; a copy cut mid-character leaves an odd byte count
    utf16 = b"\xff\xfe" + (LEGACY / "winrm-config.txt").read_text().encode("utf-16-le")
    (bundle / "truncated.txt").write_bytes(utf16[:301])
    result = invoke("lint", "--format", "sarif", str(bundle))
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert_valid_sarif(doc)
    run = doc["runs"][0]
    unreadable = [r for r in run["results"] if r["ruleId"] == "WRM001"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[1] for r in unreadable} == {
        "capture.bin",
        "truncated.txt",
    }
    assert any(r["ruleId"] == "WRM102" for r in run["results"])
    assert run["invocations"][0]["executionSuccessful"] is False
    assert len(run["invocations"][0]["toolExecutionNotifications"]) == 2


def test_parse_json_validates_against_the_published_schema() -> None:
    result = invoke("parse", str(LEGACY))
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, MODEL_SCHEMA)
    settings = {s["path"]: s for s in doc["hosts"][0]["settings"]}
    assert settings["winrm/config/MaxEnvelopeSizekb"]["value"] == 150
    assert settings["winrm/config/client/TrustedHosts"]["value"] == "*"
    assert settings["winrm/config/listener/*+HTTP/ListeningOn"]["value"][-1] == "fe80::b1c9:4e2a:9f03:d7a6%10"


def test_parse_jsonl_one_setting_per_line() -> None:
    result = invoke("parse", "--format", "jsonl", str(CLEAN))
    assert result.exit_code == 0
    line_schema = {**MODEL_SCHEMA["$defs"]["setting_line"], "$defs": MODEL_SCHEMA["$defs"]}
    lines = [json.loads(l) for l in result.stdout.splitlines()]
    validator = jsonschema.Draft202012Validator(line_schema)
    for line in lines:
        validator.validate(line)
    by_path = {l["path"]: l for l in lines}
    basic = by_path["winrm/config/client/auth/Basic"]
    assert (basic["value"], basic["source"], basic["file"].endswith("winrm-config.txt")) == (False, "gpo", True)
    assert by_path["winrm/config/client/TrustedHosts"]["value"] == ""
    assert by_path["winrm/config/listener/*+HTTPS/Port"]["value"] == 5986


@pytest.mark.parametrize("rule", ["WRM102", "service-allow-unencrypted"])
def test_explain(rule: str) -> None:
    result = invoke("explain", rule)
    assert result.exit_code == 0
    assert "## Fix" in result.stdout and "winrm set winrm/config/service" in result.stdout


def test_sarif_past_githubs_result_limit_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    from winrmlint.output import sarif

    monkeypatch.setattr(sarif, "GITHUB_MAX_RESULTS", 3)
    result = invoke("lint", "--format", "sarif", str(LEGACY))
    assert result.exit_code == 1
    assert "GitHub code scanning rejects a run of more than 3" in result.stderr
    assert "GitHub" not in invoke("lint", "--format", "sarif", "--select", "WRM101", str(LEGACY)).stderr


def test_text_shows_the_level_word_and_errors_first() -> None:
    lines = invoke("lint", "--isolated", str(LEGACY)).stdout.splitlines()
    levels = [m.group(1) for l in lines if (m := re.match(r"\s+\S+:\d+: (error|warning|note) WRM\d{3} ", l))]
    assert levels and levels == sorted(levels, key=["error", "warning", "note"].index)
    assert levels[0] == "error" and "warning" in levels


def test_on_a_terminal_messages_wrap_but_commands_stay_whole() -> None:
    import io

    from winrmlint import engine
    from winrmlint.output import text

    stream = io.StringIO()
    text.render(text.of(engine.lint([str(LEGACY)])), stream, colour=False, width=60)
    lines = stream.getvalue().splitlines()
    # a long message continues on indented lines under its location
    start = next(n for n, l in enumerate(lines) if " WRM103 " in l)
    assert len(lines[start]) <= 60 and lines[start + 1].startswith("      ") and "fix:" not in lines[start + 1]
    # every backticked command of a fix is whole on one line
    fixes = [f for h in json.loads(invoke("lint", "--isolated", "--format", "json", str(LEGACY)).stdout)["hosts"] for f in h["findings"]]
    commands = {c for f in fixes for c in re.findall(r"`([^`]+)`", f["fix"]) if " " in c}
    assert commands
    for command in commands:
        assert any(command in l for l in lines), command
    assert "           cmd: winrm set winrm/config/service/auth @{Basic=\"false\"}" in lines  # WRM103's second command


def test_statistics_and_the_fleet_summary() -> None:
    fleet = invoke("lint", "--isolated", str(LEGACY), str(CLEAN)).stdout.splitlines()
    assert "; 2 hosts given, 2 linted, 0 left out" in fleet[-1]
    assert "failing hosts (1): web01" in fleet
    stats = invoke("lint", "--isolated", "--statistics", str(LOWERED)).stdout.splitlines()
    assert "    6  warning  WRM702  quota-below-default" in stats
    assert "    1  error    WRM102  service-allow-unencrypted" in stats
    # with another format on standard output the table goes to standard error
    result = invoke("lint", "--isolated", "--statistics", "--format", "json", str(LOWERED))
    json.loads(result.stdout)
    assert "    6  warning  WRM702  quota-below-default" in result.stderr.splitlines()


def test_a_host_with_nothing_readable_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "broken").mkdir()
    # UTF-16 cut mid-character: a dump of this host, none of it readable
    (tmp_path / "broken" / "winrm-config.txt").write_bytes(b"\xff\xfe" + "Config\n".encode("utf-16-le") + b"\x00")
    shutil.copytree(LEGACY, tmp_path / "web01")
    shutil.copytree(CLEAN, tmp_path / "srv01")
    doc = json.loads(invoke("lint", "--isolated", "--format", "json", str(tmp_path)).stdout)
    summary = doc["summary"]
    assert (summary["hosts"], summary["hosts_linted"], len(summary["hosts_left_out"])) == (3, 2, 1)
    assert summary["hosts_left_out"][0].endswith("broken")
    assert summary["failing_hosts"] == ["broken", "web01"]  # its WRM001 is an error
    lines = invoke("lint", "--isolated", str(tmp_path)).stdout.splitlines()
    assert "3 hosts given, 2 linted, 1 left out: broken" in lines[-1]


def test_quiet_prints_findings_only_and_exit_zero_passes() -> None:
    quiet = invoke("lint", "--isolated", "-q", str(LEGACY), str(CLEAN))
    assert quiet.exit_code == 1
    assert "srv-app01" not in quiet.stdout.lower()  # a clean host is not listed
    assert not any(re.match(r"\d+ findings|failing hosts", l) for l in quiet.stdout.splitlines())
    assert all(" WRM" in l or l.strip().startswith("fix:") or l.startswith("web01") or l.startswith(" " * 11) or not l.strip()
               for l in quiet.stdout.splitlines())
    assert invoke("lint", "--isolated", "--exit-zero", str(LEGACY)).exit_code == 0
    # a usage error is still one
    assert invoke("lint", "--exit-zero", "--select", "WRM999", str(LEGACY)).exit_code == 2


def test_no_progress_bar_in_a_pipe() -> None:
    result = invoke("lint", "--isolated", str(LEGACY), str(CLEAN))
    assert result.stderr == ""


def test_shell_completion_is_available() -> None:
    result = invoke("--help")
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout
