"""Shared by the parser tests: the sample dumps in fixtures/samples/, compact views of a dump, the parser contract."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from winrmlint.parsers.paste import NOTE_PREFIX
from winrmlint.model.values import ParsedDump, ParseError, Reading, Source
from winrmlint.source import Location, SourceText

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "samples"


def sample(folder: str, name: str) -> SourceText:
    """`fixtures/samples/<folder>/<name>`, decoded as the engine decodes files, with the URI `<folder>/<name>`."""
    return SourceText.from_bytes(f"{folder}/{name}", (SAMPLES / folder / name).read_bytes())


@dataclass(frozen=True)
class Samples:
    """A parser and its sample folder, which is named after the parser's module."""

    parser: ModuleType

    @property
    def folder(self) -> str:
        return self.parser.__name__.rpartition(".")[2]

    def load(self, name: str) -> SourceText:
        return sample(self.folder, name)

    def parse(self, name: str) -> ParsedDump:
        return self.parser.parse(self.load(name))

    def at(self, name: str, line: int) -> Location:
        return Location(f"{self.folder}/{name}", line)

    def lines(self) -> list[str]:
        """Every line of every sample, file after file in name order: real lines for property tests."""
        return [line for path in sorted((SAMPLES / self.folder).iterdir()) for line in self.load(path.name).lines]


def by_path(dump: ParsedDump) -> dict[str, Reading]:
    """The readings by path; a path read twice fails the test."""
    found: dict[str, Reading] = {}
    for reading in dump.readings:
        assert reading.path not in found, f"{reading.path} read twice"
        found[reading.path] = reading
    return found


def rows(dump: ParsedDump) -> dict[str, tuple[object, int, Source, bool]]:
    """path → (value, line, source, valid): what a reading says, compactly."""
    return {r.path: (r.value, r.location.line, r.source, r.valid) for r in by_path(dump).values()}


def notes(dump: ParsedDump) -> list[tuple[int, str]]:
    """The parser's notes; what the paste layer undid is `paste_notes`."""
    return [(n.location.line, n.message) for n in dump.notes if not n.message.startswith(NOTE_PREFIX)]


def paste_notes(dump: ParsedDump) -> list[tuple[int, str]]:
    """The paste layer's notes, without their common prefix."""
    return [(n.location.line, n.message.removeprefix(NOTE_PREFIX)) for n in dump.notes if n.message.startswith(NOTE_PREFIX)]


def coverage_lines(dump: ParsedDump) -> dict[str, int]:
    """covered prefix → the line of the section that covers it."""
    return {prefix: location.line for prefix, location in dump.coverage.items()}


def assert_parser_contract(parser: ModuleType, source: SourceText) -> ParsedDump | None:
    """What every parser promises for any text (winrmlint.parsers): the dump, or None if `parse` refused it.

    `sniff` scores the text from 0 to 100; `parse` raises nothing but a `ParseError` naming a line
    of the text; everything the dump locates is on a line of this text.
    """
    lines = range(1, len(source.lines) + 1)
    score = parser.sniff(source)
    assert isinstance(score, int) and 0 <= score <= 100, f"{parser.FORMAT}.sniff scored {score!r}"
    try:
        dump = parser.parse(source)
    except ParseError as error:
        assert error.line in lines, f"{parser.FORMAT} refused the text at line {error.line}"
        return None
    located = (*dump.readings, *dump.host_names, *dump.spns, *dump.spn_queries, *dump.notes)
    locations = [item.location for item in located] + list(dump.coverage.values())
    assert all(isinstance(at, Location) and at.uri == source.uri and at.line in lines for at in locations)
    return dump
