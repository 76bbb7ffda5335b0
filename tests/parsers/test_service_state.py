"""service-state parser: sc qc/query, Get-Service lists and tables, Win32_Service, errors."""

from __future__ import annotations

import pytest

from samples import Samples, notes
from winrmlint.model import paths
from winrmlint.model.values import ParsedDump, ParseError, Source
from winrmlint.parsers import service_state
from winrmlint.source import SourceText

SAMPLES = Samples(service_state)
load, parse = SAMPLES.load, SAMPLES.parse


def found(dump: ParsedDump, path: str) -> list[tuple[object, int, bool, str]]:
    """(value, line, valid, raw) of every reading at `path`, in order."""
    return [(r.value, r.location.line, r.valid, r.raw) for r in dump.readings if r.path == path]


@pytest.mark.parametrize(
    ("name", "score"),
    [
        ("sc_qc_delayed.txt", 95),
        ("sc_qc_disabled_utf16.txt", 95),
        ("sc_not_installed.txt", 95),
        ("sc_query_running_shifted.txt", 90),
        ("sc_query_all_elided.txt", 90),
        ("get_service_tables.txt", 85),
        ("get_service_table_ps7_tab.txt", 85),
        ("get_service_fl_51.txt", 85),
        ("get_service_fl_double_spaced.txt", 85),
        ("win32_service_fl.txt", 85),
        ("get_service_not_found.txt", 80),
        ("get_service_not_found_de.txt", 80),
        ("not_a_service_dump.txt", 0),
    ],
)
def test_sniff(name: str, score: int) -> None:
    assert service_state.sniff(load(name)) == score


def test_sniff_leaves_other_tables_and_lists_alone() -> None:
    adapters = SourceText.from_text(
        "netadapter.txt",
        "Name      InterfaceDescription          ifIndex Status\n"
        "----      --------------------          ------- ------\n"
        "Ethernet  Intel(R) Ethernet Connection       12 Up\n",
    )
    firewall = SourceText.from_text(
        "rule.txt", "Name    : WINRM-HTTP-In-TCP\nEnabled : True\nStatus  : The rule was parsed successfully.\n"
    )
    assert service_state.sniff(adapters) == 0
    assert service_state.sniff(firewall) == 0


def test_sc_qc_delayed_auto_start_with_dependencies() -> None:
    dump = parse("sc_qc_delayed.txt")
    assert found(dump, paths.SERVICE_START_TYPE) == [("AutomaticDelayed", 9, True, "2   AUTO_START  (DELAYED)")]
    # the second dependency sits on its own line under an empty key
    assert found(dump, "services/WinRM/DEPENDENCIES") == [("RPCSS, HTTP", 15, True, "RPCSS, HTTP")]
    assert found(dump, "services/WinRM/LOAD_ORDER_GROUP") == [("", 12, True, "")]
    assert found(dump, "services/WinRM/SERVICE_START_NAME")[0][:2] == ("NT AUTHORITY\\NetworkService", 17)
    assert found(dump, paths.SERVICE_STATUS) == []
    assert {r.source for r in dump.readings} == {Source.LOCAL}
    assert {r.origin for r in dump.readings} == {"service-state"}
    assert dump.coverage == {}
    # the cmd.exe banner is passed over with a note; prompts are not
    assert [line for line, _ in notes(dump)] == [1, 2]


def test_sc_query_shifted_keeps_state_flags_in_raw() -> None:
    dump = parse("sc_query_running_shifted.txt")
    assert found(dump, paths.SERVICE_STATUS) == [
        ("Running", 5, True, "4  RUNNING (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)")
    ]
    assert found(dump, "services/WinRM/WIN32_EXIT_CODE") == [("0  (0x0)", 7, True, "0  (0x0)")]
    assert found(dump, "services/WinRM/WAIT_HINT")[0][:2] == ("0x0", 10)
    assert notes(dump) == [(1, "line not understood, skipped: `Output on the jump host:`")]


def test_sc_double_spaced_qa_paste() -> None:
    dump = parse("sc_qa_double_spaced.txt")
    assert found(dump, paths.SERVICE_START_TYPE) == [("Manual", 11, True, "3   DEMAND_START")]
    assert found(dump, paths.SERVICE_STATUS) == [("Stopped", 39, True, "1  STOPPED")]
    assert found(dump, "services/WinRM/DEPENDENCIES")[0][:2] == ("RPCSS, HTTP", 23)
    assert found(dump, "services/WinRM/WIN32_EXIT_CODE")[0][:2] == ("1077  (0x435)", 41)
    assert notes(dump) == []


def test_sc_utf16_disabled_with_trailing_comment() -> None:
    source = load("sc_qc_disabled_utf16.txt")
    assert source.encoding == "utf-16-le"
    dump = service_state.parse(source)
    assert found(dump, paths.SERVICE_START_TYPE) == [("Disabled", 6, True, "4   DISABLED")]
    assert found(dump, "services/WinRM/DISPLAY_NAME")[0][:2] == ("Windows Remote Management (WS-Management)", 11)


def test_sc_not_installed_is_a_fact_and_other_failures_are_notes() -> None:
    dump = parse("sc_not_installed.txt")
    # the service name comes from the command line (`sc \\CORE-07 query WinRM`)
    assert found(dump, "services/WinRM/Installed") == [
        (False, 2, True, "[SC] EnumQueryServicesStatus:OpenService FAILED 1060:")
    ]
    assert [r.path for r in dump.readings] == ["services/WinRM/Installed"]
    # `Access is denied.` belongs to the error, so only the [SC] line is noted
    assert notes(dump) == [(8, "sc failed: [SC] OpenService FAILED 5:")]


def test_sc_query_all_keeps_other_services_and_notes_elisions() -> None:
    dump = parse("sc_query_all_elided.txt")
    assert found(dump, "services/Appinfo/Status")[0][:3] == ("Running", 5, True)
    assert found(dump, "services/Appinfo/DISPLAY_NAME")[0][:2] == ("Application Information", 3)
    assert found(dump, "services/Wecsvc/Status")[0][:2] == ("Stopped", 16)
    assert found(dump, paths.SERVICE_STATUS) == [
        ("StartPending", 25, True, "2  START_PENDING (NOT_STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)")
    ]
    assert found(dump, "services/WinRM/DISPLAY_NAME")[0][:2] == ("Windows Remote Management (WS-Management)", 23)
    assert notes(dump) == [(11, "elision skipped: [snip]"), (31, "elision skipped: (...)")]


def test_sc_malformed_values_are_kept_invalid() -> None:
    dump = parse("sc_malformed.txt")
    assert found(dump, paths.SERVICE_START_TYPE) == [("9   SOMETIMES", 3, False, "9   SOMETIMES")]
    assert found(dump, paths.SERVICE_STATUS) == [("running", 4, False, "running")]
    # the line cut off mid-value is still read as printed
    assert found(dump, "services/WinRM/ERROR_CONTROL") == [("1   NOR", 6, True, "1   NOR")]
    assert notes(dump) == [(5, "line not understood, skipped: `this line was typed by hand`")]


def test_get_service_format_list_51() -> None:
    source = load("get_service_fl_51.txt")
    assert source.encoding == "utf-8-sig"
    dump = service_state.parse(source)
    assert found(dump, paths.SERVICE_STATUS) == [("Running", 15, True, "Running")]
    assert found(dump, paths.SERVICE_START_TYPE) == [("Automatic", 17, True, "Automatic")]
    assert found(dump, "services/WinRM/ServicesDependedOn") == [("{RPCSS, HTTP}", 13, True, "{RPCSS, HTTP}")]
    assert found(dump, "services/WinRM/Site") == [("", 18, True, "")]
    assert notes(dump) == []


def test_get_service_format_list_ps7_delayed_start() -> None:
    dump = parse("get_service_fl_ps7.txt")
    # StartType says Automatic; DelayedAutoStart and StartupType say it is delayed
    assert found(dump, paths.SERVICE_START_TYPE) == [("AutomaticDelayed", 20, True, "Automatic")]
    assert found(dump, "services/WinRM/StartupType") == [("AutomaticDelayedStart", 9, True, "AutomaticDelayedStart")]
    assert found(dump, paths.SERVICE_STATUS)[0][:2] == ("Running", 22)
    description = found(dump, "services/WinRM/Description")
    assert description[0][1] == 4 and description[0][0].endswith("hardware management.")


def test_get_service_format_list_double_spaced_two_services() -> None:
    dump = parse("get_service_fl_double_spaced.txt")
    assert found(dump, paths.SERVICE_STATUS) == [("Stopped", 5, True, "Stopped")]
    assert found(dump, "services/Wecsvc/Status") == [("Stopped", 25, True, "Stopped")]
    assert found(dump, "services/Wecsvc/ServicesDependedOn")[0][:2] == ("{HTTP, Eventlog}", 29)
    assert found(dump, "services/WinRM/Name")[0][:2] == ("WinRM", 1)


def test_get_service_tables_default_and_selected_columns() -> None:
    dump = parse("get_service_tables.txt")
    assert found(dump, paths.SERVICE_STATUS) == [("Running", 5, True, "Running"), ("Stopped", 13, True, "Stopped")]
    assert found(dump, "services/Wecsvc/Status") == [("Stopped", 6, True, "Stopped")]
    # StartType is right-aligned under its dashes; the trailing comment is not part of Status
    assert found(dump, paths.SERVICE_START_TYPE) == [("Manual", 13, True, "Manual")]
    display = [r for r in dump.readings if r.path == "services/WinRM/DisplayName"]
    assert [(r.value, r.truncated) for r in display] == [("Windows Remote Management (WS-Manag...", True)]
    assert notes(dump) == []


def test_get_service_table_tab_shifted_ps7() -> None:
    dump = parse("get_service_table_ps7_tab.txt")
    assert found(dump, paths.SERVICE_STATUS) == [("Paused", 5, True, "Paused")]
    assert [r.truncated for r in dump.readings if r.path == "services/WinRM/DisplayName"] == [True]


@pytest.mark.parametrize(("name", "line"), [("get_service_not_found.txt", 2), ("get_service_not_found_de.txt", 6)])
def test_get_service_not_found(name: str, line: int) -> None:
    dump = parse(name)
    assert [(r.path, r.value, r.location.line) for r in dump.readings] == [("services/WinRM/Installed", False, line)]


def test_win32_service_state_start_mode_and_health() -> None:
    dump = parse("win32_service_fl.txt")
    assert found(dump, paths.SERVICE_STATUS) == [("Stopped", 18, True, "Stopped")]
    assert found(dump, paths.SERVICE_START_TYPE) == [("AutomaticDelayed", 10, True, "Auto")]
    # Win32_Service.Status is a health, kept apart from the run state
    assert found(dump, "services/WinRM/WmiStatus") == [("OK", 4, True, "OK")]
    cut = [r for r in dump.readings if r.path == "services/WinRM/CimInstanceProperties"]
    assert [(r.location.line, r.truncated) for r in cut] == [(22, True)]


def test_table_rows_with_unknown_status_end_the_table() -> None:
    source = SourceText.from_text(
        "t.txt",
        "Status   Name               DisplayName\n"
        "------   ----               -----------\n"
        "Running  WinRM              Windows Remote Management (WS-Manag...\n"
        "Broken   Wecsvc             Windows Event Collector\n",
    )
    dump = service_state.parse(source)
    assert [r.path for r in dump.readings if r.path.endswith("/Status")] == [paths.SERVICE_STATUS]
    assert notes(dump) == [(4, "line not understood, skipped: `Broken   Wecsvc             Windows Event Collector`")]


def test_fields_without_service_name_use_the_prompt() -> None:
    source = SourceText.from_text(
        "partial.txt", "C:\\>sc qc WinRM\n        START_TYPE         : 3   DEMAND_START\n"
    )
    assert found(service_state.parse(source), paths.SERVICE_START_TYPE) == [("Manual", 2, True, "3   DEMAND_START")]


def test_unrelated_text_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as error:
        parse("not_a_service_dump.txt")
    assert error.value.line == 1
