"""Registry exports (`.reg`): regedit's UTF-16LE `Version 5.00` files, `REGEDIT4`, hand-made pastes."""

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

SAMPLES = Samples(reg_file)
load, parsed = SAMPLES.load, SAMPLES.parse
CFG = catalog.ROOT
POLICY = catalog.POLICY_ROOT
STORE = catalog.STORE_ROOT
LISTENER = catalog.LISTENERS


@pytest.mark.parametrize(
    ("name", "score"),
    [
        ("winrm_policies.reg", 100),
        ("wsman_store.reg", 100),
        ("lab_regedit4.reg", 100),
        ("qa_paste.reg", 100),
        ("harden_client.cmd", 90),
    ],
)
def test_sniff_recognises_exports_by_their_header(name: str, score: int):
    source = load(name)
    assert reg_file.sniff(source) == score
    assert parsers.detect(source) is reg_file


def test_sniff_leaves_reg_query_output_and_plain_text_alone():
    assert reg_file.sniff(sample("reg_query", "policy_transcript.txt")) == 0
    assert reg_file.sniff(SourceText.from_text("t.txt", "Client\n    TrustedHosts\n")) == 0


def test_sniff_takes_a_headerless_fragment_with_keys_and_values_as_likely():
    fragment = SourceText.from_text("f.txt", f'[{POLICY}\\Service]\n"AllowBasic"=dword:00000000\n')
    assert reg_file.sniff(fragment) == 60


def test_policy_export_in_utf16_maps_every_value_with_gpo_source():
    source = load("winrm_policies.reg")
    dump = reg_file.parse(source)
    assert source.encoding == "utf-16-le"
    gpo = Source.GPO
    assert rows(dump) == {
        f"{CFG}/client/auth/Basic": (False, 6, gpo, True),
        f"{CFG}/client/AllowUnencrypted": (False, 7, gpo, True),
        # Disallow Digest enabled writes AllowDigest=0: the value maps as written (reference §2.2)
        f"{CFG}/client/auth/Digest": (False, 8, gpo, True),
        f"{POLICY}\\Client\\TrustedHosts": (1, 9, gpo, True),
        f"{CFG}/client/TrustedHosts": ("*.corp.contoso.com,10.0.0.5", 10, gpo, True),
        f"{POLICY}\\Service\\AllowAutoConfig": (1, 13, gpo, True),
        f"{CFG}/service/IPv4Filter": ("", 14, gpo, True),
        f"{CFG}/service/IPv6Filter": ("*", 15, gpo, True),
        f"{CFG}/service/auth/Basic": (False, 16, gpo, True),
        f"{CFG}/service/AllowUnencrypted": (False, 17, gpo, True),
        paths.DISABLE_RUNAS: (1, 18, gpo, True),
        f"{POLICY}\\Service\\CBTHardeningLevelStatus": (1, 19, gpo, True),
        f"{CFG}/service/auth/CbtHardeningLevel": ("Strict", 20, gpo, True),
        f"{CFG}/service/auth/Kerberos": (True, 21, gpo, True),
        f"{CFG}/service/EnableCompatibilityHttpListener": (False, 22, gpo, True),
        f"{CFG}/winrs/AllowRemoteShellAccess": (False, 25, gpo, True),
        f"{CFG}/winrs/MaxMemoryPerShellMB": (1024, 26, gpo, True),
    }
    readings = by_path(dump)
    assert readings[f"{CFG}/client/TrustedHosts"].raw == '"*.corp.contoso.com,10.0.0.5"'
    assert readings[f"{CFG}/service/IPv4Filter"].raw == '""'
    assert {r.origin for r in dump.readings} == {"registry-export"}
    assert coverage_lines(dump) == {
        POLICY: 3,
        f"{POLICY}\\Client": 5,
        paths.WINRM_SERVICE_POLICY_KEY: 12,
        f"{POLICY}\\Service\\WinRS": 24,
    }
    assert dump.notes == []


def test_store_export_maps_client_service_and_listeners_and_covers_them():
    dump = parsed("wsman_store.reg")
    local = Source.LOCAL
    table = rows(dump)
    assert {path: row for path, row in table.items() if path.startswith(CFG)} == {
        f"{CFG}/client/TrustedHosts": ("web01,web02.corp.contoso.com", 13, local, True),
        f"{CFG}/client/spn_prefix": ("WSMAN", 14, local, True),
        f"{CFG}/client/auth/Basic": (False, 15, local, True),
        f"{LISTENER}/*+HTTP/Address": ("*", 19, local, True),
        f"{LISTENER}/*+HTTP/Transport": ("HTTP", 19, local, True),
        f"{LISTENER}/*+HTTP/Port": (5985, 20, local, True),
        f"{LISTENER}/*+HTTP/URLPrefix": ("wsman", 21, local, True),
        f"{LISTENER}/*+HTTPS/Address": ("*", 23, local, True),
        f"{LISTENER}/*+HTTPS/Transport": ("HTTPS", 23, local, True),
        f"{LISTENER}/*+HTTPS/Port": (5994, 24, local, True),
        f"{LISTENER}/*+HTTPS/URLPrefix": ("wsman", 25, local, True),
        f"{LISTENER}/*+HTTPS/Hostname": ("srv01.corp.contoso.com", 26, local, True),
        f"{LISTENER}/*+HTTPS/CertificateThumbprint": ("3f2a4b9c0d1e2f30415263748596a7b8c9d0e1f2", 27, local, True),
        f"{LISTENER}/*+HTTPS/Enabled": (True, 28, local, True),
        f"{CFG}/service/AllowRemoteAccess": (True, 40, local, True),
        f"{CFG}/service/auth/CredSSP": (True, 41, local, True),
        f"{CFG}/service/RootSDDL": (
            "O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)(A;;GA;;;S-1-5-21-3623811015-3361044348-30300820-1013)"
            "S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)", 42, local, True,
        ),
    }
    assert table[f"{STORE}\\StackVersion"] == ("2.0", 4, local, True)
    assert table[f"{STORE}\\SafeClientList\\WSManSafeClientList"][0] == "02" + "00" * 40
    config_xml = by_path(dump)[f"{STORE}\\Plugin\\Microsoft.PowerShell\\ConfigXML"]
    # `\"` and `\\` escapes are undone: this is the XML WinRM stores
    assert config_xml.value.startswith(  # type: ignore[union-attr]
        '<PlugInConfiguration xmlns="http://schemas.microsoft.com/wbem/wsman/1/config/PluginConfiguration" '
        'Name="microsoft.powershell" Filename="%windir%\\system32\\pwrshplugin.dll"'
    )
    coverage = coverage_lines(dump)
    assert coverage[f"{CFG}/client"] == 12
    assert coverage[f"{CFG}/service"] == 39
    assert coverage[f"{LISTENER}/*+HTTP"] == 19
    assert coverage[f"{LISTENER}/*+HTTPS"] == 23
    assert coverage[f"{STORE}\\WinRS"] == 44


def test_hex_types_address_bar_root_service_start_and_execution_policy():
    dump = parsed("credssp_http_service.reg")
    http = r"HKLM\SYSTEM\CurrentControlSet\Services\HTTP\Parameters"
    svc = paths.WINRM_SERVICE_REG_KEY
    local, gpo = Source.LOCAL, Source.GPO
    assert rows(dump) == {
        r"HKLM\SOFTWARE\Policies\Microsoft\Windows\CredentialsDelegation\AllowFreshCredentials": (1, 4, gpo, True),
        r"HKLM\SOFTWARE\Policies\Microsoft\Windows\CredentialsDelegation\ConcatenateDefaults_AllowFresh":
            (1, 5, gpo, True),
        r"HKLM\SOFTWARE\Policies\Microsoft\Windows\CredentialsDelegation\AllowFreshCredentials\1":
            ("WSMAN/*.corp.contoso.com", 8, gpo, True),
        # hex(7) continued over three lines, UTF-16LE, ending in two NULs
        f"{http}\\ListenOnlyList": (("10.0.0.20", "fe80::1c2d:3e4f:5a6b:7c8d%12"), 11, local, True),
        f"{http}\\MaxFieldLength": (65534, 15, local, True),
        f"{http}\\Tag": ("", 16, local, True),
        f"{http}\\Blob": ("0100FF10", 17, local, True),
        f"{svc}\\ImagePath": ("%SystemRoot%\\System32\\svchost.exe -k NetworkService -p", 20, local, True),
        paths.SERVICE_START_TYPE: ("AutomaticDelayed", 25, local, True),
        f"{svc}\\DelayedAutostart": (1, 26, local, True),
        f"{svc}\\ObjectName": ("NT AUTHORITY\\NetworkService", 27, local, True),
        f"{svc}\\DependOnService": (("RPCSS", "HTTP"), 28, local, True),
        r"HKLM\SOFTWARE\Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell\Path":
            ("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", 32, local, True),
        f"{paths.EXECUTION_POLICY}/LocalMachine": ("RemoteSigned", 33, local, True),
        r"HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell\EnableScripts": (1, 36, gpo, True),
        f"{paths.EXECUTION_POLICY}/MachinePolicy": ("AllSigned", 37, gpo, True),
    }
    assert by_path(dump)[paths.SERVICE_START_TYPE].raw == "dword:00000002"
    assert coverage_lines(dump)[http] == 10
    assert dump.notes == []


def test_regedit4_hand_edits_comments_deletions_and_short_roots():
    source = load("lab_regedit4.reg")
    dump = reg_file.parse(source)
    assert source.encoding == "cp1252"
    svc, service_policy = paths.WINRM_SERVICE_REG_KEY, paths.WINRM_SERVICE_POLICY_KEY
    local, gpo = Source.LOCAL, Source.GPO
    assert rows(dump) == {
        # `HKLM\Software\…` written by hand: hive and case normalised to the known spelling
        paths.LATFP: (1, 5, local, True),
        f"{CFG}/service/auth/Basic": (False, 8, gpo, True),
        # the commented-out value on line 9 is not set; line 10 (lower case name) is
        f"{CFG}/service/AllowUnencrypted": (False, 10, gpo, True),
        # the key line 12 is commented out: regedit puts AllowDigest under the Service key
        f"{service_policy}\\AllowDigest": (0, 13, gpo, True),
        # REGEDIT4 writes hex(2) and hex(7) in the ANSI code page, single-byte NULs
        f"{svc}\\ImagePath": ("%SystemRoot%\\System32\\svchost.exe -k NetworkService", 18, local, True),
        paths.SERVICE_START_TYPE: ("Manual", 21, local, True),
        f"{svc}\\DependOnService": (("RPCSS", "HTTP"), 22, local, True),
        f"{svc}\\(Default)": ("Windows Remote Management (WS-Management)", 23, local, True),
        f"{svc}\\Description": ("Dienst für Windows-Remoteverwaltung", 24, local, True),
    }
    assert by_path(dump)[f"{CFG}/service/AllowUnencrypted"].raw == "dword:00000000"
    assert notes(dump) == [
        (11, "deletes the value `DisableRunAs`: a change to make, not a value"),
        (13, "the key `HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client` is commented "
             "out on line 12: `AllowDigest` and the values after it belong to "
             f"`{service_policy}`, as regedit reads them"),
        (15, f"deletes the key `{service_policy}\\WinRS`: a change to make, not a value"),
    ]
    assert coverage_lines(dump) == {paths.LATFP.rsplit("\\", 1)[0]: 4, service_policy: 7, svc: 17}


def test_batch_script_lines_are_notes_and_the_export_after_them_is_read():
    dump = parsed("harden_client.cmd")
    gpo = Source.GPO
    assert rows(dump) == {
        f"{CFG}/client/auth/Basic": (False, 10, gpo, True),
        # TrustedHosts written as REG_SZ "1" by scripts counts as enabled (reference §2.2 pitfall c)
        f"{POLICY}\\Client\\TrustedHosts": ("1", 11, gpo, True),
        f"{CFG}/client/TrustedHosts": ("*", 12, gpo, True),
    }
    assert [line for line, message in notes(dump)] == [1, 2, 3, 4, 5]
    assert all("batch or shell command" in message for _, message in notes(dump))
    assert coverage_lines(dump) == {f"{POLICY}\\Client": 9}


def test_shifted_qa_paste_with_comments_elision_and_no_final_newline():
    dump = parsed("qa_paste.reg")
    gpo = Source.GPO
    assert rows(dump) == {
        f"{CFG}/service/auth/Basic": (True, 5, gpo, True),
        f"{CFG}/service/AllowUnencrypted": (True, 7, gpo, True),
        f"{CFG}/client/auth/Basic": (True, 13, gpo, True),
        f"{CFG}/client/auth/CredSSP": (True, 14, gpo, True),
    }
    assert by_path(dump)[f"{CFG}/service/auth/Basic"].raw == "dword:00000001"
    assert notes(dump) == [(9, "elision: the lines left out are not known")]
    # Service has an elision; Client is cut off (no blank line, no final newline): neither is whole
    assert dump.coverage == {}


def test_disabled_policies_leave_their_options_out_of_force():
    dump = parsed("policies_disabled.reg")
    gpo = Source.GPO
    assert rows(dump) == {
        # a disabled Trusted Hosts policy rules nothing: the local list applies (Policy CSP)
        f"{POLICY}\\Client\\TrustedHosts": (0, 4, gpo, True),
        f"{POLICY}\\Client\\TrustedHostsList": ("*", 5, gpo, True),
        f"{POLICY}\\Service\\AllowAutoConfig": (0, 8, gpo, True),
        f"{POLICY}\\Service\\IPv4Filter": ("*", 9, gpo, True),
        f"{POLICY}\\Service\\IPv6Filter": ("", 10, gpo, True),
        f"{POLICY}\\Service\\CBTHardeningLevelStatus": (0, 11, gpo, True),
        f"{POLICY}\\Service\\CbtHardeningLevel": ("None", 12, gpo, True),
        r"HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell\ExecutionPolicy": ("Bypass", 15, gpo, True),
    }
    assert [line for line, _ in notes(dump)] == [5, 9, 10, 12, 15]
    assert notes(dump)[0][1] == (
        "`TrustedHostsList` is not in force: its policy flag `TrustedHosts` is `dword:00000000`, not 1"
    )
    assert notes(dump)[-1][1] == "`ExecutionPolicy` is not in force: `EnableScripts` is absent"


def test_malformed_values_are_kept_invalid_and_bad_lines_are_notes():
    dump = parsed("malformed_values.reg")
    gpo = Source.GPO
    assert rows(dump) == {
        f"{CFG}/service/auth/Basic": ("dword:0x1", 6, gpo, False),
        f"{CFG}/service/AllowUnencrypted": ("dword:zz", 7, gpo, False),
        # a QWORD needs eight bytes
        f"{CFG}/service/auth/CredSSP": ("hex(b):01,00,00,00", 8, gpo, False),
        f"{POLICY}\\Service\\CbtHardeningLevel": ('"Strict', 9, gpo, False),
        # UTF-16LE needs an even number of bytes
        f"{POLICY}\\Service\\IPv4Filter": ("hex(2):2a,00,00", 10, gpo, False),
        f"{CFG}/service/EnableCompatibilityHttpListener": ("1", 11, gpo, False),
        paths.DISABLE_RUNAS: (1, 16, gpo, True),
    }
    assert notes(dump) == [
        (3, "value `Orphan` before any key: skipped"),
        (9, "`CbtHardeningLevel` is not in force: its policy flag `CBTHardeningLevelStatus` is absent, not 1"),
        (10, "`IPv4Filter` is not in force: its policy flag `AllowAutoConfig` is absent, not 1"),
        (12, "not registry syntax, skipped: `AllowKerberos=dword:00000001`"),
        (16, "`DisableRunAs` was already given on line 15: the later value counts"),
        (18, "not a registry key (no hive such as HKEY_LOCAL_MACHINE): its values are skipped"),
        (19, "value `AllowBasic` under a key that is not readable: skipped"),
    ]
    # the first showing of the Service key has an unreadable line: the key is not known whole
    assert dump.coverage == {}


def test_value_cut_off_mid_continuation_is_invalid_and_uncovered():
    dump = parsed("cut_mid_value.reg")
    readings = by_path(dump)
    assert readings[paths.SERVICE_START_TYPE].value == "Disabled"
    cut = readings[f"{paths.WINRM_SERVICE_REG_KEY}\\DependOnService"]
    assert (cut.valid, cut.location.line) == (False, 5)
    assert cut.value == cut.raw
    assert cut.raw.startswith("hex(7):52,00,50,00")
    assert notes(dump) == [(5, "value `DependOnService` is cut off: its continued data ends here")]
    assert dump.coverage == {}


def test_export_trimmed_after_its_last_value_does_not_cover_the_last_key():
    dump = parsed("trimmed_end.reg")
    # regedit ends every key with a blank line: without it the last key may have been cut
    assert coverage_lines(dump) == {f"{POLICY}\\Client": 3}
    assert rows(dump)[paths.DISABLE_RUNAS] == (1, 8, Source.GPO, True)


def test_header_with_nothing_registry_like_is_a_parse_error_at_the_first_bad_line():
    with pytest.raises(ParseError) as error:
        parsed("header_then_winrm_get.reg")
    assert error.value.line == 3


def test_empty_export_with_only_a_header_is_empty_not_an_error():
    dump = reg_file.parse(SourceText.from_text("e.reg", "Windows Registry Editor Version 5.00\r\n\r\n"))
    assert (dump.readings, dump.coverage, dump.notes) == ([], {}, [])


def test_remote_export_names_the_host():
    source = SourceText.from_text(
        "r.reg",
        "Windows Registry Editor Version 5.00\n\n"
        "[\\\\SRV09\\HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service]\n"
        '"AllowBasic"=dword:00000001\n\n',
    )
    dump = reg_file.parse(source)
    assert [(h.path, h.value, h.location.line) for h in dump.host_names] == [(paths.HOST_NAME, "SRV09", 3)]
    assert rows(dump) == {f"{CFG}/service/auth/Basic": (True, 4, Source.GPO, True)}
    assert coverage_lines(dump) == {paths.WINRM_SERVICE_POLICY_KEY: 3}


_LINES = st.sampled_from([
    "Windows Registry Editor Version 5.00", "REGEDIT4", "", "   ", "; comment", "[...]",
    f"[{POLICY}\\Service]", f"[-{POLICY}\\Client]", "[HKLM\\Software\\x]", "[nohive]", "[",
    '"AllowBasic"=dword:00000001', '"x"=dword:', '"x"=hex(7):41,00,\\', "  00,00", '"x"=hex(2):4', '@="a\\"',
    '"IPv4Filter"=""', '"x"=-', "@echo off", "C:\\> reg export", '"TrustedHosts"="1"', '"x"=hex(b):01,\\',
    '"AllowAutoConfig"=dword:1', '"Start"=dword:00000002', '"x"="unterminated', "\ufeff", "\\",
])


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.lists(_LINES | st.text(max_size=20), max_size=30).map("\r\n".join)))
def test_parse_raises_only_parse_error_and_sniff_never_raises(text: str):
    source = SourceText.from_text("fuzz.reg", text)
    assert reg_query.sniff(source) >= 0
    assert_parser_contract(reg_file, source)
