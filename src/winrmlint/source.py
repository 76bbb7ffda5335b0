"""Source texts and locations: the only place that turns bytes into lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Control characters other than tab, CR, LF and form feed: text dumps never hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True, order=True)
class Location:
    """Where a value was read: a file (as a relative URI) and a 1-based line."""

    uri: str
    line: int


class DecodeError(Exception):
    """The bytes are not text in any encoding Windows tools write."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class SourceText:
    """A decoded file: its URI, its text split into lines, the encoding that was used."""

    uri: str
    lines: tuple[str, ...]
    encoding: str

    @classmethod
    def from_text(cls, uri: str, text: str, encoding: str = "utf-8") -> SourceText:
        return cls(uri, tuple(_LINE_BREAK.split(text)), encoding)

    @classmethod
    def from_bytes(cls, uri: str, data: bytes) -> SourceText:
        text, encoding = decode(data)
        return cls.from_text(uri, text, encoding)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def at(self, line: int) -> Location:
        return Location(self.uri, line)


def decode(data: bytes) -> tuple[str, str]:
    """Decode by BOM, then by sniffing UTF-16, then UTF-8, then Windows ANSI (REGEDIT4, cmd pastes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8 with BOM"), "utf-8-sig"
    if data.startswith(b"\xff\xfe"):
        return _strict(data[2:], "utf-16-le", "UTF-16LE with BOM"), "utf-16-le"
    if data.startswith(b"\xfe\xff"):
        return _strict(data[2:], "utf-16-be", "UTF-16BE with BOM"), "utf-16-be"
    sniffed = _sniff_utf16(data)
    if sniffed:
        return _strict(data, sniffed, sniffed.upper() + " without BOM"), sniffed
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Windows PowerShell 5.1 and regedit's REGEDIT4 write the ANSI code page
        text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
    _refuse_binary(text)
    return text, encoding


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-heavy text has NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    odd_nuls = sample[1::2].count(0)
    even_nuls = sample[0::2].count(0)
    half = len(sample) // 2
    if odd_nuls > half * 0.6 and even_nuls < half * 0.1:
        return "utf-16-le"
    if even_nuls > half * 0.6 and odd_nuls < half * 0.1:
        return "utf-16-be"
    return None


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        line = data[: err.start].decode(codec, errors="replace").count("\n") + 1
        raise DecodeError(f"invalid {label} at byte {err.start}: {err.reason}", line) from None
    _refuse_binary(text)
    return text


def _refuse_binary(text: str) -> None:
    match = _CONTROL.search(text)
    if match and (match.group() == "\x00" or len(_CONTROL.findall(text[:65536])) > 8):
        line = text.count("\n", 0, match.start()) + 1
        raise DecodeError(f"binary content (control byte 0x{ord(match.group()):02x})", line)
