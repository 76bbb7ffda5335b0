"""`winrmlint explain`: a rule's documentation, or an error's documented causes, checked on a bundle.

The query is a rule (code or name) or an error as the user has it: a hex code, a signed or
unsigned decimal, a FullyQualifiedErrorId, or the pasted text (outcomes.lookup). With a bundle,
the rules behind each cause are run on it and each cause is reported as holding (with the
findings' evidence lines), not holding, or not evaluated for lack of input.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from winrmlint import outcomes
from winrmlint.outcomes import Match, Outcome
from winrmlint.rules import BY_CODE, BY_NAME, RULES
from winrmlint.rules.base import Rule

if TYPE_CHECKING:
    from winrmlint.engine import RunResult
    from winrmlint.findings import Finding


@dataclass(frozen=True)
class Verdict:
    """One rule behind a cause, judged on every host of a bundle run."""

    rule: str
    holds_on: tuple[Finding, ...] = ()
    clear_on: tuple[str, ...] = ()  # hosts where the rule ran and found nothing
    not_evaluated_on: tuple[str, ...] = ()  # hosts without the input the rule reads


@dataclass(frozen=True)
class CauseCheck:
    cause: outcomes.Cause
    verdicts: tuple[Verdict, ...] = ()

    @property
    def state(self) -> str:
        """`holds`, `clear`, `not evaluated`, or `not decidable` (no rule can tell from a dump)."""
        if not self.cause.rules:
            return "not decidable"
        if any(v.holds_on for v in self.verdicts):
            return "holds"
        if any(v.not_evaluated_on for v in self.verdicts):
            return "not evaluated"
        return "clear"


@dataclass(frozen=True)
class Explanation:
    """What `explain` found for a query: a rule, or outcomes (each with its causes checked when a
    bundle was given), or nothing (with suggestions)."""

    query: str
    rule: Rule | None = None
    matches: tuple[Match, ...] = ()
    checks: dict[str, tuple[CauseCheck, ...]] = field(default_factory=dict)  # by outcome id
    hosts: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.rule is not None or bool(self.matches)


def find_rule(query: str) -> Rule | None:
    text = query.strip()
    return BY_CODE.get(text.upper()) or BY_NAME.get(text.lower())


def explain(query: str) -> Explanation:
    rule = find_rule(query)
    if rule is not None:
        return Explanation(query, rule=rule)
    matches = tuple(outcomes.lookup(query))
    if matches:
        return Explanation(query, matches=matches)
    return Explanation(query, suggestions=tuple(suggest(query)))


def suggest(query: str, limit: int = 5) -> list[str]:
    """What the user may have meant: near rule codes and names, outcome ids and modifiers, or
    codes close to an unknown code (same facility, nearby number)."""
    text = query.strip()
    value = outcomes.number(text)
    if value is not None:
        near = sorted(
            (o for o in outcomes.OUTCOMES if o.value is not None and abs(o.value - value) <= 0x10),
            key=lambda o: abs((o.value or 0) - value),
        )
        return [f"{o.code} ({o.id})" for o in near[:limit]]
    words = [r.code for r in RULES] + [r.name for r in RULES] + [o.id for o in outcomes.OUTCOMES]
    words += sorted({o.fqeid for o in outcomes.OUTCOMES if o.fqeid and not o.fqeid.startswith("-")})
    close = difflib.get_close_matches(text, words, n=limit, cutoff=0.6)
    close += [w for w in difflib.get_close_matches(text.upper(), words, n=limit, cutoff=0.6) if w not in close]
    return close[:limit]


def check_bundle(explanation: Explanation, paths: Sequence[str]) -> Explanation:
    """The explanation with every cause's rules run on the bundle (or fleet) at `paths`."""
    from winrmlint import engine

    codes = sorted({r for m in explanation.matches for r in m.outcome.rules})
    run = engine.lint(list(paths), rules=engine.select_rules(codes or ["WRM001"]))
    checks = {m.outcome.id: tuple(_check(c, run) for c in m.outcome.causes) for m in explanation.matches}
    hosts = tuple(r.host.name for r in run.hosts)
    return Explanation(explanation.query, explanation.rule, explanation.matches, checks, hosts, explanation.suggestions)


def _check(cause: outcomes.Cause, run: RunResult) -> CauseCheck:
    verdicts = []
    for code in cause.rules:
        found = tuple(f for f in run.findings if f.code == code)
        holding = {f.bundle for f in found}
        verdicts.append(
            Verdict(
                code,
                holds_on=found,
                clear_on=tuple(
                    r.host.name for r in run.hosts if code not in r.not_evaluated and r.host.bundle not in holding
                ),
                not_evaluated_on=tuple(r.host.name for r in run.hosts if code in r.not_evaluated),
            )
        )
    return CauseCheck(cause, tuple(verdicts))


# ---- Markdown: the terminal view (rendered by rich on a terminal) and the generated docs ----


def rule_markdown(rule: Rule) -> str:
    """A rule's page: title, level and kind line, its docstring's sections, the errors it explains,
    references. `docs/rules/<code>.md` is this text."""
    kind = _kind(rule)
    facts = [f"**{rule.level.value}**"]
    if kind:
        facts.append(f"kind: {kind}")
    if rule.security_severity is not None:
        facts.append(f"security-severity {rule.security_severity:.1f}")
    facts.append(f"help: <{rule.help_uri}>")
    errors = [o for o in outcomes.OUTCOMES if rule.code in o.rules]
    explained = ""
    if errors:
        explained = "## Errors it explains\n" + "\n".join(
            f"- {_label(o)}: {', '.join(c.text for c in o.causes if rule.code in c.rules)}" for o in errors
        )
    parts = [f"# {rule.code} {rule.name}", rule.summary, " · ".join(facts), _body(rule), explained, _references(rule)]
    return "\n\n".join(p for p in parts if p).rstrip() + "\n"


def _kind(rule: Rule) -> str:
    # kinds are h10's (rules-catalog "Kinds and profiles"); read one only where the Rule has it
    return str(getattr(rule, "kind", "") or "")


def _body(rule: Rule) -> str:
    """The docstring's sections, without Rule.help_markdown's references (written below)."""
    markdown = rule.help_markdown
    return markdown.split("\n## References\n", 1)[0].strip() if "\n## References\n" in markdown else markdown


def _references(rule: Rule) -> str:
    tail = rule.help_markdown.split("\n## References\n", 1)
    return "## References\n" + tail[1].strip() if len(tail) == 2 else ""


def _label(o: Outcome) -> str:
    code = f"`{o.code}` ({o.dec})" if o.code else "no code"
    name = f" {o.name}" if o.name else ""
    return f"{code}{name} — [{o.id}](../outcomes.md#{o.id})"


def explanation_markdown(explanation: Explanation) -> str:
    """The terminal text of an explanation (Markdown; plain enough to read when piped)."""
    from winrmlint.output.escape import safe

    if explanation.rule is not None:
        return rule_markdown(explanation.rule)
    if not explanation.found:
        return ""
    out: list[str] = []
    for m in explanation.matches:
        o = m.outcome
        out.append(f"# {o.code or o.name or o.id} — {o.id}")
        facts = []
        if o.code:
            facts.append(f"`{o.code}` = `{o.dec}`")
        if o.name:
            facts.append(f"`{o.name}`")
        if o.modifier:
            facts.append(f"FullyQualifiedErrorId `{o.modifier},…`")
        facts.append(f"step {o.step} of the connection procedure")
        out.append(" · ".join(facts) + f"  \n(matched by {m.reason})")
        if o.texts:
            out.append("What PowerShell shows:\n\n" + "\n".join(f"> {t}" for t in o.texts[:2]))
        checks = explanation.checks.get(o.id)
        out.append("## Documented causes")
        for n, cause in enumerate(o.causes, start=1):
            rules = ", ".join(f"{r} {BY_CODE[r].name}" for r in cause.rules) or "no rule: it depends on the attempt or on facts no dump holds"
            out.append(f"{n}. {cause.text}  \n   detected by: {rules}")
            if checks is not None:
                out.append(_check_markdown(checks[n - 1], safe))
        out.append(f"## Fix\n{o.fix}")
        out.append(f"More: <{o.help_uri}>")
    if explanation.checks and explanation.hosts:
        out.append("Checked on: " + ", ".join(safe(h) for h in explanation.hosts))
    return "\n\n".join(out) + "\n"


# what to collect for a rule's `needs` (README "Collecting a bundle"), most specific first
_COLLECT = (
    ("winrm/config/listener", "winrm enumerate winrm/config/listener"),
    ("winrm/config", "winrm get winrm/config"),
    ("services/WinRM", "sc.exe qc winrm; sc.exe query winrm"),
    ("host/join", "dsregcmd /status"),
    ("firewall", "Get-NetFirewallRule -Name WINRM-* | Format-List *"),
    ("winhttp", "netsh winhttp show proxy"),
    ("sessionconfig", "Get-PSSessionConfiguration | Format-List *"),
    ("executionpolicy", "Get-ExecutionPolicy -List"),
    ("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System", "reg query HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System /v LocalAccountTokenFilterPolicy"),
    ("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM", "reg export HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM winrm-policy.reg /y"),
)


def collect_hint(code: str) -> str:
    """The commands whose output would let a rule judge a host."""
    commands = []
    for need in BY_CODE[code].needs:
        command = next((c for prefix, c in _COLLECT if need.startswith(prefix)), None)
        if command and command not in commands:
            commands.append(command)
    return " or ".join(f"`{c}`" for c in commands) if commands else "its input"


def _check_markdown(check: CauseCheck, safe: Callable[[str], str]) -> str:
    lines = [f"   **{check.state}**"]
    for v in check.verdicts:
        for f in v.holds_on:
            lines.append(f"   - {v.rule} on {safe(f.host)}: `{safe(f.location.uri)}:{f.location.line}` {safe(f.message)}")
            if f.fix:
                lines.append(f"     fix: {safe(f.fix)}")
        if v.not_evaluated_on:
            lines.append(f"   - {v.rule} not evaluated on {', '.join(safe(h) for h in v.not_evaluated_on)}: no input for it; collect {collect_hint(v.rule)}")
        if v.clear_on and not v.holds_on:
            lines.append(f"   - {v.rule} found nothing on {', '.join(safe(h) for h in v.clear_on)}")
    return "\n".join(lines)


def not_found_message(explanation: Explanation) -> str:
    query = explanation.query.strip()
    if outcomes.number(query) is not None:
        head = f"winrmlint: no documented outcome has code {query!r}"
    elif re.fullmatch(r"[\w.,-]+", query):
        head = f"winrmlint: {query!r} is no rule, outcome or FullyQualifiedErrorId"
    else:
        head = "winrmlint: no published WinRM error text matches this text (paste the whole message, or its code)"
    tips = f"; did you mean: {', '.join(explanation.suggestions)}" if explanation.suggestions else ""
    return head + tips + " (see `winrmlint rules` and docs/outcomes.md)"


def to_json(explanation: Explanation) -> dict[str, object]:
    """The explanation for scripts."""
    if explanation.rule is not None:
        return {"query": explanation.query, "rule": explanation.rule.code, "markdown": rule_markdown(explanation.rule)}
    items = []
    for m in explanation.matches:
        o = m.outcome
        checks = explanation.checks.get(o.id)
        causes = []
        for n, cause in enumerate(o.causes):
            item: dict[str, object] = {"cause": cause.text, "rules": list(cause.rules)}
            if checks is not None:
                check = checks[n]
                item["state"] = check.state
                item["evidence"] = [
                    {"rule": v.rule, "host": f.host, "file": f.location.uri, "line": f.location.line,
                     "message": f.message, "fix": f.fix}
                    for v in check.verdicts for f in v.holds_on
                ]
                item["not_evaluated_on"] = sorted({h for v in check.verdicts for h in v.not_evaluated_on})
            causes.append(item)
        items.append({
            "id": o.id, "code": o.code, "dec": o.dec, "name": o.name, "fqeid": o.modifier, "step": o.step,
            "score": round(m.score, 3), "reason": m.reason, "texts": list(o.texts), "causes": causes,
            "fix": o.fix, "help_uri": o.help_uri,
        })
    return {"query": explanation.query, "outcomes": items, "hosts": list(explanation.hosts),
            "suggestions": list(explanation.suggestions)}
