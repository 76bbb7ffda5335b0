"""What parsers produce: readings of settings, each with its location and its source."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from winrmlint.source import Location

Value = bool | int | str | tuple[str, ...] | None


class Source(StrEnum):
    """Where Windows says a value comes from."""

    LOCAL = "local"
    GPO = "gpo"
    COMPATIBILITY = "compatibility"
    DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class Reading:
    """One value of one setting, as one input reports it.

    `path` is the logical path (`winrm/config/service/auth/Basic`); `value` is typed (bool, int,
    str, tuple of str for lists) or, when the text could not be typed, the raw string with
    `valid` false. `truncated` marks values that the tool printing them cut short.
    """

    path: str
    value: Value
    location: Location
    source: Source = Source.LOCAL
    raw: str = ""
    valid: bool = True
    truncated: bool = False
    origin: str = ""


@dataclass(frozen=True, slots=True)
class SpnEntry:
    """An SPN and the account it is registered on, as a `setspn` dump shows it."""

    spn: str
    account: str
    location: Location
    # the code page guessed for the dump's bytes (source.SourceText.guessed), None when certain:
    # the account may be misspelt, and is compared by what those bytes can read as
    decoding: str | None = None


@dataclass(frozen=True, slots=True)
class SpnQuery:
    """A `setspn -Q` that was asked: a query that found nothing is a fact too."""

    spn: str
    found: bool
    location: Location


@dataclass(frozen=True, slots=True)
class Note:
    """Something a parser passed over (an elision line, a prompt): reported, never fatal."""

    message: str
    location: Location


@dataclass
class ParsedDump:
    """Everything one file says.

    `coverage` maps logical prefixes that this input reports completely (so an absent setting
    there is at its default) to the location of the section that showed it.
    """

    format: str
    readings: list[Reading] = field(default_factory=list)
    coverage: dict[str, Location] = field(default_factory=dict)
    spns: list[SpnEntry] = field(default_factory=list)
    spn_queries: list[SpnQuery] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    host_names: list[Reading] = field(default_factory=list)


class ParseError(Exception):
    """A file that a parser recognised but cannot read: names the 1-based line."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line
