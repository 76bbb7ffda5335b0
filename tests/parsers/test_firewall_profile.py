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
