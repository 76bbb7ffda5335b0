"""`reg query`'s messages (formats.md § registry): the "unable to find" error, which is an absent
value (so its default applies), and the word reg prints before any error. Microsoft's localised
Defender documentation quotes the not-found message in each language (its Autoruns folder holds
reg's output); where a console transcript or a test of reg's real output words it differently,
both are kept.
"""

from __future__ import annotations

from winrmlint.parsers.strings import Phrase, Table
from winrmlint.parsers.strings.powershell import POSITION

_DOCS = "code:{id} (Microsoft Defender for Endpoint docs, {lang}: investigation package, Autoruns)"

# Microsoft's own strings: the language-pack resource files of Windows 11 24H2 (10.0.26100), whose
# command-line tools share their message resources with Windows Server 2025, dumped as .rc text in
# the public repository m417z/windows-language-files (one folder per language)
_MUI = "m417z/windows-language-files: {lang} {file}, string {id}"

TABLE = Table(
    "reg query",
    (
        Phrase("not_found", "en", "ERROR: The system was unable to find the specified registry key or value.",
               "../shared/formats.md § registry (read from published dumps)"),
        Phrase("not_found", "de", "FEHLER: Das System konnte den angegebenen Registrierungsschlüssel oder -wert nicht finden.",
               _DOCS.format(id=737529490, lang="de-de")),
        Phrase("not_found", "de", "FEHLER: Das System konnte den angegebenen Registrierungsschlüssel oder Wert nicht finden.",
               "code:63375180287 (a Go test's German reg.exe output)"),
        Phrase("not_found", "fr", "ERREUR : le système n'a pas trouvé la clé ou la valeur de Registre spécifiée.",
               _DOCS.format(id=32238741941, lang="fr-fr")),
        Phrase("not_found", "fr", "ERREUR : le système n'a pas été en mesure de trouver la clé ou la valeur du registre spécifiée.",
               _DOCS.format(id=32453964084, lang="fr-fr, older revision")),
        Phrase("not_found", "es", "ERROR: El sistema no pudo encontrar la clave o el valor del Registro especificado.",
               "code:70924459126 (a TypeScript test's Spanish reg.exe output)"),
        Phrase("not_found", "es", "ERROR: El sistema no pudo encontrar la clave o el valor del Registro especificados.",
               _DOCS.format(id=36932816523, lang="es-es")),
        Phrase("not_found", "it", "ERRORE: Impossibile trovare la chiave o il valore del Registro di sistema specificato.",
               _DOCS.format(id=29242602292, lang="it-it")),
        Phrase("not_found", "pt-BR", "ERRO: O sistema não conseguiu localizar a chave ou o valor do Registro especificado.",
               "code:70379765441 (a PHP test's Portuguese reg.exe output); also code:70076080786"),
        Phrase("not_found", "pt-BR", "ERRO: O sistema não conseguiu encontrar a chave ou o valor do registro especificado.",
               _DOCS.format(id=6560951195, lang="pt-br")),
        Phrase("not_found", "ru", "ОШИБКА: Не удается найти указанный раздел или параметр в реестре.",
               "code:71588822311 (a JavaScript test of Russian reg.exe output); also code:21740351017 (batch file)"),
        Phrase("not_found", "ja", "エラー: 指定されたレジストリ キーまたは値が見つかりませんでした。",
               "code:9583168715 (notes with `$ reg query …` transcripts on a Japanese Windows)"),
        Phrase("not_found", "ko", "오류: 지정된 레지스트리 키 또는 값을 찾을 수 없습니다.",
               "code:63524616913 (a JavaScript test of Korean reg.exe output, CP949); also code:65972647011"),
        Phrase("not_found", "ko", "오류: 시스템에서 지정된 레지스트리 키 또는 값을 찾을 수 없습니다.",
               _DOCS.format(id=34102879716, lang="ko-kr")),
        Phrase("not_found", "zh-CN", "错误: 系统找不到指定的注册表项或值。",
               "code:53901380292 (console log of a script running reg on a Chinese Windows); also code:69861799394"),
        Phrase("not_found", "zh-TW", "錯誤: 系統找不到指定的登錄機碼或值。",
               "code:32773812263 (batch notes with `reg query` output on a Traditional Chinese Windows)"),
        # the word before every error (`ERROR: Access is denied.`), from the not-found messages above
        Phrase("error", "en", "ERROR: {any}", "../shared/formats.md § registry"),
        Phrase("error", "de", "FEHLER: {any}", _DOCS.format(id=737529490, lang="de-de")),
        Phrase("error", "fr", "ERREUR : {any}", _DOCS.format(id=32238741941, lang="fr-fr")),
        Phrase("error", "it", "ERRORE: {any}", _DOCS.format(id=29242602292, lang="it-it")),
        Phrase("error", "pt-BR", "ERRO: {any}", "code:70379765441"),
        Phrase("error", "ru", "ОШИБКА: {any}", "code:71588822311"),
        Phrase("error", "ja", "エラー: {any}", "code:9583168715"),
        Phrase("error", "ko", "오류: {any}", "code:63524616913"),
        Phrase("error", "zh-CN", "错误: {any}", "code:53901380292"),
        Phrase("error", "zh-TW", "錯誤: {any}", "code:32773812263"),
        # from the language-pack resources (see _MUI)
        Phrase('not_found', 'de', 'FEHLER: Der angegebene Registrierungsschlüssel bzw. Wert wurde nicht gefunden.', _MUI.format(lang='de-DE', file='reg.exe.mui', id=191)),
        Phrase('error', 'de', 'FEHLER: {any}', _MUI.format(lang='de-DE', file='reg.exe.mui', id=5001)),
        Phrase('not_found', 'fr', 'Erreur\xa0: Erreur\xa0: le système n’a pas trouvé la clé ou la valeur de Registre spécifiée.', _MUI.format(lang='fr-FR', file='reg.exe.mui', id=191)),
        Phrase('error', 'fr', 'Erreur\xa0: {any}', _MUI.format(lang='fr-FR', file='reg.exe.mui', id=5001)),
        Phrase('not_found', 'es', 'ERROR: El sistema no ha podido encontrar la clave o el valor del Registro', _MUI.format(lang='es-ES', file='reg.exe.mui', id=191)),
        Phrase('not_found_tail', 'es', 'especificados.', _MUI.format(lang='es-ES', file='reg.exe.mui', id=191)),
        Phrase('error', 'es', 'ERROR: {any}', _MUI.format(lang='es-ES', file='reg.exe.mui', id=5001)),
        Phrase('not_found', 'it', 'Errore: Impossibile trovare la chiave del Registro di sistema o il valore specificato.', _MUI.format(lang='it-IT', file='reg.exe.mui', id=191)),
        Phrase('error', 'it', 'Errore: {any}', _MUI.format(lang='it-IT', file='reg.exe.mui', id=5001)),
        Phrase('not_found', 'pt-BR', 'ERRO: O sistema não pôde localizar a chave do Registro ou valor especificado.', _MUI.format(lang='pt-BR', file='reg.exe.mui', id=191)),
        Phrase('error', 'pt-BR', 'ERRO: {any}', _MUI.format(lang='pt-BR', file='reg.exe.mui', id=5001)),
        Phrase('not_found', 'ru', 'Ошибка: Не удается найти указанный раздел или параметр в реестре.', _MUI.format(lang='ru-RU', file='reg.exe.mui', id=191)),
        Phrase('error', 'ru', 'Ошибка: {any}', _MUI.format(lang='ru-RU', file='reg.exe.mui', id=5001)),
        Phrase('not_found', 'ja', 'エラー: 指定されたレジストリ キーまたは値が見つかりませんでした', _MUI.format(lang='ja-JP', file='reg.exe.mui', id=191)),
        Phrase('error', 'ja', 'エラー: {any}', _MUI.format(lang='ja-JP', file='reg.exe.mui', id=5001)),
        Phrase('not_found', 'ko', '오류: 오류: 시스템이 지정된 레지스트리 키 또는 값을 찾을 수 없습니다.', _MUI.format(lang='ko-KR', file='reg.exe.mui', id=191)),
        Phrase('error', 'ko', '오류: {any}', _MUI.format(lang='ko-KR', file='reg.exe.mui', id=5001)),
        Phrase('not_found', 'zh-CN', '错误: 系统找不到指定的注册表项或值。', _MUI.format(lang='zh-CN', file='reg.exe.mui', id=191)),
        Phrase('error', 'zh-CN', '错误: {any}', _MUI.format(lang='zh-CN', file='reg.exe.mui', id=5001)),
        Phrase('not_found', 'zh-TW', '錯誤: 系統找不到指定的登錄機碼或值。', _MUI.format(lang='zh-TW', file='reg.exe.mui', id=191)),
        Phrase('error', 'zh-TW', '錯誤: {any}', _MUI.format(lang='zh-TW', file='reg.exe.mui', id=5001)),
        Phrase('not_found', 'en', 'ERROR: The system was unable to find the specified registry key or value.', _MUI.format(lang='en-us', file='reg.exe.mui', id=191)),
        Phrase('error', 'en', 'ERROR: {any}', _MUI.format(lang='en-us', file='reg.exe.mui', id=5001)),
    ),
    POSITION,
)
