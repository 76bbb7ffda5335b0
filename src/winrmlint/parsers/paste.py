"""What people do to text when they paste it, undone once for every parser (formats.md, "How real
pastes differ from clean redirects").

`prepare` returns a `PastedText`: the lines as the tool printed them, each still pointing at the
line of the file it came from, and a note for everything that was taken away. Every step is one
linear pass and is skipped outright when its marker does not occur, so clean files cost a few
substring tests. What a line *means* (a prompt, an elision) is decided here too, so that every
parser reads it the same way.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from winrmlint.model.values import Note, ParsedDump, ParseError
from winrmlint.parsers.strings import fold
from winrmlint.source import Location, SourceText


# every note of this layer starts so: how the text was read, not what it says
NOTE_PREFIX = "paste: "


@dataclass(frozen=True)
class PastedText(SourceText):
    """A source with the paste undone: `origin[i]` is the file line of `lines[i]` (empty when every line
    is where it was in the file); `notes` say what changed."""

    origin: tuple[int, ...] = ()
    notes: tuple[Note, ...] = ()

    def at(self, line: int) -> Location:
        if not self.origin:
            return Location(self.uri, line)
        return Location(self.uri, self.origin[min(max(line, 1), len(self.origin)) - 1])

    def line_of(self, line: int) -> int:
        """The file line of a 1-based line of this text (ParseError lines are mapped with it)."""
        return self.at(line).line

    def view(self, keep: Callable[[int], bool]) -> PastedText:
        """The same text with the lines whose 0-based index `keep` refuses blanked: a part of a transcript
        that keeps every line number."""
        lines = tuple(line if keep(i) else "" for i, line in enumerate(self.lines))
        return PastedText(self.uri, lines, self.encoding, self.guessed, self.remarks, origin=self.origin)


def pasted(parse: Callable[[SourceText], ParsedDump]) -> Callable[[SourceText], ParsedDump]:
    """A parser's `parse` reading the text with the paste undone: notes of what was undone come first,
    a refusal names the file's line."""

    @functools.wraps(parse)
    def read(source: SourceText) -> ParsedDump:
        text = prepare(source)
        try:
            dump = parse(text)
        except ParseError as err:
            raise ParseError(str(err), text.line_of(err.line)) from None
        dump.notes[:0] = text.notes
        return dump

    return read


def sniffed(sniff: Callable[[SourceText], int]) -> Callable[[SourceText], int]:
    """A parser's `sniff` scoring the text with the paste undone."""

    @functools.wraps(sniff)
    def score(source: SourceText) -> int:
        return sniff(prepare(source))

    return score


# --- what a line is --------------------------------------------------------------------------------

# `PS C:\…>`, `[PS] C:\scripts>`, `C:\Windows\system32>   `, `c:>`, `$ `, `> `, `PS>`, `user@host:~$ `
_PROMPT_BODY = r"\[?PS\]?[ \t]*[A-Za-z]:\\[^>\n]*>|[A-Za-z]:(?:\\[^>\n]*)?>|PS[ \t]?>|\$ |> |[\w.\-]+@[\w.\-]+:[^$#\s]*[$#] "
# prompts the drive-letter form does not match: a provider drive (`PS WSMan:\localhost>`,
# `PS HKLM:\SOFTWARE>`), a remote session (`[app07]: PS C:\Users>`), pwsh on Linux (`PS /home/x>`)
_PROVIDER_BODY = r"(?:\[[^\]\s]+\]:[ \t]*)?PS[ \t]+(?:[A-Za-z][\w.\-]*:|/)[^>\n]*>"
PROMPT = re.compile(rf"^\s*+(?:{_PROMPT_BODY})")
# any prompt, for a pattern over a whole text (MULTILINE): never crosses a line
PROMPTS = rf"(?:{_PROMPT_BODY}|{_PROVIDER_BODY})"

_MAX_MARK = 120
# "rest omitted" as authors write it, in the languages of the table in README "What it reads"
_OMITTED_WORDS = (
    r"snip|snipped|truncated|omitted|output truncated|rest omitted|more|cut|trimmed|shortened|abridged|"
    r"gekürzt|gek\u00fcrzt|rest gekürzt|ausgelassen|weggelassen|gekuerzt|"
    r"coupé|tronqué|reste omis|omis|"
    r"recortado|omitido|resto omitido|truncado|"
    r"omesso|resto omesso|tagliato|troncato|"
    r"cortado|resto omitido|"
    r"остальное опущено|опущено|обрезано|пропущено|сокращено|"
    r"以下省略|以下略|省略|中略|後略|"
    r"생략|이하 생략|중략|"
    r"其余省略|省略其余|略|截断|其餘省略"
)
# hand-made elisions: `(...)`, `[snip]`, `⋮`, `...`, `-- snip --`, "rest omitted" in any of those words
ELISION = re.compile(
    r"^\s*(?:"
    r"[(\[<{（【]\s*(?:\.\.\.|…|⋯)?\s*(?:" + _OMITTED_WORDS + r")?\s*(?:\.\.\.|…|⋯)?\s*[)\]>}）】]"
    r"|[-=~✂\s]*(?:\.\.\.|…|⋯)?\s*(?:" + _OMITTED_WORDS + r")\s*(?:\.\.\.|…|⋯)?[-=~✂\s]*"
    r"|[⋮⋯︙]+|\.{3,}|…+|(?:\.\s){2,}\."
    r")\s*$",
    re.IGNORECASE,
)
# an author's annotation after a value: `# should be true`, `// wrong`, `<- here`, `--> wrong`, `← this`;
# always after a space. A match starts only where a run of spaces does (lookbehind) and never gives
# spaces back (possessive): searched from every offset of a long run of spaces, it was quadratic.
ANNOTATION = re.compile(r"(?<=\S)[ \t]++(?:#|//|<-|-->|←).*$")
_ANNOTATION_MARKS = tuple(f"{blank}{mark}" for blank in " \t" for mark in ("#", "//", "<-", "-->", "←"))

# Cheap tests that come first, on every line of every parser: each is necessary for its pattern to
# match, so a line failing it is answered without running the pattern. Every prompt ends in `>`,
# `$ ` or `# `; an elision's first and last characters are a bracket, a dash, a dot or ellipsis, or
# the first (last) letter of one of the words, compared as IGNORECASE compares (strings.fold)
_ELISION_ENDS = "-=~✂.…⋯⋮︙"
_WORDS = _OMITTED_WORDS.split("|")
_ELISION_FIRST = frozenset(fold("([<{（【" + _ELISION_ENDS + "".join(word[0] for word in _WORDS)))
_ELISION_LAST = frozenset(fold(")]>}）】" + _ELISION_ENDS + "".join(word[-1] for word in _WORDS)))
# an ASCII character folds to its lower case: those two tests as set lookups, without folding
_ELISION_FIRST_ASCII = frozenset(c for c in map(chr, range(128)) if fold(c) in _ELISION_FIRST)
_ELISION_LAST_ASCII = frozenset(c for c in map(chr, range(128)) if fold(c) in _ELISION_LAST)


# the same, after the blanks: `str.lstrip` skips them (the same characters as `\s`) at a fraction
# of the pattern's cost, which several passes per line paid on a 1 MB run of blanks (0.45 s)
_PROMPT_AFTER_BLANKS = re.compile(rf"(?:{_PROMPT_BODY})|(?:{_PROVIDER_BODY})")


def is_prompt(line: str) -> bool:
    if ">" not in line and "$" not in line and "#" not in line:
        return False
    return _PROMPT_AFTER_BLANKS.match(line.lstrip()) is not None


def prompt_command(line: str) -> str | None:
    """The command typed after a prompt (`PS C:\\> setspn -Q x` → `setspn -Q x`); None if no prompt."""
    if ">" not in line and "$" not in line and "#" not in line:
        return None
    body = line.lstrip()
    match = _PROMPT_AFTER_BLANKS.match(body)
    return body[match.end() :].strip() if match else None


def is_elision(line: str) -> bool:
    # `(...)` holds a word or an ellipsis: `()` or `[]` alone is no elision; an elision line is short,
    # which also bounds the pattern's work on a hostile line
    text = line.strip()
    if not 0 < len(text) <= _MAX_MARK or text in ("()", "[]", "<>", "{}"):
        return False
    first, last = text[0], text[-1]
    if first.isascii() and last.isascii():
        if first not in _ELISION_FIRST_ASCII or last not in _ELISION_LAST_ASCII:
            return False
    else:
        ends = fold(first + last)
        if ends[0] not in _ELISION_FIRST or ends[-1] not in _ELISION_LAST:
            return False
    return bool(ELISION.match(text))


def strip_annotation(line: str) -> str:
    """The line without an author's annotation after its value (`150 --> wrong` reads 150)."""
    # the pattern tries every offset: asked only of a line holding a blank and a mark (a parser
    # asks it of each line, several times of a 1 MB one)
    marked = "#" in line or "//" in line or "<-" in line or "-->" in line or "←" in line
    return ANNOTATION.sub("", line) if marked else line


# --- the steps ---------------------------------------------------------------------------------------

_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:gt|lt|amp|quot|apos|nbsp|#39|#x27|#34|#92|#x5c);", re.IGNORECASE)
# where Windows prints one backslash and Markdown escaping makes two: a drive, a registry root, a
# principal's authority, the WSMan provider
_DOUBLED = re.compile(
    r"(?:^|[\s\[(])[A-Za-z]:\\\\(?!\\)|HKEY_[A-Z_]+\\\\(?!\\)|\bHK(?:LM|CU)\\\\(?!\\)|"
    r"NT AUTHORITY\\\\(?!\\)|BUILTIN\\\\(?!\\)|WSMan::\\\\?localhost\\\\",
    re.IGNORECASE,
)
_SINGLE = re.compile(
    r"(?:^|[\s\[(])[A-Za-z]:\\(?!\\)|HKEY_[A-Z_]+\\(?!\\)|\bHK(?:LM|CU)\\(?!\\)|"
    r"NT AUTHORITY\\(?!\\)|BUILTIN\\(?!\\)|WSMan::localhost\\(?!\\)",
    re.IGNORECASE,
)
_BLANK_LINE = re.compile(r"\n[ \t\f\v\r]*(?=\n)")
_REG_STRING_VALUE = re.compile(r'^\s*(?:"[^"]*"|@)\s*=\s*"')
_FENCE = re.compile(r"^\s*(?:```|~~~)[\w+\-. ]*\s*$")
_EMPHASIS = re.compile(r"^(?P<indent>\s*)(?P<mark>\*\*|__|``?)(?P<inner>\S(?:.*\S)?)(?P=mark)\s*$")
_QUOTE = re.compile(r"^>[ \t]?")
_TOOL_MARK = re.compile(r"^\[[*+!i\-]\][ \t]?")
_LINE_NUMBER = re.compile(r"^[ \t]*(?P<number>\d{1,6})(?:[:.|)\]]|(?=\s)|$)")
# how a line of a prefixed block starts (after a newline): a quote, a tool's marker, an indent
_BLOCK_START = re.compile(r"\n(?:>|\[[*+!i\-]\]|[ \t])")
_COMMENT_MARKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("//", re.compile(r"^//[ \t]?")),
    ("#", re.compile(r"^#[ \t]?")),
    ("REM", re.compile(r"^REM(?:[ \t]|$)", re.IGNORECASE)),
    ("::", re.compile(r"^::[ \t]?")),
)


class _Work:
    """The lines being cleaned, their file lines, and the notes so far."""

    def __init__(self, source: SourceText) -> None:
        self.uri = source.uri
        self.lines = list(source.lines)
        self.origin = list(range(1, len(source.lines) + 1))
        self.moved = False  # a step joined or split lines: `origin` is no longer the identity
        self.notes: list[Note] = []

    def note(self, message: str, index: int) -> None:
        self.notes.append(Note(NOTE_PREFIX + message, Location(self.uri, self.origin[index] if self.origin else 1)))

    def span(self, first: int, last: int) -> str:
        a, b = self.origin[first], self.origin[last]
        return f"line {a}" if a == b else f"lines {a}–{b}"


_last: tuple[SourceText, PastedText] | None = None


def prepare(source: SourceText) -> PastedText:
    """The source with every paste artefact undone; a `PastedText` is returned as it is.

    The last result is kept: detection and then parsing prepare the same source."""
    global _last
    if isinstance(source, PastedText):
        return source
    if _last is not None and _last[0] is source:
        return _last[1]
    pasted = _prepare(source)
    _last = (source, pasted)
    return pasted


def _prepare(source: SourceText) -> PastedText:
    work = _Work(source)
    text = source.text
    found = _markers(text)
    xml = _is_xml(source.lines)
    if "<br" in found:
        _split_br(work)
    if "&" in found and not xml:
        _unescape(work)
    if "\\\\" in found:
        _undouble_backslashes(work)
    _undouble_spacing(work)
    changed = _strip_prefixes(work)
    if "fence" in found and _drop_fences(work):
        changed = True
    if changed:  # a quoted or fenced paste may be double-spaced inside
        _undouble_spacing(work)
    if "emphasis" in found:
        _unwrap_emphasis(work)
    if "annotation" in found and not _is_xml(work.lines):
        _strip_annotations(work)
    if ">" in found or "$" in found:
        _drop_repeated_echo(work)
    work.notes.sort(key=lambda n: n.location.line)
    # no line moved (the common case): locations need no table
    origin = tuple(work.origin) if work.moved else ()
    return PastedText(
        source.uri, tuple(work.lines), source.encoding, source.guessed, source.remarks, origin=origin, notes=tuple(work.notes)
    )


# what each step looks for: a step whose marker the text lacks is skipped. A one-character test runs
# at memory speed (memchr), a longer one about thirty times slower, one regex of alternatives slower
# still: a needle is looked for only once its first character is known to occur
_MARKERS = (
    ("<br", ("<br", "<BR", "<Br", "<bR")),
    ("&", ("&",)),
    ("\\\\", ("\\\\",)),
    ("fence", ("```", "~~~")),
    ("emphasis", ("`", "**", "__")),
    ("annotation", ("#", "//", "<-", "-->", "←")),
    (">", (">",)),
    ("$", ("$",)),
)


def _markers(text: str) -> set[str]:
    chars = {needle[0] for _, needles in _MARKERS for needle in needles}
    present = {char for char in chars if char in text}
    return {kind for kind, needles in _MARKERS if any(n[0] in present and n in text for n in needles)}


def _is_xml(lines: Sequence[str]) -> bool:
    # a quoted document is a document too (and `> <cfg:…` is no prompt)
    unquoted = (_TOOL_MARK.sub("", _QUOTE.sub("", line.lstrip())) for line in lines[:60])
    first = next((line.strip() for line in unquoted if line.strip() and not is_prompt(line)), "")
    return first.startswith("<") and not first.lower().startswith("<br")


def _split_br(work: _Work) -> None:
    lines: list[str] = []
    origin: list[int] = []
    for index, (line, at) in enumerate(zip(work.lines, work.origin)):
        parts = _BR.split(line)
        if len(parts) > 1:
            work.note(f"one line holding {len(parts)} lines joined by <br> read as {len(parts)} lines", index)
        lines.extend(parts)
        origin.extend([at] * len(parts))
    work.moved = work.moved or len(lines) != len(work.lines)
    work.lines, work.origin = lines, origin


def _unescape(work: _Work) -> None:
    changed = [i for i, line in enumerate(work.lines) if _ENTITY.search(line)]
    if not changed:
        return
    for index in changed:
        work.lines[index] = html.unescape(work.lines[index]).replace("\xa0", " ")
    work.note(f"HTML entities (&gt;, &amp;, …) decoded on {len(changed)} line(s)", changed[0])


def _undouble_backslashes(work: _Work) -> None:
    scanned = [line for line in work.lines if not _REG_STRING_VALUE.match(line)]
    first = next((i for i, line in enumerate(work.lines) if _DOUBLED.search(line)), None)
    if first is None or any(_SINGLE.search(line) for line in scanned):
        return
    work.lines = [line.replace("\\\\", "\\") for line in work.lines]
    work.note("backslashes doubled by Markdown escaping (`C:\\\\Windows`) read as single", first)


def _undouble_spacing(work: _Work) -> None:
    """A Q&A paste's blank line after every line: there a single blank line is no break, two are one."""
    lines = work.lines
    # counted in one C-level scan first: a text with too few blank lines to be double-spaced (nearly
    # every file) costs no per-line work
    blanks = len(_BLANK_LINE.findall("\n" + "\n".join(lines) + "\n"))
    if blanks < 0.9 * (len(lines) - blanks - 1) or len(lines) - blanks < 4:
        return
    blank = [not line.strip() for line in lines]
    content = blank.count(False)
    followed = sum(1 for a, b in zip(blank, blank[1:]) if not a and b)
    # nearly every line: a wrapped line may have escaped the doubling
    if content < 4 or followed < 0.9 * (content - 1):
        return
    runs: list[int] = []
    run = 0
    for is_blank in blank:
        if is_blank:
            run += 1
        else:
            if run:
                runs.append(run)
            run = 0
    inner = runs[1:] if blank and blank[0] else runs
    if inner.count(1) < 3:
        return
    kept_lines: list[str] = []
    kept_origin: list[int] = []
    index = 0
    while index < len(lines):
        if not blank[index]:
            kept_lines.append(lines[index])
            kept_origin.append(work.origin[index])
            index += 1
            continue
        end = index
        while end < len(lines) and blank[end]:
            end += 1
        if end - index >= 2 or index == 0 or end == len(lines):
            kept_lines.append("")
            kept_origin.append(work.origin[index])
        index = end
    work.note("every line was followed by a blank line (a double-spaced paste): those blank lines ignored", 0)
    work.lines, work.origin, work.moved = kept_lines, kept_origin, True


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) indexes of each run of non-blank lines."""
    found: list[tuple[int, int]] = []
    start: int | None = None
    for index, line in enumerate(lines):
        if line.strip():
            start = index if start is None else start
        elif start is not None:
            found.append((start, index - 1))
            start = None
    if start is not None:
        found.append((start, len(lines) - 1))
    return found


def _strip_prefixes(work: _Work) -> bool:
    """Prefixes repeated on every line: per block for quotes, tool markers and indents; over the whole
    file for line numbers and comment markers (a comment block inside a paste is the author's, not output)."""
    stripped = False
    for _ in range(6):  # nested prefixes (`> > `, `[*]` inside a quote) come off one at a time
        changed = _strip_file_prefix(work)
        if _BLOCK_START.search("\n" + "\n".join(work.lines)):
            for first, last in _blocks(work.lines):
                changed = _strip_block_prefix(work, first, last) or changed
        if not changed:
            break
        stripped = True
    return stripped


def _strip_file_prefix(work: _Work) -> bool:
    first = next((line for line in work.lines if line.strip()), "")
    # every line must start with the marker: the first content line rules out nearly every file
    marks = [(name, mark) for name, mark in _COMMENT_MARKS if mark.match(first)]
    if not marks and not _LINE_NUMBER.match(first):
        return False
    content = [i for i, line in enumerate(work.lines) if line.strip()]
    if len(content) < 2:
        return False
    for name, mark in marks:
        ends = _marker_ends([work.lines[i] for i in content], mark)
        if ends is not None:
            for i, end in zip(content, ends):
                work.lines[i] = work.lines[i][end:]
            work.note(f"the `{name}` comment marker on every line removed", content[0])
            return True
    return _strip_line_numbers(work, content)


def _marker_ends(lines: list[str], mark: re.Pattern[str]) -> list[int] | None:
    """Where the marker ends on each line; None unless every line has it. The blank after it is the
    marker's only when every line that goes on after the marker has one (`>Config` / `>    Client`)."""
    ends: list[int] = []
    for line in lines:
        match = mark.match(line)
        if match is None:
            return None
        ends.append(match.end())
    if not all(line[end - 1] in " \t" for line, end in zip(lines, ends) if end < len(line)):
        ends = [end - (line[end - 1 : end] in (" ", "\t")) for line, end in zip(lines, ends)]
    return ends


def _strip_line_numbers(work: _Work, content: list[int]) -> bool:
    if len(content) < 3:
        return False
    matches: list[re.Match[str]] = []
    for i in content:  # stops at the first line without a number
        match = _LINE_NUMBER.match(work.lines[i])
        if match is None:
            return False
        matches.append(match)
    numbers = [int(m["number"]) for m in matches]
    if any(b <= a for a, b in zip(numbers, numbers[1:])):
        return False
    # numbers right- or left-aligned in a gutter: cut every line where the widest number ends
    cut = max(m.end() for m in matches)
    if any(work.lines[i][m.end() : cut].strip(" \t:.|)]") for i, m in zip(content, matches)):
        return False
    for i in content:
        rest = work.lines[i][cut:]
        work.lines[i] = rest[1:] if rest[:1] in (" ", "\t") else rest
    work.note("line numbers in front of every line removed", content[0])
    return True


def _strip_block_prefix(work: _Work, first: int, last: int) -> bool:
    lines = work.lines[first : last + 1]
    # a code fence next to a quoted block is the page's, not quoted: it neither has nor breaks the prefix
    marked = [index for index in range(first, last + 1) if not _FENCE.match(work.lines[index])]
    many = len(marked) > 1
    for name, mark in (("> ", _QUOTE), ("[*] ", _TOOL_MARK)):
        ends = _marker_ends([work.lines[index] for index in marked], mark) if many else None
        if ends is not None:
            for index, end in zip(marked, ends):
                work.lines[index] = work.lines[index][end:]
            work.note(f"the `{name.strip()}` prefix on every line of {work.span(first, last)} removed", first)
            return True
    if many and _select_string_context(work, marked):
        return True
    indent = _common_indent(lines)
    if indent:
        for index in range(first, last + 1):
            work.lines[index] = work.lines[index][len(indent) :]
        return True
    return False


def _select_string_context(work: _Work, block: list[int]) -> bool:
    """`… | Select-String -Context`: the matched lines start `> `, the lines around them two blanks."""
    heads = [work.lines[index][:2] for index in block]
    if "> " not in heads or "  " not in heads or not set(heads) <= {"> ", "  "}:
        return False
    for index in block:
        work.lines[index] = work.lines[index][2:]
    work.note(f"the `Select-String -Context` marks (`>` on matched lines) on {work.span(block[0], block[-1])} removed", block[0])
    return True


def _common_indent(lines: list[str]) -> str:
    """The leading blanks every line shares, character for character (a tab is not four spaces)."""
    first = lines[0]
    common = first[: len(first) - len(first.lstrip(" \t"))]
    for line in lines:
        if not common:
            return ""
        if not line.startswith(common):  # in C: a line that keeps the indent costs no slicing
            lead = line[: len(line) - len(line.lstrip(" \t"))]
            size = 0
            for a, b in zip(common, lead):
                if a != b:
                    break
                size += 1
            common = common[:size]
    return common


def _drop_fences(work: _Work) -> bool:
    fences = [i for i, line in enumerate(work.lines) if _FENCE.match(line)]
    for index in fences:
        work.lines[index] = ""
    if fences:
        work.note(f"{len(fences)} Markdown code fence line(s) ignored", fences[0])
    return bool(fences)


def _unwrap_emphasis(work: _Work) -> None:
    for index, line in enumerate(work.lines):
        match = _EMPHASIS.match(line) if len(line) <= _MAX_MARK * 4 else None
        if match and not set(match["inner"]) <= {"*", "_", "`", "-", "="}:
            work.lines[index] = match["indent"] + match["inner"]
            work.note(f"Markdown emphasis `{match['mark']}` around `{match['inner'][:60]}` removed", index)


def _strip_annotations(work: _Work) -> None:
    for index, line in enumerate(work.lines):
        if "#" not in line and "/" not in line and "<" not in line and ">" not in line and "←" not in line:
            continue
        match = ANNOTATION.search(line)
        if match is None:
            continue
        work.lines[index] = line[: match.start()]
        work.note(f"author's annotation `{match.group().strip()[:60]}` after the value ignored", index)


def _drop_repeated_echo(work: _Work) -> None:
    """A transcript shows the command after its prompt and then again on its own line: once is enough."""
    lines = work.lines
    # the pairs where a line ends with the next one, found by C-level string tests alone
    pairs = [i for i, (line, following) in enumerate(zip(lines, lines[1:])) if following and line != following and line.rstrip().endswith(following.strip())]
    for index in pairs:
        following = lines[index + 1].strip()
        if not following or following == lines[index].strip():
            continue
        command = prompt_command(lines[index])
        if command and following == command:
            lines[index + 1] = ""
            work.note(f"command `{command[:60]}` echoed a second time ignored", index + 1)
