"""Properties of every parser on arbitrary and broken input (hypothesis), and of decoding.

The contract (parsers/__init__.py): `sniff` returns a score from 0 to 100, `parse` raises only
`ParseError`. Inputs are arbitrary text, and each parser's own samples truncated, reordered,
duplicated and interleaved with another format's, which reach deeper than random text does.
`fuzz/fuzz_parsers.py` runs the same contract for as long as one wants.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from winrmlint import engine, manifest, parsers
from winrmlint.model.values import ParseError
from winrmlint.source import DecodeError, SourceText

SAMPLES = FIXTURES / "samples"
ALL_SAMPLES = sorted(p for p in SAMPLES.rglob("*") if p.is_file())
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def module_name(parser: ModuleType) -> str:
    return parser.__name__.rsplit(".", 1)[1]


def samples_of(parser: ModuleType) -> list[Path]:
    return sorted((SAMPLES / module_name(parser)).glob("*"))


def decoded(path: Path) -> str | None:
    try:
        return SourceText.from_bytes(path.name, path.read_bytes()).text
    except DecodeError:
        return None


def holds_the_contract(parser: ModuleType, text: str) -> None:
    source = SourceText.from_text("input.txt", text)
    score = parser.sniff(source)
    assert isinstance(score, int) and 0 <= score <= 100, score
    try:
        dump = parser.parse(source)
    except ParseError as err:
        assert err.line >= 1
        return
    for reading in dump.readings:
        assert 1 <= reading.location.line <= max(1, len(source.lines)), reading


@pytest.mark.parametrize("parser", parsers.PARSERS, ids=module_name)
@QUICK
@given(text=st.text(max_size=600))
def test_arbitrary_text_raises_only_parse_error(parser: ModuleType, text: str) -> None:
    holds_the_contract(parser, text)


# Lines a dump is made of, to mix into arbitrary ones: what reaches past each parser's sniff.
_FRAGMENTS = sorted(
    {line for path in ALL_SAMPLES if (text := decoded(path)) for line in text.split("\n") if line.strip()}
)


@pytest.mark.parametrize("parser", parsers.PARSERS, ids=module_name)
@QUICK
@given(data=st.data())
def test_mutated_samples_raise_only_parse_error(parser: ModuleType, data: st.DataObject) -> None:
    own = [t for p in samples_of(parser) if (t := decoded(p)) is not None]
    lines = data.draw(st.sampled_from(own)).split("\n")
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["drop", "dup", "swap", "cut", "fragment", "noise", "truncate", "indent"]))
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines[i:i] = lines[i : i + data.draw(st.integers(1, 8))]
        elif op == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            lines[i] = lines[i][: data.draw(st.integers(0, len(lines[i])))]
        elif op == "fragment":
            lines.insert(i, data.draw(st.sampled_from(_FRAGMENTS)))
        elif op == "noise":
            lines.insert(i, data.draw(st.text(max_size=40)))
        elif op == "truncate":
            lines = lines[:i]
        else:
            lines[i] = " " * data.draw(st.integers(0, 12)) + lines[i].lstrip()
    holds_the_contract(parser, "\n".join(lines))


def _blocks(text: str) -> list[str]:
    """Sections as a paste shows them: runs of lines between blank lines."""
    return [b for b in text.split("\n\n") if b.strip()] or [text]


def structural_variants(text: str, other: str) -> dict[str, str]:
    """Truncated (at five points, mid-line), reordered, duplicated and interleaved versions."""
    variants = {f"truncated-{k}": text[: len(text) * k // 6] for k in range(1, 6)}
    blocks, others = _blocks(text), _blocks(other)
    lines = text.split("\n")
    variants["blocks-reversed"] = "\n\n".join(reversed(blocks))
    variants["lines-reversed"] = "\n".join(reversed(lines))
    variants["duplicated"] = text + "\n" + text
    variants["each-block-twice"] = "\n\n".join(b for block in blocks for b in (block, block))
    variants["interleaved"] = "\n\n".join(b for pair in itertools.zip_longest(blocks, others, fillvalue="") for b in pair)
    variants["interleaved-lines"] = "\n".join(
        l for pair in itertools.zip_longest(lines, other.split("\n"), fillvalue="") for l in pair
    )
    return variants


@pytest.mark.parametrize("parser", parsers.PARSERS, ids=module_name)
def test_every_parser_survives_its_samples_truncated_reordered_duplicated_and_interleaved(parser: ModuleType) -> None:
    """Deterministic, so that a failure names its sample and variant."""
    own = [(p.name, t) for p in samples_of(parser) if (t := decoded(p)) is not None]
    assert own, f"no samples for {module_name(parser)}"
    foreign = [t for p in ALL_SAMPLES if p.parent.name != module_name(parser) and (t := decoded(p))]
    for index, (name, text) in enumerate(own):
        for variant, mutated in structural_variants(text, foreign[index * 7 % len(foreign)]).items():
            try:
                holds_the_contract(parser, mutated)
            except AssertionError:
                raise
            except Exception as err:  # anything but ParseError breaks the contract
                raise AssertionError(f"{module_name(parser)}: {name} {variant}: {type(err).__name__}: {err}") from err
            _, _, error = engine.parse_file(SourceText.from_text(name, mutated))
            assert error is None or not str(error).startswith("internal error"), (name, variant, error)


@QUICK
@given(data=st.binary(max_size=2000))
def test_decoding_arbitrary_bytes_raises_only_decode_error(data: bytes) -> None:
    try:
        source = SourceText.from_bytes("input.bin", data)
    except DecodeError as err:
        assert err.line >= 1
        return
    assert "\x00" not in source.text
    source.text.encode("utf-8")  # no lone surrogate survives decoding


@QUICK
@given(text=st.text(max_size=400), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be"]))
def test_decoding_reads_back_what_windows_tools_write(text: str, encoding: str) -> None:
    """Text as Windows tools write it (no control characters; UTF-16 with its BOM) reads back whole.
    U+0A0D is left out: never assigned, it is the mark of 8-bit CR LF read as UTF-16."""
    text = "".join(c for c in text if (c >= " " or c in "\t\n") and c not in "\x7f\u0a0d" and not "\ud800" <= c <= "\udfff")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert SourceText.from_bytes("input.txt", data).text == text


@QUICK
@given(text=st.one_of(st.text(max_size=300), st.recursive(st.just("[]"), lambda inner: inner.map(lambda t: f"[{t}]"), max_leaves=5)))
def test_manifest_raises_only_parse_error(text: str) -> None:
    try:
        manifest.parse(SourceText.from_text("winrmlint.json", text))
    except ParseError:
        pass


def test_manifest_nested_past_the_stack_or_with_a_huge_number_is_a_parse_error() -> None:
    for text in ("[" * 100_000, '{"host": ' + "9" * 5000 + "}"):
        with pytest.raises(ParseError, match="nested too deeply or a number too long"):
            manifest.parse(SourceText.from_text("winrmlint.json", text))
