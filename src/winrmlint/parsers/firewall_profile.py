"""Parser for `netsh advfirewall show currentprofile` (and `show allprofiles`, `show publicprofile`…):
which Windows Firewall profile is active, and whether its firewall is on.

Each block opens with `<Profile> Profile Settings:` and a dashed line, then `State  ON|OFF`.
Only `show currentprofile` prints the active profiles, and only its echoed command line tells it
from `show allprofiles` (same blocks, every profile): a block is read as active only after that
command line. Readings: `network/firewall-profile/<Domain|Private|Public>/State` (`ON`, `OFF`) and
`…/Active` (true) for `currentprofile`; the collection covers `network/firewall-profile`.
"""

from __future__ import annotations

import re

from winrmlint.model.values import ParsedDump, ParseError, Reading
from winrmlint.parsers import skipped
from winrmlint.parsers.strings.firewall import TABLE as FIREWALL
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, prompt_command, sniffed
from winrmlint.parsers.text import clean_line, is_prompt
from winrmlint.source import SourceText

FORMAT = "firewall-profile"
PREFIX = "network/firewall-profile"
# the profile word of a block title, as netsh prints it in English (the key of its readings)
PROFILES = {"domain": "Domain", "private": "Private", "public": "Public"}
_TITLE = re.compile(r"^\s*(?P<profile>Domain|Private|Public) Profile Settings:\s*$", re.IGNORECASE)
_STATE = re.compile(r"^\s*State\s+(?P<state>ON|OFF)\s*$", re.IGNORECASE)
_LOGGING = re.compile(r"^\s*Logging:\s*$", re.IGNORECASE)
_COMMAND = re.compile(r"netsh\s+advfirewall\s+show\s+(?P<which>\w+)", re.IGNORECASE)


@sniffed
def sniff(source: SourceText) -> int:
    lines = source.lines[:80]
    for index, line in enumerate(lines):
        if _TITLE.match(clean_line(line)) and any(_STATE.match(clean_line(n)) for n in lines[index + 1:index + 4]):
            return 93
    return 0


@pasted
def parse(source: SourceText) -> ParsedDump:
    dump = ParsedDump(FORMAT)
    current = False  # the last netsh command shown was `show currentprofile`
    profile: str | None = None
    used: set[int] = set()  # what the blocks hold: their titles, and `Logging:`, which follows one
    for number, raw in enumerate(source.lines, 1):
        text = clean_line(raw)
        command = prompt_command(text) if is_prompt(text) else None
        shown = _COMMAND.search(command if command is not None else text)
        if shown is not None and (command is not None or text.lstrip().lower().startswith("netsh")):
            current = shown["which"].lower() == "currentprofile"
            profile = None
            used.add(number)
            continue
        if _LOGGING.match(text) or FIREWALL.says(text.strip(), "ok"):
            used.add(number)  # netsh's own lines around the blocks (`Ok.` in the server's language)
            continue
        if title := _TITLE.match(text):
            used.add(number)
            profile = PROFILES[title["profile"].lower()]
            key = f"{PREFIX}/{profile}"
            if current:
                dump.readings.append(Reading(f"{key}/Active", True, source.at(number), raw=text.strip(), origin=FORMAT))
            dump.coverage.setdefault(PREFIX, source.at(number))
        elif profile is not None and (state := _STATE.match(text)):
            value = state["state"].upper()
            dump.readings.append(Reading(f"{PREFIX}/{profile}/State", value, source.at(number), raw=value, origin=FORMAT))
            profile = None
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
    anchors=("profile settings:",),
    samples=Samples("firewall_profile"),
)
