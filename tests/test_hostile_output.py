"""Reports whole or absent, in UTF-8, and nothing in them that steers the reader's tools."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, assert_valid_sarif
from winrmlint import cli

LEGACY = FIXTURES / "bundles" / "web01-legacy"
runner = CliRunner()


def bundle(tmp_path: Path, name: str = "web01") -> Path:
    target = tmp_path / name
    shutil.copytree(LEGACY, target)
    return target


def winrmlint(*args: str, env: dict[str, str] | None = None, preexec: str = "") -> subprocess.CompletedProcess[bytes]:
    """The CLI in a child process (an encoding or a resource limit of its own)."""
    script = f"import sys\n{preexec}\nfrom winrmlint.cli import main\nsys.argv = ['winrmlint', *sys.argv[1:]]\nmain()\n"
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, env={**os.environ, **(env or {})}, timeout=120)


# ---------------------------------------------------------------------- whole or absent


def test_a_failed_write_leaves_the_previous_report_and_says_why_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "results.sarif"
    out.write_text('{"previous": "report"}\n')

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = runner.invoke(cli.app, ["lint", "-f", "sarif", "-o", str(out), str(bundle(tmp_path))])
    assert result.exit_code == 2
    assert result.stderr == f"winrmlint: cannot write {out}: No space left on device\n"
    assert out.read_text() == '{"previous": "report"}\n'  # the good report is still there
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.sarif", "web01"]  # no temporary left


def test_a_file_size_limit_mid_write_is_a_clear_error_not_an_internal_one(tmp_path: Path) -> None:
    """A real failing write (RLIMIT_FSIZE: the kernel refuses bytes past 4 KB), end to end."""
    out = tmp_path / "results.sarif"
    out.write_text("{}\n")
    limit = "import resource, signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\nresource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))"
    done = winrmlint("lint", "-f", "sarif", "-o", str(out), str(bundle(tmp_path)), preexec=limit)
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode() == f"winrmlint: cannot write {out}: File too large\n"
    assert out.read_text() == "{}\n"


def test_a_report_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    out.write_text("x" * 1_000_000)  # longer than the new report: nothing of it may remain
    assert runner.invoke(cli.app, ["lint", "-f", "json", "-o", str(out), str(bundle(tmp_path))]).exit_code == 1
    assert json.loads(out.read_text())["summary"]["hosts"] == 1
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)  # not the temporary file's private mode


def test_two_runs_writing_one_file_never_interleave(tmp_path: Path) -> None:
    fleet = tmp_path / "fleet"
    for i in range(12):
        shutil.copytree(LEGACY, fleet / f"web{i:02}")
    out = tmp_path / "results.sarif"
    script = "import sys\nfrom winrmlint.cli import main\nsys.argv = ['winrmlint', *sys.argv[1:]]\nmain()\n"
    runs = [subprocess.Popen([sys.executable, "-c", script, "lint", "-f", "sarif", "-o", str(out), str(fleet)]) for _ in range(3)]
    assert [r.wait(120) for r in runs] == [1, 1, 1]
    assert_valid_sarif(json.loads(out.read_text()))


# ------------------------------------------------------------------ UTF-8 whatever the console


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_and_sarif_are_utf8_on_a_cp1252_console(tmp_path: Path, fmt: str) -> None:
    host = bundle(tmp_path, "ünïcødé-名前")
    config = (LEGACY / "winrm-config.txt").read_text().replace("TrustedHosts = *", "TrustedHosts = *,сервер-名前")
    (host / "winrm-config.txt").write_text(config, encoding="utf-8")
    done = winrmlint("lint", "-f", fmt, str(host), env={"PYTHONIOENCODING": "cp1252"})
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout.decode("utf-8"))  # strict UTF-8, and JSON whose strings hold the value
    # JSON names the bundle by its folder; SARIF quotes the value (its URIs are percent-encoded)
    assert ("ünïcødé-名前" if fmt == "json" else "сервер-名前") in json.dumps(doc, ensure_ascii=False)
    parsed = winrmlint("parse", "-f", "jsonl", str(host), env={"PYTHONIOENCODING": "cp1252"})
    assert all(json.loads(line)["host"] for line in parsed.stdout.decode("utf-8").splitlines())
