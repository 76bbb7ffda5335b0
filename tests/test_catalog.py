"""Typing raw text: what Windows prints becomes a value; anything else stays text, marked invalid."""

from __future__ import annotations

import pytest

from winrmlint.model.catalog import coerce


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("int", "500", (500, True)),
        ("int", " 0x1761 ", (5985, True)),
        ("int", "4294967295", (4294967295, True)),
        ("int", "4294967296", ("4294967296", False)),
        ("int", "-1", ("-1", False)),
        ("int", "eighty", ("eighty", False)),
        ("int", "1_000", ("1_000", False)),
        ("int", "５０００", ("５０００", False)),
        ("int", "9" * 5000, ("9" * 5000, False)),
        ("bool", "TRUE", (True, True)),
        ("bool", "0", (False, True)),
        ("bool", "maybe", ("maybe", False)),
        ("list", "{10.0.0.5, ::1}", (("10.0.0.5", "::1"), True)),
        ("list", "null", ((), True)),
        ("str", "  wsman ", ("wsman", True)),
    ],
)
def test_coerce(kind: str, raw: str, expected: tuple) -> None:
    assert coerce(kind, raw) == expected
