"""What every output format receives: the run, after level overrides, suppressions and the baseline.

The engine's RunResult is what the rules found; a Report is what the user asked to see. Formats
build each result with one function of their own (`sarif.result`, `json.finding_dict`) from an
`Item`, so that a streaming writer can reuse it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from winrmlint.baseline import Previous, state
from winrmlint.engine import HostResult, RunResult
from winrmlint.findings import Finding, Level
from winrmlint.rules.base import Rule
from winrmlint.suppressions import Suppression


def message_with_fix(finding: Finding) -> str:
    """The message and the finding's own fix: GitHub's alert view shows the message, not properties."""
    return f"{finding.message}\nFix: {finding.fix}" if finding.fix else finding.message


@dataclass(frozen=True)
class Item:
    """One finding as reported: suppressed by a suppression (shown with --include-suppressed), and
    its baselineState when a baseline was given."""

    finding: Finding
    suppression: Suppression | None = None
    state: str | None = None


@dataclass(frozen=True)
class View:
    """How the user asked to see the report: `quiet` (findings only), `statistics`, the failing level."""

    quiet: bool = False
    statistics: bool = False
    fail_on: Level = Level.WARNING


@dataclass
class Report:
    run: RunResult
    items: list[Item]
    rules: tuple[Rule, ...]
    # baseline results this run no longer has (baselineState `absent`)
    absent: list[Previous] = field(default_factory=list)
    hidden_suppressed: int = 0
    has_baseline: bool = False
    view: View = View()

    @property
    def findings(self) -> list[Finding]:
        return [i.finding for i in self.items]

    @property
    def hosts(self) -> list[HostResult]:
        return self.run.hosts

    @property
    def hosts_linted(self) -> list[HostResult]:
        return self.run.hosts_linted

    @property
    def hosts_left_out(self) -> list[HostResult]:
        return self.run.hosts_left_out

    def items_by_bundle(self) -> dict[str, list[Item]]:
        """Items per host's bundle in run order; configuration notices under "" (no bundle)."""
        grouped: dict[str, list[Item]] = {r.host.bundle: [] for r in self.run.hosts}
        for item in self.items:
            grouped.setdefault(item.finding.bundle, []).append(item)
        return grouped

    def failing(self, threshold: Level, only_new: bool) -> list[Item]:
        """The unsuppressed items at or above the level that fail the run (only new ones with a baseline)."""
        return [
            i for i in self.items
            if i.suppression is None and i.finding.level.rank >= threshold.rank
            and not (only_new and i.state not in (None, "new"))
        ]


def build(
    run: RunResult,
    *,
    levels: dict[str, str] | None = None,
    suppressions: Sequence[Suppression] = (),
    today: date | None = None,
    include_suppressed: bool = False,
    baseline: dict[str, Previous] | None = None,
    notices_wanted: bool = True,
    view: View = View(),
) -> Report:
    """Apply level overrides, suppressions (config and manifests) and the baseline to a run."""
    from winrmlint import suppressions as supp

    overrides = {code: Level(level) for code, level in (levels or {}).items()}
    findings = [replace(f, level=overrides[f.code]) if f.code in overrides else f for f in run.findings]
    every = [*suppressions, *(s for r in run.hosts for s in supp.from_manifest(r.host))]
    applied = supp.apply(findings, every, today or date.today(), {r.code for r in run.rules})
    notices = [replace(f, level=overrides[f.code]) if f.code in overrides else f for f in applied.notices]
    if not notices_wanted:
        notices = []
    items = [Item(f) for f in applied.kept + notices]
    if include_suppressed:
        items += [Item(f, suppression=s) for f, s in applied.suppressed.items()]
    absent: list[Previous] = []
    if baseline is not None:
        seen = {f.fingerprint for f in findings}
        items = [
            replace(i, state=state(baseline.get(i.finding.fingerprint), i.finding.level.value, i.finding.message,
                                   message_with_fix(i.finding)))
            for i in items
        ]
        absent = [p for fp, p in sorted(baseline.items()) if fp not in seen]
    items.sort(key=lambda i: i.finding.sort_key())
    used = {i.finding.code for i in items}
    rules = run.rules + tuple(r for r in supp.RULES if r.code in used and r not in run.rules)
    return Report(
        run=run,
        items=items,
        rules=rules,
        absent=absent,
        hidden_suppressed=0 if include_suppressed else len(applied.suppressed),
        has_baseline=baseline is not None,
        view=view,
    )


def of(given: Report | RunResult) -> Report:
    """A Report as is; an engine RunResult as the report of a plain run (what library callers pass)."""
    return given if isinstance(given, Report) else build(given)
