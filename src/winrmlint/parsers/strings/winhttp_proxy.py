"""`netsh winhttp show proxy` (formats.md § proxy): its title, the direct-access sentence, the two
field names. netsh prints the proxy first and the bypass list second in
every language, so field names only confirm the language; the title alone says little (its shape
is the same everywhere), which is why a section is read only when one of its lines is known.
"""

from __future__ import annotations

from winrmlint.parsers.strings import Phrase, Table

_FORMATS_MD = "../shared/formats.md § proxy (read from published dumps)"
_JA = "https://win2012r2.com/?p=498 (`> netsh winhttp show proxy` on a Japanese Windows Server)"
_ZH = "code:12915641733 (notes with a `C:\\Users\\T460P>netsh winhttp show proxy` transcript)"
_DE_FIXTURE = "fixtures/samples/winhttp_proxy/german.txt (written by us before this table; not found published)"
_DE_SIMULATOR = "code:70415950287 (a netsh simulator's German output, not a real console)"

TABLE = Table(
    "netsh winhttp show proxy",
    (
        Phrase("title", "en", "Current WinHTTP proxy settings:", _FORMATS_MD),
        Phrase("title", "de", "Aktuelle WinHTTP-Proxyeinstellungen:", _DE_SIMULATOR, False),
        Phrase("title", "fr", "Paramètres de proxy WinHTTP actuels :",
               "code:70106290836 (a netsh simulator's French output, not a real console)", False),
        Phrase("title", "pt-BR", "Configurações de proxy WinHTTP atuais:",
               "code:58351199052 (a Portuguese Power BI guide's expected `netsh winhttp show proxy` output)"),
        Phrase("title", "ja", "現在の WinHTTP プロキシ設定:", _JA),
        Phrase("title", "zh-CN", "当前的 WinHTTP 代理服务器设置:", _ZH),
        Phrase("direct", "en", "Direct access (no proxy server).", _FORMATS_MD),
        Phrase("direct", "de", "Direkter Zugriff (kein Proxyserver).",
               "code:71297903562 (a PowerShell test's netsh mock on a German system)"),
        Phrase("direct", "fr", "Accès direct (pas de serveur proxy).",
               "code:70106290836 (a netsh simulator's French output, not a real console)", False),
        Phrase("direct", "es", "Acceso directo (sin servidor proxy).",
               "code:55692030458 (a Spanish diagnostics report quoting `netsh winhttp show proxy`)"),
        Phrase("direct", "pt-BR", "Acesso direto (sem servidor proxy).",
               "code:58351199052; also code:53264762030 (a Python tool matching Portuguese netsh output)"),
        Phrase("direct", "ko", "직접 액세스(프록시 서버 없음)",
               "code:63554557946 (Korean troubleshooting notes quoting `netsh winhttp show proxy`)"),
        Phrase("direct", "ru", "Прямой доступ (без прокси-сервера).",
               "code:65885594527 (a Russian diagnostics note quoting `netsh winhttp show proxy`)"),
        Phrase("direct", "ja", "直接アクセス (プロキシ サーバーなし)。", _JA),
        Phrase("direct", "zh-CN", "直接访问(没有代理服务器)。", _ZH),
        Phrase("proxy", "en", "Proxy Server(s)", _FORMATS_MD),
        Phrase("proxy", "de", "Proxyserver", _DE_FIXTURE, False),
        Phrase("proxy", "zh-CN", "代理服务器", _ZH),
        Phrase("bypass", "en", "Bypass List", _FORMATS_MD),
        Phrase("bypass", "de", "Umgehungsliste", _DE_FIXTURE, False),
        Phrase("bypass", "zh-CN", "绕过列表", _ZH),
    ),
)
