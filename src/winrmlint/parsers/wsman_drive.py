"""Parser for `Get-ChildItem`/`Get-Item` on the `WSMan:` drive, mapped onto the paths of `winrm get`.

Each table follows a `WSManConfig: Microsoft.WSMan.Management\\WSMan::<computer>\\<container>`
header; `Shell` is `winrs`, `Listener\\Listener_<n>` is one listener (its `ListeningOn_<n>` rows
gathered into one `ListeningOn` list), and `Container` rows are only names of child containers.

Coverage (absent means Windows default, and the model reads keys as path prefixes):
- a table is complete when it is not cut (no elision, no name it cannot resolve, it ends before
  the file does), does not follow an echoed `Get-Item` of one entry, and lists every catalog
  setting of its container (but `AllowRemoteAccess`, which WinRM 2.0 lacks, and `spn_prefix`,
  shown only when set);
- a complete table whose child containers (`Auth`, `DefaultPorts`, …; `Plugin` and
  `ClientCertificate` are not modelled) are all complete in the same file covers its container,
  e.g. `winrm/config/service` needs the Service, Service\\Auth and Service\\DefaultPorts tables;
- otherwise a complete table covers only its own settings, each by its full path
  (`winrm/config/service/MaxConnections`, …), so the children's defaults are never assumed;
- a complete `Listener_<n>` table covers `winrm/config/listener/<Address>+<Transport>`, and shows
  the listener listening nowhere when it has no `ListeningOn_<n>` row (about_Remote_Troubleshooting);
- the `Listener` table covers `winrm/config/listener` when every listener it names is complete.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from winrmlint.model import catalog, paths
from winrmlint.model.values import Note, ParsedDump, ParseError, Reading, Source
from winrmlint.parsers import skipped
from winrmlint.parsers.text import (
    first_content_line,
    is_elision,
    prompt_command,
    strip_comment,
)
from winrmlint.parsers.winrm_config import OPTIONAL
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.parsers.table import Table, find, is_underline
from winrmlint.source import Location, SourceText

FORMAT = "wsman-drive"

_HEADER = re.compile(r"^\s*WSManConfig\s*:\s*(?P<rest>(?:.*\S)?)\s*$", re.IGNORECASE)
_PROVIDER_PATH = re.compile(r"^(?:Microsoft\.WSMan\.Management\\)?WSMan::(?P<path>.*)$", re.IGNORECASE)
_COLUMNS = re.compile(r"^\s*(?:Type\s+Name\s+SourceOfValue\s+Value|Type\s+Keys\s+Name|Name\s+Value\s+Type)\b",
                      re.IGNORECASE)
_TYPE = re.compile(r"^(?:System\.[\w.\[\]]+|Container)$", re.IGNORECASE)
_COMMAND = re.compile(r"^(?:Get-ChildItem|Get-Item|gci|gi|dir|ls)(?:\s|$)", re.IGNORECASE)
_SINGLE_ITEM = re.compile(r"^(?:Get-Item|gi)\s+(?!.*[*?])", re.IGNORECASE)
_CUT = re.compile(r"(?:\.\.\.|…)$")
_LISTENING_ON = "listeningon_"
# the drive names containers as WSMan: does; the logical paths use winrm get's names
_SEGMENTS = {"client": "client", "service": "service", "shell": "winrs", "auth": "auth",
             "defaultports": "DefaultPorts", "listener": "listener"}
_UNMODELLED = {"plugin", "clientcertificate"}
_LOCAL_NAMES = {"localhost", "."}


@dataclass(frozen=True)
class _Row:
    """One table row, its cells as printed (stripped); absent columns are empty."""

    type: str
    name: str
    source: str
    value: str
    keys: str
    line: int


@dataclass
class _Table:
    """One `WSManConfig:` table: whose it is, which container, its rows, and whether it is whole."""

    computer: str
    segments: tuple[str, ...]
    line: int
    rows: list[_Row] = field(default_factory=list)
    ended: bool = False
    cut: bool = False
    single_item: bool = False

    @property
    def path(self) -> str:
        return "/".join([catalog.ROOT, *(_SEGMENTS.get(s.lower(), s) for s in self.segments)])

    @property
    def is_listener_list(self) -> bool:
        return [s.lower() for s in self.segments] == ["listener"]

    @property
    def listener_name(self) -> str | None:
        if len(self.segments) == 2 and self.segments[0].lower() == "listener":
            return self.segments[1]
        return None


@dataclass
class _Reader:
    """The parse in progress: tables read, the last echoed command, what was found complete."""

    source: SourceText
    dump: ParsedDump
    tables: list[_Table] = field(default_factory=list)
    command: str = ""
    complete: dict[str, Location] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    whole_listeners: set[str] = field(default_factory=set)  # `listener_<n>` tables read whole

    def note(self, number: int, message: str) -> None:
        self.dump.notes.append(Note(message, self.source.at(number)))


@sniffed
def sniff(source: SourceText) -> int:
    score = 0
    for raw in source.lines[:60]:
        if _HEADER.match(raw) and "wsman::" in raw.lower():
            return 95
        if _COLUMNS.match(raw):
            score = max(score, 85)
    return score


@pasted
def parse(source: SourceText) -> ParsedDump:
    reader = _Reader(source, ParsedDump(FORMAT))
    index = 0
    while index < len(source.lines):
        index = _line(reader, index)
    if not reader.tables:
        first = next((n for n, line in enumerate(source.lines, start=1) if _HEADER.match(line)), None)
        first = first or first_content_line(source.lines)
        raise ParseError("no `WSManConfig:` table of the WSMan: drive found", first)
    _host_names(reader)
    listeners = _listener_keys(reader)
    for table in reader.tables:
        if table.listener_name is not None:
            _listener_table(reader, table, listeners)
        elif not table.is_listener_list:
            _config_table(reader, table)
    # last: whether the Listener table is whole depends on its listeners' own tables
    detailed = {t.listener_name.lower() for t in reader.tables if t.listener_name is not None}
    for table in reader.tables:
        if table.is_listener_list:
            _listener_list(reader, table, detailed)
    _coverage(reader)
    return reader.dump


def _line(reader: _Reader, index: int) -> int:
    raw = reader.source.lines[index]
    text = raw.strip()
    if not text:
        return index + 1
    header = _HEADER.match(raw)
    if header:
        return _table(reader, index, header.group("rest"))
    command = _command(raw)
    if command is not None:
        reader.command = command
    elif is_elision(text):
        reader.note(index + 1, f"elision `{text}` skipped")
    else:
        reader.note(index + 1, skipped.message(text))
    return index + 1


def _command(raw: str) -> str | None:
    typed = prompt_command(raw)
    if typed is not None:
        return typed
    return raw.strip() if _COMMAND.match(raw.strip()) else None


def _table(reader: _Reader, index: int, rest: str) -> int:
    """Read the table under a `WSManConfig:` header; returns the index after its last row."""
    lines, number = reader.source.lines, index + 1
    head = index + 1
    while head < len(lines) and not lines[head].strip():
        head += 1
    columns = find(lines, head) if head < len(lines) else None
    if columns is None and not (head + 1 < len(lines) and is_underline(lines[head + 1])):
        reader.note(number, "`WSManConfig:` header without a table under it")
        return index + 1
    provider = _PROVIDER_PATH.match(rest)
    parts = [p for p in provider.group("path").split("\\") if p] if provider else []
    if len(parts) == 0 or parts[0].lower() == "wsman":
        # `WSManConfig:` over `ComputerName Type`: the connected computers, no configuration
        return _skip_rows(lines, head + 2)
    if columns is None:
        reader.note(head + 1, "table header not understood: table skipped")
        return _skip_rows(lines, head + 2)
    table = _Table(parts[0], tuple(parts[1:]), number, single_item=bool(_SINGLE_ITEM.match(reader.command)))
    reader.tables.append(table)
    row_index, last_row = columns.rows, columns.rows - 1
    while row_index < len(lines):
        raw = lines[row_index]
        text = raw.strip()
        if _HEADER.match(raw) or (text and _command(raw) is not None):
            break
        if is_elision(text):
            table.cut = True
            reader.note(row_index + 1, f"elision `{text}` inside a table: the table is not complete")
        elif text:
            # rows may have blank lines between them (Q&A pastes); a line that is no row ends it
            row = _row(raw.expandtabs(8).rstrip(), columns, row_index + 1)
            if row is None:
                break
            table.rows.append(row)
            last_row = row_index
        row_index += 1
    # a paste cut off mid-table has no line (not even the final newline's) after its last row
    table.ended = last_row + 1 < len(lines)
    return row_index


def _skip_rows(lines: tuple[str, ...], index: int) -> int:
    while index < len(lines) and lines[index].strip() and not _HEADER.match(lines[index]):
        index += 1
    return index


def _row(line: str, columns: Table, number: int) -> _Row | None:
    names = [c.name.lower() for c in columns.columns]
    cells = columns.cells(line)
    tokens = _token_cells(line, names) if cells is None else None
    if cells is None and tokens is None:
        return None
    cell = {name: cell.text for name, cell in cells.items()} if cells is not None else dict(zip(names, tokens or ()))
    kind, name = cell.get("type", ""), cell.get("name", "")
    if not name or ("type" in cell and not _TYPE.match(kind)):
        return None
    value = strip_comment(cell.get("value", ""))  # `2147483647 # 10` (formats.md: hand edits)
    return _Row(kind, name, cell.get("sourceofvalue", ""), value, cell.get("keys", ""), number)


def _token_cells(line: str, names: list[str]) -> tuple[str, ...] | None:
    """A row that does not line up with its header (a hand-shifted line): split by words."""
    words = line.split()
    if names == ["type", "name", "sourceofvalue", "value"] and len(words) >= 2:
        rest = line.split(words[1], 1)[1].strip()
        source = "GPO" if rest == "GPO" or rest.startswith("GPO ") else ""
        return words[0], words[1], source, rest[len(source):].strip()
    if names == ["type", "keys", "name"] and "{" in line:
        keys = line[line.index("{") : line.rindex("}") + 1] if "}" in line else ""
        return words[0], keys, words[-1]
    return None


def _host_names(reader: _Reader) -> None:
    seen: dict[str, int] = {}
    for table in reader.tables:
        seen.setdefault(table.computer.lower(), table.line)
        name = table.computer
        if name.lower() in _LOCAL_NAMES or _is_ip(name) or any(r.value == name for r in reader.dump.host_names):
            continue
        path = paths.HOST_FQDN if "." in name else paths.HOST_NAME
        reader.dump.host_names.append(Reading(path, name, reader.source.at(table.line), raw=name, origin=FORMAT))
    if len(seen) > 1:
        names = ", ".join(sorted(seen))
        reader.note(max(seen.values()), f"tables of several computers ({names}) in one file: their values are merged")


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def _listener_keys(reader: _Reader) -> dict[str, tuple[str, str]]:
    """`Listener_<n>` → (Address, Transport) from the `Listener` tables' `Keys` column."""
    found: dict[str, tuple[str, str]] = {}
    for table in reader.tables:
        if table.is_listener_list:
            for row in table.rows:
                keys = _keys(row.keys)
                if "address" in keys and "transport" in keys:
                    found[row.name.lower()] = (keys["address"], keys["transport"])
    return found


def _keys(text: str) -> dict[str, str]:
    """`{Transport=HTTP, Address=*}`; a key cut by the table (`Address=IP:10.0...`) is left out."""
    inner = text.strip().removeprefix("{").removesuffix("}")
    pairs = (part.partition("=") for part in inner.split(","))
    return {k.strip().lower(): v.strip() for k, sep, v in pairs if sep and v.strip() and not _CUT.search(v.strip())}


def _config_table(reader: _Reader, table: _Table) -> None:
    container = table.path
    candidates = [s.name for s in catalog.SETTINGS if s.container.lower() == container.lower()]
    names: set[str] = set()
    unresolved = False
    for row in table.rows:
        if row.type.lower() == "container":
            reader.children.setdefault(container, [])
            if row.name.lower() not in _UNMODELLED:
                reader.children[container].append(f"{container}/{_SEGMENTS.get(row.name.lower(), row.name)}")
            continue
        name = _resolve(reader, row, candidates)
        if name is None:
            unresolved = True
            continue
        path = catalog.canonical(f"{container}/{name}")
        names.add(path.lower())
        reader.dump.readings.append(_reading(reader, path, row))
    required = {s.path.lower() for s in catalog.SETTINGS if s.container.lower() == container.lower()}
    required -= {p.lower() for p in OPTIONAL}
    if required and required <= names and _whole(table) and not unresolved:
        reader.complete.setdefault(container, reader.source.at(table.line))


def _whole(table: _Table) -> bool:
    return table.ended and not table.cut and not table.single_item


def _resolve(reader: _Reader, row: _Row, candidates: list[str]) -> str | None:
    """The row's name; a name the table cut is completed when one candidate alone fits it."""
    if not _CUT.search(row.name):
        return row.name
    prefix = _CUT.sub("", row.name).lower()
    matches = [c for c in candidates if c.lower().startswith(prefix)]
    if len(matches) == 1:
        return matches[0]
    reader.note(row.line, f"name `{row.name}` cut by the table matches no single known setting: skipped")
    return None


def _reading(reader: _Reader, path: str, row: _Row) -> Reading:
    source = Source.GPO if row.source.upper() == "GPO" else Source.LOCAL
    location = reader.source.at(row.line)
    if _CUT.search(row.value):
        # a value the table cut short is not the value (formats.md § WSMan: drive)
        return Reading(path, row.value, location, source, row.value, valid=False, truncated=True, origin=FORMAT)
    value, valid = catalog.coerce(catalog.type_of(path), row.value)
    return Reading(path, value, location, source, row.value, valid=valid, origin=FORMAT)


def _listener_list(reader: _Reader, table: _Table, detailed: set[str]) -> None:
    """The `Listener` table: which listeners exist; their properties are in `detailed` tables."""
    for row in table.rows:
        if row.name.lower() in detailed:
            continue
        keys = _keys(row.keys)
        if "address" not in keys or "transport" not in keys:
            reader.note(row.line, f"listener `{row.name}` keys `{row.keys}` cut or missing: listener skipped")
            continue
        # only the Keys column shows this listener: record that it exists
        for prop in ("Address", "Transport"):
            path = catalog.listener_path(keys["address"], keys["transport"], prop)
            value = keys[prop.lower()]
            reader.dump.readings.append(Reading(path, value, reader.source.at(row.line), raw=value, origin=FORMAT))
    if _whole(table) and all(r.name.lower() in reader.whole_listeners for r in table.rows):
        reader.complete[catalog.LISTENERS] = reader.source.at(table.line)


def _listener_table(reader: _Reader, table: _Table, listeners: dict[str, tuple[str, str]]) -> None:
    name = table.listener_name or ""
    rows = {r.name.lower(): r for r in table.rows if not r.name.lower().startswith(_LISTENING_ON)}
    address, transport = listeners.get(name.lower(), ("", ""))
    for key in ("address", "transport"):
        row = rows.get(key)
        if row is not None and row.value and not _CUT.search(row.value):
            address, transport = (row.value, transport) if key == "address" else (address, row.value)
    if not address or not transport:
        reader.note(table.line, f"`{name}` shows no Address and Transport: its values are skipped")
        return
    candidates = list(catalog.LISTENER_PROPERTIES)
    listening: list[_Row] = []
    shown: set[str] = set()
    for row in table.rows:
        if row.name.lower().startswith(_LISTENING_ON):
            listening.append(row)
            continue
        prop = _resolve(reader, row, candidates)
        if prop is None:
            continue
        shown.add(prop.lower())
        reader.dump.readings.append(_reading(reader, catalog.listener_path(address, transport, prop), row))
    complete = _whole(table) and {p.lower() for p in catalog.LISTENER_PROPERTIES if p != "ListeningOn"} <= shown
    path = catalog.listener_path(address, transport, "ListeningOn")
    if listening:
        reader.dump.readings.append(_listening_on(reader, path, listening))
    elif complete:
        # no ListeningOn_<n> row in a whole listener table: it listens on no address
        reader.dump.readings.append(Reading(path, (), reader.source.at(table.line), raw="", origin=FORMAT))
    if complete:
        reader.whole_listeners.add(name.lower())
        reader.complete.setdefault(catalog.listener_path(address, transport), reader.source.at(table.line))


def _listening_on(reader: _Reader, path: str, rows: list[_Row]) -> Reading:
    raw = ", ".join(r.value for r in rows)
    source = Source.GPO if any(r.source.upper() == "GPO" for r in rows) else Source.LOCAL
    location = reader.source.at(rows[0].line)
    if any(_CUT.search(r.value) for r in rows):
        return Reading(path, raw, location, source, raw, valid=False, truncated=True, origin=FORMAT)
    return Reading(path, tuple(r.value for r in rows if r.value), location, source, raw, origin=FORMAT)


def _coverage(reader: _Reader) -> None:
    complete, children = reader.complete, reader.children

    def whole(path: str) -> bool:
        return path in complete and all(whole(child) for child in children.get(path, []))

    for path, location in complete.items():
        if path == catalog.LISTENERS or path.startswith(catalog.LISTENERS + "/"):
            reader.dump.coverage[path] = location
        elif path.startswith(catalog.ROOT) and whole(path):
            reader.dump.coverage[path] = location
        elif path.startswith(catalog.ROOT):
            for setting in catalog.SETTINGS:
                if setting.container.lower() == path.lower():
                    reader.dump.coverage[setting.path] = location


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="the WSMan: drive",
    module=__name__,
    commands=(
        r"(?:get-childitem|gci|dir|ls|get-item|gi)\b[^|\n]*\bwsman:",
        # a listing typed at the drive's own prompt (`PS WSMan:\localhost> dir`): the prompt says where
        r"ps[ \t]+wsman:[^>\n]*>[ \t]*(?:get-childitem|gci|dir|ls|get-item|gi)\b",
    ),
    command_words=("wsman:",),
    anchors=("wsmanconfig", "type"),
    samples=Samples("wsman_drive"),
)
