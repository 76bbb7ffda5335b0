"""JSON written as it is made: what `json.dump(value, indent=2, ensure_ascii=False)` writes (with
`sort_keys` if asked), byte for byte, where a `Stream` member is a list whose elements are
encoded and written one at a time, so that a report never holds its whole document.

json's own encoder is pure Python once it indents; this one is a little faster, which matters
because a fleet's report is written by the one parent process.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

# the C encoder of one string, as json.dumps(ensure_ascii=False) uses it
_string = json.encoder.encode_basestring


class Stream(list[Any]):
    """A list member whose elements come from `items` as `dump` writes them (it stays empty)."""

    def __init__(self, items: Iterable[Any]) -> None:
        super().__init__()
        self.items = items


def dump(value: Any, stream: TextIO, sort_keys: bool = False) -> None:
    """`value` and a final newline, as json.dump(indent=2, ensure_ascii=False) writes them."""
    _dump(value, stream, "", sort_keys)
    stream.write("\n")


def _dump(value: Any, stream: TextIO, indent: str, sort_keys: bool) -> None:
    inner = indent + "  "
    if isinstance(value, Stream):
        first = True
        for element in value.items:
            stream.write(("[\n" if first else ",\n") + inner)
            _dump(element, stream, inner, sort_keys)
            first = False
        stream.write("[]" if first else "\n" + indent + "]")
    elif not _streams(value):
        stream.write(encode(value, indent, sort_keys))
    elif isinstance(value, dict):
        for n, key in enumerate(sorted(value) if sort_keys else value):
            stream.write(("{\n" if n == 0 else ",\n") + inner + _string(key) + ": ")
            _dump(value[key], stream, inner, sort_keys)
        stream.write("\n" + indent + "}")
    else:
        for n, element in enumerate(value):
            stream.write(("[\n" if n == 0 else ",\n") + inner)
            _dump(element, stream, inner, sort_keys)
        stream.write("\n" + indent + "]")


def encode(value: Any, indent: str = "", sort_keys: bool = False) -> str:
    """json.dumps(value, indent=2, ensure_ascii=False), as if nested at this indentation."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        if not all(isinstance(k, str) for k in value):
            # json's own conversions of other keys (numbers, booleans, null)
            return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys).replace("\n", "\n" + indent)
        inner = indent + "  "
        keys = sorted(value) if sort_keys else value
        return "{\n" + ",\n".join(f"{inner}{_string(k)}: {encode(value[k], inner, sort_keys)}" for k in keys) + "\n" + indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + encode(v, inner, sort_keys) for v in value) + "\n" + indent + "]"
    # numbers, booleans and null, as json writes them
    return json.dumps(value)


def _streams(value: Any) -> bool:
    if isinstance(value, Stream):
        return True
    if isinstance(value, dict):
        return any(_streams(v) for v in value.values())
    if isinstance(value, list):
        return any(_streams(v) for v in value)
    return False
