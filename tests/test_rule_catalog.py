"""The catalog stays honest: codes, registration, documentation, examples, README."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import winrmlint.rules as rules_package
from conftest import ROOT
from winrmlint import engine
from winrmlint.rules import RULES, Rule
from winrmlint.rules.base import REQUIRED_SECTIONS
from winrmlint.rules.base import Rule as RuleType

FENCE = re.compile(r"```([\w-]*)\n(.*?)```", re.DOTALL)
COMMAND_FENCES = {"console", "powershell", "cmd", "shell", "bat"}


def test_registry_is_sorted_and_unique() -> None:
    codes = [r.code for r in RULES]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    assert len({r.name for r in RULES}) == len(RULES)


def test_every_rule_in_the_rule_modules_is_registered() -> None:
    defined = set()
    for module in pkgutil.iter_modules(rules_package.__path__):
        loaded = importlib.import_module(f"winrmlint.rules.{module.name}")
        defined |= {v.code for v in vars(loaded).values() if isinstance(v, RuleType)}
    assert defined == {r.code for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_metadata(rule: Rule) -> None:
    assert re.fullmatch(r"WRM\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.summary and not rule.summary.endswith(" ")
    for title in REQUIRED_SECTIONS:
        assert rule.section(title), f"{rule.code}: docstring lacks '## {title}'"
    assert rule.help_uri.startswith("https://")
    if rule.security_severity is not None:
        assert 0.1 <= rule.security_severity <= 10


def write_blocks(folder: Path, section: str, fleet: bool = False) -> int:
    """Each fence a dump of one bundle; for a fleet rule each fence a host of its own (`host0`…)."""
    blocks = [(lang, body) for lang, body in FENCE.findall(section) if lang not in COMMAND_FENCES | {"diff"}]
    folder.mkdir()
    for i, (_, body) in enumerate(blocks):
        target = folder / f"host{i}" if fleet else folder
        target.mkdir(exist_ok=True)
        (target / f"dump{i}.txt").write_text(body, encoding="utf-8")
    return len(blocks)


def apply_diff(folder: Path, diff: str) -> int:
    """Apply a unified diff (`--- dump0.txt` / `+++ dump0.txt`, hunks) to the files under `folder`;
    every context and removed line must be there, as `patch` would insist. Returns the hunks applied."""
    applied = 0
    lines = diff.splitlines()
    i, target, text = 0, None, []
    while i < len(lines):
        line = lines[i]
        if line.startswith("+++ "):
            if target is not None:
                target.write_text("\n".join(text) + "\n", encoding="utf-8")
            target = folder / line[4:].strip()
            assert target.is_file(), f"the diff names {target.name}, which the example does not have"
            text = target.read_text(encoding="utf-8").splitlines()
            i += 1
            continue
        hunk = re.match(r"@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@", line)
        if hunk and target is not None:
            at = int(hunk[1]) - 1
            old: list[str] = []
            new: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].startswith(("@@", "--- ", "+++ ")):
                body = lines[i]
                tag, rest = (body[:1], body[1:]) if body else (" ", "")
                if tag in " -":
                    old.append(rest)
                if tag in " +":
                    new.append(rest)
                i += 1
            assert text[at : at + len(old)] == old, f"the diff does not apply to {target.name} at line {at + 1}"
            text[at : at + len(old)] = new
            applied += 1
            continue
        i += 1
    if target is not None:
        target.write_text("\n".join(text) + "\n", encoding="utf-8")
    return applied


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documented_example_triggers_and_documented_fix_does_not(rule: Rule, tmp_path: Path) -> None:
    """`## Example` is a dump that triggers the rule; `## Fix` shows the change as a `diff`
    against it, which applied to the example silences the rule."""
    chosen = engine.select_rules([rule.code])
    # a fleet rule's example is a fleet: the first fence is the baseline host
    baseline = "host0" if rule.fleet else None
    example = tmp_path / "example"
    assert write_blocks(example, rule.section("Example"), rule.fleet), f"{rule.code}: no dump in '## Example'"
    run = engine.lint([str(example)], rules=chosen, baseline=baseline)
    assert any(f.code == rule.code for f in run.findings), f"{rule.code}: its own example does not trigger it"
    fix = rule.section("Fix")
    assert not [lang for lang, _ in FENCE.findall(fix) if lang not in COMMAND_FENCES | {"diff"}], (
        f"{rule.code}: '## Fix' repeats the dump; show the change as a ```diff against the example"
    )
    diffs = [body for lang, body in FENCE.findall(fix) if lang == "diff"]
    if not diffs:
        return
    fixed = tmp_path / "fixed"
    write_blocks(fixed, rule.section("Example"), rule.fleet)
    assert sum(apply_diff(fixed, d) for d in diffs), f"{rule.code}: its diff has no hunk"
    run = engine.lint([str(fixed)], rules=chosen, baseline=baseline)
    assert not any(f.code == rule.code for f in run.findings), f"{rule.code}: the fixed state still triggers it"


def test_readme_rule_table_matches_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # the level column is the catalog level, with its variants' levels marked: `error (+note)`
    rows = re.findall(r"^\| (WRM\d{3}) \| `([a-z0-9-]+)` \| ([^|]+?) \|", readme, re.MULTILINE)
    assert rows == [(r.code, r.name, r.level_shown) for r in RULES]
    assert all(shown.split()[0] == r.level.value for (_, _, shown), r in zip(rows, RULES))


CATALOG = ROOT.parent / "shared" / "rules-catalog.md"


@pytest.mark.skipif(not CATALOG.exists(), reason="the public rule catalog (../shared/rules-catalog.md) is not beside the repo")
def test_registry_is_the_public_catalog() -> None:
    """Codes, names, levels and security severities are a public contract: exactly the catalog's."""
    rows = [
        [cell.strip() for cell in line.split("|")[1:5]]
        for line in CATALOG.read_text(encoding="utf-8").splitlines()
        if re.match(r"^\| WRM\d{3} ", line)
    ]
    catalog = [(code, name, level, float(sec) if sec else None) for code, name, level, sec in rows]
    assert catalog == [(r.code, r.name, r.level.value, r.security_severity) for r in RULES]
