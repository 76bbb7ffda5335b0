"""The paste layer, tested once for every parser: each shape undone, lines kept, notes recorded."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samples import Samples
from winrmlint.parsers import PARSERS, detect, dsregcmd, paste, winrm_config
from winrmlint.source import SourceText

CONFIG = """winrm get winrm/config
Config
    MaxEnvelopeSizekb = 500
    Client
        NetworkDelayms = 5000
        TrustedHosts
    Service
        AllowUnencrypted = false
"""


def prepared(text: str) -> paste.PastedText:
    return paste.prepare(SourceText.from_text("t.txt", text))


def lines(text: str) -> list[str]:
    return [line for line in prepared(text).lines if line.strip()]


CLEAN = lines(CONFIG)


@pytest.mark.parametrize(
    "prefix", ["> ", ">", "# ", "#", "// ", "REM ", "[*]   ", "[+] ", "    ", "\t", "> > "], ids=repr
)
def test_a_prefix_on_every_line_is_stripped(prefix: str) -> None:
    text = "".join(prefix + line + "\n" for line in CONFIG.splitlines())
    assert lines(text) == CLEAN
    assert [prepared(text).at(n).line for n in range(1, 9)] == list(range(1, 9))


def test_line_numbers_right_or_left_aligned_are_stripped() -> None:
    rows = CONFIG.splitlines()
    assert lines("".join(f"{n:>3} {line}\n" for n, line in enumerate(rows, 1))) == CLEAN
    assert lines("".join(f"{n}: {line}\n" for n, line in enumerate(rows, 9))) == CLEAN


def test_html_entities_markdown_backslashes_and_br() -> None:
    text = "PS C:\\\\Windows\\\\system32&gt; winrm get winrm/config<br>Config<br/>    MaxEnvelopeSizekb = 500"
    got = prepared(text)
    assert got.lines == ("PS C:\\Windows\\system32> winrm get winrm/config", "Config", "    MaxEnvelopeSizekb = 500")
    assert got.origin == (1, 1, 1)
    assert len(got.notes) == 3 and all(n.message.startswith(paste.NOTE_PREFIX) for n in got.notes)


def test_a_reg_file_keeps_its_doubled_backslashes() -> None:
    text = '[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n"Path"="C:\\\\Windows"\n'
    assert prepared(text).lines[1] == '"Path"="C:\\\\Windows"'


def test_double_spacing_is_undone_and_lines_keep_their_numbers() -> None:
    text = "\n\n".join(CONFIG.splitlines())
    got = prepared(text)
    assert [line for line in got.lines if line.strip()] == CLEAN
    assert got.at(3).line == 5


def test_annotations_read_the_same_everywhere() -> None:
    config = winrm_config.parse(SourceText.from_text("c.txt", CONFIG.replace("= 500", "= 150 --> wrong")))
    assert [r.value for r in config.readings if r.path.endswith("MaxEnvelopeSizekb")] == [150]
    state = dsregcmd.parse(SourceText.from_text("d.txt", "  AzureAdJoined : NO --> wrong\n   DomainJoined : YES  # ok\n"))
    assert [(r.value, r.valid) for r in state.readings][:2] == [(False, True), (True, True)]


def test_emphasis_fences_and_an_echo_repeated() -> None:
    text = "```console\n**PS C:\\> winrm get winrm/config**\nwinrm get winrm/config\nConfig\n    MaxEnvelopeSizekb = 500\n```\n"
    assert lines(text) == ["PS C:\\> winrm get winrm/config", "Config", "    MaxEnvelopeSizekb = 500"]


@pytest.mark.parametrize(
    "line", ["...", "…", "(...)", "[snip]", "⋮", "-- snip --", "(rest omitted)", "(остальное опущено)", "（以下省略）",
             "(Rest gekürzt)", "(reste omis)", "(생략)", "(其余省略)", "[...]"]
)
def test_elisions_in_every_form(line: str) -> None:
    assert paste.is_elision(line)


@pytest.mark.parametrize("line", ["(Default)", "()", "Config", "(none)", "Direct access (no proxy server)."])
def test_not_elisions(line: str) -> None:
    assert not paste.is_elision(line)


@pytest.mark.parametrize(
    "line", ["PS C:\\> x", "[PS] C:\\scripts> x", "C:\\Windows\\system32>   x", "c:> x", "$ x", "> x", "PS> x",
             "PS WSMan:\\localhost> x", "[app07]: PS C:\\Users> x", "admin@host:~$ x"]
)
def test_prompts_of_every_shell(line: str) -> None:
    assert paste.prompt_command(line) == "x"


# one line each: a `<br>`-flattened sample line is many lines, of which only the first would carry the quote
SAMPLE_LINES = sorted(
    {
        line
        for parser in PARSERS
        for line in Samples(parser).lines()
        if line.strip() and line.lstrip()[:1] not in "#>[/;R0123456789" and "<br" not in line.lower()
    }
)


@settings(max_examples=150, deadline=None)
@given(chosen=st.lists(st.sampled_from(SAMPLE_LINES), min_size=2, max_size=12), prefix=st.sampled_from(["> ", "[*] "]))
def test_property_a_quoted_block_reads_as_the_block(chosen: list[str], prefix: str) -> None:
    text = "\n".join(chosen)
    quoted = "\n".join(prefix + line for line in chosen)
    assert prepared(quoted).lines == prepared(text).lines


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300))
def test_property_every_line_points_into_the_file(text: str) -> None:
    got = prepared(text)
    count = len(SourceText.from_text("t.txt", text).lines)
    at = [got.at(n).line for n in range(1, len(got.lines) + 1)]
    assert got.origin == () or len(got.origin) == len(got.lines)
    assert all(1 <= n <= count for n in at)
    assert at == sorted(at)


@settings(max_examples=100, deadline=None)
@given(chosen=st.lists(st.sampled_from(SAMPLE_LINES), min_size=2, max_size=8))
def test_property_br_flattening_reads_as_the_lines(chosen: list[str]) -> None:
    if any("<br" in line.lower() or "&" in line for line in chosen):
        return
    assert prepared("<br>".join(chosen)).lines == prepared("\n".join(chosen)).lines


def test_a_transcript_of_two_formats_is_read_part_by_part() -> None:
    text = (
        "PS C:\\> winrm get winrm/config/client/auth\nAuth\n    Basic = true\n    Digest = true\n    Kerberos = true\n"
        "    Negotiate = true\n    Certificate = true\n    CredSSP = false\n\n"
        "PS C:\\> netsh winhttp show proxy\n\nCurrent WinHTTP proxy settings:\n\n    Direct access (no proxy server).\n\n"
    )
    reader = detect(SourceText.from_text("t.txt", text))
    assert reader is not None and reader.FORMAT == "transcript"
    dump = reader.parse(SourceText.from_text("t.txt", text))
    assert {r.origin for r in dump.readings} == {"winrm-config-text", "winhttp-proxy"}
    assert min(r.location.line for r in dump.readings if r.origin == "winhttp-proxy") == 14
