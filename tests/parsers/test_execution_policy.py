"""execution-policy parser: `Get-ExecutionPolicy -List` as a table or a list."""

from __future__ import annotations

import pytest

from samples import Samples, coverage_lines, notes, paste_notes
from winrmlint.model import paths
from winrmlint.model.values import ParsedDump, ParseError, Source
from winrmlint.parsers import execution_policy

SAMPLES = Samples(execution_policy)
load, parse = SAMPLES.load, SAMPLES.parse
GPO, LOCAL = Source.GPO, Source.LOCAL


def readings(dump: ParsedDump) -> list[tuple[str, object, int, Source, bool]]:
    """(scope, value, line, source, valid) of every reading, in order."""
    prefix = paths.EXECUTION_POLICY + "/"
    return [(r.path.removeprefix(prefix), r.value, r.location.line, r.source, r.valid) for r in dump.readings]


@pytest.mark.parametrize(
    ("name", "score"),
    [
        ("list_default_server.txt", 95),
        ("list_gpo_utf16.txt", 95),
        ("list_shifted_double_spaced.txt", 95),
        ("list_format_list.txt", 90),
        # a bare `Get-ExecutionPolicy` prints one word: too ambiguous to claim
        ("bare_get_executionpolicy.txt", 0),
    ],
)
def test_sniff(name: str, score: int) -> None:
    assert execution_policy.sniff(load(name)) == score


def test_default_server_table() -> None:
    dump = parse("list_default_server.txt")
    assert readings(dump) == [
        ("MachinePolicy", "Undefined", 5, GPO, True),
        ("UserPolicy", "Undefined", 6, GPO, True),
        ("Process", "Undefined", 7, LOCAL, True),
        ("CurrentUser", "Undefined", 8, LOCAL, True),
        ("LocalMachine", "RemoteSigned", 9, LOCAL, True),
    ]
    assert {r.origin for r in dump.readings} == {"execution-policy"}
    assert coverage_lines(dump) == {paths.EXECUTION_POLICY: 3}
    assert notes(dump) == []


def test_group_policy_table_utf16() -> None:
    source = load("list_gpo_utf16.txt")
    assert source.encoding == "utf-16-le"
    dump = execution_policy.parse(source)
    assert readings(dump) == [
        ("MachinePolicy", "AllSigned", 4, GPO, True),
        ("UserPolicy", "Undefined", 5, GPO, True),
        ("Process", "Undefined", 6, LOCAL, True),
        ("CurrentUser", "Unrestricted", 7, LOCAL, True),
        ("LocalMachine", "Restricted", 8, LOCAL, True),
    ]
    assert coverage_lines(dump) == {paths.EXECUTION_POLICY: 2}


def test_shifted_double_spaced_table_with_comment() -> None:
    dump = parse("list_shifted_double_spaced.txt")
    assert readings(dump) == [
        ("MachinePolicy", "Undefined", 7, GPO, True),
        ("UserPolicy", "Undefined", 9, GPO, True),
        ("Process", "Bypass", 11, LOCAL, True),
        ("CurrentUser", "Undefined", 13, LOCAL, True),
        ("LocalMachine", "AllSigned", 15, LOCAL, True),
    ]
    assert [r.raw for r in dump.readings][2] == "Bypass"
    assert coverage_lines(dump) == {paths.EXECUTION_POLICY: 3}
    # the markdown fences around the paste are the paste layer's, and noted there
    assert notes(dump) == []
    assert (1, "2 Markdown code fence line(s) ignored") in paste_notes(dump)


def test_format_list_records() -> None:
    dump = parse("list_format_list.txt")
    assert readings(dump) == [
        ("MachinePolicy", "Undefined", 4, GPO, True),
        ("UserPolicy", "Undefined", 7, GPO, True),
        ("Process", "Undefined", 10, LOCAL, True),
        ("CurrentUser", "RemoteSigned", 13, LOCAL, True),
        ("LocalMachine", "Restricted", 16, LOCAL, True),
    ]
    assert coverage_lines(dump) == {paths.EXECUTION_POLICY: 3}


def test_cut_table_has_no_coverage() -> None:
    dump = parse("list_cut.txt")
    assert readings(dump) == [("MachinePolicy", "Undefined", 3, GPO, True), ("UserPolicy", "Undefined", 4, GPO, True)]
    assert coverage_lines(dump) == {}
    assert notes(dump) == [(4, "execution policy list cut short: no Process, CurrentUser, LocalMachine")]


def test_malformed_values_and_scopes() -> None:
    dump = parse("list_malformed.txt")
    assert readings(dump)[0] == ("MachinePolicy", "Sometimes", 3, GPO, False)
    # an unknown scope is kept, with a note
    assert readings(dump)[-1] == ("SystemWide", "Undefined", 8, LOCAL, True)
    assert notes(dump) == [
        (8, "unknown execution policy scope `SystemWide` kept"),
        (9, "line not understood, skipped: `this was not printed by PowerShell`"),
    ]
    assert coverage_lines(dump) == {paths.EXECUTION_POLICY: 1}


def test_bare_policy_word_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as error:
        parse("bare_get_executionpolicy.txt")
    assert error.value.line == 1
