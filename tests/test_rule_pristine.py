"""Pristine hosts of every Windows version (fixtures/pristine/, written from winrm-reference.md §1):
silent in the default profile, the benchmark's findings with its IDs under --profile stig, cis and
cis-l2."""

from __future__ import annotations

from pathlib import Path

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
# CIS level 2 adds "Allow Remote Shell Access" (WRM508, decided by `winrm get`'s Winrs value) and, on
# Windows 10/11, the WinRM service Disabled (WRM507, decided by `sc qc`). "Allow remote server
# management through WinRM" (WRM506) is not: `winrm get` without policy marks does not tell a
# Disabled policy from a missing one, and the pristine hosts carry no export of the policy key.
CIS_L2_RULES = {"WRM508"}
# hosts whose bundle also holds `reg query` of the (absent) WinRM policy keys: the items `winrm get`
# cannot show are decided there, "If the following registry value does not exist … this is a finding"
POLICY_QUERIED = {"server-2022", "client-windows11"}


def registry_only(name: str, profile: str) -> set[str]:
    """The benchmark items only a policy-key query decides: DisableRunAs (STIG, CIS L1) and
    AllowAutoConfig (CIS L2)."""
    if name not in POLICY_QUERIED:
        return set()
    return {"WRM208", "WRM506"} if profile == "cis-l2" else {"WRM208"}


def missing(message: str) -> bool:
    return "the policy is not set" in message or "` is missing;" in message
CLIENTS = {"client-windows10", "client-windows11"}
# the ID of "Allow Remote Shell Access" each host's message starts with (reference §3)
REMOTE_SHELL_IDS = {"server-2012r2-winrm3": "CIS 18.10.90.1 (L2)", "server-2008r2-winrm2": "CIS (no ID",
                    "server-2025": "CIS (no ID"}


def lint(name: str, profile: str = "default") -> engine.RunResult:
    return lint_folder(PRISTINE / name, profile)


def lint_folder(folder: Path, profile: str = "default") -> engine.RunResult:
    return engine.lint([str(folder)], rules=engine.select_rules(profile=profile), profile=profile)


def server_2022_with(folder: Path, old: str, new: str) -> Path:
    """`folder` holding the pristine Server 2022 `winrm get` with its first `old` made `new`."""
    text = (PRISTINE / "server-2022" / "winrm-config.txt").read_text(encoding="utf-8")
    edited = text.replace(old, new, 1)
    assert edited != text
    (folder / "winrm-config.txt").write_text(edited, encoding="utf-8")
    return folder


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
    assert {f.code for f in run.findings} == BENCHMARK_RULES | registry_only(name, "stig")
    assert all(f.key == "baseline" and missing(f.message) for f in run.findings)
    basic = next(f for f in run.findings if f.code == "WRM201")
    stig_id = EXPECTED[name][2]
    if stig_id:
        assert basic.message.startswith(f"STIG {stig_id} (")
    else:
        assert basic.message.startswith("STIG (no ID for ")


@pytest.mark.parametrize("name", HOSTS)
def test_cis_cites_its_numbering(name: str) -> None:
    run = lint(name, "cis")
    assert {f.code for f in run.findings} == BENCHMARK_RULES | registry_only(name, "cis")
    basic = next(f for f in run.findings if f.code == "WRM201")
    expected = {"server-2012r2-winrm3": "CIS 18.10.89.1.1 (L1)", "server-2008r2-winrm2": "CIS (no ID",
                "server-2025": "CIS (no ID"}.get(name, "CIS 18.10.88.1.1 (L1)")
    assert basic.message.startswith(expected)


def test_a_policy_pushed_secure_value_satisfies_the_benchmark(tmp_path) -> None:
    host = server_2022_with(tmp_path, "            Basic = true\n", '            Basic = false [Source="GPO"]\n')
    run = lint_folder(host, "stig")
    assert "WRM201" not in {f.code for f in run.findings}
    assert "WRM202" in {f.code for f in run.findings}


@pytest.mark.parametrize("name", HOSTS)
def test_cis_level_2_adds_its_items_with_their_ids(name: str) -> None:
    run = lint(name, "cis-l2")
    expected = BENCHMARK_RULES | CIS_L2_RULES | ({"WRM507"} if name in CLIENTS else set())
    assert {f.code for f in run.findings} == expected | registry_only(name, "cis-l2")
    assert all(f.key == "baseline" for f in run.findings)
    if name in POLICY_QUERIED:
        auto = next(f for f in run.findings if f.code == "WRM506")
        assert auto.message.startswith("CIS 18.10.88.2.2 (L2)") and "`AllowAutoConfig` is missing" in auto.message
    shell = next(f for f in run.findings if f.code == "WRM508")
    assert shell.message.startswith(REMOTE_SHELL_IDS.get(name, "CIS 18.10.89.1 (L2)"))
    assert "the policy is not set" in shell.message and "AllowRemoteShellAccess" in shell.message
    # the level 1 items keep their level-1 IDs under cis-l2
    basic = next(f for f in run.findings if f.code == "WRM201")
    assert "(L1)" in basic.message.split(":", 1)[0]
    if name in CLIENTS:
        service = next(f for f in run.findings if f.code == "WRM507")
        assert service.message.startswith("CIS 5.39 (L2)") and "`StartType` is `Manual`" in service.message


def test_level_2_items_stay_out_of_cis_level_1() -> None:
    for name in HOSTS:
        assert not {"WRM506", "WRM507", "WRM508"} & {f.code for f in lint(name, "cis").findings}


def test_a_policy_disabled_remote_shell_satisfies_cis_level_2(tmp_path) -> None:
    host = server_2022_with(tmp_path, "AllowRemoteShellAccess = true", 'AllowRemoteShellAccess = false [Source="GPO"]')
    assert "WRM508" not in {f.code for f in lint_folder(host, "cis-l2").findings}
    # the same dump in the default profile: the refused shell is what WRM508 reports there
    assert "WRM508" in {f.code for f in lint_folder(host).findings}
