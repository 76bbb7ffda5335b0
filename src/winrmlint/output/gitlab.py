"""GitLab Code Quality JSON (a subset of Code Climate's issue format), with winrmlint's fingerprints."""

from __future__ import annotations

import json
from typing import Any, TextIO

from winrmlint.engine import RunResult
from winrmlint.output.report import of, Item, Report

# GitLab's severities: info, minor, major, critical, blocker
_SEVERITY = {"error": "major", "warning": "minor", "note": "info"}


def issue(item: Item) -> dict[str, Any]:
    f = item.finding
    out: dict[str, Any] = {
        "type": "issue",
        "check_name": f.code,
        "description": f"{f.code} {f.message}",
        "severity": _SEVERITY[f.level.value],
        "fingerprint": f.fingerprint,
        "location": {"path": f.location.uri, "lines": {"begin": max(1, f.location.line)}},
        "engine_name": "winrmlint",
    }
    if f.fix:
        out["content"] = {"body": f"Fix: {f.fix}"}
    return out


def write(given: Report | RunResult, stream: TextIO) -> None:
    report = of(given)
    # suppressed findings are accepted: GitLab would show them as open issues
    issues = [issue(i) for i in report.items if i.suppression is None]
    json.dump(issues, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
