"""Pristine hosts of every Windows version (fixtures/pristine/, written from winrm-reference.md §1):
silent in the default profile, the benchmark's findings with its IDs under --profile stig and cis."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from winrmlint import engine

PRISTINE = FIXTURES / "pristine"
HOSTS = sorted(p.name for p in PRISTINE.iterdir() if p.is_dir())
# what the dumps of each pristine host must be recognised as: (stack, edition, STIG ID of client Basic)
EXPECTED = {
    "server-2008r2-winrm2": ("2.0", "2008r2", None),
    "server-2012r2-winrm3": ("3.0", "2012r2", None),
    "server-2016": ("modern", "2016", "WN16-CC-000500"),
    "server-2019": ("modern", "2019", "WN19-CC-000470"),
    "server-2022": ("modern", "2022", "WN22-CC-000470"),
    "server-2025": ("modern", "2025", None),
    "client-windows10": ("modern", "win10", "WN10-CC-000330"),
    "client-windows11": ("modern", "win11", "WN11-CC-000330"),
}
# the policies `winrm get` shows (the benchmarks' WinRM items with a winrm/config value)
BENCHMARK_RULES = {"WRM101", "WRM102", "WRM201", "WRM202", "WRM203"}


def lint(name: str, profile: str = "default") -> engine.RunResult:
    return engine.lint([str(PRISTINE / name)], rules=engine.select_rules(profile=profile), profile=profile)


def test_every_version_has_a_pristine_host() -> None:
    assert HOSTS == sorted(EXPECTED)


@pytest.mark.parametrize("name", HOSTS)
def test_a_pristine_host_is_silent_in_the_default_profile(name: str) -> None:
    run = lint(name)
    assert [f.code for f in run.findings] == []
    platform = run.hosts[0].host.platform
    stack, edition, _ = EXPECTED[name]
    assert platform.stack.value == stack and [os.value for os in platform.editions] == [edition]


@pytest.mark.parametrize("name", HOSTS)
def test_stig_reports_each_missing_policy_with_its_id(name: str) -> None:
    run = lint(name, "stig")
    assert {f.code for f in run.findings} == BENCHMARK_RULES
    assert all(f.key == "baseline" and "the policy is not set" in f.message for f in run.findings)
    basic = next(f for f in run.findings if f.code == "WRM201")
    stig_id = EXPECTED[name][2]
    if stig_id:
        assert basic.message.startswith(f"STIG {stig_id} (")
    else:
        assert basic.message.startswith("STIG (no ID for ")


@pytest.mark.parametrize("name", HOSTS)
def test_cis_cites_its_numbering(name: str) -> None:
    run = lint(name, "cis")
    assert {f.code for f in run.findings} == BENCHMARK_RULES
    basic = next(f for f in run.findings if f.code == "WRM201")
    expected = {"server-2012r2-winrm3": "CIS 18.10.89.1.1 (L1)", "server-2008r2-winrm2": "CIS (no ID",
                "server-2025": "CIS (no ID"}.get(name, "CIS 18.10.88.1.1 (L1)")
    assert basic.message.startswith(expected)


def test_a_policy_pushed_secure_value_satisfies_the_benchmark(tmp_path) -> None:
    text = (PRISTINE / "server-2022" / "winrm-config.txt").read_text(encoding="utf-8")
    text = text.replace("            Basic = true\n", '            Basic = false [Source="GPO"]\n', 1)
    assert "[Source=" in text
    (tmp_path / "winrm-config.txt").write_text(text, encoding="utf-8")
    run = engine.lint([str(tmp_path)], rules=engine.select_rules(profile="stig"), profile="stig")
    assert "WRM201" not in {f.code for f in run.findings}
    assert "WRM202" in {f.code for f in run.findings}
