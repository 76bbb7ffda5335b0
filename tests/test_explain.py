"""`winrmlint explain` as a user runs it: rules, codes, pasted errors, and causes checked on a bundle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, invoke
from winrmlint import explain
from winrmlint.outcomes import BY_ID
from winrmlint.rules import RULES

ERRORS = FIXTURES / "errors"
SCENARIOS = FIXTURES / "scenarios"


def explained(*args: str) -> dict:
    result = invoke("explain", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_rule_documentation_piped_is_its_markdown() -> None:
    result = invoke("explain", "WRM401")
    assert result.exit_code == 0
    assert result.stdout == explain.rule_markdown(RULES[[r.code for r in RULES].index("WRM401")], docs=False)
    assert "spn-on-another-account (`winrmlint explain 0x80090322`)" in result.stdout
    assert result.stdout.startswith("# WRM401 http-spn-owned-by-other-account\n")
    for heading in ("## What it finds", "## Why it matters", "## Example", "## Fix", "## Errors it explains"):
        assert heading in result.stdout
    assert "\x1b[" not in result.stdout  # piped: no terminal styling


def test_rule_by_name() -> None:
    assert invoke("explain", "http-spn-owned-by-other-account").stdout == invoke("explain", "wrm401").stdout


def test_code_hex_and_decimal_agree() -> None:
    by_hex, by_dec = explained("0x80090322"), explained("-2146893022")
    assert [o["id"] for o in by_hex["outcomes"]] == [o["id"] for o in by_dec["outcomes"]] == ["spn-on-another-account"]
    outcome = by_hex["outcomes"][0]
    assert outcome["dec"] == -2146893022
    assert {r for c in outcome["causes"] for r in c["rules"]} == {"WRM401", "WRM402"}
    assert "spn_prefix=WSMAN" in outcome["fix"]


def test_text_output_names_causes_rules_and_fix() -> None:
    out = invoke("explain", "0x80338012").stdout
    assert "The WinRM service is stopped" in out
    assert "detected by: WRM512 winrm-service-stopped" in out
    assert "## Fix\n`Start-Service WinRM`" in out


def test_issue_example_text() -> None:
    result = explained(
        "The WinRM client cannot process the request. If the authentication scheme is different from Kerberos…"
    )
    assert [o["id"] for o in result["outcomes"]] == ["server-not-trusted"]


@pytest.mark.parametrize(
    ("paste", "outcome"),
    [
        ("invoke-command-0x80090322.txt", "spn-on-another-account"),
        ("enter-pssession-server-not-trusted.txt", "server-not-trusted"),
        ("de-prefix-remote-access-disabled.txt", "remote-access-disabled"),
        ("ticket-0x8009030e.txt", "logon-session-missing"),
    ],
)
def test_pasted_errors(paste: str, outcome: str) -> None:
    text = (ERRORS / paste).read_bytes().decode("utf-8")
    assert explained(text)["outcomes"][0]["id"] == outcome


def test_localised_message_is_found_by_its_fqeid() -> None:
    """A German message matches no English text; its FQEID `AccessDenied` names the two outcomes
    PowerShell reports with it, both shown as equally likely."""
    text = (ERRORS / "de-invoke-command-access-denied.txt").read_text(encoding="utf-8")
    found = explained(text)["outcomes"]
    assert {o["id"] for o in found} == {"access-denied", "kerberos-access-denied"}
    assert all(o["reason"] == "FullyQualifiedErrorId AccessDenied,PSSessionStateBroken" for o in found)


def test_bundle_cause_that_holds_has_evidence() -> None:
    result = explained("0x80090322", "--bundle", str(SCENARIOS / "spn-service-account"))
    wrong_account, duplicate = result["outcomes"][0]["causes"]
    assert wrong_account["state"] == "holds"
    [evidence] = wrong_account["evidence"]
    assert evidence["rule"] == "WRM401"
    assert evidence["file"].endswith("web01/setspn.txt") and evidence["line"] == 7
    assert "setspn -D HTTP/web01.corp.contoso.com" in evidence["fix"]
    assert duplicate["state"] == "clear"
    text = invoke("explain", "0x80090322", "--bundle", str(SCENARIOS / "spn-service-account")).stdout
    assert "web01/setspn.txt:7`" in text and "**holds**" in text


def test_bundle_cause_fixed_is_clear() -> None:
    result = explained("0x80090322", "--bundle", str(SCENARIOS / "spn-fixed-removed"))
    assert [c["state"] for c in result["outcomes"][0]["causes"]] == ["clear", "clear"]


def test_bundle_without_the_input_says_not_evaluated() -> None:
    result = explained("0x80338012", "--bundle", str(FIXTURES / "bundles" / "web01-legacy"))
    states = {c["rules"][0]: c for c in result["outcomes"][0]["causes"]}
    assert states["WRM512"]["state"] == "not evaluated"
    assert states["WRM512"]["not_evaluated_on"] == ["web01"]
    assert states["WRM501"]["state"] == "clear"
    text = invoke("explain", "0x80338012", "--bundle", str(FIXTURES / "bundles" / "web01-legacy")).stdout
    assert "WRM512 not evaluated on web01: no input for it; collect `sc.exe qc winrm; sc.exe query winrm`" in text


def test_cause_no_rule_can_decide() -> None:
    result = explained("0x803380E4", "--bundle", str(SCENARIOS / "entra-only-client"))
    causes = result["outcomes"][0]["causes"]
    assert causes[0]["state"] == "holds"
    assert causes[-1]["rules"] == [] and causes[-1]["state"] == "not decidable"


def test_unknown_code_exits_2_with_suggestions() -> None:
    result = invoke("explain", "0x80338099")
    assert result.exit_code == 2
    assert "no documented outcome has code '0x80338099'" in result.stderr
    assert "0x8033809D (security-unmapped)" in result.stderr
    assert result.stdout == ""


def test_unknown_rule_suggests_the_near_one() -> None:
    result = invoke("explain", "WRM4O1")
    assert result.exit_code == 2
    assert "did you mean: WRM401" in result.stderr


def test_unknown_text_exits_2() -> None:
    result = invoke("explain", "the printer is on fire")
    assert result.exit_code == 2
    assert "no published WinRM error text matches" in result.stderr


def test_missing_bundle_is_a_usage_error() -> None:
    result = invoke("explain", "0x80090322", "--bundle", "no/such/bundle")
    assert result.exit_code == 2


def test_hostile_evidence_is_escaped(tmp_path: Path) -> None:
    """A host name with terminal escapes, from a dump, is shown escaped."""
    bundle = tmp_path / "evil"
    (bundle).mkdir()
    (bundle / "winrmlint.json").write_text(json.dumps({"host": "x\x1b]0;pwned\x07y", "join": "workgroup"}))
    (bundle / "winrm-config.txt").write_bytes((SCENARIOS / "entra-only-client" / "client01" / "winrm-config.txt").read_bytes())
    result = invoke("explain", "0x803380E4", "--bundle", str(bundle))
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_every_rule_cited_by_an_outcome_explains_it() -> None:
    for rule in RULES:
        cited = [o for o in BY_ID.values() if rule.code in o.rules]
        page = explain.rule_markdown(rule)
        assert all(f"#{o.id})" in page for o in cited)


def test_rule_with_a_bundle_shows_its_findings_there() -> None:
    result = explained("WRM401", "--bundle", str(SCENARIOS / "spn-service-account"))
    assert result["state"] == "holds" and result["hosts"] == ["WEB01"]
    assert [(e["file"].rsplit("/", 2)[-2:], e["line"]) for e in result["evidence"]] == [(["web01", "setspn.txt"], 7)]
    text = invoke("explain", "WRM512", "--bundle", str(FIXTURES / "bundles")).stdout
    assert "## On srv-app01, web01" in text
    assert "WRM512 not evaluated on web01" in text and "WRM512 found nothing on srv-app01" in text


def test_a_mistyped_option_is_a_usage_error_not_a_query() -> None:
    result = invoke("explain", "--bundel", "x", "0x80090322")
    assert result.exit_code == 2
    assert "no such option: --bundel" in result.stderr


def test_a_paraphrase_gets_the_closest_published_texts() -> None:
    result = invoke("explain", "winrm says the service cannot be reached, is it running")
    assert result.exit_code == 2
    assert "did you mean: 0x80338012 (cannot-connect)" in result.stderr
