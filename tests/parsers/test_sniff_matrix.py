"""Every sample against every format: a sample is recognised as its own format and no other, and a
sample a format rejects is not read as it (formats.Format.samples)."""

from __future__ import annotations

import pytest

from samples import SAMPLES
from winrmlint import parsers
from winrmlint.parsers import FORMATS, TRANSCRIPT, detect, scores
from winrmlint.parsers.formats import Format
from winrmlint.source import SourceText

CASES = [
    (fmt, path.name, path.name not in fmt.samples.rejected)
    for fmt in FORMATS
    for path in sorted((SAMPLES / fmt.samples.folder).iterdir())
]


def _read_as(source: SourceText) -> set[str]:
    """The formats the file is read as: one, or each part's of a transcript."""
    reader = detect(source)
    if reader is None:
        return set()
    if reader.FORMAT != TRANSCRIPT:
        return {reader.FORMAT}
    reader.parse(source)
    # each part's format (setspn's facts are SPNs, not readings)
    return {part.parser.FORMAT for part in reader.parts if part.parser is not None}


@pytest.mark.parametrize(("fmt", "name", "mine"), CASES, ids=[f"{f.samples.folder}/{n}" for f, n, _ in CASES])
def test_each_sample_is_read_as_its_format_only(fmt: Format, name: str, mine: bool) -> None:
    source = SourceText.from_bytes(f"{fmt.samples.folder}/{name}", (SAMPLES / fmt.samples.folder / name).read_bytes())
    formats = _read_as(source)
    if mine:
        assert fmt.name in formats
        # no other format scores it as high: a new format cannot steal it
        others = {other: score for other, score in scores(source).items() if other != fmt.name}
        if formats == {fmt.name}:
            assert all(score < scores(source)[fmt.name] for score in others.values()) or not scores(source)
    else:
        assert fmt.name not in formats


def test_every_sample_folder_is_declared() -> None:
    declared = {f.samples.folder for f in FORMATS}
    assert {p.name for p in SAMPLES.iterdir() if p.is_dir()} == declared


def test_anchors_are_lower_case_and_every_format_has_some() -> None:
    for fmt in FORMATS:
        assert fmt.anchors and all(a == a.lower() for a in fmt.anchors), fmt.name
        assert fmt.command_words and all(w == w.lower() for w in fmt.command_words), fmt.name


def test_only_candidates_are_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Detection is one anchor scan, then the candidates only: a dsregcmd dump asks no registry parser."""
    asked: list[str] = []
    for parser in parsers.PARSERS:
        original = parser.sniff
        monkeypatch.setattr(parser, "sniff", lambda s, p=parser, o=original: asked.append(p.FORMAT) or o(s))
    source = SourceText.from_bytes("x", (SAMPLES / "dsregcmd").joinpath(sorted(p.name for p in (SAMPLES / "dsregcmd").iterdir())[0]).read_bytes())
    assert detect(source) is parsers.dsregcmd
    assert "registry-export" not in asked and "reg-query" not in asked and len(asked) < len(parsers.PARSERS)


def test_a_self_describing_file_is_its_command_format() -> None:
    source = SourceText.from_text("x.txt", "Get-ExecutionPolicy\r\nRemoteSigned\r\n")
    assert detect(source) is parsers.execution_policy
