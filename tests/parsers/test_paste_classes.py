"""Every format under every paste shape (fixtures/samples/<format>/paste-<class>--<sample>): read whole,
the same facts as the clean sample, each at the line that holds it, and what was undone noted."""

from __future__ import annotations

import html
from collections import Counter
from importlib import import_module

import pytest

from samples import SAMPLES, sample
from winrmlint.model.values import ParsedDump, Reading
from winrmlint.parsers import FORMATS, TRANSCRIPT, detect
from winrmlint.parsers.paste import NOTE_PREFIX
from winrmlint.source import SourceText

MODULES = {f.samples.folder: import_module(f.module) for f in FORMATS}
CASES = [
    (folder, path.name)
    for folder in sorted(MODULES)
    for path in sorted((SAMPLES / folder).iterdir())
    if path.name.startswith("paste-")
]
# the classes the paste layer undoes, and so says it did
# (a short double-spaced paste may read whole without the doubling being undone, so it need not be noted)
NOTED = {"blockquote", "toolmarker", "linenumbers", "html", "br", "annotated", "prompt-echoed"}


def parts(name: str) -> tuple[str, list[tuple[str, str]]]:
    """`paste-<class>--<base>[--<folder>--<base>]<ext>` → the class and the clean samples it was made of."""
    stem, dot, ext = name.rpartition(".")
    cls, base, *partner = stem.removeprefix("paste-").split("--")
    bases = [(next(f for f in MODULES if (SAMPLES / f / f"{base}{dot}{ext}").exists() and name in {p.name for p in (SAMPLES / f).iterdir()}), f"{base}{dot}{ext}")]
    if partner:
        folder = partner[0]
        bases.append((folder, next(p.name for p in (SAMPLES / folder).iterdir() if p.name.rpartition(".")[0] == partner[1])))
    return cls, bases


def fact(r: Reading) -> tuple[object, ...]:
    return (r.path.lower(), r.value, r.valid, r.truncated, r.source)


def read(source: SourceText) -> ParsedDump:
    reader = detect(source)
    assert reader is not None, source.uri
    return reader.parse(source)


@pytest.mark.parametrize(("folder", "name"), CASES, ids=[f"{f}/{n}" for f, n in CASES])
def test_a_paste_yields_the_facts_of_the_clean_dump(folder: str, name: str) -> None:
    cls, bases = parts(name)
    source = sample(folder, name)
    dump = read(source)
    clean = [(sample(f, b), MODULES[f].parse(sample(f, b))) for f, b in bases]
    assert Counter(map(fact, dump.readings)) == Counter(fact(r) for _, d in clean for r in d.readings)
    assert Counter((e.spn, e.account) for e in dump.spns) == Counter((e.spn, e.account) for _, d in clean for e in d.spns)
    assert Counter((q.spn, q.found) for q in dump.spn_queries) == Counter(
        (q.spn, q.found) for _, d in clean for q in d.spn_queries
    )
    if cls == "transcript":
        assert detect(source).FORMAT == TRANSCRIPT  # type: ignore[union-attr]
    # each fact points at the line of this file that holds the clean dump's line
    expected: dict[tuple[object, ...], set[str]] = {}
    for base, d in clean:
        for r in d.readings:
            expected.setdefault(fact(r), set()).add(base.lines[r.location.line - 1].strip())
    for reading in dump.readings:
        here = html.unescape(source.lines[reading.location.line - 1])
        assert any(text in here for text in expected[fact(reading)]), (reading.path, reading.location.line)
    if cls in NOTED:
        assert any(n.message.startswith(NOTE_PREFIX) for n in dump.notes), "the paste layer noted nothing"
    if cls == "elided":
        mark = next(i for i, line in enumerate(source.lines, 1) if line.strip() and line not in clean[0][0].lines)
        assert any(n.location.line == mark for n in dump.notes), f"the elision at line {mark} is not noted"
