"""Parser for `Get-WSManInstance winrm/config/…` Format-List output: listener enumerations and sections."""

from __future__ import annotations

import re

from winrmlint.model import catalog
from winrmlint.model.values import Note, ParseError, ParsedDump, Source
from winrmlint.parsers import skipped
from winrmlint.parsers.text import (
    Field,
    first_content_line,
    format_list_records,
    is_elision,
    is_prompt,
)
from winrmlint.parsers.winrm_config import (
    CONTAINER_PATHS,
    LISTENER_NAMES,
    listener_key,
    make_reading,
    source_named,
)
from winrmlint.parsers.winrm_xml import CONFIG_NS
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.source import SourceText

FORMAT = "wsman-instance-list"

# the XML plumbing PowerShell shows before the properties: not settings
_METADATA = {"cfg", "xsi", "lang", "source"}
_NAME = re.compile(r"[A-Za-z_]\w*")
_FIELD = re.compile(r"^\s*(?P<name>[A-Za-z_]\w*)\s*:(?:\s+(?P<value>.*))?$")
# a nested section is an XmlElement, which PowerShell prints by its name (`Auth : Auth`)
_NESTED = {"system.xml.xmlelement"}


@sniffed
def sniff(source: SourceText) -> int:
    # Get-WSManInstance always prints `cfg`; without it only listener properties are telling, as
    # session configurations (Format-List *) share the quota names
    listener = 0
    for line in source.lines[:60]:
        match = _FIELD.match(line)
        if match is None:
            continue
        name, value = match["name"].lower(), (match["value"] or "").strip().lower()
        if name == "cfg" and value.startswith(CONFIG_NS):
            return 95
        listener += name in LISTENER_NAMES
    return 70 if listener >= 3 else 0


@pasted
def parse(source: SourceText) -> ParsedDump:
    dump = ParsedDump(FORMAT)
    complete = _note_other_lines(source, dump)
    seen: dict[str, int] = {}
    listeners: list[list[Field]] = []
    for fields in _instances(format_list_records(source)):
        names = {f.name.lower() for f in fields}
        resource = _resource(fields)
        if resource == catalog.LISTENERS:
            listeners.append(fields)
            _listener(source, dump, fields, seen)
        elif resource:
            _section(source, dump, fields, resource)
        elif names - _METADATA:
            dump.notes.append(Note("record not understood, skipped", source.at(fields[0].line)))
    # all listeners, each with all its properties, and nothing left out by hand
    if listeners and complete and all(LISTENER_NAMES <= {f.name.lower() for f in fs} for fs in listeners):
        dump.coverage[catalog.LISTENERS] = source.at(listeners[0][0].line)
    if not dump.readings and not dump.coverage:
        raise ParseError("no Get-WSManInstance record found", first_content_line(source.lines))
    dump.notes.sort(key=lambda n: n.location.line)
    return dump


def _note_other_lines(source: SourceText, dump: ParsedDump) -> bool:
    """Prompts, elisions and stray text are skipped with a note; says whether nothing was elided."""
    complete = True
    for number, line in enumerate(source.lines, start=1):
        if not line.strip():
            continue
        if is_prompt(line):
            dump.notes.append(Note("command line skipped", source.at(number)))
        elif is_elision(line):
            dump.notes.append(Note("elision: values left out here", source.at(number)))
            complete = False
        elif _FIELD.match(line) is None and not line[:1].isspace():
            # an indented line continues the previous value; one at column 0 is not ours
            dump.notes.append(Note(skipped.message(line), source.at(number)))
    return complete


def _instances(records: list[list[Field]]) -> list[list[Field]]:
    """One object per record, but a `cfg` line or a repeated name is what really starts one:
    some pastes lose the blank line between objects, and an elision splits one in two."""
    instances: list[list[Field]] = []
    for record in records:
        current: list[Field] = instances.pop() if instances and _continues(instances[-1], record) else []
        for field in record:
            names = {f.name.lower() for f in current}
            if current and (field.name.lower() == "cfg" or field.name.lower() in names):
                instances.append(current)
                current = []
            if field.name.isupper() or not _NAME.fullmatch(field.name):
                continue  # `WARNING:` and prose ending in a colon print like a field
            current.append(field)
        if current:
            instances.append(current)
    return instances


def _continues(previous: list[Field], record: list[Field]) -> bool:
    names = {f.name.lower() for f in record}
    return record[0].name.lower() != "cfg" and not names & {f.name.lower() for f in previous}


def _resource(fields: list[Field]) -> str:
    """The logical prefix of one object: its `cfg` namespace says it, else its property names."""
    for field in fields:
        if field.name.lower() == "cfg" and field.value.lower().startswith(CONFIG_NS):
            suffix = field.value[len(CONFIG_NS):].strip("/").lower()
            if suffix == "listener":
                return catalog.LISTENERS
            prefix = f"{catalog.ROOT}/{suffix}" if suffix else catalog.ROOT
            return CONTAINER_PATHS.get(prefix, prefix)
    names = {f.name.lower() for f in fields}
    return catalog.LISTENERS if {"address", "transport"} <= names else ""


def _source(fields: list[Field]) -> Source:
    for field in fields:
        if field.name.lower() == "source":
            return source_named(field.value)
    return Source.LOCAL


def _listener(source: SourceText, dump: ParsedDump, fields: list[Field], seen: dict[str, int]) -> None:
    values = {f.name.lower(): f.value for f in fields}
    origin = _source(fields)
    key, note = listener_key(values.get("address", ""), values.get("transport", ""), origin, seen)
    if note:
        dump.notes.append(Note(note, source.at(fields[0].line)))
    for field in fields:
        if field.name.lower() in _METADATA:
            continue
        path = catalog.canonical(f"{key}/{field.name}")
        # `{a, b, c, d...}`: PowerShell showed four items of a longer list ($FormatEnumerationLimit)
        dump.readings.append(make_reading(path, field.value, field.line, source, FORMAT, origin, field.truncated))


def _section(source: SourceText, dump: ParsedDump, fields: list[Field], prefix: str) -> None:
    known = {c.lower(): c for c in catalog.CONTAINERS.values()}
    nested = False
    for field in fields:
        name = field.name.lower()
        if name in _METADATA:
            continue
        if name in known and field.value.strip().lower() in {name, *_NESTED}:
            nested = True
            dump.notes.append(Note(f"nested section {field.name} is not shown by this command",
                                   source.at(field.line)))
            continue
        path = catalog.canonical(f"{prefix}/{field.name}")
        dump.readings.append(make_reading(path, field.value, field.line, source, FORMAT, _source(fields),
                                          field.truncated))
    # every value of a section with no nested parts (Winrs) is on screen
    if not nested and prefix in CONTAINER_PATHS.values():
        dump.coverage.setdefault(prefix, source.at(fields[0].line))


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="Get-WSManInstance",
    module=__name__,
    commands=(
        r"get-wsmaninstance\b(?!\s*:)",
    ),
    command_words=("get-wsmaninstance",),
    anchors=("cfg", *sorted(LISTENER_NAMES)),
    samples=Samples("wsman_instance", rejected=("garbage.txt",)),
)
