"""dsregcmd-status parser: join flags, tenant, device name, sections pasted alone or marked up."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samples import Samples, assert_parser_contract, coverage_lines, notes, sample
from winrmlint.model import paths
from winrmlint.model.values import ParsedDump, ParseError, Source
from winrmlint.parsers import detect, dsregcmd
from winrmlint.source import SourceText

SAMPLES = Samples(dsregcmd)
load, parse = SAMPLES.load, SAMPLES.parse


def readings(dump: ParsedDump, prefix: str = "") -> list[tuple[str, object, int, bool]]:
    return [(r.path, r.value, r.location.line, r.valid) for r in dump.readings if r.path.startswith(prefix)]


@pytest.mark.parametrize(
    "name", ["entra_only_full.txt", "hybrid_marked.txt", "invalid_flag_tab.txt", "reordered_cut.txt"]
)
def test_sniff(name: str) -> None:
    source = load(name)
    # a boxed section title dsregcmd prints is certain
    assert dsregcmd.sniff(source) == 95
    assert detect(source) is dsregcmd


def test_sniff_bare_label_lines() -> None:
    source = SourceText.from_text("bare.txt", "             AzureAdJoined : YES\n              DomainJoined : NO\n")
    assert dsregcmd.sniff(source) == 90
    source = SourceText.from_text("bare.txt", "              DomainJoined : NO\n")
    assert dsregcmd.sniff(source) == 70


def test_entra_only_full_output_utf16() -> None:
    source = load("entra_only_full.txt")
    assert source.encoding == "utf-16-le"
    dump = dsregcmd.parse(source)
    assert readings(dump, "host/") == [
        (paths.AZURE_AD_JOINED, True, 6, True),
        (paths.ENTERPRISE_JOINED, False, 7, True),
        (paths.DOMAIN_JOINED, False, 8, True),
        (paths.TENANT_NAME, "Contoso Ltd", 27, True),
    ]
    assert [(h.path, h.value, h.location.line, h.origin) for h in dump.host_names] == [
        (paths.HOST_NAME, "CLIENT01", 9, "dsregcmd-status"),
    ]
    assert coverage_lines(dump) == {"host/join": 3}
    # every other label is kept under its section, as printed, values that hold colons whole
    kept = {r.path: (r.value, r.location.line) for r in dump.readings}
    assert kept["dsregcmd/Device State/Device Name"] == ("CLIENT01", 9)
    assert kept["dsregcmd/Device Details/DeviceCertificateValidity"] == (
        "[ 2024-01-11 21:02:50.000 UTC -- 2034-01-11 21:32:50.000 UTC ]", 17)
    assert kept["dsregcmd/Tenant Details/AuthCodeUrl"][0].startswith("https://login.microsoftonline.com/72f988bf")
    assert kept["dsregcmd/Tenant Details/SettingsUrl"] == ("", 35)
    assert kept["dsregcmd/Diagnostic Data/Executing Account Name"] == ("AzureAD\\JaneDoe, jane.doe@contoso.com", 72)
    assert kept["dsregcmd/IE Proxy Config for Current User/Auto-Configuration URL"] == ("", 87)
    assert kept["dsregcmd/Ngc Prerequisite Check/PreReqResult"] == ("WillProvision", 108)
    assert len(dump.readings) == 61  # one per `Label : value` line
    assert {r.source for r in dump.readings} == {Source.LOCAL}
    assert notes(dump) == [
        (110, "line not understood, skipped: "
              "`For more information, please visit https://www.microsoft.com/aadjerrors`"),
    ]


def test_hybrid_section_alone_with_author_marks() -> None:
    dump = parse("hybrid_marked.txt")
    # `#` prefixes and `<-` marks removed; the piped prompt line is not data
    assert readings(dump) == [
        (paths.AZURE_AD_JOINED, True, 7, True),
        (paths.ENTERPRISE_JOINED, False, 8, True),
        (paths.DOMAIN_JOINED, True, 9, True),
        (paths.HOST_DOMAIN, "CONTOSO", 10, True),
        ("dsregcmd/Device State/Device Name", "ws042.corp.contoso.com", 11, True),
    ]
    # a dotted device name is the FQDN
    assert [(h.path, h.value, h.location.line) for h in dump.host_names] == [
        (paths.HOST_FQDN, "ws042.corp.contoso.com", 11),
    ]
    assert coverage_lines(dump) == {"host/join": 4}
    assert notes(dump) == []


def test_untyped_flag_is_kept_invalid_and_withholds_coverage() -> None:
    source = load("invalid_flag_tab.txt")
    assert source.encoding == "utf-8-sig" and source.lines[5].startswith("\t")
    dump = dsregcmd.parse(source)
    assert readings(dump, "host/") == [
        (paths.AZURE_AD_JOINED, True, 6, True),
        (paths.ENTERPRISE_JOINED, "N/A", 7, False),
        (paths.DOMAIN_JOINED, False, 8, True),
    ]
    assert dump.coverage == {}
    assert [(h.path, h.value) for h in dump.host_names] == [(paths.HOST_NAME, "KIOSK-07")]


def test_reordered_sections_unboxed_title_and_cut_paste() -> None:
    source = load("reordered_cut.txt")
    assert source.lines[-1].endswith("DomainJoined : YES")  # no final newline
    dump = dsregcmd.parse(source)
    assert readings(dump) == [
        (paths.TENANT_NAME, "Fabrikam Holdings", 7, True),
        ("dsregcmd/Tenant Details/TenantId", "0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9", 8, True),
        (paths.AZURE_AD_JOINED, False, 12, True),
        (paths.DOMAIN_JOINED, True, 14, True),
    ]
    # EnterpriseJoined never shown: the join state is not known completely
    assert dump.coverage == {}
    assert notes(dump) == [
        (1, "line not understood, skipped: `Output of dsregcmd /status on the jump host, the interesting parts:`"),
        (13, "elision `(...)` skipped"),
    ]


def test_labels_without_a_section_title() -> None:
    source = SourceText.from_text("bare.txt", "  AzureAdJoined : NO\n  KeySignTest : PASSED\n")
    dump = dsregcmd.parse(source)
    assert readings(dump) == [(paths.AZURE_AD_JOINED, False, 1, True), ("dsregcmd/KeySignTest", "PASSED", 2, True)]
    assert dump.coverage == {}


@pytest.mark.parametrize(
    ("folder", "name", "line"),
    [("setspn", "duplicates_forest.txt", 1), ("wsman_drive", "listeners_utf16.txt", 1)],
)
def test_other_formats_are_refused_with_a_line(folder: str, name: str, line: int) -> None:
    with pytest.raises(ParseError) as err:
        dsregcmd.parse(sample(folder, name))
    assert err.value.line == line


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.text(max_size=60),
    st.sampled_from(["+------+", "| Device State |", "  AzureAdJoined : YES", "DomainJoined :", "Device Name : a.b",
                     "# TenantName : x <- y", "(...)", "PS C:\\> dsregcmd /status", "| |", " : "]),
), max_size=30))
def test_arbitrary_text_raises_only_parse_error(lines: list[str]) -> None:
    assert_parser_contract(dsregcmd, SourceText.from_text("fuzz.txt", "\n".join(lines)))
