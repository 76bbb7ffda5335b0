"""The error a failing attempt shows: its row of `winrmlint.outcomes`, rendered as PowerShell
prints it (connection-model §3.18) with the values Windows inserts (name, port, list)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from winrmlint import outcomes
from winrmlint.connect.attempt import Attempt

# the FullyQualifiedErrorId's second part, by cmdlet (PS-SRC); Enter-PSSession shows no modifier
_SUFFIX = {"Invoke-Command": "PSSessionStateBroken", "New-PSSession": "PSSessionOpenFailed", "Test-WSMan": "PSSessionStateBroken"}


@dataclass(frozen=True)
class Shown:
    outcome: outcomes.Outcome
    text: str  # WinRM's message with the inserted values
    fqeid: str
    rendered: str  # the whole error record as the console shows it

    @property
    def code(self) -> str:
        return self.outcome.code

    @property
    def dec(self) -> int | None:
        return self.outcome.dec

    def to_json(self) -> dict[str, object]:
        return {
            "outcome": self.outcome.id, "row": self.outcome.row, "code": self.code or None, "dec": self.dec,
            "also": list(self.outcome.also), "fqeid": self.fqeid, "text": self.text, "rendered": self.rendered,
            "help_uri": self.outcome.help_uri,
        }


def outcome(outcome_id: str) -> outcomes.Outcome:
    return outcomes.BY_ID[outcome_id]


def shown(outcome_id: str, params: dict[str, str], attempt: Attempt, port: int) -> Shown:
    row = outcome(outcome_id)
    values = {"name": attempt.name, "port": str(port), "computer": attempt.name, **params}
    # a message composed of the row's published sentences (WSManFault 12175 lists each problem)
    text = params.get("text") or (row.texts[0] if row.texts else row.name)

    def fill(match: re.Match[str]) -> str:
        key = match.group(1) or match.group(2)
        return values.get(key, match.group(0))

    text = re.sub(r"<(\w+)>|\{(\w+)\}", fill, text)
    # render() puts the computer for the remaining placeholders; every one is filled here already
    rendered = outcomes.render(replace(row, texts=(text,)), attempt.name, "Invoke-Command" if attempt.cmdlet == "Test-WSMan" else attempt.cmdlet)
    if not row.connecting:
        fqeid = ""
    elif attempt.cmdlet == "Enter-PSSession":
        fqeid = "CreateRemoteRunspaceFailed"
    else:
        fqeid = f"{row.modifier},{_SUFFIX[attempt.cmdlet]}" if row.modifier else ""
    return Shown(row, text, fqeid, rendered)
