"""Windows PowerShell 5.1's error record around a failing command (`reg : …`, `Get-Service : …`):
its position line is localised; the `+ CategoryInfo` and `+ FullyQualifiedErrorId` names are not.
These phrases join the tables of the formats whose files the README's collection commands write
through PowerShell with `2>&1` (reg query, service state)."""

from __future__ import annotations

from winrmlint.parsers.strings import Phrase

POSITION = (
    Phrase("position", "en", "At line:{n} char:{n}", "../shared/formats.md § registry (NativeCommandError record)"),
    Phrase("position", "de", "In Zeile:{n} Zeichen:{n}", "code:53041024555 (a German PowerShell 5.1 CommandNotFound record)"),
    Phrase("position", "fr", "Au caractère Ligne:{n} : {n}", "code:26814120236 (a French PowerShell 5.1 PSSecurityException record)"),
    Phrase("position", "ru", "строка:{n} знак:{n}", "code:47588940683 (a Russian PowerShell 5.1 ItemNotFound record)"),
    Phrase("position", "ja", "発生場所 行:{n} 文字:{n}", "code:5744777421 (a Japanese PowerShell 5.1 VariableIsUndefined record)"),
    Phrase("position", "zh-CN", "所在位置 行:{n} 字符: {n}", "code:53901380292 (a Chinese PowerShell 5.1 ObjectNotFound record)"),
)
