"""Making untrusted text safe for a terminal, a CI log and a Markdown renderer: dumps come from
machines that may be hostile.

- `safe(text)`: a fragment for a terminal (controls, bidi overrides, line separators escaped).
- `neutralise(text)`: whole lines for a CI log: GitHub's runner acts on `::command::` at a
  line's start and `##[command]` anywhere; both are shown escaped (`\x3a:`, `#\x23[`). Every
  human-facing output runs its lines through it (`guarded(stream)` does it for a stream).
- `sarif_text(text)`, `markdown(text)`: a message for SARIF's `text` (brackets escaped, as
  SARIF §3.11.6 requires, so that no dump text becomes an embedded link) and `markdown`
  (back-quoted spans kept as code, prose escaped, links and mentions broken).
"""

from __future__ import annotations

import io
import re
from typing import TextIO, cast

# C0/C1 controls (ANSI escapes start with ESC) and the bidirectional overrides that can make a
# file name or value read differently from what it is (Trojan Source, CVE-2021-42574); the
# Unicode line and paragraph separators, which some terminals and editors break lines at.
_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def safe(text: str) -> str:
    """`text` with every control or bidi character shown as a visible escape (`\\x1b`, `\\u202e`)."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


# `::name …::` at a line's start (after blanks, or our own colour codes) and `##[name]` anywhere
_COMMAND_START = re.compile(r"^((?:[ \t]|\x1b\[[0-9;]*m)*):(?=:)", re.MULTILINE)
_COMMAND_ANYWHERE = re.compile(r"##\[")


def neutralise(text: str) -> str:
    """`text` with no line that GitHub's runner would read as a workflow command."""
    return inline(_COMMAND_START.sub(r"\1\\x3a", text))


def inline(text: str) -> str:
    """`text` with no `##[command]`, which the runner acts on anywhere in a line: for text inside
    a line that starts with a workflow command of our own (a GitHub annotation's message)."""
    return _COMMAND_ANYWHERE.sub("#\\\\x23[", text)


class _Guarded(io.TextIOBase):
    """A stream whose every write is neutralised (writes are whole lines in our outputs)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(neutralise(text))

    def isatty(self) -> bool:
        return self._stream.isatty()


def guarded(stream: TextIO) -> TextIO:
    return cast(TextIO, _Guarded(stream))


def sarif_text(text: str) -> str:
    """A SARIF `message.text`: literal brackets escaped (SARIF §3.11.6), so that dump text such as
    `[x](https://…)` or `[x](1)` is never read as an embedded link."""
    # only a backslash before a bracket needs doubling: Windows paths keep theirs
    return re.sub(r"(\\*)([\[\]])", lambda m: m.group(1) * 2 + "\\" + m.group(2), text)


def sarif_plain(text: str) -> str:
    """The text a SARIF `message.text` stands for: `sarif_text` undone (a baseline's messages are
    compared with this run's, and written again escaped)."""
    return re.sub(r"(\\+)([\[\]])", lambda m: m.group(1)[: len(m.group(1)) // 2] + m.group(2), text)


_PROSE_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")
_LINKISH = re.compile(r"(@|://|www\.)")


def markdown(text: str) -> str:
    """A message as Markdown that renders as written: its back-quoted spans (where rules put every
    value from a dump) as code spans fenced past any backtick inside, the prose between them with
    Markdown's punctuation escaped, and `@` (mentions), `://` and `www.` (autolinks) broken by
    a word joiner."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an odd backtick: no spans can be trusted, all of it is prose
        parts = [text]
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            fence = "`" * (max((len(m) for m in re.findall(r"`+", part)), default=0) + 1)
            pad = " " if part.startswith("`") or part.endswith("`") or not part.strip() else ""
            out.append(f"{fence}{pad}{part}{pad}{fence}" if part else "``")
        else:
            broken = _LINKISH.sub(lambda m: m.group(1)[0] + "\u2060" + m.group(1)[1:], part)
            out.append(_PROSE_SPECIAL.sub(r"\\\1", broken))
    return "".join(out)


# Characters that JSON leaves as they are but that line readers split at (Python's
# str.splitlines, JavaScript's line terminators): NEL and the Unicode separators.
_LINE_SEPARATORS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(encoded: str) -> str:
    """One line of JSON Lines (`json.dumps(…, ensure_ascii=False)`) that no reader can split: the
    line separators a value may hold become JSON escapes (which decode to the same value)."""
    return encoded.translate(_LINE_SEPARATORS)
