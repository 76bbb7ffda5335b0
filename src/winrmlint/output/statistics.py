"""Counts of a report: findings per rule and level, failing hosts, hosts given / linted / left out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from winrmlint.findings import Level
from winrmlint.output.report import Report


@dataclass(frozen=True)
class Statistics:
    by_rule: tuple[tuple[str, str, str, int], ...]  # (code, name, level, count), most first
    failing_hosts: tuple[str, ...]  # hosts with an error or warning
    hosts_given: int
    hosts_linted: int
    hosts_left_out: int
    left_out: tuple[str, ...]

    @classmethod
    def of(cls, report: Report, threshold: Level = Level.WARNING) -> Statistics:
        """`threshold`: the level at which a host fails (the run's --fail-on)."""
        names = {r.code: r.name for r in report.rules}
        counts = Counter((i.finding.code, i.finding.level.value) for i in report.items if i.suppression is None)
        by_rule = tuple(
            sorted(((code, names.get(code, ""), level, n) for (code, level), n in counts.items()),
                   key=lambda row: (-Level(row[2]).rank, -row[3], row[0]))
        )
        failing = sorted({
            i.finding.host for i in report.items
            if i.suppression is None and i.finding.bundle and i.finding.level.rank >= threshold.rank
        }, key=str.lower)
        left_out = report.hosts_left_out
        return cls(
            by_rule=by_rule,
            failing_hosts=tuple(failing),
            hosts_given=len(report.hosts),
            hosts_linted=len(report.hosts_linted),
            hosts_left_out=len(left_out),
            left_out=tuple(r.host.bundle for r in left_out),
        )

    def by_rule_dict(self) -> list[dict[str, object]]:
        return [{"code": c, "name": n, "level": lv, "count": k} for c, n, lv, k in self.by_rule]

    def lines(self) -> list[str]:
        """The table `--statistics` prints, then the hosts (names escaped for a terminal)."""
        from winrmlint.output.escape import safe

        out = [f"{n:>5}  {lv:<7}  {code}  {name}" for code, name, lv, n in self.by_rule]
        out.append(
            f"hosts: {self.hosts_given} given, {self.hosts_linted} linted, {self.hosts_left_out} left out"
            + (f" ({', '.join(safe(b) for b in self.left_out)})" if self.left_out else "")
        )
        if self.failing_hosts:
            out.append(f"failing hosts ({len(self.failing_hosts)}): {', '.join(safe(h) for h in self.failing_hosts)}")
        return out
