"""What a parser skipped, said the same way for every format.

A parser that reads a file only in part says which lines it did not read, so that `winrmlint
parse` and the JSON output show how the text was read and a reader can tell a fact the file lacks
from one winrmlint passed over. Every parser says it through this module:

- `elision(text)`: the note for an author's elision line (`...`, `[snip]`);
- `message(text, why)`: the note for one line the parser met and did not use (`line not
  understood, skipped: `…``), for parsers that keep their own note list;
- `note(dump, source, number, text, why)`: the same, added to a dump (an elision line is noted as
  an elision);
- `unread_blocks(dump, source, used)`: for parsers that read records (the connect inputs,
  `netsh advfirewall show currentprofile`): after reading, every block of content lines that holds
  none of the `used` line numbers is noted once, and every elision line.

A message names the line's text (cut at 80 characters) and says `skipped`, so one search finds
every skipped line of a run.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from winrmlint.model.values import Note, ParsedDump
from winrmlint.parsers.paste import is_elision, is_prompt
from winrmlint.source import SourceText

_SHOWN = 80
_UNDERLINE = re.compile(r"^[\s\-=+|]+$")


def message(text: str, why: str = "line not understood") -> str:
    shown = text.strip()
    if len(shown) > _SHOWN:
        shown = shown[:_SHOWN] + "…"
    return f"{why}, skipped: `{shown}`"


def elision(text: str) -> str:
    return f"elision skipped: {text.strip()}"


def note(dump: ParsedDump, source: SourceText, number: int, text: str, why: str = "line not understood") -> None:
    """Note one line (1-based `number`) that the parser did not read."""
    if is_elision(text):
        dump.notes.append(Note(elision(text), source.at(number)))
    else:
        dump.notes.append(Note(message(text, why), source.at(number)))


def unread_blocks(dump: ParsedDump, source: SourceText, used: Collection[int], why: str = "not read") -> int:
    """For parsers that read records: every elision line is noted, and every block (a run of
    content lines between blank lines and prompts) that holds no line in `used` is noted once,
    by its lines and its first line's text. Returns how many blocks were noted."""
    noted = 0
    block: list[int] = []

    def close() -> None:
        nonlocal noted
        content = [n for n in block if not is_elision(source.lines[n - 1])]
        if content and not any(n in used for n in block):
            first, last = content[0], content[-1]
            where = f"line {first}" if first == last else f"lines {first}–{last}"
            dump.notes.append(Note(message(source.lines[first - 1], f"{why} ({where})"), source.at(first)))
            noted += 1
        block.clear()

    for number, line in enumerate(source.lines, 1):
        if is_elision(line):
            dump.notes.append(Note(elision(line), source.at(number)))
        if not line.strip() or is_prompt(line):
            close()
        elif not _UNDERLINE.match(line):
            block.append(number)
    close()
    return noted
