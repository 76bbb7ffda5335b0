"""Parser for `setspn` output (-Q, -L, -S/-A/-R, -X): which account holds which SPN, and -Q verdicts.

setspn is localised, so the parser reads structure first (formats.md § setspn, winrm-reference.md
§5): a line starting `CN=` is an account DN, a line holding `CN=` later is a "… for <DN>" header,
a line holding `DC=` only is a "Checking domain/forest" line, a `class/host[:port][/name]` line is
an SPN, and an SPN followed by words heads a `-X` duplicate group. English phrases only refine
that (a verdict, `Updated object`, a failure).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from winrmlint.model.values import Note, ParsedDump, ParseError, SpnEntry, SpnQuery
from winrmlint.parsers.text import first_content_line, is_elision, prompt_command, strip_comment
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
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

# English phrases that carry a fact; their absence in localised output is covered by structure
_FOUND = re.compile(r"^Existing SPN found", re.IGNORECASE)
_NOT_FOUND = re.compile(r"^No such SPN found", re.IGNORECASE)
_UPDATED = re.compile(r"^Updated object", re.IGNORECASE)
_DUPLICATE_ABORT = re.compile(r"^Duplicate SPN found", re.IGNORECASE)
_FAILURE = re.compile(r"\b(?:fail\w*|error|could not|cannot)\b|0x[0-9a-f]{4,}", re.IGNORECASE)
_UNREGISTER = re.compile(r"\bunregister", re.IGNORECASE)
_GROUPS = re.compile(r"^found (\d+) groups? of duplicate SPNs", re.IGNORECASE)
_BOILERPLATE = re.compile(r"^(?:Processing entry \d+|Operation (?:will be performed|completed)\b)", re.IGNORECASE)

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


@sniffed
def sniff(source: SourceText) -> int:
    """setspn's structure: a checking line with `DC=`, `… for CN=…` headers, `-X` groups."""
    score = 0
    for raw in source.lines[:60]:
        text = raw.strip()
        if _command(raw) is not None:
            return 95
        if re.match(r"^(?:Registered|Registering) ServicePrincipalNames for CN=", text, re.IGNORECASE):
            return 95
        if re.match(r"^Checking (?:domain|forest) DC=", text, re.IGNORECASE):
            score = max(score, 90)
        elif re.search(r"\bis registered on these accounts:?$", text, re.IGNORECASE):
            score = max(score, 90)
        elif _NOT_FOUND.match(text) or _FOUND.match(text):
            score = max(score, 70)
    return score


@pasted
def parse(source: SourceText) -> ParsedDump:
    state = _State(ParsedDump(FORMAT), source)
    for number, raw in enumerate(source.lines, start=1):
        _line(state, number, raw)
    _end_command(state)
    if not state.recognised:
        first = first_content_line(source.lines)
        raise ParseError("no setspn output found: no command, account DN, domain line or SPN", first)
    return state.dump


def _line(state: _State, number: int, raw: str) -> None:
    line = raw.expandtabs(8).rstrip()
    text = line.strip()
    if not text:
        return
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
    if state.mode == "other":
        return
    if is_elision(text):
        _note(state, number, f"elision `{text}` skipped: the SPNs it stands for are not known")
        return
    text = strip_comment(text)
    indent = len(line) - len(line.lstrip())
    inside = _DN_INSIDE.search(text)
    state.recognised = state.recognised or bool(inside or _DC.search(text) or _SPN.match(text.split()[0]))
    if _DN_START.match(text):
        _dn_line(state, number, text, indent)
    elif inside is not None:
        _header_line(state, number, text, inside.start())
    elif _DC.search(text):
        # "Checking domain DC=…" / "Checking forest …": a new scope, nothing listed yet
        _close_owner(state)
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


def _header_line(state: _State, number: int, text: str, start: int) -> None:
    """`Registered … for <DN>:` (-L), `Registering … for <DN>` (-S/-A/-R), `Unregistering …` (-D)."""
    if _FAILURE.search(text[:start]):
        # `Failed to assign SPN on account 'CN=…', error 0x2098/8344 -> Insufficient access rights`
        _failure(state, number, text)
        return
    _close_owner(state)
    state.group = None
    dn = text[start:].rstrip().rstrip(":'").rstrip()
    if _PLACEHOLDER.search(dn):
        _note(state, number, f"placeholder account `{dn}` skipped, with the SPNs listed under it")
        state.owner = _Owner(dn, "invalid")
    elif state.mode == "d" or _UNREGISTER.search(text):
        state.owner = _Owner(dn, "removing")
    elif state.mode in {"s", "a", "r"} or re.match(r"^Registering\b", text, re.IGNORECASE):
        state.owner = _Owner(dn, "adding")
    else:
        state.owner = _Owner(dn, "held")


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
    if _UPDATED.match(text):
        _close_owner(state, confirmed=True)
    elif _FOUND.match(text) or _NOT_FOUND.match(text):
        _close_owner(state)
        if state.query is None:
            _note(state, number, f"`{text}` for a query whose SPN the paste does not show: not recorded")
        _record_query(state, found=_FOUND.match(text) is not None)
    elif _DUPLICATE_ABORT.match(text):
        # -S refused: the account listed above already holds it; the new one was not added
        _close_owner(state)
    elif match := _GROUPS.match(text):
        state.group = None
        if int(match.group(1)) != state.groups_seen:
            _note(state, number, f"setspn reports {match.group(1)} duplicate group(s), "
                                 f"the paste shows {state.groups_seen}")
        state.groups_seen = 0
    elif _BOILERPLATE.match(text):
        return
    elif _FAILURE.search(text):
        _failure(state, number, text)
    elif state.owner is not None and state.owner.mode == "adding" and state.owner.pending:
        # a localised "Updated object": whatever closes a registration that did not fail
        _close_owner(state, confirmed=True)
    elif state.query is not None and state.query.checked:
        # a localised verdict: the accounts listed above (or none) decide it
        _close_owner(state)
        _record_query(state, found=state.query.owners > 0)
    else:
        _note(state, number, f"line not understood, skipped: `{text[:80]}`")


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
    anchors=("setspn", "serviceprincipalnames for cn=", "checking domain", "checking forest", "is registered on these accounts", "no such spn found", "existing spn found"),
    samples=Samples("setspn"),
)


def _guess(source: SourceText) -> str | None:
    """The code page guessed for the file, which every account read from it carries."""
    return source.encoding if source.guessed else None
