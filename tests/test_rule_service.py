"""WRM512/WRM507/WRM001 through the CLI: what a WSManFault says of the service, and the fixes."""

from __future__ import annotations


from conftest import FIXTURES, lint_json

RULES = FIXTURES / "rules"


def codes(doc: dict) -> list[str]:
    return [f["code"] for h in doc["hosts"] for f in h["findings"]]


def test_local_fault_is_wrm512_at_the_error_number_with_the_listener_related():
    code, doc = lint_json(str(RULES / "WRM512" / "fail" / "local-fault-only"))
    assert code == 1
    [found] = [f for f in doc["hosts"][0]["findings"] if f["code"] == "WRM512"]
    assert found["path"] == "services/WinRM/Unreachable"
    assert found["file"].endswith("winrm-config.txt") and found["line"] == 5
    assert "0x80338012" in found["message"] and "listener `*+HTTP`" in found["message"]
    assert [r["line"] for r in found["related"]] == [4]
    assert "WRM512" not in doc["hosts"][0]["not_evaluated"]


def test_both_commands_failing_is_one_finding_the_service_not_running():
    # the host's own 0x80338012 says one thing: the service is down (WRM512); a "collection failed"
    # WRM001 beside it would repeat that fault (issue 10: a fault-only dump says one thing)
    code, doc = lint_json(str(RULES / "WRM512" / "fail" / "transcript-both-commands-fail"))
    assert code == 1
    assert sorted(codes(doc)) == ["WRM512"]


def test_a_fault_from_another_computer_leaves_wrm512_not_evaluated():
    _, doc = lint_json(str(RULES / "WRM512" / "pass" / "remote-fault"))
    assert "WRM512" not in codes(doc)
    assert "WRM512" in doc["hosts"][0]["not_evaluated"]
    # the collection still failed: no configuration came back
    assert codes(doc) == ["WRM001"]


def test_service_started_later_in_the_transcript_is_quiet():
    _, doc = lint_json(str(RULES / "WRM512" / "pass" / "fault-then-started"))
    assert codes(doc) == []


def test_a_client_by_role_is_not_told_to_start_its_service():
    _, doc = lint_json(str(RULES / "WRM512" / "pass" / "client-fault"))
    assert "WRM512" not in codes(doc)


def test_wrm507_needs_a_start_type_and_wrm512_a_state():
    # `sc qc` (a start type) without `sc query` (a state): WRM507 judged, WRM512 not evaluated
    _, doc = lint_json(str(RULES / "WRM512" / "pass" / "state-not-collected"))
    host = doc["hosts"][0]
    assert "WRM512" in host["not_evaluated"] and "WRM507" not in host["not_evaluated"]


def test_wrm507_bulk_fix_does_not_go_through_winrm():
    _, doc = lint_json(str(RULES / "WRM507" / "fail"), "--select", "WRM507")
    fixes = [f["fix"] for h in doc["hosts"] for f in h["findings"]]
    assert fixes
    for fix in fixes:
        assert "Invoke-CimMethod -ComputerName" not in fix
        assert "sc.exe \\\\Server01 config WinRM start= delayed-auto" in fix
        assert "-Protocol Dcom" in fix


def test_settings_after_a_fault_block_are_linted():
    code, doc = lint_json(str(RULES / "WRM101" / "fail" / "after-fault-block"), "--select", "WRM101")
    assert code == 1
    [found] = doc["hosts"][0]["findings"]
    assert found["code"] == "WRM101" and found["line"] == 11


def test_wrm001_advice_fits_the_cause():
    _, doc = lint_json(str(RULES / "WRM001" / "fail"), "--select", "WRM001")
    fix = {f["file"].rsplit("/", 2)[-2]: f["fix"] for h in doc["hosts"] for f in h["findings"]}
    # no section headers: the whole output of the command, not "collect as plain text"
    assert "`winrm get winrm/config`" in fix["values-without-headers"] and "plain text" not in fix["values-without-headers"]
    assert "`reg export HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM winrm-policy.reg /y`" in fix["reg-values-without-key"]
    assert "[HKEY_…]" in fix["reg-values-without-key"]
    # not text at all: redirect the output as text
    assert "`> file.txt`" in fix["binary-capture"]
    assert "elevated prompt" in fix["fault-only-access-denied"]
    _, doc = lint_json(str(RULES / "WRM001" / "pass" / "fragment-placed-by-its-keys"))
    assert [f["code"] for f in doc["hosts"][0]["findings"]] == []


def test_wrm801_policy_not_applied_even_with_the_same_value():
    code, doc = lint_json(str(RULES / "WRM801" / "fail" / "policy-not-applied-same-value"), "--select", "WRM801")
    assert code == 1
    found = doc["hosts"][0]["findings"]
    assert [f["path"] for f in found] == ["winrm/config/service/auth/Basic", "winrm/config/service/AllowUnencrypted"]
    assert all("is not in force" in f["message"] and "gpupdate /force" in f["fix"] for f in found)
    _, doc = lint_json(str(RULES / "WRM801" / "pass" / "gpo-applied"), "--select", "WRM801")
    assert doc["hosts"][0]["findings"] == [] and "WRM801" not in doc["hosts"][0]["not_evaluated"]


def test_wrm801_is_not_evaluated_on_a_single_input():
    _, doc = lint_json(str(RULES / "WRM101" / "fail" / "after-fault-block"))
    assert "WRM801" in doc["hosts"][0]["not_evaluated"]
