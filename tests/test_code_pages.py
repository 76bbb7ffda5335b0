"""Console files in the code pages the decoder does not tell apart by letters alone: Big5 (cp950),
which other pages read as letters too, is the other reading of a guessed file whose words match
nothing; cp850 text with accented letters is not taken for cp1252 (`ParamŠtres`)."""

from __future__ import annotations

from pathlib import Path

from winrmlint.engine import lint, parse_file
from winrmlint.source import SourceText, guess_code_page

# Windows 11 24H2's zh-TW and fr-FR strings (parsers/strings/winhttp_proxy.py, setspn.py)
BIG5_PROXY = "C:\\>netsh winhttp show proxy\r\n\r\n目前的 WinHTTP Proxy 設定:\r\n\r\n    Proxy 伺服器:  proxy.corp.contoso.com:8080\r\n    旁路清單:  <local>\r\n"
BIG5_SETSPN = "C:\\>setspn -Q HTTP/web01.corp.contoso.com\r\n正在檢查網域 DC=corp,DC=contoso,DC=com\r\n\r\n找不到這種 SPN。\r\n"
CP850_PROXY = "C:\\>netsh winhttp show proxy\r\n\r\nParamètres de proxy WinHTTP actuels\xa0:\r\n\r\n    Accès direct (sans serveur proxy).\r\n"


def test_a_big5_console_file_is_read_as_big5_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "proxy.txt").write_bytes(BIG5_PROXY.encode("cp950"))
    run = lint([str(tmp_path / "proxy.txt")], rules=())
    host = run.hosts[0].host
    assert host.get("winhttp/ProxyServer").value == "proxy.corp.contoso.com:8080"
    assert host.get("winhttp/BypassList").value == "<local>"
    notes = [n.message for f in host.files for n in f.notes]
    assert any(n.startswith("decoded as cp950 (Traditional Chinese, Big5)") for n in notes), notes


def test_a_big5_setspn_query_is_read() -> None:
    source = SourceText.from_bytes("setspn.txt", BIG5_SETSPN.encode("cp950"))
    assert source.encoding != "cp950" and source.alternative == "cp950"
    fmt, dump, error = parse_file(source)
    assert error is not None  # the guessed page reads it as nothing
    other = source.other_reading()
    assert other is not None and other.encoding == "cp950" and other.guessed
    fmt, dump, error = parse_file(other)
    assert error is None and fmt == "setspn"
    assert [(q.spn, q.found) for q in dump.spn_queries] == [("HTTP/web01.corp.contoso.com", False)]


def test_a_file_read_by_its_guess_keeps_it() -> None:
    text = "C:\\>netsh winhttp show proxy\r\n\r\nТекущие параметры WinHTTP прокси.\r\n\r\n    Прямой доступ (без прокси-сервера).\r\n"
    source = SourceText.from_bytes("ru.txt", text.encode("cp866"))
    fmt, dump, error = parse_file(source)
    assert source.encoding == "cp866" and error is None and fmt == "winhttp-proxy"
    assert not any("cp950" in n.message for n in dump.notes)


def test_cp850_accents_are_not_read_as_cp1252() -> None:
    data = CP850_PROXY.encode("cp850")
    assert guess_code_page(data) == "cp850"
    fmt, dump, error = parse_file(SourceText.from_bytes("fr.txt", data))
    assert error is None and fmt == "winhttp-proxy"
    assert {r.path: r.value for r in dump.readings}["winhttp/ProxyServer"] == ""
