"""`reg query` output: transcripts with echoed commands, `/s` listings, redirected files, pastes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samples import Samples, assert_parser_contract, by_path, coverage_lines, notes, rows, sample
from winrmlint import parsers
from winrmlint.model import catalog, paths
from winrmlint.model.values import ParseError, Source
from winrmlint.parsers import reg_file, reg_query
from winrmlint.source import SourceText

SAMPLES = Samples(reg_query)
load, parsed = SAMPLES.load, SAMPLES.parse
CFG = catalog.ROOT
POLICY = catalog.POLICY_ROOT
STORE = catalog.STORE_ROOT
LISTENER = catalog.LISTENERS
SHELL_IDS = r"HKLM\SOFTWARE\Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell"


@pytest.mark.parametrize(
    ("name", "score"),
    [
        ("policy_transcript.txt", 90),
        ("wsman_recursive.txt", 90),
        ("winrm_service_redirected.txt", 90),
        ("remote_execution_policy.txt", 90),
        ("qa_paste.txt", 90),
    ],
)
def test_sniff_recognises_keys_with_typed_values(name: str, score: int):
    source = load(name)
    assert reg_query.sniff(source) == score
    assert reg_file.sniff(source) == 0
    assert parsers.detect(source) is reg_query


def test_sniff_takes_an_echo_with_only_an_error_and_ignores_other_text():
    only_error = SourceText.from_text(
        "e.txt",
        "C:\\>reg query HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service /v DisableRunAs\n"
        "ERROR: The system was unable to find the specified registry key or value.\n",
    )
    assert reg_query.sniff(only_error) == 85
    assert reg_query.sniff(load("not_reg_output.txt")) == 0
    assert reg_query.sniff(sample("reg_file", "winrm_policies.reg")) == 0


def test_transcript_covers_the_queried_key_and_records_what_was_absent():
    dump = parsed("policy_transcript.txt")
    gpo = Source.GPO
    assert rows(dump) == {
        f"{POLICY}\\Service\\AllowAutoConfig": (1, 4, gpo, True),
        # `IPv4Filter    REG_SZ    `: empty, so WinRM listens on no IPv4 address
        f"{CFG}/service/IPv4Filter": ("", 5, gpo, True),
        f"{CFG}/service/IPv6Filter": ("*", 6, gpo, True),
        f"{CFG}/service/auth/Basic": (False, 7, gpo, True),
        f"{CFG}/service/AllowUnencrypted": (False, 8, gpo, True),
        f"{POLICY}\\Service\\CBTHardeningLevelStatus": (1, 9, gpo, True),
        f"{CFG}/service/auth/CbtHardeningLevel": ("Relaxed", 10, gpo, True),
        paths.LATFP: (1, 23, Source.LOCAL, True),
    }
    assert by_path(dump)[f"{CFG}/service/auth/Basic"].raw == "0x0"
    assert {r.origin for r in dump.readings} == {"reg-query"}
    assert coverage_lines(dump) == {
        # the key asked without /v and shown in full; its subkey WinRS is only listed
        paths.WINRM_SERVICE_POLICY_KEY: 3,
        # `/v DisableRunAs` answered with ERROR: the value is known to be absent
        paths.DISABLE_RUNAS: 15,
        # the whole Client policy key is absent
        f"{POLICY}\\Client": 18,
    }
    assert dump.notes == []


def test_recursive_store_query_covers_every_key_and_joins_a_console_wrap():
    dump = parsed("wsman_recursive.txt")
    local = Source.LOCAL
    table = rows(dump)
    assert {path: row for path, row in table.items() if path.startswith(CFG)} == {
        f"{CFG}/client/TrustedHosts": ("web01,web02.corp.contoso.com", 13, local, True),
        f"{CFG}/client/auth/Basic": (False, 14, local, True),
        f"{LISTENER}/*+HTTP/Address": ("*", 18, local, True),
        f"{LISTENER}/*+HTTP/Transport": ("HTTP", 18, local, True),
        f"{LISTENER}/*+HTTP/Port": (5985, 19, local, True),
        f"{LISTENER}/*+HTTP/URLPrefix": ("wsman", 20, local, True),
        f"{CFG}/service/AllowRemoteAccess": (True, 33, local, True),
        # wrapped at 120 columns by the console: the rest on line 35 joins with no separator
        f"{CFG}/service/RootSDDL": (
            "O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)(A;;GA;;;S-1-5-21-3623811015-3361044348-30300820-1013)"
            "S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)", 34, local, True,
        ),
        f"{CFG}/service/AllowUnencrypted": (True, 36, local, True),
    }
    plugin = f"{STORE}\\Plugin\\Event Forwarding Plugin"
    assert table[f"{plugin}\\(Default)"] == ("Event Forwarding", 25, local, True)
    assert table[f"{plugin}\\Enabled Levels"] == (("Critical", "Error", "Warning"), 26, local, True)
    assert table[f"{plugin}\\Stamp"] == (0x1D9A3F2C4B5E6F7, 27, local, True)
    assert table[f"{STORE}\\SafeClientList\\WSManSafeClientList"] == ("02" + "00" * 11, 30, local, True)
    coverage = coverage_lines(dump)
    assert coverage[f"{CFG}/client"] == 12
    assert coverage[f"{CFG}/service"] == 32
    assert coverage[f"{LISTENER}/*+HTTP"] == 18
    assert coverage[f"{STORE}\\WinRS"] == 38
    assert coverage[plugin] == 24
    assert dump.notes == []


def test_redirected_utf16_output_without_a_command_covers_nothing():
    source = load("winrm_service_redirected.txt")
    dump = reg_query.parse(source)
    assert source.encoding == "utf-16-le"
    svc, local = paths.WINRM_SERVICE_REG_KEY, Source.LOCAL
    table = rows(dump)
    assert table[paths.SERVICE_START_TYPE] == ("AutomaticDelayed", 4, local, True)
    assert table[f"{svc}\\DelayedAutostart"] == (1, 11, local, True)
    assert table[f"{svc}\\Type"] == (0x20, 3, local, True)
    assert table[f"{svc}\\ImagePath"] == ("%SystemRoot%\\System32\\svchost.exe -k NetworkService -p", 6, local, True)
    assert table[f"{svc}\\DependOnService"] == (("RPCSS", "HTTP"), 8, local, True)
    assert table[f"{svc}\\FailureActions"][0] == (
        "805101000000000000000000030000001400000001000000C0D4010001000000E09304000000000000000000"
    )
    assert table[f"{svc}\\RequiredPrivileges"][0] == (
        "SeChangeNotifyPrivilege", "SeCreateGlobalPrivilege", "SeAuditPrivilege",
    )
    assert len(table) == 12
    # `reg query KEY /v NAME` prints the same shape: without the command, nothing is known whole
    assert dump.coverage == {}
    assert notes(dump) == [
        (2, "no `reg query` command line before this output: which values were asked is unknown, "
            "so absent values are not taken as absent"),
    ]


def test_remote_queries_execution_policy_and_an_unset_default_value():
    dump = parsed("remote_execution_policy.txt")
    gpo = Source.GPO
    assert rows(dump) == {
        r"HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell\EnableScripts": (0, 4, gpo, True),
        # EnableScripts 0 is Restricted whatever ExecutionPolicy says
        f"{paths.EXECUTION_POLICY}/MachinePolicy": ("Restricted", 4, gpo, True),
        r"HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell\ExecutionPolicy": ("Unrestricted", 5, gpo, True),
        # asked inside Invoke-Command: the echo is found within the command line
        f"{paths.EXECUTION_POLICY}/LocalMachine": ("AllSigned", 15, Source.LOCAL, True),
    }
    assert [(h.path, h.value, h.location.line) for h in dump.host_names] == [(paths.HOST_NAME, "SRV07", 3)]
    assert coverage_lines(dump) == {
        r"HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell": 3,
        # `/ve` answered `(value not set)`: the default value is known to be absent
        f"{SHELL_IDS}\\(Default)": 10,
    }
    assert notes(dump) == [(5, "`ExecutionPolicy` is not in force: `EnableScripts` is 0")]


def test_tabbed_qa_paste_with_elision_search_and_cut_end():
    dump = parsed("qa_paste.txt")
    gpo = Source.GPO
    assert rows(dump) == {
        # `0x1   <- this one`: the hand comment after the number is not data
        f"{CFG}/client/auth/Basic": (True, 5, gpo, True),
        f"{CFG}/client/auth/Digest": (True, 7, gpo, True),
        f"{POLICY}\\Client\\TrustedHosts": (1, 9, gpo, True),
        f"{CFG}/client/TrustedHosts": ("*", 10, gpo, True),
        f"{CFG}/service/AllowUnencrypted": (True, 15, gpo, True),
        f"{CFG}/client/spn_prefix": ("HOST", 22, Source.LOCAL, True),
    }
    assert notes(dump) == [(8, "elision: the lines left out are not known")]
    # Client has an elision, Service came from a /f search, the store Client key is cut off
    assert dump.coverage == {}


def test_malformed_lines_are_notes_and_bad_numbers_stay_invalid():
    dump = parsed("malformed.txt")
    gpo = Source.GPO
    assert rows(dump) == {
        # reg query prints numbers in hex: a bare `1` is not what it prints
        f"{CFG}/service/auth/Basic": ("1", 9, gpo, False),
        f"{CFG}/service/auth/CredSSP": ("0xZZ", 10, gpo, False),
        f"{CFG}/service/EnableCompatibilityHttpListener": ("0x100000000", 11, gpo, False),
        f"{POLICY}\\Service\\Blob": ("0A0", 12, gpo, False),
        paths.DISABLE_RUNAS: (1, 14, gpo, True),
    }
    assert notes(dump) == [
        (1, "value `Orphan` before any key: skipped"),
        (3, "reg query failed: ERROR: Invalid syntax."),
        (13, "not `reg query` output: skipped"),
    ]
    # line 17 is reg's German not-found message, word for word as Windows' German resources hold it
    # (strings/reg_query.py): the key asked for on line 16 is absent, a fact
    assert {prefix: location.line for prefix, location in dump.coverage.items()} == {
        r"HKLM\SOFTWARE\Policies\Microsoft\Windows\WinRM\Client": 17
    }


def test_transcript_trimmed_after_its_last_value_does_not_cover_the_key():
    dump = parsed("trimmed_end.txt")
    assert rows(dump) == {f"{CFG}/service/auth/Basic": (False, 4, Source.GPO, True)}
    # reg ends its output with a blank line: without it more values may have followed
    assert dump.coverage == {}


def test_error_without_the_command_is_not_an_absence():
    dump = reg_query.parse(SourceText.from_text(
        "e.txt", "ERROR: The system was unable to find the specified registry key or value.\n",
    ))
    assert dump.coverage == {}
    assert notes(dump) == [(1, "reg query found nothing, but the command is not shown: what is absent is unknown")]


def test_text_that_is_not_reg_query_output_is_a_parse_error_at_its_first_line():
    with pytest.raises(ParseError) as error:
        parsed("not_reg_output.txt")
    assert error.value.line == 1


_LINES = st.sampled_from([
    "", "  ", "C:\\>reg query HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service",
    "C:\\>reg query HKLM\\X /v A /s", "C:\\>reg query /ve", "C:\\>reg query HKLM\\X /v", "PS C:\\> dir",
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service", "\\\\H\\HKEY_USERS\\x",
    "    AllowBasic    REG_DWORD    0x1", "    (Default)    REG_SZ    (value not set)", "    x    REG_BINARY    0",
    "    m    REG_MULTI_SZ    a\\0\\0", "    q    REG_QWORD    0xffffffffffffffffff", "(...)",
    "ERROR: The system was unable to find the specified registry key or value.", "ERROR: Access is denied.",
    "End of search: 0 match(es) found.", "continued text", "    AllowAutoConfig    REG_SZ    1",
    "    Start    REG_DWORD    0x2", "    EnableScripts    REG_DWORD    0x0",
])


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.lists(_LINES | st.text(max_size=20), max_size=30).map("\n".join)))
def test_parse_raises_only_parse_error_and_sniff_never_raises(text: str):
    dump = assert_parser_contract(reg_query, SourceText.from_text("fuzz.txt", text))
    assert dump is None or all(r.origin == "reg-query" for r in dump.readings)


def test_native_command_error_record_is_an_absent_value() -> None:
    """README's collection: `reg query … /v LocalAccountTokenFilterPolicy 2>&1` under Windows PowerShell 5.1
    on a host without the value writes the echoed command, then reg's error wrapped in a NativeCommandError
    record (written by us from the shape PowerShell 5.1 prints)."""
    source = sample("reg_query", "latfp_native_command_error.txt")
    assert parsers.detect(source) is reg_query
    dump = reg_query.parse(source)
    latfp = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\LocalAccountTokenFilterPolicy"
    assert coverage_lines(dump) == {latfp: 2}
    assert dump.readings == []
    assert notes(dump) == [(7, "PowerShell's NativeCommandError record around reg's message passed over")]
