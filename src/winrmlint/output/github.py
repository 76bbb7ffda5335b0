"""GitHub Actions workflow annotations: `::error file=…,line=…,title=WRM102::message%0AFix: …`.

Escaped as @actions/core's command.ts does: in the data `%`, CR and LF; in property values also
`:` and `,`. A dump's text is made terminal-safe first, so a value can neither end the command
early nor start a new one (`::set-output`, `##[cmd]` on a line of its own need a line break).
"""

from __future__ import annotations

from typing import TextIO

from winrmlint.output.escape import inline, safe
from winrmlint.engine import RunResult
from winrmlint.output.report import of, Item, Report

_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(item: Item) -> str:
    """One workflow command for one finding: its own message, then its fix on the next line."""
    f = item.finding
    # terminal-safe, and no `##[command]` inside: the runner acts on it anywhere in the line
    lines = [inline(safe(f.message))] + ([f"Fix: {inline(safe(f.fix))}"] if f.fix else [])
    properties = ",".join(
        f"{key}={escape_property(value)}"
        for key, value in (("file", inline(safe(f.location.uri))), ("line", str(max(1, f.location.line))), ("title", f.code))
    )
    return f"::{_COMMAND[f.level.value]} {properties}::{escape_data(chr(10).join(lines))}"


def write(given: Report | RunResult, stream: TextIO) -> None:
    report = of(given)
    # suppressed findings (with --include-suppressed) are accepted: no annotation for them
    for item in report.items:
        if item.suppression is None:
            stream.write(annotation(item) + "\n")
