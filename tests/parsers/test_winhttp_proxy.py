"""winhttp-proxy parser: `netsh winhttp show proxy` (and the settings `set proxy` echoes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from winrmlint.model import paths
from winrmlint.model.values import ParsedDump, ParseError, Source
from winrmlint.parsers import winhttp_proxy
from winrmlint.source import SourceText

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "samples" / "winhttp_proxy"


def load(name: str) -> SourceText:
    return SourceText.from_bytes(name, (SAMPLES / name).read_bytes())


def parse(name: str) -> ParsedDump:
    return winhttp_proxy.parse(load(name))


def readings(dump: ParsedDump) -> list[tuple[str, object, int, str]]:
    """(path, value, line, raw) of every reading, in order."""
    return [(r.path, r.value, r.location.line, r.raw) for r in dump.readings]


def coverage(dump: ParsedDump) -> dict[str, int]:
    return {prefix: location.line for prefix, location in dump.coverage.items()}


def notes(dump: ParsedDump) -> list[tuple[int, str]]:
    return [(note.location.line, note.message) for note in dump.notes]


@pytest.mark.parametrize(
    ("name", "score"),
    [
        ("direct_access.txt", 95),
        ("proxy_with_bypass.txt", 95),
        ("proxy_no_bypass_utf16.txt", 95),
        ("german.txt", 95),
        ("cut_before_bypass.txt", 95),
        ("qa_double_spaced.txt", 95),
        ("not_winhttp.txt", 0),
    ],
)
def test_sniff(name: str, score: int) -> None:
    assert winhttp_proxy.sniff(load(name)) == score


def test_sniff_wants_netsh_output_under_the_title() -> None:
    prose = SourceText.from_text("notes.txt", "Notes about WinHTTP:\nwe go through the proxy since May\n")
    assert winhttp_proxy.sniff(prose) == 0


def test_sniff_without_title_needs_the_english_labels() -> None:
    english = SourceText.from_text("p.txt", "    Proxy Server(s) :  proxy:8080\n    Bypass List     :  (none)\n")
    other = SourceText.from_text("o.txt", "    Server :  proxy:8080\n")
    assert winhttp_proxy.sniff(english) == 90
    assert winhttp_proxy.sniff(other) == 0


def test_direct_access() -> None:
    dump = parse("direct_access.txt")
    sentence = "Direct access (no proxy server)."
    assert readings(dump) == [
        (paths.WINHTTP_PROXY, "", 5, sentence),
        (paths.WINHTTP_BYPASS, "", 5, sentence),
    ]
    assert {(r.source, r.valid, r.origin) for r in dump.readings} == {(Source.LOCAL, True, "winhttp-proxy")}
    assert coverage(dump) == {"winhttp": 3}
    assert notes(dump) == []


def test_proxy_with_bypass_list() -> None:
    dump = parse("proxy_with_bypass.txt")
    assert readings(dump) == [
        (paths.WINHTTP_PROXY, "proxy.corp.example.com:8080", 5, "proxy.corp.example.com:8080"),
        (paths.WINHTTP_BYPASS, "<local>;*.corp.example.com;10.*", 6, "<local>;*.corp.example.com;10.*"),
    ]
    assert coverage(dump) == {"winhttp": 3}


def test_per_scheme_proxy_and_no_bypass_list_utf16() -> None:
    source = load("proxy_no_bypass_utf16.txt")
    assert source.encoding == "utf-16-le"
    dump = winhttp_proxy.parse(source)
    assert readings(dump) == [
        (paths.WINHTTP_PROXY, "http=10.1.1.5:3128;https=10.1.1.5:3128", 4, "http=10.1.1.5:3128;https=10.1.1.5:3128"),
        (paths.WINHTTP_BYPASS, "", 5, "(none)"),
    ]
    assert coverage(dump) == {"winhttp": 2}


def test_set_proxy_echo_with_trailing_comment() -> None:
    dump = parse("set_proxy_echo.txt")
    assert readings(dump) == [
        (paths.WINHTTP_PROXY, "squid01:3128", 5, "squid01:3128"),
        (paths.WINHTTP_BYPASS, "<local>", 6, "<local>"),
    ]


def test_german_output_read_by_position() -> None:
    source = load("german.txt")
    assert source.encoding == "utf-8-sig"
    dump = winhttp_proxy.parse(source)
    assert readings(dump) == [
        (paths.WINHTTP_PROXY, "proxy.beispiel.de:3128", 3, "proxy.beispiel.de:3128"),
        (paths.WINHTTP_BYPASS, "", 4, "(keine)"),
    ]
    assert coverage(dump) == {"winhttp": 1}


def test_german_direct_access() -> None:
    dump = parse("german_direct.txt")
    assert [(path, value, line) for path, value, line, _ in readings(dump)] == [
        (paths.WINHTTP_PROXY, "", 3),
        (paths.WINHTTP_BYPASS, "", 3),
    ]
    assert coverage(dump) == {"winhttp": 1}


def test_cut_before_bypass_list_has_no_coverage() -> None:
    dump = parse("cut_before_bypass.txt")
    assert readings(dump) == [(paths.WINHTTP_PROXY, "proxy.corp.example.com:8080", 3, "proxy.corp.example.com:8080")]
    assert coverage(dump) == {}
    assert notes(dump) == [(3, "WinHTTP proxy settings cut short")]


def test_double_spaced_paste_with_elision() -> None:
    dump = parse("qa_double_spaced.txt")
    assert readings(dump) == [
        (paths.WINHTTP_PROXY, "172.16.4.20:8080", 5, "172.16.4.20:8080"),
        (paths.WINHTTP_BYPASS, "*.internal;<local>", 7, "*.internal;<local>"),
    ]
    assert coverage(dump) == {"winhttp": 1}
    assert notes(dump) == [(3, "elision skipped: [...]")]


def test_error_instead_of_settings_is_noted() -> None:
    dump = parse("garbage.txt")
    assert dump.readings == [] and coverage(dump) == {}
    assert notes(dump) == [
        (3, "unrecognised line skipped: Error writing proxy settings. (5) Access is denied."),
        (1, "WinHTTP proxy settings cut short"),
    ]


def test_unrelated_text_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as error:
        parse("not_winhttp.txt")
    assert error.value.line == 1


def _fixture_lines() -> list[str]:
    return [line for path in sorted(SAMPLES.iterdir()) for line in load(path.name).lines]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_fixture_lines()) | st.text(max_size=60), max_size=30))
def test_parse_raises_only_parse_error_and_sniff_never_raises(lines: list[str]) -> None:
    source = SourceText.from_text("fuzz.txt", "\n".join(lines))
    assert 0 <= winhttp_proxy.sniff(source) <= 100
    try:
        dump = winhttp_proxy.parse(source)
    except ParseError as error:
        assert error.line >= 1
    else:
        assert all(1 <= r.location.line <= len(source.lines) for r in dump.readings)
