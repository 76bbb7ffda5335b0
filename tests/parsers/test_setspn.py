"""setspn parser: -Q, -L, -S/-A/-D, -X -F, localised output and hand-edited pastes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samples import Samples, assert_parser_contract, notes, sample
from winrmlint.model.values import ParsedDump, ParseError
from winrmlint.parsers import detect, setspn
from winrmlint.source import SourceText

SAMPLES = Samples(setspn)
load, parse = SAMPLES.load, SAMPLES.parse
IIS = "CN=svc-iis-web,OU=Service Accounts,OU=Tier1,DC=corp,DC=contoso,DC=com"
WEB01 = "CN=WEB01,OU=Web,OU=Servers,DC=corp,DC=contoso,DC=com"
WEB04 = "CN=WEB04,OU=Web,OU=Servers,DC=corp,DC=contoso,DC=com"
SMITH = "CN=Smith\\, John,OU=Admins,DC=corp,DC=contoso,DC=com"
SQL = "MSSQLSvc/sql02.corp.contoso.com:1433"


def spns(dump: ParsedDump) -> list[tuple[int, str, str]]:
    return [(e.location.line, e.spn, e.account) for e in dump.spns]


def queries(dump: ParsedDump) -> list[tuple[int, str, bool]]:
    return [(q.location.line, q.spn, q.found) for q in dump.spn_queries]


@pytest.mark.parametrize(
    ("name", "score"),
    [
        ("query_cmd_crlf.txt", 95),
        ("list_register_ps.txt", 95),
        ("localised_ru.txt", 95),
        ("markdown_paste.txt", 95),
        # no command echoed: the "Checking forest" line and the -X group headers tell it
        ("duplicates_forest.txt", 90),
    ],
)
def test_sniff(name: str, score: int) -> None:
    source = load(name)
    assert setspn.sniff(source) == score
    assert detect(source) is setspn


def test_queries_found_and_not_found_crlf() -> None:
    dump = parse("query_cmd_crlf.txt")
    # the SPN comes from the echoed command line, as typed (rules compare case-insensitively)
    assert queries(dump) == [
        (4, "http/web01.corp.contoso.com", True),
        (13, "WSMAN/web01.corp.contoso.com", True),
        (27, "HTTP/web01.corp.contoso.com:5985", False),
    ]
    # -Q lists every SPN of each account holding the match
    assert spns(dump) == [
        (7, "HTTP/web01.corp.contoso.com", IIS),
        (8, "HTTP/web01", IIS),
        (9, "HTTP/intranet.corp.contoso.com", IIS),
        (16, "WSMAN/web01.corp.contoso.com", WEB01),
        (17, "WSMAN/WEB01", WEB01),
        (18, "TERMSRV/web01.corp.contoso.com", WEB01),
        (19, "TERMSRV/WEB01", WEB01),
        (20, "RestrictedKrbHost/WEB01", WEB01),
        (21, "HOST/WEB01", WEB01),
        (22, "RestrictedKrbHost/web01.corp.contoso.com", WEB01),
        (23, "HOST/web01.corp.contoso.com", WEB01),
    ]
    # the cmd.exe banner is passed over, with a note each
    assert [line for line, _ in notes(dump)] == [1, 2]
    assert dump.readings == [] and dump.coverage == {}


def test_list_register_and_refusals() -> None:
    dump = parse("list_register_ps.txt")
    assert spns(dump) == [
        # -L: the account's SPNs
        (3, "WSMAN/web04.corp.contoso.com", WEB04),
        (4, "WSMAN/WEB04", WEB04),
        (5, "TERMSRV/web04.corp.contoso.com", WEB04),
        (6, "RestrictedKrbHost/WEB04", WEB04),
        (7, "HOST/WEB04", WEB04),
        (8, "HOST/web04.corp.contoso.com", WEB04),
        # -S confirmed by `Updated object`; an SPN with a port
        (13, "HTTP/web04.corp.contoso.com:5985", WEB04),
        # -S refused as a duplicate: the account shown is the one already holding it
        (18, "HTTP/web01.corp.contoso.com", IIS),
        (19, "HTTP/web01", IIS),
        # -L of a user whose DN escapes a comma; a named SQL instance where the port goes
        (32, "HTTP/jsmith-lab.corp.contoso.com", SMITH),
        (33, "MSSQLSvc/sql02.corp.contoso.com:1433", SMITH),
        (34, "MSSQLSvc/sql02.corp.contoso.com:REPORTING", SMITH),
    ]
    # -A that failed records nothing; -D removes (HTTP/web04 at line 28 is not a registration);
    # the output of `Get-Date` between commands is not read
    assert notes(dump) == [
        (25, "registration of HTTP/web05.corp.contoso.com on "
             "`CN=WEB05,OU=Web,OU=Servers,DC=corp,DC=contoso,DC=com` failed: not recorded"),
    ]
    assert dump.spn_queries == []


def test_duplicates_forest() -> None:
    dump = parse("duplicates_forest.txt")
    assert spns(dump) == [
        (7, "HTTP/web01.corp.contoso.com", WEB01),
        (8, "HTTP/web01.corp.contoso.com", IIS),
        (11, "http/WEB01", IIS),
        (12, "http/WEB01", SMITH),
        (15, SQL, "CN=SQL02,OU=Data,OU=Servers,DC=corp,DC=contoso,DC=com"),
        (16, SQL, "CN=svc-sql,OU=Service Accounts,OU=Tier1,DC=corp,DC=contoso,DC=com"),
    ]
    # "found 3 group…" matches what the paste shows: nothing to say
    assert notes(dump) == []


def test_duplicate_count_disagreeing_with_paste_is_noted() -> None:
    lines = load("duplicates_forest.txt").lines
    # drop the second group (lines 10-13): setspn still says 3, on what is now line 14
    cut = SourceText("cut.txt", lines[:9] + lines[13:], "utf-8")
    dump = setspn.parse(cut)
    assert [e.spn for e in dump.spns] == ["HTTP/web01.corp.contoso.com"] * 2 + [SQL] * 2
    assert notes(dump) == [(14, "setspn reports 3 duplicate group(s), the paste shows 2")]


def test_localised_russian_utf16() -> None:
    source = load("localised_ru.txt")
    assert source.encoding == "utf-16-le"
    dump = setspn.parse(source)
    app07 = "CN=APP07,OU=Серверы,DC=corp,DC=contoso,DC=com"
    svc = "CN=svc-app07,OU=Служебные,DC=corp,DC=contoso,DC=com"
    # verdicts read from the table (strings/setspn.py): Найдено существующее SPN. / Такое SPN не найдено.
    assert queries(dump) == [
        (1, "HTTP/app07.corp.contoso.com", True),
        (8, "WSMAN/app07.corp.contoso.com", False),
    ]
    assert spns(dump) == [
        (4, "HTTP/app07.corp.contoso.com", svc),
        (5, "HTTP/app07", svc),
        (14, "WSMAN/app07.corp.contoso.com", app07),
        (15, "WSMAN/APP07", app07),
        (16, "HOST/APP07", app07),
        (17, "HOST/app07.corp.contoso.com", app07),
        # a -X group whose header is Russian: the SPN first, then the accounts
        (22, "HTTP/app07", svc),
        (23, "HTTP/app07", app07),
    ]
    # `Обработка записи 0` and the group count (1, as shown) are in the table: nothing left unread
    assert notes(dump) == []


def test_markdown_paste_with_placeholders_comments_and_cut_end() -> None:
    source = load("markdown_paste.txt")
    assert source.lines[-1].strip() == "Checking domain DC=corp,DC=contoso,DC=com"  # no final newline
    dump = setspn.parse(source)
    web09 = "CN=WEB09,OU=Web,OU=Servers,DC=corp,DC=contoso,DC=com"
    # shifted 4 spaces, a blank line after each line, trailing comments stripped
    assert spns(dump) == [
        (11, "HTTP/web09.corp.contoso.com", web09),
        (13, "HTTP/web09:8080", web09),
        (21, "HOST/web09.corp.contoso.com", web09),
    ]
    assert dump.spn_queries == []
    assert notes(dump) == [
        (1, "`setspn -Q` without a real SPN: its result cannot be recorded as a query"),
        (5, "`No such SPN found.` for a query whose SPN the paste does not show: not recorded"),
        (15, "malformed SPN `HTTP/` skipped"),
        (17, "placeholder SPN `HTTP/<servername>` skipped"),
        (19, "elision `[snip]` skipped: the SPNs it stands for are not known"),
        (25, "placeholder account `CN=<servername>,CN=Computers,DC=contoso,DC=com` skipped, "
             "with the SPNs listed under it"),
        (27, "placeholder SPN `WSMAN/<servername>` skipped"),
        (29, "`setspn -Q HTTP/web09.corp.contoso.com` output ends before its result: query not recorded"),
    ]


def test_registration_without_confirmation_is_not_a_fact() -> None:
    lines = load("list_register_ps.txt").lines
    # the -S block cut right after its SPN line: `Updated object` never came
    cut = SourceText("cut.txt", lines[8:13], "utf-8")
    dump = setspn.parse(cut)
    assert dump.spns == []
    assert notes(dump) == [
        (5, f"registration of HTTP/web04.corp.contoso.com:5985 on `{WEB04}` not confirmed "
            "(no `Updated object`): not recorded"),
    ]


@pytest.mark.parametrize(
    ("folder", "name", "line"),
    [
        # another tool's output: no setspn structure at all
        ("dsregcmd", "entra_only_full.txt", 2),
        ("session_configs", "fl_star_filtered.txt", 1),
    ],
)
def test_other_formats_are_refused_with_a_line(folder: str, name: str, line: int) -> None:
    with pytest.raises(ParseError) as err:
        setspn.parse(sample(folder, name))
    assert err.value.line == line


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.text(max_size=60),
    st.sampled_from(["setspn -Q HTTP/a", "Checking domain DC=a", "CN=a,DC=b", "\tHTTP/a", "HTTP/a is x:",
                     "Registering ServicePrincipalNames for CN=x", "Updated object", "No such SPN found.",
                     "found 2 group of duplicate SPNs.", "PS C:\\> dir", "[snip]", "\tHTTP/<x>"]),
), max_size=30))
def test_arbitrary_text_raises_only_parse_error(lines: list[str]) -> None:
    assert_parser_contract(setspn, SourceText.from_text("fuzz.txt", "\n".join(lines)))
