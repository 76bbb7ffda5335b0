"""Parser for `setspn` output (-Q, -L, -S/-A/-R, -X): which account holds which SPN, and -Q verdicts.

setspn is localised, so the parser reads structure first (formats.md § setspn, winrm-reference.md
§5): a line starting `CN=` is an account DN, a line holding `CN=` later is a "… for <DN>" header,
a line holding `DC=` only is a "Checking domain/forest" line, a `class/host[:port][/name]` line is
an SPN, and an SPN followed by words heads a `-X` duplicate group. What the words of a header, a
checking line, a verdict or `Updated object` mean comes from the localised table
(`strings/setspn.py`). A header or checking line the table lacks is skipped with a note (with the
SPNs listed under it); a file none of whose lines the table knows is in a language winrmlint does
not know, a parse error that says so, never a guess.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field

from winrmlint.model.values import Note, ParsedDump, ParseError, SpnEntry, SpnQuery
from winrmlint.parsers import skipped
from winrmlint.parsers.text import first_content_line, is_elision, prompt_command, strip_comment
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.parsers.strings import Found
from winrmlint.parsers.strings.setspn import TABLE
from winrmlint.source import SourceText

FORMAT = "setspn"

# [MS-KILE] / winrm-reference.md §5: serviceclass/host[:port][/servicename]; MSSQLSvc puts an
# instance name where the port goes, and some pastes add an @REALM.
_SPN = re.compile(r"^[A-Za-z0-9][\w.\-]*/[^\s/:<>]+(?::[^\s/:<>]+)?(?:/[^\s<>]+)?$")
_DN_START = re.compile(r"^CN=", re.IGNORECASE)
_DN_INSIDE = re.compile(r"\bCN=", re.IGNORECASE)
_DC = re.compile(r"\bDC=", re.IGNORECASE)
_COMMAND = re.compile(r"^setspn(?:\.exe)?(?:\s+(?P<args>.*))?$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"<[^<>]*>")  # `<` excluded: a run of them was quadratic

_HEADERS = ("registered", "registering", "unregistering")
_FAILURE = re.compile(r"\b(?:fail\w*|error|could not|cannot)\b|0x[0-9a-f]{4,}", re.IGNORECASE)
_FAILURE_WORDS = ("fail", "error", "could not", "cannot", "0x")


def _contains(pattern: re.Pattern[str], text: str, *needles: str) -> re.Match[str] | None:
    """`pattern.search(text)`, asked only when `text` holds one of the lowercase `needles` its
    matches must: a case-insensitive search costs about 50 ns a character, `in` a fraction, and
    a 1 MB line met several of these searches (0.7 s)."""
    lowered = text.lower()
    return pattern.search(text) if any(n in lowered for n in needles) else None

# setspn switches that take one argument besides the SPN/account (ss64 / learn.microsoft.com setspn)
_TAKES_VALUE = {"t"}


@dataclass
class _Query:
    """A `setspn -Q` asked on an echoed command line, until its verdict."""

    spn: str
    line: int
    checked: bool = False
    owners: int = 0


@dataclass
class _Owner:
    """The account whose SPNs the following lines list; `mode` says what that listing means."""

    dn: str
    mode: str  # "held" (a listing: facts now), "adding" (facts once confirmed), "removing", "invalid"
    pending: list[SpnEntry] = field(default_factory=list)


@dataclass
class _Group:
    """A `-X` duplicate group: the SPN, then the DNs of the accounts holding it."""

    spn: str
    indent: int


@dataclass
class _State:
    """The parse in progress: the command being read and what its output has opened."""

    dump: ParsedDump
    source: SourceText
    mode: str = ""
    query: _Query | None = None
    owner: _Owner | None = None
    group: _Group | None = None
    groups_seen: int = 0
    recognised: bool = False  # a command, a DN, a checking line or an SPN was seen
    known: bool = False  # a line the table knows (its language is one winrmlint reads)
    unknown: list[tuple[int, str]] = field(default_factory=list)  # headers and checking lines it does not


@sniffed
def sniff(source: SourceText) -> int:
    """setspn's structure: a checking line with `DC=`, `… for CN=…` headers, `-X` groups."""
    score = 0
    for raw in source.lines[:60]:
        text = raw.strip()
        if _command(raw) is not None:
            return 95
        if TABLE.says(text, *_HEADERS):
            return 95
        if TABLE.says(text, "checking"):
            score = max(score, 90)
        elif "registered on these accounts" in text.lower() and re.search(r"\bis registered on these accounts:?$", text, re.IGNORECASE):
            score = max(score, 90)
        elif TABLE.says(text, "found", "not_found"):
            score = max(score, 70)
    return score or _structure(source.lines[:60])


def _structure(head: Sequence[str]) -> int:
    """setspn's shape in a language the table may not know: a line of words ending in a DN
    (`… CN=…:` or `… DC=…`) followed by an account DN or an indented SPN."""
    content = [line.rstrip() for line in head if line.strip()]
    for line, following in zip(content, content[1:]):
        words = line.strip()
        if words[:3].upper() in {"CN=", "DC="} or not _contains(_DC, words, "dc="):
            continue
        indented = len(following) - len(following.lstrip()) > 0
        if _DN_START.match(following.strip()) or (indented and _SPN.match(following.split()[0])):
            return 80
    return 0


@pasted
def parse(source: SourceText) -> ParsedDump:
    state = _State(ParsedDump(FORMAT), source)
    for number, raw in enumerate(source.lines, start=1):
        _line(state, number, raw)
    _end_command(state)
    if state.unknown and not state.known:
        line, text = state.unknown[0]
        raise ParseError(TABLE.unknown(text), line)
    if not state.recognised:
        first = first_content_line(source.lines)
        raise ParseError("no setspn output found: no command, account DN, domain line or SPN", first)
    return state.dump


def _line(state: _State, number: int, raw: str) -> None:
    line = raw.rstrip()
    text = line.strip()
    if not text:
        return
    # the indentation's width as a console shows tabs; only the indentation is expanded: a
    # hostile line of tabs made eight times longer cost every later search eight times over
    indent = len(line[: len(line) - len(line.lstrip())].expandtabs(8))
    command = _command(line)
    if command is not None:
        _end_command(state)
        _start_command(state, number, command)
        state.recognised = True
        return
    if prompt_command(line) is not None:
        # another command in a transcript: whatever follows is not setspn output
        _end_command(state)
        state.mode = "other"
        return
    if is_elision(text):
        _note(state, number, f"elision `{text}` skipped: the SPNs it stands for are not known")
        return
    if state.mode == "other":
        return
    text = strip_comment(text)
    inside = _contains(_DN_INSIDE, text, "cn=")
    in_domain = _contains(_DC, text, "dc=") is not None
    state.recognised = state.recognised or bool(inside or in_domain or _SPN.match(text.split()[0]))
    header = TABLE.find(text, *_HEADERS) if inside is not None else None
    if _DN_START.match(text) and header is None:
        _dn_line(state, number, text, indent)
    elif inside is not None:
        _header_line(state, number, text, inside.start(), header)
    elif in_domain:
        # "Checking domain DC=…" / "Checking forest …": a new scope, nothing listed yet
        _close_owner(state)
        if not _known(state, number, text, TABLE.says(text, "checking")):
            state.group = None
            return
        state.group = None
        if state.query is not None:
            state.query.checked = True
    elif _SPN.match(text.split()[0]):
        _spn_line(state, number, text, indent)
    elif "/" in text.split()[0]:
        kind = "placeholder" if _PLACEHOLDER.search(text) else "malformed"
        _note(state, number, f"{kind} SPN `{text[:80]}` skipped")
    else:
        _other_line(state, number, text)


def _command(line: str) -> list[str] | None:
    """The arguments of an echoed `setspn …` command line (prompt or bare), else None."""
    typed = prompt_command(line)
    match = _COMMAND.match((typed if typed is not None else line).strip())
    if match is None:
        return None
    try:
        return shlex.split(match.group("args") or "", posix=False)
    except ValueError:
        return (match.group("args") or "").split()


def _start_command(state: _State, number: int, args: list[str]) -> None:
    state.mode, operand = "", None
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg[:1] in "-/" and len(arg) > 1 and arg[1:].isalpha():
            flag = arg[1:].lower()
            skip = flag in _TAKES_VALUE
            if flag in {"q", "l", "s", "a", "d", "r", "x"}:
                state.mode = flag
            continue
        if operand is None:
            operand = arg.strip('"')
    if state.mode != "q":
        return
    if operand and not _PLACEHOLDER.search(operand):
        state.query = _Query(operand, number)
    else:
        _note(state, number, "`setspn -Q` without a real SPN: its result cannot be recorded as a query")


def _end_command(state: _State) -> None:
    """Close what the previous command left open; a query without a verdict may still be decided."""
    _close_owner(state)
    state.group = None
    query = state.query
    if query is not None and query.owners:
        # setspn -Q lists the accounts holding a match: any listed account means found
        _record_query(state, found=True)
    elif query is not None:
        _note(state, query.line, f"`setspn -Q {query.spn}` output ends before its result: query not recorded")
    state.query = None
    state.mode = ""


def _record_query(state: _State, found: bool) -> None:
    query = state.query
    if query is None:
        return
    state.dump.spn_queries.append(SpnQuery(query.spn, found, state.source.at(query.line)))
    state.query = None


def _dn_line(state: _State, number: int, dn: str, indent: int) -> None:
    group = state.group
    if group is not None and indent > group.indent:
        # -X: an account holding the group's SPN
        if _PLACEHOLDER.search(dn):
            _note(state, number, f"placeholder account `{dn}` skipped")
            return
        state.dump.spns.append(SpnEntry(group.spn, dn, state.source.at(number), _guess(state.source)))
        return
    _close_owner(state)
    state.group = None
    if _PLACEHOLDER.search(dn):
        _note(state, number, f"placeholder account `{dn}` skipped, with the SPNs listed under it")
        state.owner = _Owner(dn, "invalid")
        return
    # -Q, or the current holder shown when -S refuses a duplicate: a listing of facts
    state.owner = _Owner(dn, "held")
    if state.query is not None:
        state.query.owners += 1


def _header_line(state: _State, number: int, text: str, start: int, found: Found | None) -> None:
    """`Registered … for <DN>:` (-L), `Registering … for <DN>` (-S/-A/-R), `Unregistering …` (-D)."""
    if found is None and _contains(_FAILURE, text[:start], *_FAILURE_WORDS):
        # `Failed to assign SPN on account 'CN=…', error 0x2098/8344 -> Insufficient access rights`
        _failure(state, number, text)
        return
    if not _known(state, number, text, found is not None) or found is None:
        _close_owner(state)
        state.group = None
        state.owner = _Owner(text, "invalid")  # what it lists is not known to be held, added or removed
        return
    _close_owner(state)
    state.group = None
    dn = found.parts["dn"].rstrip().rstrip(":'").rstrip()
    if _PLACEHOLDER.search(dn):
        _note(state, number, f"placeholder account `{dn}` skipped, with the SPNs listed under it")
        state.owner = _Owner(dn, "invalid")
    elif found.key == "unregistering" or state.mode == "d":
        state.owner = _Owner(dn, "removing")
    elif found.key == "registering" or state.mode in {"s", "a", "r"}:
        state.owner = _Owner(dn, "adding")
    else:
        state.owner = _Owner(dn, "held")


def _known(state: _State, number: int, text: str, known: bool) -> bool:
    """Whether the table knows this header or checking line; one it does not is skipped with a note."""
    if known:
        state.known = True
    else:
        state.unknown.append((number, text))
        _note(state, number, f"{TABLE.skipped(text)}, with what it lists")
    return known


def _spn_line(state: _State, number: int, text: str, indent: int) -> None:
    head, _, rest = text.partition(" ")
    if rest.strip():
        # "<SPN> is registered on these accounts:" (any language): a -X duplicate group
        _close_owner(state)
        state.group = _Group(head, indent)
        state.groups_seen += 1
        return
    owner = state.owner
    if owner is None:
        _note(state, number, f"SPN `{text}` listed under no account: skipped")
        return
    entry = SpnEntry(text, owner.dn, state.source.at(number), _guess(state.source))
    if owner.mode == "held":
        state.dump.spns.append(entry)
    elif owner.mode == "adding":
        owner.pending.append(entry)


def _other_line(state: _State, number: int, text: str) -> None:
    said = TABLE.find(text, "updated", "found", "not_found", "duplicate", "groups", "boilerplate")
    key = said.key if said else None
    state.known = state.known or said is not None
    if key == "updated":
        _close_owner(state, confirmed=True)
    elif key in {"found", "not_found"}:
        _close_owner(state)
        if state.query is None:
            _note(state, number, f"`{text}` for a query whose SPN the paste does not show: not recorded")
        _record_query(state, found=key == "found")
    elif key == "duplicate":
        # -S refused: the account listed above already holds it; the new one was not added
        _close_owner(state)
    elif said is not None and key == "groups":
        state.group = None
        if int(said.parts["n"]) != state.groups_seen:
            _note(state, number, f"setspn reports {said.parts['n']} duplicate group(s), "
                                 f"the paste shows {state.groups_seen}")
        state.groups_seen = 0
    elif key == "boilerplate":
        return
    elif _contains(_FAILURE, text, *_FAILURE_WORDS):
        _failure(state, number, text)
    elif state.query is not None and state.query.checked and state.query.owners:
        # a verdict the table lacks after accounts were listed: setspn lists only the holders of a match
        _note(state, number, f"verdict `{text[:80]}` not in the table: found, as accounts hold the SPN")
        _close_owner(state)
        _record_query(state, found=True)
    else:
        _note(state, number, skipped.message(text))


def _failure(state: _State, number: int, text: str) -> None:
    owner = state.owner
    if owner is not None and owner.mode == "adding" and owner.pending:
        spns = ", ".join(e.spn for e in owner.pending)
        _note(state, number, f"registration of {spns} on `{owner.dn}` failed: not recorded")
        owner.pending.clear()
    else:
        _note(state, number, f"setspn reported an error: `{text[:120]}`")
    state.owner = None


def _close_owner(state: _State, confirmed: bool = False) -> None:
    owner = state.owner
    state.owner = None
    if owner is None or owner.mode != "adding" or not owner.pending:
        return
    if confirmed:
        state.dump.spns.extend(owner.pending)
        return
    spns = ", ".join(e.spn for e in owner.pending)
    _note(state, owner.pending[0].location.line,
          f"registration of {spns} on `{owner.dn}` not confirmed (no `Updated object`): not recorded")


def _note(state: _State, number: int, message: str) -> None:
    state.dump.notes.append(Note(message, state.source.at(number)))


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="setspn",
    module=__name__,
    commands=(
        r"setspn(?:\.exe)?\b",
    ),
    command_words=("setspn",),
    # every header and checking line of every language holds a DN (`dc=`): that anchor finds them all,
    # a language the table lacks included, so that such a file is refused by name
    anchors=("setspn", "dc=", "is registered on these accounts", "existing spn found", "no such spn found"),
    samples=Samples("setspn"),
    strings=TABLE,
)


def _guess(source: SourceText) -> str | None:
    """The code page guessed for the file, which every account read from it carries."""
    return source.encoding if source.guessed else None
