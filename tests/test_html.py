"""The HTML report's contract without a browser: self-contained, escaped, CSP by hash, complete."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, HOSTILE_NAME, hostile_bundle
from winrmlint import engine
from winrmlint.cli import app
from winrmlint.output import html

FLEET = FIXTURES / "bundles"
HOSTILE = HOSTILE_NAME


def report(*paths: Path) -> str:
    out = io.StringIO()
    html.write(engine.lint([str(p) for p in paths]), out)
    return out.getvalue()


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <script> and <style> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)


def parsed(text: str) -> Elements:
    parser = Elements()
    parser.feed(text)
    return parser


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.fixture(scope="module")
def fleet_report() -> str:
    return report(FLEET)


def test_csp_allows_exactly_the_inline_script_and_style(fleet_report: str) -> None:
    doc = parsed(fleet_report)
    [csp] = [a["content"] for t, a in doc.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp is not None
    policy = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == _sha(doc.scripts[0]) and len(doc.scripts) == 1
    assert policy["style-src"] == _sha(doc.styles[0]) and len(doc.styles) == 1
    assert "unsafe" not in csp and "http" not in csp


def test_self_contained(fleet_report: str) -> None:
    doc = parsed(fleet_report)
    # nothing is loaded: no src, no stylesheet link, no url() or @import in the style
    assert not [a for _, a in doc.tags if "src" in a]
    assert not [t for t, _ in doc.tags if t in ("link", "iframe", "object", "embed", "img", "form", "base")]
    assert "url(" not in doc.styles[0] and "@import" not in doc.styles[0]
    # no inline event handlers (the CSP would refuse them anyway)
    assert not [a for _, a in doc.tags if any(k.startswith("on") for k in a)]
    # links go to documents only (help URIs, the project), never something the page loads
    hrefs = [a["href"] for t, a in doc.tags if t == "a"]
    assert all(h.startswith(("#", "https://")) for h in hrefs if h)


def test_overview_counts_and_sections(fleet_report: str) -> None:
    run = engine.lint([str(FLEET)])
    doc = parsed(fleet_report)
    assert re.search(rf'id="total-given"><b>{len(run.hosts)}</b>', fleet_report)
    errors = sum(1 for f in run.findings if f.level.value == "error")
    assert re.search(rf'id="total-errors"><b>{errors}</b>', fleet_report)
    sections = [a for t, a in doc.tags if t == "section"]
    assert len(sections) == len(run.hosts)
    findings = [a for t, a in doc.tags if t == "tr" and a.get("class") == "finding"]
    assert len(findings) == len(run.findings)


def test_each_finding_shows_evidence_and_its_own_fix(fleet_report: str) -> None:
    run = engine.lint([str(FLEET)])
    for f in run.findings:
        assert f"{f.location.uri}:{f.location.line}</code>" in fleet_report
    # the SPN fix of WRM401 is there with its command on its own copyable line
    assert re.search(r'<pre id="fix-\d+-\d+">setspn -D HTTP/', fleet_report)


def test_commands_of_a_fix_are_whole_and_without_backticks() -> None:
    fix = "If `svc` no longer needs it: `setspn -D HTTP/web01 svc`. Otherwise `setspn -S HTTP/web01:5985 web01`"
    out = html._fix_html(fix, "f")
    assert re.findall(r"<pre id=\"f-\d\">(.*?)</pre>", out) == ["setspn -D HTTP/web01 svc", "setspn -S HTTP/web01:5985 web01"]
    assert '<p class="prose">If <code>svc</code> no longer needs it: <code>setspn -D HTTP/web01 svc</code>. Otherwise' in out
    assert "`" not in out
    # a fix of commands only is the commands alone
    only = html._fix_html('`winrm set winrm/config/client @{AllowUnencrypted="false"}`', "g")
    assert only == html._command('winrm set winrm/config/client @{AllowUnencrypted="false"}', "g-0")


def test_not_evaluated_and_left_out_are_listed(tmp_path: Path) -> None:
    dead = tmp_path / "fleet" / "DEAD01"
    dead.mkdir(parents=True)
    (dead / "notes.txt").write_text("nothing WinRM here\n")
    shutil.copytree(FLEET / "web01-legacy", tmp_path / "fleet" / "web01-legacy")
    shutil.copytree(FLEET / "srv-clean-2022", tmp_path / "fleet" / "srv-clean-2022")
    text = report(tmp_path / "fleet")
    left_out = text.split('<h2 id="left-out">', 1)[1].split("<h2", 1)[0]
    assert "DEAD01" in left_out and "none of its 1 files could be read" in left_out
    assert 'id="total-left-out"><b>1</b>' in text
    not_evaluated = text.split('<h2 id="not-evaluated">', 1)[1]
    assert "WRM512" in not_evaluated  # web01-legacy has no service state


def test_hostile_values_are_text(tmp_path: Path) -> None:
    bundle = hostile_bundle(tmp_path)
    text = report(bundle)
    doc = parsed(text)
    assert not [t for t, _ in doc.tags if t == "img"]
    assert "<h3>&lt;img src=x onerror=alert(1)&gt;</h3>" in text
    assert HOSTILE not in text


def test_cli_writes_html(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["lint", "--format", "html", "-o", str(out), str(FLEET)], catch_exceptions=False)
    assert result.exit_code == 1  # findings, as for every format
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_control_and_bidi_characters_are_shown_escaped(tmp_path: Path) -> None:
    """A host name that would reorder or recolour text (Trojan Source) is shown with visible escapes."""
    bundle = tmp_path / "web\u202eexe.\x1b[31m"
    shutil.copytree(hostile_bundle(tmp_path), bundle)
    text = report(bundle)
    assert "<h3>web\\u202eexe.\\x1b[31m</h3>" in text
    assert "\u202e" not in text and "\x1b" not in text


def test_suppressed_findings_and_notices(tmp_path: Path) -> None:
    """With --include-suppressed the findings a host's manifest suppresses are shown and marked;
    the suppression layer's own findings (an expired one) are in the report too."""
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        app, ["lint", "--include-suppressed", "--format", "html", "-o", str(out), str(FIXTURES / "config" / "hosts")],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    text = out.read_text(encoding="utf-8")
    assert text.count('">suppressed</span>') == 2
    assert 'title="an old DSC pull client, retired with the farm (SEC-1030)">suppressed' in text
    assert "WRM002" in text
