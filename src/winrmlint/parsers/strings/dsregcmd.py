"""`dsregcmd /status`: its words are English on every Windows, so this table has one language.

dsregcmd prints its section titles, labels and values (`YES`/`NO`) as fixed English text whatever
the display language: published output from a French system shows them so, and Microsoft's
localised documentation (Traditional Chinese, German, Swedish, Ukrainian) prints them untranslated.
A dsregcmd file from a localised server is read with these strings; what it holds in the server's
language is data (a tenant's name), never a label. A box title or value in another language is a translation
someone ran over the text (a machine-translated page), not dsregcmd's output, and is refused.

Each phrase names its sources: files of `fixtures/published/recognition/` (their addresses are in
`sources.json`) and Microsoft's page on reading the output.
"""

from __future__ import annotations

from winrmlint.parsers.strings import Phrase, Table

# published output from localised systems: English titles and labels around data in the system's language
_FR_SYSTEM = ("fixtures/published/recognition/dsregcmd-fr-qa-double-spaced.txt (a French Q&A: dsregcmd on a "
              "French system, English labels around the tenant `Répertoire par défaut`)")
# Microsoft's own localised pages print the output untranslated
_LEARN_ZH_TW = "fixtures/published/recognition/dsregcmd-zh-tw-docs-old-colons.md (learn.microsoft.com/zh-tw)"
_LEARN_DE = "fixtures/published/recognition/dsregcmd-de-docs-device-state.md (learn.microsoft.com/de-de)"
_LEARN_SV = "fixtures/published/recognition/dsregcmd-sv-docs-device-state.md (learn.microsoft.com/sv-se)"
_LEARN_EN = "learn.microsoft.com/entra/identity/devices/troubleshoot-device-dsregcmd (every section, as printed)"

TITLES = (
    ("Device State", f"{_FR_SYSTEM}; {_LEARN_ZH_TW}; {_LEARN_DE}; {_LEARN_SV}"),
    ("Device Details", f"{_FR_SYSTEM}; {_LEARN_EN}"),
    ("Tenant Details", f"{_FR_SYSTEM}; {_LEARN_EN}"),
    ("User State", f"{_FR_SYSTEM}; {_LEARN_ZH_TW}"),
    ("SSO State", f"{_FR_SYSTEM}; {_LEARN_EN}"),
    ("Diagnostic Data", f"{_FR_SYSTEM}; {_LEARN_EN}"),
    ("IE Proxy Config for Current User", _LEARN_EN),
    ("WinHttp Default Proxy Config", f"{_FR_SYSTEM}; {_LEARN_EN}"),
    ("Ngc Prerequisite Check", f"{_FR_SYSTEM}; {_LEARN_EN}"),
    ("Work Account", f"{_LEARN_EN} (printed for a signed-in work account)"),
    ("Pre-Join Tests", f"{_LEARN_EN} (printed on a domain-joined device that is not hybrid-joined)"),
    ("Registration Details", f"{_LEARN_EN} (printed on a domain-joined device that is not hybrid-joined)"),
)

TABLE = Table(
    "dsregcmd",
    (
        *(Phrase("title", "en", title, source) for title, source in TITLES),
        Phrase("AzureAdJoined", "en", "AzureAdJoined", f"{_FR_SYSTEM}; {_LEARN_ZH_TW}; {_LEARN_DE}"),
        Phrase("DomainJoined", "en", "DomainJoined", f"{_FR_SYSTEM}; {_LEARN_ZH_TW}; {_LEARN_DE}"),
        Phrase("EnterpriseJoined", "en", "EnterpriseJoined", f"{_FR_SYSTEM}; {_LEARN_ZH_TW}; {_LEARN_DE}"),
        Phrase("yes", "en", "YES", f"{_FR_SYSTEM}; {_LEARN_ZH_TW}"),
        Phrase("no", "en", "NO", f"{_FR_SYSTEM}; {_LEARN_ZH_TW}"),
    ),
)
