"""`netsh advfirewall firewall show rule` (formats.md § firewall): labels, the values the parser
normalises, `Ok.` and "no rules match". A label's key is the Get-NetFirewallRule property it is
read as; a value's key is its English (PowerShell) form. PowerShell's own property names and enum
values (`Enabled : True`, `Profile : Public`) are not localised and need no table.
"""

from __future__ import annotations

from winrmlint.parsers.strings import Phrase, Table

_FORMATS_MD = "../shared/formats.md § firewall (read from published dumps)"
_DE = "code:69152863952 (a Go test: `German netsh: every label differs from the English ones`)"
_DE_GODOT = "code:71189671096 (a GDScript test's German netsh block)"
_FR = "code:61717418095 (a Python test's French netsh blocks)"
_ES = "code:53736902823 (a Python tool reading Spanish netsh output)"
_JA = "code:69496209640 (a Python test: `show の出力はロケール依存`, Japanese netsh blocks)"
_ZH = "code:70166039386 (a C# test's Chinese netsh block)"
_RU = "code:68580822132 (a Python test's Russian netsh blocks); also code:61038767674, code:70753976893"
_RU_ADDR = "code:53968990689 (deployment notes: expected Russian `netsh … show rule` output)"

# (key, language, text, source) — labels first, then values, then messages
_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("DisplayName", "en", "Rule Name", _FORMATS_MD),
    ("DisplayName", "de", "Regelname", _DE),
    ("DisplayName", "fr", "Nom de la règle", _FR),
    ("DisplayName", "es", "Nombre de regla", _ES),
    ("DisplayName", "ja", "規則名", _JA),
    ("DisplayName", "zh-CN", "规则名称", _ZH),
    ("DisplayName", "ru", "Имя правила", _RU),
    ("DisplayName", "ko", "규칙 이름", "code:112083216 (a Python tool splitting Korean netsh output on `규칙 이름:`)"),
    ("Description", "en", "Description", _FORMATS_MD),
    ("Enabled", "en", "Enabled", _FORMATS_MD),
    ("Enabled", "de", "Aktiviert", _DE),
    ("Enabled", "fr", "Activée", _FR),
    ("Enabled", "ja", "有効", _JA),
    ("Enabled", "zh-CN", "已启用", _ZH),
    ("Enabled", "ru", "Включено", _RU),
    ("Direction", "en", "Direction", _FORMATS_MD),
    ("Direction", "de", "Richtung", _DE),
    ("Direction", "fr", "Direction", _FR),
    ("Direction", "es", "Dirección", _ES),
    ("Direction", "ja", "方向", _JA),
    ("Direction", "zh-CN", "方向", _ZH),
    ("Direction", "ru", "Направление", _RU),
    ("Profile", "en", "Profiles", _FORMATS_MD),
    ("Profile", "de", "Profile", _DE),
    ("Profile", "zh-CN", "配置文件", _ZH),
    ("Profile", "ru", "Профили", _RU),
    ("DisplayGroup", "en", "Grouping", _FORMATS_MD),
    ("DisplayGroup", "de", "Gruppierung", _DE),
    ("LocalAddress", "en", "LocalIP", _FORMATS_MD),
    ("LocalAddress", "de", "LokaleIP", _DE),
    ("RemoteAddress", "en", "RemoteIP", _FORMATS_MD),
    ("RemoteAddress", "de", "RemoteIP", _DE),
    ("RemoteAddress", "es", "IP remotas", _ES),
    ("RemoteAddress", "ru", "Удаленный IP-адрес", _RU_ADDR),
    ("Protocol", "en", "Protocol", _FORMATS_MD),
    ("Protocol", "de", "Protokoll", _DE),
    ("Protocol", "ja", "プロトコル", _JA),
    ("Protocol", "zh-CN", "协议", _ZH),
    ("Protocol", "ru", "Протокол", _RU),
    ("LocalPort", "en", "LocalPort", _FORMATS_MD),
    ("LocalPort", "de", "Lokaler Port", _DE_GODOT),
    ("LocalPort", "ja", "ローカル ポート", _JA),
    ("LocalPort", "zh-CN", "本地端口", _ZH),
    ("LocalPort", "ru", "Локальный порт", _RU),
    ("RemotePort", "en", "RemotePort", _FORMATS_MD),
    ("Program", "en", "Program", _FORMATS_MD),
    ("Program", "de", "Programm", _DE),
    ("Program", "fr", "Programme", _FR),
    ("Service", "en", "Service", _FORMATS_MD),
    ("InterfaceType", "en", "InterfaceTypes", _FORMATS_MD),
    ("InterfaceType", "de", "Schnittstellentypen", _DE),
    ("Action", "en", "Action", _FORMATS_MD),
    ("Action", "de", "Aktion", _DE),
    ("Action", "fr", "Action", _FR),
    ("Action", "ja", "操作", _JA),
    ("Action", "zh-CN", "操作", _ZH),
    ("Action", "ru", "Действие", _RU),
    # values
    ("Yes", "en", "Yes", _FORMATS_MD),
    ("Yes", "de", "Ja", _DE),
    ("Yes", "fr", "Oui", _FR),
    ("Yes", "ja", "はい", _JA),
    ("Yes", "zh-CN", "是", _ZH),
    ("Yes", "ru", "Да", _RU),
    ("No", "en", "No", _FORMATS_MD),
    ("No", "ja", "いいえ", _JA),
    ("Inbound", "en", "In", _FORMATS_MD),
    ("Inbound", "de", "Eingehend", _DE),
    ("Inbound", "ja", "入力", _JA),
    ("Inbound", "zh-CN", "入", _ZH),
    ("Inbound", "ru", "Входящие", _RU),
    ("Inbound", "ru", "Входящее", "code:70753976893 (a Rust test's Russian netsh block)"),
    ("Outbound", "en", "Out", _FORMATS_MD),
    ("Outbound", "fr", "Sortant", _FR),
    ("Outbound", "ru", "Исходящие", "code:61038767674 (a C# test's Russian netsh block)"),
    ("Domain", "en", "Domain", _FORMATS_MD),
    ("Domain", "de", "Domäne", _DE),
    ("Domain", "zh-CN", "域", _ZH),
    ("Private", "en", "Private", _FORMATS_MD),
    ("Private", "de", "Privat", _DE),
    ("Private", "zh-CN", "专用", _ZH),
    ("Private", "ru", "Частный", _RU),
    ("Public", "en", "Public", _FORMATS_MD),
    ("Public", "de", "Öffentlich", _DE),
    ("Public", "zh-CN", "公用", _ZH),
    ("Any", "en", "Any", _FORMATS_MD),
    ("Any", "de", "Beliebig", _DE),
    ("LocalSubnet", "en", "LocalSubnet", _FORMATS_MD),
    ("Allow", "en", "Allow", _FORMATS_MD),
    ("Allow", "de", "Zulassen", _DE),
    ("Allow", "fr", "Autoriser", _FR),
    ("Allow", "ja", "許可", _JA),
    ("Allow", "zh-CN", "允许", _ZH),
    ("Allow", "ru", "Разрешить", _RU),
    ("Block", "en", "Block", _FORMATS_MD),
    ("Block", "fr", "Bloquer", _FR),
    ("Block", "ja", "ブロック", _JA),
    ("Block", "ru", "Блокировать", _RU),
    # messages
    ("no_rules", "en", "No rules match the specified criteria.", _FORMATS_MD),
    ("no_rules", "de", "Keine Regeln stimmen mit den angegebenen Kriterien überein.", _DE),
    ("no_rules", "ja", "指定された条件に一致する規則はありません。", _JA),
    ("ok", "en", "Ok.", _FORMATS_MD),
    ("ok", "de", "OK.", _DE),
    ("ok", "ja", "OK", _JA),
)

TABLE = Table("netsh advfirewall", tuple(Phrase(*row) for row in _ROWS))
PROPERTIES = (
    "DisplayName", "Description", "Enabled", "Direction", "Profile", "DisplayGroup", "LocalAddress",
    "RemoteAddress", "Protocol", "LocalPort", "RemotePort", "Program", "Service", "InterfaceType", "Action",
)  # fmt: skip
PROFILES = ("Domain", "Private", "Public", "Any")
