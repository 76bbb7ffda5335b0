"""Format-Table output as PowerShell prints it, read once for every parser that meets a table.

What a reader has to undo (formats.md, "PowerShell tables as printed"):
- a label wider than its column wraps onto a second header line (`DependentServi` / `ces`, under
  `-Wrap`) or is cut (`DependentSe...`): the dashes under the header give the column's width;
- `-AutoSize` and value types right-align a column (numbers, enums: `Get-ExecutionPolicy -List`'s
  two columns), so its cells end under the dashes and may start left of them;
- a value too wide for its column is cut with `...` (`…` in PowerShell 7): that cell is marked
  truncated, and a parser must not read it as the whole value;
- labels and names as typed (`name`, `STATUS`): columns are looked up without regard to case.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

# the most rows a table's alignment is learnt from: enough for any real table, bounded on hostile ones
_EVIDENCE_ROWS = 50
_WORD = re.compile(r"\S+")
_DASH_RUN = re.compile(r"-+")
_CUT_MARKS = ("...", "…")


@dataclass(frozen=True)
class Column:
    """A column: its label (wrapped pieces joined, a cut label without its dots), the span of the
    dashes under it (0-based, tabs expanded), and whether its cells are right-aligned."""

    name: str
    start: int
    end: int
    right: bool = False
    cut: bool = False  # the label itself was cut (`DependentSe...`): matched by prefix

    def is_named(self, name: str) -> bool:
        low, mine = name.lower(), self.name.lower()
        return low == mine or (self.cut and low.startswith(mine))


@dataclass(frozen=True)
class Cell:
    """A cell's text as printed (stripped); `truncated` when the table cut it (`Windows Remote Manag...`)."""

    text: str
    truncated: bool = False

    @property
    def value(self) -> str:
        """The text without the table's ellipsis (a prefix of the real value when truncated)."""
        return _uncut(self.text) if self.truncated else self.text


@dataclass(frozen=True)
class Table:
    """A table's header: `first` is the index of its first header line, `rows` of the line after its
    dashes; `bounds[i]` is where column i's cells end (the next one's start after one space)."""

    columns: tuple[Column, ...]
    first: int
    rows: int
    bounds: tuple[int, ...]

    @property
    def names(self) -> set[str]:
        """The labels in lower case."""
        return {column.name.lower() for column in self.columns}

    def column(self, *names: str) -> Column | None:
        """The first column answering to one of these names, whatever their case."""
        return next((c for name in names for c in self.columns if c.is_named(name)), None)

    def has(self, *names: str) -> bool:
        return self.column(*names) is not None

    def cells(self, line: str) -> dict[str, Cell] | None:
        """One row's cells by lower-case label; None when the line does not fit the columns (a word
        across a column edge, text left of a left-aligned first column)."""
        line = line.expandtabs(4).rstrip()
        first = self.columns[0]
        if not first.right and line[: first.start].strip():
            return None
        found: dict[str, Cell] = {}
        low = 0
        for column, high in zip(self.columns, self.bounds):
            if high < len(line) and line[high] != " " and high > 0 and line[high - 1] != " ":
                return None
            text = line[low:high].strip()
            found[column.name.lower()] = Cell(text, text.endswith(_CUT_MARKS))
            low = high
        return found

    def cell(self, cells: dict[str, Cell], *names: str) -> Cell | None:
        column = self.column(*names)
        return cells.get(column.name.lower()) if column is not None else None


def is_underline(line: str) -> bool:
    """A header's dashed underline: dashes and spaces only."""
    text = line.strip()
    return bool(text) and set(text) <= {"-", " "}


def find(lines: Sequence[str], index: int) -> Table | None:
    """The table whose header starts at `lines[index]`, or None.

    The dashes follow the header (blank lines between them are a double-spaced paste's), after at
    most one more header line holding the wrapped rest of labels that did not fit their column.
    """
    head = lines[index].expandtabs(4).rstrip()
    if not head.strip() or is_underline(head):
        return None
    pieces = [head]
    at = _next_content(lines, index)
    while at is not None and not is_underline(lines[at]):
        if len(pieces) == 2:
            return None
        pieces.append(lines[at].expandtabs(4).rstrip())
        at = _next_content(lines, at)
    if at is None:
        return None
    dashes = lines[at].expandtabs(4).rstrip()
    columns = _columns(pieces, dashes)
    if columns is None and len(pieces) == 1:
        columns = _columns([_realigned(head, dashes)], dashes)
    if columns is None:
        return None
    evidence = _evidence(lines, at + 1)
    words = [_Words(line) for line in evidence]
    columns = tuple(_aligned(column, words) for column in columns)
    return Table(columns, index, at + 1, _bounds(columns, evidence))


def _realigned(head: str, dashes: str) -> str:
    """A one-line header whose indent was changed by hand (trimmed flush left, or shifted) while its
    dashes kept theirs: when it has one label per run of dashes, each fitting its run, the labels are
    put back over their dashes; otherwise the header is returned as it is."""
    words = [w.group() for w in _WORD.finditer(head)]
    runs = [m.span() for m in _DASH_RUN.finditer(dashes)]
    if len(words) != len(runs) or any(len(w) > end - start for w, (start, end) in zip(words, runs)):
        return head
    placed = ""
    for word, (start, _) in zip(words, runs):
        placed = placed.ljust(start) + word
    return placed


def _next_content(lines: Sequence[str], index: int) -> int | None:
    return next((i for i in range(index + 1, min(len(lines), index + 4)) if lines[i].strip()), None)


def _columns(pieces: list[str], dashes: str) -> tuple[Column, ...] | None:
    runs = [match.span() for match in _DASH_RUN.finditer(dashes)]
    starts = [start for start, _ in runs]
    # every word of every header line stands within a column's dashes: a title line above a table is no header
    for piece in pieces:
        for word in _WORD.finditer(piece):
            # the one run that can hold it starts at or before it (runs are in order: a search,
            # not a scan of every run for every word, which made a wide header quadratic)
            at = bisect_right(starts, word.start()) - 1
            if at < 0 or word.end() > runs[at][1]:
                return None
    columns = []
    for start, end in runs:
        first = pieces[0][start:end].strip()
        if not first:
            return None
        name = first
        for piece in pieces[1:]:
            rest = piece[start:end].strip()
            if rest:
                # a label breaks where it fills the column (inside the word) or at a space
                name += ("" if len(first) == end - start else " ") + rest
        cut = name.endswith(_CUT_MARKS)
        columns.append(Column(_uncut(name) if cut else name, start, end, cut=cut))
    return tuple(columns)


def _evidence(lines: Sequence[str], index: int) -> list[str]:
    """The lines after the dashes up to the first blank or dashed line: what the alignment is learnt from."""
    found = []
    for line in lines[index : index + _EVIDENCE_ROWS]:
        if not line.strip() or is_underline(line):
            break
        found.append(line.expandtabs(4).rstrip())
    return found


class _Words:
    """A row's words, in order, as spans: the words under a column are found by bisection."""

    def __init__(self, line: str) -> None:
        spans = [match.span() for match in _WORD.finditer(line)]
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]

    def over(self, start: int, end: int) -> tuple[int, int] | None:
        """The first word's start and the last word's end of the words reaching into
        `start:end`, or None: words do not overlap, so their ends are in order too."""
        first, last = bisect_right(self.ends, start), bisect_left(self.starts, end) - 1
        return (self.starts[first], self.ends[last]) if first <= last else None


def _aligned(column: Column, rows: list[_Words]) -> Column:
    """Right-aligned when more rows end their cell under the dashes' end without starting at their
    start than the other way round (a cell exactly as wide as the label says nothing)."""
    right = left = 0
    for words in rows:
        over = words.over(column.start, column.end)
        if over is None:
            continue
        starts, ends = over[0] == column.start, over[1] == column.end
        right += ends and not starts
        left += starts and not ends
    return Column(column.name, column.start, column.end, right > left, column.cut) if right > left else column


def _bounds(columns: tuple[Column, ...], evidence: list[str]) -> tuple[int, ...]:
    """Where each column's cells end: before the next left-aligned column's start, after a
    right-aligned column's end; between a left- and a right-aligned column, at the first blank that
    every row has past what is surely the left column's (PowerShell puts one space between columns)."""
    bounds = []
    for left, right in zip(columns, columns[1:]):
        if left.right:
            bounds.append(left.end)
        elif not right.right:
            bounds.append(right.start - 1)
        else:
            reach = _reach(left, right.start, evidence)
            blank = next(
                (p for p in range(reach, right.start) if all(p >= len(line) or line[p] == " " for line in evidence)),
                right.start - 1,
            )
            bounds.append(blank)
    return (*bounds, 1 << 30)


def _reach(column: Column, limit: int, evidence: list[str]) -> int:
    """How far a left-aligned column's cells surely go: a cell's words follow one another one space
    apart and end at a cut mark or before two spaces, short of the next column's label at `limit`; a
    cell that runs on into that label by one space (as PowerShell separates columns) may hold the
    next column's text and says only that its first word is the column's."""
    sure: list[int] = []
    first: list[int] = [column.end]
    for line in evidence:
        words = [w for w in _WORD.finditer(line) if w.start() >= column.start]
        if not words or words[0].start() != column.start:
            continue
        first.append(words[0].end())
        end, glued = words[0].end(), False
        for word in words[1:]:
            if line[end - 3 : end].endswith(_CUT_MARKS) or word.start() > end + 1:
                break
            if word.start() >= limit:
                glued = True
                break
            end = word.end()
        if not glued:
            sure.append(end)
    return max(sure) if sure else max(first)


def _uncut(text: str) -> str:
    for mark in _CUT_MARKS:
        if text.endswith(mark):
            return text[: -len(mark)].rstrip()
    return text
