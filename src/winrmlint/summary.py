"""Per-host summaries: what is left of a host once its host rules ran.

A summary is a `Host` that keeps only what the outputs and the fleet rules read: the host's name,
bundle, files and coverage, its SPNs and `setspn -Q` queries, and of its settings those under the
prefixes that the outputs read and each fleet rule declares (`Rule.reads`: identity, listeners,
the client's `spn_prefix` for WRM401-403; with a golden host, every `winrm/config` setting for
WRM802). The fleet rules run on summaries unchanged, and a worker
sends one back instead of the whole model. `record`/`load` write a summary with the host's
findings as one JSON object, so that `winrmlint merge` can run the fleet rules across shards.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from winrmlint import __version__
from winrmlint.findings import Finding, Level
from winrmlint.model import catalog
from winrmlint.model.host import Host, ParsedFile, Setting
from winrmlint.options import RuleOptions
from winrmlint.model.values import Note, Reading, Source, SpnEntry, SpnQuery, Value
from winrmlint.rules.base import Rule
from winrmlint.source import Location

if TYPE_CHECKING:
    from winrmlint.engine import HostResult

# what the outputs read of a host's settings besides the fleet rules: its identity (JSON's
# `join_state`), its listeners (HTML's evidence) and its manifest's suppressions
_OUTPUTS = ("host", catalog.LISTENERS, "manifest/suppressions")
_CONFIG = catalog.ROOT.lower()


def reads(config: bool) -> tuple[str, ...]:
    """The lower-case prefixes of the settings a summary keeps: the outputs' and what every fleet
    rule declares it reads (`Rule.reads`); the whole `winrm/config` only with `config` (a golden
    host to compare with, WRM802)."""
    from winrmlint.rules import RULES

    declared = {p.lower() for r in RULES if r.fleet for p in r.reads}
    return tuple(sorted({p.lower() for p in _OUTPUTS} | {p for p in declared if config or p != _CONFIG}))


_READS = {config: reads(config) for config in (False, True)}


def _kept(key: str, prefixes: tuple[str, ...]) -> bool:
    return any(key == p or key.startswith(p + "/") for p in prefixes)


def of(host: Host, config: bool = False) -> Host:
    """The host's summary; `config` keeps every `winrm/config` setting as well (for WRM802)."""
    prefixes = _READS[config]
    settings = {key: setting for key, setting in host.settings.items() if _kept(key, prefixes)}
    return Host(
        name=host.name,
        bundle=host.bundle,
        settings=settings,
        coverage=host.coverage,
        spns=host.spns,
        spn_queries=host.spn_queries,
        files=host.files,
    )


def compact(host: Host) -> None:
    """The summary's strings shared with every other host's (`sys.intern`): setting paths, raw
    values, formats and coverage prefixes repeat across a fleet but arrive as copies (built per
    host, or unpickled from a worker). About 28% of what the parent keeps a host (20.8 -> 15.0 KiB)."""
    intern = sys.intern
    host.settings = {
        intern(key): Setting(
            intern(setting.path),
            tuple(
                Reading(intern(r.path), intern(r.value) if type(r.value) is str else r.value, r.location, r.source,
                        intern(r.raw), r.valid, r.truncated, intern(r.origin))
                for r in setting.readings
            ),
            setting.default,
            setting.default_at,
        )
        for key, setting in host.settings.items()
    }
    host.coverage = {intern(key): location for key, location in host.coverage.items()}
    for file in host.files:
        if file.format is not None:
            file.format = intern(file.format)


# --- as JSON, for `--summaries` and `winrmlint merge` ------------------------------------------


def _at(location: Location) -> list[Any]:
    return [location.uri, location.line]


def _location(data: list[Any]) -> Location:
    return Location(str(data[0]), int(data[1]))


def _value(data: Any) -> Value:
    return tuple(data) if isinstance(data, list) else data


def _reading(r: Reading) -> dict[str, Any]:
    return {"path": r.path, "value": r.value, "at": _at(r.location), "source": r.source.value, "raw": r.raw,
            "valid": r.valid, "truncated": r.truncated, "origin": r.origin}


def _setting(s: Setting) -> dict[str, Any]:
    return {"path": s.path, "readings": [_reading(r) for r in s.readings], "default": s.default,
            "default_at": _at(s.default_at) if s.default_at is not None else None}


def _finding(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "level": f.level.value, "message": f.message, "host": f.host, "path": f.path,
            "at": _at(f.location), "fix": f.fix, "key": f.key, "related": [_at(r) for r in f.related],
            "bundle": f.bundle}


def record(index: int, result: HostResult, findings: list[Finding]) -> dict[str, Any]:
    """One host of a run as JSON: its place in the fleet, summary, rules not evaluated, findings."""
    host = result.host
    return {
        "index": index,
        "name": host.name,
        "bundle": host.bundle,
        "settings": {key: _setting(s) for key, s in host.settings.items()},
        "coverage": [[prefix, *_at(at)] for prefix, at in host.coverage.items()],
        "spns": [[e.spn, e.account, *_at(e.location)] for e in host.spns],
        "spn_queries": [[q.spn, q.found, *_at(q.location)] for q in host.spn_queries],
        "files": [
            {"uri": f.uri, "format": f.format, "error": f.error, "error_line": f.error_line,
             "notes": [[n.message, *_at(n.location)] for n in f.notes]}
            for f in host.files
        ],
        "not_evaluated": result.not_evaluated,
        "fleet_lacking": result.fleet_lacking,
        "internal_errors": [[*_at(at), message] for at, message in result.internal_errors],
        "findings": [_finding(f) for f in findings],
    }


def load(data: dict[str, Any]) -> tuple[int, HostResult, list[Finding]]:
    """The inverse of `record` (raises KeyError, TypeError or ValueError on a malformed record)."""
    from winrmlint.engine import HostResult

    def reading(r: dict[str, Any]) -> Reading:
        return Reading(r["path"], _value(r["value"]), _location(r["at"]), Source(r["source"]), r["raw"],
                       bool(r["valid"]), bool(r["truncated"]), r["origin"])

    def setting(s: dict[str, Any]) -> Setting:
        default_at = _location(s["default_at"]) if s["default_at"] is not None else None
        return Setting(s["path"], tuple(reading(r) for r in s["readings"]), _value(s["default"]), default_at)

    host = Host(
        name=data["name"],
        bundle=data["bundle"],
        settings={key: setting(s) for key, s in data["settings"].items()},
        coverage={prefix: Location(uri, line) for prefix, uri, line in data["coverage"]},
        spns=[SpnEntry(spn, account, Location(uri, line)) for spn, account, uri, line in data["spns"]],
        spn_queries=[SpnQuery(spn, found, Location(uri, line)) for spn, found, uri, line in data["spn_queries"]],
        files=[
            ParsedFile(f["uri"], f["format"], f["error"], f["error_line"],
                       [Note(message, Location(uri, line)) for message, uri, line in f["notes"]])
            for f in data["files"]
        ],
    )
    result = HostResult(
        host,
        not_evaluated=list(data["not_evaluated"]),
        internal_errors=[(Location(uri, line), message) for uri, line, message in data["internal_errors"]],
        fleet_lacking=list(data["fleet_lacking"]),
    )
    findings = [
        Finding(f["code"], Level(f["level"]), f["message"], f["host"], f["path"], _location(f["at"]), f["fix"],
                f["key"], tuple(_location(r) for r in f["related"]), f["bundle"])
        for f in data["findings"]
    ]
    return int(data["index"]), result, findings


# --- files of summaries ----------------------------------------------------------------------

KIND = "winrmlint-summaries/1"


def write(
    stream: TextIO,
    hosts: Iterable[tuple[int, tuple[HostResult, list[Finding]]]],
    environment: Iterable[tuple[int, tuple[HostResult, list[Finding]]]],
    rules: Sequence[Rule],
    golden: str | None,
    profile: str,
    options: RuleOptions,
) -> None:
    """A header (what the fleet rules need besides the hosts) and one line per host, then one
    per bundle of the fleet's own input (which every shard reads): what `merge` needs."""
    header = {"kind": KIND, "version": __version__, "rules": [r.code for r in rules], "golden": golden,
              "profile": profile, "options": {"floors": [list(f) for f in options.floors],
                                              "trusted_hosts_accepted": list(options.trusted_hosts_accepted)}}
    stream.write(json.dumps(header, ensure_ascii=False) + "\n")
    for role, rows in (("host", hosts), ("fleet", environment)):
        for index, (result, findings) in rows:
            stream.write(json.dumps({"role": role, **record(index, result, findings)}, ensure_ascii=False) + "\n")


def options_of(header: dict[str, Any]) -> RuleOptions:
    data = header["options"]
    return RuleOptions(tuple((str(name), int(value)) for name, value in data["floors"]),
                       tuple(str(p) for p in data["trusted_hosts_accepted"]))
