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
    if codec == "utf-16-le":
        # cmd's `>>` appends 8-bit text to a UTF-16 file; read as UTF-16 it is not an error but
        # CJK-looking noise, in which CR LF becomes U+0A0D, a code point that is never assigned
        mixed = text.find("\u0a0d")
        if mixed >= 0:
            line = text.count("\n", 0, mixed) + 1
            raise DecodeError(f"mixed encodings: 8-bit text inside {label}", line)
    _refuse_binary(text)
    return text


def _refuse_binary(text: str) -> None:
    # NUL anywhere (not only as the first control character): no Windows tool prints one in text,
    # and C libraries such as libxml2 would stop reading at it
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        if text[nul : nul + 16 : 2] == "\x00" * 8:
            # PowerShell 5.1's `>>` appends UTF-16LE to a file that another tool wrote in 8 bits
            raise DecodeError("mixed encodings: UTF-16 text inside 8-bit text", line)
        raise DecodeError("binary content (control byte 0x00)", line)
    match = _CONTROL.search(text)
    if match and len(_CONTROL.findall(text[:65536])) > 8:
        line = text.count("\n", 0, match.start()) + 1
        raise DecodeError(f"binary content (control byte 0x{ord(match.group()):02x})", line)
