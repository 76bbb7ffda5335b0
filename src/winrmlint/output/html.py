"""HTML for people handed a fleet audit: one self-contained file, no network, no script but ours.

A hosts × rules overview (worst level per host, count per rule, `–` where a rule could not be
evaluated), a section per host with each finding's evidence line and its fix ready to copy, the
hosts left out and the rules not evaluated. Sorting and filtering are a small inline script; the
filter lives in the URL fragment (`#q=web&level=error&failing=1`) so a filtered view can be sent
as a link. Every value from a dump goes through `_h` (control and bidi characters made visible,
then HTML-escaped), and the Content-Security-Policy allows only this file's own script and style,
by hash: a dump can neither run script nor load anything.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from html import escape
from typing import TextIO

from winrmlint import __version__, project
from winrmlint.config import all_rules
from winrmlint.engine import HostResult, RunResult
from winrmlint.findings import Finding, Level
from winrmlint.output.escape import safe
from winrmlint.output.report import Item, Report, of

# worst first; a host "fails" at warning or above, as `lint`'s default --fail-on does
_LEVELS = (Level.ERROR, Level.WARNING, Level.NOTE)
_FAILING = {Level.ERROR, Level.WARNING}

_STYLE = """
:root { --error: #b42318; --warning: #b54708; --note: #175cd3; --clean: #067647; --muted: #667085;
  --line: #d0d5dd; --bg: #f9fafb; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
body { margin: 0 auto; max-width: 1400px; padding: 1.5rem; color: #101828; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
.meta, .muted { color: var(--muted); }
.totals { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; padding: 0; list-style: none; }
.totals li { border: 1px solid var(--line); border-radius: 8px; padding: .5rem .9rem; background: var(--bg); }
.totals b { display: block; font-size: 1.4rem; }
.controls { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 1rem 0;
  padding: .75rem; background: var(--bg); border: 1px solid var(--line); border-radius: 8px; }
.controls input[type=search] { min-width: 18rem; padding: .35rem .5rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--bg); }
table.sortable th[data-sort] { cursor: pointer; user-select: none; }
th[aria-sort=ascending]::after { content: " \\25B2"; } th[aria-sort=descending]::after { content: " \\25BC"; }
.overview-wrap { overflow-x: auto; }
.overview td.host { position: sticky; left: 0; background: #fff; white-space: nowrap; }
.overview td.host .where { display: block; font-size: .75rem; color: var(--muted); }
.overview td.cell { text-align: center; min-width: 2rem; padding: .3rem .25rem; font-variant-numeric: tabular-nums; }
.overview th.rule { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: 600; }
.lv-error { background: #fee4e2; color: var(--error); font-weight: 700; }
.lv-warning { background: #fef0c7; color: var(--warning); font-weight: 700; }
.lv-note { background: #d1e9ff; color: var(--note); }
.lv-clean { color: var(--clean); } .ne { color: var(--muted); }
.badge { display: inline-block; border-radius: 999px; padding: 0 .55rem; font-size: .85rem; }
section.host { border-top: 2px solid var(--line); margin-top: 1.5rem; }
table.findings { width: 100%; } table.findings td.msg { width: 45%; }
code, pre { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: .88rem; }
.evidence { display: block; color: #344054; }
.prose { margin: .2rem 0; }
td.fixes { width: 40%; }
.fix { display: flex; gap: .4rem; align-items: flex-start; margin-top: .35rem; }
.fix pre { margin: 0; padding: .35rem .5rem; background: #f2f4f7; border: 1px solid var(--line);
  border-radius: 6px; white-space: pre-wrap; word-break: break-word; user-select: all; flex: 1; }
button.copy { font-size: .8rem; padding: .2rem .5rem; cursor: pointer; }
[hidden] { display: none !important; }
@media print { .controls, button.copy { display: none; } section.host { break-inside: avoid-page; } }
"""

_SCRIPT = """
"use strict";
(function () {
  var RANK = { note: 1, warning: 2, error: 3 };
  var q = document.getElementById("q"), level = document.getElementById("level"),
      failing = document.getElementById("failing"), shown = document.getElementById("shown");

  function readFragment() {
    var p = new URLSearchParams(location.hash.slice(1));
    q.value = p.get("q") || "";
    level.value = RANK[p.get("level")] ? p.get("level") : "";
    failing.checked = p.get("failing") === "1";
  }
  function writeFragment() {
    var p = new URLSearchParams();
    if (q.value) p.set("q", q.value);
    if (level.value) p.set("level", level.value);
    if (failing.checked) p.set("failing", "1");
    var s = p.toString();
    history.replaceState(null, "", s ? "#" + s : location.pathname + location.search);
  }
  function apply() {
    var text = q.value.trim().toLowerCase(), min = RANK[level.value] || 0, hosts = 0, findings = 0;
    var sections = document.querySelectorAll("section.host");
    sections.forEach(function (sec) {
      var hostHit = !text || sec.dataset.search.indexOf(text) >= 0, visible = 0;
      sec.querySelectorAll("tr.finding").forEach(function (tr) {
        var ok = RANK[tr.dataset.level] >= min && (hostHit || tr.dataset.search.indexOf(text) >= 0);
        tr.hidden = !ok;
        if (ok) visible++;
      });
      var ok = (!failing.checked || sec.dataset.fail === "1") && (hostHit || visible > 0) && (min === 0 || visible > 0);
      sec.hidden = !ok;
      var row = document.getElementById("row-" + sec.id);
      if (row) row.hidden = !ok;
      if (ok) { hosts++; findings += visible; }
    });
    shown.textContent = hosts + " of " + sections.length + " hosts shown, " + findings + " findings";
  }
  function sortBy(th) {
    var table = th.closest("table"), body = table.tBodies[0], index = Number(th.dataset.sort);
    var dir = th.getAttribute("aria-sort") === "descending" ? "ascending" : "descending";
    table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index].dataset.v, y = b.cells[index].dataset.v;
      var nx = Number(x), ny = Number(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : String(x).localeCompare(String(y));
      return dir === "ascending" ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll("table.sortable th[data-sort]").forEach(function (th) {
    th.addEventListener("click", function () { sortBy(th); });
  });
  document.querySelectorAll("button.copy").forEach(function (b) {
    b.addEventListener("click", function () {
      var pre = document.getElementById(b.dataset.for), done = function () { b.textContent = "Copied"; };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(pre.textContent).then(done, function () { select(pre); });
      } else { select(pre); }
    });
  });
  function select(node) {
    var range = document.createRange(); range.selectNodeContents(node);
    var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
  }
  [q, level, failing].forEach(function (el) {
    el.addEventListener("input", function () { apply(); writeFragment(); });
    el.addEventListener("change", function () { apply(); writeFragment(); });
  });
  window.addEventListener("hashchange", function () { readFragment(); apply(); });
  readFragment();
  apply();
})();
"""


def _digest(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


# no source but this file's own style and script (by hash); no base, form, frame or connection
CSP = (
    "default-src 'none'; "
    f"script-src '{_digest(_SCRIPT)}'; style-src '{_digest(_STYLE)}'; "
    "img-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
)


def _h(text: object) -> str:
    """A value from a dump, for HTML text or a quoted attribute."""
    return escape(safe(str(text)), quote=True)


def _worst(findings: list[Finding]) -> Level | None:
    return next((level for level in _LEVELS if any(f.level is level for f in findings)), None)


def _short(bundle: str) -> str:
    """The bundle's last two path parts: enough to tell hosts of one name apart."""
    return "/".join(bundle.replace("\\", "/").rstrip("/").split("/")[-2:])


def _marks(item: Item | None) -> str:
    """A finding's baseline state and suppression, as the text and JSON outputs mark them."""
    if item is None:
        return ""
    out = ""
    if item.state:
        out += f'<br><span class="muted">{_h(item.state)}</span>'
    if item.suppression is not None:
        out += f'<br><span class="muted" title="{_h(item.suppression.justification)}">suppressed</span>'
    return out


def _left_out(result: HostResult) -> bool:
    """Nothing of the host could be read: no rule judged it."""
    return not result.host.readable_files


def _evidence(result: HostResult, finding: Finding) -> str:
    """`file:line`, and the setting as that line shows it (the reading the finding points at)."""
    where = f"{_h(finding.location.uri)}:{finding.location.line}"
    setting = result.host.get(finding.path) if finding.path else None
    shown = ""
    if setting is not None:
        reading = next((r for r in setting.readings if r.location == finding.location), None)
        if reading is not None and reading.raw:
            shown = f" <code>{_h(setting.name)} = {_h(reading.raw)}</code>"
    return f'<span class="evidence">read at <code>{where}</code>{shown}</span>'


_FENCE = re.compile(r"```[\w-]*\n(.*?)```", re.DOTALL)
_SPAN = re.compile(r"`([^`\n]+)`")


def _inline(text: str) -> str:
    """Prose from a message or fix: escaped, its `code` spans shown as code."""
    return _SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", _h(text))


def _fix_html(fix: str, ident: str) -> str:
    """A fix as prose (its `code` inline), then every command whole on its own line with a Copy
    button: a backticked span holding a space (a command line, not a name), or a fenced block.
    A fix that is nothing but commands is shown as the commands alone."""
    fenced = _FENCE.findall(fix)
    prose = _FENCE.sub(" ", fix).strip()
    commands = [c.strip() for c in fenced if c.strip()] + [m.group(1) for m in _SPAN.finditer(prose) if " " in m.group(1).strip()]
    only_commands = not _SPAN.sub("", prose).strip(" ;,.") and not fenced
    parts = [] if only_commands or not prose else [f'<p class="prose">{_inline(prose)}</p>']
    parts += [_command(c, f"{ident}-{n}") for n, c in enumerate(commands)]
    return "".join(parts)


def _command(command: str, ident: str) -> str:
    lines = "\n".join(_h(line) for line in command.strip().splitlines())
    return (f'<div class="fix"><pre id="{ident}">{lines}</pre>'
            f'<button type="button" class="copy" data-for="{ident}">Copy</button></div>')


def write(given: Report | RunResult, stream: TextIO) -> None:
    report = of(given)
    run = report.run
    # the rules of the run, and the suppression layer's own (WRM002, WRM003) whose notices it shows
    by_code = {r.code: r for r in (*all_rules(), *report.rules)}
    by_bundle = report.items_by_bundle()
    hosts = [(i, r, [it.finding for it in by_bundle.pop(r.host.bundle, [])]) for i, r in enumerate(run.hosts, start=1)]
    marks = {id(it.finding): it for it in report.items}
    # configuration notices (suppressions expired or unused) and anything about no bundle of the run
    orphans = [it.finding for found in by_bundle.values() for it in found]
    codes = sorted({f.code for _, _, found in hosts for f in found})
    levels = Counter(f.level for f in report.findings)
    left_out = report.hosts_left_out
    failing = [r for _, r, found in hosts if _worst(found) in _FAILING]
    w = stream.write

    w("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
    w(f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP, quote=True)}">\n')
    w('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    w('<meta name="referrer" content="no-referrer">\n')
    w(f"<title>winrmlint report: {len(run.hosts)} host{'s' if len(run.hosts) != 1 else ''}</title>\n")
    w(f"<style>{_STYLE}</style>\n</head>\n<body>\n")
    w("<header>\n<h1>WinRM configuration audit</h1>\n")
    w(f'<p class="meta">winrmlint {_h(__version__)} · <a href="{_h(project.url())}">{_h(project.url())}</a> · '
      "each finding names the file and line it was read from, and its fix</p>\n")
    w('<ul class="totals" id="totals">\n')
    for label, value, ident in (
        ("hosts given", len(run.hosts), "given"),
        ("hosts linted", len(run.hosts) - len(left_out), "linted"),
        ("hosts left out", len(left_out), "left-out"),
        ("hosts failing", len(failing), "failing-count"),
        ("errors", levels[Level.ERROR], "errors"),
        ("warnings", levels[Level.WARNING], "warnings"),
        ("notes", levels[Level.NOTE], "notes"),
    ):
        w(f'<li id="total-{ident}"><b>{value}</b>{label}</li>\n')
    w("</ul>\n</header>\n")

    w('<div class="controls" role="search">\n'
      '<label>Filter <input type="search" id="q" placeholder="host, rule, text in a finding"></label>\n'
      '<label>Level <select id="level"><option value="">all</option><option value="warning">warnings and errors</option>'
      '<option value="error">errors only</option></select></label>\n'
      '<label><input type="checkbox" id="failing"> failing hosts only</label>\n'
      '<span id="shown" class="muted" aria-live="polite"></span>\n</div>\n')

    w('<h2 id="overview">Hosts × rules</h2>\n')
    w('<p class="muted">A cell counts a rule\'s findings on a host, coloured by level; <span class="ne">–</span> '
      "the rule could not be evaluated there (its input was not collected). Click a heading to sort.</p>\n")
    w('<div class="overview-wrap"><table class="overview sortable" id="overview-table">\n<thead><tr>')
    w('<th data-sort="0">host</th><th data-sort="1">worst</th><th data-sort="2">findings</th>')
    for n, code in enumerate(codes, start=3):
        rule = by_code[code]
        w(f'<th class="rule" data-sort="{n}" title="{_h(rule.name)}: {_h(rule.summary)}">{code}</th>')
    w("</tr></thead>\n<tbody>\n")
    for i, result, found in hosts:
        worst = _worst(found)
        status = "left out" if _left_out(result) else (worst.value if worst else "clean")
        rank = worst.rank if worst else 0
        w(f'<tr id="row-host-{i}"><td class="host" data-v="{_h(result.host.name.lower())}">'
          f'<a href="#host-{i}">{_h(result.host.name)}</a><span class="where">{_h(_short(result.host.bundle))}</span></td>')
        w(f'<td data-v="{rank}"><span class="badge lv-{_h(status.replace(" ", "-"))}">{_h(status)}</span></td>')
        w(f'<td data-v="{len(found)}">{len(found)}</td>')
        per_rule = Counter(f.code for f in found)
        for code in codes:
            mine = [f for f in found if f.code == code]
            if mine:
                level = _worst(mine) or by_code[code].level
                w(f'<td class="cell lv-{level.value}" data-v="{level.rank * 1000 + per_rule[code]}" '
                  f'title="{code} {level.value}">{per_rule[code]}</td>')
            elif code in result.not_evaluated:
                w(f'<td class="cell ne" data-v="-1" title="{code} not evaluated">–</td>')
            else:
                w('<td class="cell" data-v="0"></td>')
        w("</tr>\n")
    w("</tbody></table></div>\n")

    w('<h2 id="hosts">Hosts</h2>\n')
    fix_id = 0
    for i, result, found in hosts:
        host = result.host
        worst = _worst(found)
        search = " ".join([host.name, host.bundle]).lower()
        w(f'<section class="host" id="host-{i}" data-fail="{1 if worst in _FAILING else 0}" data-search="{_h(search)}">\n')
        w(f"<h3>{_h(host.name)}</h3>\n")
        join = f" · {_h(host.join_state)}" if host.join_state else ""
        w(f'<p class="muted"><code>{_h(host.bundle)}</code> · {len(host.readable_files)} of {len(host.files)} files read{join}</p>\n')
        if not found:
            w('<p class="lv-clean">No findings.</p>\n' if not _left_out(result) else "<p>Nothing could be read.</p>\n")
        else:
            w('<table class="findings sortable"><thead><tr><th data-sort="0">level</th><th data-sort="1">rule</th>'
              '<th>finding and evidence</th><th>fix</th></tr></thead>\n<tbody>\n')
            for f in found:
                rule = by_code[f.code]
                fix_id += 1
                fix = f.fix or rule.section("Fix")
                finding_search = " ".join([f.code, rule.name, f.message, f.location.uri]).lower()
                w(f'<tr class="finding" data-level="{f.level.value}" data-search="{_h(finding_search)}">')
                w(f'<td data-v="{f.level.rank}"><span class="badge lv-{f.level.value}">{f.level.value}</span>'
                  f"{_marks(marks.get(id(f)))}</td>")
                w(f'<td data-v="{f.code}"><a href="{_h(rule.help_uri)}" title="{_h(rule.summary)}">{f.code}</a><br>'
                  f'<span class="muted">{_h(rule.name)}</span></td>')
                w(f'<td class="msg">{_inline(f.message)}{_evidence(result, f)}')
                for loc in f.related:
                    w(f'<span class="evidence muted">also <code>{_h(loc.uri)}:{loc.line}</code></span>')
                w('</td><td class="fixes">')
                if fix:
                    w(_fix_html(fix, f"fix-{fix_id}"))
                w("</td></tr>\n")
            w("</tbody></table>\n")
        if result.not_evaluated:
            names = ", ".join(f'<span title="{_h(by_code[c].name)}">{c}</span>' for c in result.not_evaluated)
            w(f'<p class="muted">Not evaluated (input not collected): {names}</p>\n')
        unreadable = [p for p in host.files if p.error]
        if unreadable:
            w("<p>Files not read:</p><ul>\n")
            for p in unreadable:
                w(f"<li><code>{_h(p.uri)}:{p.error_line}</code> {_h(p.error)}</li>\n")
            w("</ul>\n")
        w("</section>\n")
    if orphans:
        w('<h2>Configuration and other findings</h2>\n<ul>\n')
        for f in orphans:
            w(f"<li><code>{_h(f.location.uri)}:{f.location.line}</code> {f.code} {_inline(f.message)}</li>\n")
        w("</ul>\n")

    w('<h2 id="left-out">Hosts left out</h2>\n')
    if left_out:
        w("<ul>\n" + "".join(
            f'<li>{_h(r.host.name)} (<code>{_h(r.host.bundle)}</code>): none of its {len(r.host.files)} files could be read</li>\n'
            for r in left_out) + "</ul>\n")
    else:
        w("<p>None: every host had a readable file.</p>\n")

    w('<h2 id="not-evaluated">Rules not evaluated</h2>\n')
    missing: dict[str, list[str]] = {}
    for _, result, _ in hosts:
        for code in result.not_evaluated:
            missing.setdefault(code, []).append(result.host.name)
    if missing:
        w('<table class="sortable"><thead><tr><th data-sort="0">rule</th><th data-sort="1">hosts</th>'
          "<th>where its input was not collected</th></tr></thead>\n<tbody>\n")
        for code in sorted(missing):
            hosts_missing = missing[code]
            w(f'<tr><td data-v="{code}">{code} <span class="muted">{_h(by_code[code].name)}</span></td>'
              f'<td data-v="{len(hosts_missing)}">{len(hosts_missing)}</td><td>{", ".join(_h(n) for n in hosts_missing)}</td></tr>\n')
        w("</tbody></table>\n")
    else:
        w("<p>None: every rule run could judge every host.</p>\n")
    if run.internal_errors:
        w("<h2>Internal errors</h2>\n<ul>\n" + "".join(
            f"<li><code>{_h(at.uri)}</code> {_h(message)}</li>\n" for at, message in run.internal_errors) + "</ul>\n")
    w(f"<script>{_SCRIPT}</script>\n</body>\n</html>\n")
