"""winhttp-proxy parser: `netsh winhttp show proxy` (and the settings `set proxy` echoes)."""

from __future__ import annotations

import pytest

from samples import Samples, coverage_lines, notes
from winrmlint.model import paths
from winrmlint.model.values import ParsedDump, ParseError, Source
from winrmlint.parsers import winhttp_proxy
from winrmlint.source import SourceText

SAMPLES = Samples(winhttp_proxy)
load, parse = SAMPLES.load, SAMPLES.parse


def readings(dump: ParsedDump) -> list[tuple[str, object, int, str]]:
    """(path, value, line, raw) of every reading, in order."""
    return [(r.path, r.value, r.location.line, r.raw) for r in dump.readings]


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
    assert coverage_lines(dump) == {"winhttp": 3}
    assert notes(dump) == []


def test_proxy_with_bypass_list() -> None:
    dump = parse("proxy_with_bypass.txt")
    assert readings(dump) == [
        (paths.WINHTTP_PROXY, "proxy.corp.example.com:8080", 5, "proxy.corp.example.com:8080"),
        (paths.WINHTTP_BYPASS, "<local>;*.corp.example.com;10.*", 6, "<local>;*.corp.example.com;10.*"),
    ]
    assert coverage_lines(dump) == {"winhttp": 3}


def test_per_scheme_proxy_and_no_bypass_list_utf16() -> None:
    source = load("proxy_no_bypass_utf16.txt")
    assert source.encoding == "utf-16-le"
    dump = winhttp_proxy.parse(source)
    assert readings(dump) == [
        (paths.WINHTTP_PROXY, "http=10.1.1.5:3128;https=10.1.1.5:3128", 4, "http=10.1.1.5:3128;https=10.1.1.5:3128"),
        (paths.WINHTTP_BYPASS, "", 5, "(none)"),
    ]
    assert coverage_lines(dump) == {"winhttp": 2}


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
    assert coverage_lines(dump) == {"winhttp": 1}


def test_german_direct_access() -> None:
    dump = parse("german_direct.txt")
    assert [(path, value, line) for path, value, line, _ in readings(dump)] == [
        (paths.WINHTTP_PROXY, "", 3),
        (paths.WINHTTP_BYPASS, "", 3),
    ]
    assert coverage_lines(dump) == {"winhttp": 1}


def test_cut_before_bypass_list_has_no_coverage() -> None:
    dump = parse("cut_before_bypass.txt")
    assert readings(dump) == [(paths.WINHTTP_PROXY, "proxy.corp.example.com:8080", 3, "proxy.corp.example.com:8080")]
    assert coverage_lines(dump) == {}
    assert notes(dump) == [(3, "WinHTTP proxy settings cut short")]


def test_double_spaced_paste_with_elision() -> None:
    dump = parse("qa_double_spaced.txt")
    assert readings(dump) == [
        (paths.WINHTTP_PROXY, "172.16.4.20:8080", 5, "172.16.4.20:8080"),
        (paths.WINHTTP_BYPASS, "*.internal;<local>", 7, "*.internal;<local>"),
    ]
    assert coverage_lines(dump) == {"winhttp": 1}
    assert notes(dump) == [(3, "elision skipped: [...]")]


def test_error_instead_of_settings_is_noted() -> None:
    dump = parse("garbage.txt")
    assert dump.readings == [] and coverage_lines(dump) == {}
    assert notes(dump) == [
        (3, "line not understood, skipped: `Error writing proxy settings. (5) Access is denied.`"),
        (1, "WinHTTP proxy settings cut short"),
    ]


def test_unrelated_text_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as error:
        parse("not_winhttp.txt")
    assert error.value.line == 1
