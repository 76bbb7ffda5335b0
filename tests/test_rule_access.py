"""WRM602 through the CLI: broad groups are errors, a RootSDDL widened by named principals a note."""

from __future__ import annotations

from conftest import FIXTURES, lint_json

RULES = FIXTURES / "rules" / "WRM602"


def lint(target: str) -> tuple[int, list[dict]]:
    code, doc = lint_json(target, "--select", "WRM602")
    return code, [f for h in doc["hosts"] for f in h["findings"]]


def test_named_principals_beyond_the_default_are_a_note_that_does_not_fail_the_gate():
    code, found = lint(str(RULES / "fail" / "named-groups-widened"))
    assert code == 0
    [note] = found
    assert note["level"] == "note"
    assert "BUILTIN\\Remote Management Users with `(A;;GA;;;RM)`" in note["message"]
    assert "S-1-5-21-1004336348-1177238915-682003330-1105" in note["message"]
    # the fix, should the grant not be meant, is the shipped DACL
    assert 'RootSDDL="O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)"' in note["fix"]


def test_a_broad_group_stays_an_error_beside_the_note_for_a_named_one():
    code, found = lint(str(RULES / "fail" / "domain-users-sid"))
    assert code == 1
    assert sorted(f["level"] for f in found) == ["error", "note"]


def test_deny_aces_sid_spellings_and_the_win7_default_widen_nothing():
    for case in ("deny-added-and-sid-spelling", "win7-default", "modern-default"):
        assert lint(str(RULES / "pass" / case))[1] == [], case
