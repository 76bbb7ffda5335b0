"""Localised strings of the Windows tools, one table per format, each string with where it was read.

Windows prints `setspn`, `netsh`, `sc` and `reg` messages in the language of the server. A parser
reads structure first; where a fact hangs on words (a verdict, a header, a key name, a yes/no),
it asks its format's `Table` instead of matching an English literal. A `Phrase` is the text as
the tool prints it, `{name}` marking a variable part, with the language and the public source it
was read from; `verified=False` marks a string no published source showed (kept from an earlier
fixture or inferred from a sibling message), so a reader of the table knows which ones to doubt.

Matching is loose where consoles and pastes differ and strict elsewhere: case, spaces,
full-width `（）：，` and the final `.`/`。`/`!`/`:` do not matter; the words do. For each set of
keys a parser asks for, the fixed phrases go into one dictionary of normalised texts, built on
first use: most lines cost one dictionary lookup. A phrase with variable parts is a pattern of its
own, compiled the first time a line holds its longest fixed run of characters (a test of a
substring); the first phrase in table order that matches wins, as in one alternation of them all,
which compiled every phrase of a table at once (about 85 ms for setspn's, at every cold start).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from re import _casefix  # type: ignore[attr-defined]

# BCP 47 tags of the languages Windows Server ships in that the issue asks for; a table may lack some
LANGUAGES = ("en", "de", "fr", "es", "it", "pt-BR", "ru", "ja", "ko", "zh-CN", "zh-TW")

# what a `{name}` in a phrase stands for
_PLACEHOLDERS = {
    # an account's distinguished name: spaces inside (`OU=Serveurs Web`), but its last value has
    # none, so words after it (`为 <DN> 取消注册`) are never taken into it
    "dn": r"CN=.*?=[^\s=]+",
    "dc": r"(?:DC|CN)=\S+",  # a domain or forest: DC=corp,DC=contoso,DC=com
    "n": r"\d+",
    "spn": r"\S+",
    "any": r".*?",
}
_FINAL = "\\s*[.。!！:：…]*"
# lines longer than this are nobody's message; lazy placeholders would cost quadratic time on them
_MAX_LINE = 2000


@dataclass(frozen=True)
class Phrase:
    """One string a tool prints: what it means to the parser (`key`), in which language, from where."""

    key: str
    language: str
    text: str
    source: str
    verified: bool = True


@dataclass(frozen=True)
class Found:
    """A line that is one of the table's phrases, and the variable parts it holds."""

    phrase: Phrase
    parts: dict[str, str]

    @property
    def key(self) -> str:
        return self.phrase.key

    @property
    def language(self) -> str:
        return self.phrase.language


@dataclass(frozen=True, eq=False)
class Table:
    """The localised strings of one format (`display` names it in messages); `borrowed` are another
    tool's strings that its files hold too (PowerShell's error record), searched but not counted
    among the format's languages."""

    display: str
    phrases: tuple[Phrase, ...]
    borrowed: tuple[Phrase, ...] = ()
    _compiled: dict[tuple[str, ...], _Lookup] = field(default_factory=dict, repr=False, compare=False)
    _patterns: dict[int, re.Pattern[str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages of which the table knows at least one string, in `LANGUAGES` order."""
        known = {phrase.language for phrase in self.phrases}
        return tuple(language for language in LANGUAGES if language in known)

    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(phrase.key for phrase in self.phrases + self.borrowed))

    def find(self, text: str, *keys: str) -> Found | None:
        """The phrase (of one of `keys`, in any language) that the whole stripped line is."""
        text = text.strip()
        if not text or len(text) > _MAX_LINE:
            return None
        lookup = self._compiled.get(keys) or self._compile(keys)
        exact = lookup.exact.get(_normal(text))
        if exact is not None:
            return Found((self.phrases + self.borrowed)[exact], {})
        if not lookup.variable:
            return None
        folded = fold(text)
        for index, literal in lookup.variable:
            if literal not in folded:
                continue
            match = (self._patterns.get(index) or self._pattern(index)).fullmatch(text)
            if match is not None:
                break
        else:
            return None
        suffix = f"_{index}"
        parts = {name[: -len(suffix)]: value for name, value in match.groupdict().items()
                 if value is not None and name.endswith(suffix) and name != f"p{index}"}  # fmt: skip
        return Found((self.phrases + self.borrowed)[index], parts)

    def says(self, text: str, *keys: str) -> bool:
        return self.find(text, *keys) is not None

    def unknown(self, text: str) -> str:
        """The message of a file that has this format's structure in a language the table lacks."""
        known = ", ".join(self.languages)
        return f"{self.display} output in a language winrmlint does not know: `{text.strip()[:100]}` (known: {known})"

    def skipped(self, text: str) -> str:
        """The note on one such line in a file whose other lines the table knows (a hand-typed line,
        a block pasted from a server in another language)."""
        return f"`{text.strip()[:100]}` is no {self.display} line in a language winrmlint knows: skipped"

    def _compile(self, keys: tuple[str, ...]) -> _Lookup:
        wanted = set(keys)
        chosen = [(index, phrase) for index, phrase in enumerate(self.phrases + self.borrowed) if phrase.key in wanted]
        if not chosen:
            raise KeyError(f"{self.display}: no phrase for {sorted(wanted)}")
        exact: dict[str, int] = {}
        for index, phrase in chosen:
            if "{" not in phrase.text:
                exact.setdefault(_normal(phrase.text), index)
        variable = tuple((index, _literal(phrase.text)) for index, phrase in chosen if "{" in phrase.text)
        lookup = self._compiled[keys] = _Lookup(exact, variable)
        return lookup

    def _pattern(self, index: int) -> re.Pattern[str]:
        text = (self.phrases + self.borrowed)[index].text
        pattern = self._patterns[index] = re.compile(f"(?P<p{index}>{_regex(text, index)})", re.IGNORECASE)
        return pattern


@dataclass(frozen=True)
class _Lookup:
    """What `Table.find` searches for one set of keys: fixed phrases by their normal form, the others by pattern."""

    exact: dict[str, int]
    # the phrases with variable parts, in table order, each with a folded literal every line it
    # matches holds ("" when it has none of two characters or more)
    variable: tuple[tuple[int, str], ...]


_WIDE = str.maketrans("（）：，’", "():,'")


def _normal(text: str) -> str:
    """A fixed phrase as matching sees it: no case, no spaces, ASCII punctuation, no final stop."""
    return "".join(text.translate(_WIDE).casefold().split()).rstrip(".。!！:…")


def _equivalents() -> dict[int, int]:
    """Characters that IGNORECASE matching takes as equal beyond their lower case (`ı` and `i`,
    `ſ` and `s`, `ς` and `σ`: `re._casefix`), each mapped to one of its class."""
    canonical: dict[int, int] = {}

    def root(code: int) -> int:
        while canonical.get(code, code) != code:
            code = canonical[code]
        return code

    for code, extras in _casefix._EXTRA_CASES.items():
        for extra in extras:
            a, b = root(code), root(extra)
            canonical[max(a, b)] = min(a, b)
    return {code: root(code) for code in canonical}


_EQUIVALENT = _equivalents()
_DOTTED_I = str.maketrans({"\u0130": "i"})  # str.lower() gives `i` + a combining dot; re's lower case is `i`


def fold(text: str) -> str:
    """Text as IGNORECASE compares it, so that a literal of a phrase is a substring of every line its
    pattern matches (a necessary test, not a sufficient one)."""
    return text.translate(_DOTTED_I).lower().translate(_EQUIVALENT)


def _literal(text: str) -> str:
    """The longest run of characters that a phrase's pattern matches one for one (no space, no
    loose punctuation, no placeholder), folded; "" when shorter than two."""
    body = text.strip().rstrip(".。!！:：… ")
    runs = [run for piece in re.split(r"\{\w+\}", body) for run in re.split("[" + re.escape("".join(_CHARS)) + "]", piece)]
    longest = fold(max(runs, key=lambda run: len(fold(run)), default=""))
    return longest if len(longest) >= 2 else ""


def _regex(text: str, index: int) -> str:
    """A phrase as a pattern: placeholders become named groups, spacing and punctuation loose."""
    body = text.strip().rstrip(".。!！:：… ")
    out: list[str] = []
    named: set[str] = set()
    for piece in re.split(r"(\{\w+\})", body):
        if piece.startswith("{") and piece.endswith("}"):
            name = piece[1:-1]
            # a part named twice (`At line:{n} char:{n}`) is kept the first time only
            group = f"?P<{name}_{index}>" if name not in named else "?:"
            named.add(name)
            out.append(f"({group}{_PLACEHOLDERS[name]})")
            continue
        for char in piece:
            out.append(_CHARS.get(char) or re.escape(char))
    return "".join(out) + _FINAL


_CHARS = {
    " ": r"\s*",
    "(": "[(（]", "（": "[(（]", ")": "[)）]", "）": "[)）]",
    ":": "\\s*[:：]", "：": "\\s*[:：]", ",": "[,，]", "，": "[,，]", "'": "['’]", "’": "['’]",
}  # fmt: skip


def anchors(table: Table, *keys: str) -> tuple[str, ...]:
    """Lower-case literals for detection (formats.Format.anchors): each phrase's words before its
    first variable part, so a file holding any known language's phrase is a candidate."""
    found: list[str] = []
    for phrase in table.phrases:
        if keys and phrase.key not in keys:
            continue
        head = phrase.text.split("{", 1)[0].strip().rstrip(".。!！:：… ").lower()
        if len(head) >= 3 and head not in found:
            found.append(head)
    return tuple(found)
