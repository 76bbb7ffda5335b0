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
from winrmlint.rules import BY_CODE, BY_NAME
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
    rule_check: CauseCheck | None = None  # the rule itself run on a bundle

    @property
    def found(self) -> bool:
        return self.rule is not None or bool(self.matches)


def _rules() -> tuple[Rule, ...]:
    """The host and fleet rules and the suppression layer's own (WRM002, WRM003)."""
    from winrmlint.config import all_rules

    return all_rules()


def find_rule(query: str) -> Rule | None:
    text = query.strip()
    return BY_CODE.get(text.upper()) or BY_NAME.get(text.lower()) or next(
        (r for r in _rules() if text.upper() == r.code or text.lower() == r.name), None
    )


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
    if len(text.split()) > 2:
        return _closest_texts(text, limit)
    words = [r.code for r in _rules()] + [r.name for r in _rules()] + [o.id for o in outcomes.OUTCOMES]
    words += sorted({o.fqeid for o in outcomes.OUTCOMES if o.fqeid and not o.fqeid.startswith("-")})
    close = difflib.get_close_matches(text, words, n=limit, cutoff=0.6)
    close += [w for w in difflib.get_close_matches(text.upper(), words, n=limit, cutoff=0.6) if w not in close]
    return close[:limit]


def _closest_texts(text: str, limit: int) -> list[str]:
    """Outcomes whose published texts share the most words with a text that matched none
    (a paraphrase, a typo, a text from memory)."""
    wanted = {w for w in re.findall(r"[a-z]{4,}", text.lower())}
    scored = []
    for o in outcomes.OUTCOMES:
        theirs = {w for t in o.texts for w in re.findall(r"[a-z]{4,}", t.lower())}
        shared = len(wanted & theirs)
        if shared >= 2:
            scored.append((-shared, o.id, f"{o.code or o.name or '(no code)'} ({o.id})"))
    return [label for _, _, label in sorted(scored)[:limit]]


def check_bundle(explanation: Explanation, paths: Sequence[str]) -> Explanation:
    """The explanation with every cause's rules (or the rule explained) run on the bundle or fleet
    at `paths`."""
    from dataclasses import replace

    from winrmlint import engine

    if explanation.rule is not None:
        code = explanation.rule.code
        run = engine.lint(list(paths), rules=engine.select_rules([code]))
        cause = outcomes.Cause(explanation.rule.summary, (code,))
        return replace(explanation, rule_check=CauseCheck(cause, (_verdict(code, run),)),
                       hosts=tuple(r.host.name for r in run.hosts))
    codes = sorted({r for m in explanation.matches for r in m.outcome.rules})
    run = engine.lint(list(paths), rules=engine.select_rules(codes or ["WRM001"]))
    checks = {
        m.outcome.id: tuple(CauseCheck(c, tuple(_verdict(r, run) for r in c.rules)) for c in m.outcome.causes)
        for m in explanation.matches
    }
    return replace(explanation, checks=checks, hosts=tuple(r.host.name for r in run.hosts))


def _verdict(code: str, run: RunResult) -> Verdict:
    found = tuple(f for f in run.findings if f.code == code)
    holding = {f.bundle for f in found}
    return Verdict(
        code,
        holds_on=found,
        clear_on=tuple(r.host.name for r in run.hosts if code not in r.not_evaluated and r.host.bundle not in holding),
        not_evaluated_on=tuple(r.host.name for r in run.hosts if code in r.not_evaluated),
    )


# ---- Markdown: the terminal view (rendered by rich on a terminal) and the generated docs ----


def rule_markdown(rule: Rule, docs: bool = True) -> str:
    """A rule's page: title, level and kind line, its docstring's sections, the errors it explains,
    references. `docs/rules/<code>.md` is this text."""
    kind = _kind(rule)
    facts = [f"**{rule.level.value}**"]
    if kind:
        facts.append(f"kind: {kind}")
    if rule.security_severity is not None:
        facts.append(f"security-severity {rule.security_severity:.1f}")
    from winrmlint import project

    if not docs or rule.help_uri != project.rule_page(rule.code):
        facts.append(f"help: <{rule.help_uri}>")
    errors = [o for o in outcomes.OUTCOMES if rule.code in o.rules]
    explained = ""
    if errors:
        explained = "## Errors it explains\n" + "\n".join(
            f"- {_label(o, docs)}: {', '.join(c.text for c in o.causes if rule.code in c.rules)}" for o in errors
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


def _label(o: Outcome, docs: bool) -> str:
    """An outcome named in a rule's page: linked in the docs, with its explain command in a terminal."""
    code = f"`{o.code}` ({o.dec})" if o.code else "no code"
    name = f" {o.name}" if o.name else ""
    where = f"[{o.id}](../outcomes.md#{o.id})" if docs else f"{o.id} (`winrmlint explain {o.code or o.id}`)"
    return f"{code}{name} — {where}"


def rules_index_markdown() -> str:
    """docs/rules/README.md: every rule, linked to its page."""
    from winrmlint import project

    rows = "\n".join(f"| [{r.code}]({r.code}.md) | `{r.name}` | {r.level.value} | {r.summary} |" for r in _rules())
    return (
        f"# Rules\n\nThe rules of winrmlint (<{project.url()}>). Generated from the rules' docstrings and metadata by `python docs/generate.py`; "
        "a test keeps these pages in sync. `winrmlint explain WRMnnn` shows the same page in a terminal.\n\n"
        "| code | name | level | summary |\n| --- | --- | --- | --- |\n" + rows + "\n"
    )


def outcomes_markdown() -> str:
    """docs/outcomes.md: the outcome table, an index and a section per outcome."""
    index = "\n".join(
        f"| [{o.id}](#{o.id}) | {f'`{o.code}`' if o.code else '—'} | {o.dec if o.dec is not None else '—'} | "
        f"{o.step} | {', '.join(o.rules) or '—'} |"
        for o in outcomes.OUTCOMES
    )
    out = [
        "# Outcomes: WinRM errors, their causes and fixes",
        "Generated from `src/winrmlint/outcomes.py` by `python docs/generate.py`; a test keeps it in sync. "
        "Each outcome is one distinct failure a user sees, with its code, the signed decimal PowerShell "
        "prints, its published texts, the step of the client's decision procedure where it arises, the "
        "documented causes with the rules that detect each, and the fix. `winrmlint explain <code or text>` "
        "finds them; `--bundle` checks the causes on a host.",
        "| outcome | code | decimal | step | rules |\n| --- | --- | --- | --- | --- |\n" + index,
    ]
    for o in outcomes.OUTCOMES:
        facts = [f"`{o.code}` ({o.dec})" if o.code else "no code"]
        if o.name:
            facts.append(f"`{o.name}`")
        if o.modifier:
            facts.append(f"FullyQualifiedErrorId `{o.modifier},…`")
        if o.also:
            facts.append("also shown as " + ", ".join(f"`{a}`" for a in o.also))
        facts.append(f"step {o.step}")
        facts.append(f"confidence {o.confidence}")
        section = [f"## {o.id}", " · ".join(facts)]
        section += [f"> {t}" for t in o.texts]
        section.append("Causes:\n" + "\n".join(
            f"- {c.text} — " + (", ".join(f"[{r}](rules/{r}.md)" for r in c.rules) or "no rule (the attempt decides)")
            for c in o.causes
        ))
        section.append(f"Fix: {o.fix}")
        section.append(f"Reference: <{o.help_uri}>")
        out.append("\n\n".join(section))
    return "\n\n".join(out) + "\n"


def explanation_markdown(explanation: Explanation) -> str:
    """The terminal text of an explanation (Markdown; plain enough to read when piped)."""
    from winrmlint.output.escape import safe

    if explanation.rule is not None:
        page = rule_markdown(explanation.rule, docs=False)
        if explanation.rule_check is None:
            return page
        hosts = ", ".join(safe(h) for h in explanation.hosts)
        return f"{page}\n## On {hosts}\n\n{_check_markdown(explanation.rule_check, safe)}\n"
    if not explanation.found:
        return ""
    out: list[str] = []
    for m in explanation.matches:
        o = m.outcome
        out.append(f"# {o.code} — {o.id}" if o.code else f"# {o.id}")
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


def _check_json(check: CauseCheck) -> dict[str, object]:
    return {
        "state": check.state,
        "evidence": [
            {"rule": v.rule, "host": f.host, "file": f.location.uri, "line": f.location.line, "message": f.message, "fix": f.fix}
            for v in check.verdicts for f in v.holds_on
        ],
        "not_evaluated_on": sorted({h for v in check.verdicts for h in v.not_evaluated_on}),
    }


def to_json(explanation: Explanation) -> dict[str, object]:
    """The explanation for scripts."""
    if explanation.rule is not None:
        found: dict[str, object] = {"query": explanation.query, "rule": explanation.rule.code,
                                    "markdown": rule_markdown(explanation.rule)}
        if explanation.rule_check is not None:
            found.update(_check_json(explanation.rule_check), hosts=list(explanation.hosts))
        return found
    items = []
    for m in explanation.matches:
        o = m.outcome
        checks = explanation.checks.get(o.id)
        causes = []
        for n, cause in enumerate(o.causes):
            item: dict[str, object] = {"cause": cause.text, "rules": list(cause.rules)}
            if checks is not None:
                item.update(_check_json(checks[n]))
            causes.append(item)
        items.append({
            "id": o.id, "code": o.code, "dec": o.dec, "name": o.name, "fqeid": o.modifier, "step": o.step,
            "score": round(m.score, 3), "reason": m.reason, "texts": list(o.texts), "causes": causes,
            "fix": o.fix, "help_uri": o.help_uri,
        })
    return {"query": explanation.query, "outcomes": items, "hosts": list(explanation.hosts),
            "suggestions": list(explanation.suggestions)}
