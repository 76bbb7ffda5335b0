"""Parser for `netsh advfirewall show currentprofile` (and `show allprofiles`, `show publicprofile`…):
which Windows Firewall profile is active, and whether its firewall is on.

Each block opens with `<Profile> Profile Settings:` and a dashed line, then `State  ON|OFF`, all
in the server's language: the titles, the `State` label, its values and `Logging:` are read through
`strings/firewall.py` (PROFILE_TABLE). A block of that shape whose title the table lacks is a
language winrmlint does not know: noted, and a file of nothing else is refused as such.
Only `show currentprofile` prints the active profiles, and only its echoed command line tells it
from `show allprofiles` (same blocks, every profile): a block is read as active only after that
command line. Readings: `network/firewall-profile/<Domain|Private|Public>/State` (`ON`, `OFF`) and
`…/Active` (true) for `currentprofile`; the collection covers `network/firewall-profile`.
"""

from __future__ import annotations

import re

from winrmlint.model.values import Note, ParsedDump, ParseError, Reading
from winrmlint.parsers import skipped
from winrmlint.parsers.strings import Table
from winrmlint.parsers.strings.firewall import PROFILE_KEYS
from winrmlint.parsers.strings.firewall import PROFILE_TABLE as STRINGS
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, prompt_command, sniffed
from winrmlint.parsers.text import clean_line, is_prompt
from winrmlint.source import SourceText

FORMAT = "firewall-profile"
PREFIX = "network/firewall-profile"
_TITLES = tuple(PROFILE_KEYS)
# the `State` label and its values, one small table per language: a label is read only with a value
# of its own language (German `Status` with French `Actif` is no state)
_STATES = tuple(
    Table(STRINGS.display, tuple(p for p in STRINGS.phrases if p.language == language and p.key in ("State", "ON", "OFF")))
    for language in STRINGS.languages
)
_DASHES = re.compile(r"^\s*-{20,}\s*$")
# a block's first setting: a label, two spaces or more, a value (no `Label:` of a rule listing)
_SETTING = re.compile(r"^\s*[^\s:：][^:：]*?\s{2,}\S[^:：]*$")
_COMMAND = re.compile(r"netsh\s+advfirewall\s+show\s+(?P<which>\w+)", re.IGNORECASE)


def _profile(text: str) -> str | None:
    """The profile (`Domain`, `Private`, `Public`) whose block title the line is, in any known language."""
    found = STRINGS.find(text, *_TITLES)
    return PROFILE_KEYS[found.key] if found is not None else None


def _state(text: str) -> tuple[str, str] | None:
    """`ON` or `OFF`, and the value as printed, when the line is the `State` setting in a known
    language (label and value may hold spaces, `상태  사용 안 함`; a paste may have squeezed the
    padding to one space)."""
    stripped = text.strip()
    for split in re.finditer(r"\s+", stripped):
        label, value = stripped[: split.start()], stripped[split.end():]
        for table in _STATES:
            if table.says(label, "State") and (found := table.find(value, "ON", "OFF")) is not None:
                return found.key, value
    return None


def _shaped(lines: list[str], index: int) -> bool:
    """netsh's block shape at `index`: a title, a dashed line, a `label   value` setting."""
    if index + 2 >= len(lines) or not lines[index].strip() or not _DASHES.match(lines[index + 1]):
        return False
    return bool(_SETTING.match(lines[index + 2])) and not _DASHES.match(lines[index])


@sniffed
def sniff(source: SourceText) -> int:
    lines = [clean_line(line) for line in source.lines[:80]]
    for index, line in enumerate(lines):
        if _profile(line) and any(_state(n) for n in lines[index + 1:index + 4]):
            return 93
    # the shape in a language the table lacks: recognised, to be refused by name (parse)
    if any(_shaped(lines, index) for index in range(len(lines))):
        return 40
    return 0


@pasted
def parse(source: SourceText) -> ParsedDump:
    dump = ParsedDump(FORMAT)
    current = False  # the last netsh command shown was `show currentprofile`
    profile: str | None = None
    used: set[int] = set()  # what the blocks hold: their titles, and `Logging:`, which follows one
    unknown: list[tuple[int, str]] = []  # block titles in a language the table lacks
    lines = [clean_line(raw) for raw in source.lines]
    for number, raw in enumerate(source.lines, 1):
        text = clean_line(raw)
        command = prompt_command(text) if is_prompt(text) else None
        shown = _COMMAND.search(command if command is not None else text)
        if shown is not None and (command is not None or text.lstrip().lower().startswith("netsh")):
            current = shown["which"].lower() == "currentprofile"
            profile = None
            used.add(number)
            continue
        if STRINGS.says(text, "logging", "ok"):
            used.add(number)  # netsh's own lines around the blocks (`Ok.` in the server's language)
            continue
        if (named := _profile(text)) is not None:
            used.add(number)
            profile = named
            key = f"{PREFIX}/{profile}"
            if current:
                dump.readings.append(Reading(f"{key}/Active", True, source.at(number), raw=text.strip(), origin=FORMAT))
            dump.coverage.setdefault(PREFIX, source.at(number))
        elif profile is not None and (state := _state(text)) is not None:
            value, raw = state
            dump.readings.append(Reading(f"{PREFIX}/{profile}/State", value, source.at(number), raw=raw, origin=FORMAT))
            profile = None
        elif profile is not None and number >= 2 and _DASHES.match(lines[number - 2]) and _SETTING.match(text):
            # the block's first setting, where netsh prints `State`, in words the table does not read
            dump.notes.append(Note(STRINGS.skipped(text), source.at(number)))
            used.add(number)
            profile = None
        elif _shaped(lines, number - 1):
            unknown.append((number, text))
            dump.notes.append(Note(STRINGS.skipped(text), source.at(number)))
            used.add(number)
    if PREFIX not in dump.coverage and unknown:
        raise ParseError(STRINGS.unknown(unknown[0][1]), unknown[0][0])
    if PREFIX not in dump.coverage:
        line = next((n for n, t in enumerate(source.lines, 1) if t.strip() and not is_prompt(t)), 1)
        raise ParseError("no `<Profile> Profile Settings:` block of netsh advfirewall", line)
    skipped.unread_blocks(dump, source, used)
    return dump


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="netsh advfirewall show currentprofile",
    module=__name__,
    commands=(r"netsh(?:\.exe)?\s+advfirewall\s+show\s+(?:currentprofile|allprofiles|domainprofile|privateprofile|publicprofile)\b",),
    command_words=("advfirewall",),
    anchors=("profile settings:", "advfirewall", "----------"),
    samples=Samples("firewall_profile"),
    strings=STRINGS,
)
