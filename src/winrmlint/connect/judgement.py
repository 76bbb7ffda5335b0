"""What a connection step reads and returns: the pair of capabilities, the plan, a judgement with evidence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from winrmlint.connect.attempt import Attempt
from winrmlint.connect.capability import ClientCap, Env, Fact, ServerCap
from winrmlint.rules.base import remedy
from winrmlint.source import Location


PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


@dataclass(frozen=True)
class Evidence:
    """One line on either host (or at the fleet's root) that a judgement rests on."""

    host: str
    location: Location
    text: str

    def to_json(self) -> dict[str, object]:
        return {"host": self.host, "file": self.location.uri, "line": self.location.line, "text": self.text}


@dataclass(frozen=True)
class Plan:
    """What the client builds from the attempt: the endpoint, the mechanism and the SPN."""

    transport: str
    port: int
    url: str
    mechanism: str  # Kerberos | Negotiate | Basic | Digest | CredSSP | Certificate
    spn: str | None  # the SPN Kerberos asks for, None when Kerberos is not tried
    evidence: tuple[tuple[str, str, tuple[Evidence, ...]], ...]  # (what, value, evidence)


@dataclass(frozen=True)
class Pair:
    """One attempt between two hosts: everything a check may read."""

    attempt: Attempt
    client: ClientCap
    server: ServerCap
    env: Env
    plan: Plan


Remedy = Callable[[Pair], Pair]


@dataclass(frozen=True)
class Judgement:
    """What one check says about one attempt."""

    step: str
    title: str
    status: str
    message: str
    evidence: tuple[Evidence, ...] = ()
    outcome: str | None = None  # the failure's outcome: an id of `winrmlint.outcomes`
    params: dict[str, str] = field(default_factory=dict)  # the text's placeholders: name, port, list
    confidence: str = "DOC"  # DOC | OBS | INF: how sure the branch is (connection-model's tags)
    inferred: bool = False  # the check's place in the order is not documented
    fixes: tuple[str, ...] = ()  # least privilege first
    remedy: Remedy | None = None  # one fix, applied to the pair, for the cascade
    remedy_fix: str = ""  # what `remedy` does, when it is not the first of `fixes`
    fact: str = ""  # unknown: the deciding fact not collected
    collect: str = ""  # unknown: the one command that collects it
    assumptions: tuple[str, ...] = ()  # pass: runtime facts the pass rests on

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "step": self.step, "title": self.title, "status": self.status, "message": self.message,
            "evidence": [e.to_json() for e in self.evidence], "confidence": self.confidence,
            "inferred": self.inferred,
        }
        if self.outcome:
            data["outcome"] = self.outcome
        if self.fact:
            data["fact"], data["collect"] = self.fact, self.collect
        return data


Check = Callable[[Pair], "Judgement | None"]


def ev(host: str, fact: Fact | Location | None, text: str) -> tuple[Evidence, ...]:
    at = fact if isinstance(fact, Location) or fact is None else fact.at
    return () if at is None else (Evidence(host, at, text),)


def fix_for(fact: Fact, expected: object, fallback: str) -> str:
    if fact.setting is not None:
        return remedy(fact.setting, expected) or fallback  # type: ignore[arg-type]
    return fallback


def with_client(pair: Pair, **changes: Any) -> Pair:
    return replace(pair, client=replace(pair.client, **changes))


def with_server(pair: Pair, **changes: Any) -> Pair:
    return replace(pair, server=replace(pair.server, **changes))


def with_attempt(pair: Pair, **changes: Any) -> Pair:
    return replace(pair, attempt=replace(pair.attempt, **changes))


def trust_entry(pair: Pair) -> Remedy:
    def apply(p: Pair) -> Pair:
        listed = (*p.client.trusted.value, p.attempt.name)
        return with_client(p, trusted=replace(p.client.trusted, value=listed))
    return apply


def trusted_hosts_fix(pair: Pair) -> str:
    fact = pair.client.trusted
    current = ",".join(fact.value)
    value = f"{current},{pair.attempt.name}" if current else pair.attempt.name
    return fix_for(fact, value, f"Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value '{value}'")


def client_name(pair: Pair) -> str:
    return pair.client.name
