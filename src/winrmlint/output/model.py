"""The host model as JSON (`winrmlint parse`): what the rules see, with every value's provenance."""

from __future__ import annotations

import json
from typing import Any, TextIO

from winrmlint import __version__
from winrmlint.engine import RunResult
from winrmlint.model.host import Host, Setting
from winrmlint.model.values import Reading, Value
from winrmlint.output.escape import json_line
from winrmlint.output.json import file_dict


def _value(value: Value) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _reading(reading: Reading) -> dict[str, Any]:
    out: dict[str, Any] = {
        "value": _value(reading.value),
        "source": reading.source.value,
        "file": reading.location.uri,
        "line": reading.location.line,
        "format": reading.origin,
    }
    if reading.raw and reading.raw != str(reading.value):
        out["raw"] = reading.raw
    if not reading.valid:
        out["valid"] = False
    if reading.truncated:
        out["truncated"] = True
    return out


def setting_line(host: Host, setting: Setting) -> dict[str, Any]:
    """One line of `parse --format jsonl`: host, path, typed value, source, file and line."""
    return {
        "host": host.name,
        "path": setting.path,
        "value": _value(setting.value),
        "source": setting.source.value,
        "file": None if setting.is_default else setting.location.uri,
        "line": None if setting.is_default else setting.location.line,
    }


def host_dict(host: Host) -> dict[str, Any]:
    return {
        "name": host.name,
        "bundle": host.bundle,
        "join_state": host.join_state,
        "role": host.role.value if host.role else None,
        "platform": host.platform.as_dict(),
        "files": [file_dict(f) for f in host.files],
        "coverage": {k: {"file": v.uri, "line": v.line} for k, v in sorted(host.coverage.items())},
        "settings": [
            {**setting_line(host, s), "readings": [_reading(r) for r in s.readings]}
            for _, s in sorted(host.settings.items())
        ],
        "spns": [{"spn": e.spn, "account": e.account, "file": e.location.uri, "line": e.location.line} for e in host.spns],
        "spn_queries": [
            {"spn": q.spn, "found": q.found, "file": q.location.uri, "line": q.location.line} for q in host.spn_queries
        ],
    }


def write_json(run: RunResult, stream: TextIO) -> None:
    doc = {"tool": {"name": "winrmlint", "version": __version__}, "hosts": [host_dict(r.host) for r in run.hosts]}
    json.dump(doc, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def write_jsonl(run: RunResult, stream: TextIO) -> None:
    for result in run.hosts:
        for _, setting in sorted(result.host.settings.items()):
            stream.write(json_line(json.dumps(setting_line(result.host, setting), ensure_ascii=False)) + "\n")
