"""Parser for the server's certificates: `Get-ChildItem Cert:\\LocalMachine\\My | Format-List
Subject,DnsNameList,Thumbprint,Issuer,NotBefore,NotAfter,EnhancedKeyUsageList,HasPrivateKey`
(connection-model §5, step 12: what an HTTPS listener's thumbprint names).

Each certificate becomes `cert/<THUMBPRINT>/<Property>`; dates are read in the shapes PowerShell
prints them under common cultures (`3/14/2027 9:12:44 AM`, `14.03.2027 09:12:44`,
`2027-03-14 09:12:44`, `14/03/2027 09:12:44`) and kept as ISO dates; a date that cannot be read
is kept as written and marked invalid. The collection covers `cert`.
"""

from __future__ import annotations

import re
from datetime import datetime

from winrmlint.model.values import ParsedDump, ParseError, Reading
from winrmlint.parsers.text import Field, field_value, first_output_line, format_list_records, is_prompt
from winrmlint.parsers import skipped
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.parsers.table import find
from winrmlint.source import SourceText

FORMAT = "certificate-list"
PREFIX = "cert"
_THUMBPRINT = re.compile(r"^[0-9A-Fa-f]{40}$")
_WANTED = {"subject", "thumbprint"}
_TYPICAL = {"notafter", "notbefore", "issuer", "dnsnamelist", "hasprivatekey", "enhancedkeyusagelist"}
_DATES = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S",
          "%m/%d/%Y", "%d.%m.%Y", "%Y-%m-%d")


def _records(source: SourceText) -> list[dict[str, Field]]:
    found = []
    for record in [*format_list_records(source), *_table_rows(source)]:
        fields = {f.name.lower(): f for f in record}
        if _WANTED <= fields.keys() and _THUMBPRINT.match(field_value(fields["thumbprint"])):
            found.append(fields)
    return sorted(found, key=lambda fields: fields["thumbprint"].line)


def _table_rows(source: SourceText) -> list[list[Field]]:
    """`Get-ChildItem Cert:\\LocalMachine\\My` as printed by default: a `Thumbprint  Subject` table
    (PowerShell 7 adds `EnhancedKeyUsageList`), a long Subject cut with `...`."""
    rows: list[list[Field]] = []
    lines = source.lines
    index = 0
    while index < len(lines):
        table = find(lines, index) if lines[index].lstrip()[:10].lower() == "thumbprint" else None
        if table is None or not table.has("thumbprint"):
            index += 1
            continue
        index = table.rows
        while index < len(lines) and lines[index].strip() and not is_prompt(lines[index]):
            cells = table.cells(lines[index])
            if cells is not None:
                rows.append([Field(c.name, cells[c.name.lower()].text, index + 1, cells[c.name.lower()].truncated)
                             for c in table.columns])
            index += 1
    return rows


@sniffed
def sniff(source: SourceText) -> int:
    head = SourceText(source.uri, source.lines[:120], source.encoding)
    records = _records(head)
    if any(len(_TYPICAL & r.keys()) >= 2 for r in records):
        return 93
    # the default table shows only Thumbprint and Subject: the provider's path says where they come from
    return 90 if records and any("certificate::" in line.lower() or "cert:" in line.lower() for line in head.lines) else 0


def iso_date(text: str) -> str | None:
    """A date as PowerShell printed it, as `YYYY-MM-DD`; None when no known shape fits (a
    day-first and a month-first reading that disagree are not guessed between)."""
    text = " ".join(text.split())
    readings = set()
    for shape in _DATES:
        try:
            readings.add(datetime.strptime(text, shape).date().isoformat())
        except ValueError:
            continue
    return readings.pop() if len(readings) == 1 else None


def _list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.strip().strip("{}").split(",") if part.strip())


@pasted
def parse(source: SourceText) -> ParsedDump:
    records = _records(source)
    if not records:
        line = first_output_line(source.lines)
        raise ParseError("no certificate record with Subject and a 40-digit Thumbprint", line)
    dump = ParsedDump(FORMAT)
    for fields in records:
        thumb = field_value(fields["thumbprint"]).upper()
        key = f"{PREFIX}/{thumb}"
        dump.coverage.setdefault(PREFIX, source.at(fields["thumbprint"].line))
        for name, f in fields.items():
            raw = field_value(f)
            value: str | tuple[str, ...] | bool = raw
            valid = True
            if name in ("notafter", "notbefore"):
                iso = iso_date(raw)
                value, valid = (iso, True) if iso else (raw, False)
            elif name in ("dnsnamelist", "enhancedkeyusagelist"):
                value = _list(raw)
            elif name == "hasprivatekey":
                value, valid = raw.lower() == "true", raw.lower() in ("true", "false")
            dump.readings.append(Reading(f"{key}/{f.name}", value, source.at(f.line), raw=raw, valid=valid,
                                         truncated=f.truncated, origin=FORMAT))
    skipped.unread_blocks(dump, source, {f.line for fields in records for f in fields.values()})
    return dump


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="Get-ChildItem Cert:",
    module=__name__,
    commands=(
        r"(?:get-childitem|gci|dir|ls)\b[^|\n]*\bcert:",
    ),
    command_words=("cert:",),
    anchors=("thumbprint",),
    samples=Samples("certificates", rejected=("bad_thumbprint.txt",)),
)
