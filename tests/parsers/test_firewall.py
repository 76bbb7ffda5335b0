"""firewall-rules parser: Get-NetFirewallRule records with their filters, netsh show rule blocks."""

from __future__ import annotations

import pytest

from samples import Samples, coverage_lines, notes
from winrmlint.model import paths
from winrmlint.model.values import ParsedDump, ParseError, Source
from winrmlint.parsers import firewall
from winrmlint.source import SourceText

SAMPLES = Samples(firewall)
load, parse = SAMPLES.load, SAMPLES.parse
PUBLIC = "firewall/WINRM-HTTP-In-TCP-PUBLIC"
NETSH_PUBLIC = "firewall/Windows Remote Management (HTTP-In)|Public"
NETSH_PRIVATE = "firewall/Windows Remote Management (HTTP-In)|Domain, Private"


def found(dump: ParsedDump, path: str) -> list[tuple[object, int, Source, bool]]:
    """(value, line, source, valid) of every reading at `path`, in order."""
    return [(r.value, r.location.line, r.source, r.valid) for r in dump.readings if r.path == path]


@pytest.mark.parametrize(
    ("name", "score"),
    [
        ("netsh_show_rule.txt", 95),
        ("netsh_verbose_gpo_utf16.txt", 95),
        ("netsh_cut.txt", 95),
        ("netsh_german.txt", 95),
        ("netsh_unknown_language_pl.txt", 85),
        ("netsh_no_rules.txt", 90),
        ("get_netfirewallrule_with_filters.txt", 90),
        ("get_netfirewallrule_gpo_double_spaced.txt", 90),
        ("get_netfirewall_filters_by_name.txt", 60),
        ("not_a_firewall_dump.txt", 0),
    ],
)
def test_sniff(name: str, score: int) -> None:
    assert firewall.sniff(load(name)) == score


def test_sniff_leaves_listener_records_alone() -> None:
    listener = SourceText.from_text(
        "listener.txt", "Address   : *\nTransport : HTTP\nPort      : 5985\nEnabled   : true\nListeningOn : {}\n"
    )
    assert firewall.sniff(listener) == 0


def test_get_netfirewallrule_with_address_and_port_filters() -> None:
    dump = parse("get_netfirewallrule_with_filters.txt")
    private = "firewall/WINRM-HTTP-In-TCP"
    assert found(dump, f"{private}/Name") == [("WINRM-HTTP-In-TCP", 5, Source.LOCAL, True)]
    # `Private, Domain` as printed, in one canonical order whichever tool printed it
    assert found(dump, f"{private}/Profile") == [("Domain, Private", 11, Source.LOCAL, True)]
    assert found(dump, f"{private}/Enabled") == [(True, 10, Source.LOCAL, True)]
    assert found(dump, f"{private}/RemoteAddress") == [("Any", 29, Source.LOCAL, True)]
    assert found(dump, f"{private}/LocalPort") == [("5985", 32, Source.LOCAL, True)]
    assert found(dump, f"{PUBLIC}/Profile") == [("Public", 43, Source.LOCAL, True)]
    assert found(dump, f"{PUBLIC}/Direction") == [("Inbound", 45, Source.LOCAL, True)]
    assert found(dump, f"{PUBLIC}/Action") == [("Allow", 46, Source.LOCAL, True)]
    # the filter records after a rule are that rule's; the hand comment is not part of the value
    assert found(dump, f"{PUBLIC}/RemoteAddress") == [("LocalSubnet", 61, Source.LOCAL, True)]
    assert found(dump, f"{PUBLIC}/Protocol") == [("TCP", 63, Source.LOCAL, True)]
    assert found(dump, f"{PUBLIC}/Status")[0][0] == "The rule was parsed successfully from the store. (65536)"
    assert {r.origin for r in dump.readings} == {"firewall-rules"}
    assert coverage_lines(dump) == {paths.FIREWALL: 5}
    # PowerShell's `>>` continuation prompt is passed over with a note
    assert [line for line, _ in notes(dump)] == [2]


def test_filters_printed_alone_belong_to_the_rule_named_on_the_prompt() -> None:
    dump = parse("get_netfirewall_filters_by_name.txt")
    remote = [r for r in dump.readings if r.path == f"{PUBLIC}/RemoteAddress"]
    assert [(r.value, r.location.line, r.truncated) for r in remote] == [
        ("10.0.0.0/255.0.0.0, 172.16.0.0/255.240.0.0, 192.168.0.0/255.255.0.0, 10.250.1.7...", 4, True)
    ]
    assert remote[0].raw.startswith("{10.0.0.0/255.0.0.0,")
    assert found(dump, f"{PUBLIC}/LocalPort") == [("5985", 9, Source.LOCAL, True)]
    # filters alone do not list the rules: no coverage
    assert coverage_lines(dump) == {}


def test_filter_without_any_rule_is_noted() -> None:
    source = SourceText.from_text("f.txt", "LocalAddress  : Any\nRemoteAddress : LocalSubnet\n")
    dump = firewall.parse(source)
    assert dump.readings == []
    assert notes(dump) == [(1, "filter record without its rule skipped: LocalAddress")]


def test_group_policy_rule_double_spaced_with_any_profile() -> None:
    dump = parse("get_netfirewallrule_gpo_double_spaced.txt")
    rule = "firewall/{6A1C6C5B-3F0E-4F4B-9C1E-8E8A6B0E2D11}"
    assert found(dump, f"{rule}/Profile") == [("Domain, Private, Public", 7, Source.GPO, True)]
    assert found(dump, f"{rule}/DisplayName") == [("WinRM HTTP (GPO)", 3, Source.GPO, True)]
    assert {r.source for r in dump.readings} == {Source.GPO}
    assert coverage_lines(dump) == {paths.FIREWALL: 1}


def test_elided_listing_has_no_coverage() -> None:
    dump = parse("get_netfirewallrule_elided.txt")
    assert found(dump, "firewall/WINRM-HTTP-In-TCP-NoScope/Enabled") == [(False, 3, Source.LOCAL, True)]
    assert coverage_lines(dump) == {}
    assert notes(dump) == [(7, "elision skipped: (...)")]


def test_malformed_values_are_kept_invalid() -> None:
    dump = parse("get_netfirewallrule_malformed.txt")
    assert found(dump, "firewall/WINRM-HTTP-In-TCP/Enabled") == [("Maybe", 3, Source.LOCAL, False)]
    assert found(dump, "firewall/WINRM-HTTP-In-TCP/Direction") == [("Sideways", 5, Source.LOCAL, False)]


def test_netsh_one_name_two_profile_blocks() -> None:
    dump = parse("netsh_show_rule.txt")
    assert found(dump, f"{NETSH_PUBLIC}/RemoteAddress") == [("LocalSubnet", 10, Source.LOCAL, True)]
    assert found(dump, f"{NETSH_PUBLIC}/Enabled") == [(True, 5, Source.LOCAL, True)]
    assert found(dump, f"{NETSH_PUBLIC}/Direction") == [("Inbound", 6, Source.LOCAL, True)]
    assert found(dump, f"{NETSH_PUBLIC}/LocalPort") == [("5985", 12, Source.LOCAL, True)]
    assert found(dump, f"{NETSH_PUBLIC}/DisplayGroup") == [("Windows Remote Management", 8, Source.LOCAL, True)]
    assert found(dump, f"{NETSH_PUBLIC}/Edge traversal") == [("No", 14, Source.LOCAL, True)]
    # `Private,Domain` as printed; the id and the value use the canonical order
    assert found(dump, f"{NETSH_PRIVATE}/Profile") == [("Domain, Private", 21, Source.LOCAL, True)]
    assert found(dump, f"{NETSH_PRIVATE}/RemoteAddress") == [("Any", 24, Source.LOCAL, True)]
    assert [r.raw for r in dump.readings if r.path == f"{NETSH_PRIVATE}/Profile"] == ["Private,Domain"]
    assert coverage_lines(dump) == {paths.FIREWALL: 3}
    assert notes(dump) == []


def test_netsh_verbose_group_policy_rule_utf16() -> None:
    source = load("netsh_verbose_gpo_utf16.txt")
    assert source.encoding == "utf-16-le"
    dump = firewall.parse(source)
    rule = "firewall/WinRM HTTPS (corp baseline)|Domain, Private, Public"
    assert found(dump, f"{rule}/RemoteAddress") == [("10.20.0.0/255.255.0.0, 10.30.1.15", 10, Source.GPO, True)]
    assert found(dump, f"{rule}/LocalPort") == [("5986", 12, Source.GPO, True)]
    assert found(dump, f"{rule}/DisplayGroup") == [("", 8, Source.GPO, True)]
    assert found(dump, f"{rule}/InterfaceType") == [("Any", 16, Source.GPO, True)]
    assert coverage_lines(dump) == {paths.FIREWALL: 2}


def test_netsh_no_rules_is_a_complete_answer() -> None:
    dump = parse("netsh_no_rules.txt")
    assert dump.readings == []
    assert coverage_lines(dump) == {paths.FIREWALL: 3}
    assert notes(dump) == [(3, "no firewall rule matched the query")]


def test_netsh_cut_off_block() -> None:
    dump = parse("netsh_cut.txt")
    compat = "firewall/Windows Remote Management - Compatibility Mode (HTTP-In)|Domain, Private, Public"
    assert found(dump, f"{compat}/Enabled") == [(False, 3, Source.LOCAL, True)]
    assert found(dump, f"{compat}/LocalPort") == [("80", 10, Source.LOCAL, True)]
    # the second block lost its profiles: its id is the rule name alone
    assert found(dump, "firewall/Windows Remote Management (HTTP-In)/Direction") == [
        ("Inbound", 18, Source.LOCAL, True)
    ]
    assert coverage_lines(dump) == {}
    assert [line for line, _ in notes(dump)] == [15, 18]


def test_netsh_german_labels_and_values_read_through_the_table() -> None:
    """cp850, as cmd.exe redirects it; labels and values from published German netsh blocks
    (strings/firewall.py): `Regelname` is DisplayName, `Öffentlich` Public, `Beliebig` Any."""
    dump = parse("netsh_german.txt")
    rule = "firewall/Windows-Remoteverwaltung (HTTP eingehend)|Public"
    assert found(dump, f"{rule}/DisplayName") == [("Windows-Remoteverwaltung (HTTP eingehend)", 2, Source.LOCAL, True)]
    assert found(dump, f"{rule}/Enabled") == [(True, 4, Source.LOCAL, True)]
    assert found(dump, f"{rule}/Direction") == [("Inbound", 5, Source.LOCAL, True)]
    assert found(dump, f"{rule}/Profile") == [("Public", 6, Source.LOCAL, True)]
    assert found(dump, f"{rule}/RemoteAddress") == [("Any", 9, Source.LOCAL, True)]
    assert found(dump, f"{rule}/LocalPort") == [("5985", 11, Source.LOCAL, True)]
    assert found(dump, f"{rule}/Action") == [("Allow", 13, Source.LOCAL, True)]
    # a label the table lacks is kept as printed
    assert found(dump, f"{rule}/Edgeausnahme") == [("Nein", 12, Source.LOCAL, True)]
    assert coverage_lines(dump) == {"firewall": 2}
    assert notes(dump) == []


def test_unrelated_text_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as error:
        parse("not_a_firewall_dump.txt")
    assert error.value.line == 1
