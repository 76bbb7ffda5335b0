"""The output formats for CI, the format registry and several outputs in one run."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import junitparser
import pytest

from conftest import FIXTURES, assert_valid_sarif, invoke
from winrmlint.findings import Finding, Level
from winrmlint.output import FORMATS, github, writer
from winrmlint.output.report import Item
from winrmlint.source import Location

LEGACY = FIXTURES / "bundles" / "web01-legacy"
CLEAN = FIXTURES / "bundles" / "srv-clean-2022"
WRM102_FIX = (
    'cmd: `winrm set winrm/config/service @{AllowUnencrypted="false"}`, '
    "PowerShell: `winrm set winrm/config/service '@{AllowUnencrypted=\"false\"}'`"
)


# GitHub's runner (ActionCommand.TryParseV2): `::name props::data`, properties split at commas,
# each at its first `=`, values and data unescaped in this order
_COMMAND = re.compile(r"^::(?P<name>[a-z-]+)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def _unescape(text: str, prop: bool) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
    for escaped, plain in pairs:
        text = text.replace(escaped, plain)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = _COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    props = {}
    for part in (match["props"] or "").split(","):
        key, _, value = part.partition("=")
        props[key] = _unescape(value, prop=True)
    return match["name"], props, _unescape(match["data"], prop=False)


def test_every_format_is_registered_and_importable() -> None:
    assert list(FORMATS) == ["text", "json", "sarif", "github", "junit", "gitlab", "html"]
    for name in FORMATS:
        assert callable(writer(name))


def test_github_annotations_carry_the_findings_own_fix() -> None:
    result = invoke("lint", "--isolated", "--format", "github", str(LEGACY))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    commands = [parse_command(l) for l in lines]
    assert [name for name, _, _ in commands].count("error") == 7
    assert {name for name, _, _ in commands} == {"error", "warning"}
    name, props, data = next(c for c in commands if c[1]["title"] == "WRM102")
    assert name == "error"
    assert props == {"file": "fixtures/bundles/web01-legacy/winrm-config.txt", "line": "29", "title": "WRM102"}
    assert data == "Service `AllowUnencrypted` is `true`; expected `false`\nFix: " + WRM102_FIX


def test_github_escaping_keeps_hostile_text_inside_one_command() -> None:
    hostile = Finding(
        code="WRM301", level=Level.WARNING, host="evil",
        message="100% `*`\r\n::set-env name=PATH::/tmp\n##[group]x",
        path="winrm/config/client/TrustedHosts",
        location=Location("fleet/evil,title=WRM000:x/winrm-config.txt", 7),
        fix="Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value 'a,b'",
    )
    line = github.annotation(Item(hostile))
    assert "\n" not in line and "\r" not in line
    name, props, data = parse_command(line)
    assert name == "warning"
    assert parse_command(github.annotation(Item(replace(hostile, level=Level.NOTE))))[0] == "notice"
    assert props["file"] == "fleet/evil,title=WRM000:x/winrm-config.txt" and props["title"] == "WRM301"
    # control characters were made visible before escaping: the data holds no line break of the
    # dump, and no `##[command]` (the runner acts on it anywhere in a line)
    assert data.splitlines()[0] == "100% `*`\\x0d\\x0a::set-env name=PATH::/tmp\\x0a#\\x23[group]x"
    assert data.splitlines()[1] == "Fix: Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value 'a,b'"
    assert "%3A" in line and "%2C" in line and "%25" in line


def test_junit_is_read_by_a_junit_reader(tmp_path: Path) -> None:
    out = tmp_path / "winrmlint.xml"
    result = invoke("lint", "--isolated", "--format", f"junit={out}", str(LEGACY), str(CLEAN))
    assert result.exit_code == 1 and result.stdout == ""
    xml = junitparser.JUnitXml.fromfile(str(out))
    suites = {s.name: s for s in xml}
    assert set(suites) == {"web01 (fixtures/bundles/web01-legacy)", "srv-app01 (fixtures/bundles/srv-clean-2022)"}
    legacy = suites["web01 (fixtures/bundles/web01-legacy)"]
    cases = {c.name: c for c in legacy}
    failed = cases["WRM102 service-allow-unencrypted"]
    assert [type(r).__name__ for r in failed.result] == ["Failure"]
    assert failed.result[0].message == "Service `AllowUnencrypted` is `true`; expected `false`"
    assert "fix: " + WRM102_FIX in failed.result[0].text
    assert cases["WRM104 compatibility-listener"].is_passed
    assert legacy.tests == len(cases) and legacy.failures == sum(1 for c in cases.values() if c.result and type(c.result[0]).__name__ == "Failure")
    # one test case per host and rule
    clean = suites["srv-app01 (fixtures/bundles/srv-clean-2022)"]
    assert [c.name for c in clean] == [c.name for c in legacy] and clean.failures == 0
    assert xml.tests == legacy.tests + clean.tests


def test_junit_survives_control_characters(tmp_path: Path) -> None:
    hostile = FIXTURES / "hostile"
    out = tmp_path / "hostile.xml"
    invoke("lint", "--isolated", "--format", f"junit={out}", str(hostile))
    xml = junitparser.JUnitXml.fromfile(str(out))
    assert xml.tests > 0


def test_gitlab_code_quality(tmp_path: Path) -> None:
    result = invoke("lint", "--isolated", "--format", "gitlab", str(LEGACY))
    issues = json.loads(result.stdout)
    sarif = json.loads(invoke("lint", "--isolated", "--format", "sarif", str(LEGACY)).stdout)
    fingerprints = [r["partialFingerprints"]["winrmlint/v1"] for r in sarif["runs"][0]["results"]]
    assert sorted(i["fingerprint"] for i in issues) == sorted(fingerprints)
    assert len(set(fingerprints)) == len(fingerprints)
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["lines"]["begin"] >= 1
    wrm102 = next(i for i in issues if i["check_name"] == "WRM102")
    assert wrm102["severity"] == "major" and wrm102["location"]["path"].endswith("web01-legacy/winrm-config.txt")


def test_several_outputs_in_one_run(tmp_path: Path) -> None:
    sarif_file = tmp_path / "results.sarif"
    junit_file = tmp_path / "results.xml"
    result = invoke("lint", "--isolated", "--format", "sarif", "-o", str(sarif_file), "--format", "github",
                    "--format", f"junit={junit_file}", str(LEGACY))
    assert result.exit_code == 1
    doc = json.loads(sarif_file.read_text(encoding="utf-8"))
    assert_valid_sarif(doc)
    assert len(result.stdout.splitlines()) == len(doc["runs"][0]["results"])
    assert all(l.startswith("::") for l in result.stdout.splitlines())
    assert junitparser.JUnitXml.fromfile(str(junit_file)).failures > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "text", "--format", "github"), "more than one format would go to standard output"),
        (("--format", "yaml"), "unknown format 'yaml'; formats: text, json, sarif, github, junit, gitlab"),
        (("--format", "sarif=a.sarif", "-o", "b.sarif"), "already names its file"),
    ],
)
def test_format_usage_errors(args: tuple[str, ...], message: str) -> None:
    result = invoke("lint", "--isolated", *args, str(LEGACY))
    assert result.exit_code == 2 and message in result.stderr


def test_an_unwritable_output_fails_before_anything_is_written(tmp_path: Path) -> None:
    good = tmp_path / "results.sarif"
    result = invoke("lint", "--isolated", "--format", f"sarif={good}", "--format", f"junit={tmp_path / 'missing' / 'r.xml'}", str(LEGACY))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "missing/r.xml" in result.stderr
    assert not good.exists() or good.read_text() == ""


def test_sarif_message_carries_the_fix() -> None:
    doc = json.loads(invoke("lint", "--isolated", "--format", "sarif", str(LEGACY)).stdout)
    wrm102 = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "WRM102")
    assert wrm102["message"]["text"] == "Service `AllowUnencrypted` is `true`; expected `false`\nFix: " + WRM102_FIX
