"""Excerpts of real published dumps (fixtures/published/, sources in its sources.md), each linted
alone with default options: the findings docs/measurements/usefulness.md judged, pinned per file.

A change that adds a finding here, or loses one, changes the measurement: re-judge it there.
"""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from winrmlint import engine

PUBLISHED = FIXTURES / "published"
# file → the (code, level, line) of each default-profile finding; files not listed give none
EXPECTED: dict[str, list[tuple[str, str, int]]] = {
    "01-config-ansible-lab-fr.txt": [("WRM102", "error", 30), ("WRM202", "error", 32), ("WRM702", "warning", 53)],
    "06-config-blog-gpo-spaced-thumbprint.txt": [
        ("WRM204", "warning", 18), ("WRM204", "warning", 36), ("WRM301", "warning", 22),
        ("WRM503", "note", 42), ("WRM504", "error", 45),
    ],
    "07-config-trustedhosts-star.txt": [("WRM301", "warning", 21)],
    "08-config-go-parser-test.txt": [("WRM202", "error", 30)],
    "09-service-winrs-ansible-docs.txt": [("WRM202", "error", 13), ("WRM204", "warning", 17)],
    "10-service-after-set-pywinrm-zh.txt": [("WRM102", "error", 9), ("WRM202", "error", 11)],
    "14-fault-80338012-vagrant.txt": [("WRM512", "error", 4)],
    "15-service-winrs-listener-after-configureremoting.txt": [("WRM102", "error", 9), ("WRM202", "error", 11)],
    "16-client-no-equals-signs.txt": [("WRM304", "note", 16)],
    "17-fault-access-denied.txt": [("WRM001", "error", 8)],
    "18-fault-80338012-client.txt": [("WRM512", "error", 5)],
    "19-service-no-equals-signs.txt": [("WRM102", "error", 9)],
    "20-client-gpo-exchange-qa.txt": [("WRM201", "warning", 7)],
    "23-client-auth-credssp-gpo.txt": [("WRM204", "warning", 8)],
    "26-listener-ec2-redacted-thumbprint.txt": [("WRM504", "error", 19)],
    "31-setspn-iis-service-account.txt": [("WRM401", "note", 3)],
    "32-setspn-realm-form.txt": [("WRM401", "note", 4)],
    "34-setspn-iis-kerberos-lab.txt": [("WRM401", "note", 3)],
    "46-firewall-netsh-chaps-enabled.txt": [("WRM509", "note", 9)],
    "48-reg-latfp.txt": [("WRM601", "warning", 4)],
    "49-trustedhosts-wsman-drive.txt": [("WRM304", "note", 8)],
    "54-sessionconfig-after-windows-disable.txt": [("WRM605", "warning", 7)],
    "58-reg-policy-filters-empty.reg": [("WRM503", "error", 8)],
}
FILES = sorted(p.name for p in PUBLISHED.iterdir() if p.suffix in (".txt", ".reg"))


def findings(name: str) -> list[tuple[str, str, int]]:
    result = engine.lint([str(PUBLISHED / name)], rules=engine.select_rules(profile="default"))
    return sorted((f.code, f.level.value, f.location.line or 0) for f in result.findings)


def test_the_measured_corpus_is_all_here() -> None:
    assert len(FILES) >= 60
    assert set(EXPECTED) <= set(FILES)
    assert "sources.md" in {p.name for p in PUBLISHED.iterdir()}


@pytest.mark.parametrize("name", FILES)
def test_published_dump_gives_the_judged_findings(name: str) -> None:
    assert findings(name) == sorted(EXPECTED.get(name, []))


def test_a_fault_only_dump_says_one_thing() -> None:
    """0x80338012 from the host's own `winrm`: the service is down (WRM512), not also "collection failed"."""
    result = engine.lint([str(PUBLISHED / "14-fault-80338012-vagrant.txt")], rules=engine.select_rules())
    assert [f.code for f in result.findings] == ["WRM512"]
    denied = engine.lint([str(PUBLISHED / "17-fault-access-denied.txt")], rules=engine.select_rules())
    assert [f.code for f in denied.findings] == ["WRM001"]
    assert "elevated" in denied.findings[0].fix


def test_a_spaced_thumbprint_is_found_without_a_listener_enumeration() -> None:
    result = engine.lint([str(PUBLISHED / "06-config-blog-gpo-spaced-thumbprint.txt")], rules=engine.select_rules())
    (wrm504,) = [f for f in result.findings if f.code == "WRM504"]
    assert "contains spaces" in wrm504.message


def test_wrm504_is_not_evaluated_on_a_config_without_listeners_or_thumbprint() -> None:
    result = engine.lint([str(PUBLISHED / "01-config-ansible-lab-fr.txt")], rules=engine.select_rules())
    assert "WRM504" in result.hosts[0].not_evaluated
    spaced = engine.lint([str(PUBLISHED / "06-config-blog-gpo-spaced-thumbprint.txt")], rules=engine.select_rules())
    assert "WRM504" not in spaced.hosts[0].not_evaluated


def test_a_firewall_table_of_names_only_is_read_but_not_judged() -> None:
    """`ft DisplayName, Name`: the rules are there, their addresses are not (near miss: the netsh listing 46)."""
    result = engine.lint([str(PUBLISHED / "52-firewall-table-names-only.txt")], rules=engine.select_rules())
    host = result.hosts[0]
    assert {"WRM509", "WRM510"} <= set(host.not_evaluated)
    notes = [note.message for file in host.host.files for note in file.notes]
    assert any("names only" in message for message in notes)
    shown = engine.lint([str(PUBLISHED / "46-firewall-netsh-chaps-enabled.txt")], rules=engine.select_rules())
    assert "WRM510" not in shown.hosts[0].not_evaluated


def test_a_pwsh_session_configuration_listing_is_not_a_missing_default() -> None:
    # pwsh lists only PowerShell 6+ endpoints, and custom ones registered there (`Test`)
    for name in ("44-sessionconfig-pwsh7.txt", "55-sessionconfig-pwsh-table-custom.txt"):
        result = engine.lint([str(PUBLISHED / name)], rules=engine.select_rules())
        assert result.findings == []
        assert "WRM605" not in result.hosts[0].not_evaluated
    # Windows PowerShell lists them all: its own endpoint denying the network is still reported
    disabled = engine.lint([str(PUBLISHED / "54-sessionconfig-after-windows-disable.txt")], rules=engine.select_rules())
    assert [f.code for f in disabled.findings] == ["WRM605"]


def test_a_principal_with_a_realm_is_no_spn_of_a_host() -> None:
    result = engine.lint([str(PUBLISHED / "32-setspn-realm-form.txt")], rules=engine.select_rules())
    assert ["`HTTP/marklogic_hostname`" in f.message for f in result.findings] == [True]


# near-misses of the corrections above, written in the published shapes


def lint_text(tmp_path, name: str, text: str) -> engine.RunResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return engine.lint([str(path)], rules=engine.select_rules())


def test_a_windows_powershell_listing_without_the_default_still_fires(tmp_path) -> None:
    listing = (PUBLISHED / "44-sessionconfig-pwsh7.txt").read_text(encoding="utf-8") + (
        "\nName          : microsoft.powershell32\nPSVersion     : 5.1\nStartupScript :\nRunAsUser     :\n"
        "Permission    : NT AUTHORITY\\INTERACTIVE AccessAllowed, BUILTIN\\Administrators AccessAllowed\n")
    result = lint_text(tmp_path, "configs.txt", listing)
    assert "WRM605" in [f.code for f in result.findings]


def test_a_misaligned_policy_header_still_reads_a_real_finding(tmp_path) -> None:
    text = (PUBLISHED / "42-execpol-header-misaligned.txt").read_text(encoding="utf-8")
    result = lint_text(tmp_path, "policy.txt", text.replace("LocalMachine          Bypass", "LocalMachine       AllSigned")
                       .replace("Process          Bypass", "Process       Undefined"))
    assert [f.code for f in result.findings] == ["WRM607"]


def test_names_without_their_equals_sign_are_read_and_noted(tmp_path) -> None:
    result = lint_text(tmp_path, "client.txt", "winrm get winrm/config/client\nClient\n    AllowUnencrypted true\n"
                       "    Auth\n        Basic true\n")
    assert [f.code for f in result.findings] == ["WRM101", "WRM201"]
    notes = [n.message for f in result.hosts[0].host.files for n in f.notes]
    assert any("` = ` missing" in n for n in notes)
