"""Text for people: findings grouped by host, errors first, `path:line: level CODE message`, the fix whole."""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from typing import TextIO

from winrmlint.findings import Level
from winrmlint.output.escape import guarded, safe
from winrmlint.engine import RunResult
from winrmlint.output.report import Item, Report, of
from winrmlint.output.statistics import Statistics

_COLOURS = {Level.ERROR: "\x1b[31m", Level.WARNING: "\x1b[33m", Level.NOTE: "\x1b[36m"}
_DIM, _BOLD, _RESET = "\x1b[2m", "\x1b[1m", "\x1b[0m"
# a backticked span in a fix: a command or a value, never broken across lines
_CODE = re.compile(r"`[^`]+`")
# a fix that is nothing but commands, each maybe labelled with its shell: `a`; `b` or
# cmd: `a`, PowerShell: `b`
_COMMAND = r"(?:[A-Za-z][\w ]*: )?`[^`]+`"
_ONLY_COMMANDS = re.compile(rf"^{_COMMAND}(\s*[;,]\s*{_COMMAND})*$")
_LABELLED = re.compile(r"(?:(?P<label>[A-Za-z][\w ]*): )?`(?P<command>[^`]+)`")
_NBSP = "\x00"  # stands for a space inside a command while wrapping; never in escaped text


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def terminal_width(stream: TextIO) -> int | None:
    return shutil.get_terminal_size((80, 24)).columns if stream.isatty() else None


def fix_lines(fix: str, width: int | None) -> list[str]:
    """The fix as lines under `fix:`: a fix made only of commands puts each bare on its own line,
    ready to paste; prose wraps on a terminal, but never inside a backticked command."""
    if _ONLY_COMMANDS.match(fix):
        return [f"{m['label']}: {m['command']}" if m["label"] else m["command"] for m in _LABELLED.finditer(fix)]
    if not width:
        return [fix]
    glued = _CODE.sub(lambda m: m.group().replace(" ", _NBSP), fix)
    wrapped = textwrap.wrap(glued, max(20, width - 11), break_on_hyphens=False, break_long_words=False)
    return [line.replace(_NBSP, " ") for line in wrapped]


def marker(item: Item) -> str:
    """`[suppressed: why]`, `[new]`/`[updated]` before the message when they apply."""
    parts = []
    if item.state in ("new", "updated"):
        parts.append(f"[{item.state}]")
    if item.suppression is not None:
        parts.append(f"[suppressed: {item.suppression.justification}]")
    return " ".join(parts) + " " if parts else ""


def write(given: Report | RunResult, stream: TextIO, colour: bool | None = None, width: int | None = None) -> None:
    """The report on `stream`; colour and width default to the stream's (a terminal's, or none)."""
    stream = guarded(stream)  # no line, however wrapped, is a CI workflow command
    render(
        of(given),
        stream,
        use_colour(stream) if colour is None else colour,
        terminal_width(stream) if width is None else width,
    )


def render(report: Report, stream: TextIO, colour: bool = False, width: int | None = None) -> None:
    """Write the report; with `width` (a terminal's), wrap messages to fit it."""
    quiet = report.view.quiet

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    def fit(text: str, indent: str) -> str:
        # one finding per line when piped (grep-able); wrapped under its location on a terminal
        if not width:
            return text
        return textwrap.fill(text, width, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False)

    def finding(item: Item) -> None:
        f = item.finding
        head = f"  {safe(f.location.uri)}:{f.location.line}: {f.level.value} {f.code} "
        line = fit(head + safe(marker(item) + f.message), "      ")
        stream.write(line.replace(f" {f.level.value} {f.code} ", f" {paint(f'{f.level.value} {f.code}', _COLOURS[f.level])} ", 1) + "\n")
        if f.fix:
            lines = fix_lines(safe(f.fix), width)
            stream.write(paint(f"      fix: {lines[0]}", _DIM) + "\n")
            for more in lines[1:]:
                stream.write(paint(f"           {more}", _DIM) + "\n")

    by_bundle = report.items_by_bundle()
    for result in report.hosts:
        host = result.host
        items = sorted(by_bundle.pop(host.bundle), key=lambda i: -i.finding.level.rank)  # stable: errors first
        if quiet and not items:
            continue
        read = len(host.readable_files)
        header = f"{safe(host.name)}  ({safe(host.bundle)}, {read} of {len(host.files)} files read)"
        stream.write(paint(header, _BOLD) + "\n")
        if not items:
            stream.write("  no findings\n")
        for item in items:
            finding(item)
        if result.not_evaluated and not quiet:
            stream.write(paint(f"  not evaluated (input not collected): {', '.join(result.not_evaluated)}", _DIM) + "\n")
        stream.write("\n")
    # findings about no host: the configuration's suppressions
    for name, items in by_bundle.items():
        if not items:
            continue
        stream.write(paint(safe(name) or "configuration", _BOLD) + "\n")
        for item in sorted(items, key=lambda i: -i.finding.level.rank):
            finding(item)
        stream.write("\n")
    if quiet:
        return
    stats = Statistics.of(report, report.view.fail_on)
    if report.view.statistics:
        stream.write("\n".join(stats.lines()) + "\n")
    elif len(report.hosts) > 1 and stats.failing_hosts:
        # the end of a fleet run: which hosts fail (the summary says which were not linted)
        stream.write("\n".join(stats.lines()[len(stats.by_rule):]) + "\n")
    stream.write(summary(report) + "\n")


def summary(report: Report) -> str:
    """`N findings (by level) on H hosts`, then unreadable files, suppressions and the baseline."""
    findings = [i.finding for i in report.items if i.suppression is None]
    shown_suppressed = len(report.items) - len(findings)
    counts = {level: sum(1 for f in findings if f.level is level) for level in Level}
    parts = [f"{n} {level.value}{'s' if n != 1 else ''}" for level, n in counts.items() if n]
    unreadable = sum(1 for f in report.run.files if f.error)
    tail = f"; {unreadable} file{'s' if unreadable != 1 else ''} unreadable" if unreadable else ""
    if report.hidden_suppressed:
        tail += f"; {report.hidden_suppressed} suppressed (--include-suppressed shows them)"
    if shown_suppressed:
        tail += f"; {shown_suppressed} suppressed, shown marked"
    if report.has_baseline:
        new = sum(1 for i in report.items if i.state == "new")
        tail += f"; against the baseline: {new} new, {len(report.absent)} gone"
    hosts = len(report.hosts)
    found = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    detail = f" ({', '.join(parts)})" if parts else ""
    # every host given is linted or said to be left out (its WRM001 findings say why)
    left = report.hosts_left_out
    names = f": {', '.join(safe(r.host.name) for r in left[:10])}{', …' if len(left) > 10 else ''}" if left else ""
    given = f"; {hosts} host{'s' if hosts != 1 else ''} given, {len(report.hosts_linted)} linted, {len(left)} left out{names}"
    return f"{found}{detail}{given}{tail}"
