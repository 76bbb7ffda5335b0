"""wsman-drive parser: `Get-ChildItem`/`Get-Item` tables of the WSMan: drive on `winrm get` paths."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samples import Samples, assert_parser_contract, coverage_lines, notes, sample
from winrmlint.model import catalog, paths
from winrmlint.model.host import build_host
from winrmlint.model.values import ParsedDump, ParseError, Source
from winrmlint.parsers import detect, wsman_drive
from winrmlint.source import SourceText

SAMPLES = Samples(wsman_drive)
load, parse = SAMPLES.load, SAMPLES.parse
GPO, LOCAL = Source.GPO, Source.LOCAL
SERVICE = "winrm/config/service"
HTTP = catalog.listener_path("*", "HTTP")
HTTPS = catalog.listener_path("IP:10.20.30.40", "HTTPS")


def readings(dump: ParsedDump, prefix: str = "") -> list[tuple[str, object, int, Source]]:
    """(path after the prefix, value, line, source) of the valid, whole readings."""
    return [
        (r.path.removeprefix(prefix), r.value, r.location.line, r.source)
        for r in dump.readings
        if r.path.startswith(prefix) and r.valid and not r.truncated
    ]


@pytest.mark.parametrize(
    "name", ["service_tree_crlf.txt", "remote_client_autosize.txt", "listeners_utf16.txt", "cut_paste.txt"]
)
def test_sniff(name: str) -> None:
    source = load(name)
    assert wsman_drive.sniff(source) == 95
    assert detect(source) is wsman_drive


def test_sniff_table_without_header() -> None:
    text = "Type            Name                           SourceOfValue   Value\n----   ----   ----   ----\n"
    assert wsman_drive.sniff(SourceText.from_text("t.txt", text)) == 85


def test_service_tree_with_auth_and_default_ports() -> None:
    dump = parse("service_tree_crlf.txt")
    assert readings(dump, "winrm/config/") == [
        ("MaxEnvelopeSizekb", 500, 10, LOCAL),
        ("MaxTimeoutms", 60000, 11, LOCAL),
        ("MaxBatchItems", 32000, 12, LOCAL),
        ("MaxProviderRequests", 4294967295, 13, LOCAL),
        ("service/RootSDDL", catalog.MODERN_ROOT_SDDL, 30, LOCAL),
        ("service/MaxConcurrentOperations", 4294967295, 31, LOCAL),
        ("service/MaxConcurrentOperationsPerUser", 1500, 32, LOCAL),
        ("service/EnumerationTimeoutms", 240000, 33, LOCAL),
        ("service/MaxConnections", 300, 34, LOCAL),
        ("service/MaxPacketRetrievalTimeSeconds", 120, 35, LOCAL),
        ("service/AllowUnencrypted", True, 36, LOCAL),
        ("service/IPv4Filter", "*", 39, GPO),
        # a GPO filter left empty: WinRM listens on no IPv6 address
        ("service/IPv6Filter", "", 40, GPO),
        # names the table cut (`EnableCompatibilityHttpList...`) fit one setting each
        ("service/EnableCompatibilityHttpListener", False, 41, LOCAL),
        ("service/EnableCompatibilityHttpsListener", True, 42, LOCAL),
        ("service/CertificateThumbprint", "", 43, LOCAL),
        ("service/AllowRemoteAccess", True, 44, GPO),
        ("service/auth/Basic", True, 54, GPO),
        ("service/auth/Kerberos", True, 55, LOCAL),
        ("service/auth/Negotiate", True, 56, LOCAL),
        ("service/auth/Certificate", False, 57, LOCAL),
        ("service/auth/CredSSP", False, 58, LOCAL),
        ("service/auth/CbtHardeningLevel", "Relaxed", 59, LOCAL),
        ("service/DefaultPorts/HTTP", 5985, 69, LOCAL),
        ("service/DefaultPorts/HTTPS", 5986, 70, LOCAL),
    ]
    assert len(dump.readings) == 25 and {r.origin for r in dump.readings} == {"wsman-drive"}
    assert dump.readings[12].raw == "" and dump.readings[13].raw == "false"
    # Service with both child tables covers the subtree; the root table lists Client, Shell and
    # Listener as containers this file never opens, so it covers only its own four settings
    assert coverage_lines(dump) == {
        "winrm/config/MaxEnvelopeSizekb": 6,
        "winrm/config/MaxTimeoutms": 6,
        "winrm/config/MaxBatchItems": 6,
        "winrm/config/MaxProviderRequests": 6,
        SERVICE: 26,
        f"{SERVICE}/auth": 50,
        f"{SERVICE}/DefaultPorts": 65,
    }
    assert notes(dump) == []
    assert dump.host_names == []  # localhost names no host


def test_service_coverage_feeds_the_model_defaults_only_where_whole() -> None:
    lines = load("service_tree_crlf.txt").lines
    # without the DefaultPorts table the Service table covers its own settings, not the subtree
    dump = wsman_drive.parse(SourceText("cut.txt", lines[:61], "utf-8"))
    assert SERVICE not in dump.coverage
    assert coverage_lines(dump)[f"{SERVICE}/auth"] == 50
    assert coverage_lines(dump)[f"{SERVICE}/AllowRemoteAccess"] == 26
    host = build_host("app07", "bundle", [dump], [])
    assert host.covers(f"{SERVICE}/MaxConnections") is not None
    assert host.covers(f"{SERVICE}/DefaultPorts/HTTP") is None
    assert host.get(f"{SERVICE}/DefaultPorts/HTTP") is None


def test_remote_computer_autosize_tables_and_get_item() -> None:
    source = load("remote_client_autosize.txt")
    assert source.encoding == "utf-8-sig"
    dump = wsman_drive.parse(source)
    assert readings(dump, "winrm/config/") == [
        ("client/NetworkDelayms", 5000, 9, LOCAL),
        ("client/URLPrefix", "wsman", 10, LOCAL),
        ("client/AllowUnencrypted", False, 11, LOCAL),
        ("client/TrustedHosts", "*.corp.contoso.com,10.0.0.*", 14, GPO),
        ("client/auth/Basic", True, 24, LOCAL),
        ("client/auth/Digest", True, 25, LOCAL),
        ("client/auth/Kerberos", True, 26, LOCAL),
        ("client/auth/Negotiate", True, 27, LOCAL),
        ("client/auth/Certificate", True, 28, LOCAL),
        ("client/auth/CredSSP", False, 29, LOCAL),
        # `Get-Item …\TrustedHosts` prints one row under the Client header
        ("client/TrustedHosts", "*.corp.contoso.com,10.0.0.*", 39, GPO),
        # `Shell` is winrs; hand comments after values (`# 10 on 2012 R2`, `<- raised later`) dropped
        ("winrs/AllowRemoteShellAccess", True, 49, LOCAL),
        ("winrs/IdleTimeout", 7200000, 50, LOCAL),
        ("winrs/MaxConcurrentUsers", 2147483647, 51, LOCAL),
        ("winrs/MaxShellRunTime", 2147483647, 52, LOCAL),
        ("winrs/MaxProcessesPerShell", 2147483647, 53, LOCAL),
        ("winrs/MaxMemoryPerShellMB", 1024, 54, LOCAL),
        ("winrs/MaxShellsPerUser", 30, 55, LOCAL),
    ]
    assert [(h.path, h.value, h.location.line) for h in dump.host_names] == [
        (paths.HOST_FQDN, "SRV-APP01.corp.contoso.com", 5),
    ]
    # Client lists Auth and DefaultPorts; DefaultPorts is never opened: its own settings only
    client = {p: line for p, line in coverage_lines(dump).items() if p.startswith("winrm/config/client/")}
    assert client == {
        "winrm/config/client/NetworkDelayms": 5,
        "winrm/config/client/URLPrefix": 5,
        "winrm/config/client/AllowUnencrypted": 5,
        "winrm/config/client/TrustedHosts": 5,
        "winrm/config/client/spn_prefix": 5,
        "winrm/config/client/auth": 20,
    }
    assert coverage_lines(dump)["winrm/config/winrs"] == 45
    assert "winrm/config/client" not in dump.coverage
    assert notes(dump) == []


@pytest.mark.parametrize(
    ("command", "covered"),
    [
        # Get-ChildItem lists every listener: this one is all there is
        ("PS C:\\> Get-ChildItem WSMan:\\localhost\\Listener", True),
        # Get-Item of one listener prints the same one-row Listener table: other listeners may exist
        ("PS C:\\> Get-Item WSMan:\\localhost\\Listener\\Listener_1084132640", False),
    ],
)
def test_get_item_of_one_listener_is_not_the_listener_set(command: str, covered: bool) -> None:
    lines = load("listeners_utf16.txt").lines
    # the HTTP listener's row in the Listener table, then its own table
    source = SourceText("one.txt", (command, *lines[7:14], *lines[15:37]), "utf-8")
    dump = wsman_drive.parse(source)
    assert coverage_lines(dump) == ({HTTP: 14, catalog.LISTENERS: 4} if covered else {HTTP: 14})
    assert [r.path for r in dump.readings][:2] == [f"{HTTP}/Address", f"{HTTP}/Transport"]
    assert notes(dump) == []


def test_listeners_utf16_transcript() -> None:
    source = load("listeners_utf16.txt")
    assert source.encoding == "utf-16-le"
    dump = wsman_drive.parse(source)
    assert readings(dump, "winrm/config/listener/") == [
        ("*+HTTP/Address", "*", 25, LOCAL),
        ("*+HTTP/Transport", "HTTP", 26, LOCAL),
        ("*+HTTP/Port", 5985, 27, LOCAL),
        ("*+HTTP/Hostname", "", 28, LOCAL),
        ("*+HTTP/Enabled", True, 29, LOCAL),
        ("*+HTTP/URLPrefix", "wsman", 30, LOCAL),
        ("*+HTTP/CertificateThumbprint", "", 31, LOCAL),
        # the ListeningOn_<n> rows gathered into one list, at the first of them
        ("*+HTTP/ListeningOn", ("10.20.30.41", "127.0.0.1", "::1", "fe80::5efe:10.20.30.41%5"), 32, LOCAL),
        # its Keys cell is cut (`Address=IP:10....`): its own table names it
        ("IP:10.20.30.40+HTTPS/Address", "IP:10.20.30.40", 45, LOCAL),
        ("IP:10.20.30.40+HTTPS/Transport", "HTTPS", 46, LOCAL),
        ("IP:10.20.30.40+HTTPS/Port", 5986, 47, LOCAL),
        ("IP:10.20.30.40+HTTPS/Hostname", "app07.corp.contoso.com", 48, LOCAL),
        ("IP:10.20.30.40+HTTPS/Enabled", True, 49, LOCAL),
        ("IP:10.20.30.40+HTTPS/URLPrefix", "wsman", 50, LOCAL),
        ("IP:10.20.30.40+HTTPS/CertificateThumbprint",
         "6e 0a 41 d8 2b 7f 9c 13 55 0e c4 27 9a 31 8d 5f 24 ab 3c 90", 51, LOCAL),
        # a whole listener table with no ListeningOn_<n> row: listening nowhere, at its header
        ("IP:10.20.30.40+HTTPS/ListeningOn", (), 41, LOCAL),
    ]
    assert dump.readings[7].raw == "10.20.30.41, 127.0.0.1, ::1, fe80::5efe:10.20.30.41%5"
    assert coverage_lines(dump) == {HTTP: 21, HTTPS: 41, catalog.LISTENERS: 10}
    # the transcript's header and footer are passed over with notes; nothing else
    assert [line for line, _ in notes(dump)] == [1, 2, 3, 4, 5, 6, 54, 55, 56, 57]


def test_listener_known_only_by_its_keys() -> None:
    lines = load("listeners_utf16.txt").lines
    dump = wsman_drive.parse(SourceText("keys.txt", lines[6:18], "utf-8"))
    # the HTTP listener exists; the cut HTTPS keys name no listener
    assert readings(dump) == [
        (f"{HTTP}/Address", "*", 8, LOCAL),
        (f"{HTTP}/Transport", "HTTP", 8, LOCAL),
    ]
    assert notes(dump) == [
        (9, "listener `Listener_1305953032` keys `{Transport=HTTPS, Address=IP:10....` cut or missing: "
            "listener skipped"),
    ]
    # neither listener's properties are known: the listener set is not covered
    assert dump.coverage == {}


def test_cut_narrow_shifted_paste() -> None:
    source = load("cut_paste.txt")
    assert source.lines[-1].endswith("2147483647")  # cut: no final newline
    dump = wsman_drive.parse(source)
    assert readings(dump, "winrm/config/") == [
        ("service/MaxConcurrentOperations", 4294967295, 10, LOCAL),
        ("service/EnumerationTimeoutms", 240000, 12, LOCAL),
        ("service/AllowUnencrypted", False, 14, LOCAL),
        ("service/IPv4Filter", "10.0.0.1-10.0.0.254", 15, GPO),
        ("service/AllowRemoteAccess", True, 18, LOCAL),
        ("winrs/AllowRemoteShellAccess", False, 28, GPO),
        # this row lost the paste's indentation: read by words
        ("winrs/IdleTimeout", 180000, 29, LOCAL),
        ("winrs/MaxShellRunTime", 2147483647, 31, LOCAL),
        ("winrs/MaxProcessesPerShell", 25, 32, LOCAL),
        ("winrs/MaxMemoryPerShellMB", 1024, 33, LOCAL),
        ("winrs/MaxShellsPerUser", 2147483647, 34, LOCAL),
    ]
    by_path = {r.path: r for r in dump.readings}
    rootsddl, users = by_path[f"{SERVICE}/RootSDDL"], by_path["winrm/config/winrs/MaxConcurrentUsers"]
    # a value cut by the table is kept as printed, marked, and not valid
    assert (rootsddl.path, rootsddl.location.line, rootsddl.truncated, rootsddl.valid) == (
        f"{SERVICE}/RootSDDL", 9, True, False)
    assert rootsddl.value == rootsddl.raw == "O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;I…"
    # a hand note that is no comment leaves an untyped value
    assert (users.path, users.value, users.valid, users.truncated) == (
        "winrm/config/winrs/MaxConcurrentUsers", "10 (was 5)", False, False)
    assert notes(dump) == [
        (13, "elision `[...]` inside a table: the table is not complete"),
        (11, "name `MaxConcurrentOperations…` cut by the table matches no single known setting: skipped"),
        (16, "name `EnableCompatibilityHttp…` cut by the table matches no single known setting: skipped"),
        (17, "name `EnableCompatibilityHttp…` cut by the table matches no single known setting: skipped"),
    ]
    # Service is cut and elided; Shell is whole but the paste ends on its last row
    assert dump.coverage == {}


def test_several_computers_in_one_file_are_noted() -> None:
    lines = load("service_tree_crlf.txt").lines
    remote = tuple(line.replace("WSMan::localhost", "WSMan::ilcsinfwds1") for line in lines[20:46])
    dump = wsman_drive.parse(SourceText("mixed.txt", lines[:20] + remote, "utf-8"))
    assert [(h.path, h.value, h.location.line) for h in dump.host_names] == [(paths.HOST_NAME, "ilcsinfwds1", 26)]
    assert notes(dump) == [
        (26, "tables of several computers (ilcsinfwds1, localhost) in one file: their values are merged"),
    ]


@pytest.mark.parametrize(
    ("folder", "name", "line"),
    [("setspn", "query_cmd_crlf.txt", 1), ("session_configs", "table_cut.txt", 1)],
)
def test_other_formats_are_refused_with_a_line(folder: str, name: str, line: int) -> None:
    with pytest.raises(ParseError) as err:
        wsman_drive.parse(sample(folder, name))
    assert err.value.line == line


def test_header_without_table_is_refused_at_the_header() -> None:
    text = "PS C:\\> dir WSMan:\\localhost\n\n   WSManConfig: Microsoft.WSMan.Management\\WSMan::localhost\n"
    source = SourceText.from_text("h.txt", text)
    with pytest.raises(ParseError) as err:
        wsman_drive.parse(source)
    assert err.value.line == 3


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.text(max_size=60),
    st.sampled_from([
        "   WSManConfig: Microsoft.WSMan.Management\\WSMan::localhost\\Listener\\Listener_1",
        "   WSManConfig: Microsoft.WSMan.Management\\WSMan::h\\Service", "Type            Name    SourceOfValue Value",
        "----            ----    ------------- -----", "System.String   Basic   GPO           true",
        "Container       {Transport=HTTP, Address=*} Listener_1", "System.String   ListeningOn_3          ::1",
        "System.String   EnableCompatibilityHttp...  x", "Type Keys Name", "---- ---- ----", "[...]", ""]),
), max_size=30))
def test_arbitrary_text_raises_only_parse_error(lines: list[str]) -> None:
    assert_parser_contract(wsman_drive, SourceText.from_text("fuzz.txt", "\n".join(lines)))
