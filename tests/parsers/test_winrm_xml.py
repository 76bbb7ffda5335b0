"""`winrm get winrm/config -format:xml|pretty` and listener enumerations as XML: real-shape samples."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samples import Samples, assert_parser_contract, by_path, notes
from winrmlint.model import catalog, paths
from winrmlint.model.values import ParseError, Reading, Source
from winrmlint.parsers import winrm_config, winrm_xml
from winrmlint.source import SourceText

SAMPLES = Samples(winrm_xml)
load, parsed, at = SAMPLES.load, SAMPLES.parse, SAMPLES.at
CFG = catalog.ROOT


def test_pretty_config_reads_every_setting_at_its_element_line():
    name = "config_pretty.xml"
    source = load(name)
    dump = winrm_xml.parse(source)
    readings = by_path(dump)
    assert winrm_xml.sniff(source) == 95
    assert winrm_config.sniff(source) == 0
    assert set(readings) == {s.path for s in catalog.SETTINGS} - {f"{CFG}/client/spn_prefix"}
    assert readings[f"{CFG}/MaxEnvelopeSizekb"] == Reading(
        f"{CFG}/MaxEnvelopeSizekb", 500, at(name, 3), Source.LOCAL, "500", True, False, "winrm-config-xml")
    trusted = readings[f"{CFG}/client/TrustedHosts"]
    assert (trusted.value, trusted.source, trusted.location) == ("*", Source.GPO, at(name, 23))
    assert readings[f"{CFG}/service/auth/Basic"].value is True
    assert readings[f"{CFG}/service/auth/Basic"].source is Source.GPO
    assert readings[f"{CFG}/service/auth/Basic"].location == at(name, 34)
    assert (readings[f"{CFG}/service/IPv6Filter"].value, readings[f"{CFG}/service/IPv6Filter"].source) == (
        "", Source.GPO)
    assert readings[f"{CFG}/service/CertificateThumbprint"].value == ""
    assert readings[f"{CFG}/client/DefaultPorts/HTTP"].value == 5985
    assert readings[f"{CFG}/winrs/MaxShellsPerUser"].location == at(name, 59)
    assert dump.coverage == {CFG: at(name, 2)}
    assert notes(dump) == [
        (1, "outside the XML, skipped: `PS C:\\Users\\admin> winrm get winrm/config -format:pretty`"),
        (63, "outside the XML, skipped: `PS C:\\Users\\admin>`"),
    ]


def test_one_line_utf16_capture_with_declaration():
    name = "config_oneline_utf16.xml"
    source = load(name)
    readings = by_path(winrm_xml.parse(source))
    assert source.encoding == "utf-16-le"
    assert readings[f"{CFG}/winrs/IdleTimeout"] == Reading(
        f"{CFG}/winrs/IdleTimeout", 7200000, at(name, 2), Source.LOCAL, "7200000", True, False, "winrm-config-xml")
    assert readings[f"{CFG}/service/CertificateThumbprint"].value == ""
    assert readings[f"{CFG}/client/TrustedHosts"].source is Source.LOCAL


def test_captured_soap_get_response_on_one_line():
    name = "get_response_envelope.xml"
    dump = parsed(name)
    readings = by_path(dump)
    assert readings[f"{CFG}/MaxEnvelopeSizekb"].value == 8192
    assert readings[f"{CFG}/MaxEnvelopeSizekb"].location == at(name, 1)
    assert not any(r.path.startswith("winrm/fault") for r in dump.readings)
    assert dump.coverage == {CFG: at(name, 1)}


def test_listener_enumeration_joins_listening_on_elements():
    name = "listeners_enumerate.xml"
    dump = parsed(name)
    readings = by_path(dump)
    http = catalog.listener_path("*", "HTTP")
    assert readings[f"{http}/ListeningOn"].value == ("10.0.0.15", "127.0.0.1", "::1", "fe80::5efe:10.0.0.15%11")
    assert readings[f"{http}/ListeningOn"].location == at(name, 11)
    assert readings[f"{http}/Hostname"].value == ""
    https = catalog.listener_path("*", "HTTPS")
    assert (readings[f"{https}/ListeningOn"].value, readings[f"{https}/ListeningOn"].source) == ((), Source.GPO)
    assert readings[f"{https}/Port"] == Reading(
        f"{https}/Port", 5986, at(name, 20), Source.GPO, "5986", True, False, "winrm-config-xml")
    assert dump.coverage == {catalog.LISTENERS: at(name, 3)}


def test_sub_resource_root_is_placed_by_its_namespace():
    name = "client_auth.xml"
    dump = parsed(name)
    assert set(by_path(dump)) == {f"{CFG}/client/auth/{k}" for k in
                                  ("Basic", "Kerberos", "Negotiate", "Certificate", "CredSSP")}
    assert by_path(dump)[f"{CFG}/client/auth/Basic"].value is False
    assert dump.coverage == {f"{CFG}/client/auth": at(name, 2)}


def test_console_wrapped_value_inside_an_element_is_joined():
    name = "service_wrapped.xml"
    dump = parsed(name)
    sddl = by_path(dump)[f"{CFG}/service/RootSDDL"]
    assert sddl.value == ("O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)(A;;GA;;;S-1-5-21-3623811015-3361044348-30300820-1013)"
                          "S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)")
    assert sddl.location == at(name, 2)
    assert by_path(dump)[f"{CFG}/service/AllowRemoteAccess"].location == at(name, 28)
    assert dump.coverage == {f"{CFG}/service": at(name, 1)}


def test_wsman_fault_gives_code_and_message():
    dump = parsed("fault.xml")
    readings = by_path(dump)
    assert readings[paths.WSMAN_FAULT_CODE].value == "0x80338012"
    assert readings[paths.WSMAN_FAULT_MESSAGE].value == (
        "The client cannot connect to the destination specified in the request. Verify that the service on the "
        "destination is running and is accepting requests.")
    assert dump.coverage == {}


@pytest.mark.parametrize(("name", "line", "message"), [
    ("doctype.xml", 2, "DTDs are not allowed"),
    ("truncated.xml", 31, "XML is not well-formed: error parsing attribute name"),
    ("not_config.xml", 1, "no WinRM configuration element found"),
])
def test_malformed_or_hostile_xml_is_a_parse_error_with_a_line(name: str, line: int, message: str):
    with pytest.raises(ParseError) as caught:
        winrm_xml.parse(load(name))
    assert (caught.value.line, str(caught.value)) == (line, message)


def test_sniff_ignores_other_xml_and_text():
    assert winrm_xml.sniff(load("not_config.xml")) == 0
    assert winrm_xml.sniff(load("fault.xml")) == 70
    text = SourceText.from_text("t.txt", "Config\n    MaxEnvelopeSizekb = 500\n")
    assert winrm_xml.sniff(text) == 0


_SAMPLE_LINES = sorted(set(SAMPLES.lines()))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_after_a_tag_opening_raises_nothing_but_parse_error(text: str):
    # sniff and parse look for a line opening with `<`: with one, arbitrary text reaches the XML reader
    assert_parser_contract(winrm_xml, SourceText.from_text("fuzz.xml", "<" + text))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_SAMPLE_LINES), max_size=30))
def test_shuffled_real_lines_raise_nothing_but_parse_error(lines: list[str]):
    assert_parser_contract(winrm_xml, SourceText.from_text("fuzz.xml", "\n".join(lines)))
