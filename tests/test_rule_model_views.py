"""The typed views rules (and connect) read: SDDL, TrustedHosts, the SPN directory, permissions."""

from __future__ import annotations

from winrmlint.model import sddl, spn_directory, trusted_hosts
from winrmlint.model.catalog import MODERN_ROOT_SDDL


def test_trusted_hosts_match_as_typed_with_wildcards() -> None:
    value = "web01, *.corp.contoso.com, 10.0.0.*, [fe80::1]"
    assert trusted_hosts.matches(value, "WEB01") is not None
    assert trusted_hosts.matches(value, "app07.CORP.contoso.com").text == "*.corp.contoso.com"
    assert trusted_hosts.matches(value, "10.0.0.17").text == "10.0.0.*"
    assert trusted_hosts.matches(value, "fe80::1").text == "[fe80::1]"
    # WinRM compares the name as typed: a short name is not its FQDN, nor the other way round
    assert trusted_hosts.matches(value, "web01.corp.contoso.com").text == "*.corp.contoso.com"
    assert trusted_hosts.matches("web01.corp.contoso.com", "web01") is None
    assert trusted_hosts.matches(value, "10.0.1.17") is None
    # an entry WinRM cannot read trusts nothing
    assert trusted_hosts.matches("web01;web02", "web01") is None
    assert trusted_hosts.matches("*", "anything.example") is not None


def test_trusted_hosts_entries_carry_their_flaws() -> None:
    parsed = trusted_hosts.parse("a,,b c,fe80::1")
    assert [e.text for e in parsed] == ["a", "", "b c", "fe80::1"]
    assert [e.valid for e in parsed] == [True, False, False, False]
    assert parsed[3].flaw is not None and parsed[3].flaw.repaired == ("[fe80::1]",)
    assert trusted_hosts.parse("") == ()


def test_sddl_principals_rights_and_widening() -> None:
    default = sddl.dacl_of(MODERN_ROOT_SDDL)
    assert default is not None and [a.account for a in default.aces] == ["BA", "IU"]
    assert sddl.principal("RM") == "BUILTIN\\Remote Management Users"
    assert sddl.principal("S-1-5-32-580") == "BUILTIN\\Remote Management Users"
    wide = sddl.dacl_of("O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)(A;;GA;;;RM)(A;;GXGR;;;S-1-5-21-1-2-3-1105)S:P(AU;FA;GA;;;WD)")
    assert wide is not None
    assert [a.account for a in sddl.widened(wide, default)] == ["RM", "S-1-5-21-1-2-3-1105"]
    assert sddl.widened(default, default) == []
    broad = sddl.dacl_of("O:NSG:BAD:P(A;;GA;;;BA)(A;;GX;;;AU)")
    assert broad is not None and set(sddl.broad_grants(broad)) == {"AU"}
    # a broad group is WRM602's: not counted as widening
    assert sddl.widened(broad, default) == []


def test_spn_owner_comparison_ignores_case_and_code_page_guesses() -> None:
    right = "CN=Jürgen Müller,OU=Service Accounts,DC=corp,DC=contoso,DC=com"
    as_cp1252 = right.encode("utf-8").decode("cp1252")  # UTF-8 read as ANSI: `JÃ¼rgen`
    assert spn_directory.same_account(right.upper(), right)
    assert spn_directory.same_account(as_cp1252, right)
    assert spn_directory.same_account(right.replace("ü", "?"), right)
    assert spn_directory.same_account(right.replace("ü", "\ufffd"), right)
    assert not spn_directory.same_account("CN=WEB01,DC=corp", "CN=WEB02,DC=corp")
    assert spn_directory.account_key("CN=A  B,DC=x") == spn_directory.account_key("cn=a b,dc=X")


def test_a_trusted_hosts_wildcard_is_matched_in_linear_time() -> None:
    """`*a*a*a…*b` was the regex `.*a.*a….*b`, which backtracks exponentially in the stars
    (10 stars against a 40-letter name: 170 s, `winrmlint connect` to that name hung)."""
    import time

    from winrmlint.model.trusted_hosts import matches

    def seconds(stars: int, name: int) -> float:
        start = time.process_time()
        assert matches("*a" * stars + "*b", "a" * name) is None
        return time.process_time() - start

    seconds(1, 10)
    small, large = seconds(500, 10_000), seconds(2_000, 40_000)
    assert large <= 8 * max(small, 0.002), (small, large)
    assert matches("web*,*.corp.contoso.com", "WEB01.x").text == "web*"
    assert matches("ab*cd*ef", "abcdef").text == "ab*cd*ef" and matches("ab*cd*ef", "abcef") is None
