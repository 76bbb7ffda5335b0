"""Parser for `net localgroup <group>`: the members of a local group (connection-model §5, step 15:
Administrators and Remote Management Users decide who may use the default endpoint).

The labels are localised (`Alias name`/`Aliasname`/`Nom d'alias`, `Members`/`Mitglieder`), the
shape is not: a `label  value` line naming the group, a comment, a members heading, a dashed
rule, one member per line (domain accounts as `DOMAIN\\name`, local ones bare), and the
completion sentence. Several groups may follow one another in one paste. Each group becomes
`localgroup/<group>/Members` (a list), and covers `localgroup/<group>`.
"""

from __future__ import annotations

import re

from winrmlint.model.values import ParsedDump, ParseError, Reading
from winrmlint.parsers import skipped
from winrmlint.parsers.text import first_output_line, is_prompt
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.source import SourceText

FORMAT = "net-localgroup"
PREFIX = "localgroup"
_RULE = re.compile(r"^-{20,}\s*$")
_LABEL = re.compile(r"^(?P<label>\S[^\t]*?\S)\s{2,}(?P<value>\S.*?)\s*$")
_COMMAND = re.compile(r"net(?:\.exe)?\s+localgroup\s+(?:\"([^\"]+)\"|(\S+))", re.IGNORECASE)


def _blocks(source: SourceText) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """(group, line of its name, [(member, line)]) per `net localgroup` listing."""
    lines = source.lines
    found = []
    for index, line in enumerate(lines):
        if not _RULE.match(line):
            continue
        head = next((i for i in range(index - 1, max(-1, index - 12), -1) if _LABEL.match(lines[i]) and not is_prompt(lines[i])
                     and (i == 0 or not lines[i - 1].strip() or is_prompt(lines[i - 1]) or _COMMAND.search(lines[i - 1]))), None)
        if head is None:
            continue
        match = _LABEL.match(lines[head])
        assert match is not None
        members: list[tuple[str, int]] = []
        for number in range(index + 1, len(lines)):
            text = lines[number].strip()
            if not text or is_prompt(lines[number]) or _RULE.match(text):
                break
            if text.endswith(".") and " " in text and "\\" not in text:
                break  # "The command completed successfully." in any language
            members.append((text, number + 1))
        found.append((match["value"], head + 1, members))
    return found


@sniffed
def sniff(source: SourceText) -> int:
    head = SourceText(source.uri, source.lines[:200], source.encoding)
    blocks = _blocks(head)
    if not blocks:
        return 0
    return 92 if any(_COMMAND.search(line) for line in source.lines[:20]) else 80


@pasted
def parse(source: SourceText) -> ParsedDump:
    blocks = _blocks(source)
    if not blocks:
        line = first_output_line(source.lines)
        raise ParseError("no `net localgroup` listing (a group name, a dashed rule, its members)", line)
    dump = ParsedDump(FORMAT)
    used: set[int] = set()
    for group, line, members in blocks:
        # the whole listing: its name, comment and members heading, then the members
        used.update(range(line, (members[-1][1] if members else line) + 1))
        key = f"{PREFIX}/{group}"
        names = tuple(name for name, _ in members)
        dump.readings.append(Reading(f"{key}/Members", names, source.at(line), raw=", ".join(names), origin=FORMAT))
        dump.coverage.setdefault(key, source.at(line))
    skipped.unread_blocks(dump, source, used)
    return dump


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="net localgroup",
    module=__name__,
    commands=(
        r"net(?:\.exe)?\s+localgroup\b",
    ),
    command_words=("localgroup",),
    anchors=("-" * 20,),
    samples=Samples("local_groups"),
)
