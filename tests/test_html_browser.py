"""The HTML report in a real browser: headless Chromium opens the report of a shipped fleet.

Driven over the Chrome DevTools Protocol on a pipe (`--remote-debugging-pipe`: file descriptors 3
and 4, NUL-separated JSON), so no port and no websocket library. Skips, saying why, only when no
Chromium is installed (`.ci/run` installs Debian's `chromium`).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, HOSTILE_NAME, hostile_bundle
from winrmlint import engine
from winrmlint.output import html

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on PATH: install Debian's `chromium` (.ci/run does) to run the browser test"
)
FLEET = FIXTURES / "bundles"
HOSTILE = HOSTILE_NAME
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-extensions", "--disable-dev-shm-usage",
]


class Browser:
    """One headless Chromium and one page, spoken to over the DevTools pipe."""

    def __init__(self, profile: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds() -> None:
            # in the child: the pipe ends at the descriptors Chromium reads (copied above 10 first,
            # so that neither overwrites the other); pass_fds keeps 3 and 4 open past close_fds
            high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        assert CHROMIUM is not None
        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        self.session = ""

    def send(self, method: str, params: dict[str, Any] | None = None, session: bool = True) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)
        raise TimeoutError(method)

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_child, 65536)
            if not chunk:
                raise EOFError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url: str) -> None:
        self.events.clear()
        self.session = ""
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.send(domain)
        self.send("Page.navigate", {"url": url})
        deadline = time.monotonic() + 30
        while self.js("document.readyState") != "complete" or self.js("document.URL") != url:
            if time.monotonic() > deadline:
                raise TimeoutError(url)
            time.sleep(0.05)

    def js(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self._to_child)
        os.close(self._from_child)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    # one browser for the module (start-up is most of the cost); each test opens its own page
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield b
    finally:
        b.close()


def _write(paths: list[Path], out: Path) -> str:
    with out.open("w", encoding="utf-8") as stream:
        html.write(engine.lint([str(p) for p in paths]), stream)
    return out.as_uri()


def _complaints(browser: Browser) -> list[str]:
    """What the console said: a CSP refusal or a script error would be here."""
    said = []
    for e in browser.events:
        if e.get("method") == "Log.entryAdded":
            said.append(e["params"]["entry"]["text"])
        elif e.get("method") == "Runtime.exceptionThrown":
            said.append(str(e["params"]["exceptionDetails"]))
        elif e.get("method") == "Page.javascriptDialogOpening":
            said.append("dialog: " + e["params"]["message"])
    return said


def test_a_reader_sees_the_overview_findings_and_fixes(browser: Browser, tmp_path: Path) -> None:
    run = engine.lint([str(FLEET)])
    browser.open(_write([FLEET], tmp_path / "report.html"))
    # the script ran (it fills the counter), under the page's CSP
    assert browser.js("document.getElementById('shown').textContent") == f"{len(run.hosts)} of {len(run.hosts)} hosts shown, {len(run.findings)} findings"
    assert browser.js("document.querySelector('#total-given b').innerText") == str(len(run.hosts))
    errors = sum(1 for f in run.findings if f.level.value == "error")
    assert browser.js("document.querySelector('#total-errors b').innerText") == str(errors)
    # the overview shows which host fails and why: web01's worst level and its WRM401 cell
    rows = browser.js("[...document.querySelectorAll('#overview-table tbody tr')].map(r => r.cells[0].querySelector('a').innerText + ' ' + r.cells[1].innerText)")
    assert sorted(rows) == ["srv-app01 clean", "web01 error"]
    column = browser.js("[...document.querySelectorAll('#overview-table thead th')].findIndex(th => th.innerText.trim() === 'WRM401')")
    assert column > 0
    assert browser.js(f"[...document.querySelectorAll('#overview-table tbody tr')].map(r => r.cells[{column}].innerText)") in (["", "2"], ["2", ""])
    # a finding's fix, as a reader copies it: the whole command, no Markdown
    fixes = browser.js("[...document.querySelectorAll('.fix pre')].map(p => p.innerText)")
    assert any(f.startswith("setspn -D HTTP/web01") for f in fixes)
    assert not any("`" in f for f in fixes)
    # styles applied (the style hash matched): an error badge is coloured
    assert browser.js("getComputedStyle(document.querySelector('.badge.lv-error')).backgroundColor") == "rgb(254, 228, 226)"
    assert _complaints(browser) == []


def test_filter_from_the_fragment_and_from_typing(browser: Browser, tmp_path: Path) -> None:
    url = _write([FLEET], tmp_path / "report.html")
    browser.open(url + "#level=error")
    assert browser.js("document.getElementById('level').value") == "error"
    visible = browser.js("[...document.querySelectorAll('section.host')].filter(s => !s.hidden).map(s => s.querySelector('h3').innerText)")
    assert visible == ["web01"]
    levels = browser.js("[...document.querySelectorAll('tr.finding')].filter(t => t.offsetParent !== null).map(t => t.dataset.level)")
    assert levels and set(levels) == {"error"}
    assert browser.js("document.getElementById('row-host-1').hidden !== document.getElementById('row-host-2').hidden")
    # typing a filter narrows the findings and writes it to the fragment (a link to this view)
    browser.js("const q = document.getElementById('q'); q.value = 'WRM401'; q.dispatchEvent(new Event('input'))")
    assert browser.js("document.getElementById('shown').textContent") == "1 of 2 hosts shown, 2 findings"
    assert browser.js("location.hash") == "#q=WRM401&level=error"
    assert _complaints(browser) == []


def test_sorting_the_overview(browser: Browser, tmp_path: Path) -> None:
    browser.open(_write([FLEET], tmp_path / "report.html"))
    names = "[...document.querySelectorAll('#overview-table tbody tr')].map(r => r.cells[0].querySelector('a').innerText)"
    browser.js("document.querySelector('#overview-table th[data-sort=\"2\"]').click()")  # findings, most first
    assert browser.js(names) == ["web01", "srv-app01"]
    browser.js("document.querySelector('#overview-table th[data-sort=\"2\"]').click()")
    assert browser.js(names) == ["srv-app01", "web01"]


def test_a_hostile_host_name_renders_as_text(browser: Browser, tmp_path: Path) -> None:
    bundle = hostile_bundle(tmp_path)
    browser.open(_write([bundle], tmp_path / "report.html"))
    assert browser.js("document.querySelector('section.host h3').textContent") == HOSTILE
    assert browser.js("document.querySelector('#overview-table tbody a').textContent") == HOSTILE
    assert browser.js("document.images.length") == 0
    assert not any(e.get("method") == "Page.javascriptDialogOpening" for e in browser.events)
    assert _complaints(browser) == []


def test_the_csp_refuses_a_script_injected_into_the_page(browser: Browser, tmp_path: Path) -> None:
    """Were escaping ever to fail, the policy still stops the script: prove it enforces."""
    out = tmp_path / "report.html"
    _write([FLEET], out)
    text = out.read_text(encoding="utf-8").replace("</header>", "</header><script>document.title='ran'</script>", 1)
    out.write_text(text, encoding="utf-8")
    browser.open(out.as_uri())
    assert browser.js("document.title") != "ran"
    assert any("Content Security Policy" in c for c in _complaints(browser))
