"""SARIF 2.1.0, built with sarif-om, ready for GitHub code scanning.

sarif-om has no serialiser: `_plain` walks its attrs classes, writes the schema's camelCase
names and drops unset members. It keeps `level` even at its default: a result without `level`
would take its rule's level in some consumers and `warning` in others.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, TextIO
from urllib.parse import quote

import attr
from winrmlint.output import om

from winrmlint import __version__, project
from winrmlint.baseline import Previous
from winrmlint.engine import RunResult
from winrmlint.output import jsonstream
from winrmlint.output.escape import sarif_text
from winrmlint.output.report import of, Item, Report, message_with_fix
from winrmlint.rules.base import Rule
from winrmlint.source import Location

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "winrmlint/v1"
# GitHub code scanning refuses the whole upload past this many results in one run
GITHUB_MAX_RESULTS = 25_000
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
_KEEP_DEFAULT = {"level"}


def pascal(name: str) -> str:
    """`client-allow-unencrypted` → `ClientAllowUnencrypted` (SARIF tools want PascalCase names)."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("-"))


def artifact_location(uri: str, index: int | None = None) -> om.ArtifactLocation:
    # relative URIs are resolved against %SRCROOT% (the folder winrmlint ran in, a repo's root in
    # CI); an absolute path outside it becomes a file: URI
    if uri.startswith("/"):
        return om.ArtifactLocation(uri="file://" + quote(uri), index=index)
    return om.ArtifactLocation(uri=quote(uri), uri_base_id=SRCROOT, index=index)


def physical(location: Location, index: int | None) -> om.PhysicalLocation:
    return om.PhysicalLocation(
        artifact_location=artifact_location(location.uri, index),
        region=om.Region(start_line=max(1, location.line)),
    )


def reporting_descriptor(rule: Rule) -> om.ReportingDescriptor:
    properties: dict[str, Any] = {
        "tags": list(rule.tags) or ["correctness"],
        "precision": "high",
        "problem.severity": _PROBLEM_SEVERITY[rule.level.value],
        "kebabName": rule.name,
    }
    if rule.security_severity is not None:
        properties["security-severity"] = f"{rule.security_severity:.1f}"
    if rule.variants:
        # what the rule reports beyond its catalog line, and at which level (Rule.variants)
        properties["variants"] = [{"level": v.level.value, "when": v.when} for v in rule.variants]
    return om.ReportingDescriptor(
        id=rule.code,
        name=pascal(rule.name),
        short_description=om.MultiformatMessageString(text=rule.summary),
        full_description=om.MultiformatMessageString(text=rule.section("What it finds") or rule.summary),
        help=om.MultiformatMessageString(text=rule.help_text, markdown=rule.help_markdown),
        help_uri=rule.help_uri,
        default_configuration=om.ReportingConfiguration(level=rule.level.value),
        properties=properties,
    )


def result(item: Item, rule_index: int, artifact_index: dict[str, int]) -> om.Result:
    """One result: the finding with its fix in the message, its suppression and baselineState."""
    finding = item.finding
    leaf = finding.path.replace("\\", "/").rsplit("/", 1)[-1]
    logical = om.LogicalLocation(
        name=leaf or finding.path,
        fully_qualified_name=f"{finding.host}/{finding.path}" if finding.path else finding.host,
        kind="property" if finding.path else "module",
    )
    properties: dict[str, Any] = {"host": finding.host, "logicalPath": finding.path}
    if finding.fix:
        properties["fix"] = finding.fix
    return om.Result(
        rule_id=finding.code,
        rule_index=rule_index,
        level=finding.level.value,
        message=om.Message(text=sarif_text(message_with_fix(finding))),
        locations=[
            om.Location(
                physical_location=physical(finding.location, artifact_index.get(finding.location.uri)),
                logical_locations=[logical],
            )
        ],
        related_locations=[
            om.Location(id=i, physical_location=physical(loc, artifact_index.get(loc.uri)))
            for i, loc in enumerate(finding.related, start=1)
        ]
        or None,
        partial_fingerprints={FINGERPRINT: finding.fingerprint},
        suppressions=[om.Suppression(kind="external", justification=item.suppression.justification)]
        if item.suppression
        else None,
        baseline_state=item.state,
        properties=properties,
    )


# what RFC 3986 allows in a URI reference besides letters and digits (`%` kept: the baseline's
# URI is one already when a SARIF baseline wrote it)
_URI_CHARACTERS = "-._~:/?#[]@!$&'()*+,;=%"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def absent_result(previous: Previous, rule_index: int | None, artifact_index: dict[str, int]) -> om.Result:
    """A baseline result this run no longer has: `kind: pass` (nothing is wrong any more), level none."""
    uri = quote(_LONE_PERCENT.sub("%25", previous.uri), safe=_URI_CHARACTERS)
    return om.Result(
        rule_id=previous.code,
        rule_index=-1 if rule_index is None else rule_index,
        kind="pass",
        level="none",
        # the baseline is input like any other: its text is escaped as this run's, its URI made one
        message=om.Message(text=sarif_text(previous.message)),
        locations=[
            om.Location(
                physical_location=om.PhysicalLocation(
                    artifact_location=om.ArtifactLocation(uri=uri, uri_base_id=None if ":" in uri else SRCROOT),
                    region=om.Region(start_line=max(1, previous.line)),
                )
            )
        ],
        partial_fingerprints={FINGERPRINT: previous.fingerprint},
        baseline_state="absent",
        properties={"host": previous.host, "logicalPath": previous.path},
    )


def log(given: Report | RunResult) -> om.SarifLog:
    """The whole log as sarif-om objects (for callers that want them; `write` streams instead)."""
    parts = _Parts(of(given))
    return parts.log(artifacts=list(parts.artifacts()), results=list(parts.results()))


class _Parts:
    """A report's SARIF in parts: the run's skeleton, and its artifacts and results one at a time,
    so that `write` never holds more than one result's objects (memory flat in the fleet's size)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        run = report.run
        files = {f.uri: f.format for f in run.files}
        self.formats = files
        self.files = sorted(files.keys() | {f.location.uri for f in report.findings})
        self.artifact_index = {uri: i for i, uri in enumerate(self.files)}
        self.rule_index = {r.code: i for i, r in enumerate(report.rules)}

    def notifications(self) -> list[om.Notification]:
        run, artifact_index = self.report.run, self.artifact_index
        # the failure is also a WRM001 result; the notification points at that rule (not at a
        # notification descriptor, which `descriptor` would mean)
        unreadable = om.ReportingDescriptorReference(id="WRM001", index=self.rule_index.get("WRM001"))
        notifications = [
            om.Notification(
                level="error",
                message=om.Message(text=f"{f.uri}:{f.error_line}: {f.error}"),
                locations=[om.Location(physical_location=physical(Location(f.uri, f.error_line), artifact_index[f.uri]))],
                associated_rule=unreadable,
            )
            for f in sorted((f for f in run.files if f.error), key=lambda f: f.uri)
        ]
        # a rule that raised judged nothing on that host: the run did not fully succeed
        notifications.extend(
            om.Notification(
                level="error",
                message=om.Message(text=f"{at.uri}: {message}"),
                locations=[om.Location(physical_location=physical(at, artifact_index.get(at.uri)))],
                associated_rule=unreadable,
            )
            for at, message in sorted(run.internal_errors)
        )
        return notifications

    def artifacts(self) -> Iterator[om.Artifact]:
        for uri in self.files:
            fmt = self.formats.get(uri)
            yield om.Artifact(location=artifact_location(uri), roles=["analysisTarget"],
                              properties={"format": fmt} if fmt else None)

    def results(self) -> Iterator[om.Result]:
        report, rule_index, artifact_index = self.report, self.rule_index, self.artifact_index
        for i in report.items:
            yield result(i, rule_index[i.finding.code], artifact_index)
        for p in report.absent:
            yield absent_result(p, rule_index.get(p.code), artifact_index)

    def log(self, artifacts: list[om.Artifact], results: list[om.Result]) -> om.SarifLog:
        notifications = self.notifications()
        return om.SarifLog(
            version="2.1.0",
            schema_uri=SCHEMA_URI,
            runs=[
                om.Run(
                    tool=om.Tool(
                        driver=om.ToolComponent(
                            name="winrmlint",
                            version=__version__,
                            semantic_version=__version__,
                            information_uri=project.url(),
                            rules=[reporting_descriptor(r) for r in self.report.rules],
                        )
                    ),
                    invocations=[
                        om.Invocation(
                            execution_successful=not notifications,
                            tool_execution_notifications=notifications or None,
                        )
                    ],
                    artifacts=artifacts,
                    results=results,
                    column_kind="unicodeCodePoints",
                )
            ],
        )


def _plain(value: Any) -> Any:
    if attr.has(type(value)):
        out: dict[str, Any] = {}
        for field in attr.fields(type(value)):
            item = getattr(value, field.name)
            name = field.metadata.get("schema_property_name", field.name)
            if item is None or (item == field.default and name not in _KEEP_DEFAULT):
                continue
            out[name] = _plain(item)
        return out
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def document(report: Report | RunResult) -> dict[str, Any]:
    return _plain(log(report))


def write(report: Report | RunResult, stream: TextIO) -> None:
    """What `json.dump(document(report), indent=2, sort_keys=True)` writes, byte for byte, built
    and written one artifact and one result at a time."""
    parts = _Parts(of(report))
    skeleton = _plain(parts.log(artifacts=[], results=[]))
    run = skeleton["runs"][0]
    run["artifacts"] = jsonstream.Stream(_plain(a) for a in parts.artifacts())
    run["results"] = jsonstream.Stream(_plain(r) for r in parts.results())
    jsonstream.dump(skeleton, stream, sort_keys=True)
