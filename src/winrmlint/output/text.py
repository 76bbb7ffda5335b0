"""Text for people: findings grouped by host, `path:line: CODE message`, a fix hint under each."""

from __future__ import annotations

import os
from typing import TextIO

from winrmlint.engine import RunResult
from winrmlint.findings import Level
from winrmlint.output.escape import safe

_COLOURS = {Level.ERROR: "\x1b[31m", Level.WARNING: "\x1b[33m", Level.NOTE: "\x1b[36m"}
_DIM, _BOLD, _RESET = "\x1b[2m", "\x1b[1m", "\x1b[0m"


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def write(run: RunResult, stream: TextIO, colour: bool = False) -> None:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    by_host: dict[str, list] = {}
    for finding in run.findings:
        by_host.setdefault(finding.host, []).append(finding)
    for result in run.hosts:
        host = result.host
        findings = by_host.pop(host.name, [])
        read = len(host.readable_files)
        header = f"{safe(host.name)}  ({safe(host.bundle)}, {read} of {len(host.files)} files read)"
        stream.write(paint(header, _BOLD) + "\n")
        if not findings:
            stream.write("  no findings\n")
        for f in findings:
            where = f"{safe(f.location.uri)}:{f.location.line}:"
            stream.write(f"  {where} {paint(f.code, _COLOURS[f.level])} {safe(f.message)}\n")
            if f.fix:
                stream.write(paint(f"      fix: {safe(f.fix)}", _DIM) + "\n")
        if result.not_evaluated:
            stream.write(paint(f"  not evaluated (input not collected): {', '.join(result.not_evaluated)}", _DIM) + "\n")
        stream.write("\n")
    # fleet findings whose host is not one of the bundles (an SPN owner seen only in a dump)
    for name, findings in by_host.items():
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
    return f"{found}{detail} on {hosts} host{'s' if hosts != 1 else ''}{tail}"
