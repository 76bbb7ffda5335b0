"""One attempt between two hosts: the plan the client builds, every check's judgement, the verdict.

Three-valued, never a bare "will succeed" (connection-model §6): **fails** when a check fails (all
blocking conditions are kept, the first in the procedure's order is the likely one), **depends**
when a configuration fact that decides it was not collected (named, with the command that
collects it), else **succeeds_if** with the runtime assumptions the passes rest on. The cascade
applies the likely-first blocker's fix to the capabilities and predicts again: what the user
meets next.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from winrmlint.connect.attempt import Attempt, credential
from winrmlint.connect.capability import ClientCap, Env, ServerCap
from winrmlint.connect.steps import FAIL, PASS, STEPS, UNKNOWN, Judgement, Pair, Plan, ev

FAILS, SUCCEEDS_IF, DEPENDS = "fails", "succeeds_if", "depends"
_MAX_CASCADE = 6
_MECHANISM = {"Credssp": "CredSSP", "NegotiateWithImplicitCredential": "Negotiate"}


@dataclass(frozen=True)
class CascadeStep:
    """After applying `fix`: the next verdict and, if it still fails, its likely-first outcome."""

    fix: str
    verdict: str
    outcome: str | None
    step: str | None
    message: str


@dataclass(frozen=True)
class Prediction:
    attempt: Attempt
    client: ClientCap
    server: ServerCap
    plan: Plan
    verdict: str
    judgements: tuple[Judgement, ...]
    cascade: tuple[CascadeStep, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def blocking(self) -> tuple[Judgement, ...]:
        return tuple(j for j in self.judgements if j.status == FAIL)

    @property
    def unknown(self) -> tuple[Judgement, ...]:
        return tuple(j for j in self.judgements if j.status == UNKNOWN)

    @property
    def first(self) -> Judgement | None:
        """The likely-first blocker: the earliest in the procedure's order."""
        return self.blocking[0] if self.blocking else None

    @property
    def confidence(self) -> str:
        """How sure the likely-first error is: high (documented, alone or first among documented
        pre-packet checks), medium (observed, or the order against another blocker is inferred),
        low (the branch itself is inferred)."""
        first = self.first
        if first is None:
            return "high" if self.verdict == SUCCEEDS_IF else "medium"
        if first.confidence == "INF":
            return "low"
        if any(j.step == "3" and j.status == UNKNOWN for j in self.judgements):
            return "medium"  # the mechanism rests on a join state not collected
        # the parameter checks of step 2 fail "at once, whatever the server looks like" [WSMERROR]; the
        # order of every later check against another blocker is reconstructed, not documented
        unordered = len(self.blocking) > 1 and not first.step.startswith("2")
        if first.confidence == "OBS" or first.inferred or unordered:
            return "medium"
        return "high"

    @property
    def assumptions(self) -> tuple[str, ...]:
        found: list[str] = []
        for j in self.judgements:
            if j.status == PASS or j.status == FAIL:
                found.extend(j.assumptions)
        if self.attempt.credential.explicit:
            found.append("the password is right")
        return tuple(dict.fromkeys(found))

    @property
    def fixes(self) -> tuple[str, ...]:
        ranked: list[str] = []
        for j in self.blocking:
            ranked.extend(j.fixes)
        return tuple(dict.fromkeys(f for f in ranked if f))

    @property
    def server_authenticated(self) -> bool:
        """Kerberos found the server's SPN, or TLS verified its certificate; NTLM through
        TrustedHosts proves nothing about who answers [PS-SEC]."""
        if self.plan.transport == "HTTPS" and not {"SkipCACheck", "SkipCNCheck"} & self.attempt.options:
            return True
        return any(j.step == "10.2" and j.status == PASS for j in self.judgements)


    @property
    def encryption(self) -> str:
        """How the traffic is protected (§3 step 17): TLS, the SSP's message encryption, or none."""
        plan = self.plan
        if plan.transport == "HTTPS":
            return "TLS"
        if plan.mechanism in ("Basic", "Digest") or "NoEncryption" in self.attempt.options:
            return "none"
        used = "Kerberos" if self.server_authenticated else ("NTLM" if plan.mechanism == "Negotiate" else plan.mechanism)
        return f"message ({used})"


def build_plan(attempt: Attempt, client: ClientCap, server: ServerCap) -> tuple[Plan, tuple[Judgement, ...]]:
    """Steps 1 and 3: the endpoint and the mechanism, each with its evidence."""
    transport = attempt.transport
    port_fact = client.ports[transport]
    port = attempt.port if attempt.port is not None else int(port_fact.value)
    host = f"[{attempt.name}]" if ":" in attempt.name else attempt.name
    url = f"{transport.lower()}://{host}:{port}/{attempt.application}"
    port_ev = () if attempt.port is not None else ev(client.name, port_fact, f"Client DefaultPorts {transport} = {port}")
    endpoint_j = Judgement("1", "endpoint", PASS, url, port_ev)

    trusted_entry = client.trusts(attempt.name)
    trusted = transport == "HTTPS" or trusted_entry is not None
    reasons: list[str] = []
    if attempt.certificate_thumbprint:
        mech = "Certificate"
        reasons.append("-CertificateThumbprint")
    elif attempt.authentication != "Default":
        mech = _MECHANISM.get(attempt.authentication, attempt.authentication)
        reasons.append(f"-Authentication {attempt.authentication}")
    elif attempt.name_form == "localhost":
        mech = "Negotiate"
        reasons.append("the destination is the local computer")
    elif attempt.credential.explicit and trusted:
        mech = "Negotiate"
        reasons.append("explicit credentials and a trusted destination (" + ("HTTPS" if transport == "HTTPS" else f"TrustedHosts {trusted_entry!r}") + ")")
    elif client.workgroup and trusted:
        mech = "Negotiate"
        reasons.append("a client outside a domain and a trusted destination")
    else:
        mech = "Kerberos"
        if not client.workgroup:
            reasons.append("a domain-joined client" if client.join.known else "the client's join state is unknown")
        reasons.append("explicit credentials" if attempt.credential.explicit else "implicit credentials")
        reasons.append("a destination not trusted" if not trusted else "")
    join_ev = ev(client.name, client.join, f"join state: {client.join.value}")
    th_ev = ev(client.name, client.trusted, "TrustedHosts = " + (",".join(client.trusted.value) or "(empty)"))
    mech_j = Judgement("3", "mechanism", PASS, f"{mech}: " + ", ".join(r for r in reasons if r),
                       join_ev + th_ev if attempt.authentication == "Default" else ())
    if attempt.authentication == "Default" and mech == "Kerberos" and not client.join.known:
        # a workgroup client would use Negotiate, or stop at the TrustedHosts gate: the rest is
        # judged as for a domain member, and the verdict cannot be better than depends
        mech_j = replace(mech_j, status=UNKNOWN, message=f"Kerberos if {client.name} is domain-joined (judged so below)",
                         fact=f"whether {client.name} is domain-joined", collect="dsregcmd /status")
    spn = None
    if mech in ("Kerberos", "Negotiate") and attempt.name_form in ("short", "fqdn"):
        spn = f"{client.spn_prefix.value.upper()}/{attempt.name}"
        if "IncludePortInSPN" in attempt.options:
            spn += f":{port}"
    evidence = (
        ("transport", transport, ()),
        ("port", str(port), port_ev),
        ("mechanism", mech, mech_j.evidence),
        ("spn", spn or "", ev(client.name, client.spn_prefix.at, f"spn_prefix = {client.spn_prefix.value}") if spn else ()),
    )
    return Plan(transport, port, url, mech, spn, evidence), (endpoint_j, mech_j)


def _resolved(attempt: Attempt, server: ServerCap) -> Attempt:
    """The credential's kind once the server is known: `WEB01\\u` is a local account of WEB01."""
    if attempt.unresolved_credential and attempt.credential.kind == "domain" and "\\" in attempt.unresolved_credential:
        return replace(attempt, credential=credential(attempt.unresolved_credential, server.short))
    return attempt


def judge(attempt: Attempt, client: ClientCap, server: ServerCap, env: Env) -> tuple[Plan, tuple[Judgement, ...]]:
    plan, planning = build_plan(attempt, client, server)
    pair = Pair(attempt, client, server, env, plan)
    found = [j for j in (check(pair) for check in STEPS) if j is not None]
    # §3's order: the endpoint (1), the parameter checks (2), the mechanism (3), then the rest
    return plan, (planning[0], found[0], planning[1], *found[1:])


def _verdict(judgements: tuple[Judgement, ...]) -> str:
    if any(j.status == FAIL for j in judgements):
        return FAILS
    if any(j.status == UNKNOWN for j in judgements):
        return DEPENDS
    return SUCCEEDS_IF


def predict(attempt: Attempt, client: ClientCap, server: ServerCap, env: Env, *, alternatives: bool = True) -> Prediction:
    attempt = _resolved(attempt, server)
    plan, judgements = judge(attempt, client, server, env)
    verdict = _verdict(judgements)
    cascade = _cascade(Pair(attempt, client, server, env, plan), judgements) if verdict == FAILS else ()
    notes: list[str] = []
    if verdict == FAILS and alternatives:
        notes.extend(_alternatives(attempt, client, server, env))
    if verdict != FAILS and plan.mechanism != "CredSSP":
        # §3 step 17 [PS-HOP]: the remote session cannot reach a third computer as the user
        notes.append("second hop: the session holds no delegable credentials unless CredSSP or Kerberos delegation is set up")
    return Prediction(attempt, client, server, plan, verdict, judgements, cascade, tuple(notes))


def _cascade(pair: Pair, judgements: tuple[Judgement, ...]) -> tuple[CascadeStep, ...]:
    steps: list[CascadeStep] = []
    seen: set[str] = set()
    current = judgements
    for _ in range(_MAX_CASCADE):
        first = next((j for j in current if j.status == FAIL), None)
        if first is None or first.remedy is None:
            break
        key = f"{first.step}:{first.outcome}"
        if key in seen:
            break
        seen.add(key)
        pair = first.remedy(pair)
        plan, current = judge(pair.attempt, pair.client, pair.server, pair.env)
        pair = replace(pair, plan=plan)
        verdict = _verdict(current)
        nxt = next((j for j in current if j.status == FAIL), None)
        deciding = nxt or next((j for j in current if j.status == UNKNOWN), None)
        steps.append(CascadeStep(
            fix=first.remedy_fix or (first.fixes[0] if first.fixes else first.message),
            verdict=verdict,
            outcome=nxt.outcome if nxt else None,
            step=deciding.step if deciding else None,
            message=deciding.message if deciding else f"{plan.mechanism} over {plan.transport} {plan.port}",
        ))
        if verdict != FAILS:
            break
    return tuple(steps)


def _alternatives(attempt: Attempt, client: ClientCap, server: ServerCap, env: Env) -> list[str]:
    """Another name form of the same server that does not fail today, as a note."""
    out: list[str] = []
    for name, form in ((server.short, "short"), (server.fqdns[0] if server.fqdns else "", "fqdn")):
        if not name or form == attempt.name_form:
            continue
        other = predict(replace(attempt, name=name, name_form=form), client, server, env, alternatives=False)
        if other.verdict != FAILS:
            out.append(f"-ComputerName {name} ({form} name) {other.verdict.replace('_', ' ')}"
                       + (f": {other.plan.mechanism} with SPN {other.plan.spn}" if other.plan.spn else ""))
    return out
