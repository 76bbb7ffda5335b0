"""The one Format-Table reader (parsers/table.py), through the tables of the sample dumps: wrapped
headers, right-aligned columns, cut cells, labels in any case, and the facts each parser takes from them."""

from __future__ import annotations

from samples import Samples, notes, sample
from winrmlint.model import paths
from winrmlint.parsers import certificates, detect, firewall, paste, service_state
from winrmlint.parsers.table import find

SERVICES = Samples(service_state)
FIREWALL = Samples(firewall)
CERTIFICATES = Samples(certificates)


def table_at(folder: str, name: str, line: int):  # noqa: ANN201 - a Table or None
    return find(paste.prepare(sample(folder, name)).lines, line - 1)


def test_a_header_wrapped_onto_two_lines_joins_its_labels() -> None:
    table = table_at("service_state", "get_service_wrapped_header_cut_cells.txt", 3)
    assert table is not None
    assert [c.name for c in table.columns] == ["Name", "Status", "StartType", "DependentServices", "ServicesDependedOn"]
    # the enums are right-aligned, the name and the lists are not
    assert [c.right for c in table.columns] == [False, True, True, False, False]
    assert table.rows == 5  # the line after the dashes (0-based)
    assert table.has("dependentservices") and table.has("SERVICESDEPENDEDON")


def test_a_title_line_above_a_table_is_no_header() -> None:
    # `PSParentPath: …` stands over no column's dashes
    assert table_at("certificates", "default_table_cut_subject.txt", 4) is None
    assert table_at("certificates", "default_table_cut_subject.txt", 6) is not None


def test_wrapped_rows_and_right_aligned_cells_of_services() -> None:
    dump = SERVICES.parse("get_service_wrapped_header_cut_cells.txt")
    found = {(r.path, r.location.line): (r.value, r.valid, r.truncated) for r in dump.readings}
    assert found[(paths.SERVICE_STATUS, 6)] == ("Running", True, False)
    assert found[(paths.SERVICE_START_TYPE, 6)] == ("Automatic", True, False)
    assert found[("services/Wecsvc/StartType", 7)] == ("Manual", True, False)
    # `-Wrap` continues a list on the next line, under its own column
    assert found[("services/Wecsvc/ServicesDependedOn", 7)] == ("{HTTP, Eventlog}", True, False)
    assert found[("services/WinRM/ServicesDependedOn", 6)] == ("{RPCSS, HTTP}", True, False)


def test_cut_cells_are_truncated_and_a_cut_name_names_nothing() -> None:
    dump = SERVICES.parse("get_service_wrapped_header_cut_cells.txt")
    # labels typed in lower case (`ft name, status`) are the same columns
    second = {r.path.lower(): r for r in dump.readings if r.location.line == 15}
    assert second[paths.SERVICE_STATUS.lower()].value == "Running"
    assert second[paths.SERVICE_START_TYPE.lower()].value == "Automatic"
    display = second["services/winrm/displayname"]
    assert (display.value, display.truncated) == ("Windows Remote Manage...", True)
    assert not any(r.location.line == 16 for r in dump.readings)
    assert notes(dump) == [(16, "service name `WinHttpAutoPr...` cut by the table: its record skipped")]


def test_firewall_rule_tables_right_aligned_profiles_and_lower_case_labels() -> None:
    source = FIREWALL.load("get_netfirewallrule_tables_autosize.txt")
    assert detect(source) is firewall
    dump = FIREWALL.parse("get_netfirewallrule_tables_autosize.txt")
    found = {(r.path, r.location.line): (r.value, r.truncated) for r in dump.readings}
    # `Domain, Private` fills the right-aligned Profile column, past its label to the left
    assert found[("firewall/WINRM-HTTP-In-TCP-NoScope/Profile", 5)] == ("Domain, Private", False)
    assert found[("firewall/WINRM-HTTP-In-TCP-NoScope/Name", 5)] == ("WINRM-HTTP-In-TCP-NoScope", False)
    assert found[("firewall/WINRM-HTTP-In-TCP/Profile", 6)] == ("Public", False)
    assert found[("firewall/WINRM-HTTP-Compat-In-TCP/Enabled", 7)] == (False, False)
    assert found[("firewall/WINRM-HTTP-Compat-In-TCP/Profile", 7)] == ("Domain, Private, Public", False)
    # `ft name, enabled` prints the labels as typed: the same properties, typed the same
    assert found[("firewall/WINRM-HTTP-In-TCP/Enabled", 15)] == (True, False)
    assert found[("firewall/WINRM-HTTP-In-TCP/DisplayName", 15)] == ("Windows Remote Management (...", True)
    assert notes(dump) == [(14, "firewall rule `WINRM-HTTP-In-TCP-N...` cut by the table: its row skipped")]
    # a listing with a row the table cut is not the whole answer
    assert dump.coverage == {}


def test_the_default_certificate_table_and_its_cut_subject() -> None:
    dump = CERTIFICATES.parse("default_table_cut_subject.txt")
    found = {r.path: (r.value, r.location.line, r.truncated) for r in dump.readings}
    assert found["cert/7A3F9C2E1B8D6A4F0E5C3B2A19F8E7D6C5B4A392/Subject"] == ("CN=srv02.corp.contoso.com", 8, False)
    assert found["cert/0D4E6B1A9C3F5E7D2B8A4C6E0F1D3B5A7C9E2F48/Subject"] == (
        "CN=srv02.corp.contoso.com, OU=Server...", 9, True)
    # a thumbprint pasted in lower case is the same certificate
    assert "cert/C5B4A3927A3F9C2E1B8D6A4F0E5C3B2A19F8E7D6/Subject" in found
    assert {p: at.line for p, at in dump.coverage.items()} == {certificates.PREFIX: 8}


def test_the_pwsh_certificate_table_with_cut_key_usages() -> None:
    dump = CERTIFICATES.parse("pwsh_table_eku.txt")
    found = {r.path: (r.value, r.truncated) for r in dump.readings}
    thumb = "cert/3E1B8D6A4F0E5C3B2A19F8E7D6C5B4A3927A3F9C"
    assert found[f"{thumb}/Subject"] == ("CN=srv03.corp.cont…", True)
    assert found[f"{thumb}/EnhancedKeyUsageList"] == (("Server Authentication", "Client Authent…"), True)
    assert found["cert/9F8E7D6C5B4A3927A3F9C2E1B8D6A4F0E5C3B2A1/EnhancedKeyUsageList"] == (("Server Authentication",), False)
