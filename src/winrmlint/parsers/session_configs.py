"""Parser for `Get-PSSessionConfiguration` (Format-List or Format-Table): every endpoint's properties."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from winrmlint.model import catalog, paths
from winrmlint.model.values import Note, ParsedDump, ParseError, Reading, Value
from winrmlint.parsers import skipped
from winrmlint.parsers.text import (
    first_content_line,
    is_elision,
    prompt_command,
    strip_comment,
)
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.parsers.table import Cell, Table, find
from winrmlint.source import SourceText

FORMAT = "pssession-configuration"

# Format-List pads names to the longest one and writes ` : `: at least one space before the colon
# (which `S:P(…)` or `http://…` in a wrapped value never has).
_FIELD = re.compile(r"^(?P<indent>\s*)(?P<name>[A-Za-z_][\w\-]*)\s+:(?:\s(?P<value>.*))?$")
# the cmdlet echoed after a prompt, alone or inside a pipeline or script block; not its error
# records (`Get-PSSessionConfiguration : No session configuration matches …`)
_COMMAND = re.compile(r"^(?P<lead>.*?)\bGet-PSSessionConfiguration\b(?!\s*:)(?P<args>.*)$", re.IGNORECASE)
# Format-Table keeps Name first; the other headers are property names, never localised
_TABLE_HEADER = re.compile(r"^\s*Name\s", re.IGNORECASE)
# (`Enabled` alone is every cmdlet's: a firewall rule table has it too)
_TABLE_PROPERTIES = ("PSVersion", "StartupScript", "RunAsUser", "Permission")
_WARNING = re.compile(r"^\s*WARNING:", re.IGNORECASE)
# formats.md: PowerShell cuts a table cell, or a list after four items, with `...` (`…` in 7.x)
_CUT = re.compile(r"(?:\.\.\.|…)\}?$")
_ACE = re.compile(r"^(?P<who>.+?) (?:AccessAllowed|AccessDenied)$")
# winrm-reference.md §6: the principals the default endpoints and Disable-PSRemoting print;
# they settle where a wrapped Permission line broke (inside a name or between words)
_KNOWN_PRINCIPALS = {
    p.lower()
    for p in (
        "NT AUTHORITY\\INTERACTIVE", "NT AUTHORITY\\NETWORK", "NT AUTHORITY\\Authenticated Users",
        "NT AUTHORITY\\ANONYMOUS LOGON", "NT AUTHORITY\\SYSTEM", "NT AUTHORITY\\NETWORK SERVICE",
        "BUILTIN\\Administrators", "BUILTIN\\Remote Management Users", "BUILTIN\\Users",
        "BUILTIN\\Event Log Readers", "Everyone",
    )
}
_KNOWN_DOMAIN_GROUPS = ("\\domain users", "\\domain admins", "\\domain computers")
# each refined break re-reads the whole value: bound the work on absurdly long pastes
_MAX_REFINED_PIECES = 64
# pipeline stages that reformat without dropping endpoints; any other stage (where, select -First)
# or a -Name filter means the listing may be partial
_FORMATTERS = re.compile(
    r"^(?:fl|ft|format-list|format-table|select|select-object|out-string|out-file|out-host|sort|"
    r"sort-object|more|tee-object)\b(?!.*-(?:first|last|skip|index)\b)",
    re.IGNORECASE,
)
_UNFILTERED_ARGS = re.compile(r"^(?:\s+(?:-Force|\*|-Name\s+\*|-Name\s+'\*'|-Name\s+\"\*\"))*\s*$", re.IGNORECASE)


@dataclass
class _Field:
    """A property as printed: its first line, and each wrapped piece with how it was wrapped."""

    name: str
    line: int
    value_column: int
    pieces: list[tuple[str, str, int]] = field(default_factory=list)  # (text, wrap kind, line length)


@dataclass
class _Block:
    """The output of one command (or of the whole file when no command is echoed)."""

    command_line: int | None = None
    complete_listing: bool = False
    foreign: bool = False  # the output of another command in a transcript
    records: list[list[_Field]] = field(default_factory=list)
    cut: bool = False


@dataclass
class _Reader:
    """The parse in progress: command blocks, and the paragraph state of the current line."""

    source: SourceText
    dump: ParsedDump
    blocks: list[_Block] = field(default_factory=list)
    skipping: bool = False  # inside a WARNING or error paragraph, until a paragraph break
    blank_since_piece: bool = False  # a paragraph break since the last field line: records end there

    @property
    def block(self) -> _Block:
        if not self.blocks:
            self.blocks.append(_Block())
        return self.blocks[-1]


@sniffed
def sniff(source: SourceText) -> int:
    names: set[str] = set()
    for index, raw in enumerate(source.lines[:60]):
        if _command(raw) is not None:
            return 95
        if _table_at(source.lines, index) is not None:
            return 90
        match = _FIELD.match(raw.rstrip())
        if match:
            names.add(match.group("name").lower())
    if "permission" in names and names & {"psversion", "startupscript", "runasuser", "securitydescriptorsddl"}:
        return 90
    return 0


@pasted
def parse(source: SourceText) -> ParsedDump:
    reader = _Reader(source, ParsedDump(FORMAT))
    lines = source.lines
    index = 0
    while index < len(lines):
        index = _line(reader, index)
    # the console width Format-List wrapped at: its widest line
    width = max(
        (piece[2] for block in reader.blocks for record in block.records for f in record for piece in f.pieces),
        default=0,
    )
    ours = [b for b in reader.blocks if not b.foreign]
    if not any(b.records or b.command_line for b in ours):
        raise ParseError("no `Get-PSSessionConfiguration` command or record found", first_content_line(lines))
    for block in ours:
        _emit(reader, block, width)
    return reader.dump


def _line(reader: _Reader, index: int) -> int:
    """Read the line at `index`; returns the index of the next line to read."""
    source, number = reader.source, index + 1
    raw = source.lines[index]
    line = raw.expandtabs(8).rstrip()
    if not line.strip():
        reader.skipping = False
        reader.blank_since_piece = True
        return index + 1
    command = _command(raw)
    if command is not None or prompt_command(raw) is not None:
        ours = command is not None
        reader.blocks.append(_Block(number if ours else None, ours and _unfiltered(command or ""), not ours))
        reader.skipping = False
        reader.blank_since_piece = True
        return index + 1
    if reader.skipping or reader.block.foreign:
        return index + 1
    if _WARNING.match(line):
        reader.skipping = True
        return index + 1
    if is_elision(line):
        reader.block.cut = True
        _note(reader, number, f"elision `{line.strip()}` skipped: the listing is not complete")
        return index + 1
    table = _table_at(source.lines, index)
    if table is not None:
        return _table(reader, table)
    _list_line(reader, number, line)
    return index + 1


def _list_line(reader: _Reader, number: int, line: str) -> None:
    records = reader.block.records
    current = records[-1] if records else None
    last = current[-1] if current else None
    indent = len(line) - len(line.lstrip())
    match = _FIELD.match(line)
    # a `Name : value` shape at or past the value column is wrapped text, not a property
    if match is not None and (last is None or indent < last.value_column):
        name = match.group("name")
        if "-" in name:
            # `Get-PSSessionConfiguration : Access is denied…`: an error record, not a property
            _note(reader, number, f"error skipped: `{line.strip()[:120]}`")
            reader.skipping = True
            return
        # Format-List ends a record with a blank line; a repeated name ends one too (a paste
        # that lost its blank lines)
        if current is None or reader.blank_since_piece or any(f.name.lower() == name.lower() for f in current):
            current = []
            records.append(current)
        value = strip_comment(match.group("value") or "").strip()
        entry = _Field(name, number, line.index(":", indent) + 2)
        entry.pieces.append((value, "first", len(line)))
        current.append(entry)
        reader.blank_since_piece = False
        return
    if last is not None and indent >= last.value_column:
        # PowerShell wraps a long value to the value column, dropping the space it broke at
        last.pieces.append((line.strip(), "indented", len(line)))
        reader.blank_since_piece = False
        return
    if last is not None and not reader.blank_since_piece and not line.lstrip().startswith(("#", "//")):
        # a console or editor wrap: the rest of the value from column 0, cut anywhere
        last.pieces.append((line.strip(), "column0", len(line)))
        return
    _note(reader, number, skipped.message(line))


def _table(reader: _Reader, table: Table) -> int:
    """`Get-PSSessionConfiguration | Format-Table`: one record per row, `ft -Wrap` rows continued."""
    source = reader.source
    row_index = table.rows
    block = reader.block
    while row_index < len(source.lines):
        line = source.lines[row_index].expandtabs(8).rstrip()
        if not line.strip() or prompt_command(line) is not None or _command(line) is not None:
            break
        cells = table.cells(line)
        if cells is None:
            _note(reader, row_index + 1, f"table row not understood, skipped: `{line.strip()[:80]}`")
        elif block.records and _continues(block.records[-1], cells, table):
            for entry in block.records[-1]:
                cell = cells.get(entry.name.lower())
                if cell is not None and cell.text:
                    entry.pieces.append((cell.text, "cell", 0))
        else:
            block.records.append(_row_fields(table, cells, row_index + 1))
        row_index += 1
    return row_index


def _continues(record: list[_Field], cells: dict[str, Cell], table: Table) -> bool:
    """Whether a row carries on the record above (`Format-Table -Wrap`).

    Such a row leaves the first cell empty, or continues a first cell that filled its column;
    then a short cell the record's first row had (Enabled, PSVersion) stays empty.
    """
    first, *others = [cells[c.name.lower()].text for c in table.columns]
    if not first:
        return True
    width = table.bounds[0] - table.columns[0].start if len(table.columns) > 1 else 0
    name = record[0].pieces[-1][0]
    if len(name) != width or _CUT.search(name):
        return False
    return any(f.pieces[0][0] and not cell for f, cell in zip(record[1:], others))


def _row_fields(table: Table, cells: dict[str, Cell], number: int) -> list[_Field]:
    fields = []
    for column in table.columns:
        entry = _Field(column.name, number, column.start)
        entry.pieces.append((cells[column.name.lower()].text, "first", 0))
        fields.append(entry)
    return fields


def _emit(reader: _Reader, block: _Block, width: int) -> None:
    source, dump = reader.source, reader.dump
    named = 0
    for record in block.records:
        name_field = next((f for f in record if f.name.lower() == "name"), None)
        name = _join(name_field, width) if name_field else ""
        if not name or _CUT.search(name):
            what = f"name `{name}` cut by the table" if name else "no Name"
            _note(reader, record[0].line, f"session configuration with {what}: its properties are skipped")
            block.cut = True
            continue
        named += 1
        for entry in record:
            value = _join(entry, width)
            path = f"{paths.SESSION_CONFIGS}/{name}/{entry.name}"
            cut = bool(_CUT.search(value))
            typed, valid = (value, False) if cut else _typed(entry.name, value)
            dump.readings.append(
                Reading(path, typed, source.at(entry.line), raw=value, valid=valid, truncated=cut, origin=FORMAT)
            )
    ended = block is not reader.blocks[-1] or source.lines[-1] == ""
    if block.complete_listing and named and not block.cut and ended and block.command_line is not None:
        dump.coverage.setdefault(paths.SESSION_CONFIGS, source.at(block.command_line))


def _typed(name: str, value: str) -> tuple[Value, bool]:
    if name.lower() == "enabled":
        return catalog.coerce("bool", value)
    return value, True


def _join(entry: _Field, width: int) -> str:
    """The value with its wrapped pieces put back together (see `_separator`)."""
    pieces = entry.pieces
    seps = [_separator(prev, piece, width) for prev, piece in zip(pieces, pieces[1:])]
    if entry.name.lower() == "permission" and len(pieces) <= _MAX_REFINED_PIECES:
        # where a wrap is ambiguous, the reading that yields well-formed, known ACEs wins
        for i, sep in enumerate(seps):
            trial = [*seps[:i], "" if sep else " ", *seps[i + 1 :]]
            if _permission_score(_assemble(pieces, trial)) > _permission_score(_assemble(pieces, seps)):
                seps = trial
    return _assemble(pieces, seps)


def _separator(prev: tuple[str, str, int], piece: tuple[str, str, int], width: int) -> str:
    text, kind, _ = piece
    head, _, head_length = prev
    if kind == "column0" or not text:
        return ""
    if kind == "cell":
        # `Format-Table -Wrap` breaks a cell at a space when it can, else inside the word
        return " " if " " in head or head.endswith(",") else ""
    # PowerShell word-wraps at spaces and splits only a word longer than the line: a head that is
    # one token filling the widest line was split inside that token
    if " " not in head and head_length >= width and not head.endswith(","):
        return ""
    return " "


def _assemble(pieces: list[tuple[str, str, int]], seps: list[str]) -> str:
    return pieces[0][0] + "".join(sep + piece[0] for sep, piece in zip(seps, pieces[1:]))


def _permission_score(text: str) -> int:
    score = 0
    for item in (part.strip() for part in text.split(",")):
        ace = _ACE.match(item)
        if ace is None:
            continue
        who = ace.group("who").lower()
        score += 1 + (who in _KNOWN_PRINCIPALS or who.endswith(_KNOWN_DOMAIN_GROUPS))
    return score


def _command(raw: str) -> str | None:
    """An echoed command line that runs `Get-PSSessionConfiguration` (the whole command), else None.

    Without a prompt the line must start with the cmdlet: prose that names it is not a command.
    """
    typed = prompt_command(raw)
    text = (typed if typed is not None else raw).strip()
    match = _COMMAND.match(text)
    if match is None or (typed is None and match.group("lead")):
        return None
    return text


def _unfiltered(command: str) -> bool:
    """Whether the command lists every endpoint: the cmdlet first, no -Name filter, no Where-Object
    or `select -First` downstream; anything wrapped around it (Invoke-Command) is not judged."""
    match = _COMMAND.match(command)
    if match is None or match.group("lead"):
        return False
    first, *stages = match.group("args").split("|")
    return bool(_UNFILTERED_ARGS.match(first)) and all(_FORMATTERS.match(s.strip()) for s in stages)


def _table_at(lines: tuple[str, ...], index: int) -> Table | None:
    """A Format-Table header at `index`: Name and another of the cmdlet's properties, underlined."""
    if not _TABLE_HEADER.match(lines[index]):
        return None
    table = find(lines, index)
    return table if table is not None and table.has("name") and table.has(*_TABLE_PROPERTIES) else None


def _note(reader: _Reader, number: int, message: str) -> None:
    reader.dump.notes.append(Note(message, reader.source.at(number)))


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="Get-PSSessionConfiguration",
    module=__name__,
    commands=(
        r"get-pssessionconfiguration\b(?!\s*:)",
    ),
    command_words=("get-pssessionconfiguration",),
    anchors=("get-pssessionconfiguration", "psversion", "startupscript", "runasuser", "permission", "enabled", "securitydescriptorsddl"),
    samples=Samples("session_configs"),
)
