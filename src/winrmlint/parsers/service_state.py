"""Parser for service state dumps: `sc qc`/`sc query`, `Get-Service` lists and tables, Win32_Service."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from winrmlint.model import paths
from winrmlint.model.values import Note, ParsedDump, ParseError, Reading
from winrmlint.parsers import skipped
from winrmlint.parsers.text import (
    FORMAT_LIST_LINE,
    Field,
    clean_line,
    field_value,
    format_list_records,
    is_elision,
    is_prompt,
    next_content,
)
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.parsers.strings.service_state import LABELS, TABLE
from winrmlint.parsers.table import Table, find
from winrmlint.source import SourceText

FORMAT = "service-state"
_SERVICES = paths.SERVICE_STATUS.split("/", 1)[0]  # services/<Name>/<Property>, as model.paths

# --- sc.exe -----------------------------------------------------------------------------------
# `[SC] QueryServiceConfig SUCCESS`, `[SC] OpenService FAILED 1060:`: a failure ends in its code
_SC_LINE = re.compile(r"^\s*\[SC\]\s*(?P<text>.*)$")
_SC_FAILURE = re.compile(r"\s(?P<code>\d+):?\s*$")
# winerror.h ERROR_SERVICE_DOES_NOT_EXIST: "The specified service does not exist as an installed service."
_NO_SUCH_SERVICE = "1060"
# `SERVICE_NAME: winrm` has no space before its colon; fields (`TYPE               : 20 …`) have one.
# sc's labels are localised (strings/service_state.py); most languages print them upper case, which
# tells them from PowerShell's PascalCase names, Russian does not (`Имя_службы`, `Состояние`).
_SC_HEADER = re.compile(r"^(?P<indent>\s*)(?P<key>[^\s:]+):(?:\s+(?P<value>.*))?$")
# the key ends on a non-space, so `\s++` scans each run of spaces once (was quadratic)
_SC_FIELD = re.compile(r"^\s*+(?P<key>[^\s:](?:[^:]*?[^\s:])?)\s++:(?:\s+(?P<value>.*))?$")
_SC_MORE = re.compile(r"^\s*:(?:\s+(?P<value>.*))?$")
# winsvc.h constants print as number and name; the names are never localised, the keys may be
_SC_START = re.compile(r"^(?P<code>[0-4])\s+(?:BOOT_START|SYSTEM_START|AUTO_START|DEMAND_START|DISABLED)\b")
_SC_STATE = re.compile(
    r"^(?P<code>[1-7])\s+(?:STOPPED|START_PENDING|STOP_PENDING|RUNNING|CONTINUE_PENDING|PAUSE_PENDING|PAUSED)\b"
)
_SC_START_TYPES = {"0": "Boot", "1": "System", "2": "Automatic", "3": "Manual", "4": "Disabled"}
_SC_STATES = {
    "1": "Stopped", "2": "StartPending", "3": "StopPending", "4": "Running",
    "5": "ContinuePending", "6": "PausePending", "7": "Paused",
}  # fmt: skip
# the service named on the command line; `sc query state= all` (`type=`, `bufsize=`, …) names none
_SC_COMMAND = re.compile(
    r"\bsc(?:\.exe)?\s+(?:\\\\\S+\s+)?(?:qc|query|queryex|qdescription)\s+\"?(?P<name>(?![\w-]+=)[^\s\"|]+)", re.IGNORECASE
)
# STATE's controls (`(STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)`), on the next line, indented or
# not once a paste trimmed it; winsvc.h names, never localised
_SC_CONTROLS = re.compile(r"^\s*\((?:[A-Z_]+,\s*)*[A-Z_]+\)\s*$")

# --- PowerShell ---------------------------------------------------------------------------------
# ServiceControllerStatus and ServiceStartMode names; Win32_Service says `Start Pending`, `Auto`
_STATUSES = {status.lower(): status for status in _SC_STATES.values()}
_START_TYPES = {
    "automatic": "Automatic", "auto": "Automatic", "manual": "Manual", "disabled": "Disabled",
    "boot": "Boot", "system": "System", "automaticdelayedstart": "AutomaticDelayed",
}  # fmt: skip
_STATE_KEYS = {"status", "starttype", "startuptype", "state", "startmode"}
_SERVICE_KEYS = _STATE_KEYS | {
    "servicename", "servicetype", "canstop", "dependentservices", "servicesdependedon", "requiredservices",
}  # fmt: skip
_DASHES = re.compile(r"^\s*-+(?:\s+-+)*\s*$")
# a table row's Name cell; names in paths only need to be free of the separators Windows forbids
_SERVICE_NAME = re.compile(r"^[\w.\-$@{}]+$")
_PATH_NAME = re.compile(r"^[^/\\]+$")
_GET_SERVICE = re.compile(
    r"\bGet-Service\s+(?:-Name\s+)?['\"]?(?P<name>[\w.$][\w.\-$]*)|\bName\s*=\s*['\"](?P<wmi>[\w.\-$]+)", re.IGNORECASE
)
# `Get-Service : Cannot find any service with service name 'WinRM'.` (5.1), `Get-Service: …` (7)
_PS_NOT_FOUND = re.compile(r"^\s*Get-Service\s*:\s*Cannot find any service with service name '(?P<name>[^']+)'", re.I)
# the error record's category is not localised: `ObjectNotFound: (WinRM:String) [Get-Service], …`
_PS_CATEGORY = re.compile(r"ObjectNotFound:\s*\((?P<name>[^():]+):String\)\s*\[Get-Service\]")
_PS_ERROR = re.compile(r"^\s*(?:Get-Service\s*:|\+\s)", re.IGNORECASE)


@dataclass(frozen=True)
class _ScField:
    key: str
    raw: str
    line: int


@dataclass
class _ScBlock:
    """One `SERVICE_NAME:` block of sc output, its last field still open to continuation lines."""

    name: str
    indent: int
    fields: list[_ScField] = field(default_factory=list)
    localised: bool = False  # opened by a translated label: its fields' labels may be in any case
    after_blank: bool = False  # the line before was blank: an indented line there continues nothing

    def takes(self, text: str, number: int) -> bool:
        """Adds the line to this block if it belongs here."""
        if not text.strip():
            self.after_blank = True
            return True  # Q&A pastes put blank lines between the lines of one block
        after_blank, self.after_blank = self.after_blank, False
        header = _SC_HEADER.match(text)
        if header and not self.fields and _is_sc_key(header["key"]) and not _is_service_name_key(header["key"]):
            # `sc query` prints `DISPLAY_NAME:` under `SERVICE_NAME:`, before the indented fields
            self.fields.append(_ScField(header["key"], (header["value"] or "").strip(), number))
            return True
        more = _SC_MORE.match(text)
        if more and self.fields:
            # DEPENDENCIES lists one service a line, each under an empty key
            self._extend((more["value"] or "").strip(), ", ")
            return True
        sc_field = _SC_FIELD.match(text)
        if sc_field and (_upper(sc_field["key"]) or self.localised or TABLE.says(sc_field["key"], *LABELS)):
            self.fields.append(_ScField(sc_field["key"].strip(), (sc_field["value"] or "").strip(), number))
            return True
        if self.fields and (_SC_CONTROLS.match(text) or (not after_blank and len(text) - len(text.lstrip()) > self.indent)):
            # STATE's `(STOPPABLE, NOT_PAUSABLE, …)` flags sit alone on the next line
            self._extend(text.strip(), " ")
            return True
        return False

    def _extend(self, tail: str, separator: str) -> None:
        last = self.fields[-1]
        joined = f"{last.raw}{separator}{tail}" if last.raw and tail else last.raw or tail
        self.fields[-1] = _ScField(last.key, joined, last.line)


@sniffed
def sniff(source: SourceText) -> int:
    head = [clean_line(line) for line in source.lines[:60]]
    if any(_SC_LINE.match(line) for line in head):
        return 95
    content = [line for line in head if line.strip()]
    for index, line in enumerate(content):
        header = _SC_HEADER.match(line)
        if header and _is_service_name_key(header["key"]):
            return 90
        value = (match["value"] or "") if (match := _SC_FIELD.match(line)) else ""
        if _SC_START.match(value) or _SC_STATE.match(value):
            return 90
        if _DASHES.match(line) and any(
            (table := find(content, index - back)) is not None and _is_service_table(table.names)
            for back in (1, 2) if index >= back
        ):
            return 85
    names = {line.split(":", 1)[0].strip().lower() for line in content if FORMAT_LIST_LINE.match(line)}
    if len(names & _SERVICE_KEYS) >= 2 and names & _STATE_KEYS:
        return 85
    if any(_PS_NOT_FOUND.match(line) or _PS_CATEGORY.search(line) for line in content):
        return 80
    return 0


@pasted
def parse(source: SourceText) -> ParsedDump:
    return _Parser(source).run()


class _Parser:
    """One pass over the lines; Format-List runs are handed to `format_list_records` whole."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.dump = ParsedDump(FORMAT)
        self.command_service: str | None = None  # named on a prompt line: `sc qc winrm`, `Get-Service WinRM`
        self.sc: _ScBlock | None = None
        self.table: Table | None = None
        self.table_rows: list[list[Field]] = []  # rows of the table being read, `-Wrap` lines joined
        self.list_start: int | None = None  # first line index of a Format-List run
        self.in_error = False  # inside the message lines of an sc or PowerShell error
        self.not_found: set[str] = set()
        self.recognised = False  # some sc, Get-Service or Win32_Service output was seen
        self.unknown: list[tuple[int, str]] = []  # sc blocks whose labels the table lacks

    def run(self) -> ParsedDump:
        index = 0
        while index < len(self.source.lines):
            index = self._line(index)
        self._flush_list(len(self.source.lines))
        self._close_table()
        self._close_sc()
        if self.unknown and not self.recognised:
            raise ParseError(TABLE.unknown(self.unknown[0][1]), self.unknown[0][0])
        if not self.recognised:
            line = self.dump.notes[0].location.line if self.dump.notes else 1
            raise ParseError("no service state found", line)
        return self.dump

    def _line(self, index: int) -> int:
        """Reads the line at `index`; returns the index of the next line to read."""
        lines = self.source.lines
        text, number = clean_line(lines[index]), index + 1
        if self.table is not None:
            if not text.strip() or self._row(text, number):
                return index + 1
            self._close_table()
        if self.sc is not None and self.sc.takes(text, number):
            return index + 1
        if not text.strip():
            return index + 1
        table = find(lines, index)
        table_header = table is not None
        if self.sc is not None:
            if not (table_header or FORMAT_LIST_LINE.match(text) or _starts_structure(text)):
                # a hand-typed line inside a block: the block's later fields still count
                self._note(skipped.message(text), number)
                return index + 1
            self._close_sc()
        if self.list_start is not None and not table_header and not _starts_structure(text):
            return index + 1  # fields, continuations and strays of a Format-List run: its reader decides
        self._flush_list(index)
        header, sc_field = _SC_HEADER.match(text), _SC_FIELD.match(text)
        if is_prompt(text):
            self._command(text)
        elif is_elision(text):
            self._note(skipped.elision(text), number)
        elif sc_line := _SC_LINE.match(text):
            self._sc_status(sc_line["text"], number)
        elif _ps_error_line(text) or _PS_CATEGORY.search(text):
            self._ps_error(text, number)
        elif header and _is_sc_key(header["key"]):
            self._open_sc(header, number)
        elif table is not None:
            self._open_table(table, number)
            return table.rows
        elif sc_field and _upper(sc_field["key"]) and self.command_service:
            # sc fields pasted without their SERVICE_NAME line: the prompt names the service
            self.sc, self.recognised = _ScBlock(self.command_service, -1), True
            return self._line(index)
        elif FORMAT_LIST_LINE.match(text):
            self.list_start, self.in_error = index, False
        elif header and (following := next_content(lines, index)) is not None and _sc_value(clean_line(lines[following])):
            # sc's shape (a `LABEL: name` line over `LABEL : 4  RUNNING` fields) with a label the table lacks
            self.unknown.append((number, text))
            self._note(TABLE.skipped(text), number)
        elif not self.in_error:
            self._note(skipped.message(text), number)
        return index + 1

    # --- sc --------------------------------------------------------------------------------------

    def _command(self, text: str) -> None:
        self.in_error = False
        command = _SC_COMMAND.search(text) or _GET_SERVICE.search(text)
        name = command and (command["name"] or command.groupdict().get("wmi"))
        self.command_service = name if name and "*" not in name else None

    def _sc_status(self, text: str, number: int) -> None:
        failure = _SC_FAILURE.search(text)
        self.in_error, self.recognised = failure is not None, True
        if failure is None:
            return  # `[SC] QueryServiceConfig SUCCESS`
        if failure["code"] == _NO_SUCH_SERVICE:
            # sc's error names no service: the command line does, else it is the WinRM dump asked for
            self._emit(self.command_service or "WinRM", "Installed", f"[SC] {text}", number, False)
        else:
            self._note(f"sc failed: [SC] {text}", number)

    def _open_sc(self, header: re.Match[str], number: int) -> None:
        self.in_error = False
        name = (header["value"] or "").strip()
        if _PATH_NAME.match(name):
            localised = not _upper(header["key"])
            self.sc, self.recognised = _ScBlock(name, len(header["indent"]), localised=localised), True
        else:
            self._note(f"service block without a usable name skipped: {header.group().strip()}", number)

    def _close_sc(self) -> None:
        block, self.sc = self.sc, None
        if block is None:
            return
        for entry in block.fields:
            start, state = _SC_START.match(entry.raw), _SC_STATE.match(entry.raw)
            label = _label(entry.key)
            if start or label == "START_TYPE":
                value = _SC_START_TYPES[start["code"]] if start else None
                # `2   AUTO_START  (DELAYED)` is sc's only sign of a delayed automatic start
                if value == "Automatic" and "(DELAYED)" in entry.raw.upper():
                    value = "AutomaticDelayed"
                self._emit(block.name, "StartType", entry.raw, entry.line, value)
            elif state or label == "STATE":
                status = _SC_STATES[state["code"]] if state else None
                self._emit(block.name, "Status", entry.raw, entry.line, status)
            else:
                self._emit(block.name, label, entry.raw, entry.line, entry.raw)

    # --- PowerShell ------------------------------------------------------------------------------

    def _ps_error(self, text: str, number: int) -> None:
        get_service = text.lstrip().lower().startswith("get-service")
        if get_service:
            self.not_found = set()  # a new error record begins
        self.in_error = True
        found = _PS_NOT_FOUND.match(text) or _PS_CATEGORY.search(text)
        self.recognised = self.recognised or get_service or found is not None
        if found is None:
            if get_service:
                self._note(f"Get-Service failed: {text.strip()}", number)
        elif found["name"].lower() not in self.not_found:
            # 5.1 says it twice (message and category): one reading, at the first
            self.not_found.add(found["name"].lower())
            self._emit(found["name"], "Installed", text.strip(), number, False)

    def _open_table(self, table: Table, number: int) -> None:
        self.in_error = False
        if table.has("name", "servicename") or self.command_service:
            self.table, self.recognised = table, True
        else:
            header = " ".join(column.name for column in table.columns)
            self._note(f"table without a service name column skipped: {header}", number)

    def _row(self, text: str, number: int) -> bool:
        """Reads one table row; False when the line is not a row of this table."""
        table = self.table
        cells = table.cells(text) if table is not None else None
        if table is None or cells is None:
            return False
        fields = [Field(c.name, cells[c.name.lower()].text, number, cells[c.name.lower()].truncated) for c in table.columns]
        name = table.cell(cells, "name", "servicename")
        if name is not None and not name.text and self.table_rows and any(f.value for f in fields):
            # `Format-Table -Wrap` goes on under the row it wraps, its Name cell empty
            self.table_rows[-1] = [_wrapped(old, new) for old, new in zip(self.table_rows[-1], fields)]
            return True
        if name is not None and not _SERVICE_NAME.match(name.value):
            return False
        # Win32_Service's Status column is a health (`OK`); its run state is State
        state = table.cell(cells, "state") or table.cell(cells, "status")
        if state is not None and _status(state.text) is None:
            return False
        self.table_rows.append(fields)
        return True

    def _close_table(self) -> None:
        rows, self.table, self.table_rows = self.table_rows, None, []
        for fields in rows:
            self._service(fields, fields[0].line)

    def _flush_list(self, stop: int) -> None:
        start, self.list_start = self.list_start, None
        records = format_list_records(self.source, start, stop) if start is not None else []
        for record in records:
            self._service(record, record[0].line)

    def _service(self, fields: list[Field], number: int) -> None:
        """One service, from a Format-List record or a table row: its state and its other properties."""
        by_name = {entry.name.lower(): entry for entry in fields}
        if not by_name.keys() & _SERVICE_KEYS:
            self._note(f"record without service properties skipped: {fields[0].name}", number)
            return
        name_field = by_name.get("name", by_name.get("servicename"))
        name = field_value(name_field) if name_field else self.command_service
        if name_field is not None and name_field.truncated:
            self._note(f"service name `{name}` cut by the table: its record skipped", number)
            return
        if name is None or not _PATH_NAME.match(name):
            self._note("service record without a usable name skipped", number)
            return
        self.recognised = True
        wmi = "state" in by_name or "startmode" in by_name
        start_key = next((key for key in ("starttype", "startmode", "startuptype") if key in by_name), None)
        # Get-Service has no delayed start type; PowerShell 7 and Win32_Service add these two
        delayed = field_value(by_name.get("delayedautostart")).lower() == "true" or (
            field_value(by_name.get("startuptype")).lower() == "automaticdelayedstart"
        )
        for entry in fields:
            key, raw = entry.name.lower(), field_value(entry)
            if key == ("state" if wmi else "status"):
                self._emit(name, "Status", raw, entry.line, _status(raw), entry.truncated)
            elif key == start_key:
                start = _START_TYPES.get(raw.lower())
                start = "AutomaticDelayed" if start == "Automatic" and delayed else start
                self._emit(name, "StartType", raw, entry.line, start, entry.truncated)
            elif key == "status":
                # Win32_Service.Status is a health (`OK`, `Degraded`), not the run state
                self._emit(name, "WmiStatus", raw, entry.line, raw, entry.truncated)
            else:
                self._emit(name, entry.name, raw, entry.line, raw, entry.truncated)

    # --- shared ----------------------------------------------------------------------------------

    def _emit(
        self, service: str, prop: str, raw: str, line: int, value: str | bool | None, truncated: bool = False
    ) -> None:
        """A reading of `services/<service>/<prop>`; a None value keeps the raw text, not valid."""
        if not _PATH_NAME.match(service):
            self._note(f"service name `{service}` cannot be part of a path: value skipped", line)
            return
        # WinRM under the casing of model.paths: sc echoes the name as it was typed (`winrm`)
        name = "WinRM" if service.lower() == "winrm" else service
        self.dump.readings.append(
            Reading(
                path=f"{_SERVICES}/{name}/{prop}",
                value=raw if value is None else value,
                location=self.source.at(line),
                raw=raw,
                valid=value is not None,
                truncated=truncated,
                origin=FORMAT,
            )
        )

    def _note(self, message: str, line: int) -> None:
        self.dump.notes.append(Note(message, self.source.at(line)))


def _starts_structure(text: str) -> bool:
    """Lines that end a Format-List run although they are not `Name : value` lines."""
    header = _SC_HEADER.match(text)
    return bool(
        is_prompt(text) or is_elision(text) or _SC_LINE.match(text) or _ps_error_line(text)
        or (header and _is_sc_key(header["key"]))
    )  # fmt: skip


def _ps_error_line(text: str) -> bool:
    """A line of PowerShell's error record: `Get-Service : …`, `+ …`, `At line:1 char:1` in any known language."""
    return bool(_PS_ERROR.match(text)) or TABLE.says(text, "position")


def _is_service_name_key(key: str) -> bool:
    return TABLE.says(key, "SERVICE_NAME")


def _is_sc_key(key: str) -> bool:
    # SERVICE_NAME, DISPLAY_NAME; the underscore keeps `WARNING:` and `ERROR:` lines out
    return (_upper(key) and "_" in key) or TABLE.says(key, "SERVICE_NAME", "DISPLAY_NAME")


def _label(key: str) -> str:
    """The English label of a localised one (`Состояние` → `STATE`); unknown labels as printed."""
    said = TABLE.find(key, *LABELS)
    return said.key if said else key.strip()


def _sc_value(line: str) -> bool:
    """A field whose value is one of winsvc.h's numbered names, which sc never translates."""
    match = _SC_FIELD.match(line)
    value = (match["value"] or "").strip() if match else ""
    return bool(_SC_START.match(value) or _SC_STATE.match(value) or re.match(r"^\d+\s+WIN32_\w+", value))


def _upper(key: str) -> bool:
    return key.upper() == key and any(char.isalpha() for char in key)


def _is_service_table(words: set[str]) -> bool:
    if "name" in words and words & {"starttype", "startmode", "startuptype"}:
        return True
    return words == {"status", "name", "displayname"}  # Get-Service's default table


def _wrapped(head: Field, tail: Field) -> Field:
    """A cell and its `-Wrap` continuation: a list breaks after `, `, a long word anywhere."""
    if not tail.value:
        return head
    spaced = " " in head.value or head.value.endswith(",")
    joined = f"{head.value} {tail.value}" if spaced or not head.value else head.value + tail.value
    return Field(head.name, joined.strip(), head.line, tail.truncated)


def _status(text: str) -> str | None:
    return _STATUSES.get(text.lower().replace(" ", ""))


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="service state",
    module=__name__,
    commands=(
        r"sc(?:\.exe)?\s+(?:\\\\\S+\s+)?(?:qc|query|queryex)\b",
        r"get-service\b(?!\s*:)",
        r"(?:get-wmiobject|gwmi|get-ciminstance|gcim)\b.*win32_service",
    ),
    command_words=("sc", "get-service", "win32_service"),
    # `running`, `_start` and the other winsvc.h names are printed untranslated in every language
    anchors=("[sc]", "service_name", "_start", "disabled", "stopped", "running", "pending", "paused", "status", "state", "starttype", "startuptype", "startmode", "get-service"),
    samples=Samples("service_state", rejected=("not_a_service_dump.txt", "not_a_service_table_netadapter.txt")),
    strings=TABLE,
)
