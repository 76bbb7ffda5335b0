"""Line-level helpers that the text parsers share: prompts, elisions, hand comments, Format-List (tables: table.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# prompts, elisions and annotations are read in one place for every parser (paste.py)
from winrmlint.parsers.paste import PROMPT, is_elision, is_prompt, prompt_command  # noqa: F401
from winrmlint.parsers.paste import strip_annotation as strip_comment
from winrmlint.source import SourceText


def first_content_line(lines: Sequence[str]) -> int:
    """The number of the first line that is not blank (1 if none is): where a refusal points."""
    return next((number for number, line in enumerate(lines, start=1) if line.strip()), 1)


def first_output_line(lines: Sequence[str]) -> int:
    """The number of the first line that is neither blank nor a prompt (1 if none is): where a
    refusal of a command's output points."""
    return next((number for number, line in enumerate(lines, start=1) if line.strip() and not is_prompt(line)), 1)


def next_content(lines: Sequence[str], index: int) -> int | None:
    """The index of the first non-blank line among the three after `index`, or None.

    A header's dashed underline follows it directly, or after the blank lines of a double-spaced paste.
    """
    return next((i for i in range(index + 1, min(len(lines), index + 4)) if lines[i].strip()), None)


def clean_line(line: str) -> str:
    """A line of a table or a list as it is matched: tabs expanded, no hand comment, no trailing blanks."""
    return strip_comment(line.expandtabs(4)).rstrip()


@dataclass(frozen=True)
class Field:
    """One `Name : value` line of a Format-List record, with its continuation lines joined."""

    name: str
    value: str
    line: int
    truncated: bool = False


# the name ends on a non-space, so each run of spaces is scanned once: a lazy name followed by
# `\s*:` re-scanned the run from every offset, quadratic on a long line of spaces
_FL_FIELD = re.compile(r"^(?P<indent>[ \t]*)(?P<name>[A-Za-z_](?:[\w .\-]*[\w.\-])?)\s*:(?:[ \t](?P<value>.*))?$")
# a line that starts or goes on with Format-List output: one property name padded to the colon
FORMAT_LIST_LINE = re.compile(r"^\s*[A-Za-z_][\w.\-]*\s+:(?:\s|$)")


def format_list_records(source: SourceText, start: int = 0, stop: int | None = None) -> list[list[Field]]:
    """Split PowerShell Format-List output into records (blank-line separated).

    A line indented past the name column continues the previous field's value (PowerShell
    wraps long values to the value column); `...` or `…` at the end marks a value cut short.
    """
    records: list[list[Field]] = []
    current: list[Field] = []
    value_column = 0
    for number, raw in enumerate(source.lines[start:stop], start=start + 1):
        line = raw.expandtabs(4).rstrip()
        if not line.strip():
            if current:
                records.append(current)
                current = []
            continue
        indent = len(line) - len(line.lstrip())
        if current and indent >= value_column:
            last = current[-1]
            current[-1] = Field(last.name, _join_wrapped(last.value, line.strip()), last.line, _is_cut(line))
            continue
        match = _FL_FIELD.match(line)
        if match is None:
            continue
        value = (match.group("value") or "").strip()
        value_column = line.index(":") + 2
        current.append(Field(match.group("name").strip(), value, number, _is_cut(value)))
    if current:
        records.append(current)
    return records


def field_value(entry: Field | None) -> str:
    """A field's value without a hand-added comment; empty for a field the record does not show."""
    return strip_comment(entry.value).strip() if entry else ""


def _join_wrapped(head: str, tail: str) -> str:
    # PowerShell wraps lists after `, ` and long words anywhere: keep one space after a comma
    return f"{head} {tail}" if head.endswith(",") else head + tail


def _is_cut(value: str) -> bool:
    # PowerShell cuts lists as `{a, b, c, d...}`: the closing brace follows the ellipsis
    stripped = value.rstrip().removesuffix("}").rstrip()
    return stripped.endswith("...") or stripped.endswith("…")
