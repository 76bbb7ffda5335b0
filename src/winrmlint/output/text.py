"""Text for people: findings grouped by host, `path:line: CODE message`, a fix hint under each."""

from __future__ import annotations

import os
import shutil
import textwrap
from typing import TextIO

from winrmlint.engine import RunResult
from winrmlint.findings import Level
from winrmlint.output.escape import guarded, safe

_COLOURS = {Level.ERROR: "\x1b[31m", Level.WARNING: "\x1b[33m", Level.NOTE: "\x1b[36m"}
_DIM, _BOLD, _RESET = "\x1b[2m", "\x1b[1m", "\x1b[0m"


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def terminal_width(stream: TextIO) -> int | None:
    return shutil.get_terminal_size((80, 24)).columns if stream.isatty() else None


def write(run: RunResult, stream: TextIO, colour: bool = False, width: int | None = None) -> None:
    """Write the report; with `width` (a terminal's), wrap messages and fixes to fit it."""
    stream = guarded(stream)  # no line, however wrapped, is a CI workflow command

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    def fit(text: str, indent: str) -> str:
        # one finding per line when piped (grep-able); wrapped under its location on a terminal
        if not width:
            return text
        return textwrap.fill(text, width, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False)

    by_bundle = run.findings_by_bundle()
    for result in run.hosts:
        host = result.host
        findings = by_bundle.pop(host.bundle)
        read = len(host.readable_files)
        header = f"{safe(host.name)}  ({safe(host.bundle)}, {read} of {len(host.files)} files read)"
        stream.write(paint(header, _BOLD) + "\n")
        if not findings:
            stream.write("  no findings\n")
        for f in findings:
            line = fit(f"  {safe(f.location.uri)}:{f.location.line}: {f.code} {safe(f.message)}", "      ")
            stream.write(line.replace(f" {f.code} ", f" {paint(f.code, _COLOURS[f.level])} ", 1) + "\n")
            if f.fix:
                stream.write(paint(fit(f"      fix: {safe(f.fix)}", "           "), _DIM) + "\n")
        if result.not_evaluated:
            stream.write(paint(f"  not evaluated (input not collected): {', '.join(result.not_evaluated)}", _DIM) + "\n")
        stream.write("\n")
    # findings about no bundle of the run (none today: a guard, so that nothing is dropped)
    for name, findings in by_bundle.items():
        stream.write(paint(safe(name), _BOLD) + "\n")
        for f in findings:
            stream.write(f"  {safe(f.location.uri)}:{f.location.line}: {f.code} {safe(f.message)}\n")
        stream.write("\n")
    stream.write(summary(run) + "\n")


def summary(run: RunResult) -> str:
    counts = {level: sum(1 for f in run.findings if f.level is level) for level in Level}
    parts = [f"{n} {level.value}{'s' if n != 1 else ''}" for level, n in counts.items() if n]
    unreadable = sum(1 for f in run.files if f.error)
    tail = f"; {unreadable} file{'s' if unreadable != 1 else ''} unreadable" if unreadable else ""
    hosts = len(run.hosts)
    found = f"{len(run.findings)} finding{'s' if len(run.findings) != 1 else ''}"
    detail = f" ({', '.join(parts)})" if parts else ""
    # every host given is linted or said to be left out (its WRM001 findings say why)
    left = run.hosts_left_out
    names = f": {', '.join(safe(r.host.name) for r in left[:10])}{', …' if len(left) > 10 else ''}" if left else ""
    given = f"; {hosts} host{'s' if hosts != 1 else ''} given, {len(run.hosts_linted)} linted, {len(left)} left out{names}"
    return f"{found}{detail}{given}{tail}"
