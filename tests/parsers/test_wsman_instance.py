"""`Get-WSManInstance winrm/config/listener -Enumerate` Format-List output: real-shape samples."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samples import Samples, assert_parser_contract, by_path, notes
from winrmlint.model import catalog
from winrmlint.model.values import ParseError, Reading, Source
from winrmlint.parsers import winrm_config, winrm_xml, wsman_instance
from winrmlint.source import SourceText

SAMPLES = Samples(wsman_instance)
load, parsed, at = SAMPLES.load, SAMPLES.parse, SAMPLES.at
HTTP = catalog.listener_path("*", "HTTP")


def test_listener_enumeration_with_gpo_empty_and_truncated_lists():
    name = "listeners.txt"
    source = load(name)
    dump = wsman_instance.parse(source)
    readings = by_path(dump)
    assert (wsman_instance.sniff(source), winrm_config.sniff(source), winrm_xml.sniff(source)) == (95, 0, 0)
    cut = readings[f"{HTTP}/ListeningOn"]
    # `{a, b, c, d...}`: four items shown of a longer list, so not the whole list
    assert (cut.value, cut.truncated, cut.raw, cut.location) == (
        ("10.0.0.15", "127.0.0.1", "192.168.56.1", "::1"), True, "{10.0.0.15, 127.0.0.1, 192.168.56.1, ::1...}",
        at(name, 14))
    assert readings[f"{HTTP}/Hostname"].value == ""
    assert readings[f"{HTTP}/Port"] == Reading(
        f"{HTTP}/Port", 5985, at(name, 9), Source.LOCAL, "5985", True, False, "wsman-instance-list")
    gpo = readings[f"{HTTP}#2/ListeningOn"]
    assert (gpo.value, gpo.source, gpo.truncated, gpo.location) == ((), Source.GPO, False, at(name, 27))
    https = catalog.listener_path("*", "HTTPS")
    assert readings[f"{https}/ListeningOn"].value == ("10.0.0.15", "127.0.0.1")
    assert readings[f"{https}/ListeningOn"].truncated is False
    assert readings[f"{https}/CertificateThumbprint"].value == "3A8F0E6B5C9D2E1F4A7B8C9D0E1F2A3B4C5D6E7F"
    assert not any(r.path.endswith(("/cfg", "/xsi", "/lang", "/Source")) for r in dump.readings)
    assert dump.coverage == {catalog.LISTENERS: at(name, 4)}
    assert notes(dump) == [
        (1, "command line skipped"),
        (16, "second listener *+HTTP in one file: keyed #2"),
        (43, "command line skipped"),
    ]


def test_wrapped_list_and_compatibility_listener_in_utf16():
    name = "wrapped_utf16.txt"
    source = load(name)
    dump = wsman_instance.parse(source)
    readings = by_path(dump)
    assert source.encoding == "utf-16-le"
    key = catalog.listener_path("IP:10.0.0.15", "HTTP")
    assert readings[f"{key}/ListeningOn"].value == (
        "10.0.0.15", "127.0.0.1", "169.254.12.7", "192.168.56.1", "::1", "2001:0:2851:782c:1c4b:2a3d:f5ff:fff0",
        "fe80::5efe:10.0.0.15%11", "fe80::1c4b:2a3d:f5ff:fff0%12")
    assert readings[f"{key}/ListeningOn"].location == at(name, 12)
    compat = f"{HTTP}+Compatibility"
    assert readings[f"{compat}/ListeningOn"].value == ("10.0.0.15",)
    assert readings[f"{compat}/Port"].source is Source.COMPATIBILITY
    assert dump.coverage == {catalog.LISTENERS: at(name, 2)}


def test_blank_line_doubled_markdown_paste_with_an_elision_covers_nothing():
    name = "markdown_elided.txt"
    dump = parsed(name)
    readings = by_path(dump)
    assert set(readings) == {f"{HTTP}/{p}" for p in catalog.LISTENER_PROPERTIES}
    assert all(r.source is Source.GPO for r in dump.readings)
    assert readings[f"{HTTP}/Enabled"].location == at(name, 15)
    assert dump.coverage == {}
    assert notes(dump) == [
        (1, "line not understood, skipped: `Output on the DC:`"), (13, "elision: values left out here")]


def test_service_instance_reads_its_values_and_notes_nested_sections():
    name = "service.txt"
    dump = parsed(name)
    readings = by_path(dump)
    assert readings["winrm/config/service/MaxConnections"].value == 300
    assert readings["winrm/config/service/CertificateThumbprint"].value == ""
    assert readings["winrm/config/service/AllowRemoteAccess"].location == at(name, 19)
    assert not any("/Auth" in r.path or "DefaultPorts" in r.path for r in dump.readings)
    assert dump.coverage == {}
    assert (12, "nested section Auth is not shown by this command") in notes(dump)


def test_winrs_instance_is_whole():
    name = "winrs.txt"
    dump = parsed(name)
    assert by_path(dump)["winrm/config/winrs/MaxShellsPerUser"].value == 30
    assert dump.coverage == {"winrm/config/winrs": at(name, 1)}


def test_an_error_record_instead_of_listeners_is_a_parse_error():
    assert wsman_instance.sniff(load("garbage.txt")) == 0
    with pytest.raises(ParseError) as caught:
        parsed("garbage.txt")
    assert caught.value.line == 1


_SAMPLE_LINES = sorted(set(SAMPLES.lines()))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_SAMPLE_LINES), st.integers(0, 30), st.booleans()), max_size=40))
def test_shuffled_real_lines_raise_nothing_but_parse_error(parts: list[tuple[str, int, bool]]):
    text = "\n".join(line[:cut] + ("\n" if blank_after else "") for line, cut, blank_after in parts)
    assert_parser_contract(wsman_instance, SourceText.from_text("fuzz.txt", text))
