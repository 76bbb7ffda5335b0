"""Parser for registry exports (`.reg`): regedit's `Version 5.00` (UTF-16LE) and `REGEDIT4` files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from winrmlint.model import registry_map
from winrmlint.model.registry_map import Data, RegistryKey, RegistryValue
from winrmlint.model.values import Note, ParsedDump, ParseError
from winrmlint.parsers.text import is_elision, is_prompt
from winrmlint.parsers import skipped
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.source import SourceText

FORMAT = "registry-export"

_HEADER = re.compile(r"^(?:windows registry editor version 5\.00|(?P<ansi>regedit4))$", re.IGNORECASE)
# a comment may follow a key or a value's data: `;` as regedit knows it, or a hand edit (formats.md)
_TAIL = r"(?:;|#|//|<-)"
_KEY = re.compile(rf"^\[(?P<delete>-)?(?P<key>[^\]]+)\]\s*(?:{_TAIL}.*)?$")
_VALUE = re.compile(r'^(?:(?P<default>@)|"(?P<name>(?:[^"\\]|\\.)*)")\s*=\s*(?P<data>.*)$')
_DWORD = re.compile(rf"^dword:(?P<digits>[0-9a-f]{{1,8}})\s*(?:{_TAIL}.*)?$", re.IGNORECASE)
_HEX = re.compile(rf"^hex(?:\((?P<type>[0-9a-f]{{1,8}})\))?:(?P<bytes>(?:[^;#/<]*[^;#/<\s])?)\s*(?:{_TAIL}.*)?$", re.IGNORECASE)
_COMMENT_ONLY = re.compile(rf"^\s*(?:{_TAIL}.*)?$")
_ESCAPE = re.compile(r"\\([\\\"])")
_BATCH = re.compile(
    r"^(?:@|echo\b|reg(?:\.exe)?\s|regedit|rem\b|::|pause\b|exit\b|goto\b|set\s|setlocal\b|endlocal\b"
    r"|if\s|cls\b|call\s|start\s|:\w)",
    re.IGNORECASE,
)
# registry value types by number, as `hex(n):` writes them (winnt.h REG_*)
_KINDS = (
    "REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD", "REG_DWORD_BIG_ENDIAN", "REG_LINK",
    "REG_MULTI_SZ", "REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTOR", "REG_RESOURCE_REQUIREMENTS_LIST",
    "REG_QWORD",
)

_NUMBER_SIZES = {"REG_DWORD": 4, "REG_DWORD_BIG_ENDIAN": 4, "REG_QWORD": 8}


@sniffed
def sniff(source: SourceText) -> int:
    head = [line.strip().lstrip("\ufeff").strip() for line in source.lines[:60]]
    content = [line for line in head if line]
    if content and _HEADER.match(content[0]):
        return 100
    if any(_HEADER.match(line) for line in content):
        return 90  # a batch script around an export
    keys = any(_is_key(line) for line in content)
    return 60 if keys and any(_VALUE.match(line) for line in content) else 0


def _is_key(line: str) -> bool:
    match = _KEY.match(line)
    return bool(match and registry_map.key_name(match.group("key")))


@dataclass
class _Section:
    """A `[KEY]` section while it is read."""

    key: str
    line: int
    host: str | None
    values: list[RegistryValue] = field(default_factory=list)
    closed: bool = False  # a blank line after its last value: regedit ends every key with one
    broken: bool = False  # an elision or an unreadable line inside: not shown whole


@dataclass
class _Reader:
    """State of one pass over a file."""

    source: SourceText
    ansi: bool = False
    sections: list[_Section] = field(default_factory=list)
    current: _Section | None = None
    orphaned: str = "before any key"
    commented_key: tuple[int, str] | None = None
    notes: list[Note] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)

    def note(self, message: str, line: int) -> None:
        self.notes.append(Note(message, self.source.at(line)))


@pasted
def parse(source: SourceText) -> ParsedDump:
    reader = _Reader(source)
    lines = source.lines
    header = None
    index = 0
    while index < len(lines):
        number, text = index + 1, lines[index].strip().lstrip("\ufeff").strip()
        index += 1
        if not text:
            # the last element of a file ending with a newline is not a blank line
            if reader.current and number < len(lines):
                reader.current.closed = True
            continue
        head = _HEADER.match(text)
        if head:
            header = header or number
            # REGEDIT4 writes hex(2)/hex(7) strings in the ANSI code page, Version 5.00 in UTF-16LE
            reader.ansi = bool(head.group("ansi"))
        elif is_elision(text):
            reader.note("elision: the lines left out are not known", number)
            if reader.current:
                reader.current.broken = True
        elif text.startswith(";"):
            _comment(reader, text, number)
        elif _KEY.match(text):
            _key(reader, text, number)
        elif _VALUE.match(text):
            index = _value(reader, text, number, index)
        elif _BATCH.match(text) or is_prompt(lines[number - 1]):
            reader.note("batch or shell command, not registry data: not applied", number)
        elif text.startswith("["):
            _key(reader, text, number)
        else:
            reader.note(skipped.message(text, "not registry syntax"), number)
            reader.unreadable.append(number)
            if reader.current:
                reader.current.broken = True
    if not reader.sections:
        if reader.unreadable:
            first = reader.unreadable[0]
            raise ParseError(f"no registry key can be read in this file; line {first} is the first skipped", first)
        return ParsedDump(FORMAT, notes=reader.notes)
    if header is None:
        reader.note("no `Windows Registry Editor Version 5.00` or `REGEDIT4` header: read as a fragment", 1)
    return _dump(reader)


def _dump(reader: _Reader) -> ParsedDump:
    source = reader.source
    keys = [
        RegistryKey(s.key, source.at(s.line), tuple(s.values), s.closed and not s.broken)
        for s in reader.sections
    ]
    mapped = registry_map.map_keys(keys, FORMAT)
    hosts = registry_map.remote_hosts(((s.host, source.at(s.line)) for s in reader.sections), FORMAT)
    notes = sorted([*reader.notes, *mapped.notes], key=lambda n: n.location.line)
    return ParsedDump(FORMAT, list(mapped.readings), dict(mapped.coverage), notes=notes, host_names=hosts)


def _comment(reader: _Reader, text: str, number: int) -> None:
    # regedit skips a commented-out key line, so the values after it stay in the key before it
    match = _KEY.match(text.lstrip(";").strip())
    if match and not match.group("delete") and registry_map.key_name(match.group("key")):
        reader.commented_key = (number, match.group("key"))


def _key(reader: _Reader, text: str, number: int) -> None:
    if reader.current:
        reader.current.closed = True
    reader.current, reader.commented_key = None, None
    match = _KEY.match(text)
    name = registry_map.key_name(match.group("key")) if match else None
    if match is None or name is None:
        reader.note("not a registry key (no hive such as HKEY_LOCAL_MACHINE): its values are skipped", number)
        reader.unreadable.append(number)
        reader.orphaned = "under a key that is not readable"
        return
    if match.group("delete"):
        reader.note(f"deletes the key `{name.path}`: a change to make, not a value", number)
        reader.orphaned = f"under the deleted key `{name.path}`"
        return
    reader.current = _Section(name.path, number, name.host)
    reader.sections.append(reader.current)


def _value(reader: _Reader, text: str, number: int, index: int) -> int:
    """Read one value line (and the lines that continue it); returns the index of the next line."""
    match = _VALUE.match(text)
    assert match is not None
    name = "" if match.group("default") else _ESCAPE.sub(r"\1", match.group("name"))
    shown = name or registry_map.DEFAULT_VALUE
    data, index, whole = _continued(reader.source.lines, index, match.group("data").strip())
    current = reader.current
    if current is None:
        reader.note(f"value `{shown}` {reader.orphaned}: skipped", number)
        reader.unreadable.append(number)
        return index
    if data == "-" or re.match(rf"^-\s*{_TAIL}", data):
        reader.note(f"deletes the value `{shown}`: a change to make, not a value", number)
        return index
    if reader.commented_key:
        line, key = reader.commented_key
        reader.note(f"the key `{key}` is commented out on line {line}: `{shown}` and the values after it "
                    f"belong to `{current.key}`, as regedit reads them", number)
        reader.commented_key = None
    if not whole:
        reader.note(f"value `{shown}` is cut off: its continued data ends here", number)
        current.broken = True
    kind, typed, valid = _data(data, reader.ansi) if whole else ("", data, False)
    current.values.append(RegistryValue(name, kind, typed, _raw(data), reader.source.at(number), valid))
    current.closed = False
    return index


def _continued(lines: tuple[str, ...], index: int, data: str) -> tuple[str, int, bool]:
    """Join hex data continued with a trailing `\\` over the next lines: (data, next index, whole)."""
    if not data.lower().startswith("hex"):
        return data, index, True
    parts = [data]
    while parts[-1].endswith("\\"):
        parts[-1] = parts[-1][:-1]
        if index >= len(lines) or not lines[index].strip():
            return "".join(parts), index, False
        parts.append(lines[index].strip())
        index += 1
    return "".join(parts), index, True


def _raw(data: str) -> str:
    """The data as written, without a trailing comment."""
    if data.startswith('"'):
        end = _string_end(data)
        return data if end is None else data[: end + 1]
    return re.split(_TAIL, data, maxsplit=1)[0].strip()


def _string_end(data: str) -> int | None:
    position = 1
    while position < len(data):
        if data[position] == "\\":
            position += 2
        elif data[position] == '"':
            return position
        else:
            position += 1
    return None


def _data(data: str, ansi: bool) -> tuple[str, Data, bool]:
    """(kind, typed data, valid) of a value's data as written; invalid data stays as written."""
    raw = _raw(data)
    if data.startswith('"'):
        end = _string_end(data)
        if end is None or not _COMMENT_ONLY.match(data[end + 1 :]):
            return "REG_SZ", raw, False
        return "REG_SZ", _ESCAPE.sub(r"\1", data[1:end]), True
    dword = _DWORD.match(data)
    if dword:
        return "REG_DWORD", int(dword.group("digits"), 16), True
    blob = _HEX.match(data)
    if blob:
        return _hex(blob, raw, ansi)
    return "", raw, False


def _hex(blob: re.Match[str], raw: str, ansi: bool) -> tuple[str, Data, bool]:
    number = int(blob.group("type") or "3", 16)
    kind = _KINDS[number] if number < len(_KINDS) else f"REG_TYPE_{number}"
    tokens = [token.strip() for token in blob.group("bytes").split(",") if token.strip()]
    if not all(re.fullmatch(r"[0-9a-fA-F]{1,2}", token) for token in tokens):
        return kind, raw, False
    octets = bytes(int(token, 16) for token in tokens)
    if kind in ("REG_SZ", "REG_EXPAND_SZ", "REG_MULTI_SZ"):
        if not ansi and len(octets) % 2:
            return kind, raw, False
        text = octets.decode("cp1252" if ansi else "utf-16-le", errors="replace")
        if kind == "REG_MULTI_SZ":
            # strings end at the empty string before the closing NUL
            items = text.split("\0")
            return kind, tuple(items[: items.index("")] if "" in items else items), True
        return kind, text.partition("\0")[0], True
    size = _NUMBER_SIZES.get(kind)
    if size is not None:
        if len(octets) != size:
            return kind, raw, False
        return kind, int.from_bytes(octets, "big" if kind == "REG_DWORD_BIG_ENDIAN" else "little"), True
    return kind, octets.hex().upper(), True


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="registry export",
    module=__name__,
    commands=(
        r"(?:type|cat|gc|get-content)\s+\S*\.reg\b",
        r"reg(?:\.exe)?\s+export\b.*\bcon\b",
    ),
    command_words=(".reg", "export"),
    anchors=("regedit4", "windows registry editor", "hk"),
    samples=Samples("reg_file"),
)
