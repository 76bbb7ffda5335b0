"""`sc query` listings of every service, controls on a line of their own, and a subject named only in
the echoed command (issue 11, "Tables and context as PowerShell prints them")."""

from __future__ import annotations

from pathlib import Path

from samples import Samples, notes
from winrmlint import engine
from winrmlint.model import paths
from winrmlint.parsers import detect, firewall, service_state

SERVICES = Samples(service_state)
FIREWALL = Samples(firewall)
BUNDLE = Path(__file__).resolve().parents[2] / "fixtures" / "context" / "firewall-filter-named-by-command"


def readings(dump, path: str) -> list[tuple[object, int, str]]:  # noqa: ANN001
    return [(r.value, r.location.line, r.raw) for r in dump.readings if r.path == path]


def test_sc_queryex_of_all_services_reads_winrm_among_them() -> None:
    assert detect(SERVICES.load("sc_queryex_all_cmd.txt")) is service_state
    dump = SERVICES.parse("sc_queryex_all_cmd.txt")
    # sc echoes the name as stored (`winrm`): the model's WinRM
    assert readings(dump, paths.SERVICE_STATUS) == [
        ("Running", 43, "4  RUNNING (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)")
    ]
    assert readings(dump, "services/WinRM/PID") == [("1340", 49, "1340")]
    assert readings(dump, "services/WinRM/FLAGS") == [("", 50, "")]
    assert readings(dump, "services/Wecsvc/Status") == [("Stopped", 55, "1  STOPPED")]
    assert readings(dump, "services/VaultSvc/Status")[0][:2] == ("Running", 8)
    # `state= all` names no service: nothing is read as a service called `state=`
    assert not [r for r in dump.readings if "state=" in r.path.lower()]
    assert notes(dump) == [(3, "elision skipped: [snip]")]


def test_controls_on_a_line_a_paste_trimmed_still_belong_to_state() -> None:
    dump = SERVICES.parse("sc_query_trimmed_forum.txt")
    assert readings(dump, paths.SERVICE_STATUS) == [
        ("Stopped", 5, "1  STOPPED (NOT_STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)")
    ]
    assert readings(dump, "services/WinRM/WIN32_EXIT_CODE") == [("1067  (0x42b)", 7, "1067  (0x42b)")]
    assert [line for line, _ in notes(dump)] == [1, 12]  # the author's sentences, not the controls


def test_a_filter_named_in_lower_case_joins_its_rule_in_one_file() -> None:
    dump = FIREWALL.parse("rule_then_filter_named_in_lower_case.txt")
    rule = "firewall/WINRM-HTTP-In-TCP-PUBLIC"
    assert readings(dump, f"{rule}/Profile") == [("Public", 8, "Public")]
    assert readings(dump, f"{rule}/RemoteAddress") == [("LocalSubnet", 16, "LocalSubnet")]
    assert not [r for r in dump.readings if r.path.startswith("firewall/winrm-http-in-tcp-public/")]


def test_a_filter_named_only_by_its_command_counts_end_to_end() -> None:
    """The rule in one file, its address filter in another under a lower-case `-name`: WRM509 sees both."""
    result = engine.lint([str(BUNDLE)], rules=tuple(r for r in engine.RULES if r.code == "WRM509"))
    found = [(f.code, Path(f.location.uri).name, f.location.line) for f in result.findings]
    assert found == [("WRM509", "filter.txt", 4)]
