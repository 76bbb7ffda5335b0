"""Suppressions that expire: accepted findings, scoped to hosts, settings or files, each justified.

A suppression is applied after the run. One that has expired stops suppressing and is reported
(WRM002); one that matched no finding is reported too (WRM003), so that accepted risks are
reviewed and stale entries do not pile up. Both point at the suppression's own line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase

from winrmlint.findings import Finding
from winrmlint.model.host import Host
from winrmlint.rules import BY_CODE, BY_NAME
from winrmlint.rules.base import Context, Doc, rule
from winrmlint.source import Location

# `manifest.parse` keeps each entry of a host's winrmlint.json `suppressions` as a JSON text here
MANIFEST_PREFIX = "manifest/suppressions"
CONFIG_DOC = Doc("winrmlint configuration: suppressions", "https://github.com/winrmlint/winrmlint#suppressions")


@dataclass(frozen=True)
class Suppression:
    """One accepted finding pattern: a rule (by code), a scope, a justification, maybe an expiry."""

    code: str
    justification: str
    origin: Location
    hosts: str = "*"
    path: str | None = None
    file: str | None = None
    expires: date | None = None
    # a host's manifest suppresses on that host's bundle only, and its notices are that host's
    bundle: str | None = None
    owner: str | None = None

    def expired(self, today: date) -> bool:
        return self.expires is not None and self.expires < today

    def matches(self, finding: Finding) -> bool:
        if finding.code != self.code:
            return False
        if self.bundle is not None and finding.bundle != self.bundle:
            return False
        if not fnmatchcase(finding.host.lower(), self.hosts.lower()):
            return False
        if self.path is not None and not fnmatchcase(finding.path.lower(), self.path.lower()):
            return False
        return self.file is None or fnmatchcase(finding.location.uri.replace("\\", "/"), self.file)

    @property
    def scope(self) -> str:
        parts = [f"host `{self.owner}`" if self.owner else f"hosts `{self.hosts}`"]
        if self.path:
            parts.append(f"path `{self.path}`")
        if self.file:
            parts.append(f"file `{self.file}`")
        return ", ".join(parts)


def rule_code(text: str) -> str | None:
    """A rule's code from its code or name, as a suppression names it."""
    found = BY_CODE.get(text.upper()) or BY_NAME.get(text.lower())
    return found.code if found else None


def from_table(table: dict, origin: Location, bundle: str | None = None, owner: str | None = None) -> Suppression:
    """A suppression from a validated table (config file or manifest); `rule` must be known."""
    code = rule_code(table["rule"])
    assert code is not None, "validated by the caller"
    expires = table.get("expires")
    return Suppression(
        code=code,
        justification=table["justification"].strip(),
        origin=origin,
        hosts=table.get("hosts", "*"),
        path=table.get("path"),
        file=table.get("file"),
        expires=date.fromisoformat(expires) if expires else None,
        bundle=bundle,
        owner=owner,
    )


def from_manifest(host: Host) -> list[Suppression]:
    """The suppressions a host's winrmlint.json states: they apply to that host only."""
    found = []
    for setting in host.under(MANIFEST_PREFIX):
        table = json.loads(str(setting.value))
        if rule_code(table["rule"]) is None:
            continue  # reported by the manifest reader as an unknown rule
        found.append(from_table(table, setting.location, bundle=host.bundle, owner=host.name))
    return found


@rule(code="WRM002", name="suppression-expired", level="warning", kind="input", needs=(), docs=(CONFIG_DOC,))
def suppression_expired(host: Host, ctx: Context) -> Iterator[Finding]:
    """A suppression has passed its expiry date: it no longer suppresses anything.

    ## What it finds
    An entry of `suppressions` (in the configuration file or a host's `winrmlint.json`) whose
    `expires` date has passed. The findings it used to hide are reported again.

    ## Why it matters
    An expiry date is when an accepted risk was due for review. Past it, the finding is open
    again, and the stale entry says who accepted it and why.

    ## Example
    ```toml
    [[tool.winrmlint.suppressions]]
    rule = "WRM301"
    hosts = "lab-*"
    justification = "lab clients, isolated network (CHG-1234)"
    expires = 2020-01-31
    ```

    ## Fix
    Fix the findings, or review the acceptance and set a new `expires` date.
    """
    return iter(())


@rule(code="WRM003", name="suppression-unused", level="warning", kind="input", needs=(), docs=(CONFIG_DOC,))
def suppression_unused(host: Host, ctx: Context) -> Iterator[Finding]:
    """A suppression matched no finding of the run.

    ## What it finds
    An entry of `suppressions` (in the configuration file or a host's `winrmlint.json`) that
    suppressed nothing: the finding was fixed, or its scope (hosts, path, file) is mistyped.

    ## Why it matters
    A stale suppression hides the next finding that happens to match it, without anyone having
    accepted that one; a mistyped scope hides nothing while the team believes it does.

    ## Example
    ```toml
    [[tool.winrmlint.suppressions]]
    rule = "trustedhosts-wildcard"
    hosts = "no-such-host"
    justification = "accepted by security review (SEC-42)"
    ```

    ## Fix
    Remove the entry, or correct its `hosts`, `path` or `file` glob.
    """
    return iter(())


# Not host rules: the suppression layer reports them, and SARIF lists them with the run's rules
RULES = (suppression_expired, suppression_unused)


@dataclass
class Applied:
    """The run's findings after suppressions: kept, suppressed (with the suppression), reported."""

    kept: list[Finding]
    suppressed: dict[Finding, Suppression] = field(default_factory=dict)
    notices: list[Finding] = field(default_factory=list)


def apply(findings: Iterable[Finding], suppressions: Sequence[Suppression], today: date, selected: set[str]) -> Applied:
    """Suppress what active suppressions match; report expired and unused ones.

    A suppression of a rule that did not run (not selected) is not called unused: it had no
    chance to match. `selected` holds the codes of the rules that ran.
    """
    active = [s for s in suppressions if not s.expired(today)]
    used: set[Suppression] = set()
    applied = Applied(kept=[])
    for finding in findings:
        match = next((s for s in active if s.matches(finding)), None)
        if match is None:
            applied.kept.append(finding)
        else:
            applied.suppressed[finding] = match
            used.add(match)
    for s in suppressions:
        if s.expired(today):
            applied.notices.append(_notice(
                suppression_expired, s,
                f"Suppression of {s.code} ({s.scope}) expired on `{s.expires}` and no longer suppresses; "
                f"it said: {s.justification}",
                "Fix the findings it covered, or review the acceptance and set a new `expires` date",
            ))
        elif s not in used and s.code in selected:
            applied.notices.append(_notice(
                suppression_unused, s,
                f"Suppression of {s.code} ({s.scope}) matched no finding; expected a finding it accepts",
                "Remove the suppression, or correct its `hosts`, `path` or `file` glob",
            ))
    return applied


def _notice(notice_rule, s: Suppression, message: str, fix: str) -> Finding:
    return Finding(
        code=notice_rule.code,
        level=notice_rule.level,
        message=message,
        host=s.owner or "(configuration)",
        path=f"suppressions/{s.origin.line}",
        location=s.origin,
        fix=fix,
        key=f"{s.code}|{s.scope}",
        bundle=s.bundle or "",
    )
