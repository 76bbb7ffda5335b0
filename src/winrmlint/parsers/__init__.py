"""Input formats, recognised by content: each module offers `FORMAT`, `DECLARATION`, `sniff` and `parse`.

`sniff(source) -> int` scores how sure a module is that the text is its format (0: not mine,
100: certain); the best score wins. `parse(source) -> ParsedDump` raises only `ParseError`. Both
read the text with the paste undone (`paste.prepare`).

Detection is one pass over a file's head: one pattern holding every format's anchors finds the
formats that could be there, and only those score the text. A transcript whose commands print
several formats is read part by part, each part by the parser of the command that printed it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Protocol

from winrmlint.model.values import Note, ParsedDump, ParseError, Reading
from winrmlint.parsers import (
    certificates,
    dns_answers,
    dsregcmd,
    execution_policy,
    firewall,
    firewall_profile,
    local_groups,
    net_profile,
    paste,
    reg_file,
    reg_query,
    service_state,
    session_configs,
    setspn,
    table,
    winhttp_proxy,
    winrm_config,
    winrm_xml,
    wsman_drive,
    wsman_instance,
)
from winrmlint.parsers.formats import Format
from winrmlint.source import SourceText

# Explicit registry; on equal scores the earlier one wins.
PARSERS: tuple[ModuleType, ...] = (
    winrm_config,
    winrm_xml,
    wsman_instance,
    reg_file,
    reg_query,
    execution_policy,
    firewall,
    service_state,
    winhttp_proxy,
    setspn,
    dsregcmd,
    wsman_drive,
    session_configs,
    net_profile,
    firewall_profile,
    certificates,
    local_groups,
    dns_answers,
)
FORMATS: tuple[Format, ...] = tuple(parser.DECLARATION for parser in PARSERS)
# how messages name the tool behind each format
DISPLAY_NAMES: dict[str, str] = {f.name: f.display for f in FORMATS}
TRANSCRIPT = "transcript"
# the most lines a format's sniff looks at (net localgroup's 200), and so the head anchors are looked for in
HEAD_LINES = 200

_ANCHOR_WORDS = sorted({a for f in FORMATS for a in f.anchors}, key=lambda a: (-len(a), a))


def _longest_first(words: list[str], depth: int = 3) -> str:
    """One pattern of `words` that matches, at each place, the longest of them there (as their
    alternation longest first does), with those sharing a first character grouped under it, `depth`
    characters deep: the engine then tries a few alternatives at each offset instead of all 142
    (about 3x faster a file)."""
    if depth == 0 or len(words) == 1:
        return "|".join(re.escape(w) for w in sorted(words, key=lambda a: (-len(a), a)))
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    parts = []
    for first, rests in sorted(groups.items()):
        longer = [rest for rest in rests if rest]
        inner = _longest_first(longer, depth - 1) if longer else ""
        if "" not in rests:
            parts.append(f"{re.escape(first)}(?:{inner})")
        else:  # the word ends here: tried after every longer one
            parts.append(re.escape(first) + (f"(?:{inner})?" if inner else ""))
    return "|".join(parts)


_ANCHORS = re.compile(_longest_first(_ANCHOR_WORDS))
# a found word stands for every anchor inside it (the scan reports the longest at each place)
_FORMATS_OF = {
    word: frozenset(i for i, f in enumerate(FORMATS) if any(a in word for a in f.anchors)) for word in _ANCHOR_WORDS
}


# every format's commands in one pattern: a line is matched once, its group names the format
_ALTERNATIVES = "|".join(f"(?P<f{i}>{'|'.join(f.commands)})" for i, f in enumerate(FORMATS) if f.commands)
_COMMANDS = re.compile(_ALTERNATIVES, re.IGNORECASE)
# the same after an optional prompt, over a whole text: which formats its command lines print, in one
# pass; led by a newline (not `^`), which the engine looks for as a literal instead of trying every offset.
# The blanks are possessive: neither a prompt nor a command starts with one, and giving them back
# one by one made each indented line cost quadratic attempts (~20x the whole scan on winrm get output)
_COMMAND_LINES = re.compile(rf"\n(?i:[ \t]*+(?:{paste.PROMPTS})?[ \t]*+(?:{_ALTERNATIVES}))")


class Parser(Protocol):
    """What `detect` returns: a format's name and its reader."""

    FORMAT: str

    def parse(self, source: SourceText) -> ParsedDump: ...


def candidates(source: SourceText) -> list[ModuleType]:
    """The parsers whose anchors the head of the (prepared) text holds, in registry order."""
    head = "\n".join(source.lines[:HEAD_LINES]).lower()
    found: set[int] = set()
    for word in {match.group() for match in _ANCHORS.finditer(head)}:
        found |= _FORMATS_OF[word]
    return [PARSERS[i] for i in sorted(found)]


def scores(source: SourceText) -> dict[str, int]:
    """Every candidate's score for this text (the sniff matrix's view of detection)."""
    text = paste.prepare(source)
    return {parser.FORMAT: parser.sniff(text) for parser in candidates(text)}


def detect(source: SourceText) -> Parser | None:
    """The parser for this text, or None when no format recognises it."""
    text = paste.prepare(source)
    parts = _transcript_parts(text)
    if parts is not None:
        return _Transcript(text, parts)
    best: ModuleType | None = None
    best_score = 0
    for parser in candidates(text):
        score = parser.sniff(text)
        if score > best_score:
            best, best_score = parser, score
    return best or _echoed_format(text)


def _echoed_format(text: SourceText) -> ModuleType | None:
    """A file that starts with the command that made it (README "Collecting a bundle") is that
    command's format, even when its output is one no sniff knows: its parser then reads or refuses it.
    Some output must follow: a file of command lines only is nobody's dump."""
    content = [line for line in text.lines[:HEAD_LINES] if line.strip()][:2]
    if len(content) < 2 or len(content[0]) > 2000 or paste.is_prompt(content[1]):
        return None
    typed = paste.prompt_command(content[0])
    parser = command_format(typed if typed is not None else content[0])
    return None if parser is None or command_format(content[1].strip()) else parser


# `powershell.exe -command 'Get-PSSessionConfiguration'`: the command PowerShell is asked to run
_WRAPPED_COMMAND = re.compile(r"^(?:powershell|pwsh)(?:\.exe)?\s+(?:-\w+\s+)*?-c(?:ommand)?\s+['\"]?", re.IGNORECASE)


def _is_header(lines: tuple[str, ...], index: int) -> bool:
    """A table header line: words, with a dashed underline as the next non-blank line."""
    if not lines[index].strip() or table.is_underline(lines[index]):
        return False
    following = next((i for i in range(index + 1, min(len(lines), index + 3)) if lines[i].strip()), None)
    return following is not None and table.is_underline(lines[following])


def later_runs_first(dump: ParsedDump, source: SourceText) -> None:
    """A transcript that runs a command twice (`show proxy`, `set proxy`, `show proxy`; a listing
    before and after `Disable-PSRemoting`) shows the state it ended in: a setting read in two runs
    is read from the later one. Runs are told apart by the command lines of the file (a prompt, or
    a command that prints a format); readings of one run keep the parser's order, so a section
    duplicated inside one output stays the disagreement it is."""
    if len(dump.readings) < 2:
        return
    text = paste.prepare(source)
    commands: dict[str, list[int]] = {}
    headers: dict[str, list[int]] = {}
    for index, line in enumerate(text.lines):
        typed = paste.prompt_command(line)
        command = _WRAPPED_COMMAND.sub("", typed if typed is not None else line.strip())
        if command and len(command) <= 2000 and command_format(command) is not None:
            commands.setdefault(" ".join(command.lower().strip("'\"").split()), []).append(text.line_of(index + 1))
        elif _is_header(text.lines, index):
            # a table printed again (its commands typed first, their outputs after) is a run too
            headers.setdefault(line.strip(), []).append(text.line_of(index + 1))
    # only the same command run again (or the same table printed again) starts a later run: two
    # commands that show one setting each say it once, and the first says it
    starts = sorted(n for lines in (*commands.values(), *headers.values()) if len(lines) > 1 for n in lines)
    if len(starts) < 2:
        return

    def run(reading: Reading) -> int:
        return bisect.bisect_right(starts, reading.location.line)

    runs: dict[str, set[int]] = {}
    for reading in dump.readings:
        runs.setdefault(reading.path.lower(), set()).add(run(reading))
    if any(len(seen) > 1 for seen in runs.values()):
        dump.readings.sort(key=lambda r: -run(r))
        dump.notes.append(Note(f"{len(starts)} runs of a command in one file: a setting shown by two runs is read from the later one", text.at(1)))


# --- transcripts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    """Lines `first`..`last` (0-based, inclusive), printed by `command`; `parser` None for a command no format prints."""

    first: int
    last: int
    command: str
    parser: ModuleType | None


def command_format(command: str) -> ModuleType | None:
    """The parser of the format that this command line prints, if any."""
    match = _COMMANDS.match(command.strip())
    return PARSERS[int(match.lastgroup[1:])] if match and match.lastgroup else None


def _transcript_parts(text: paste.PastedText) -> list[_Part] | None:
    """The parts of a transcript whose commands print two formats or more; None for any other text."""
    whole = text.text
    low = whole.lower()
    if sum(any(word in low for word in f.command_words) for f in FORMATS) < 2:
        return None  # one substring search per word, in C: most files stop here
    if len({match.lastgroup for match in _COMMAND_LINES.finditer("\n" + whole)}) < 2:
        return None
    starts: list[tuple[int, str, ModuleType | None]] = []
    for index, line in enumerate(text.lines):
        typed = paste.prompt_command(line)
        command = typed if typed is not None else line.strip()
        if not command or len(command) > 2000:
            continue
        # a command may print a format only where its prompt stands (`PS WSMan:\\localhost> dir`)
        parser = command_format(command) or (command_format(line) if typed else None)
        if parser is not None or typed:
            starts.append((index, command, parser))
    parts: list[_Part] = []
    for (first, command, parser), following in zip(starts, [s[0] for s in starts[1:]] + [len(text.lines)]):
        # what precedes the first command (a title, a blank line) goes with it
        parts.append(_Part(0 if not parts else first, following - 1, command, parser))
    # a command that printed nothing does not make a transcript of two formats
    printed = {p.parser for p in parts if p.parser is not None and any(s.strip() for s in text.lines[p.first + 1 : p.last + 1])}
    return parts if len(printed) >= 2 else None


class _Transcript:
    """A file holding several commands' outputs: each part read by its own format's parser."""

    FORMAT = TRANSCRIPT

    def __init__(self, text: paste.PastedText, parts: list[_Part]) -> None:
        self.text = text
        self.parts = parts

    def parse(self, source: SourceText) -> ParsedDump:
        text = self.text
        dump = ParsedDump(TRANSCRIPT, notes=list(text.notes))
        read: list[str] = []
        error: ParseError | None = None
        owner = [-1] * len(text.lines)
        starts = {part.first for part in self.parts[1:]}
        for number, part in enumerate(self.parts):
            owner[part.first : part.last + 1] = [number] * (part.last - part.first + 1)
        order = list(dict.fromkeys(part.parser for part in self.parts))
        for parser in order:
            span = ", ".join(_span(text, p) for p in self.parts if p.parser is parser)
            if parser is None:
                commands = ", ".join(f"`{p.command[:60]}`" for p in self.parts if p.parser is None)
                dump.notes.append(Note(f"output of {commands} ({span}) not read: no format of that command", text.at(1)))
                continue
            mine = {n for n, p in enumerate(self.parts) if p.parser is parser}
            first = next(p for p in self.parts if p.parser is parser)
            try:
                # other parts' command lines stay: they end this format's output as in the file
                part = parser.parse(text.view(lambda i: owner[i] in mine or i in starts))
            except ParseError as err:
                error = error or ParseError(f"{parser.FORMAT}: {err}", err.line)
                dump.notes.append(Note(f"{span}, read as {parser.FORMAT}: {err}", text.at(err.line)))
                continue
            read.append(parser.FORMAT)
            dump.notes.append(Note(f"{span} read as {parser.FORMAT}", text.at(first.first + 1)))
            _merge(dump, part)
        if not read:
            raise error or ParseError("no part of the transcript could be read", 1)
        if len(read) == 1:
            dump.format = read[0]
        return dump


def _span(text: paste.PastedText, part: _Part) -> str:
    first, last = text.at(part.first + 1).line, text.at(part.last + 1).line
    return f"lines {first}–{last}" if last > first else f"line {first}"


def _merge(into: ParsedDump, part: ParsedDump) -> None:
    into.readings.extend(part.readings)
    for prefix, location in part.coverage.items():
        into.coverage.setdefault(prefix, location)
    into.spns.extend(part.spns)
    into.spn_queries.extend(part.spn_queries)
    into.notes.extend(part.notes)
    into.host_names.extend(part.host_names)
