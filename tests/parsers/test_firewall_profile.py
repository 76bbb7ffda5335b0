"""netsh advfirewall show currentprofile / allprofiles: the active profile only after `show currentprofile`."""

from __future__ import annotations

import pytest

from samples import Samples, rows
from winrmlint import parsers
from winrmlint.model.values import ParseError
from winrmlint.parsers import firewall_profile
from winrmlint.source import SourceText

S = Samples(firewall_profile)
P = firewall_profile.PREFIX


@pytest.mark.parametrize("name", ["currentprofile-public.txt", "currentprofile-domain.txt", "allprofiles.txt",
                                  "currentprofile-two-active-utf16.txt"])
def test_samples_are_recognised(name: str) -> None:
    assert parsers.detect(S.load(name)).FORMAT == firewall_profile.FORMAT


def test_currentprofile_marks_the_printed_profile_active() -> None:
    found = rows(S.parse("currentprofile-public.txt"))
    assert found[f"{P}/Public/Active"][:2] == (True, 3)
    assert found[f"{P}/Public/State"][:2] == ("ON", 5)
    assert not any(path.startswith(f"{P}/Domain") for path in found)


def test_two_active_profiles_in_utf16() -> None:
    found = rows(S.parse("currentprofile-two-active-utf16.txt"))
    assert found[f"{P}/Domain/Active"][0] is True and found[f"{P}/Public/Active"][0] is True


def test_allprofiles_shows_states_but_no_active_profile() -> None:
    found = rows(S.parse("allprofiles.txt"))
    assert not any(path.endswith("/Active") for path in found)
    assert found[f"{P}/Public/State"][0] == "OFF" and found[f"{P}/Domain/State"][0] == "ON"


def test_without_a_profile_block_it_refuses() -> None:
    with pytest.raises(ParseError):
        firewall_profile.parse(SourceText("x.txt", ("Ok.", ""), "utf-8"))


# --- the server's language (strings/firewall.py, PROFILE_TABLE): samples written by us from
# Windows' own resources (authfwcfg.dll.mui, netsh.exe.mui), in each language's console code page

LOCALISED = [
    ("currentprofile_de_domain_on_cp850.txt", "Domain", "ON", "EIN"),
    ("currentprofile_fr_private_off_cp850.txt", "Private", "OFF", "Inactif"),
    ("currentprofile_es_public_on_cp850.txt", "Public", "ON", "ACTIVAR"),
    ("currentprofile_it_domain_off_cp850.txt", "Domain", "OFF", "OFF"),
    ("currentprofile_pt_br_public_off_cp850.txt", "Public", "OFF", "Desligado"),
    ("currentprofile_ru_domain_on_cp866.txt", "Domain", "ON", "ВКЛЮЧИТЬ"),
    ("currentprofile_ja_public_on_cp932.txt", "Public", "ON", "オン"),
    ("currentprofile_ko_public_off_cp949.txt", "Public", "OFF", "사용 안 함"),
    ("currentprofile_zh_cn_domain_on_cp936.txt", "Domain", "ON", "启用"),
    ("currentprofile_zh_tw_private_on.txt", "Private", "ON", "開啟"),
]


@pytest.mark.parametrize(("name", "profile", "state", "printed"), LOCALISED, ids=[row[0] for row in LOCALISED])
def test_localised_currentprofile(name: str, profile: str, state: str, printed: str) -> None:
    source = S.load(name)
    assert parsers.detect(source).FORMAT == firewall_profile.FORMAT
    dump = firewall_profile.parse(source)
    found = rows(dump)
    assert found[f"{P}/{profile}/Active"][:2] == (True, 3)
    assert found[f"{P}/{profile}/State"][:2] == (state, 5)
    assert [r.raw for r in dump.readings if r.path.endswith("/State")] == [printed]
    assert {path for path in found} == {f"{P}/{profile}/Active", f"{P}/{profile}/State"}
    assert not dump.notes  # the title, `Logging:` and the closing `OK` are all known: nothing skipped


def test_a_localised_state_squeezed_to_one_space_is_read() -> None:
    text = ("Profil de domaine".join(["Paramètres ", " :"]), "-" * 70, "État Inactif", "")
    found = rows(firewall_profile.parse(SourceText("x.txt", text, "utf-8")))
    assert found[f"{P}/Domain/State"][0] == "OFF"


def test_a_state_value_of_another_language_is_not_read() -> None:
    """German `Status` with French `Actif`: no language prints that line, so it is not taken as ON."""
    text = ("Domänenprofil-Einstellungen:", "-" * 70, "Status    Actif", "")
    dump = firewall_profile.parse(SourceText("x.txt", text, "utf-8"))
    assert f"{P}/Domain/State" not in rows(dump)
    assert [(n.location.line, n.message) for n in dump.notes] == [
        (3, "`Status    Actif` is no netsh advfirewall show currentprofile line in a language winrmlint knows: skipped")]


def test_german_allprofiles_reads_each_state_and_no_active_profile() -> None:
    text = (
        "C:\\>netsh advfirewall show allprofiles", "",
        "Domänenprofil-Einstellungen:", "-" * 70, "Status                                   EIN", "",
        "Öffentliches Profil-Einstellungen:", "-" * 70, "Status                                   AUS", "",
        "OK.", "",
    )  # fmt: skip
    dump = firewall_profile.parse(SourceText("x.txt", text, "utf-8"))
    found = rows(dump)
    assert found[f"{P}/Domain/State"][:2] == ("ON", 5) and found[f"{P}/Public/State"][:2] == ("OFF", 9)
    assert not any(path.endswith("/Active") for path in found)
    assert not dump.notes
