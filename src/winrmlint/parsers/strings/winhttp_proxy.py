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

# Microsoft's own strings: the language-pack resource files of Windows 11 24H2 (10.0.26100), dumped
# as .rc text in the public repository m417z/windows-language-files (netsh winhttp is whhelper.dll)
_MUI = "m417z/windows-language-files: {lang} {file}, string {id}"

TABLE = Table(
    "netsh winhttp show proxy",
    (
        Phrase("title", "en", "Current WinHTTP proxy settings:", _FORMATS_MD),
        Phrase("title", "pt-BR", "Configurações de proxy WinHTTP atuais:",
               "code:58351199052 (a Portuguese Power BI guide's expected `netsh winhttp show proxy` output)"),
        Phrase("title", "ja", "現在の WinHTTP プロキシ設定:", _JA),
        Phrase("title", "zh-CN", "当前的 WinHTTP 代理服务器设置:", _ZH),
        Phrase("direct", "en", "Direct access (no proxy server).", _FORMATS_MD),
        Phrase("direct", "de", "Direkter Zugriff (kein Proxyserver).",
               "code:71297903562 (a PowerShell test's netsh mock on a German system)"),
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
        Phrase("proxy", "zh-CN", "代理服务器", _ZH),
        Phrase("bypass", "en", "Bypass List", _FORMATS_MD),
        Phrase("bypass", "zh-CN", "绕过列表", _ZH),
        # from the language-pack resources (see _MUI)
        Phrase('title', 'de', 'Aktuelle WinHTTP-Proxyeinstellungen:', _MUI.format(lang='de-DE', file='whhelper.dll.mui', id=1501)),
        Phrase('direct', 'de', 'DirectAccess (kein Proxyserver).', _MUI.format(lang='de-DE', file='whhelper.dll.mui', id=1502)),
        Phrase('proxy', 'de', 'Proxyserver', _MUI.format(lang='de-DE', file='whhelper.dll.mui', id=1503)),
        Phrase('bypass', 'de', 'Umgehungsliste', _MUI.format(lang='de-DE', file='whhelper.dll.mui', id=1505)),
        Phrase('title', 'fr', 'Paramètres de proxy WinHTTP actuels\xa0:', _MUI.format(lang='fr-FR', file='whhelper.dll.mui', id=1501)),
        Phrase('direct', 'fr', 'Accès direct (sans serveur proxy).', _MUI.format(lang='fr-FR', file='whhelper.dll.mui', id=1502)),
        Phrase('proxy', 'fr', 'Serveur(s) proxy', _MUI.format(lang='fr-FR', file='whhelper.dll.mui', id=1503)),
        Phrase('bypass', 'fr', 'Liste d’exception', _MUI.format(lang='fr-FR', file='whhelper.dll.mui', id=1505)),
        Phrase('title', 'es', 'Configuración actual del proxy WinHTTP:', _MUI.format(lang='es-ES', file='whhelper.dll.mui', id=1501)),
        Phrase('direct', 'es', 'Acceso directo (sin servidor proxy).', _MUI.format(lang='es-ES', file='whhelper.dll.mui', id=1502)),
        Phrase('proxy', 'es', 'Servidores proxy', _MUI.format(lang='es-ES', file='whhelper.dll.mui', id=1503)),
        Phrase('bypass', 'es', 'Lista de omisión', _MUI.format(lang='es-ES', file='whhelper.dll.mui', id=1505)),
        Phrase('title', 'it', 'Impostazioni proxy correnti di WinHTTP:', _MUI.format(lang='it-IT', file='whhelper.dll.mui', id=1501)),
        Phrase('direct', 'it', 'Accesso diretto (nessun server proxy).', _MUI.format(lang='it-IT', file='whhelper.dll.mui', id=1502)),
        Phrase('proxy', 'it', 'Server proxy', _MUI.format(lang='it-IT', file='whhelper.dll.mui', id=1503)),
        Phrase('bypass', 'it', 'Elenco di esclusione', _MUI.format(lang='it-IT', file='whhelper.dll.mui', id=1505)),
        Phrase('title', 'pt-BR', 'Configurações do proxy WinHTTP atuais:', _MUI.format(lang='pt-BR', file='whhelper.dll.mui', id=1501)),
        Phrase('direct', 'pt-BR', 'Acesso direto (nenhum servidor proxy).', _MUI.format(lang='pt-BR', file='whhelper.dll.mui', id=1502)),
        Phrase('proxy', 'pt-BR', 'Servidor(es) Proxy', _MUI.format(lang='pt-BR', file='whhelper.dll.mui', id=1503)),
        Phrase('bypass', 'pt-BR', 'Ignorar Lista', _MUI.format(lang='pt-BR', file='whhelper.dll.mui', id=1505)),
        Phrase('title', 'ru', 'Текущие параметры WinHTTP прокси.', _MUI.format(lang='ru-RU', file='whhelper.dll.mui', id=1501)),
        Phrase('direct', 'ru', 'Прямой доступ (без прокси-сервера).', _MUI.format(lang='ru-RU', file='whhelper.dll.mui', id=1502)),
        Phrase('proxy', 'ru', 'Прокси-сервер', _MUI.format(lang='ru-RU', file='whhelper.dll.mui', id=1503)),
        Phrase('bypass', 'ru', 'Список обхода', _MUI.format(lang='ru-RU', file='whhelper.dll.mui', id=1505)),
        Phrase('title', 'ja', '現在の WinHTTP プロキシ設定:', _MUI.format(lang='ja-JP', file='whhelper.dll.mui', id=1501)),
        Phrase('direct', 'ja', '直接アクセス (プロキシ サーバーなし)。', _MUI.format(lang='ja-JP', file='whhelper.dll.mui', id=1502)),
        Phrase('proxy', 'ja', 'プロキシ サーバー', _MUI.format(lang='ja-JP', file='whhelper.dll.mui', id=1503)),
        Phrase('bypass', 'ja', 'バイパス一覧', _MUI.format(lang='ja-JP', file='whhelper.dll.mui', id=1505)),
        Phrase('title', 'ko', '현재 WinHTTP 프록시 설정:', _MUI.format(lang='ko-KR', file='whhelper.dll.mui', id=1501)),
        Phrase('direct', 'ko', '직접 액세스(프록시 서버 없음).', _MUI.format(lang='ko-KR', file='whhelper.dll.mui', id=1502)),
        Phrase('proxy', 'ko', '프록시 서버', _MUI.format(lang='ko-KR', file='whhelper.dll.mui', id=1503)),
        Phrase('bypass', 'ko', '무시할 목록', _MUI.format(lang='ko-KR', file='whhelper.dll.mui', id=1505)),
        Phrase('title', 'zh-CN', '当前的 WinHTTP 代理服务器设置:', _MUI.format(lang='zh-CN', file='whhelper.dll.mui', id=1501)),
        Phrase('direct', 'zh-CN', '直接访问(没有代理服务器)。', _MUI.format(lang='zh-CN', file='whhelper.dll.mui', id=1502)),
        Phrase('proxy', 'zh-CN', '代理服务器', _MUI.format(lang='zh-CN', file='whhelper.dll.mui', id=1503)),
        Phrase('bypass', 'zh-CN', '绕过列表', _MUI.format(lang='zh-CN', file='whhelper.dll.mui', id=1505)),
        Phrase('title', 'zh-TW', '目前的 WinHTTP Proxy 設定:', _MUI.format(lang='zh-TW', file='whhelper.dll.mui', id=1501)),
        Phrase('direct', 'zh-TW', '直接存取 (不使用 Proxy 伺服器)。', _MUI.format(lang='zh-TW', file='whhelper.dll.mui', id=1502)),
        Phrase('proxy', 'zh-TW', 'Proxy 伺服器', _MUI.format(lang='zh-TW', file='whhelper.dll.mui', id=1503)),
        Phrase('bypass', 'zh-TW', '旁路清單', _MUI.format(lang='zh-TW', file='whhelper.dll.mui', id=1505)),
        Phrase('title', 'en', 'Current WinHTTP proxy settings:', _MUI.format(lang='en-US', file='whhelper.dll.mui', id=1501)),
        Phrase('direct', 'en', 'Direct access (no proxy server).', _MUI.format(lang='en-US', file='whhelper.dll.mui', id=1502)),
        Phrase('proxy', 'en', 'Proxy Server(s)', _MUI.format(lang='en-US', file='whhelper.dll.mui', id=1503)),
        Phrase('bypass', 'en', 'Bypass List', _MUI.format(lang='en-US', file='whhelper.dll.mui', id=1505)),
    ),
)
