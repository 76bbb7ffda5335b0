"""Localised Windows output (issue 11): the per-format string tables, the localised samples written
by us from the tables' real strings (in the code pages cmd.exe writes), and the refusal, as WRM001,
of a file whose structure is a format's but whose language the table does not know."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from samples import SAMPLES, coverage_lines, notes, sample
from winrmlint import engine
from winrmlint.model import paths
from winrmlint.model.values import ParseError, Source
from winrmlint.parsers import (
    FORMATS, detect, dsregcmd, firewall, firewall_profile, reg_query, service_state, setspn, winhttp_proxy,
)
from winrmlint.parsers.strings import LANGUAGES, Phrase, Table

TABLES = {fmt.name: fmt.strings for fmt in FORMATS if fmt.strings is not None}
PHRASES = [(name, phrase) for name, table in TABLES.items() for phrase in table.phrases + table.borrowed]
# what each placeholder is filled with to try a phrase on itself
EXAMPLES = {"dn": "CN=WEB01,OU=Servers,DC=corp,DC=com", "dc": "DC=corp,DC=com", "n": "2", "spn": "HTTP/web01", "any": "x"}


def _example(phrase: Phrase) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: EXAMPLES[m.group(1)], phrase.text)


def test_the_localised_formats_declare_their_tables() -> None:
    assert set(TABLES) == {"setspn", "winhttp-proxy", "reg-query", "service-state", "firewall-rules", "dsregcmd-status",
                           "firewall-profile"}
    for parser in (setspn, winhttp_proxy, reg_query, service_state, firewall, dsregcmd, firewall_profile):
        assert parser.DECLARATION.strings is not None and parser.DECLARATION.strings.phrases


@pytest.mark.parametrize(("table", "phrase"), PHRASES, ids=[f"{t}:{p.key}:{p.language}:{p.text[:24]}" for t, p in PHRASES])
def test_each_string_has_a_source_and_reads_as_itself(table: str, phrase: Phrase) -> None:
    """Every string of every table names where it was read, and a line holding it (with sample
    values in its variable parts) is read as its key, and as no other key, in any case."""
    assert phrase.language in LANGUAGES
    assert len(phrase.source) > 10
    strings = TABLES[table]
    for text in (_example(phrase), _example(phrase).upper(), f"  {_example(phrase)}  "):
        found = strings.find(text, *strings.keys())
        assert found is not None and found.key == phrase.key, text


def test_each_table_covers_several_languages_and_says_which_strings_are_unverified() -> None:
    every = ("en", "de", "fr", "es", "it", "pt-BR", "ru", "ja", "ko", "zh-CN", "zh-TW")
    assert {name: table.languages for name, table in TABLES.items()} == {
        "setspn": every,  # all from Windows' language-pack resources, and several also from published output
        "winhttp-proxy": every,
        "reg-query": every,
        "service-state": every,
        "firewall-rules": every,
        "firewall-profile": every,  # authfwcfg.dll's and netsh.exe's resources, as firewall-rules' are
        "dsregcmd-status": ("en",),  # English on every Windows: its sources say so
    }
    unverified = {(name, p.language, p.text) for name, p in PHRASES if not p.verified}
    # strings no published source showed are marked, not passed off as real
    assert ("setspn", "ru", "Обнаружено существующее имя SPN!") in unverified  # Windows says Найдено существующее SPN.
    assert ("service-state", "de", "DIENSTNAME") in unverified  # Windows' German sc prints SERVICE_NAME
    assert all(p.verified for name, p in PHRASES if name == "reg-query")


def test_matching_is_loose_on_spacing_and_punctuation_only() -> None:
    table = TABLES["winhttp-proxy"]
    assert table.says("直接访问（没有代理服务器）", "direct")  # full-width parentheses, no final 。
    assert table.says("Direct access  (no proxy server)", "direct")
    assert not table.says("Direct access (proxy server)", "direct")
    assert not table.says("Direct access (no proxy server). And more", "direct")


def test_a_long_line_is_nobodys_message() -> None:
    # a lazy placeholder on a megabyte line would cost quadratic time: such lines are not looked up
    line = "Registered ServicePrincipalNames for CN=" + " " * 1_000_000
    assert TABLES["setspn"].find(line, "registered") is None


def test_a_table_without_the_key_asked_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        Table("x", (Phrase("a", "en", "A", "here"),)).find("A", "b")


# --- samples: the facts read out of each -----------------------------------------------------------


def test_setspn_list_japanese_cp932() -> None:
    source = sample("setspn", "list_ja_cp932.txt")
    assert source.encoding == "cp932"
    dump = setspn.parse(source)
    web01 = "CN=WEB01,OU=サーバー,DC=corp,DC=contoso,DC=com"
    assert [(e.spn, e.account, e.location.line) for e in dump.spns][:2] == [
        ("WSMAN/web01.corp.contoso.com", web01, 3),
        ("WSMAN/WEB01", web01, 4),
    ]
    assert len(dump.spns) == 8 and {e.account for e in dump.spns} == {web01}
    assert notes(dump) == []


def test_setspn_register_and_query_simplified_chinese_cp936() -> None:
    """`为 <DN> 注册 ServicePrincipalNames` puts the DN in the middle: the table's template says where."""
    source = sample("setspn", "register_zh_cp936.txt")
    assert source.encoding == "cp936"
    dump = setspn.parse(source)
    svc = "CN=svc-应用,OU=服务帐户,DC=corp,DC=contoso,DC=com"
    app02 = "CN=APP02,OU=服务器,DC=corp,DC=contoso,DC=com"
    assert [(e.spn, e.account, e.location.line) for e in dump.spns] == [
        ("HTTP/app02.corp.contoso.com", svc, 5),  # confirmed by 更新的对象
        ("WSMAN/app02.corp.contoso.com", app02, 11),
        ("WSMAN/APP02", app02, 12),
    ]
    assert [(q.spn, q.found, q.location.line) for q in dump.spn_queries] == [("WSMAN/app02.corp.contoso.com", True, 8)]
    assert notes(dump) == []


def test_winhttp_direct_access_japanese_cp932() -> None:
    source = sample("winhttp_proxy", "direct_ja_cp932.txt")
    assert source.encoding == "cp932"
    dump = winhttp_proxy.parse(source)
    # `直接アクセス (プロキシ サーバーなし)。` ends with an ideographic full stop
    assert [(r.path, r.value, r.location.line) for r in dump.readings] == [
        (paths.WINHTTP_PROXY, "", 5),
        (paths.WINHTTP_BYPASS, "", 5),
    ]
    assert coverage_lines(dump) == {"winhttp": 3}


def test_winhttp_proxy_simplified_chinese_cp936() -> None:
    dump = winhttp_proxy.parse(sample("winhttp_proxy", "proxy_zh_cp936.txt"))
    assert [(r.path, r.value, r.location.line) for r in dump.readings] == [
        (paths.WINHTTP_PROXY, "proxy.corp.contoso.com:8080", 5),
        (paths.WINHTTP_BYPASS, "<local>;*.corp.contoso.com", 6),
    ]
    assert coverage_lines(dump) == {"winhttp": 3}


def test_winhttp_russian_sentence_pasted_without_its_title_cp866() -> None:
    source = sample("winhttp_proxy", "direct_ru_cp866.txt")
    assert source.encoding == "cp866"
    dump = winhttp_proxy.parse(source)
    assert [(r.path, r.value, r.raw) for r in dump.readings] == [
        (paths.WINHTTP_PROXY, "", "Прямой доступ (без прокси-сервера)."),
        (paths.WINHTTP_BYPASS, "", "Прямой доступ (без прокси-сервера)."),
    ]
    assert coverage_lines(dump) == {"winhttp": 3}


LATFP = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\LocalAccountTokenFilterPolicy"


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("latfp_absent_fr_cp850.txt", "cp850"), ("latfp_absent_ps_zh_utf16.txt", "utf-16-le")],
)
def test_reg_query_absent_value_in_french_and_in_chinese_powershell(name: str, encoding: str) -> None:
    """The README's `reg query … /v LocalAccountTokenFilterPolicy` on the commonest host: absent, so
    its default applies, whether reg says so in French (cmd.exe) or in Chinese wrapped by PowerShell."""
    source = sample("reg_query", name)
    assert source.encoding == encoding
    dump = reg_query.parse(source)
    assert dump.readings == [] and coverage_lines(dump) == {LATFP: 2}


def test_reg_query_russian_value_present_and_policy_absent_cp866() -> None:
    dump = reg_query.parse(sample("reg_query", "winrm_ru_cp866.txt"))
    assert [(r.path, r.value, r.location.line) for r in dump.readings] == [("services/WinRM/StartType", "Automatic", 4)]
    assert coverage_lines(dump) == {r"HKLM\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service\AllowBasic": 8}


def test_sc_query_russian_labels_cp866() -> None:
    """Russian sc labels are not upper case (`Имя_службы`, `Состояние`): the table says what they are."""
    source = sample("service_state", "sc_query_ru_cp866.txt")
    assert source.encoding == "cp866"
    dump = service_state.parse(source)
    read = {r.path: (r.value, r.location.line) for r in dump.readings}
    assert read["services/WinRM/Status"] == ("Running", 5)
    assert read["services/WinRM/TYPE"] == ("20  WIN32_SHARE_PROCESS", 4)
    assert read["services/WinRM/WAIT_HINT"] == ("0x0", 10)
    assert notes(dump) == []


def test_sc_qc_and_query_spanish() -> None:
    dump = service_state.parse(sample("service_state", "sc_qc_query_es.txt"))
    read = {r.path: (r.value, r.location.line) for r in dump.readings}
    assert read["services/WinRM/StartType"] == ("AutomaticDelayed", 6)
    assert read["services/WinRM/Status"] == ("Stopped", 13)
    # a label the table lacks is kept as printed
    assert read["services/WinRM/NOMBRE_INICIO_SERVICIO"] == ("NT AUTHORITY\\NetworkService", 7)


@pytest.mark.parametrize(
    ("name", "rule", "profile"),
    [
        ("netsh_zh_cp936.txt", "Windows 远程管理(HTTP-In)", "Domain, Private"),
        ("netsh_ru_cp866.txt", "Удаленное управление Windows (HTTP - входящий трафик)", "Private"),
    ],
)
def test_netsh_rule_in_chinese_and_in_russian(name: str, rule: str, profile: str) -> None:
    dump = firewall.parse(sample("firewall", name))
    prefix = f"{paths.FIREWALL}/{rule}|{profile}/"
    read = {r.path.removeprefix(prefix): r.value for r in dump.readings if r.path.startswith(prefix)}
    assert read["Enabled"] is True and read["Direction"] == "Inbound" and read["Action"] == "Allow"
    assert read["Profile"] == profile and read["LocalPort"] == "5985" and read["Protocol"] == "TCP"
    # these pastes end before netsh's closing line (whose wording the table lacks): not the whole answer
    assert coverage_lines(dump) == {}
    assert [message for _, message in notes(dump)] == ["netsh output ends without its closing line: cut short"]


def test_netsh_russian_remote_address() -> None:
    dump = firewall.parse(sample("firewall", "netsh_ru_cp866.txt"))
    remote = [r for r in dump.readings if r.path.endswith("/RemoteAddress")]
    assert [(r.value, r.location.line) for r in remote] == [("10.20.0.0/16", 7)]


# --- a language the table does not know ------------------------------------------------------------

UNKNOWN = [
    ("setspn", "unknown_language_pl.txt", setspn, 2, "setspn output"),
    ("winhttp_proxy", "unknown_language_pl.txt", winhttp_proxy, 2, "netsh winhttp show proxy output"),
    ("reg_query", "unknown_language_pl.txt", reg_query, 2, "reg query output"),
    ("service_state", "sc_unknown_language_uk.txt", service_state, 3, "sc output"),
    ("firewall", "netsh_unknown_language_pl.txt", firewall, 2, "netsh advfirewall output"),
    ("firewall_profile", "currentprofile_unknown_language_pl.txt", firewall_profile, 3,
     "netsh advfirewall show currentprofile output"),
]


@pytest.mark.parametrize(("folder", "name", "parser", "line", "what"), UNKNOWN, ids=[u[0] for u in UNKNOWN])
def test_a_language_the_table_lacks_is_refused_by_name(folder: str, name: str, parser: object, line: int, what: str) -> None:
    """Recognised by its structure (the sniff matrix holds it as this format's), refused by its words:
    never read by guesswork. The texts are written by us in languages the tables lack."""
    source = sample(folder, name)
    assert detect(source) is parser
    with pytest.raises(ParseError) as error:
        parser.parse(source)  # type: ignore[attr-defined]
    assert error.value.line == line
    assert str(error.value).startswith(f"{what} in a language winrmlint does not know: `")
    assert "(known: en, " in str(error.value)


def test_the_refusal_is_a_wrm001_naming_file_line_and_language(tmp_path: Path) -> None:
    bundle = tmp_path / "web03"
    bundle.mkdir()
    shutil.copy(SAMPLES / "setspn" / "unknown_language_pl.txt", bundle / "spn.txt")
    shutil.copy(SAMPLES / "winhttp_proxy" / "direct_ja_cp932.txt", bundle / "proxy.txt")
    run = engine.lint([str(bundle)])
    wrm001 = [f for f in run.findings if f.code == "WRM001"]
    assert len(wrm001) == 1
    assert wrm001[0].location.uri.endswith("spn.txt") and wrm001[0].location.line == 2
    assert "setspn output in a language winrmlint does not know: `Sprawdzanie domeny" in wrm001[0].message
    # the file in a known language beside it is read
    assert any(f.format == "winhttp-proxy" and f.error is None for f in run.files)


@pytest.mark.parametrize(("folder", "name", "parser", "line", "what"), UNKNOWN, ids=[u[0] for u in UNKNOWN])
def test_the_wrm001_fix_says_how_to_collect_it_readably(tmp_path: Path, folder: str, name: str, parser: object,
                                                        line: int, what: str) -> None:
    """Not "collect it again unedited": the same text would be refused again. The console's language,
    or a PowerShell command whose property names are English on every Windows, where one exists."""
    shutil.copy(SAMPLES / folder / name, tmp_path / name)
    (wrm001,) = [f for f in engine.lint([str(tmp_path / name)]).findings if f.code == "WRM001"]
    assert "display language is one of them" in wrm001.fix
    assert "the command that made it" not in wrm001.fix
    if folder in ("service_state", "firewall_profile"):
        assert "Get-Service WinRM" in wrm001.fix or "Get-NetConnectionProfile" in wrm001.fix


def test_reg_query_absent_value_wrapped_by_german_powershell() -> None:
    """The README's `Save latfp.txt 'reg query …'` on a German Windows PowerShell 5.1: reg's German
    message inside a NativeCommandError record whose position line is German too (`In Zeile:1
    Zeichen:1`, strings/powershell.py). Absent, so the default applies; nothing is left unread."""
    source = sample("reg_query", "latfp_native_command_error_de_utf16.txt")
    assert source.encoding == "utf-16-le"
    assert detect(source) is reg_query
    dump = reg_query.parse(source)
    assert dump.readings == [] and coverage_lines(dump) == {LATFP: 2}
    assert notes(dump) == [(7, "PowerShell's NativeCommandError record around reg's message passed over")]


def test_powershell_position_lines_are_borrowed_not_counted_as_the_formats_languages() -> None:
    table = TABLES["service-state"]
    assert table.says("発生場所 行:1 文字:13", "position") and table.says("строка:1 знак:1", "position")
    assert all(phrase.key != "position" for phrase in table.phrases)
    borrowed = Table("x", (Phrase("a", "en", "A", "here"),), (Phrase("position", "ja", "発生場所 行:{n} 文字:{n}", "there"),))
    assert borrowed.languages == ("en",) and borrowed.says("発生場所 行:1 文字:1", "position")


def test_setspn_japanese_query_and_an_unregistering_header_that_starts_with_the_dn() -> None:
    """Japanese `setspn -D` prints `CN=… の ServicePrincipalNames の登録を解除しています`: a line that
    starts `CN=` like an account's. Read as one (the structure alone), the SPN being removed would be
    taken as held; the table knows the header, so it is not."""
    source = sample("setspn", "query_unregister_ja_cp932.txt")
    assert source.encoding == "cp932"
    dump = setspn.parse(source)
    svc = "CN=svc-web05,OU=サービス,DC=corp,DC=contoso,DC=com"
    assert [(q.spn, q.found, q.location.line) for q in dump.spn_queries] == [("HTTP/web05.corp.contoso.com", True, 1)]
    assert [(e.spn, e.account, e.location.line) for e in dump.spns] == [
        ("HTTP/web05.corp.contoso.com", svc, 4),
        ("HTTP/web05", svc, 5),  # from -Q; line 11's HTTP/web05 is being removed, not a fact
    ]
    assert notes(dump) == []


def test_setspn_french_list_and_no_duplicates() -> None:
    dump = setspn.parse(sample("setspn", "list_duplicates_fr.txt"))
    web06 = "CN=WEB06,OU=Serveurs Web,DC=corp,DC=contoso,DC=com"
    assert [(e.spn, e.account) for e in dump.spns] == [
        ("WSMAN/web06.corp.contoso.com", web06), ("WSMAN/WEB06", web06),
        ("HOST/WEB06", web06), ("HOST/web06.corp.contoso.com", web06),
    ]  # fmt: skip
    # `Traitement de l'entrée 0` and `0 groupe de SPN en double détectés.` (0 shown) are understood
    assert notes(dump) == []


def test_winhttp_korean_sentence_cp949() -> None:
    source = sample("winhttp_proxy", "direct_ko_cp949.txt")
    assert source.encoding == "cp949"
    dump = winhttp_proxy.parse(source)
    assert [(r.path, r.value, r.location.line) for r in dump.readings] == [
        (paths.WINHTTP_PROXY, "", 3),
        (paths.WINHTTP_BYPASS, "", 3),
    ]


def test_a_hand_typed_line_in_an_english_setspn_file_is_skipped_not_fatal() -> None:
    """Only a file none of whose lines the table knows is refused: a line that merely looks like a
    checking line (`Domain: DC=…`, typed by the author) is a note, and the query is still read."""
    dump = setspn.parse(sample("setspn", "query_hand_typed_scope.txt"))
    assert [(q.spn, q.found, q.location.line) for q in dump.spn_queries] == [("HTTP/web07.corp.contoso.com", True, 3)]
    assert [(e.spn, e.location.line) for e in dump.spns] == [("HTTP/web07.corp.contoso.com", 6), ("HTTP/WEB07", 7)]
    assert notes(dump)[1] == (
        2, "`Domain: DC=corp,DC=contoso,DC=com` is no setspn line in a language winrmlint knows: skipped, with what it lists"
    )


def test_two_servers_pasted_together_one_in_a_language_the_table_lacks() -> None:
    """The German block is read; the Polish one is skipped with a note, and the listing is not taken
    as the whole answer (no coverage), so no rule concludes a rule is missing."""
    dump = firewall.parse(sample("firewall", "netsh_two_servers_de_pl.txt"))
    rule = f"{paths.FIREWALL}/Windows-Remoteverwaltung (HTTP eingehend)|Domain, Private"
    read = {r.path: r.value for r in dump.readings}
    assert read[f"{rule}/Profile"] == "Domain, Private" and read[f"{rule}/Action"] == "Allow"
    assert all(r.path.startswith(rule) for r in dump.readings)
    assert coverage_lines(dump) == {}
    assert (15, "`Nazwa reguły:                         Zarządzanie zdalne systemu Windows (HTTP - ruch przychodzący)` "
                "is no netsh advfirewall line in a language winrmlint knows: skipped") in notes(dump)


# --- samples written from Windows' own strings (the language-pack resources) ---------------------


def test_setspn_korean_list_then_unregister_cp949() -> None:
    """Korean `setspn -D` also starts its header with the DN; the SPN it removes is not held."""
    source = sample("setspn", "list_unregister_ko_cp949.txt")
    assert source.encoding == "cp949"
    dump = setspn.parse(source)
    web10 = "CN=WEB10,OU=서버,DC=corp,DC=contoso,DC=com"
    assert [(e.spn, e.account, e.location.line) for e in dump.spns] == [
        ("WSMAN/web10.corp.contoso.com", web10, 3),
        ("WSMAN/WEB10", web10, 4),
        ("HTTP/web10.corp.contoso.com", web10, 5),  # listed by -L; line 9 is the removal
    ]
    assert notes(dump) == []


def test_setspn_traditional_chinese_found_and_not_found() -> None:
    dump = setspn.parse(sample("setspn", "query_zh_tw.txt"))
    assert [(q.spn, q.found, q.location.line) for q in dump.spn_queries] == [
        ("HTTP/web11.corp.contoso.com", True, 1),
        ("WSMAN/web11.corp.contoso.com", False, 7),
    ]
    assert notes(dump) == []


@pytest.mark.parametrize(
    "name", ["latfp_absent_it.txt", "latfp_absent_es.txt", "latfp_absent_ko_cp949.txt"]
)
def test_reg_query_absent_value_italian_spanish_two_lines_korean_doubled_prefix(name: str) -> None:
    """Italian; Spanish, whose message runs onto a second line; Korean, whose message repeats the
    `오류:` prefix reg prints before it. Each an absence, with nothing left unread."""
    dump = reg_query.parse(sample("reg_query", name))
    assert dump.readings == [] and coverage_lines(dump) == {LATFP: 2}
    assert notes(dump) == []


def test_sc_qc_italian_and_sc_query_korean() -> None:
    italian = {r.path: r.value for r in service_state.parse(sample("service_state", "sc_qc_it_cp850.txt")).readings}
    assert italian["services/WinRM/StartType"] == "Manual"
    assert italian["services/WinRM/ERROR_CONTROL"] == "1   NORMAL"  # `CONTROLLO_ERRORE` under its English label
    korean = service_state.parse(sample("service_state", "sc_query_ko_cp949.txt"))
    assert {r.path: r.value for r in korean.readings}["services/WinRM/Status"] == "Stopped"  # `상태 : 1  STOPPED`
    assert notes(korean) == []


def test_netsh_italian_public_rule_from_the_local_subnet() -> None:
    dump = firewall.parse(sample("firewall", "netsh_it_cp850.txt"))
    rule = f"{paths.FIREWALL}/Gestione remota Windows (HTTP in ingresso)|Public"
    read = {r.path.removeprefix(rule + "/"): r.value for r in dump.readings}
    assert (read["Enabled"], read["Direction"], read["Profile"], read["Action"]) == (True, "Inbound", "Public", "Allow")
    assert (read["LocalAddress"], read["RemoteAddress"], read["RemotePort"]) == ("Any", "LocalSubnet", "Any")
    assert coverage_lines(dump) == {"firewall": 2}  # `OK.` closes it
    assert notes(dump) == []


def test_netsh_traditional_chinese_rule() -> None:
    dump = firewall.parse(sample("firewall", "netsh_zh_tw.txt"))
    rule = f"{paths.FIREWALL}/Windows 遠端管理 (HTTP-In)|Domain, Private"
    read = {r.path.removeprefix(rule + "/"): r.value for r in dump.readings}
    assert (read["Enabled"], read["Direction"], read["Action"], read["LocalPort"]) == (True, "Inbound", "Allow", "5985")


def test_netsh_french_no_break_space_before_the_colons_cp850() -> None:
    """Windows' French netsh writes `Nom de la règle\u00a0:` (a no-break space before the colon, cp850
    0xFF when redirected) and `Profiles :`; `Actif` is its word for inbound."""
    source = sample("firewall", "netsh_fr_cp850.txt")
    assert source.encoding == "cp850"
    dump = firewall.parse(source)
    rule = f"{paths.FIREWALL}/Gestion à distance de Windows (HTTP-Entrée)|Domain, Private"
    read = {r.path.removeprefix(rule + "/"): r.value for r in dump.readings}
    assert (read["Enabled"], read["Direction"], read["Profile"], read["Action"]) == (True, "Inbound", "Domain, Private", "Allow")
    assert coverage_lines(dump) == {"firewall": 2}
    assert notes(dump) == []


@pytest.mark.parametrize("closing", ["Aceptar", "ОК.", "确定。", "OK"])
def test_netsh_closing_line_in_every_language_windows_prints_it(closing: str) -> None:
    assert TABLES["firewall-rules"].says(closing, "ok")


def test_winhttp_russian_title_ends_with_a_full_stop_cp866() -> None:
    """Windows' Russian title is `Текущие параметры WinHTTP прокси.` (a full stop, not netsh's usual
    colon): the table knows it, so it heads the section like any other title."""
    dump = winhttp_proxy.parse(sample("winhttp_proxy", "proxy_ru_cp866.txt"))
    assert [(r.path, r.value, r.location.line) for r in dump.readings] == [
        (paths.WINHTTP_PROXY, "proxy.corp.contoso.com:3128", 5),
        (paths.WINHTTP_BYPASS, "<local>;*.corp.contoso.com", 6),
    ]
    assert coverage_lines(dump) == {"winhttp": 3}
    assert notes(dump) == []


def test_netsh_german_verbose_rule_set_by_group_policy_cp850() -> None:
    """`Regelquelle: Gruppenrichtlinieneinstellung` (Windows' German for `Rule source: Group Policy
    Setting`): the rule's values come from a GPO, so a fix must go to the GPO, not to netsh."""
    dump = firewall.parse(sample("firewall", "netsh_verbose_gpo_de_cp850.txt"))
    rule = f"{paths.FIREWALL}/Windows-Remoteverwaltung (HTTP eingehend)|Domain/"
    read = {r.path.removeprefix(rule): r for r in dump.readings if r.path.startswith(rule)}
    assert read["RemoteAddress"].value == "10.0.0.0/8" and read["LocalAddress"].value == "Any"  # `Lokales IP`, `Remote-IP`
    assert {r.source for r in read.values()} == {Source.GPO}
    assert coverage_lines(dump) == {"firewall": 2}


def _as_one_alternation(table: Table, keys: tuple[str, ...], text: str) -> tuple[Phrase, dict[str, str]] | None:
    """What a lookup found when each key set was one alternation of all its variable phrases (the
    lookup compiles one phrase at a time, tried only where a line holds its longest fixed run)."""
    from winrmlint.parsers.strings import _normal, _regex

    text = text.strip()
    every = table.phrases + table.borrowed
    chosen = [(i, p) for i, p in enumerate(every) if p.key in keys]
    exact: dict[str, int] = {}
    for i, p in chosen:
        if "{" not in p.text:
            exact.setdefault(_normal(p.text), i)
    if _normal(text) in exact:
        return every[exact[_normal(text)]], {}
    pattern = re.compile("|".join(f"(?P<p{i}>{_regex(p.text, i)})" for i, p in chosen if "{" in p.text), re.IGNORECASE)
    match = pattern.fullmatch(text)
    if match is None or match.lastgroup is None:
        return None
    index = int(match.lastgroup[1:])
    suffix = f"_{index}"
    parts = {n[: -len(suffix)]: v for n, v in match.groupdict().items() if v is not None and n.endswith(suffix) and n != f"p{index}"}
    return every[index], parts


@pytest.mark.parametrize("name", sorted(TABLES))
def test_a_lookup_finds_what_one_alternation_of_the_phrases_finds(name: str) -> None:
    """Lines from the format's samples and every phrase of the table (filled in, in upper
    case, with the IGNORECASE look-alikes ı, ſ and K of i, s and k) read the same either way."""
    table = TABLES[name]
    folder = SAMPLES / next(f.samples.folder for f in FORMATS if f.name == name)
    lines = {line for path in folder.rglob("*") if path.is_file() for line in path.read_text("utf-8", "replace").splitlines()}
    for phrase in table.phrases + table.borrowed:
        text = _example(phrase)
        lines |= {text, text.upper(), text.replace("i", "ı").replace("s", "ſ").replace("k", "\u212a"), text[:-3]}
    keys = table.keys()
    for line in sorted(lines):
        found = table.find(line, *keys)
        assert (None if found is None else (found.phrase, found.parts)) == _as_one_alternation(table, keys, line), line
