"""Every level a rule reports is its catalog level or a declared variant (Rule.variants), and the
variants are shown wherever the level is: `winrmlint rules`, `explain`, the rule docs and SARIF.

The public catalog (../shared/rules-catalog.md) gives each rule one level. Where a rule reports a
weaker case of its cause (WRM401's conditional note, WRM503 with one filter empty, WRM602's widened
RootSDDL) or sees its cause another way (WRM512 from the host's own 0x80338012), the rule says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from winrmlint import engine, explain
from winrmlint.cli import app
from winrmlint.findings import Level
from winrmlint.output import sarif
from winrmlint.rules import BY_CODE, RULES
from winrmlint.rules.base import Context, Rule

PROFILES = ("default", "stig", "cis-l2")
# each rule's fixture cases, the scenarios, the shipped bundles and hosts, the pristine hosts and
# the published dumps: every place a finding is pinned
TARGETS = sorted(
    [p for p in (FIXTURES / "rules").glob("WRM*/*") if p.is_dir()]
    + [p for d in ("scenarios", "bundles", "hosts", "pristine") for p in (FIXTURES / d).iterdir() if p.is_dir()]
    + sorted(p for p in (FIXTURES / "published").iterdir() if p.suffix in (".txt", ".reg"))
)
# the rules whose variants report below their catalog level, and what each one's finding says
BELOW = {"WRM401": Level.NOTE, "WRM503": Level.NOTE, "WRM602": Level.NOTE}


def emitted(target: Path, profile: str) -> set[tuple[str, Level]]:
    result = engine.lint([str(target)], rules=engine.select_rules(profile=profile), profile=profile)
    return {(f.code, f.level) for f in result.findings}


@pytest.mark.parametrize("profile", PROFILES)
def test_every_emitted_level_is_the_catalog_level_or_a_declared_variant(profile: str) -> None:
    seen: dict[str, set[Level]] = {}
    for target in TARGETS:
        for code, level in emitted(target, profile):
            seen.setdefault(code, set()).add(level)
    stray = {code: levels - set(BY_CODE[code].levels) for code, levels in seen.items() if code in BY_CODE}
    assert {code: levels for code, levels in stray.items() if levels} == {}
    # the corpus reaches every declared variant below its rule's level: a variant nothing shows is
    # either dead or untested
    if profile == "default":
        for code, level in BELOW.items():
            assert level in seen.get(code, set()), f"{code}: no fixture reports its {level.value} variant"


def test_a_level_not_declared_is_refused_where_findings_are_made() -> None:
    rule = BY_CODE["WRM102"]  # no variants
    host = engine.lint([str(FIXTURES / "published" / "10-service-after-set-pywinrm-zh.txt")]).hosts[0].host
    setting = host.get("winrm/config/service/AllowUnencrypted")
    assert setting is not None
    ctx = Context(rule)
    assert ctx.finding(host, setting, "m").level is Level.ERROR
    with pytest.raises(ValueError, match="neither its level nor a declared variant"):
        ctx.finding(host, setting, "m", level=Level.NOTE)


def test_the_rules_with_variants_are_the_ones_the_catalog_does_not_describe() -> None:
    assert {r.code for r in RULES if r.variants} == {"WRM401", "WRM503", "WRM512", "WRM602"}
    for code, level in BELOW.items():
        assert BY_CODE[code].levels == (BY_CODE[code].level, level)
    # WRM512's variant is a second way to see its cause, at its own level
    assert [v.level for v in BY_CODE["WRM512"].variants] == [Level.ERROR]


@pytest.mark.parametrize("rule", [r for r in RULES if r.variants], ids=lambda r: r.code)
def test_variants_are_shown_in_rules_explain_docs_and_sarif(rule: Rule) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["rules"]).output
    line = next(line for line in listed.splitlines() if line.startswith(rule.code))
    assert rule.level_shown in line and "(+" in rule.level_shown
    table = runner.invoke(app, ["rules", "--format", "markdown"]).output
    assert f"| {rule.level_shown} |" in table
    page = explain.rule_markdown(rule)
    shown = runner.invoke(app, ["explain", rule.code]).output
    doc = (FIXTURES.parent / "docs" / "rules" / f"{rule.code}.md").read_text(encoding="utf-8")
    descriptor = sarif.reporting_descriptor(rule)
    assert descriptor.properties["variants"] == [{"level": v.level.value, "when": v.when} for v in rule.variants]
    for variant in rule.variants:
        assert f"**{variant.level.value}** {variant.when}" in page
        assert variant.when.split("`")[0].strip() in " ".join(shown.split())
        assert f"**{variant.level.value}** {variant.when}" in doc
        assert variant.when in descriptor.help.markdown


def test_rules_without_variants_show_their_level_alone() -> None:
    for rule in RULES:
        if not rule.variants:
            assert rule.level_shown == rule.level.value
            assert "variants" not in sarif.reporting_descriptor(rule).properties
