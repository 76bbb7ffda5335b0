"""The inputs added for `connect`: Get-NetConnectionProfile and the server's certificate list.

Real shapes (a console paste with prompts, CRLF, UTF-16, wrapped values, de-DE dates) and
malformed ones; whatever the text, a parser returns a dump or raises ParseError.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from winrmlint import parsers
from winrmlint.model.values import ParseError
from winrmlint.parsers import certificates, net_profile
from winrmlint.source import SourceText

ROOT = Path(__file__).resolve().parent.parent


def source(name: str, text: str) -> SourceText:
    return SourceText.from_text(name, text.replace("\n", "\r\n"))


PROFILE = """PS C:\\Windows\\system32> Get-NetConnectionProfile


Name             : corp.contoso.com
InterfaceAlias   : Ethernet0
InterfaceIndex   : 4
NetworkCategory  : DomainAuthenticated
IPv4Connectivity : Internet
IPv6Connectivity : NoTraffic

Name             : Unidentified network
InterfaceAlias   : vEthernet (Default Switch)
InterfaceIndex   : 21
NetworkCategory  : Public
IPv4Connectivity : NoTraffic
IPv6Connectivity : NoTraffic
"""


def test_profile_per_interface() -> None:
    src = source("profile.txt", PROFILE)
    assert parsers.detect(src) is net_profile
    dump = net_profile.parse(src)
    values = {r.path: (r.value, r.location.line) for r in dump.readings}
    assert values["network/profile/Ethernet0/NetworkCategory"] == ("DomainAuthenticated", 7)
    assert values["network/profile/vEthernet (Default Switch)/NetworkCategory"] == ("Public", 14)
    assert net_profile.PREFIX in dump.coverage


def test_profile_unknown_category_is_kept_invalid() -> None:
    dump = net_profile.parse(source("p.txt", PROFILE.replace("DomainAuthenticated", "Domäne")))
    reading = next(r for r in dump.readings if r.path.endswith("Ethernet0/NetworkCategory"))
    assert (reading.value, reading.valid) == ("Domäne", False)


def test_profile_fixture_is_read_by_content() -> None:
    data = (ROOT / "fixtures/connect/fleet/NAS03/net-profile.txt").read_bytes()
    assert parsers.detect(SourceText.from_bytes("net-profile.txt", data)) is net_profile


CERTS = """PS C:\\> Get-ChildItem Cert:\\LocalMachine\\My | Format-List Subject,DnsNameList,Thumbprint,Issuer,NotBefore,NotAfter,EnhancedKeyUsageList,HasPrivateKey


Subject              : CN=srv02.corp.contoso.com
DnsNameList          : {srv02.corp.contoso.com, srv02}
Thumbprint           : 7a3f9c2e1b8d6a4f0e5c3b2a19f8e7d6c5b4a392
Issuer               : CN=Contoso Issuing CA 01, DC=corp, DC=contoso,
                       DC=com
NotBefore            : 3/14/2026 9:12:44 AM
NotAfter             : 3/14/2027 9:12:44 AM
EnhancedKeyUsageList : {Server Authentication (1.3.6.1.5.5.7.3.1)}
HasPrivateKey        : True
"""


def test_certificates_shape() -> None:
    src = source("certs.txt", CERTS)
    assert parsers.detect(src) is certificates
    dump = certificates.parse(src)
    by = {r.path.rsplit("/", 1)[1]: r for r in dump.readings}
    assert all(r.path.startswith("cert/7A3F9C2E1B8D6A4F0E5C3B2A19F8E7D6C5B4A392/") for r in dump.readings)
    assert by["DnsNameList"].value == ("srv02.corp.contoso.com", "srv02")
    assert by["NotAfter"].value == "2027-03-14" and by["NotAfter"].location.line == 10
    assert by["Issuer"].value == "CN=Contoso Issuing CA 01, DC=corp, DC=contoso, DC=com"
    assert by["HasPrivateKey"].value is True


@pytest.mark.parametrize(
    ("text", "iso"),
    [("3/14/2027 9:12:44 AM", "2027-03-14"), ("14.03.2027 09:12:44", "2027-03-14"), ("2027-03-14 09:12:44", "2027-03-14"),
     ("14/03/2027 09:12:44", "2027-03-14"), ("03/04/2027 09:12:44", None), ("next March", None)],
)
def test_certificate_dates(text: str, iso: str | None) -> None:
    # 03/04/2027 reads as 4 March or 3 April: ambiguous, not guessed
    assert certificates.iso_date(text) == iso


def test_certificate_list_without_thumbprints_is_refused_with_a_line() -> None:
    with pytest.raises(ParseError) as err:
        certificates.parse(source("c.txt", "PS C:\\> dir cert:\\\n\nSubject : CN=x\nThumbprint : nope\n"))
    assert err.value.line == 3


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Subject Thumbprint NotAfter InterfaceAlias NetworkCategory : {},\n0123456789ABCDEF/.")), max_size=400))
def test_parsers_never_raise_anything_but_parse_errors(text: str) -> None:
    src = SourceText.from_text("x.txt", text)
    for parser in (certificates, net_profile):
        try:
            parser.sniff(src)
            parser.parse(src)
        except ParseError:
            pass


GROUPS_DE = """C:\\Windows\\system32>net localgroup Administratoren
Aliasname      Administratoren
Beschreibung   Administratoren haben uneingeschränkten Vollzugriff auf den Computer bzw. die Domäne.

Mitglieder

-------------------------------------------------------------------------------
Administrator
CORP\\Domänen-Admins
CORP\\svc-backup
Der Befehl wurde erfolgreich ausgeführt.

"""


def test_local_groups_in_german() -> None:
    from winrmlint.parsers import local_groups

    src = source("groups.txt", GROUPS_DE)
    assert parsers.detect(src) is local_groups
    [reading] = local_groups.parse(src).readings
    assert reading.path == "localgroup/Administratoren/Members"
    assert reading.value == ("Administrator", "CORP\\Domänen-Admins", "CORP\\svc-backup")
    assert reading.location.line == 2


def test_local_groups_fixture_two_groups() -> None:
    from winrmlint.parsers import local_groups

    data = (ROOT / "fixtures/connect/fleet/NAS03/local-groups.txt").read_bytes()
    dump = local_groups.parse(SourceText.from_bytes("local-groups.txt", data))
    assert {r.path: r.value for r in dump.readings} == {
        "localgroup/Administrators/Members": ("Administrator", "backup"),
        "localgroup/Remote Management Users/Members": ("monitor",),
    }


def test_local_groups_without_a_rule_is_refused() -> None:
    from winrmlint.parsers import local_groups

    with pytest.raises(ParseError):
        local_groups.parse(source("g.txt", "Alias name     Administrators\nMembers\nAdministrator\n"))


def test_dns_answers_table_list_and_missing() -> None:
    from winrmlint.parsers import dns_answers

    data = (ROOT / "fixtures/samples/dns_answers/table_cname_and_missing.txt").read_bytes()
    src = SourceText.from_bytes("dns.txt", data)
    assert parsers.detect(src) is dns_answers
    got = {r.path: (r.value, r.location.line) for r in dns_answers.parse(src).readings}
    assert got == {
        "dns/intranet.corp.contoso.com/CNAME": ("web01.corp.contoso.com", 12),
        "dns/web01.corp.contoso.com/Address": (("10.0.0.21",), 5),
        "dns/web09.corp.contoso.com/Missing": (True, 22),
    }


def test_dns_answers_without_answers_is_refused() -> None:
    from winrmlint.parsers import dns_answers

    with pytest.raises(ParseError):
        dns_answers.parse(source("d.txt", "PS C:\\> Resolve-DnsName\n\nName : x\n"))


# --- what a parser that reads records passes over is said (parsers/skipped.py) ---------------------


def test_a_record_parser_notes_the_blocks_it_did_not_read() -> None:
    text = PROFILE + "\nNote from the admin: the VPN adapter was down\n\n...\n"
    dump = net_profile.parse(source("p.txt", text))
    notes = [(n.location.line, n.message) for n in dump.notes]
    assert (18, "not read (line 18), skipped: `Note from the admin: the VPN adapter was down`") in notes
    assert (20, "elision skipped: ...") in notes
    # the records, the prompt and the blank lines are no skipped text
    assert len(notes) == 2


def test_the_parsers_of_the_connect_inputs_say_what_they_skipped() -> None:
    from winrmlint.parsers import dns_answers, firewall_profile, local_groups

    stray = "\nsee ticket 4711 for the rest\n"
    cases = {
        local_groups: "Alias name     Administrators\nComment        Administrators have complete access\n\nMembers\n\n"
        "-------------------------------------------------------------------------------\nAdministrator\n"
        "CORP\\Domain Admins\nThe command completed successfully.\n",
        dns_answers: "Name                   Type   TTL   Section    IPAddress\n----                   ----   ---   -------    ---------\n"
        "web01.corp.contoso.com A      1200  Answer     10.0.0.21\n",
        firewall_profile: "netsh advfirewall show currentprofile\n\nDomain Profile Settings:\n"
        "----------------------------------------------------------------------\nState                                 ON\n"
        "Firewall Policy                       BlockInbound,AllowOutbound\n\nLogging:\nLogAllowedConnections                 Disable\n\nOk.\n",
        certificates: "Subject      : CN=web01.corp.contoso.com\nThumbprint   : 7A3F9C2E1B8D6A4F0E5C3B2A19F8E7D6C5B4A392\n"
        "NotAfter     : 3/14/2099 9:12:44 AM\n",
    }
    for parser, text in cases.items():
        clean = parser.parse(source("x.txt", text))
        assert not [n for n in clean.notes if "skipped" in n.message], (parser.FORMAT, clean.notes)
        noted = parser.parse(source("x.txt", text + stray))
        skipped = [n.message for n in noted.notes if "skipped" in n.message]
        assert skipped == [f"not read (line {text.count(chr(10)) + 2}), skipped: `see ticket 4711 for the rest`"], (parser.FORMAT, skipped)
