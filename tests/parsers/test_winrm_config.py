"""`winrm get winrm/config` / `winrm enumerate winrm/config/listener` text: real-shape samples."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samples import Samples, assert_parser_contract, by_path, notes, paste_notes
from winrmlint.model import catalog, paths
from winrmlint.model.values import ParseError, Reading, Source
from winrmlint.parsers import winrm_config
from winrmlint.source import SourceText

SAMPLES = Samples(winrm_config)
load, parsed, at = SAMPLES.load, SAMPLES.parse, SAMPLES.at
CFG = catalog.ROOT


def test_full_modern_dump_reads_every_setting_with_its_line():
    name = "server2019_full.txt"
    source = load(name)
    dump = winrm_config.parse(source)
    readings = by_path(dump)
    assert winrm_config.sniff(source) == 100
    assert set(readings) == {s.path for s in catalog.SETTINGS} - {f"{CFG}/client/spn_prefix"}
    assert readings[f"{CFG}/MaxEnvelopeSizekb"] == Reading(
        f"{CFG}/MaxEnvelopeSizekb", 500, at(name, 3), Source.LOCAL, "500", True, False, "winrm-config-text")
    assert readings[f"{CFG}/client/TrustedHosts"].value == ""
    assert readings[f"{CFG}/client/TrustedHosts"].location == at(name, 21)
    assert readings[f"{CFG}/client/auth/Basic"].value is True
    assert readings[f"{CFG}/client/DefaultPorts/HTTPS"].value == 5986
    assert readings[f"{CFG}/service/RootSDDL"].value == catalog.MODERN_ROOT_SDDL
    assert readings[f"{CFG}/service/auth/CbtHardeningLevel"].location == at(name, 36)
    assert readings[f"{CFG}/service/CertificateThumbprint"].value == ""
    assert readings[f"{CFG}/winrs/MaxShellsPerUser"].location == at(name, 53)
    assert dump.coverage == {CFG: at(name, 2)}
    assert notes(dump) == [(1, "command line skipped"), (55, "command line skipped")]
    assert all(r.source is Source.LOCAL and r.valid and not r.truncated for r in dump.readings)


def test_windows7_utf16_dump_has_old_defaults_and_no_allow_remote_access():
    name = "win7_utf16.txt"
    source = load(name)
    readings = by_path(winrm_config.parse(source))
    assert source.encoding == "utf-16-le"
    assert readings[f"{CFG}/MaxEnvelopeSizekb"].value == 150
    assert readings[f"{CFG}/service/RootSDDL"].value == "O:NSG:BAD:P(A;;GA;;;BA)S:P(AU;FA;GA;;;WD)(AU;SA;GWGX;;;WD)"
    assert readings[f"{CFG}/winrs/MaxMemoryPerShellMB"].value == 150
    assert f"{CFG}/service/AllowRemoteAccess" not in readings
    # the paste ends at the last Winrs value: complete although AllowRemoteAccess is absent
    assert winrm_config.parse(source).coverage == {CFG: at(name, 2)}


def test_group_policy_sources_unknown_keys_and_hand_comments():
    name = "gpo_values.txt"
    dump = parsed(name)
    readings = by_path(dump)
    trusted = readings[f"{CFG}/client/TrustedHosts"]
    assert (trusted.value, trusted.source, trusted.raw, trusted.location) == ("*", Source.GPO, "*", at(name, 20))
    assert readings[f"{CFG}/client/spn_prefix"].value == "HOST"
    assert readings[f"{CFG}/client/spn_prefix"].source is Source.LOCAL
    assert readings[f"{CFG}/client/auth/Basic"].value is False
    assert readings[f"{CFG}/client/auth/Basic"].source is Source.GPO
    assert readings[f"{CFG}/service/auth/CredSSP"].value is True
    assert readings[f"{CFG}/service/auth/CredSSP"].source is Source.GPO
    assert readings[f"{CFG}/service/auth/CbtHardeningLevel"].value == "Strict"
    # a bare key with a GPO tag: an empty filter set by policy (listen on nothing)
    assert readings[f"{CFG}/service/IPv6Filter"].value == ""
    assert readings[f"{CFG}/service/IPv6Filter"].source is Source.GPO
    assert readings[f"{CFG}/service/IPv4Filter"].value == "10.0.0.1-10.0.0.254"
    assert readings[f"{CFG}/service/AllowUnencrypted"].value is True
    assert readings[f"{CFG}/winrs/AllowRemoteShellAccess"].source is Source.GPO
    assert [line for line, message in paste_notes(dump) if message.startswith("author's annotation")] == [9, 20, 29, 35]
    assert dump.coverage == {CFG: at(name, 1)}


def test_console_wrapping_at_80_columns_joins_without_separator():
    name = "wrapped_80.txt"
    readings = by_path(parsed(name))
    assert readings[f"{CFG}/client/TrustedHosts"].value == (
        "srv-app01.corp.contoso.com,srv-app02.corp.contoso.com,10.20.30.40,*.lab.contoso.com,[fe80::1]")
    assert readings[f"{CFG}/client/TrustedHosts"].location == at(name, 21)
    assert readings[f"{CFG}/service/RootSDDL"].value == (
        "O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)(A;;GA;;;S-1-5-21-3623811015-3361044348-30300820-1013)"
        "S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)")
    assert readings[f"{CFG}/service/RootSDDL"].location == at(name, 24)
    assert readings[f"{CFG}/service/MaxConcurrentOperations"].location == at(name, 26)


def test_listener_enumeration_keys_sources_and_wrapped_listening_on():
    name = "listeners.txt"
    dump = parsed(name)
    readings = by_path(dump)
    http = catalog.listener_path("*", "HTTP")
    listening = readings[f"{http}/ListeningOn"]
    assert listening.value == (
        "10.0.0.15", "127.0.0.1", "169.254.12.7", "192.168.56.1", "::1", "2001:0:2851:782c:1c4b:2a3d:f5ff:fff0",
        "fe80::5efe:10.0.0.15%11", "fe80::1c4b:2a3d:f5ff:fff0%12", "fe80::e0c9:3b1a:f0d7:2f5e%4")
    assert listening.location == at(name, 10)
    assert readings[f"{http}/Address"].value == "*"
    assert readings[f"{http}/Hostname"].value == ""
    https = catalog.listener_path("*", "HTTPS")
    assert readings[f"{https}/Port"].value == 5986
    assert readings[f"{https}/Hostname"].value == "SRV-APP01-PROD0"
    assert readings[f"{https}/CertificateThumbprint"].value == "3a8f0e6b5c9d2e1f4a7b8c9d0e1f2a3b4c5d6e7f"
    gpo = readings[f"{http}#2/ListeningOn"]
    assert (gpo.value, gpo.source, gpo.location) == ((), Source.GPO, at(name, 31))
    assert readings[f"{http}#2/Transport"].source is Source.GPO
    compat = f"{http}+Compatibility"
    assert readings[f"{compat}/Port"].value == 80
    assert readings[f"{compat}/Port"].source is Source.COMPATIBILITY
    assert (23, "second listener *+HTTP in one file: keyed #2") in notes(dump)
    assert dump.coverage == {catalog.LISTENERS: at(name, 2)}


def test_listening_on_wrapped_after_a_comma_whose_space_was_trimmed():
    name = "trimmed_wrap.txt"
    reading = by_path(parsed(name))[f"{catalog.listener_path('*', 'HTTP')}/ListeningOn"]
    assert reading.value == ("10.0.10.15", "127.0.0.1", "192.168.100.154", "fe80::5efe:10.0.0.15",
                             "fe80::1c4b:2a3d:f5ff:fff0%12", "fe80::e0c9:3b1a:f0d7:2f5e%4")
    assert reading.raw.endswith("fe80::5efe:10.0.0.15, fe80::1c4b:2a3d:f5ff:fff0%12, fe80::e0c9:3b1a:f0d7:2f5e%4")
    assert reading.location == at(name, 9)


def test_wsman_fault_is_information_not_a_failure():
    name = "fault.txt"
    dump = parsed(name)
    readings = by_path(dump)
    message = readings[paths.WSMAN_FAULT_MESSAGE]
    assert message.value.startswith("The client cannot connect to the destination specified in the request. Verify")
    assert message.value.endswith('configure the WinRM service: "winrm quickconfig".')
    assert "  " not in message.value and message.location == at(name, 3)
    assert readings[paths.WSMAN_FAULT_CODE].value == "0x80338012"
    assert readings[paths.WSMAN_FAULT_CODE].location == at(name, 10)
    assert set(readings) == {paths.WSMAN_FAULT_MESSAGE, paths.WSMAN_FAULT_CODE}
    assert dump.coverage == {}


def test_two_outputs_in_one_file_each_cover_their_container():
    name = "two_outputs.txt"
    dump = parsed(name)
    readings = by_path(dump)
    assert readings[f"{CFG}/client/auth/Basic"].value is True
    assert readings[f"{CFG}/service/auth/Basic"].value is False
    assert readings[f"{CFG}/service/auth/Basic"].location == at(name, 20)
    assert readings[f"{CFG}/service/auth/CbtHardeningLevel"].value == "Relaxed"
    assert dump.coverage == {f"{CFG}/client": at(name, 2), f"{CFG}/service/auth": at(name, 19)}


def test_auth_root_is_placed_by_its_keys_or_its_command():
    client = by_path(parsed("auth_client.txt"))
    assert client[f"{CFG}/client/auth/Digest"].value is False
    assert client[f"{CFG}/client/auth/CredSSP"].value is True
    ports = parsed("defaultports_service.txt")
    assert by_path(ports)[f"{CFG}/service/DefaultPorts/HTTPS"].value == 443
    assert ports.coverage == {f"{CFG}/service/DefaultPorts": at("defaultports_service.txt", 2)}


def test_ambiguous_auth_root_is_read_as_the_service_with_a_note_and_no_coverage():
    dump = parsed("auth_ambiguous.txt")
    assert set(by_path(dump)) == {f"{CFG}/service/auth/{k}" for k in
                                  ("Basic", "Kerberos", "Negotiate", "Certificate", "CredSSP")}
    assert notes(dump) == [(1, "Auth section could be the client's or the service's: read as the service's")]
    assert dump.coverage == {}


def test_winrm_set_echo_prints_the_changed_container():
    name = "set_echo.txt"
    dump = parsed(name)
    assert by_path(dump)[f"{CFG}/client/TrustedHosts"].value == "10.0.0.5,10.0.0.6"
    assert by_path(dump)[f"{CFG}/client/TrustedHosts"].location == at(name, 16)
    assert dump.coverage == {f"{CFG}/client": at(name, 2)}


def test_markdown_paste_shifted_with_blank_lines_and_a_tab():
    name = "markdown_shifted.txt"
    dump = parsed(name)
    readings = by_path(dump)
    assert readings[f"{CFG}/winrs/MaxConcurrentUsers"].value == 10
    assert readings[f"{CFG}/winrs/MaxConcurrentUsers"].location == at(name, 11)
    assert readings[f"{CFG}/winrs/MaxShellsPerUser"].location == at(name, 19)
    assert len(readings) == 7
    assert dump.coverage == {f"{CFG}/winrs": at(name, 5)}
    assert notes(dump)[0] == (1, "line not understood, skipped: `I ran this on the 2012 R2 box:`")


def test_broken_indentation_is_recovered_from_container_names():
    name = "broken_indent.txt"
    dump = parsed(name)
    readings = by_path(dump)
    assert readings[f"{CFG}/MaxProviderRequests"].location == at(name, 5)
    assert readings[f"{CFG}/client/NetworkDelayms"].location == at(name, 7)
    assert readings[f"{CFG}/client/auth/Digest"].value is False
    assert readings[f"{CFG}/client/DefaultPorts/HTTPS"].location == at(name, 19)
    assert readings[f"{CFG}/client/TrustedHosts"].value == "*"
    assert readings[f"{CFG}/service/RootSDDL"].location == at(name, 22)
    assert readings[f"{CFG}/service/AllowUnencrypted"].value is True
    assert readings[f"{CFG}/service/auth/Basic"].value is True
    assert readings[f"{CFG}/service/auth/CbtHardeningLevel"].value == "None"
    # Service stops after two Auth values at the end of the file: only Client is whole
    assert dump.coverage == {f"{CFG}/client": at(name, 6)}
    assert notes(dump) == [(26, f"the output ends before {CFG} is complete: it covers only its whole parts")]


def test_paste_cut_off_mid_value_marks_it_and_covers_only_whole_containers():
    name = "cut_off.txt"
    dump = parsed(name)
    basic = by_path(dump)[f"{CFG}/service/auth/Basic"]
    assert (basic.value, basic.valid, basic.truncated, basic.raw) == ("fal", False, True, "fal")
    assert dump.coverage == {f"{CFG}/client": at(name, 6)}
    assert notes(dump) == [
        (30, f"the output ends before {CFG} is complete: it covers only its whole parts"),
        (30, "the paste ends inside a section: its last value may be cut"),
    ]


def test_elisions_are_noted_and_break_coverage_of_their_sections():
    name = "elided.txt"
    dump = parsed(name)
    readings = by_path(dump)
    assert f"{CFG}/service/MaxConcurrentOperations" not in readings
    sddl = readings[f"{CFG}/service/RootSDDL"]
    assert (sddl.value, sddl.truncated, sddl.raw) == ("O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)S:P", True,
                                                      "O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)S:P...")
    assert readings[f"{CFG}/winrs/MaxShellsPerUser"].value == 2147483647
    assert dump.coverage == {f"{CFG}/client": at(name, 6), f"{CFG}/service/auth": at(name, 29),
                             f"{CFG}/service/DefaultPorts": at(name, 36)}
    assert notes(dump) == [(23, "elision: values left out here"), (45, "elision: values left out here"),
                           (54, "elision: values left out here")]


def test_fragment_without_header_is_placed_by_its_keys_and_covers_nothing():
    name = "fragment.txt"
    dump = parsed(name)
    readings = by_path(dump)
    assert readings[f"{CFG}/service/AllowUnencrypted"].value is True
    assert readings[f"{CFG}/service/auth/Basic"].location == at(name, 4)
    assert readings[f"{CFG}/service/IPv4Filter"].location == at(name, 6)
    assert dump.coverage == {}
    assert (2, f"values with no section header: read as {CFG}/service") in notes(dump)


def test_transcript_with_warning_and_nested_fault():
    name = "transcript.txt"
    dump = parsed(name)
    readings = by_path(dump)
    assert readings[f"{CFG}/service/AllowRemoteAccess"].value is True
    assert readings[paths.WSMAN_FAULT_MESSAGE].value == (
        "The service cannot find the resource identified by the resource URI and selectors.")
    assert readings[paths.WSMAN_FAULT_MESSAGE].location == at(name, 39)
    assert readings[paths.WSMAN_FAULT_CODE].value == "0x80338000"
    assert dump.coverage == {f"{CFG}/service": at(name, 9)}
    skipped = dict(notes(dump))
    assert skipped[7].startswith("message skipped: WARNING: Windows PowerShell remoting")
    assert 8 not in skipped and 42 not in skipped  # the wrapped warning, the repeated fault text


def test_enumeration_that_printed_nothing_covers_listeners():
    name = "no_listeners.txt"
    source = load(name)
    dump = winrm_config.parse(source)
    assert dump.readings == []
    assert dump.coverage == {catalog.LISTENERS: at(name, 1)}
    assert winrm_config.sniff(source) == 40


def test_wrong_types_stay_raw_and_duplicate_listeners_get_a_suffix():
    name = "odd_listeners.txt"
    dump = parsed(name)
    readings = by_path(dump)
    key = catalog.listener_path("IP:10.0.0.15", "HTTPS")
    assert (readings[f"{key}/Port"].value, readings[f"{key}/Port"].valid) == ("five thousand", False)
    assert (readings[f"{key}/Enabled"].value, readings[f"{key}/Enabled"].valid) == ("yes please", False)
    assert readings[f"{key}/Transport"].value == "https"
    spaced = "3a 8f 0e 6b 5c 9d 2e 1f 4a 7b 8c 9d 0e 1f 2a 3b 4c 5d 6e 7f"  # a thumbprint as pasted
    assert readings[f"{key}/CertificateThumbprint"].value == spaced
    assert readings[f"{key}#2/Port"].value == 5986
    assert readings[f"{key}#2/Enabled"].value is False
    assert (11, "second listener IP:10.0.0.15+HTTPS in one file: keyed #2") in notes(dump)


@pytest.mark.parametrize(("name", "line"), [("garbage.txt", 3), ("empty.txt", 1)])
def test_text_with_no_winrm_output_is_a_parse_error_with_a_line(name: str, line: int):
    assert winrm_config.sniff(load(name)) == 0
    with pytest.raises(ParseError) as caught:
        winrm_config.parse(load(name))
    assert caught.value.line == line


def test_sniff_scores_the_shapes():
    assert winrm_config.sniff(load("gpo_values.txt")) == 90
    assert winrm_config.sniff(load("fault.txt")) == 70
    assert winrm_config.sniff(load("fragment.txt")) == 90  # its `Auth` header


_SAMPLE_LINES = sorted(set(SAMPLES.lines()))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_SAMPLE_LINES), st.integers(0, 12), st.integers(0, 200)), max_size=40))
def test_shuffled_real_lines_raise_nothing_but_parse_error(parts: list[tuple[str, int, int]]):
    text = "\n".join(" " * indent + line.strip()[:cut] for line, indent, cut in parts)
    assert_parser_contract(winrm_config, SourceText.from_text("fuzz.txt", text))
