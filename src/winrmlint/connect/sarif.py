"""Predictions as SARIF 2.1.0: one result per attempt that fails (or depends, or succeeds without
authenticating the server), under the WRM9xx rules.

The deciding line is the physical location (GitHub needs one); every other piece of evidence, on
either host, is a related location; the decision path is the code flow, one thread-flow location
per step, the blocking ones `essential`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, TextIO

from winrmlint.output import om

from winrmlint import __version__, project
from winrmlint.connect import errors
from winrmlint.connect.predict import DEPENDS, FAILS, Prediction
from winrmlint.connect.report import error_of
from winrmlint.connect.rules import BY_CODE, CONNECT_RULES, ConnectRule, rule_for_row
from winrmlint.connect.steps import FAIL, UNKNOWN, Evidence, Judgement
from winrmlint.output.sarif import FINGERPRINT, SCHEMA_URI, _plain, artifact_location, pascal, physical
from winrmlint.source import Location

_IMPORTANCE = {FAIL: "essential", UNKNOWN: "important"}


def classify(p: Prediction) -> tuple[ConnectRule, str, str] | None:
    """(rule, level, kind) of the result a prediction makes; None when it makes none."""
    if p.verdict == FAILS:
        first = p.first
        assert first is not None and first.outcome is not None
        level = "error" if p.confidence == "high" else "warning"
        return rule_for_row(errors.outcome(first.outcome).row), level, "fail"
    if not p.server_authenticated or p.plan.mechanism == "Basic" and p.plan.transport == "HTTP":
        return BY_CODE["WRM911"], "warning", "fail"
    if p.verdict == DEPENDS:
        return BY_CODE["WRM910"], "note", "fail"
    return BY_CODE["WRM900"], "none", "pass"


def _evidence(p: Prediction) -> list[Evidence]:
    seen: dict[tuple[str, int], Evidence] = {}
    for j in p.judgements:
        for e in j.evidence:
            seen.setdefault((e.location.uri, e.location.line), e)
    return list(seen.values())


def _deciding(p: Prediction) -> Evidence | None:
    for j in (*p.blocking, *p.unknown, *p.judgements):
        if j.evidence:
            return j.evidence[0]
    return None


def _message(p: Prediction) -> str:
    shown = error_of(p)
    if shown is not None:
        head = shown.rendered.splitlines()[0]
        return f"{p.client.name} → {p.server.name} `{p.attempt.typed}` fails: {head} Because: " + "; ".join(j.message for j in p.blocking) + "."
    if p.verdict == DEPENDS:
        facts = "; ".join(f"{j.fact} (collect: `{j.collect}`)" for j in p.unknown)
        return f"{p.client.name} → {p.server.name} `{p.attempt.typed}` depends on {facts}."
    return (f"{p.client.name} → {p.server.name} `{p.attempt.typed}` succeeds if: " + "; ".join(p.assumptions) + ".")


def fingerprint(p: Prediction, rule: ConnectRule) -> str:
    outcome = p.first.outcome if p.first is not None and p.first.outcome else rule.code
    material = "\x1f".join((p.client.name.lower(), p.server.name.lower(), p.attempt.label, p.attempt.name.lower(), outcome))
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def _step_location(j: Judgement, index: dict[str, int], fallback: Location) -> om.ThreadFlowLocation:
    # a step without a line of its own (a parameter check) points at the deciding line: GitHub
    # wants every thread-flow location physical
    where = j.evidence[0].location if j.evidence else fallback
    tag = " (inferred)" if j.inferred else ""
    location = om.Location(
        message=om.Message(text=f"{j.step} {j.title}: {j.message}{tag}"),
        physical_location=physical(where, index.get(where.uri)),
    )
    return om.ThreadFlowLocation(location=location, importance=_IMPORTANCE.get(j.status, "unimportant"))


def result(p: Prediction, rule_index: dict[str, int], index: dict[str, int]) -> om.Result | None:
    kind = classify(p)
    if kind is None:
        return None
    rule, level, result_kind = kind
    deciding = _deciding(p)
    at = deciding.location if deciding is not None else Location(p.server.first_file or p.client.first_file, 1)
    logical = om.LogicalLocation(
        name=p.attempt.label,
        fully_qualified_name=f"{p.client.name}->{p.server.name}/{p.attempt.label}",
        kind="resource",
    )
    related = [e for e in _evidence(p) if deciding is None or (e.location != deciding.location)]
    shown = error_of(p)
    props: dict[str, Any] = {
        "winrmlint/connection": {
            "client": p.client.name, "server": p.server.name, "attempt": p.attempt.to_json(), "verdict": p.verdict,
            "mechanism": p.plan.mechanism, "transport": p.plan.transport, "port": p.plan.port, "spn": p.plan.spn,
            "error": {"code": shown.code or None, "dec": shown.dec, "fqeid": shown.fqeid} if shown else None,
            "cascade": [{"fix": c.fix, "verdict": c.verdict, "outcome": c.outcome} for c in p.cascade],
            "assumptions": list(p.assumptions), "confidence": p.confidence,
            "not_evaluated": [{"fact": j.fact, "collect": j.collect} for j in p.unknown],
            "fixes": list(p.fixes),
        }
    }
    return om.Result(
        rule_id=rule.code,
        rule_index=rule_index[rule.code],
        kind=result_kind,
        level=level,
        message=om.Message(text=_message(p)),
        locations=[om.Location(physical_location=physical(at, index.get(at.uri)), logical_locations=[logical])],
        related_locations=[
            om.Location(id=i, physical_location=physical(e.location, index.get(e.location.uri)), message=om.Message(text=f"{e.host}: {e.text}"))
            for i, e in enumerate(related, start=1)
        ] or None,
        code_flows=[om.CodeFlow(thread_flows=[om.ThreadFlow(locations=[_step_location(j, index, at) for j in p.judgements])])],
        partial_fingerprints={FINGERPRINT: fingerprint(p, rule)},
        properties=props,
    )


def descriptor(rule: ConnectRule) -> om.ReportingDescriptor:
    return om.ReportingDescriptor(
        id=rule.code,
        name=pascal(rule.name),
        short_description=om.MultiformatMessageString(text=rule.summary),
        full_description=om.MultiformatMessageString(text=rule.fires),
        help=om.MultiformatMessageString(text=rule.help_markdown, markdown=rule.help_markdown),
        help_uri=rule.doc.uri,
        default_configuration=om.ReportingConfiguration(level=rule.level),
        properties={"tags": ["connection"], "precision": "medium", "kebabName": rule.name,
                    "problem.severity": {"error": "error", "warning": "warning", "note": "recommendation"}[rule.level]},
    )


def document(predictions: Sequence[Prediction], *, include_passes: bool = False, problems: Sequence[str] = ()) -> dict[str, Any]:
    uris = sorted({e.location.uri for p in predictions for e in _evidence(p)}
                  | {u for p in predictions for u in (p.client.first_file, p.server.first_file) if u})
    index = {u: i for i, u in enumerate(uris)}
    rule_index = {r.code: i for i, r in enumerate(CONNECT_RULES)}
    results = [r for p in predictions if (r := result(p, rule_index, index)) is not None and (include_passes or r.kind != "pass")]
    notifications = [om.Notification(level="error", message=om.Message(text=problem)) for problem in problems]
    log = om.SarifLog(
        version="2.1.0",
        schema_uri=SCHEMA_URI,
        runs=[om.Run(
            tool=om.Tool(driver=om.ToolComponent(
                name="winrmlint", version=__version__, semantic_version=__version__, information_uri=project.url(),
                rules=[descriptor(r) for r in CONNECT_RULES],
            )),
            automation_details=om.RunAutomationDetails(id="winrmlint/connect/"),
            invocations=[om.Invocation(execution_successful=not notifications, tool_execution_notifications=notifications or None)],
            artifacts=[om.Artifact(location=artifact_location(u), roles=["analysisTarget"]) for u in uris],
            results=results,
            column_kind="unicodeCodePoints",
        )],
    )
    return _plain(log)


def write(predictions: Sequence[Prediction], stream: TextIO, *, include_passes: bool = False, problems: Sequence[str] = ()) -> None:
    json.dump(document(predictions, include_passes=include_passes, problems=problems), stream, indent=2, sort_keys=True, ensure_ascii=False)
    stream.write("\n")
