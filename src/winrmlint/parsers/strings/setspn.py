"""setspn's messages (formats.md § setspn). `{dn}` is the account's DN, `{dc}` the domain's.

Keys: `checking` (the scope a -Q/-X/-S searches), `registered` (-L header), `registering`
(-S/-A header), `unregistering` (-D header), `updated` (-S/-A/-D confirmed), `found` and
`not_found` (-Q verdicts), `duplicate` (-S refused), `groups` (-X total), `boilerplate`.
Where no language is listed for a key, no published output of it was found.
"""

from __future__ import annotations

from winrmlint.parsers.strings import Phrase, Table

# sources: `code:<id>` is a file in the public-repository index the project's research tool searches
# (find_string/read_file id), quoted in the phrase; URLs are web pages
_FORMATS_MD = "../shared/formats.md § setspn (read from published dumps)"
_EXCHANGE_DOC = "code:3885561431 (Exchange troubleshooting doc, `SetSPN -x` output)"
_PS_MODULE = "code:9403773845 (PowerShell module help, Find-DuplicateSpn examples)"
_RU_GIST = "code:11953190940 (notes with a Russian `setspn -q` transcript)"
_ZH_KERBEROAST = "code:8561098028 (Chinese Kerberoasting write-up, `setspn -s` transcript)"
_RU_FIXTURE = "fixtures/samples/setspn/localised_ru.txt (written by us before this table; not found published)"
_JA_NOTES = "code:48272461839 (Japanese notes with `C:> setspn -Q HTTP/*` and `setspn -d` transcripts)"
_FR_LAB = "code:70758502631 (French lab report, `PS C:\\WINDOWS\\system32> setspn -L` and `setspn -X`)"
_DE_FIXTURE = "fixtures/hostile/encodings/setspn-de-cp850.txt (written by us before this table; not found published)"

TABLE = Table(
    "setspn",
    (
        Phrase("checking", "en", "Checking domain {dc}", _PS_MODULE),
        Phrase("checking", "en", "Checking forest {dc}", _PS_MODULE),
        Phrase("checking", "de", "Domäne wird überprüft: {dc}", _DE_FIXTURE, False),
        Phrase("checking", "fr", "Vérification du domaine {dc}", _FR_LAB),
        Phrase("checking", "es", "Comprobando el dominio {dc}",
               "code:19499225910 (Spanish pentest notes, `PS C:\\Users\\attacker> setspn -T dc.luc4s -Q */*`)"),
        Phrase("checking", "ru", "Проверка домена {dc}", _RU_GIST),
        Phrase("checking", "ja", "ドメイン {dc} を確認しています", _JA_NOTES),
        Phrase("checking", "zh-CN", "正在检查域 {dc}", _ZH_KERBEROAST),
        Phrase("registered", "en", "Registered ServicePrincipalNames for {dn}:",
               "code:7793414875 (pentest notes, `c:\\Tools>setspn -L iis_service`)"),
        Phrase("registered", "de", "Registrierte Dienstprinzipalnamen für {dn}:", _DE_FIXTURE, False),
        Phrase("registered", "fr", "Noms ServicePrincipalName inscrits pour {dn}:", _FR_LAB),
        Phrase("registered", "ja", "次の項目に登録されている {dn}:", "https://tooljp.com/qa/spn-matome-DB67.html"),
        Phrase("registered", "ru", "Зарегистрированные имена участника-службы (SPN) для {dn}:", _RU_FIXTURE, False),
        Phrase("registering", "en", "Registering ServicePrincipalNames for {dn}",
               "https://4js.com/online_documentation/fjs-gas-2.50.02-manual-html/c_gas_howto_kerberos_auth_036.html"),
        Phrase("registering", "zh-CN", "为 {dn} 注册 ServicePrincipalNames", _ZH_KERBEROAST),
        Phrase("unregistering", "en", "Unregistering ServicePrincipalNames for {dn}",
               "code:6991472162 (transcript `C:\\WINDOWS\\system32>setspn -D http/ws001 anni`)"),
        # Japanese puts the DN first: the line starts `CN=` like an account's, the table tells them apart
        Phrase("unregistering", "ja", "{dn} の ServicePrincipalNames の登録を解除しています", _JA_NOTES),
        Phrase("updated", "en", "Updated object", "code:6991472162"),
        Phrase("updated", "zh-CN", "更新的对象", _ZH_KERBEROAST),
        Phrase("found", "en", "Existing SPN found!", _FORMATS_MD),
        Phrase("found", "de", "Vorhandener SPN gefunden!", _DE_FIXTURE, False),
        Phrase("found", "ja", "既存の SPN が見つかりました", _JA_NOTES),
        Phrase("found", "ru", "Обнаружено существующее имя SPN!", _RU_FIXTURE, False),
        Phrase("found", "zh-CN", "存在的现有 SPN 找到!",
               "code:63506590184 (Chinese course text; its other outputs are retyped excerpts)", False),
        Phrase("not_found", "en", "No such SPN found.", _FORMATS_MD),
        Phrase("not_found", "ru", "Такое SPN не найдено.", _RU_GIST),
        Phrase("not_found", "ru", "Такое имя SPN не найдено.", _RU_FIXTURE, False),
        Phrase("duplicate", "en", "Duplicate SPN found, aborting operation!",
               "the parser's English literal before this table; not re-checked in a published dump", False),
        Phrase("groups", "en", "found {n} group of duplicate SPNs.", _EXCHANGE_DOC),
        Phrase("groups", "en", "found {n} groups of duplicate SPNs.",
               "plural kept from the parser's earlier pattern; setspn prints `group` in every dump seen", False),
        Phrase("groups", "fr", "{n} groupe de SPN en double détectés.", _FR_LAB),
        Phrase("groups", "ru", "найдено групп повторяющихся имен SPN: {n}.", _RU_FIXTURE, False),
        Phrase("boilerplate", "en", "Processing entry {n}", _EXCHANGE_DOC),
        Phrase("boilerplate", "en", "Operation will be performed forestwide, it might take a while.", _PS_MODULE),
        Phrase("boilerplate", "fr", "Traitement de l'entrée {n}", _FR_LAB),
        Phrase("boilerplate", "ru", "Обработка записи {n}", _RU_FIXTURE, False),
    ),
)
