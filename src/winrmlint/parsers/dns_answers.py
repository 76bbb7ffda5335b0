"""Parser for `Resolve-DnsName <name>` captured on the client: what a name resolves to
(connection-model §5, step 9). Both shapes PowerShell prints: the table (`Name Type TTL Section
IPAddress|NameHost`) and, for mixed answers, Format-List records (`QueryType`, `IP4Address`,
`IP6Address`, `NameHost`); and the error for a name that does not exist.

Each name becomes `dns/<name>/Address` (a list), `dns/<name>/CNAME`, or `dns/<name>/Missing`
(true), names in lower case; the collection covers `dns/<name>` for every name it shows.
"""

from __future__ import annotations

import re

from winrmlint.model.values import ParsedDump, ParseError, Reading
from winrmlint.parsers import skipped
from winrmlint.parsers.text import first_output_line, format_list_records, is_prompt
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.parsers.table import Table, find
from winrmlint.source import SourceText

FORMAT = "dns-answers"
PREFIX = "dns"
_HEADER = re.compile(r"^\s*Name\s+Type\s+TTL\s+Section\s+(?:IPAddress|NameHost)\s*$", re.IGNORECASE)
_NAME = re.compile(r"^[\w.\-]+$")
_TYPES = {"a": "Address", "aaaa": "Address", "cname": "CNAME"}
# `Resolve-DnsName : web9.corp.contoso.com : DNS name does not exist`
_MISSING = re.compile(r"^\s*Resolve-DnsName\s*:\s*(?P<name>[\w.\-]+)\s*:\s*DNS name does not exist", re.IGNORECASE)


def _facts(source: SourceText) -> list[tuple[str, str, str, int]]:
    """(name, kind, value, line): kind `Address`, `CNAME` or `Missing`."""
    found: list[tuple[str, str, str, int]] = []
    table: Table | None = None
    for index, line in enumerate(source.lines):
        number = index + 1
        missing = _MISSING.match(line)
        if missing:
            found.append((missing["name"].lower(), "Missing", "true", number))
            continue
        if not line.strip() or is_prompt(line):
            table = None
            continue
        if table is not None and index >= table.rows:
            answer = _answer(table, line)
            if answer is not None:
                found.append((*answer, number))
                continue
        if _HEADER.match(line) or line.lstrip()[:4].lower() == "name":
            header = find(source.lines, index)
            if header is not None and header.has("name") and header.has("type") and header.has("ipaddress", "namehost"):
                table = header
    for record in format_list_records(source):
        fields = {f.name.lower(): f for f in record}
        if "name" not in fields or "querytype" not in fields or "section" not in fields:
            continue
        name = fields["name"].value.strip().lower()
        for key in ("ip4address", "ip6address"):
            if key in fields:
                found.append((name, "Address", fields[key].value.strip(), fields[key].line))
        if "namehost" in fields and fields["querytype"].value.strip().upper() == "CNAME":
            found.append((name, "CNAME", fields["namehost"].value.strip().lower(), fields["namehost"].line))
    return found


def _answer(table: Table, line: str) -> tuple[str, str, str] | None:
    """(name, kind, data) of one table row; None for a line that is no answer row."""
    cells = table.cells(line)
    if cells is None:
        return None
    name, kind, data = table.cell(cells, "name"), table.cell(cells, "type"), table.cell(cells, "ipaddress", "namehost")
    if not (name and kind and data) or name.truncated or data.truncated or not _NAME.match(name.text):
        return None
    kind_name = _TYPES.get(kind.text.lower())
    if kind_name is None or not data.text or " " in data.text:
        return None
    return name.text.lower(), kind_name, data.text.lower() if kind_name == "CNAME" else data.text


@sniffed
def sniff(source: SourceText) -> int:
    head = SourceText(source.uri, source.lines[:80], source.encoding)
    if any(_HEADER.match(line) for line in head.lines) or any(_MISSING.match(line) for line in head.lines):
        return 90
    return 85 if _facts(head) and any("Resolve-DnsName" in line for line in head.lines) else 0


@pasted
def parse(source: SourceText) -> ParsedDump:
    facts = _facts(source)
    if not facts:
        line = first_output_line(source.lines)
        raise ParseError("no Resolve-DnsName answer (A, AAAA or CNAME) and no 'DNS name does not exist'", line)
    dump = ParsedDump(FORMAT)
    skipped.unread_blocks(dump, source, {line for *_, line in facts})
    addresses: dict[str, list[tuple[str, int]]] = {}
    for name, kind, value, line in facts:
        dump.coverage.setdefault(f"{PREFIX}/{name}", source.at(line))
        if kind == "Address":
            addresses.setdefault(name, []).append((value, line))
        elif kind == "CNAME":
            dump.readings.append(Reading(f"{PREFIX}/{name}/CNAME", value, source.at(line), raw=value, origin=FORMAT))
        else:
            dump.readings.append(Reading(f"{PREFIX}/{name}/Missing", True, source.at(line), raw="DNS name does not exist", origin=FORMAT))
    for name, found in addresses.items():
        values = tuple(dict.fromkeys(v for v, _ in found))
        dump.readings.append(Reading(f"{PREFIX}/{name}/Address", values, source.at(found[0][1]), raw=", ".join(values), origin=FORMAT))
    return dump


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="Resolve-DnsName",
    module=__name__,
    commands=(
        r"resolve-dnsname\b(?!\s*:)",
    ),
    command_words=("resolve-dnsname",),
    anchors=("resolve-dnsname", "ttl"),
    samples=Samples("dns_answers", rejected=("list_only.txt", "not_dns.txt")),
)
