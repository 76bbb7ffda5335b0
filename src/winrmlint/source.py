"""Source texts and locations: the only place that turns bytes into lines.

Decoding goes by BOM (UTF-8, UTF-16, UTF-32), then UTF-16 sniffing, then UTF-8; bytes that are
none of these are 8-bit text in a code page Windows wrote: the ANSI page (PowerShell 5.1,
REGEDIT4) or the console's OEM page (`cmd.exe` redirects of setspn, sc, netsh). The page is
then guessed from the bytes (`guess_code_page`), and the text says so: `guessed` is true and a
remark names the page, so that a reader (and the SPN directory comparing account names) knows
the decoding may be wrong.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Control characters other than tab, CR, LF and form feed: text dumps never hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


# a UTF-16 surrogate on its own: Python keeps a file name's bytes that are not UTF-8 as one
# (U+DC80-U+DCFF), and JSON's `"\ud800"` escape makes one; no UTF-8 output can write it
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def valid_text(text: str) -> str:
    """`text` as every output can write it: each lone surrogate becomes the escapes of the bytes
    it stands for (a file name's `\\xff`; `\\xed\\xa0\\x80` for JSON's `\\ud800`), the rest as is."""
    if text.isascii() or not _LONE_SURROGATE.search(text):
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "backslashreplace")


def json_text(text: str | bytes) -> Any:
    """`json.loads` for JSON from outside (a manifest, a baseline, summaries to merge): every
    string in it, keys too, is valid text (`valid_text`), so that none can break a report."""
    import json

    data = json.loads(text)
    raw = text if isinstance(text, str) else text.decode("utf-8", "replace")
    if not _SURROGATE_ESCAPE.search(raw):
        return data
    return _valid_strings(data)


def _valid_strings(data: Any) -> Any:
    """`data` with `valid_text` applied to every string (iterative: JSON's depth is not trusted)."""
    top: list[Any] = [data]
    stack: list[tuple[Any, Any]] = [(top, 0)]
    while stack:
        parent, key = stack.pop()
        value = parent[key]
        if isinstance(value, str):
            parent[key] = valid_text(value)
        elif isinstance(value, list):
            stack.extend((value, i) for i in range(len(value)))
        elif isinstance(value, dict):
            fixed = {valid_text(k) if isinstance(k, str) else k: v for k, v in value.items()}
            parent[key] = fixed
            stack.extend((fixed, k) for k in fixed)
    return top[0]


@dataclass(frozen=True, order=True, slots=True)
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
    """A decoded file: its URI, its text split into lines, the encoding that was used.

    `guessed` is true when the encoding was guessed from the bytes (an 8-bit code page):
    names read from such a file may be spelled differently by another file of the same
    account, and should be compared with `readings()`. `remarks` are (line, message) notes
    that decoding made (the guessed page, an archive appended to the text).
    """

    uri: str
    lines: tuple[str, ...]
    encoding: str
    guessed: bool = False
    remarks: tuple[tuple[int, str], ...] = ()
    # another page the same bytes are valid text in, tried when the guessed page's text reads as
    # nothing (GBK and Big5, which letters alone cannot tell apart): `other_reading()`
    alternative: str | None = None

    @classmethod
    def from_text(cls, uri: str, text: str, encoding: str = "utf-8", guessed: bool = False,
                  remarks: tuple[tuple[int, str], ...] = ()) -> SourceText:
        return cls(uri, tuple(_LINE_BREAK.split(text)), encoding, guessed, remarks)

    @classmethod
    def from_bytes(cls, uri: str, data: bytes) -> SourceText:
        remarks: list[tuple[int, str]] = []
        appended = _appended_archive(data)
        if appended is not None:
            data = data[:appended]
        text, encoding = decode(data)
        guessed = encoding in _CODE_PAGES
        if guessed:
            remarks.append((1, f"decoded as {encoding} ({_CODE_PAGES[encoding]}), guessed from the bytes: the file is "
                               "not UTF-8 or UTF-16; names with accented or non-Latin letters may be misread"))
        if appended is not None:
            remarks.append((text.count("\n") + 1, f"an archive is appended to the text at byte {appended}: not read "
                                                    "(unpack it and lint its files, if they are dumps)"))
        source = cls.from_text(uri, text, encoding, guessed, tuple(remarks))
        # Big5 is not guessed (GBK, Cyrillic and other pages read most of its bytes as letters):
        # it is the other reading of any guessed text that is valid Big5, tried if the guess reads as nothing
        if guessed and _valid(data, encoding) and _valid(data, _BIG5):
            source = replace(source, alternative=_BIG5)
        return source

    def other_reading(self) -> SourceText | None:
        """The text as the bytes read in the `alternative` page (lossless: both pages read the
        bytes without error), with a remark saying why; None when there is no alternative."""
        if self.alternative is None:
            return None
        data = self.text.encode(self.encoding)
        page = self.alternative
        remark = (1, f"decoded as {page} ({_OTHER_PAGES[page]}): read as {self.encoding} ({_CODE_PAGES[self.encoding]}), "
                     "the file's words matched nothing winrmlint knows; names with non-Latin letters may be misread")
        return SourceText.from_text(self.uri, data.decode(page), page, True, (remark, *self.remarks[1:]))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def at(self, line: int) -> Location:
        return Location(self.uri, line)


def decode(data: bytes) -> tuple[str, str]:
    """Decode by BOM, then by sniffing UTF-16, then UTF-8, then a guessed Windows code page."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8 with BOM"), "utf-8-sig"
    # before UTF-16's: the UTF-32LE BOM starts with it (`Out-File -Encoding UTF32`)
    if data.startswith(b"\xff\xfe\x00\x00"):
        return _strict(data[4:], "utf-32-le", "UTF-32LE with BOM"), "utf-32-le"
    if data.startswith(b"\x00\x00\xfe\xff"):
        return _strict(data[4:], "utf-32-be", "UTF-32BE with BOM"), "utf-32-be"
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
        encoding = guess_code_page(data)
        text = data.decode(encoding, errors="replace")
    _refuse_binary(text)
    return text, encoding


# The code pages Windows writes 8-bit text in, most likely first (a tie goes to the earlier):
# ANSI Western (PowerShell 5.1, REGEDIT4), then the consoles' OEM pages (cmd.exe redirects)
# and the other ANSI pages, Western, Cyrillic, Central European, Greek, then East Asian. Big5
# (cp950) is left out: most GBK text is valid Big5 too, and letters alone cannot tell them apart.
_CODE_PAGES = {
    "cp1252": "Windows ANSI, Western",
    "cp850": "OEM, Western European console",
    "cp437": "OEM, US console",
    "cp866": "OEM, Russian console",
    "cp1251": "Windows ANSI, Cyrillic",
    "cp852": "OEM, Central European console",
    "cp1250": "Windows ANSI, Central European",
    "cp737": "OEM, Greek console",
    "cp1253": "Windows ANSI, Greek",
    "cp932": "Japanese, Shift-JIS",
    "cp936": "Simplified Chinese, GBK",
    "cp949": "Korean",
}
_BIG5 = "cp950"
_OTHER_PAGES = {_BIG5: "Traditional Chinese, Big5"}
_WORD = re.compile(r"[^\W\d_]+")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_SAMPLE_BYTES = 256 * 1024
# typographic marks that 8-bit Western text holds; any other symbol or box-drawing character
# in a decoding says the page is wrong
_TYPOGRAPHIC = frozenset("°§€’‘“”–—…«»·±×÷¢£¥©®µ¶¼½¾¿¡\u00a0")
_GROUPS = {"LATIN": "L", "CYRILLIC": "C", "GREEK": "G", "CJK": "J", "HIRAGANA": "J", "KATAKANA": "J", "HANGUL": "K"}


def guess_code_page(data: bytes) -> str:
    """The code page in which the bytes read most like text: letters rather than symbols, and
    words in one script (a DN read in the wrong OEM page mixes Latin and Cyrillic letters, or
    becomes half-width katakana). Linear: a sample of the bytes is scored once per page."""
    sample = data[:_SAMPLE_BYTES]
    best, best_score = "cp1252", float("-inf")
    for page in _CODE_PAGES:
        try:
            text = sample.decode(page)
        except UnicodeDecodeError as err:
            if err.start < len(sample) - 2:  # a multi-byte character cut by the sample is not wrong
                continue
            text = sample[: err.start].decode(page)
        score = _plausibility(text)
        if score > best_score:
            best, best_score = page, score
    return best


def _plausibility(text: str) -> float:
    score = 0.0
    for char in (c for c in text if ord(c) > 127):
        name = unicodedata.name(char, "")
        if name.startswith("HALFWIDTH KATAKANA"):
            score -= 1  # what most East Asian and OEM bytes become in Shift-JIS: rare in real text
        elif char.isalpha():
            # an East Asian letter is two bytes; kana and Hangul are a language's own letters
            # where GBK would read the same bytes as ideographs
            wide = ord(char) >= 0x2E80
            score += (2.5 if name.startswith(("HIRAGANA", "KATAKANA", "HANGUL")) else 2) if wide else 1
        elif char not in _TYPOGRAPHIC:
            score -= 1
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        groups = {_GROUPS.get(unicodedata.name(c, "?").split(" ", 1)[0], "?") for c in word}
        # the marks of a wrong page: scripts mixed in a word, a capital after a small letter
        # (`ЛгЛг`), accented Latin letters in a row (`Èìÿ`, Cyrillic read as Western)
        if len(groups) > 1:
            score -= 2
        if _hump(word):
            score -= 2
        if groups == {"L"}:
            score -= sum(len(run) - 1 for run in _NON_ASCII_RUN.findall(word))
    return score


def _valid(data: bytes, page: str) -> bool:
    try:
        data.decode(page)
    except UnicodeDecodeError:
        return False
    return True


def _hump(word: str) -> bool:
    """A capital right after a small letter (`ЛгЛг`, `ParamŠtres`: cp850 bytes read as cp1252):
    what a wrong page makes of a word, in any script."""
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))


def _appended_archive(data: bytes) -> int | None:
    """Where an archive starts that is appended to text (`type dump.txt bundle.zip > x`), if one is."""
    at = data.find(b"PK\x03\x04", 1)
    if at <= 0:
        return None
    try:
        if zipfile.is_zipfile(io.BytesIO(data[at:])):
            return at
    except (OSError, ValueError):
        return None
    return None


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


def loose_key(name: str) -> str:
    """A name as two decodings of the same bytes agree on it: case folded, each run of
    non-ASCII characters one `?` (every code page Windows writes agrees on ASCII; they differ in
    what the other bytes are, and how many characters they make). `Müller` read as cp850,
    cp866 (`MБller`) or UTF-8 are all `m?ller`. Compare names from a `guessed` source by it."""
    return _NON_ASCII_RUN.sub("?", name).casefold()


@lru_cache(maxsize=4096)
def readings(text: str, page: str) -> frozenset[str]:
    """Every text that the bytes `text` was decoded from (with the guessed `page`) reads as in
    a page Windows writes, or in UTF-8: one of them is the spelling a correctly decoded dump of
    the same account shows. Exact where `loose_key` only sets letters aside (a GBK misreading
    swallows the ASCII byte after a letter); a text the page cannot give back is only itself."""
    try:
        raw = text.encode(page)
    except (UnicodeEncodeError, LookupError):
        return frozenset({text})
    found = {text}
    for other in ("utf-8", *_CODE_PAGES):
        try:
            found.add(raw.decode(other))
        except UnicodeDecodeError:
            continue
    return frozenset(found)
