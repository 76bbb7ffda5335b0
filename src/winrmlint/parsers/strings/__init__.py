"""Localised console strings, one table per format, each string with where it was found.

A string is listed only when it was seen in published output or in Microsoft's localised
documentation (`source` names the page or the repository file); a language whose string was not
found is listed in `MISSING` of the table, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Windows Server display languages the tables aim at (README "What it reads")
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "ru", "ja", "ko", "zh-Hans", "zh-Hant")


@dataclass(frozen=True)
class Phrase:
    """One localised string a parser relies on: what it means, in which language, where it was seen."""

    meaning: str
    language: str
    text: str
    source: str


def texts(phrases: Iterable[Phrase], meaning: str) -> tuple[str, ...]:
    """Every language's text for one meaning, longest first (so that a longer phrase wins a match)."""
    return tuple(sorted({p.text for p in phrases if p.meaning == meaning}, key=len, reverse=True))
