"""The configuration file as a user writes it: discovery, precedence, validation, rule options."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, LOWERED, ROOT, invoke
from winrmlint.rules import quotas

CONFIGS = FIXTURES / "config"


def codes(stdout: str) -> list[str]:
    doc = json.loads(stdout)
    return sorted({f["code"] for h in doc["hosts"] for f in h["findings"]})


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository of dumps: repo/hosts/web01 (the legacy bundle), run from a folder outside it."""
    shutil.copytree(LOWERED, tmp_path / "repo" / "hosts" / "web01")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return tmp_path / "repo"


def test_winrmlint_toml_is_found_upward_from_the_linted_path(repo: Path) -> None:
    shutil.copy(CONFIGS / "site.winrmlint.toml", repo / ".winrmlint.toml")
    found = codes(invoke("lint", "--format", "json", str(repo / "hosts" / "web01")).stdout)
    assert found and all(c[:4] in ("WRM1", "WRM2", "WRM3", "WRM7") or c in ("WRM002", "WRM003") for c in found)
    assert "WRM304" not in found and "WRM510" not in found


def test_pyproject_table_is_read_and_one_without_it_is_skipped(repo: Path) -> None:
    shutil.copy(CONFIGS / "project" / "pyproject.toml", repo / "pyproject.toml")
    # a nearer pyproject.toml of another tool only: not ours, the search goes on upward
    (repo / "hosts" / "pyproject.toml").write_text('[tool.black]\nline-length = 88\n', encoding="utf-8")
    result = invoke("lint", "--format", "json", str(repo / "hosts" / "web01"))
    assert codes(result.stdout) == ["WRM702", "WRM703"]
    # fail-on = "error" from the file: warnings only, so the run passes
    assert result.exit_code == 0


def test_working_folder_is_searched_when_the_linted_path_has_none(repo: Path, tmp_path: Path) -> None:
    shutil.copy(CONFIGS / "project" / "pyproject.toml", tmp_path / "elsewhere" / "pyproject.toml")
    assert codes(invoke("lint", "--format", "json", str(repo / "hosts" / "web01")).stdout) == ["WRM702", "WRM703"]


def test_config_flag_overrides_and_isolated_ignores(repo: Path) -> None:
    shutil.copy(CONFIGS / "project" / "pyproject.toml", repo / "pyproject.toml")
    target = str(repo / "hosts" / "web01")
    chosen = codes(invoke("lint", "--format", "json", "--config", str(CONFIGS / "site.winrmlint.toml"), target).stdout)
    assert "WRM101" in chosen and "WRM510" not in chosen
    everything = codes(invoke("lint", "--format", "json", "--isolated", target).stdout)
    assert {"WRM101", "WRM510", "WRM702"} <= set(everything)


def test_a_flag_replaces_the_files_value(repo: Path) -> None:
    shutil.copy(CONFIGS / "project" / "pyproject.toml", repo / "pyproject.toml")
    target = str(repo / "hosts" / "web01")
    assert codes(invoke("lint", "--format", "json", "--select", "WRM102", target).stdout) == ["WRM102"]
    # the file says fail-on = "error"; the flag says warning
    assert invoke("lint", "--fail-on", "warning", target).exit_code == 1


def test_every_schema_error_names_file_line_key_and_what_is_allowed() -> None:
    result = invoke("lint", "--config", str(CONFIGS / "bad-keys.toml"), str(LOWERED))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    bad = str(CONFIGS / "bad-keys.toml")
    assert f"winrmlint: {bad}:3: unknown key `colour`; allowed: fail-on, fail-on-new, golden, ignore, levels, limits, options, profile, select, suppressions" in lines
    assert f'winrmlint: {bad}:2: key `fail-on` is "fatal"; allowed: one of error, warning, note' in lines
    assert any(l.startswith(f"winrmlint: {bad}:6: key `options.quota-floors.MaxShells` is not allowed; allowed: one of MaxEnvelopeSizekb,") for l in lines)
    assert f"winrmlint: {bad}:8: `suppressions[1]` lacks `justification`, which is required" in lines
    assert len(lines) == 4


def test_an_unknown_rule_code_in_the_file_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / ".winrmlint.toml"
    shutil.copy(CONFIGS / "site.winrmlint.toml", config)
    text = config.read_text(encoding="utf-8").replace('ignore = ["WRM304"]', 'ignore = ["WRM999"]')
    config.write_text(text.replace('rule = "WRM101"', 'rule = "no-such-rule"'), encoding="utf-8")
    result = invoke("lint", "--config", str(config), str(LOWERED))
    assert result.exit_code == 2
    assert f"{config}:3: key `ignore`: 'WRM999' is no rule code, prefix or name" in result.stderr
    assert f"{config}:26: key `suppressions[3].rule`: 'no-such-rule' is no rule code or name" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'select = ["WRM1"\n', "is not valid TOML"),
        (b"\xff\xfeselect", "is not UTF-8 text"),
    ],
)
def test_unreadable_config_is_a_usage_error(tmp_path: Path, content: bytes, message: str) -> None:
    config = tmp_path / ".winrmlint.toml"
    config.write_bytes(content)
    result = invoke("lint", "--config", str(config), str(LOWERED))
    assert result.exit_code == 2
    assert f"{config}: {message}" in result.stderr


def test_config_flag_naming_a_pyproject_without_the_table(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[project]\nname = "x"\n', encoding="utf-8")
    result = invoke("lint", "--config", str(config), str(LOWERED))
    assert result.exit_code == 2 and "has no [tool.winrmlint] table" in result.stderr
    assert invoke("lint", "--config", str(tmp_path / "missing.toml"), str(LOWERED)).exit_code == 2


def test_config_command_shows_each_value_and_its_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CONFIGS / "project")
    result = invoke("config", "--config", "pyproject.toml", "--isolated")
    assert result.exit_code == 0
    assert "# configuration file: none" in result.stdout  # --isolated wins
    result = invoke("config", "--config", "pyproject.toml")
    lines = result.stdout.splitlines()
    assert 'select = ["WRM7"]  # pyproject.toml:9' in lines
    assert 'fail-on = "error"  # pyproject.toml:10' in lines
    assert 'profile = "default"  # default' in lines
    assert "max-lines = 250000  # default" in lines
    assert "quota-floors = { MaxEnvelopeSizekb = 150, MaxShellsPerUser = 5 }" in lines


def test_level_override_changes_the_findings_level() -> None:
    result = invoke("lint", "--format", "json", "--config", str(CONFIGS / "site.winrmlint.toml"), str(LOWERED))
    found = {f["code"]: f["level"] for h in json.loads(result.stdout)["hosts"] for f in h["findings"]}
    assert found["WRM207"] == "note"  # a warning by default
    assert found["WRM201"] == "warning"


def test_quota_and_timeout_floors_replace_the_windows_defaults() -> None:
    defaults = invoke("lint", "--format", "json", "--isolated", "--select", "WRM7", str(LOWERED))
    before = {(f["code"], f["path"].rsplit("/", 1)[1]) for h in json.loads(defaults.stdout)["hosts"] for f in h["findings"]}
    assert {("WRM701", "MaxEnvelopeSizekb"), ("WRM702", "MaxShellsPerUser"), ("WRM703", "IdleTimeout")} <= before
    floors = invoke("lint", "--format", "json", "--config", str(CONFIGS / "project" / "pyproject.toml"), str(LOWERED))
    after = {(f["code"], f["path"].rsplit("/", 1)[1]) for h in json.loads(floors.stdout)["hosts"] for f in h["findings"]}
    # at or above the site's floor: not reported; the quotas without a floor still are
    assert after == before - {("WRM701", "MaxEnvelopeSizekb"), ("WRM702", "MaxShellsPerUser"), ("WRM703", "IdleTimeout")}
    assert ("WRM702", "MaxMemoryPerShellMB") in after


def test_a_floor_above_the_default_reports_values_below_it(tmp_path: Path) -> None:
    config = tmp_path / ".winrmlint.toml"
    config.write_text('[options.quota-floors]\nMaxEnvelopeSizekb = 8192\n', encoding="utf-8")
    clean = FIXTURES / "bundles" / "srv-clean-2022"
    result = invoke("lint", "--format", "json", "--config", str(config), "--select", "WRM701", str(clean))
    found = [f for h in json.loads(result.stdout)["hosts"] for f in h["findings"]]
    assert [f["code"] for f in found] == ["WRM701"]
    assert "expected at least `8192`" in found[0]["message"]
    assert found[0]["fix"].startswith('cmd: `winrm set winrm/config @{MaxEnvelopeSizekb="8192"}`')


def test_accepted_trusted_hosts_patterns(tmp_path: Path) -> None:
    ips = FIXTURES / "rules" / "WRM304" / "fail" / "ipv4-entries"
    star = FIXTURES / "rules" / "WRM301" / "fail" / "star-among-names"
    assert codes(invoke("lint", "--format", "json", "--isolated", "-s", "WRM301", "-s", "WRM304", str(ips), str(star)).stdout) == ["WRM301", "WRM304"]
    config = tmp_path / ".winrmlint.toml"
    config.write_text('[options]\ntrusted-hosts-accepted = ["10.20.30.*", "*"]\n', encoding="utf-8")
    result = invoke("lint", "--format", "json", "--config", str(config), "-s", "WRM301", "-s", "WRM304", str(ips), str(star))
    assert codes(result.stdout) == []
    config.write_text('[options]\ntrusted-hosts-accepted = ["10.20.30.41"]\n', encoding="utf-8")
    result = invoke("lint", "--format", "json", "--config", str(config), "-s", "WRM304", str(ips))
    messages = [f["message"] for h in json.loads(result.stdout)["hosts"] for f in h["findings"]]
    assert len(messages) == 1 and "`10.20.30.42`" in messages[0] and "10.20.30.41" not in messages[0]


def test_limits_from_the_file(tmp_path: Path) -> None:
    config = tmp_path / ".winrmlint.toml"
    config.write_text("[limits]\nmax-file-size = 64\n", encoding="utf-8")
    result = invoke("lint", "--format", "json", "--config", str(config), str(LOWERED))
    # every file of the bundle is larger than 64 bytes: nothing readable is a usage error
    assert result.exit_code == 2
    assert all("not read" in f["error"] for f in json.loads(result.stdout)["hosts"][0]["files"])


def test_schema_names_exactly_the_quotas_and_timeouts_the_rules_check() -> None:
    schema = json.loads((ROOT / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    options = schema["properties"]["options"]["properties"]
    quota_names = options["quota-floors"]["propertyNames"]["enum"]
    timeout_names = options["timeout-floors"]["propertyNames"]["enum"]
    assert quota_names == [quotas.ENVELOPE.rsplit("/", 1)[1], *(p.rsplit("/", 1)[1] for p in quotas.QUOTAS)]
    assert timeout_names == [p.rsplit("/", 1)[1] for p in quotas.TIMEOUTS]


def test_profile_from_the_file_and_a_profile_that_does_not_exist(tmp_path: Path) -> None:
    config = tmp_path / ".winrmlint.toml"
    config.write_text('profile = "stig"\nselect = ["WRM203"]\n', encoding="utf-8")
    # the client's Digest left at the Windows default is a finding only against the STIG
    assert codes(invoke("lint", "--format", "json", "--isolated", "-s", "WRM203", str(LOWERED)).stdout) == []
    assert codes(invoke("lint", "--format", "json", "--config", str(config), str(LOWERED)).stdout) == ["WRM203"]
    assert codes(invoke("lint", "--format", "json", "--config", str(config), "--profile", "default", str(LOWERED)).stdout) == []
    config.write_text('profile = "strict"\n', encoding="utf-8")
    result = invoke("lint", "--config", str(config), str(LOWERED))
    assert result.exit_code == 2
    assert f'{config}:1: key `profile` is "strict"; allowed: one of default, stig, cis, cis-l2' in result.stderr
