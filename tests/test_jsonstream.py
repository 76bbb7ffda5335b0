"""output/jsonstream.py writes what json.dump writes, byte for byte, streamed members included."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given, strategies as st

from winrmlint.output import jsonstream

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


def _streamed(value: Any) -> Any:
    """The same value with every list of a dict turned into a Stream."""
    if isinstance(value, dict):
        return {k: jsonstream.Stream(iter([_streamed(e) for e in v])) if isinstance(v, list) else _streamed(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_streamed(v) for v in value]
    return value


@given(_VALUES, st.booleans())
def test_dump_writes_what_json_dump_writes(value: Any, sort_keys: bool) -> None:
    expected = json.dumps(value, indent=2, sort_keys=sort_keys, ensure_ascii=False) + "\n"
    for given_value in (value, _streamed(value)):
        out = io.StringIO()
        jsonstream.dump(given_value, out, sort_keys=sort_keys)
        assert out.getvalue() == expected


def test_numbers_as_keys_are_converted_as_json_converts_them() -> None:
    value = {"a": {1: "x", True: [None]}}
    out = io.StringIO()
    jsonstream.dump(value, out)
    assert out.getvalue() == json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def test_a_stream_is_read_once_as_it_is_written() -> None:
    taken: list[int] = []

    def elements() -> Any:
        for n in range(3):
            taken.append(n)
            yield {"n": n}

    out = io.StringIO()
    jsonstream.dump({"head": 1, "items": jsonstream.Stream(elements()), "tail": []}, out)
    assert taken == [0, 1, 2]
    assert json.loads(out.getvalue()) == {"head": 1, "items": [{"n": 0}, {"n": 1}, {"n": 2}], "tail": []}
