"""JSON for scripts: findings per host, the files read, and the rules that lacked input."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from winrmlint import __version__
from winrmlint.engine import RunResult
from winrmlint.findings import Level
from winrmlint.model.host import ParsedFile
from winrmlint.output import jsonstream
from winrmlint.output.report import of, Item, Report
from winrmlint.output.statistics import Statistics


def finding_dict(item: Item) -> dict[str, Any]:
    """One finding; `suppressed` and `baseline_state` appear only when they apply."""
    f = item.finding
    out: dict[str, Any] = {
        "code": f.code,
        "name": _name(f.code),
        "level": f.level.value,
        "message": f.message,
        "host": f.host,
        "path": f.path,
        "file": f.location.uri,
        "line": f.location.line,
        "fix": f.fix,
        "fingerprint": f.fingerprint,
        "related": [{"file": r.uri, "line": r.line} for r in f.related],
    }
    if item.suppression is not None:
        s = item.suppression
        out["suppressed"] = {
            "justification": s.justification,
            "expires": s.expires.isoformat() if s.expires else None,
            "file": s.origin.uri,
            "line": s.origin.line,
        }
    if item.state is not None:
        out["baseline_state"] = item.state
    return out


def _name(code: str) -> str:
    from winrmlint.config import all_rules

    return next(r.name for r in all_rules() if r.code == code)


def file_dict(f: ParsedFile) -> dict[str, Any]:
    return {
        "file": f.uri,
        "format": f.format,
        "error": f.error,
        "error_line": f.error_line if f.error else None,
        "notes": [{"line": n.location.line, "message": n.message} for n in f.notes],
    }


def document(given: Report | RunResult) -> dict[str, Any]:
    """The report as one JSON value (what `write` writes, made whole)."""
    doc = _parts(given)
    doc["hosts"] = list(doc["hosts"].items)
    doc["other_findings"] = list(doc["other_findings"].items)
    return doc


def _parts(given: Report | RunResult) -> dict[str, Any]:
    report = of(given)
    by_bundle = report.items_by_bundle()
    stats = Statistics.of(report)
    findings = report.findings
    doc: dict[str, Any] = {
        "tool": {"name": "winrmlint", "version": __version__},
        "rules": [r.code for r in report.rules],
        # one host at a time, in run order: `write` streams them, `document` makes the list
        "hosts": jsonstream.Stream(
            {
                "name": r.host.name,
                "bundle": r.host.bundle,
                "join_state": r.host.join_state,
                "files": [file_dict(f) for f in r.host.files],
                "findings": [finding_dict(i) for i in by_bundle.pop(r.host.bundle)],
                "not_evaluated": r.not_evaluated,
            }
            for r in report.hosts
        ),
        # a fleet's own input: domain-wide reports, and dumps at a fleet's root that belong to no host
        "fleet_input": [{"bundle": r.host.bundle, "files": [file_dict(f) for f in r.host.files]} for r in report.run.environment],
        # findings about no host: the configuration's suppressions (WRM002, WRM003)
        # written after the hosts, which take theirs from `by_bundle` first
        "other_findings": jsonstream.Stream(_left(by_bundle)),
        "summary": {
            "hosts": len(report.hosts),
            "hosts_linted": stats.hosts_linted,
            "hosts_left_out": list(stats.left_out),
            "failing_hosts": list(stats.failing_hosts),
            "findings": len(findings),
            **{level.value: sum(1 for f in findings if f.level is level) for level in Level},
            "suppressed_hidden": report.hidden_suppressed,
            "unreadable_files": sum(1 for f in report.run.files if f.error),
            "by_rule": stats.by_rule_dict(),
        },
    }
    if report.has_baseline:
        doc["absent"] = [
            {"code": p.code, "level": p.level, "message": p.message, "host": p.host, "path": p.path,
             "file": p.uri, "line": p.line, "fingerprint": p.fingerprint}
            for p in report.absent
        ]
    return doc


def _left(by_bundle: dict[str, list[Item]]) -> Iterator[dict[str, Any]]:
    """The findings of no host's bundle, once the hosts took theirs."""
    for found in by_bundle.values():
        yield from (finding_dict(i) for i in found)


def write(report: Report | RunResult, stream: TextIO) -> None:
    jsonstream.dump(_parts(report), stream)
