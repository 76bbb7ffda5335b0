"""JSON for scripts: findings per host, the files read, and the rules that lacked input."""

from __future__ import annotations

import json
from typing import Any, TextIO

from winrmlint import __version__
from winrmlint.engine import RunResult
from winrmlint.findings import Finding, Level
from winrmlint.model.host import ParsedFile
from winrmlint.rules import BY_CODE


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": BY_CODE[f.code].name,
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


def file_dict(f: ParsedFile) -> dict[str, Any]:
    return {
        "file": f.uri,
        "format": f.format,
        "error": f.error,
        "error_line": f.error_line if f.error else None,
        "notes": [{"line": n.location.line, "message": n.message} for n in f.notes],
    }


def document(run: RunResult) -> dict[str, Any]:
    by_bundle = run.findings_by_bundle()
    return {
        "tool": {"name": "winrmlint", "version": __version__},
        "rules": [r.code for r in run.rules],
        "hosts": [
            {
                "name": r.host.name,
                "bundle": r.host.bundle,
                "join_state": r.host.join_state,
                "files": [file_dict(f) for f in r.host.files],
                "findings": [finding_dict(f) for f in by_bundle.pop(r.host.bundle)],
                "not_evaluated": r.not_evaluated,
            }
            for r in run.hosts
        ],
        # a fleet's own input: domain-wide reports, and dumps at a fleet's root that belong to no host
        "fleet_input": [{"bundle": r.host.bundle, "files": [file_dict(f) for f in r.host.files]} for r in run.environment],
        # findings about no bundle of the run (none today: a guard, so that nothing is dropped)
        "other_findings": [finding_dict(f) for found in by_bundle.values() for f in found],
        "summary": {
            "hosts": len(run.hosts),
            "hosts_linted": len(run.hosts_linted),
            "hosts_left_out": [r.host.bundle for r in run.hosts_left_out],
            "findings": len(run.findings),
            **{level.value: sum(1 for f in run.findings if f.level is level) for level in Level},
            "unreadable_files": sum(1 for f in run.files if f.error),
        },
    }


def write(run: RunResult, stream: TextIO) -> None:
    json.dump(document(run), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
