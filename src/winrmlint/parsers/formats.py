"""How a format declares itself: its name, how messages name it, the commands that print it, the
words that any file of it holds (the anchors of the one-pass detection) and its samples. Each parser module holds one `DECLARATION`; `parsers/__init__.py` lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from winrmlint.parsers.strings import Table


@dataclass(frozen=True)
class Samples:
    """`fixtures/samples/<folder>/`: every file there is recognised as the format, except `rejected`,
    which must not be (another format's, or nobody's)."""

    folder: str
    rejected: tuple[str, ...] = ()


@dataclass(frozen=True)
class Format:
    """One input format as it declares itself.

    `anchors` are lower-case literals of which the head of every file of the format holds at least
    one: detection scans a file's head once for all formats' anchors together and asks only the
    formats found there to score it. An anchor too few loses files, so each is derived from what the
    format's `sniff` looks for. `commands` match the command line that prints the format (after a
    prompt or echoed bare), which is how a transcript is cut into parts; `command_words` are lower-case
    literals one of which each such command line holds (a text without two formats' words is no transcript).
    `strings` is the format's table of localised strings (parsers/strings/), None for output whose
    words Windows does not translate.
    """

    name: str
    display: str
    module: str
    commands: tuple[str, ...]
    command_words: tuple[str, ...]
    anchors: tuple[str, ...]
    samples: Samples
    strings: Table | None = None
    command_pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pattern = re.compile(r"^(?:" + "|".join(self.commands) + r")", re.IGNORECASE) if self.commands else None
        object.__setattr__(self, "command_pattern", pattern or re.compile(r"(?!)"))

    def prints(self, command: str) -> bool:
        """Whether this command line (without its prompt) prints this format."""
        return bool(self.command_pattern.match(command.strip()))
