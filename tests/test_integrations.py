"""The pre-commit hook and the GitHub Action, read as pre-commit and GitHub read them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, assert_valid_sarif

LEGACY = FIXTURES / "bundles" / "web01-legacy"
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def step(step_id_or_name: str) -> dict:
    return next(s for s in ACTION["runs"]["steps"] if step_id_or_name in (s.get("id"), s.get("name")))


def test_pre_commit_hook_lints_the_repository_as_one_run() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["winrmlint"]
    hook = hooks[0]
    assert hook["pass_filenames"] is False
    assert hook["entry"] == "winrmlint lint" and hook["language"] == "python"


def test_action_is_composite_and_installs_from_its_own_checkout() -> None:
    assert ACTION["runs"]["using"] == "composite"
    install = step("Install winrmlint from this action's checkout")
    assert '"$GITHUB_ACTION_PATH"' in install["run"]
    assert step("Upload SARIF")["uses"].startswith("github/codeql-action/upload-sarif@")
    # inputs reach scripts through env only: `${{ … }}` spliced into a script is an injection
    for s in ACTION["runs"]["steps"]:
        assert "${{" not in s.get("run", ""), s.get("name")


def run_step(name: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    script = step(name)["run"]
    return subprocess.run(["bash", "-e", "-c", script], env={**os.environ, **env}, cwd=cwd, text=True,
                          capture_output=True, timeout=120)


def action_checkout(tmp_path: Path, **inputs: str) -> tuple[Path, Path, dict[str, str]]:
    """A repository holding web01's bundle, winrmlint where the install step puts it, and the
    lint step's environment with `inputs`: (workspace, the GITHUB_OUTPUT file, environment)."""
    runner_temp = tmp_path / "runner"
    outputs = tmp_path / "github_output"
    env = {"RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(outputs), "PATHS": "bundles", "SARIF": "winrmlint.sarif",
           "FAIL_ON": "", "CONFIG": "", **inputs}
    installed(env).parent.mkdir(parents=True)
    # the installed console script of this checkout stands for the one the install step makes
    installed(env).symlink_to(Path(sys.executable).parent / "winrmlint")
    workspace = tmp_path / "repo"
    shutil.copytree(LEGACY, workspace / "bundles" / "web01")
    return workspace, outputs, env


def installed(env: dict[str, str]) -> Path:
    return Path(env["RUNNER_TEMP"]) / "winrmlint" / "bin" / "winrmlint"


@pytest.mark.skipif(shutil.which("bash") is None, reason="the action's steps are bash")
def test_action_lint_step_writes_sarif_annotates_and_keeps_the_exit_code(tmp_path: Path) -> None:
    workspace, outputs, env = action_checkout(tmp_path, ANNOTATIONS="true", BASELINE="", FAIL_ON_NEW="false")
    done = run_step("lint", env, workspace)
    assert done.returncode == 0, done.stderr  # the report is uploaded before the run fails
    assert outputs.read_text() == "exit-code=1\n"
    doc = json.loads((workspace / "winrmlint.sarif").read_text(encoding="utf-8"))
    assert_valid_sarif(doc)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert all(u.startswith("bundles/web01/") for u in uris)  # relative to the repository's root
    assert any(l.startswith("::error file=bundles/web01/winrm-config.txt,line=29,title=WRM102::") for l in done.stdout.splitlines())
    failing = run_step("Fail on findings", {"CODE": "1"}, workspace)
    assert failing.returncode == 1
    # the clean server has notes at most: clean at fail-on error, and no annotations asked for
    shutil.copytree(FIXTURES / "bundles" / "srv-clean-2022", workspace / "clean")
    outputs.write_text("")
    done = run_step("lint", {**env, "FAIL_ON": "error", "ANNOTATIONS": "false", "PATHS": "clean "}, workspace)
    assert done.returncode == 0 and outputs.read_text() == "exit-code=0\n" and done.stdout == ""
    usage = run_step("lint", {**env, "PATHS": "no-such-folder"}, workspace)
    assert usage.returncode == 0 and outputs.read_text().endswith("exit-code=2\n")


@pytest.mark.skipif(shutil.which("bash") is None, reason="the action's steps are bash")
def test_action_with_a_baseline_uploads_the_plain_report_and_gates_on_new(tmp_path: Path) -> None:
    workspace, outputs, env = action_checkout(tmp_path, ANNOTATIONS="false", BASELINE="main.sarif", FAIL_ON_NEW="true")
    subprocess.run([str(installed(env)), "lint", "--exit-zero", "--format", "sarif=main.sarif", "bundles"],
                   cwd=workspace, check=True, capture_output=True)
    done = run_step("lint", env, workspace)
    assert done.returncode == 0, done.stderr
    assert outputs.read_text() == "exit-code=0\n"  # nothing new since main
    doc = json.loads((workspace / "winrmlint.sarif").read_text(encoding="utf-8"))
    assert_valid_sarif(doc)
    assert doc["runs"][0]["results"] and not any("baselineState" in r for r in doc["runs"][0]["results"])
