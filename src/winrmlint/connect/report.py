"""A prediction for people (text) and for tools (JSON, the shape of schemas/connect.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from winrmlint.connect import errors
from winrmlint.connect.predict import FAILS, SUCCEEDS_IF, Prediction
from winrmlint.connect.steps import FAIL, PASS, UNKNOWN, Evidence, Judgement
from winrmlint.output.escape import safe

SCHEMA_VERSION = 1
_MARK = {FAILS: "✘ fails", SUCCEEDS_IF: "✔ succeeds if", "depends": "? depends"}
_STATUS = {PASS: "✔", FAIL: "✘", UNKNOWN: "?"}


def error_of(p: Prediction) -> errors.Shown | None:
    first = p.first
    if first is None or first.outcome is None:
        return None
    return errors.shown(first.outcome, first.params, p.attempt, p.plan.port)


def _at(e: Evidence) -> str:
    return f"{e.location.uri}:{e.location.line}"


def _where(evidence: Sequence[Evidence]) -> str:
    return " (" + ", ".join(_at(e) for e in evidence) + ")" if evidence else ""


def headline(p: Prediction) -> str:
    plan = p.plan
    bits = [plan.mechanism, f"{plan.transport} {plan.port}"]
    if plan.spn:
        bits.append(f"SPN {plan.spn}")
    return f"{_MARK[p.verdict]}  " + " · ".join(bits)


def write_text(predictions: Sequence[Prediction], stream: TextIO) -> None:
    for index, p in enumerate(predictions):
        if index:
            stream.write("\n")
        stream.write("\n".join(safe(line) for line in text(p).splitlines()) + "\n")


def text(p: Prediction) -> str:
    a = p.attempt
    lines = [f"{p.client.name} → {p.server.name}   {a.typed}   ({a.credential.shown})", headline(p)]
    shown = error_of(p)
    if shown is not None:
        lines.append("  you will see:")
        lines.extend("    " + line for line in shown.rendered.splitlines())
        code = f"{shown.code} ({shown.dec})" if shown.code else "(no code)"
        lines.append(f"    outcome {shown.outcome.row} {shown.outcome.id}, code {code}, likely first (confidence {p.confidence})")
    if p.blocking:
        lines.append(f"  blocked by ({len(p.blocking)}):")
        for j in p.blocking:
            row = errors.outcome(j.outcome).row if j.outcome else ""
            tag = " inferred order" if j.inferred else ""
            lines.append(f"    [{j.step}] {row} {j.message} [{j.confidence}{tag}]{_where(j.evidence)}")
    lines.append("  path:")
    for j in p.judgements:
        tag = " (inferred)" if j.inferred else ""
        lines.append(f"    {_STATUS[j.status]} {j.step} {j.title}: {j.message}{tag}{_where(j.evidence)}")
    if p.fixes:
        lines.append("  fix, least privilege first:")
        lines.extend(f"    - {f}" for f in p.fixes)
    for step in p.cascade:
        after = errors.outcome(step.outcome).row + " " if step.outcome else ""
        lines.append(f"  then, after {step.fix}: {step.verdict.replace('_', ' ')} {after}— {step.message}")
    if p.unknown:
        lines.append("  not collected:")
        lines.extend(f"    - {j.fact}: collect with `{j.collect}`" for j in p.unknown)
    if p.assumptions and p.verdict != FAILS:
        lines.append("  assuming:")
        lines.extend(f"    - {x}" for x in p.assumptions)
    for note in p.notes:
        lines.append(f"  note: {note}")
    return "\n".join(lines)


def _blocking(j: Judgement) -> dict[str, object]:
    row = errors.outcome(j.outcome) if j.outcome else None
    data: dict[str, object] = {
        "step": j.step,
        "title": j.title,
        "outcome": j.outcome,
        "row": row.row if row else None,
        "code": (row.code or None) if row else None,
        "message": j.message,
        "evidence": [e.to_json() for e in j.evidence],
        "confidence": j.confidence,
        "inferred": j.inferred,
        "fixes": list(j.fixes),
    }
    if "alternative" in j.params:
        data["alternative"] = j.params["alternative"]
    return data


def to_json(p: Prediction) -> dict[str, object]:
    plan = p.plan
    shown = error_of(p)
    evidence = {what: [e.to_json() for e in ev] for what, _, ev in plan.evidence}
    return {
        "client": p.client.name,
        "server": p.server.name,
        "client_bundle": p.client.bundle,
        "server_bundle": p.server.bundle,
        "attempt": p.attempt.to_json(),
        "verdict": p.verdict,
        "endpoint": plan.url,
        "mechanism": plan.mechanism,
        "transport": plan.transport,
        "port": plan.port,
        "spn": plan.spn,
        "evidence": evidence,
        "server_authenticated": p.server_authenticated if p.verdict != FAILS else None,
        "encryption": p.encryption,
        "error": shown.to_json() if shown else None,
        "confidence": p.confidence,
        "blocking": [_blocking(j) for j in p.blocking],
        "cascade": [
            {"fix": c.fix, "verdict": c.verdict, "outcome": c.outcome,
             "code": (errors.outcome(c.outcome).code or None) if c.outcome else None, "step": c.step, "message": c.message}
            for c in p.cascade
        ],
        "assumptions": list(p.assumptions),
        "not_evaluated": [{"step": j.step, "fact": j.fact, "collect": j.collect, "message": j.message} for j in p.unknown],
        "fixes": list(p.fixes),
        "steps": [j.to_json() for j in p.judgements],
        "notes": list(p.notes),
    }


def write_json(predictions: Sequence[Prediction], stream: TextIO, problems: Sequence[str] = ()) -> None:
    from winrmlint import __version__

    doc = {
        "tool": {"name": "winrmlint", "version": __version__},
        "schema_version": SCHEMA_VERSION,
        "attempts": [to_json(p) for p in predictions],
        "unreadable": list(problems),
    }
    json.dump(doc, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
