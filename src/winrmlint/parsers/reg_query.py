"""Parser for `reg query` output: key lines, `Name    REG_TYPE    data` lines, echoed commands, errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from winrmlint.model import registry_map
from winrmlint.model.registry_map import Data, KeyName, RegistryKey, RegistryValue
from winrmlint.model.values import Note, ParsedDump, ParseError
from winrmlint.parsers.text import PROMPT, is_elision, is_prompt, prompt_command
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.parsers.strings.reg_query import TABLE
from winrmlint.source import Location, SourceText

FORMAT = "reg-query"

_KINDS = (
    "REG_SZ|REG_EXPAND_SZ|REG_MULTI_SZ|REG_DWORD|REG_DWORD_LITTLE_ENDIAN|REG_DWORD_BIG_ENDIAN|REG_QWORD"
    "|REG_QWORD_LITTLE_ENDIAN|REG_BINARY|REG_NONE|REG_LINK|REG_RESOURCE_LIST|REG_FULL_RESOURCE_DESCRIPTOR"
    "|REG_RESOURCE_REQUIREMENTS_LIST"
)
# `    Name    REG_DWORD    0x1`; `/z` adds the type number: `REG_DWORD (4)`
# the name ends where a run of spaces starts (or is one leading space, as `.+?` allowed), and
# the run is never given back: `.+?\s+` was quadratic on a long line of spaces
_VALUE = re.compile(rf"^(?P<name>\s(?=\s)|.*?\S)\s++(?P<kind>{_KINDS})(?:\s*+\(\d++\))?(?:\s+(?P<data>.*))?$")
_KEY = re.compile(r"^(?:\\\\[^\\\s]+\\)?HK[A-Z_]*(?:\\|$)", re.IGNORECASE)
_ECHO = re.compile(r"\breg(?:\.exe)?\s+query\b(?P<args>.*)$", re.IGNORECASE)
_TOKEN = re.compile(r""""([^"]*)"?|'([^']*)'?|(\S+)""")
# reg's messages are localised (strings/reg_query.py); PowerShell 5.1 puts `reg : ` before them.
# A `WORD: sentence` line after an echoed query that the table does not know is reg speaking a
# language winrmlint does not know.
_PS_PREFIX = re.compile(r"^reg(?:\.exe)?\s*:\s*", re.IGNORECASE)
_MESSAGE = re.compile(r"^[^\W\d_]+\s?[:：]\s*\S")
# Windows PowerShell 5.1 wraps what `reg` writes to stderr (`… 2>&1`) in a NativeCommandError record:
# `reg : ERROR: …`, then `At line:1 char:1` (localised: the table's `position`), the command cut at the console width after `+ `, a `~~~`
# line and `+ CategoryInfo …`/`+ FullyQualifiedErrorId …`; the category names are not localised
_PS_RECORD = re.compile(r"^(?:\+\s.*|\+?\s*(?:CategoryInfo|FullyQualifiedErrorId)\s*:.*|\+?\s*~+)$", re.IGNORECASE)
_QUIET = re.compile(r"^End of search:|REG QUERY /\?", re.IGNORECASE)
# a hand comment after a number (formats.md): `0x1   <- here`
_NUMBER = re.compile(r"^0x(?P<digits>[0-9a-f]+)\s*(?:(?:#|<-|//|;).*)?$", re.IGNORECASE)
_NUMBER_LIMITS = {"REG_QWORD": 2**64 - 1, "REG_QWORD_LITTLE_ENDIAN": 2**64 - 1}
_TEXT_KINDS = frozenset({"REG_SZ", "REG_EXPAND_SZ", "REG_MULTI_SZ"})
# options that make the output a selection of the key (a search, a type filter)
_SELECTIVE = frozenset({"/f", "/t", "/k", "/d", "/c", "/e"})
_WITH_ARGUMENT = frozenset({"/v", "/f", "/t", "/se"})
_WRAPPER = re.compile(r"(?:[{(&|;]|\bcmd(?:\.exe)?\s+/[ck])\s*$", re.IGNORECASE)
_END_OF_COMMAND = re.compile(r"^(?:\d?>|&|\}|\)|;)")


@sniffed
def sniff(source: SourceText) -> int:
    head = [line.strip() for line in source.lines[:60]]
    keys = any(_KEY.match(line) and not _VALUE.match(line) for line in head)
    if keys and any(_VALUE.match(line) for line in head):
        return 90
    echo = any(_echo_args(line) is not None for line in head)
    if echo and (keys or any(_not_found(line) for line in head)):
        return 85
    return 30 if echo else 0


@dataclass(frozen=True)
class _Query:
    """What an echoed `reg query` asked: `value` is "" for `/ve`, None for the whole key."""

    key: KeyName
    value: str | None
    recursive: bool
    selective: bool

    def shows_whole(self, key: KeyName) -> bool:
        """Whether this command prints every value of `key` (reg query's /v, /s, /f semantics)."""
        if self.value is not None or self.selective:
            return False
        asked, shown = self.key.path.lower(), key.path.lower()
        return shown == asked or (self.recursive and shown.startswith(asked + "\\"))


@dataclass
class _Block:
    """A key line and the values under it, while they are read."""

    key: KeyName
    line: int
    query: _Query | None
    indent: int
    values: list[RegistryValue] = field(default_factory=list)
    closed: bool = False  # a blank line or another key after its last value
    broken: bool = False  # an elision or an unreadable line inside


@dataclass
class _Reader:
    source: SourceText
    blocks: list[_Block] = field(default_factory=list)
    block: _Block | None = None
    query: _Query | None = None
    foreign: bool = False  # in the output of another command
    wrap_from: int | None = None  # indent of a value line that a console wrap may continue
    coverage: dict[str, Location] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    recognised: bool = False
    unreadable: list[int] = field(default_factory=list)
    unknown_language: list[int] = field(default_factory=list)  # reg's messages in a language the table lacks

    def note(self, message: str, line: int) -> None:
        self.notes.append(Note(message, self.source.at(line)))

    def end_block(self) -> None:
        if self.block:
            self.block.closed = True
        self.block, self.wrap_from = None, None


@pasted
def parse(source: SourceText) -> ParsedDump:
    reader = _Reader(source)
    for number, raw in enumerate(source.lines, start=1):
        _line(reader, raw.expandtabs(4).rstrip(), number)
    if not reader.recognised and reader.unreadable:
        first = reader.unreadable[0]
        raise ParseError(f"no `reg query` output here: line {first} is neither a key, a value nor a command", first)
    if reader.unknown_language and not reader.blocks and not reader.coverage:
        # nothing but messages nobody can read: the file's answer is unknown, and says why
        first = reader.unknown_language[0]
        raise ParseError(TABLE.unknown(reader.source.lines[first - 1]), first)
    return _dump(reader)


def _not_found(text: str) -> bool:
    return TABLE.says(_PS_PREFIX.sub("", text.strip()), "not_found")


def _line(reader: _Reader, raw: str, number: int) -> None:
    text = raw.strip()
    if not text:
        # the last element of a file ending with a newline is not a blank line
        if reader.block and number < len(reader.source.lines):
            reader.block.closed = True
        reader.wrap_from = None
        return
    args = _echo_args(raw)
    if args is not None:
        reader.end_block()
        reader.recognised, reader.foreign = True, False
        reader.query = _query(reader, args, number)
    elif is_prompt(raw):
        reader.end_block()
        reader.query = None
        reader.foreign = bool(prompt_command(raw))
        if reader.foreign:
            reader.note("another command: its output is skipped", number)
    elif is_elision(text):
        reader.note("elision: the lines left out are not known", number)
        if reader.block:
            reader.block.broken = True
    elif _VALUE.match(text):
        reader.recognised = True
        _value(reader, raw, text, number)
    elif _KEY.match(text) and registry_map.key_name(text):
        reader.recognised = True
        _key(reader, raw, text, number)
    elif _not_found(text):
        reader.recognised = True
        _absent(reader, number)
    elif TABLE.says(_PS_PREFIX.sub("", text), "error"):
        # e.g. access denied on one subkey of a /s listing: what was shown before stays true
        reader.recognised = True
        reader.note(f"reg query failed: {text}", number)
        reader.end_block()
    elif _QUIET.search(text) or TABLE.says(text, "not_found_tail"):
        return  # the Spanish not-found message ends on a second line
    elif _PS_RECORD.match(text) or TABLE.says(text, "position"):
        reader.recognised = True
        if "nativecommanderror" in text.lower():
            reader.note("PowerShell's NativeCommandError record around reg's message passed over", number)
    elif reader.wrap_from is not None and len(raw) - len(raw.lstrip()) < reader.wrap_from:
        _continue_value(reader, raw)
    elif reader.query is not None and _MESSAGE.match(_PS_PREFIX.sub("", text)):
        reader.note(f"{TABLE.skipped(text)}, the value stays unknown", number)
        reader.unknown_language.append(number)
        reader.end_block()
    elif not reader.foreign:
        reader.note("not `reg query` output: skipped", number)
        reader.unreadable.append(number)
        if reader.block:
            reader.block.broken = True


def _echo_args(raw: str) -> str | None:
    prompt = PROMPT.match(raw)
    command = (raw[prompt.end():] if prompt else raw).strip()
    echo = _ECHO.search(command)
    # `reg query` starts the command, or runs inside one (`Invoke-Command { reg query … }`, `cmd /c`)
    if echo is None or (echo.start() and not _WRAPPER.search(command[: echo.start()])):
        return None
    return echo.group("args")


def _query(reader: _Reader, args: str, number: int) -> _Query | None:
    tokens = [next(part for part in match.groups() if part is not None) for match in _TOKEN.finditer(args)]
    key_text, value, recursive, selective = None, None, False, False
    position = 0
    while position < len(tokens):
        token, option = tokens[position], tokens[position].lower().replace("-", "/", 1)
        position += 1
        if token.startswith("|"):
            # piped to a filter (findstr, Select-String) the output is a selection; `more` only pages
            target = token[1:] or (tokens[position] if position < len(tokens) else "")
            selective = selective or target.lower() not in ("more", "more.com")
            break
        if _END_OF_COMMAND.match(token):
            break
        if option == "/v":
            # `/v` without a name is a syntax error: nothing was asked
            value = tokens[position] if position < len(tokens) else None
            selective = selective or value is None
        elif option == "/ve":
            value = ""
        elif option == "/s":
            recursive = True
        selective = selective or option in _SELECTIVE
        if option in _WITH_ARGUMENT:
            position += 1
        elif not option.startswith("/") and key_text is None:
            key_text = token
    key = registry_map.key_name(key_text) if key_text else None
    if key is None:
        reader.note("`reg query` without a registry key that can be read: its output is not tied to it", number)
        return None
    return _Query(key, value, recursive, selective)


def _key(reader: _Reader, raw: str, text: str, number: int) -> None:
    reader.end_block()
    key = registry_map.key_name(text)
    assert key is not None
    if reader.query is None and not any(block.query is None for block in reader.blocks):
        reader.note("no `reg query` command line before this output: which values were asked is unknown, "
                    "so absent values are not taken as absent", number)
    reader.block = _Block(key, number, reader.query, len(raw) - len(raw.lstrip()))
    reader.blocks.append(reader.block)


def _value(reader: _Reader, raw: str, text: str, number: int) -> None:
    match = _VALUE.match(text)
    assert match is not None
    block = reader.block
    name, kind, shown = match.group("name"), match.group("kind").upper(), (match.group("data") or "")
    # `(Default)` is localised (`(Standard)`, …): any name in parentheses is the unnamed value
    name = "" if re.fullmatch(r"\(.+\)", name) else name
    if block is None:
        reader.note(f"value `{name or registry_map.DEFAULT_VALUE}` before any key: skipped", number)
        return
    reader.wrap_from = None
    if not name and kind == "REG_SZ" and re.fullmatch(r"\(.+\)", shown):
        # `(Default)    REG_SZ    (value not set)`: reg query /ve on a key without a default
        if block.query and block.query.value == "":
            reader.coverage.update(registry_map.value_coverage(block.key.path, "", reader.source.at(number)))
        return
    data, valid = _data(kind, shown)
    block.values.append(RegistryValue(name, kind, data, shown, reader.source.at(number), valid))
    block.closed = False
    if kind in _TEXT_KINDS or kind == "REG_BINARY":
        reader.wrap_from = len(raw) - len(raw.lstrip())


def _continue_value(reader: _Reader, raw: str) -> None:
    """A console wrap: the value's text goes on at the left margin, joined with no separator."""
    assert reader.block is not None
    last, indent = reader.block.values[-1], reader.block.indent
    # a shifted paste shifts the wrapped part too: drop only the shift
    shown = last.raw + (raw[indent:] if not raw[:indent].strip() else raw.lstrip())
    data, valid = _data(last.kind, shown)
    reader.block.values[-1] = RegistryValue(last.name, last.kind, data, shown, last.location, valid)


def _absent(reader: _Reader, number: int) -> None:
    """`ERROR: … unable to find the specified registry key or value.`: absence is a fact when the
    echoed command says what was looked for."""
    query, location = reader.query, reader.source.at(number)
    reader.end_block()
    reader.query = None
    if query is None:
        reader.note("reg query found nothing, but the command is not shown: what is absent is unknown", number)
    elif query.selective or (query.recursive and query.value is not None):
        reader.note("a search found nothing: no value is taken as absent", number)
    elif query.value is not None:
        reader.coverage.update(registry_map.value_coverage(query.key.path, query.value, location))
    else:
        reader.coverage.update(registry_map.key_coverage(query.key.path, location))


def _data(kind: str, shown: str) -> tuple[Data, bool]:
    """Typed data as reg query prints it: numbers in hex, multi strings joined with `\\0`."""
    if "DWORD" in kind or "QWORD" in kind:
        number = _NUMBER.match(shown)
        if number is None:
            return shown, False
        value = int(number.group("digits"), 16)
        return (value, True) if value <= _NUMBER_LIMITS.get(kind, 2**32 - 1) else (shown, False)
    if kind == "REG_MULTI_SZ":
        items = shown.split("\\0") if shown else []
        while items and not items[-1]:
            items.pop()
        return tuple(items), True
    if kind in _TEXT_KINDS:
        return shown, True
    if re.fullmatch(r"(?:[0-9a-fA-F]{2})*", shown):
        return shown.upper(), True
    return shown, False


def _dump(reader: _Reader) -> ParsedDump:
    source = reader.source
    keys = [
        RegistryKey(
            b.key.path, source.at(b.line), tuple(b.values),
            b.closed and not b.broken and b.query is not None and b.query.shows_whole(b.key),
        )
        for b in reader.blocks
    ]
    mapped = registry_map.map_keys(keys, FORMAT)
    coverage = {**reader.coverage, **mapped.coverage}
    hosts = registry_map.remote_hosts(((b.key.host, source.at(b.line)) for b in reader.blocks), FORMAT)
    notes = sorted([*reader.notes, *mapped.notes], key=lambda n: n.location.line)
    return ParsedDump(FORMAT, list(mapped.readings), coverage, notes=notes, host_names=hosts)


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="reg query",
    module=__name__,
    commands=(
        r"reg(?:\.exe)?\s+query\b",
        r"cmd(?:\.exe)?\s+/[ck]\s+[\"']?reg(?:\.exe)?\s+query\b",
    ),
    command_words=("query",),
    anchors=("hk", "query"),
    samples=Samples("reg_query", rejected=("not_reg_output.txt",)),
    strings=TABLE,
)
