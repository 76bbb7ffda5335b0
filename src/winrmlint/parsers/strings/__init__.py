"""Localised strings of the Windows tools, one table per format, each string with where it was read.

Windows prints `setspn`, `netsh`, `sc` and `reg` messages in the language of the server. A parser
reads structure first; where a fact hangs on words (a verdict, a header, a key name, a yes/no),
it asks its format's `Table` instead of matching an English literal. A `Phrase` is the text as
the tool prints it, `{name}` marking a variable part, with the language and the public source it
was read from; `verified=False` marks a string no published source showed (kept from an earlier
fixture or inferred from a sibling message), so a reader of the table knows which ones to doubt.

Matching is loose where consoles and pastes differ and strict elsewhere: case, spaces,
full-width `（）：，` and the final `.`/`。`/`!`/`:` do not matter; the words do. For each set of
keys a parser asks for, the fixed phrases go into one dictionary of normalised texts and those
with variable parts into one compiled alternation, both built on first use: most lines cost one
dictionary lookup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
        match = lookup.pattern.fullmatch(text) if lookup.pattern else None
        if match is None or match.lastgroup is None:
            return None
        index = int(match.lastgroup[1:])
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
        alternatives = [
            # the group of the whole alternative is named last, so `lastgroup` names the phrase
            f"(?P<p{index}>{_regex(phrase.text, index)})" for index, phrase in chosen if "{" in phrase.text
        ]
        pattern = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None
        lookup = self._compiled[keys] = _Lookup(exact, pattern)
        return lookup


@dataclass(frozen=True)
class _Lookup:
    """What `Table.find` searches for one set of keys: fixed phrases by their normal form, the others by pattern."""

    exact: dict[str, int]
    pattern: re.Pattern[str] | None


_WIDE = str.maketrans("（）：，’", "():,'")


def _normal(text: str) -> str:
    """A fixed phrase as matching sees it: no case, no spaces, ASCII punctuation, no final stop."""
    return "".join(text.translate(_WIDE).casefold().split()).rstrip(".。!！:…")


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
