"""Parser for `winrm get|set winrm/config…` trees and `winrm enumerate winrm/config/listener` blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from enum import Enum
from typing import NamedTuple

from winrmlint.model import catalog, paths
from winrmlint.model.values import Note, ParseError, ParsedDump, Reading, Source
from winrmlint.parsers import skipped
from winrmlint.parsers.text import first_content_line, is_elision, is_prompt, strip_comment
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.source import SourceText

FORMAT = "winrm-config-text"


class _Kind(Enum):
    BLANK = "blank"
    COMMAND = "command"  # a prompt or an echoed `winrm …` command line
    ELISION = "elision"
    COMMENT = "comment"  # a whole line of hand comment
    SHOUT = "shout"  # `WARNING: …` and its kin
    ERRNO = "errno"  # `Error number:  -2144108526 0x80338012`
    HEADER = "header"  # a known container name
    KEY = "key"  # `Name = value` or a bare `Name`
    TEXT = "text"


@dataclass(frozen=True)
class _Command:
    """A `winrm` command line: what the output after it shows."""

    verb: str  # get, set, enumerate (short forms expanded); "" when not a winrm command
    uri: str  # lower case, selectors removed: winrm/config/client/auth
    selected: bool  # `?Address=*+Transport=HTTP`: one listener, not an enumeration
    line: int
    remote: str = ""  # the other computer `-r:<name>` sent it to; "" for the host itself


class _Line(NamedTuple):  # a tuple: built for every line of every candidate file, 4x cheaper than a frozen dataclass
    number: int
    kind: _Kind
    indent: int = 0
    width: int = 0  # printed columns, to recognise console wrapping
    content: str = ""  # the line with its indentation and trailing hand comment removed
    name: str = ""
    value: str | None = None  # None: a bare key (an empty value)
    source: Source | None = None
    command: _Command | None = None
    spaced: bool = False  # `AllowUnencrypted true`: a known name whose ` = ` the paste lost


_COMMAND = re.compile(r"^winrm(?:\.cmd)?\s+\S", re.IGNORECASE)
_WINRM_VERB = re.compile(r"\bwinrm(?:\.cmd)?\s+(?P<verb>get|g|set|s|enumerate|enum|e)\b", re.IGNORECASE)
_URI = re.compile(r"winrm/config[^\s\"'@]*", re.IGNORECASE)
_VERBS = {"g": "get", "s": "set", "e": "enumerate", "enum": "enumerate"}
# `-r:srv01`, `-remote:https://srv01.corp:5986/wsman`, `/r:"srv01"` (winrm.cmd's usage text)
_REMOTE = re.compile(r"(?:^|\s)[-/]r(?:emote)?:[\"']?(?P<target>[^\s\"']+)", re.IGNORECASE)
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "[::1]", "."})
# ERROR_WSMAN_DESTINATION_UNREACHABLE: from the host's own `winrm`, its WinRM service is not running
DESTINATION_UNREACHABLE = "0x80338012"
_COMMENT_LINE = re.compile(r"^(?:#|//|<-|-->)")
# formats.md "Hand edits": `# should be true`, `// --> …`, `<-` after a value
# a match starts only where a run of spaces does (lookbehind) and never gives spaces back
# (possessive): searched from every offset of a long run of spaces, it was quadratic
_SOURCE_TAG = re.compile(r"(?<!\s)\s*+\[\s*+Source\s*+=\s*+\"?(?P<source>[^\"\]]*+)\"?\s*+\]$", re.IGNORECASE)
_KEY = re.compile(r"^(?P<name>[A-Za-z_][\w.\-]*)(?:\s*=\s*(?P<value>.*))?$")
# `NetworkDelayms 5000`: some consoles and pastes print the config without ` = ` (issue 10)
_SPACED_KEY = re.compile(r"^(?P<name>[A-Za-z_][\w.\-]*)\s+(?P<value>[^\s:=](?:.*\S)?)$")
# winrm.cmd prints the signed decimal and the hex HRESULT; the label is localised (reference §0)
_ERRNO = re.compile(r"^[^=]*?:\s*(?P<decimal>-?\d+)\s+(?P<hex>0x[0-9A-Fa-f]{1,8})$")
_SHOUT = re.compile(r"^(?P<word>[^\W\d_]+):(?:\s|$)")
# a console-wrapped tail: one token, or a list that only has spaces after its commas
_FRAGMENT = re.compile(r"^(?:[^\s,]|,\s?)+$")
_ELLIPSIS = ("...", "…")
_MAY_CONTINUE = (_Kind.TEXT, _Kind.KEY, _Kind.COMMAND, _Kind.SHOUT)

_SOURCES = {"gpo": Source.GPO, "compatibility": Source.COMPATIBILITY}
SECTIONS = ("client", "service", "winrs")
SUBSECTIONS = ("auth", "defaultports")
_LISTENER = "listener"
_FAULT = "wsmanfault"
_HEADERS = frozenset(catalog.CONTAINERS) | {_FAULT}
KNOWN_PATHS = {s.path.lower() for s in catalog.SETTINGS}
LISTENER_NAMES = {p.lower() for p in catalog.LISTENER_PROPERTIES}
_KNOWN_NAMES = {s.name.lower() for s in catalog.SETTINGS} | LISTENER_NAMES | {"message"}
# Absent from some Windows versions' output, so a paste may be complete without them (formats.md)
OPTIONAL = {f"{catalog.ROOT}/client/spn_prefix", f"{catalog.ROOT}/service/AllowRemoteAccess"}
# lower-case container path → the catalog's spelling: the sections coverage can name
CONTAINER_PATHS = {s.container.lower(): s.container for s in catalog.SETTINGS} | {catalog.ROOT: catalog.ROOT}


def _is_console_width(width: int) -> bool:
    # conhost wraps at the window width: 80 and 120 by default, 140 and ~200 for wide windows
    return width in (80, 100, 120, 132, 140) or width >= 150


def _lex(number: int, raw: str) -> _Line:
    """One line, classified. The same text lexes the same at any line number, and the lines of
    dumps repeat (a fleet's hosts print the same settings; a sniffed file is lexed again to parse
    it): the lexed text of a short line is kept (at most 8,192, of 256 characters or fewer: a few
    MB at worst) and given this line's number."""
    if len(raw) > _KEPT_LINE:
        return _lex_line(number, raw)
    line = _lexed(raw)
    if line.command is not None:
        return line._replace(number=number, command=replace(line.command, line=number))
    return line._replace(number=number)


_KEPT_LINE = 256


@lru_cache(maxsize=8192)
def _lexed(raw: str) -> _Line:
    return _lex_line(0, raw)


def _lex_line(number: int, raw: str) -> _Line:
    expanded = raw.expandtabs(4)
    stripped = expanded.strip()
    indent = len(expanded) - len(expanded.lstrip())
    width = len(expanded)
    if not stripped:
        return _Line(number, _Kind.BLANK)
    if is_prompt(expanded) or _COMMAND.match(stripped):
        return _Line(number, _Kind.COMMAND, indent, width, stripped, command=_command(stripped, number))
    if is_elision(expanded):
        return _Line(number, _Kind.ELISION, indent, width, stripped)
    if _COMMENT_LINE.match(stripped):
        return _Line(number, _Kind.COMMENT, indent, width, stripped)
    errno = _ERRNO.match(stripped) if "0x" in stripped else None
    if errno:
        return _Line(number, _Kind.ERRNO, indent, width, stripped, "", _fault_code(errno["hex"]))
    content = strip_comment(stripped)
    source = None
    tag = _SOURCE_TAG.search(content) if "]" in content else None
    if tag:
        source = source_named(tag["source"])
        content = content[: tag.start()].rstrip()
    key = _KEY.match(content)
    if key:
        name, value = key["name"], key["value"]
        kind = _Kind.HEADER if value is None and name.lower() in _HEADERS else _Kind.KEY
        return _Line(number, kind, indent, width, content, name, value, source)
    spaced = _SPACED_KEY.match(content)
    if spaced and spaced["name"].lower() in _KNOWN_NAMES and spaced["name"].lower() != "message":
        return _Line(number, _Kind.KEY, indent, width, content, spaced["name"], spaced["value"], source, spaced=True)
    shout = _SHOUT.match(content)
    if shout and shout["word"].isupper():
        return _Line(number, _Kind.SHOUT, indent, width, content)
    return _Line(number, _Kind.TEXT, indent, width, content)


def source_named(text: str) -> Source:
    """The source a `[Source="GPO"]` tag or `Source` attribute names; any other reads as local."""
    return _SOURCES.get(text.strip().lower(), Source.LOCAL)


def _command(text: str, number: int) -> _Command:
    verb = _WINRM_VERB.search(text)
    uri = _URI.search(text[verb.end():]) if verb else None
    if verb is None or uri is None:
        return _Command("", "", False, number)
    full = uri.group().lower()
    name = verb["verb"].lower()
    return _Command(_VERBS.get(name, name), full.split("?")[0].rstrip("/"), "?" in full, number,
                    remote_target(text[verb.end():]))


def remote_target(text: str) -> str:
    """The other computer a `winrm … -r:<name>` command went to; "" for the host itself (no
    `-r`, or a loopback name)."""
    match = _REMOTE.search(text)
    if match is None:
        return ""
    target = re.sub(r"^[a-z][a-z0-9+.-]*://", "", match["target"], flags=re.IGNORECASE).split("/", 1)[0]
    if target.startswith("["):
        target = target[: target.find("]") + 1]
    elif target.count(":") == 1:
        target = target.split(":", 1)[0]  # srv01:5985
    return "" if target.lower() in _LOOPBACK else target


def _fault_code(text: str) -> str:
    """`0x80338012` from a hex or a (signed or unsigned) decimal error number (reference §0)."""
    number = int(text, 16) if text.lower().startswith("0x") else int(text)
    return f"0x{number % 2**32:08X}"


@dataclass(eq=False)
class _Node:
    """A container (or a listener block, or a fault) being read."""

    kind: str  # "config", "listener" or "fault"
    path: str  # logical prefix: winrm/config/client/auth; "" for listeners and faults
    line: int
    header_indent: int
    source: Source = Source.LOCAL
    child_indent: int | None = None
    children: dict[str, _Node] = field(default_factory=dict)
    values: list[_Value] = field(default_factory=list)
    complete: bool = True  # cleared by an elision or a stray line inside, or a guessed place
    headed: bool = True  # false for a fragment: values pasted without their section header
    command: _Command | None = None  # the command whose output it is, when the file shows it


@dataclass(eq=False)
class _Value:
    """A `Name = value` being read; console-wrapped continuation lines are appended to `raw`."""

    name: str
    raw: str | None  # None: a bare key
    line: int
    indent: int
    width: int
    last_line: int
    source: Source | None
    cut: bool = False  # the last value of a paste that stops mid-section with no final newline


def make_reading(path: str, raw: str, line: int, source: SourceText, origin: str,
                 from_: Source = Source.LOCAL, truncated: bool = False) -> Reading:
    """A typed reading; a value ending in an ellipsis was cut, and is typed without it."""
    text = raw.strip()
    for mark in _ELLIPSIS:
        bare = text.removesuffix("}").rstrip()
        if bare.endswith(mark):
            truncated = True
            text = bare.removesuffix(mark).rstrip() + ("}" if text.endswith("}") else "")
    value, valid = catalog.coerce(catalog.type_of(path), text)
    return Reading(path, value, source.at(line), from_, raw.strip(), valid, truncated, origin)


def listener_key(address: str, transport: str, source: Source, seen: dict[str, int]) -> tuple[str, str]:
    """The logical prefix of one listener, and a note when the file already showed that key.

    A compatibility listener shares Address+Transport with the listener it mirrors (reference §7),
    so it is keyed `*+HTTP+Compatibility`; a second block with the same key gets `#2`.
    """
    key = catalog.listener_path(address or "?", transport or "?")
    if source is Source.COMPATIBILITY:
        key += "+Compatibility"
    seen[key] = seen.get(key, 0) + 1
    if seen[key] == 1:
        return key, ""
    return f"{key}#{seen[key]}", f"second listener {key.rsplit('/', 1)[1]} in one file: keyed #{seen[key]}"


class _Reader:
    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.lines = [_lex(n, raw) for n, raw in enumerate(source.lines, start=1)]
        self.dump = ParsedDump(FORMAT)
        self.roots: list[_Node] = []
        self.stack: list[_Node] = []
        self.command: _Command | None = None
        self.last: _Value | None = None
        self.blanks = 0
        self.swallow = False  # the wrapped rest of a WARNING, or the message repeated after a fault
        self.output_seen = False
        self.enumerations: list[tuple[_Command | None, list[_Node]]] = []
        self.final: tuple[_Node, _Value] | None = None
        self.unreachable: list[int] = []  # lines where the host's own `winrm` got 0x80338012
        self.spaced_noted = False

    # ---- the line loop

    def read(self) -> ParsedDump:
        for index, line in enumerate(self.lines):
            if line.kind is _Kind.BLANK:
                self.blanks += 1
                self.swallow = False
                continue
            if self._continues(line):
                self.blanks = 0
                continue
            self.blanks = 0
            if line.kind is not _Kind.COMMAND:
                self.output_seen = True
            self._dispatch(index, line)
        self._finish()
        return self.dump

    def _dispatch(self, index: int, line: _Line) -> None:
        if line.kind is _Kind.COMMAND:
            self._on_command(line)
        elif line.kind is _Kind.ELISION:
            self._note("elision: values left out here", line.number)
            self._mark_incomplete()
            self.last = None
        elif line.kind is _Kind.COMMENT:
            self._note("hand comment skipped", line.number)
            self.last = None
        elif line.kind is _Kind.SHOUT:
            self._note(f"message skipped: {line.content[:60]}", line.number)
            self.swallow = True
            self.last = None
        elif line.kind is _Kind.ERRNO:
            self._on_errno(line)
        elif line.kind is _Kind.HEADER:
            self._on_header(index, line)
        elif line.kind is _Kind.KEY:
            if line.spaced and not self.spaced_noted:
                self.spaced_noted = True
                self._note("` = ` missing between names and values: `Name value` read as `Name = value`", line.number)
            if line.value is None and self._is_container(line) and self._opens_block(index):
                self._on_header(index, line)
            else:
                self._on_key(index, line)
        elif self.swallow:
            self.last = None
        else:
            self._note(skipped.message(line.content), line.number)
            self._mark_incomplete()
            self.last = None

    def _in_fault(self, line: _Line) -> bool:
        """Whether a line is part of the fault block being read: indented under its header.
        A line back at the header's level is output of its own (issue 9: a fault printed in
        the middle of a transcript must not swallow the settings after it)."""
        return bool(self.stack) and self.roots[-1].kind == "fault" and line.indent > self.roots[-1].header_indent

    def _is_container(self, line: _Line) -> bool:
        # fault details nest (`Message` > `ProviderFault` > `WSManFault`); elsewhere a known
        # name is a bare key (an empty value), never a container
        return self._in_fault(line) or line.name.lower() not in _KNOWN_NAMES

    def _on_command(self, line: _Line) -> None:
        previous = self.command
        if (previous and previous.verb == "enumerate" and previous.uri == catalog.LISTENERS
                and not self.output_seen):
            # an enumeration that printed nothing: no listener exists
            self.dump.coverage.setdefault(catalog.LISTENERS, self.source.at(previous.line))
        self._end_tree()
        self.command = line.command
        self.enumerations.append((self.command, []))
        self.output_seen = False
        self.swallow = False
        self._note("command line skipped", line.number)

    def _on_errno(self, line: _Line) -> None:
        fault = self.roots[-1] if self.stack and self.roots[-1].kind == "fault" else None
        code = line.value or ""
        said = fault is not None and any(v.name.lower() == "code" and _code_of(v.raw) == code for v in fault.values)
        if not said:
            self.dump.readings.append(
                make_reading(paths.WSMAN_FAULT_CODE, code, line.number, self.source, FORMAT))
        self._unreachable(code, fault.command if fault else self.command, line.number)
        self._end_tree()
        self.swallow = True

    # ---- containers

    def _on_header(self, index: int, line: _Line) -> None:
        name = line.name.lower()
        root = self.roots[-1] if self.stack else None
        self.swallow = False
        self.last = None
        if name == "config":
            self._start(_Node("config", catalog.ROOT, line.number, line.indent))
        elif name == _LISTENER:
            self._start(_Node("listener", "", line.number, line.indent, line.source or Source.LOCAL))
        elif name == _FAULT and not self._in_fault(line):
            self._start(_Node("fault", "", line.number, line.indent))
        elif self._in_fault(line):
            pass  # nested fault details: their `Message` is the fault's message
        elif name in SECTIONS:
            if root is not None and root.path == catalog.ROOT and name not in root.children:
                self._attach(root, line, name)
            else:
                if root is not None and line.indent > root.header_indent:
                    self._note(f"{line.name} section inside another section's output: read on its own",
                               line.number)
                self._start(_Node("config", f"{catalog.ROOT}/{name}", line.number, line.indent))
        elif name in SUBSECTIONS:
            parent = next((n for n in reversed(self.stack) if _section_of(n) in ("client", "service")), None)
            if parent is not None and name not in parent.children:
                self._attach(parent, line, name)
            else:
                self._start_subsection(index, line, name)
        elif root is not None and root.kind == "config":
            self._attach(self._by_indent(line) or self.stack[-1], line, line.name)
        else:
            hint = self.command.uri if self.command else ""
            guess = CONTAINER_PATHS.get(hint, hint) or f"{catalog.ROOT}/{line.name}"
            self._note(f"section {line.name} read as {guess}", line.number)
            node = _Node("config", guess, line.number, line.indent, complete=False)
            self._start(node)

    def _attach(self, parent: _Node, line: _Line, name: str) -> None:
        segment = catalog.CONTAINERS.get(name.lower(), name)
        node = _Node("config", f"{parent.path}/{segment}", line.number, line.indent)
        if parent.child_indent is None:
            parent.child_indent = line.indent
        parent.children[name.lower()] = node
        del self.stack[self.stack.index(parent) + 1:]
        self.stack.append(node)

    def _start_subsection(self, index: int, line: _Line, name: str) -> None:
        """`winrm get winrm/config/client/auth` prints an `Auth` root: whose Auth is it?"""
        segment = catalog.CONTAINERS[name]
        wanted = f"/{segment.lower()}"
        hinted = self.command.uri if self.command and self.command.uri.endswith(wanted) else ""
        parents = {p for p in ("client", "service") if hinted.startswith(f"{catalog.ROOT}/{p}/")}
        guessed = False
        if not parents:
            parents = parents_by_keys(self._children_names(index, line.indent), segment)
        if len(parents) != 1:
            # the rest of the file tells: an earlier client or service output, else the service
            earlier = [_section_of(r) for r in self.roots if _section_of(r) in ("client", "service")]
            parents = {earlier[-1] if earlier else "service"}
            guessed = True
            self._note(f"{line.name} section could be the client's or the service's: read as the "
                       f"{next(iter(parents))}'s", line.number)
        parent = next(iter(parents))
        self._start(_Node("config", f"{catalog.ROOT}/{parent}/{segment}", line.number, line.indent,
                          complete=not guessed))

    def _start(self, node: _Node) -> None:
        self._end_tree()
        node.command = node.command or self.command
        if node.kind != "listener":
            self.enumerations.append((self.command, []))
        elif not self.enumerations:
            self.enumerations.append((self.command, [node]))
        else:
            self.enumerations[-1][1].append(node)
        self.roots.append(node)
        self.stack = [node]

    def _end_tree(self) -> None:
        self.stack = []
        self.last = None

    # ---- values

    def _on_key(self, index: int, line: _Line) -> None:
        self.swallow = False
        root = self.roots[-1] if self.stack else None
        if root is not None and root.kind == "fault" and not self._in_fault(line):
            self._end_tree()
            root = None
        if root is None:
            self._start_fragment(index, line)
            root = self.roots[-1]
        if root.kind in ("listener", "fault"):
            self._add(root, line)
            return
        target = self._place(line)
        if target is None:
            self._start_fragment(index, line)
            target = self.stack[-1]
        self._add(target, line)

    def _place(self, line: _Line) -> _Node | None:
        """The container of a key: by indentation, unless the names say otherwise (formats.md:
        indentation broken by people is recovered from what the tree must be)."""
        by_indent = self._by_indent(line)
        target: _Node | None
        if by_indent is not None and _knows(by_indent, line.name):
            target = by_indent
        else:
            target = next((n for n in reversed(self.stack) if _knows(n, line.name)), by_indent)
        if target is None:
            return None
        del self.stack[self.stack.index(target) + 1:]
        return target

    def _by_indent(self, line: _Line) -> _Node | None:
        for node in reversed(self.stack):
            if line.indent > node.header_indent:
                return node
            if node.child_indent is not None and line.indent >= node.child_indent:
                return node
        return None

    def _add(self, node: _Node, line: _Line) -> None:
        if node.child_indent is None:
            node.child_indent = line.indent
        value = _Value(line.name, line.value, line.number, line.indent, line.width, line.number, line.source)
        node.values.append(value)
        self.final = (node, value)
        self.last = value if line.value else None
        if line.value is not None and line.value.strip() in _ELLIPSIS:
            self._mark_incomplete()

    def _start_fragment(self, index: int, line: _Line) -> None:
        """Keys with no section header above them: a fragment. Its section is the one that all
        of its known keys (and sibling headers) fit; ambiguity follows the command, else a note."""
        names, headers = self._siblings(index, line.indent)
        candidates: set[str] | None = None
        for name in names:
            found = {c for c in CONTAINER_PATHS.values() if f"{c}/{name}".lower() in KNOWN_PATHS}
            if name in LISTENER_NAMES:
                found.add(catalog.LISTENERS)
            if found:
                candidates = found if candidates is None else candidates & found
        for header in headers:
            if header in SUBSECTIONS:
                found = {f"{catalog.ROOT}/client", f"{catalog.ROOT}/service"}
            elif header in SECTIONS:
                found = {catalog.ROOT}
            else:
                continue
            candidates = found if candidates is None else candidates & found
        uri = self.command.uri if self.command else ""
        hint = CONTAINER_PATHS.get(uri, catalog.LISTENERS if uri == catalog.LISTENERS else "")
        choices = sorted(candidates or ())
        if len(choices) == 1:
            path = choices[0]
        elif hint and (hint in choices or not choices):
            path = hint
        elif choices:
            # as for an ambiguous `Auth` root: the service's, said in the note below
            path = next((c for c in choices if "/service" in c), choices[0])
        else:
            path = catalog.ROOT
        self._note(f"values with no section header: read as {path}", line.number)
        if path == catalog.LISTENERS:
            self._start(_Node("listener", "", line.number, line.indent - 1, complete=False, headed=False))
        else:
            self._start(_Node("config", path, line.number, line.indent - 1, complete=False, headed=False))

    def _siblings(self, index: int, indent: int) -> tuple[list[str], list[str]]:
        names: list[str] = []
        headers: list[str] = []
        for line in self.lines[index:]:
            if line.kind in (_Kind.COMMAND, _Kind.ERRNO):
                break
            if line.kind not in (_Kind.KEY, _Kind.HEADER):
                continue
            if line.indent < indent:
                break
            if line.indent == indent:
                (headers if line.kind is _Kind.HEADER else names).append(line.name.lower())
        return names, headers

    def _children_names(self, index: int, indent: int) -> list[str]:
        names: list[str] = []
        for line in self.lines[index + 1:]:
            if line.kind in (_Kind.COMMAND, _Kind.ERRNO) or (
                    line.kind in (_Kind.KEY, _Kind.HEADER) and line.indent <= indent):
                break
            if line.kind is _Kind.KEY:
                names.append(line.name.lower())
        return names

    def _opens_block(self, index: int) -> bool:
        """A bare unknown name is a container when the next line is indented under it."""
        here = self.lines[index]
        for line in self.lines[index + 1:]:
            if line.kind in (_Kind.KEY, _Kind.HEADER):
                return line.indent > here.indent
            if line.kind not in (_Kind.BLANK, _Kind.COMMENT, _Kind.ELISION):
                return False
        return False

    def _continues(self, line: _Line) -> bool:
        """Console wrapping: a long value continues at column 0 of the next line(s) (formats.md)."""
        last = self.last
        if last is None or not self.stack or line.kind not in _MAY_CONTINUE:
            return False
        if line.kind is _Kind.KEY and line.name.lower() in _KNOWN_NAMES:
            return False
        if line.kind is _Kind.COMMAND and is_prompt(self.source.lines[line.number - 1]):
            return False
        if self.blanks:
            return False
        # a paste shifted right shifts the wrapped lines too; a fragment's shift is unknown
        shift = self.roots[-1].header_indent if self.roots[-1].headed else 0
        if not (line.indent <= shift or line.indent < last.indent):
            return False
        raw = self.source.lines[line.number - 1].expandtabs(4)
        if _is_console_width(last.width - shift) or _is_console_width(last.width):
            # wrapped mid-sentence, the tail may even look like a command or a WARNING
            tail = strip_comment(raw[min(shift, line.indent):].rstrip())
        elif line.kind in (_Kind.TEXT, _Kind.KEY) and _FRAGMENT.match(line.content):
            tail = line.content
        else:
            return False
        tag = _SOURCE_TAG.search(tail)
        if tag:
            last.source = source_named(tag["source"])
            tail = tail[: tag.start()]
        head = last.raw or ""
        # a list wrapped right after its `, ` lost the space to the copy: put it back
        if head.endswith(",") and not tail.startswith(" "):
            tail = " " + tail
        last.raw = head + tail
        last.width = line.width
        last.last_line = line.number
        return True

    def _mark_incomplete(self) -> None:
        for node in self.stack:
            node.complete = False

    def _note(self, message: str, line: int) -> None:
        self.dump.notes.append(Note(message, self.source.at(line)))

    # ---- results

    def _finish(self) -> None:
        open_nodes = set(self.stack)
        root = self.roots[-1] if self.stack else None
        if root and root.kind == "config" and root.headed and root.complete and not self._complete(root, open_nodes):
            last = self.final[1].last_line if self.final else root.line
            self._note(f"the output ends before {root.path} is complete: it covers only its whole parts", last)
        if self.final and self.final[0] in open_nodes and self.source.lines[-1].strip():
            node, value = self.final
            if not self._complete(node, open_nodes):
                value.cut = True
                self._note("the paste ends inside a section: its last value may be cut", value.last_line)
        keys: dict[str, int] = {}
        for root in self.roots:
            if root.kind == "listener":
                self._emit_listener(root, keys)
            elif root.kind == "fault":
                self._emit_fault(root)
            else:
                self._emit_config(root)
        for root in self.roots:
            # a fragment was picked by hand: none of it is known to be whole
            if root.kind == "config" and root.headed:
                self._cover(root, open_nodes)
        for command, blocks in self.enumerations:
            self._cover_listeners(command, blocks, open_nodes)
        self._record_unreachable()
        self.dump.readings.sort(key=lambda r: r.location.line)
        self.dump.notes.sort(key=lambda n: n.location.line)

    def _emit_config(self, node: _Node) -> None:
        for value in node.values:
            path = catalog.canonical(f"{node.path}/{value.name}")
            self.dump.readings.append(self._reading(path, value, node.source))
        for child in node.children.values():
            self._emit_config(child)

    def _emit_listener(self, block: _Node, keys: dict[str, int]) -> None:
        props = {v.name.lower(): (v.raw or "").strip() for v in block.values}
        address, transport = props.get("address", ""), props.get("transport", "")
        if not address or not transport:
            self._note("listener without Address or Transport: keyed `?`", block.line)
        key, note = listener_key(address, transport, block.source, keys)
        if note:
            self._note(note, block.line)
        for value in block.values:
            path = catalog.canonical(f"{key}/{value.name}")
            self.dump.readings.append(self._reading(path, value, block.source))

    def _emit_fault(self, fault: _Node) -> None:
        for value in fault.values:
            name = value.name.lower()
            if name == "message":
                path = paths.WSMAN_FAULT_MESSAGE
            elif name == "code":
                code = _code_of(value.raw)
                if code:
                    self.dump.readings.append(
                        make_reading(paths.WSMAN_FAULT_CODE, code, value.line, self.source, FORMAT))
                    self._unreachable(code, fault.command, value.line)
                    continue
                path = paths.WSMAN_FAULT_CODE
            else:
                path = f"{paths.WSMAN_FAULT_MESSAGE.rsplit('/', 1)[0]}/{value.name}"
            self.dump.readings.append(self._reading(path, value, Source.LOCAL))

    def _unreachable(self, code: str, command: _Command | None, line: int) -> None:
        # the bundle's dumps are collected on the host (README "Collecting a bundle"): a fault
        # with no command shown is the host's own; `-r:<other>` is another computer's answer
        if code == DESTINATION_UNREACHABLE and not (command and command.remote):
            self.unreachable.append(line)

    def _record_unreachable(self) -> None:
        """The service did not answer the host's own `winrm`, unless a later local command in the
        same file printed configuration (the service was started in between)."""
        if not self.unreachable:
            return
        first = min(self.unreachable)
        answered = any(
            root.kind != "fault" and root.line > first and root.values + list(root.children.values())
            and not (root.command and root.command.remote)
            for root in self.roots
        )
        if not answered:
            self.dump.readings.append(make_reading(
                paths.SERVICE_UNREACHABLE, DESTINATION_UNREACHABLE, first, self.source, FORMAT))

    def _reading(self, path: str, value: _Value, inherited: Source) -> Reading:
        return make_reading(path, value.raw or "", value.line, self.source, FORMAT, value.source or inherited,
                            value.cut)

    def _cover(self, node: _Node, open_nodes: set[_Node]) -> None:
        if node.path.lower() in CONTAINER_PATHS and self._complete(node, open_nodes):
            self.dump.coverage.setdefault(node.path, self.source.at(node.line))
            return
        for child in node.children.values():
            self._cover(child, open_nodes)

    def _complete(self, node: _Node, open_nodes: set[_Node]) -> bool:
        if not node.complete or not all(self._complete(c, open_nodes) for c in node.children.values()):
            return False
        if node not in open_nodes:
            return True
        # still open when the file ended: a cut paste, unless every setting Windows prints is there
        seen = {p.lower() for p in _paths_under(node)}
        prefix = node.path.lower() + "/"
        return all(s.path.lower() in seen for s in catalog.SETTINGS
                   if s.path.lower().startswith(prefix) and s.path not in OPTIONAL)

    def _cover_listeners(self, command: _Command | None, blocks: list[_Node],
                         open_nodes: set[_Node]) -> None:
        # `winrm get winrm/config/listener?Address=*+Transport=HTTP` shows one listener, not all
        if not blocks or (command and command.selected):
            return
        for block in blocks:
            names = {v.name.lower() for v in block.values}
            if not block.complete or (block in open_nodes and not LISTENER_NAMES <= names):
                return
        self.dump.coverage.setdefault(catalog.LISTENERS, self.source.at(blocks[0].line))


def _paths_under(node: _Node) -> list[str]:
    found = [f"{node.path}/{v.name}" for v in node.values]
    for child in node.children.values():
        found.extend(_paths_under(child))
    return found


def _section_of(node: _Node) -> str:
    return node.path.rsplit("/", 1)[-1]


def _knows(node: _Node, name: str) -> bool:
    return node.kind == "config" and f"{node.path}/{name}".lower() in KNOWN_PATHS


def parents_by_keys(names: list[str], segment: str) -> set[str]:
    """Whose `Auth` or `DefaultPorts` these key names fit: client, service, or (undecided) both."""
    parents = {"client", "service"}
    for name in names:
        fits = {p for p in parents if f"{catalog.ROOT}/{p}/{segment}/{name}".lower() in KNOWN_PATHS}
        if fits:
            parents &= fits
    return parents


def _code_of(raw: str | None) -> str:
    text = (raw or "").strip()
    if re.fullmatch(r"-?\d{1,10}|0x[0-9A-Fa-f]{1,8}", text):
        return _fault_code(text)
    return ""


@sniffed
def sniff(source: SourceText) -> int:
    headers = keys = commands = errnos = enumerations = 0
    for number, raw in enumerate(source.lines[:60], start=1):
        line = _lex(number, raw)
        if line.kind is _Kind.HEADER:
            headers += 1
        elif line.kind is _Kind.KEY and line.name.lower() in _KNOWN_NAMES:
            keys += 1
        elif line.kind is _Kind.COMMAND and line.command and line.command.uri:
            commands += 1
            if line.command.verb == "enumerate" and line.command.uri == catalog.LISTENERS and "-format" not in raw:
                enumerations += 1
        elif line.kind is _Kind.ERRNO:
            errnos += 1
    if headers and keys >= 2:
        return 100 if commands else 90
    if headers and (keys or errnos):
        return 70
    if keys >= 3:
        return 60 if commands else 50
    # `winrm enumerate winrm/config/listener` printing nothing: no listener exists
    return 40 if enumerations else 0


@pasted
def parse(source: SourceText) -> ParsedDump:
    dump = _Reader(source).read()
    if not dump.readings and not dump.coverage:
        raise ParseError("no `winrm get` or `winrm enumerate` output found", first_content_line(source.lines))
    return dump


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="winrm get",
    module=__name__,
    commands=(
        r"winrm(?:\.cmd)?\s+(?:get|g|set|s|enumerate|enum|e)\s+winrm/config(?![^|\n]*-format:(?:xml|pretty))",
    ),
    command_words=("winrm",),
    anchors=tuple(sorted(_HEADERS | _KNOWN_NAMES | {"winrm"})),
    samples=Samples("winrm_config", rejected=("empty.txt", "garbage.txt")),
)
