"""`sc query`/`sc qc` labels (formats.md § service state). sc translates its labels but prints the
winsvc.h names after the numbers untranslated in every language seen (`4  RUNNING`,
`2   AUTO_START`), so states are read from the values and the labels only say which field a
line is. A phrase's key is the English label it stands for.
"""

from __future__ import annotations

from winrmlint.parsers.strings import Phrase, Table
from winrmlint.parsers.strings.powershell import POSITION

_FORMATS_MD = "../shared/formats.md § service state (read from published dumps)"
_RU = "code:38021940779 (README transcript `D:\\pywin32service>sc query test` on a Russian Windows)"
_ES = "code:70975072118 (a Python test's Spanish sc output); also code:69712684312, code:60545512785"
_PT = "code:71477534545 (a TypeScript test: `Captured from pt-BR Windows 11`)"
_DE = "code:68366849264 (a Python test: German sc, `labels are translated, the layout is not`)"
_LABELS_PT = "code:69122286367 (a Rust test's note: the label is ÉTAT in French, STATUS in German, STATO in Italian)"

TABLE = Table(
    "sc",
    (
        Phrase("SERVICE_NAME", "en", "SERVICE_NAME", _FORMATS_MD),
        Phrase("SERVICE_NAME", "de", "DIENSTNAME", _DE),
        Phrase("SERVICE_NAME", "es", "NOMBRE_SERVICIO", _ES),
        Phrase("SERVICE_NAME", "pt-BR", "NOME_DO_SERVIÇO", _PT),
        Phrase("SERVICE_NAME", "ru", "Имя_службы", _RU),
        Phrase("DISPLAY_NAME", "en", "DISPLAY_NAME", _FORMATS_MD),
        Phrase("DISPLAY_NAME", "ru", "Выводимое_имя", "code:16083341496 (a Java program reading Russian sc output)", False),
        Phrase("TYPE", "en", "TYPE", _FORMATS_MD),
        Phrase("TYPE", "es", "TIPO", _ES),
        Phrase("TYPE", "pt-BR", "TIPO", _PT),
        Phrase("TYPE", "ru", "Тип", _RU),
        Phrase("STATE", "en", "STATE", _FORMATS_MD),
        Phrase("STATE", "de", "STATUS", f"{_DE}; {_LABELS_PT}"),
        Phrase("STATE", "de", "ZUSTAND", "code:70345797582 (a Rust test's German sc output; its other words are invented)", False),
        Phrase("STATE", "fr", "ÉTAT", _LABELS_PT),
        Phrase("STATE", "it", "STATO", _LABELS_PT),
        Phrase("STATE", "es", "ESTADO", _ES),
        Phrase("STATE", "pt-BR", "ESTADO", _PT),
        Phrase("STATE", "ru", "Состояние", _RU),
        Phrase("START_TYPE", "en", "START_TYPE", _FORMATS_MD),
        Phrase("START_TYPE", "de", "STARTTYP", _DE),
        Phrase("START_TYPE", "es", "TIPO_INICIO", _ES),
        Phrase("WIN32_EXIT_CODE", "en", "WIN32_EXIT_CODE", _FORMATS_MD),
        Phrase("WIN32_EXIT_CODE", "ru", "Код_выхода_Win32", _RU),
        Phrase("SERVICE_EXIT_CODE", "en", "SERVICE_EXIT_CODE", _FORMATS_MD),
        Phrase("SERVICE_EXIT_CODE", "ru", "Код_выхода_службы", _RU),
        Phrase("CHECKPOINT", "en", "CHECKPOINT", _FORMATS_MD),
        Phrase("CHECKPOINT", "ru", "Контрольная_точка", _RU),
        Phrase("WAIT_HINT", "en", "WAIT_HINT", _FORMATS_MD),
        Phrase("WAIT_HINT", "ru", "Ожидание", _RU),
    ),
    POSITION,
)
LABELS = tuple(dict.fromkeys(phrase.key for phrase in TABLE.phrases))
