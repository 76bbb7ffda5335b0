"""Parser for `netsh winhttp show proxy`: the machine's WinHTTP proxy, which WinRM's client uses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from winrmlint.model import paths
from winrmlint.model.values import Note, ParsedDump, ParseError, Reading
from winrmlint.parsers import skipped
from winrmlint.parsers.text import clean_line, is_elision, is_prompt
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.parsers.strings import anchors
from winrmlint.parsers.strings.winhttp_proxy import TABLE
from winrmlint.source import SourceText

FORMAT = "winhttp-proxy"
COVERAGE = "winhttp"  # the prefix of paths.WINHTTP_PROXY and paths.WINHTTP_BYPASS

# netsh's texts are localised but keep their shape: a title naming WinHTTP and ending with a colon,
# then either one sentence with a parenthesis (`Direct access (no proxy server).`) or two
# `Key :  value` lines, the proxy first and the bypass list second. Which language it is comes from
# the table (strings/winhttp_proxy.py): a section none of whose lines it knows is refused by name.
# linear forms (lookahead, possessive quantifiers): overlapping `\s*[^:]*` backtracked
# quadratically on a long line of spaces
_TITLE = re.compile(r"^(?=[^:]*WinHTTP)[^:]*+:\s*+$", re.IGNORECASE)
# words in the parenthesis, never a number: `… settings. (5) Access is denied.` is an error
_DIRECT = re.compile(r"^[^:()]++\((?=[^:()\d]*[^\W\d_])[^:()\d]*+\)\s*+(?:[.。]\s*+)?$")
_FIELD = re.compile(r"^\s*+(?P<key>[^:]*?\S)\s*:(?:\s+(?P<value>.*))?$")
# `(none)`, `(keine)`, `(aucun)`: a bypass list of real entries is never wrapped in parentheses
_NONE = re.compile(r"^\(\s*[^()]*\)$")


@dataclass
class _Section:
    """One `Current WinHTTP proxy settings:` block (or its values pasted without the title)."""

    title: int | None
    direct: tuple[str, int] | None = None
    fields: list[tuple[str, str, int]] = field(default_factory=list)


@sniffed
def sniff(source: SourceText) -> int:
    head = [line for line in source.lines[:60] if line.strip() and not is_prompt(line) and not is_elision(line)]
    # the title alone could be anyone's sentence about WinHTTP: netsh's next line must follow
    for title, following in zip(head, head[1:]):
        if _TITLE.match(title) and (_DIRECT.match(following) or _FIELD.match(following)):
            return 95
    if any(TABLE.says(line, "direct") or _known_field(line, "proxy") for line in head):
        return 90
    return 0


@pasted
def parse(source: SourceText) -> ParsedDump:
    dump = ParsedDump(FORMAT)
    section: _Section | None = None
    unknown: list[tuple[int, str]] = []  # sections none of whose lines the table knows
    for number, raw in enumerate(source.lines, 1):
        text = clean_line(raw)
        if not text.strip() or is_prompt(text):
            continue
        if is_elision(text):
            dump.notes.append(Note(skipped.elision(text), source.at(number)))
        elif _TITLE.match(text) or TABLE.says(text, "title"):  # Russian ends its title with `.`
            _close(source, section, dump, unknown)
            section = _Section(number)
        elif _DIRECT.match(text) and (section is not None or TABLE.says(text, "direct")):
            section = section or _Section(None)
            if section.fields or section.direct is not None:
                dump.notes.append(Note(skipped.message(text, "after the proxy settings"), source.at(number)))
            else:
                section.direct = (text.strip(), number)
        elif (match := _FIELD.match(text)) and (section is not None or _known_field(text, "proxy")):
            section = section or _Section(None)
            if section.direct is not None:
                dump.notes.append(Note(skipped.message(text, "after the proxy settings"), source.at(number)))
            else:
                section.fields.append((match["key"], (match["value"] or "").strip(), number))
        else:
            dump.notes.append(Note(skipped.message(text), source.at(number)))
    _close(source, section, dump, unknown)
    if unknown and not dump.readings:
        raise ParseError(TABLE.unknown(unknown[0][1]), unknown[0][0])
    if section is None:
        line = dump.notes[0].location.line if dump.notes else 1
        raise ParseError("no WinHTTP proxy settings found", line)
    return dump


def _known_field(line: str, key: str) -> bool:
    match = _FIELD.match(line)
    return match is not None and TABLE.says(match["key"], key)


def _close(source: SourceText, section: _Section | None, dump: ParsedDump, unknown: list[tuple[int, str]]) -> None:
    if section is None:
        return
    stranger = _unknown_line(source, section)
    if stranger is not None:
        unknown.append(stranger)
        dump.notes.append(Note(TABLE.skipped(stranger[1]), source.at(stranger[0])))
        return
    if section.direct is not None:
        sentence, line = section.direct
        dump.readings.append(_reading(source, paths.WINHTTP_PROXY, sentence, line, ""))
        dump.readings.append(_reading(source, paths.WINHTTP_BYPASS, sentence, line, ""))
        dump.coverage.setdefault(COVERAGE, source.at(section.title or line))
        return
    found: set[str] = set()
    for position, (key, raw, line) in enumerate(section.fields):
        path = _path_of(key, position)
        value = "" if path == paths.WINHTTP_BYPASS and _NONE.match(raw) else raw
        dump.readings.append(_reading(source, path, raw, line, value))
        found.add(path)
    # a block cut before its bypass line does not say what the bypass list is
    if {paths.WINHTTP_PROXY, paths.WINHTTP_BYPASS} <= found:
        dump.coverage.setdefault(COVERAGE, source.at(section.title or section.fields[0][2]))
    else:
        last = section.fields[-1][2] if section.fields else section.title
        dump.notes.append(Note("WinHTTP proxy settings cut short", source.at(last or 1)))


def _unknown_line(source: SourceText, section: _Section) -> tuple[int, str] | None:
    """A section is read by position only when the table knows one of its lines (netsh's shape is
    the same in every language, so an unknown title could be anything's); else its first line."""
    lines = [number for number in (section.title, section.direct and section.direct[1]) if number]
    lines += [line for _, _, line in section.fields]
    texts = [source.lines[number - 1] for number in lines]
    if not lines or any(TABLE.says(text, "title", "direct") for text in texts):
        return None
    if any(TABLE.says(key, "proxy", "bypass") for key, _, _ in section.fields):
        return None
    return lines[0], texts[0]


def _path_of(key: str, position: int) -> str:
    said = TABLE.find(key, "proxy", "bypass")
    if said is not None:
        return paths.WINHTTP_PROXY if said.key == "proxy" else paths.WINHTTP_BYPASS
    # a key the table lacks, in a known language: netsh always prints the proxy first and the bypass list second
    if position == 0:
        return paths.WINHTTP_PROXY
    if position == 1:
        return paths.WINHTTP_BYPASS
    return f"{COVERAGE}/{key}"


def _reading(source: SourceText, path: str, raw: str, line: int, value: str) -> Reading:
    return Reading(
        path=path,
        value=value,
        location=source.at(line),
        raw=raw,
        origin=FORMAT,
    )


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="netsh winhttp show proxy",
    module=__name__,
    commands=(
        r"netsh(?:\.exe)?\s+winhttp\s+show\s+proxy\b",
    ),
    command_words=("winhttp",),
    anchors=("winhttp", *anchors(TABLE, "direct", "proxy")),
    samples=Samples("winhttp_proxy", rejected=("garbage.txt", "not_winhttp.txt")),
    strings=TABLE,
)
