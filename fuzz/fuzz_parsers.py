"""Fuzz target: bytes → decoding → every parser → host model → rules → text and SARIF output.

The contract under test (README "Security and limits"): decoding raises only `DecodeError`,
`sniff` returns an int, `parse` raises only `ParseError`, and the rules and outputs accept
whatever a parser produced. Anything else is a crash.

    pip install -e ".[fuzz]"
    python fuzz/fuzz_parsers.py -max_total_time=600 -timeout=10 -rss_limit_mb=2048 fuzz/corpus fixtures/

With atheris (libFuzzer, coverage-guided) when it is installed; otherwise a hypothesis campaign
(`python fuzz/fuzz_parsers.py --hypothesis 100000`) mutating the same seeds.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports():
    from winrmlint import manifest, parsers
    from winrmlint.engine import parse_file
    from winrmlint.model.host import ParsedFile, build_host
    from winrmlint.model.values import ParseError
    from winrmlint.output import sarif, text
    from winrmlint.rules import RULES
    from winrmlint.rules.base import Context
    from winrmlint.source import DecodeError, SourceText

    return manifest, parsers, parse_file, ParsedFile, build_host, ParseError, sarif, text, RULES, Context, DecodeError, SourceText


def one_input(data: bytes) -> None:
    """Run one input through every stage; raise only on a broken contract."""
    from winrmlint.engine import HostResult, RunResult

    uri = "fuzz/in put\n\x1b[31m\u202e.txt"
    try:
        source = SourceText.from_bytes(uri, data)
    except DecodeError:
        return
    dumps = []
    for parser in parsers.PARSERS:
        score = parser.sniff(source)
        if not isinstance(score, int) or isinstance(score, bool):
            raise TypeError(f"{parser.FORMAT}.sniff returned {score!r}")
        try:
            dumps.append(parser.parse(source))
        except ParseError:
            pass
    try:
        manifest.parse(source)
    except ParseError:
        pass
    # what the engine does with the file (the parser its sniff picks), then the whole host
    fmt, _, error = parse_file(source)
    if error is not None and error.args and str(error).startswith("internal error"):
        raise AssertionError(f"{fmt}: {error}")
    files = [ParsedFile(uri, d.format) for d in dumps]
    host = build_host("FUZZ", "fuzz", dumps, files)
    findings = [f for rule in RULES if not rule.fleet for f in rule.check(host, Context(rule))]
    for rule in (r for r in RULES if r.fleet):
        findings.extend(rule.check(None, Context(rule, [host], None)))
    run = RunResult([HostResult(host)], findings, RULES)
    text.write(run, io.StringIO(), colour=True, width=60)
    sarif.write(run, io.StringIO())


def seeds() -> list[bytes]:
    found = []
    for folder in ("fixtures/samples", "fixtures/rules", "fixtures/bundles", "fixtures/hostile"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.stat().st_size < 200_000 and not path.name.endswith(".sarif.json"):
                found.append(path.read_bytes())
    return found


def _atheris(argv: list[str]) -> None:
    import atheris

    global manifest, parsers, parse_file, ParsedFile, build_host, ParseError, sarif, text, RULES, Context, DecodeError, SourceText
    with atheris.instrument_imports(include=["winrmlint"]):
        (manifest, parsers, parse_file, ParsedFile, build_host, ParseError, sarif, text, RULES, Context, DecodeError,
         SourceText) = _imports()
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


def _hypothesis(examples: int) -> None:
    from hypothesis import strategies as st

    import harness

    global manifest, parsers, parse_file, ParsedFile, build_host, ParseError, sarif, text, RULES, Context, DecodeError, SourceText
    (manifest, parsers, parse_file, ParsedFile, build_host, ParseError, sarif, text, RULES, Context, DecodeError,
     SourceText) = _imports()
    corpus = seeds()

    @st.composite
    def mutated(draw) -> bytes:
        lines = draw(st.sampled_from(corpus)).decode("utf-8", "replace").splitlines(keepends=True)
        for _ in range(draw(st.integers(0, 6))):
            op = draw(st.sampled_from(["drop", "dup", "swap", "cut", "insert", "truncate"]))
            if not lines:
                break
            i = draw(st.integers(0, len(lines) - 1))
            if op == "drop":
                del lines[i]
            elif op == "dup":
                lines.insert(i, lines[i])
            elif op == "swap":
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            elif op == "cut":
                lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
            elif op == "insert":
                lines.insert(i, draw(st.text(max_size=80)) + "\n")
            else:
                lines = lines[:i]
        return "".join(lines).encode(draw(st.sampled_from(["utf-8", "utf-16"])), "surrogatepass")

    inputs = st.one_of(mutated(), st.binary(max_size=4096), st.text(max_size=2048).map(lambda t: t.encode("utf-8", "surrogatepass")))
    count = harness.campaign(inputs, one_input, examples)
    print(f"hypothesis campaign: {count} inputs tried, no crash")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--hypothesis"]:
        _hypothesis(int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
    else:
        try:
            import atheris  # noqa: F401
        except ImportError:
            print("atheris is not installed: running the hypothesis campaign instead", file=sys.stderr)
            _hypothesis(10_000)
        else:
            _atheris(sys.argv)
