"""Findings: what a rule reports, where, and how to fix it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

from winrmlint.source import Location


class Level(StrEnum):
    """SARIF's levels, most severe first."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem on one host: the value's location and logical path, the message, the fix.

    `key` distinguishes findings of one rule on one path (a listener, an SPN); with the rule,
    host and path it makes the fingerprint, which does not change when lines move.
    """

    code: str
    level: Level
    message: str
    host: str
    path: str
    location: Location
    fix: str = ""
    key: str = ""
    related: tuple[Location, ...] = field(default=())
    bundle: str = ""  # the host's bundle: names can repeat across a fleet, bundles cannot

    @property
    def fingerprint(self) -> str:
        material = "\x1f".join((self.code, self.host.lower(), self.path.lower(), self.key))
        return hashlib.sha256(material.encode()).hexdigest()[:32]

    def sort_key(self) -> tuple:
        return (self.host.lower(), self.location.uri, self.location.line, self.code, self.path, self.key)
