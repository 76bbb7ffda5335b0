"""Fleet rules read of a host's settings only what they declare (`Rule.reads`), which is what a
host's summary keeps (summary.py): a rule reading more would judge summaries differently from
models, silently, on the settings its fixtures do not happen to hold."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from test_fleet_scale import FLEET_FIXTURES
from winrmlint import engine, summary
from winrmlint.model import catalog
from winrmlint.model.host import Host, Setting
from winrmlint.rules import RULES
from winrmlint.rules.base import Context, Rule

FLEET_RULES = [r for r in RULES if r.fleet]


class _Recording(Host):
    """A host that records the paths its settings are read at (`*`: all of them at once)."""

    read: set[str]

    @property  # type: ignore[override]
    def settings(self) -> dict[str, Setting]:
        self.read.add("*")
        return self._settings

    @settings.setter
    def settings(self, value: dict[str, Setting]) -> None:
        self._settings = value

    def get(self, path: str) -> Setting | None:
        self.read.add(path.lower())
        return self._settings.get(path.lower())

    def under(self, prefix: str):  # type: ignore[no-untyped-def]
        self.read.add(prefix.lower().rstrip("/"))
        low = prefix.lower().rstrip("/") + "/"
        return (s for _, s in sorted((k, s) for k, s in self._settings.items() if k.startswith(low)))

    def knows(self, prefix: str) -> bool:
        self.read.add(prefix.lower())
        low = prefix.lower()
        return self.covers(prefix) is not None or any(k == low or k.startswith((low + "/", low + "\\")) for k in self._settings)


def _recording(host: Host, read: set[str]) -> _Recording:
    copy = _Recording.__new__(_Recording)
    copy.read = read
    for f in fields(Host):
        setattr(copy, f.name, getattr(host, f.name))
    return copy


def _within(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p or path.startswith(p + "/") for p in prefixes)


@pytest.mark.parametrize("rule", FLEET_RULES, ids=lambda r: r.code)
def test_each_fleet_rule_reads_only_the_settings_it_declares(rule: Rule) -> None:
    declared = tuple(p.lower() for p in rule.reads)
    judged = 0
    for folder in FLEET_FIXTURES:
        golden = (folder.parent / "baseline.txt").read_text().strip() if (folder.parent / "baseline.txt").exists() else None
        run = engine.lint([str(folder)], rules=(), models=True)
        read: set[str] = set()
        hosts = [_recording(r.host, read) for r in (*run.hosts, *run.environment)]
        found = list(rule.check(None, Context(rule, hosts, golden)))  # type: ignore[arg-type]
        judged += len(found)
        assert "*" not in read, f"{rule.code} reads every setting of a host in {folder}"
        stray = sorted(p for p in read if not _within(p, declared))
        assert not stray, f"{rule.code} reads {stray} in {folder}, beyond its declared {declared}"
    assert judged, f"no fleet fixture makes {rule.code} find anything: the check above proves nothing"


def test_a_summary_keeps_what_every_fleet_rule_declares() -> None:
    for config in (False, True):
        kept = summary.reads(config)
        for rule in FLEET_RULES:
            for prefix in rule.reads:
                if prefix.lower() == catalog.ROOT.lower() and not config:
                    continue  # the whole configuration only with a golden host (WRM802)
                assert _within(prefix.lower(), kept), (rule.code, prefix, config)
    assert not _within(catalog.ROOT.lower() + "/service/auth/basic", summary.reads(False))
