"""pssession-configuration parser: Format-List and Format-Table output, wrapped Permission values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samples import Samples, assert_parser_contract, coverage_lines, notes, sample
from winrmlint.model import paths
from winrmlint.model.values import ParsedDump, ParseError, Source
from winrmlint.parsers import detect, session_configs
from winrmlint.source import SourceText

SAMPLES = Samples(session_configs)
load, parse = SAMPLES.load, SAMPLES.parse
DEFAULT = ("NT AUTHORITY\\INTERACTIVE AccessAllowed, BUILTIN\\Administrators AccessAllowed, "
           "BUILTIN\\Remote Management Users AccessAllowed")
DISABLED = "NT AUTHORITY\\NETWORK AccessDenied, " + DEFAULT
WORKFLOW = "BUILTIN\\Administrators AccessAllowed, BUILTIN\\Remote Management Users AccessAllowed"


def readings(dump: ParsedDump, prop: str) -> list[tuple[str, object, int]]:
    """(endpoint, value, line) of one property across endpoints, valid whole values only."""
    found = []
    for r in dump.readings:
        root, name, last = r.path.split("/", 2)
        if root == paths.SESSION_CONFIGS and last == prop and r.valid and not r.truncated:
            found.append((name, r.value, r.location.line))
    return found


@pytest.mark.parametrize(
    ("name", "score"),
    [
        ("default_list_utf16.txt", 95),
        ("fl_star_filtered.txt", 95),
        ("table_cut.txt", 95),
        ("table_wrap_pwsh.txt", 95),
    ],
)
def test_sniff(name: str, score: int) -> None:
    source = load(name)
    assert session_configs.sniff(source) == score
    assert detect(source) is session_configs


def test_transcript_of_two_formats_is_read_part_by_part() -> None:
    source = load("disable_transcript_qa.txt")
    assert session_configs.sniff(source) == 95
    reader = detect(source)
    assert reader is not None and reader.FORMAT == "transcript"
    dump = reader.parse(source)
    # the Get-Service part is the service parser's: its status is read too
    assert {r.origin for r in dump.readings} == {session_configs.FORMAT, "service-state"}
    assert ("services/WinRM/Status", "Stopped") in {(r.path, r.value) for r in dump.readings}


def test_sniff_without_command_line() -> None:
    lines = load("fl_star_filtered.txt").lines[3:]
    assert session_configs.sniff(SourceText("fl.txt", lines, "utf-8")) == 90
    lines = load("table_cut.txt").lines[2:]
    assert session_configs.sniff(SourceText("ft.txt", lines, "utf-8")) == 90


def test_default_listing_utf16_with_word_wrapped_permission() -> None:
    source = load("default_list_utf16.txt")
    assert source.encoding == "utf-16-le"
    dump = session_configs.parse(source)
    # PowerShell broke `Remote Management` / `Users` at a space and dropped it: one space back
    assert readings(dump, "Permission") == [
        ("microsoft.powershell", DEFAULT, 7),
        ("microsoft.powershell.workflow", WORKFLOW, 14),
        ("microsoft.powershell32", DEFAULT, 20),
        ("JEA.Helpdesk", "CORP\\Helpdesk Operators AccessAllowed, NT AUTHORITY\\Authenticated Users AccessAllowed, "
                         "BUILTIN\\Administrators AccessAllowed", 27),
        ("PowerShell.7", DEFAULT, 34),
    ]
    assert readings(dump, "PSVersion") == [
        ("microsoft.powershell", "5.1", 4), ("microsoft.powershell.workflow", "5.1", 11),
        ("microsoft.powershell32", "5.1", 17), ("JEA.Helpdesk", "5.1", 24), ("PowerShell.7", "7.4", 31),
    ]
    assert readings(dump, "RunAsUser")[3] == ("JEA.Helpdesk", "CORP\\svc-jea", 26)
    assert readings(dump, "StartupScript")[3] == (
        "JEA.Helpdesk", "C:\\Program Files\\WindowsPowerShell\\JEA\\Helpdesk\\startup.ps1", 25)
    assert readings(dump, "StartupScript")[0] == ("microsoft.powershell", "", 5)
    assert len(dump.readings) == 25
    assert {(r.source, r.origin) for r in dump.readings} == {(Source.LOCAL, "pssession-configuration")}
    # the echoed command lists every endpoint: absent ones do not exist
    assert coverage_lines(dump) == {paths.SESSION_CONFIGS: 1}
    assert notes(dump) == []


def test_format_list_star_of_one_endpoint() -> None:
    dump = parse("fl_star_filtered.txt")
    prefix = f"{paths.SESSION_CONFIGS}/microsoft.powershell/"
    values = {r.path.removeprefix(prefix): (r.value, r.location.line) for r in dump.readings}
    assert len(values) == 30 and all(r.path.startswith(prefix) for r in dump.readings)
    # Enabled is typed; other properties stay strings as printed
    assert values["Enabled"] == (False, 32)
    assert values["MaxShells"] == ("2147483647", 23)
    assert values["RunAsPassword"] == ("", 29)
    # an SDDL longer than the line is split inside the token: joined without a space
    assert values["SecurityDescriptorSddl"] == (
        "O:NSG:BAD:P(D;;GA;;;NU)(A;;GA;;;BA)(A;;GA;;;IU)(A;;GA;;;RM)"
        "(A;;GXGR;;;S-1-5-21-1004336348-1177238915-682003330-1106)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)", 19)
    # a Permission over three lines, each break at a space; NETWORK denied first: remoting off
    assert values["Permission"] == (DISABLED + ", CORP\\WinRM Operators AccessAllowed", 34)
    # `-Name microsoft.powershell` shows one endpoint: no claim about the others
    assert dump.coverage == {}
    assert notes(dump) == []


def test_format_table_cut_values() -> None:
    dump = parse("table_cut.txt")
    cut = [(r.path, r.value, r.location.line) for r in dump.readings if r.truncated]
    # a cell the table cut is kept as printed, marked, and not valid
    assert cut == [
        ("sessionconfig/microsoft.powershell/Permission", "NT AUTHORITY\\INTERACTIVE AccessAllowed, BUI...", 5),
        ("sessionconfig/microsoft.powershell.workflow/Permission",
         "BUILTIN\\Administrators AccessAllowed, BUILT...", 6),
        ("sessionconfig/microsoft.powershell32/Permission", "NT AUTHORITY\\INTERACTIVE AccessAllowed, BUI...", 7),
    ]
    assert all(not r.valid for r in dump.readings if r.truncated)
    assert readings(dump, "Permission") == [("Maintenance", "Everyone AccessAllowed", 8)]
    assert readings(dump, "RunAsUser") == [
        ("microsoft.powershell", "", 5), ("microsoft.powershell.workflow", "", 6),
        ("microsoft.powershell32", "", 7), ("Maintenance", "CORP\\svc-maint", 8),
    ]
    assert readings(dump, "StartupScript")[3] == ("Maintenance", "C:\\ops\\maint.ps1", 8)
    # cut values, whole names: the set of endpoints is still complete
    assert coverage_lines(dump) == {paths.SESSION_CONFIGS: 1}
    assert notes(dump) == []


def test_format_table_wrap_in_pwsh_remote_command() -> None:
    dump = parse("table_wrap_pwsh.txt")
    assert readings(dump, "Name") == [
        ("microsoft.powershell", "microsoft.powershell", 5),
        # the name filled its column and went on in the next row
        ("microsoft.powershell.workflow", "microsoft.powershell.workflow", 8),
        ("microsoft.powershell32", "microsoft.powershell32", 10),
    ]
    assert readings(dump, "Enabled") == [
        ("microsoft.powershell", True, 5), ("microsoft.powershell.workflow", True, 8),
        ("microsoft.powershell32", False, 10),
    ]
    assert readings(dump, "Permission") == [
        ("microsoft.powershell", DEFAULT, 5), ("microsoft.powershell.workflow", WORKFLOW, 8),
        ("microsoft.powershell32", DEFAULT, 10),
    ]
    # run inside Invoke-Command: not judged a plain listing of this host
    assert dump.coverage == {}
    assert notes(dump) == []


def test_double_spaced_transcript_with_warning_error_and_other_commands() -> None:
    dump = parse("disable_transcript_qa.txt")
    # the editor cut `BUILTIN\A` / `dministrators` at column 0: glued back, no space
    assert readings(dump, "Permission") == [
        ("microsoft.powershell", DISABLED, 23), ("microsoft.powershell32", DISABLED, 36),
    ]
    assert readings(dump, "Name") == [("microsoft.powershell", "microsoft.powershell", 15),
                                      ("microsoft.powershell32", "microsoft.powershell32", 28)]
    # WARNING text, the error record and `Get-Service` output are not endpoints
    assert {r.path.split("/")[1] for r in dump.readings} == {"microsoft.powershell", "microsoft.powershell32"}
    assert len(dump.readings) == 10
    assert notes(dump) == [
        (39, "elision `(...)` skipped: the listing is not complete"),
        (44, "error skipped: `Get-PSSessionConfiguration : No session configuration matches criteria "
             "\"Contoso.Admin\".`"),
    ]
    # the elision means endpoints may be missing
    assert dump.coverage == {}


def test_listing_cut_off_mid_record_is_not_complete() -> None:
    lines = load("default_list_utf16.txt").lines
    dump = session_configs.parse(SourceText("cut.txt", lines[:26], "utf-8"))
    assert [name for name, _, _ in readings(dump, "Name")][-1] == "JEA.Helpdesk"
    assert dump.coverage == {}


def test_record_without_name_is_noted() -> None:
    lines = load("default_list_utf16.txt").lines
    dump = session_configs.parse(SourceText("noname.txt", lines[:2] + lines[3:], "utf-8"))
    assert notes(dump)[0] == (3, "session configuration with no Name: its properties are skipped")
    assert readings(dump, "Name")[0] == ("microsoft.powershell.workflow", "microsoft.powershell.workflow", 9)
    assert dump.coverage == {}


@pytest.mark.parametrize(
    ("folder", "name", "line"),
    [("setspn", "duplicates_forest.txt", 1), ("dsregcmd", "hybrid_marked.txt", 1)],
)
def test_other_formats_are_refused_with_a_line(folder: str, name: str, line: int) -> None:
    with pytest.raises(ParseError) as err:
        session_configs.parse(sample(folder, name))
    assert err.value.line == line


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.text(max_size=60),
    st.sampled_from([
        "PS C:\\> Get-PSSessionConfiguration", "Name          : a", "Permission    : A AccessAllowed, B",
        "                Users AccessAllowed", "Enabled : maybe", "Name  Enabled Permission",
        "----  ------- ----------",
        "x     True    a...", "WARNING: x", "(...)", "Get-PSSessionConfiguration : Access is denied", ""]),
), max_size=30))
def test_arbitrary_text_raises_only_parse_error(lines: list[str]) -> None:
    assert_parser_contract(session_configs, SourceText.from_text("fuzz.txt", "\n".join(lines)))
