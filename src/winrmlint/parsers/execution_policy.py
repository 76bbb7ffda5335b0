"""Parser for `Get-ExecutionPolicy -List`: the execution policy of each scope, as a table or a list."""

from __future__ import annotations

import re

from winrmlint.model import paths
from winrmlint.model.values import Note, ParsedDump, ParseError, Reading, Source
from winrmlint.parsers import skipped
from winrmlint.parsers.text import (
    FORMAT_LIST_LINE,
    clean_line,
    field_value,
    first_content_line,
    format_list_records,
    is_elision,
    is_prompt,
)
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.parsers.table import Table, find
from winrmlint.source import SourceText

FORMAT = "execution-policy"

# Property and enum names are .NET identifiers, never localised, so the English header is structure.
# `Invoke-Command { Get-ExecutionPolicy -List }` adds the PSComputerName column
_HEADER = re.compile(r"^\s*Scope\s+ExecutionPolicy(?:\s+PSComputerName)?\s*$", re.IGNORECASE)
# the table flattened onto one line by a web page or a chat (`Scope ExecutionPolicy ----- ---… MachinePolicy Undefined …`)
_FLAT = re.compile(r"\bScope\s+ExecutionPolicy\s+-{5}\s+-{15}(?P<rows>(?:\s+[A-Za-z]+\s+[A-Za-z]+){1,5})\s*$", re.IGNORECASE)
# a row moved by hand off its columns: still two words
_ROW = re.compile(r"^\s*(?P<scope>[A-Za-z]+)\s+(?P<policy>[A-Za-z]+)\s*$")
_SCOPE_WORD = re.compile(r"^[A-Za-z]+$")
_UNDERLINE = re.compile(r"^\s*-+\s+-+\s*$")
_FL_SCOPE = re.compile(r"^\s*Scope\s+:\s*\w", re.IGNORECASE)
_FL_POLICY = re.compile(r"^\s*ExecutionPolicy\s+:", re.IGNORECASE)

_SCOPES = {scope.lower(): scope for scope in paths.EXECUTION_POLICY_SCOPES}
# Microsoft.PowerShell.ExecutionPolicy members; `Default` is settable and so printable too
_POLICIES = {
    name.lower(): name
    for name in ("Undefined", "Restricted", "AllSigned", "RemoteSigned", "Unrestricted", "Bypass", "Default")
}
# about_Execution_Policies: these two scopes are written by Group Policy only
_GPO_SCOPES = {"MachinePolicy", "UserPolicy"}


@sniffed
def sniff(source: SourceText) -> int:
    head = source.lines[:60]
    if any(_HEADER.match(line) for line in head):
        return 95
    if any(_FLAT.search(line) for line in head):
        return 90
    if any(_FL_SCOPE.match(line) for line in head) and any(_FL_POLICY.match(line) for line in head):
        return 90
    return 0


@pasted
def parse(source: SourceText) -> ParsedDump:
    dump = ParsedDump(FORMAT)
    found = False
    index = 0
    while index < len(source.lines):
        text = clean_line(source.lines[index])
        table = _policy_table(source.lines, index) if "scope" in text.lower() else None
        if table is not None:
            found = True
            index = _table(source, table, dump)
            continue
        if _HEADER.match(text) and index + 1 < len(source.lines) and _UNDERLINE.match(clean_line(source.lines[index + 1])):
            found = True
            index = _loose_rows(source, index, dump)
            continue
        if is_elision(text):
            dump.notes.append(Note(skipped.elision(text), source.at(index + 1)))
        elif text.strip() and not (is_prompt(text) or FORMAT_LIST_LINE.match(text) or _FLAT.search(text)
                                   or DECLARATION.prints(text)):  # the command echoed bare is no stray line
            dump.notes.append(Note(skipped.message(text), source.at(index + 1)))
        index += 1
    if not found:
        found = _flat(source, dump)
    if not (_list_records(source, dump) or found):
        raise ParseError("no `Get-ExecutionPolicy -List` output found", first_content_line(source.lines))
    return dump


def _flat(source: SourceText, dump: ParsedDump) -> bool:
    """The table flattened onto one line: its rows are pairs of words after the two runs of dashes."""
    for number, line in enumerate(source.lines, 1):
        match = _FLAT.search(line)
        if match is None:
            continue
        words = match["rows"].split()
        seen: set[str] = set()
        for printed, policy in zip(words[::2], words[1::2]):
            seen.add(_row(source, printed, policy, number, dump))
        dump.notes.append(Note("a `Get-ExecutionPolicy -List` table flattened onto one line: read as scope and policy pairs",
                               source.at(number)))
        _cover(source, seen, number, number, dump)
        return True
    return False


def _row(source: SourceText, printed: str, policy: str, number: int, dump: ParsedDump) -> str:
    """One scope's reading, its scope as printed kept (and noted) when it is no scope Windows has."""
    scope = _SCOPES.get(printed.lower())
    if scope is None:
        dump.notes.append(Note(f"unknown execution policy scope `{printed}` kept", source.at(number)))
        scope = printed
    dump.readings.append(_reading(source, scope, policy, number))
    return scope


def _policy_table(lines: tuple[str, ...], index: int) -> Table | None:
    table = find(lines, index)
    return table if table is not None and table.has("scope") and table.has("executionpolicy") else None


def _table(source: SourceText, table: Table, dump: ParsedDump) -> int:
    """Read the rows of the table; returns the index of the line after it."""
    seen: set[str] = set()
    computers: set[str] = set()
    index, last = table.rows, table.rows
    while index < len(source.lines):
        text = clean_line(source.lines[index])
        number = index + 1
        cells = table.cells(text)
        row = _ROW.match(text)
        scope_cell, policy_cell = (table.cell(cells, "scope"), table.cell(cells, "executionpolicy")) if cells else (None, None)
        if not (scope_cell and policy_cell and _SCOPE_WORD.match(scope_cell.text) and _SCOPE_WORD.match(policy_cell.text)):
            scope_cell = policy_cell = None  # both cells are one word each
        # Q&A pastes put blank lines between rows: a blank line does not end the table
        if not text.strip():
            pass
        elif is_elision(text):
            dump.notes.append(Note(skipped.elision(text), source.at(number)))
        elif is_prompt(text) or (row is None and scope_cell is None):
            break
        else:
            printed = scope_cell.text if scope_cell else row["scope"] if row else ""
            policy = policy_cell.text if policy_cell else row["policy"] if row else ""
            seen.add(_row(source, printed, policy, number, dump))
            last = number
            computer = table.cell(cells, "pscomputername") if cells else None
            if computer is not None and computer.text:
                computers.add(computer.text.lower())
        index += 1
    if len(computers) > 1:
        # Invoke-Command run on several computers: a bundle is one host's
        raise ParseError(f"`Get-ExecutionPolicy -List` of {len(computers)} computers ({', '.join(sorted(computers))}) in one file: "
                         "collect each host's file apart", table.first + 1)
    _cover(source, seen, table.first + 1, last, dump)
    return index


def _loose_rows(source: SourceText, index: int, dump: ParsedDump) -> int:
    """A header whose underline a paste moved (`Scope ExecutionPolicy` flush left, its dashes still
    indented): the columns cannot be placed, but each row is still a scope and a policy, one word
    each. Returns the index of the line after the rows."""
    dump.notes.append(Note("header and underline not aligned: rows read as scope and policy words",
                           source.at(index + 1)))
    seen: set[str] = set()
    first, last = index + 1, index + 1
    index += 2
    while index < len(source.lines):
        text = clean_line(source.lines[index])
        row = _ROW.match(text)
        if not text.strip():
            pass
        elif is_elision(text):
            dump.notes.append(Note(skipped.elision(text), source.at(index + 1)))
        elif row is None or row["scope"].lower() not in _SCOPES:
            break
        else:
            scope = _SCOPES[row["scope"].lower()]
            dump.readings.append(_reading(source, scope, row["policy"], index + 1))
            seen.add(scope)
            last = index + 1
        index += 1
    _cover(source, seen, first, last, dump)
    return index


def _list_records(source: SourceText, dump: ParsedDump) -> bool:
    """`Get-ExecutionPolicy -List | Format-List`: records of `Scope` and `ExecutionPolicy`; True if any."""
    seen: set[str] = set()
    first: int | None = None
    last = 0
    listed = False
    for record in format_list_records(source):
        fields = {field.name.lower(): field for field in record}
        scope_field, policy_field = fields.get("scope"), fields.get("executionpolicy")
        if scope_field is None or policy_field is None:
            continue
        listed = True
        printed_scope = field_value(scope_field)
        if not _SCOPE_WORD.match(printed_scope):
            message = f"execution policy record without a scope skipped: `{printed_scope}`"
            dump.notes.append(Note(message, source.at(scope_field.line)))
            continue
        scope = _SCOPES.get(printed_scope.lower(), printed_scope)
        policy = field_value(policy_field)
        dump.readings.append(_reading(source, scope, policy, policy_field.line))
        seen.add(scope)
        first = scope_field.line if first is None else first
        last = policy_field.line
    if first is not None:
        _cover(source, seen, first, last, dump)
    return listed


def _cover(source: SourceText, seen: set[str], first: int, last: int, dump: ParsedDump) -> None:
    """-List always prints all five scopes: coverage for a whole listing, a note for a cut one."""
    missing = [scope for scope in paths.EXECUTION_POLICY_SCOPES if scope not in seen]
    if missing:
        dump.notes.append(Note(f"execution policy list cut short: no {', '.join(missing)}", source.at(last)))
    else:
        dump.coverage.setdefault(paths.EXECUTION_POLICY, source.at(first))


def _reading(source: SourceText, scope: str, raw: str, line: int) -> Reading:
    policy = _POLICIES.get(raw.lower())
    return Reading(
        path=f"{paths.EXECUTION_POLICY}/{scope}",
        value=policy if policy else raw,
        location=source.at(line),
        source=Source.GPO if scope in _GPO_SCOPES else Source.LOCAL,
        raw=raw,
        valid=policy is not None,
        origin=FORMAT,
    )


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="Get-ExecutionPolicy",
    module=__name__,
    commands=(
        r"get-executionpolicy\b(?!\s*:)",
    ),
    command_words=("get-executionpolicy",),
    anchors=("executionpolicy",),
    samples=Samples("execution_policy", rejected=("bare_get_executionpolicy.txt",)),
)
