"""`winrmlint connect` end to end: the README's commands on the shipped fleets, in every format."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from tests.conftest import assert_valid_sarif
from winrmlint.cli import app
from winrmlint.connect.rules import CONNECT_RULES

ROOT = Path(__file__).resolve().parent.parent
FLEET = "fixtures/connect/fleet"
SCHEMA = json.loads((ROOT / "schemas" / "connect.schema.json").read_text(encoding="utf-8"))
runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def invoke(*args: str):
    return runner.invoke(app, ["connect", *args], catch_exceptions=False)


def valid_json(text: str) -> dict:
    doc = json.loads(text)
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    return doc


def test_spn_pair_text_by_bundle_paths() -> None:
    result = invoke(f"{FLEET}/WS01", f"{FLEET}/WEB01", "--", "Enter-PSSession", "-ComputerName", "web01.corp.contoso.com")
    # without --fleet the root's setspn -Q is not read: WEB01's own dumps show only HOST/ SPNs
    assert result.exit_code == 0, result.output
    assert "✔ succeeds if  Kerberos · HTTP 5985 · SPN HTTP/web01.corp.contoso.com" in result.output


def test_spn_pair_text_with_fleet() -> None:
    result = invoke("WS01", "WEB01", "--fleet", FLEET, "--", "Enter-PSSession", "-ComputerName", "web01.corp.contoso.com")
    assert result.exit_code == 1
    out = result.output
    assert "✘ fails  Kerberos · HTTP 5985 · SPN HTTP/web01.corp.contoso.com" in out
    assert "error with errorcode 0x80090322 occurred while using Kerberos authentication" in out
    assert "FullyQualifiedErrorId : CreateRemoteRunspaceFailed" in out
    assert "fixtures/connect/fleet/setspn-http.txt:4" in out
    assert "setspn -D HTTP/web01.corp.contoso.com svc-webpool" in out
    assert "-ComputerName web01 (short name) succeeds if" in out


def test_ip_pair_json_shape() -> None:
    result = invoke("WS01", "WEB01", "--fleet", FLEET, "-f", "json", "--", "Invoke-Command", "-ComputerName", "10.0.0.21",
                    "-ScriptBlock", "{", "hostname", "}")
    assert result.exit_code == 1
    attempt = valid_json(result.output)["attempts"][0]
    assert attempt["verdict"] == "fails"
    assert attempt["error"]["code"] == "0x803381BB" and attempt["error"]["dec"] == -2144108101
    assert attempt["error"]["fqeid"] == "CannotUseIPAddress,PSSessionStateBroken"
    assert attempt["blocking"][0]["evidence"] and attempt["cascade"]
    assert attempt["cascade"][-1]["verdict"] in ("succeeds_if", "depends")


def test_ip_pair_with_local_credentials_from_the_issue() -> None:
    result = invoke("JUMP01", "NAS03", "--fleet", FLEET, "-f", "json", "--", "Invoke-Command", "-ComputerName", "10.0.0.23",
                    "-Credential", "NAS03\\backup", "-ScriptBlock", "{", "hostname", "}")
    attempt = valid_json(result.output)["attempts"][0]
    assert (attempt["verdict"], attempt["mechanism"], attempt["error"]["code"]) == ("fails", "Negotiate", "0x80070005")
    assert attempt["attempt"]["credential"]["kind"] == "local"


def test_flag_form() -> None:
    result = invoke("KIOSK07", "NAS03", "--fleet", FLEET, "--name", "short", "--cred", "NAS03\\Administrator", "-f", "json")
    attempt = valid_json(result.output)["attempts"][0]
    assert result.exit_code == 0
    assert (attempt["verdict"], attempt["attempt"]["computer_name"]) == ("succeeds_if", "nas03")
    assert attempt["server_authenticated"] is False and attempt["assumptions"]
    assert attempt["encryption"] == "message (NTLM)" and any("second hop" in n for n in attempt["notes"])


def test_sarif_is_valid_and_github_ready() -> None:
    result = invoke("WS01", "WEB01", "--fleet", FLEET, "-f", "sarif", "--", "Enter-PSSession", "-ComputerName", "web01.corp.contoso.com")
    doc = json.loads(result.output)
    assert_valid_sarif(doc)
    run = doc["runs"][0]
    [res] = run["results"]
    assert res["ruleId"] == "WRM902" and res["level"] == "error"
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "fixtures/connect/fleet/setspn-http.txt"
    assert res["relatedLocations"] and res["codeFlows"][0]["threadFlows"][0]["locations"]
    essential = [t for t in res["codeFlows"][0]["threadFlows"][0]["locations"] if t["importance"] == "essential"]
    assert len(essential) == 1 and "10.2 Kerberos SPN" in essential[0]["location"]["message"]["text"]
    assert all("physicalLocation" in t["location"] for t in res["codeFlows"][0]["threadFlows"][0]["locations"])
    assert res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].startswith("ws01->web01/Enter-PSSession[fqdn,")
    assert len(res["partialFingerprints"]["winrmlint/v1"]) == 32
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [r.code for r in CONNECT_RULES]


def test_sarif_fingerprints_are_stable_and_distinct() -> None:
    first = json.loads(invoke("--matrix", FLEET, "-f", "sarif").output)
    second = json.loads(invoke("--matrix", FLEET, "-f", "sarif").output)
    prints = [r["partialFingerprints"]["winrmlint/v1"] for r in first["runs"][0]["results"]]
    assert prints == [r["partialFingerprints"]["winrmlint/v1"] for r in second["runs"][0]["results"]]
    assert len(set(prints)) == len(prints)
    assert_valid_sarif(first)


def test_include_passes_writes_pass_results() -> None:
    doc = json.loads(invoke("WS01", "WEB01", "--fleet", FLEET, "-f", "sarif", "--include-passes", "--", "etsn", "web01").output)
    assert_valid_sarif(doc)
    [res] = doc["runs"][0]["results"]
    assert (res["kind"], res["ruleId"], res["level"]) == ("pass", "WRM900", "none")


def test_unauthenticated_success_is_a_warning() -> None:
    doc = json.loads(invoke("JUMP01", "WEB01", "--fleet", FLEET, "-f", "sarif", "--", "icm", "-cn", "10.0.0.21", "-Credential",
                            "CORP\\alice", "{", "1", "}").output)
    [res] = doc["runs"][0]["results"]
    assert (res["ruleId"], res["level"]) == ("WRM911", "warning")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json", "sarif"])
def test_matrix_every_format(fmt: str) -> None:
    result = invoke("--matrix", FLEET, "--from", "WS01,JUMP01", "-f", fmt)
    assert result.exit_code == 1
    out = result.output
    if fmt == "json":
        doc = valid_json(out)
        assert {a["client"] for a in doc["attempts"]} == {"ws01", "jump01"}
    elif fmt == "sarif":
        assert_valid_sarif(json.loads(out))
    elif fmt == "markdown":
        assert "### FQDN · implicit credentials · Default" in out and "| ws01 |" in out and "✘ O26 0x80090322" in out
    elif fmt == "html":
        assert out.startswith("<!DOCTYPE html>") and '<td class="fails"' in out
    else:
        assert "scenario: short name · implicit credentials · Default" in out and "✘ O25 NetworkPathNotFound" in out


def test_matrix_to_subset_and_output_file(tmp_path: Path) -> None:
    target = tmp_path / "matrix.md"
    result = invoke("--matrix", FLEET, "--from", "WS01", "--to", "WEB01,NAS03", "-f", "markdown", "-o", str(target))
    text = target.read_text(encoding="utf-8")
    assert result.exit_code == 1 and "| client | NAS03 | web01 |" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("WS01", "WEB01", "--fleet", FLEET, "--", "etsn", "-C", "web01"), "ambiguous"),
        (("WS01", "WEB01", "--fleet", FLEET, "--", "etsn", "web01", "-Credential", "$cred"), "-Credential $cred"),
        (("WS01", "NOPE", "--fleet", FLEET, "--", "etsn", "web01"), "no host 'NOPE'"),
        (("nowhere/WS01", "nowhere/WEB01", "--", "etsn", "web01"), "no such bundle"),
        (("WS01", "WEB01", "--fleet", FLEET, "--name", "fqdn", "--", "etsn", "web01"), "not both"),
        (("WS01", "NAS03", "--fleet", FLEET, "--name", "fqdn"), "no FQDN"),
        (("--matrix", FLEET, "--from", "NOPE"), "--from NOPE"),
        (("WS01", "WEB01", "--fleet", FLEET, "-f", "xml"), "--format xml"),
    ],
)
def test_usage_errors_exit_2_and_name_the_problem(args: tuple[str, ...], message: str) -> None:
    result = runner.invoke(app, ["connect", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_environment_dumps_at_the_fleet_root_are_read_for_every_pair() -> None:
    out = invoke("JUMP01", "WEB01", "--fleet", FLEET, "--", "etsn", "web01.corp.contoso.com").output
    assert "svc-webpool" in out


def test_connect_rules_doc_is_generated_from_the_rule_table(update_goldens: bool) -> None:
    from winrmlint.connect.rules import catalog_markdown

    doc = ROOT / "docs" / "connect-rules.md"
    if update_goldens:
        doc.write_text(catalog_markdown(), encoding="utf-8")
    assert doc.read_text(encoding="utf-8") == catalog_markdown()
    rows = {row for r in CONNECT_RULES for row in r.rows}
    assert len(rows) == sum(len(r.rows) for r in CONNECT_RULES), "an outcome row belongs to one rule"


@pytest.mark.parametrize(
    "command",
    [
        ("WS01", "WEB01", "--fleet", FLEET, "--", "Enter-PSSession", "-ComputerName", "web01.corp.contoso.com"),
        ("WS01", "WEB01", "--fleet", FLEET, "--", "Invoke-Command", "-ComputerName", "10.0.0.21", "-ScriptBlock", "{", "hostname", "}"),
        ("JUMP01", "NAS03", "--fleet", FLEET, "--", "Invoke-Command", "-ComputerName", "10.0.0.23", "-Credential", "NAS03\\backup",
         "-ScriptBlock", "{", "hostname", "}"),
    ],
)
def test_readme_examples_show_what_the_command_prints(command: tuple[str, ...]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    out = invoke(*command).output.splitlines()
    # the headline, the verdict line and the outcome line are quoted verbatim in the README
    assert out[0] in readme and out[1] in readme
    outcome = next(line for line in out if line.strip().startswith("outcome ") or line.strip().startswith("[15.1]"))
    assert outcome in readme


def test_matrix_scenario_file() -> None:
    result = invoke("--matrix", FLEET, "--scenarios", "fixtures/connect/scenarios.toml", "--from", "WS01", "--to", "WEB01", "-f", "json")
    attempts = valid_json(result.output)["attempts"]
    assert [(a["attempt"]["name_form"], a["attempt"]["authentication"], a["port"]) for a in attempts] == [
        ("fqdn", "Default", 5985), ("short", "Negotiate", 5985), ("fqdn", "Default", 5986)]
    assert attempts[1]["attempt"]["credential"]["kind"] == "local"


def test_matrix_scenario_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[attempt]]\nname = "fqdn"\nusername = "x"\n', encoding="utf-8")
    result = runner.invoke(app, ["connect", "--matrix", FLEET, "--scenarios", str(bad)])
    assert result.exit_code == 2 and "unknown keys username" in result.output
