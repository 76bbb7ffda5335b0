"""Parser for `Get-NetConnectionProfile` (Format-List, its default view): the network category
Windows Firewall applies per interface, which decides whether a Domain, Private or Public rule
admits a WinRM client (connection-model §5, step 11).

Property names and enum values are not localised; each record becomes
`network/profile/<InterfaceAlias>/NetworkCategory` (and `Name`), and the collection covers
`network/profile` (an interface not listed has no active profile).
"""

from __future__ import annotations

from winrmlint.model.values import ParsedDump, ParseError, Reading
from winrmlint.parsers import skipped
from winrmlint.parsers.text import field_value, first_output_line, format_list_records
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.source import SourceText

FORMAT = "net-connection-profile"
PREFIX = "network/profile"
CATEGORIES = {"public": "Public", "private": "Private", "domainauthenticated": "DomainAuthenticated"}
_REQUIRED = {"interfacealias", "networkcategory"}
_TYPICAL = {"name", "interfaceindex", "ipv4connectivity", "ipv6connectivity"}


def _records(source: SourceText) -> list[dict[str, tuple[str, int]]]:
    found = []
    for record in format_list_records(source):
        fields = {f.name.lower(): (field_value(f), f.line) for f in record}
        if _REQUIRED <= fields.keys():
            found.append(fields)
    return found


@sniffed
def sniff(source: SourceText) -> int:
    head = SourceText(source.uri, source.lines[:80], source.encoding)
    for fields in _records(head):
        if len(_TYPICAL & fields.keys()) >= 2:
            return 92
    return 0


@pasted
def parse(source: SourceText) -> ParsedDump:
    dump = ParsedDump(FORMAT)
    records = _records(source)
    if not records:
        line = first_output_line(source.lines)
        raise ParseError("no Get-NetConnectionProfile record with InterfaceAlias and NetworkCategory", line)
    for fields in records:
        alias, alias_line = fields["interfacealias"]
        raw, line = fields["networkcategory"]
        category = CATEGORIES.get(raw.lower())
        key = f"{PREFIX}/{alias}"
        dump.readings.append(Reading(f"{key}/NetworkCategory", category or raw, source.at(line), raw=raw,
                                     valid=category is not None, origin=FORMAT))
        if "name" in fields:
            name, name_line = fields["name"]
            dump.readings.append(Reading(f"{key}/Name", name, source.at(name_line), raw=name, origin=FORMAT))
        dump.coverage.setdefault(PREFIX, source.at(alias_line))
    skipped.unread_blocks(dump, source, {line for fields in records for _, line in fields.values()})
    return dump


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="Get-NetConnectionProfile",
    module=__name__,
    commands=(
        r"get-netconnectionprofile\b(?!\s*:)",
    ),
    command_words=("get-netconnectionprofile",),
    anchors=("networkcategory",),
    samples=Samples("net_profile", rejected=("not_a_profile.txt",)),
)
