"""Reports whole or absent, in UTF-8, and nothing in them that steers the reader's tools."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, assert_valid_sarif
from winrmlint import bundle as bundle_module
from winrmlint import cli, engine
from winrmlint.output import escape, text

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


# ------------------------------------------------------- nothing steers the reader's tools

WORKFLOW = re.compile(r"^\s*(?:\x1b\[[0-9;]*m)*::|##\[", re.MULTILINE)


def hostile_bundle(tmp_path: Path) -> Path:
    """Workflow commands in a folder name, a file name and values (a wrapped line included)."""
    host = bundle(tmp_path, "::warning title=all clear::0 findings")
    config = (LEGACY / "winrm-config.txt").read_text().replace(
        "TrustedHosts = *", "TrustedHosts = *,##[add-mask]WRM102,::error::fake,[click](https://evil.example) @admins"
    )
    (host / "winrm-config.txt").write_text(config)
    shutil.move(host / "listeners.txt", host / "::stop-commands::x.txt")
    (host / "dsregcmd.txt").unlink()  # the host is then named after its folder, at a line's start
    return host


def test_no_output_line_is_a_github_workflow_command(tmp_path: Path) -> None:
    host = hostile_bundle(tmp_path)
    run = engine.lint([str(host)], jobs=1)
    for colour, width in ((False, None), (True, 40), (True, 72)):
        stream = io.StringIO()
        text.write(run, stream, colour=colour, width=width)
        assert not WORKFLOW.search(stream.getvalue()), stream.getvalue()
        assert "\\x3a:warning title=all clear" in stream.getvalue() and "#\\x23[add-mask]" in stream.getvalue()
    result = runner.invoke(cli.app, ["lint", str(host)])
    assert result.exit_code == 1 and not WORKFLOW.search(result.stdout)


def test_messages_printing_dump_names_are_escaped(tmp_path: Path) -> None:
    """The golden-host error listed the hosts' names raw (terminal escapes, workflow commands)."""
    host = bundle(tmp_path, "\x1b]0;owned\x07::error::x")
    (host / "dsregcmd.txt").unlink()
    result = runner.invoke(cli.app, ["lint", "--golden", "nope\x1b[2J", str(host)])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and not WORKFLOW.search(result.stderr)
    assert "\\x1b]0;owned\\x07" in result.stderr


def test_a_host_name_from_a_dump_is_held_to_the_manifests_pattern(tmp_path: Path) -> None:
    host = bundle(tmp_path, "web01")
    dsregcmd = (LEGACY / "dsregcmd.txt").read_text()
    for hostile in ("::error::owned", "web01`[x](https://e)", "web 01", "-web01", "a" * 64):
        (host / "dsregcmd.txt").write_text(re.sub(r"Device Name : \S+", f"Device Name : {hostile}", dsregcmd))
        assert engine.lint([str(host)], rules=(), jobs=1).hosts[0].host.name == "web01", hostile
    (host / "dsregcmd.txt").write_text(re.sub(r"Device Name : \S+", "Device Name : WEB-01.corp.contoso.com", dsregcmd))
    assert engine.lint([str(host)], rules=(), jobs=1).hosts[0].host.name == "WEB-01"


def test_dump_text_in_sarif_is_never_a_link_and_markdown_renders_as_written(tmp_path: Path) -> None:
    done = runner.invoke(cli.app, ["lint", "-f", "sarif", str(hostile_bundle(tmp_path))])
    doc = json.loads(done.stdout)
    assert_valid_sarif(doc)
    texts = [r["message"]["text"] for r in doc["runs"][0]["results"]]
    quoting = [t for t in texts if "click" in t]
    assert quoting and all("\\[click\\](https://evil.example)" in t for t in quoting)
    # every bracket in a message is escaped (SARIF §3.11.6): none can open an embedded link
    assert not any(re.search(r"(?<!\\)\[", t) for t in texts)
    assert escape.markdown("entry `[x](https://e) @admins` from @bob: see https://e [y](1)") == (
        "entry `[x](https://e) @admins` from @\u2060bob: see https:\u2060//e \\[y\\]\\(1\\)"
    )
    assert escape.sarif_text("C:\\Windows [x]") == "C:\\Windows \\[x\\]"


# ----------------------------------------------------------- files swapped while linting


def test_a_file_swapped_for_a_fifo_or_a_link_after_listing_is_refused_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    host = bundle(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("Config\n    MaxEnvelopeSizekb = 1\n")
    listed = bundle_module.discover

    def swap_after_listing(paths, limits, cwd=None):
        found = listed(paths, limits, cwd)
        (host / "firewall.txt").unlink()
        os.mkfifo(host / "firewall.txt")  # would block a plain open() for ever
        (host / "registry.reg").unlink()
        (host / "registry.reg").symlink_to(secret)  # would leak a file from outside the bundle
        (host / "new.tmp").write_text("another file\n")
        os.replace(host / "new.tmp", host / "dsregcmd.txt")  # another inode: not what was listed
        return found

    monkeypatch.setattr(engine, "discover", swap_after_listing)
    run = engine.lint([str(host)], jobs=1)
    errors = {f.uri.rsplit("/", 1)[-1]: f.error for f in run.files if f.error}
    assert errors == {
        "firewall.txt": "not read: not a regular file",
        "registry.reg": "not read: file was replaced by a symbolic link after it was listed",
        "dsregcmd.txt": "not read: file was replaced after it was listed",
    }
    assert not any(r.value == 1 for r in run.hosts[0].host.get("winrm/config/MaxEnvelopeSizekb").readings)


# ------------------------------------------------- JSON input: its escapes are input too


def test_lone_surrogates_escaped_in_a_manifest_cannot_break_any_report(tmp_path: Path) -> None:
    """Found by fuzz/fuzz_output.py: JSON can escape a lone surrogate (`"\\ud800"`), which a
    manifest's suppression carried into SARIF and `parse`: the UTF-8 writer raised mid-report."""
    host = bundle(tmp_path)
    (host / "winrmlint.json").write_text('{"notes": "a\\ud800b\\udfff", "suppressions": '
                                         '[{"rule": "WRM101", "justification": "x\\udbff"}]}')
    for args in (["lint", "-f", "json"], ["lint", "-f", "sarif", "--include-suppressed"], ["lint", "-f", "html"],
                 ["parse", "-f", "json"], ["parse", "-f", "jsonl"]):
        out = tmp_path / "out"
        result = runner.invoke(cli.app, [*args, "-o", str(out), str(host)])
        assert result.exit_code in (0, 1), (args, result.output)
        written = out.read_bytes().decode("utf-8")  # strict: a lone surrogate cannot be UTF-8
        if args[0] == "parse" or "--include-suppressed" in args:
            # the justification is shown as the bytes its surrogate stands for
            assert re.search(r"x\\+xed\\+xaf\\+xbf", written), written
        if args[-1] != "html":
            for line in written.splitlines() if args[-1] == "jsonl" else [written]:
                json.loads(line)


def test_a_hostile_baseline_can_neither_break_the_sarif_nor_plant_a_link(tmp_path: Path) -> None:
    """A baseline is input: a PR can edit a committed one. Its absent results were written with
    their message and URI as found (a link, a lone surrogate, a space or `%` no URI may hold)."""
    host = bundle(tmp_path)
    baseline = tmp_path / "baseline.sarif"
    baseline.write_text(json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "winrmlint"}}, "results": [{
        "ruleId": "WRM302", "level": "warning", "message": {"text": "see [here](https://evil.example)"},
        "partialFingerprints": {"winrmlint/v1": "0" * 32},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a b/100%/x.txt"}, "region": {"startLine": 3}}}],
        "properties": {"host": "web01", "path": "x"}}]}]}).replace("x.txt", "x\\ud800.txt"))
    out = tmp_path / "out.sarif"
    result = runner.invoke(cli.app, ["lint", "-f", "sarif", "-o", str(out), "--baseline", str(baseline), str(host)])
    assert result.exit_code == 1, result.output
    doc = json.loads(out.read_bytes().decode("utf-8"))
    assert_valid_sarif(doc)
    absent = [r for r in doc["runs"][0]["results"] if r.get("baselineState") == "absent"]
    assert absent[0]["message"]["text"] == "see \\[here\\](https://evil.example)"
    assert absent[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%20b/100%25/x%5Cxed%5Cxa0%5Cx80.txt"


def test_json_from_outside_holds_only_valid_text_keys_and_depth_included() -> None:
    from winrmlint.source import json_text

    deep = "[" * 500 + '"\\udc80"' + "]" * 500  # nested past what a recursive walk would take
    assert json_text('{"a\\ud800": ["\\udfff", {"x": "\\ud83d\\ude00 ok"}]}') == {"a\\xed\\xa0\\x80": ["\\xed\\xbf\\xbf", {"x": "\U0001f600 ok"}]}
    value = json_text(deep)
    for _ in range(500):
        value = value[0]
    assert value == "\\x80"
