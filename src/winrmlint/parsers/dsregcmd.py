"""Parser for `dsregcmd /status`: join state (Entra, domain, enterprise), tenant, device name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from winrmlint.model import catalog, paths
from winrmlint.model.values import Note, ParsedDump, ParseError, Reading
from winrmlint.parsers import skipped
from winrmlint.parsers.strings.dsregcmd import TABLE
from winrmlint.parsers.text import first_content_line, is_elision, prompt_command, strip_comment
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.source import SourceText

FORMAT = "dsregcmd-status"

_BORDER = re.compile(r"^\+-{3,}\+$")
_BOXED_TITLE = re.compile(r"^\|\s*(?P<title>\S.*?)\s*\|$")
# Right-aligned labels, colons aligned: `             AzureAdJoined : YES`. The space before the
# colon tells a label from `https://…` or a time inside a value.
# Windows 10 before 1703 printed `    AzureAdJoined: YES` (a one-word label, no space before the
# colon, and `KeySignTest: : MUST Run elevated to test.`): read too, the label being one CamelCase word.
_LABEL = re.compile(
    r"^(?:(?P<label>[^:]*?[^\s:])\s+:(?:\s+(?P<value>.*?))?"
    r"|\s*(?P<word>[A-Za-z][A-Za-z0-9]*):(?:\s+(?::\s+)?(?P<old>.*?))?)$"
)
# authors mark lines with a leading `#` (and a trailing `<- …`: strip_comment) (formats.md § dsregcmd)
_LEADING_MARK = re.compile(r"^#+\s*")
# section titles as dsregcmd prints them, for pastes that lost the box around them
# (English on every Windows: strings/dsregcmd.py, with the sources that show it)
_TITLES = {phrase.text.lower(): phrase.text for phrase in TABLE.phrases if phrase.key == "title"}
_DEVICE_STATE = "Device State"
# winrm-reference.md §5 [ENTRA-DSREG]: the three flags that make the join state
_JOIN_FLAGS = {
    "azureadjoined": paths.AZURE_AD_JOINED,
    "domainjoined": paths.DOMAIN_JOINED,
    "enterprisejoined": paths.ENTERPRISE_JOINED,
}
_NAMED = {"tenantname": paths.TENANT_NAME, "domainname": paths.HOST_DOMAIN}
_DEVICE_NAME = "device name"
_JOIN = paths.AZURE_AD_JOINED.rsplit("/", 1)[0]  # host/join
_COMMAND = re.compile(r"^dsregcmd(?:\.exe)?\s+/\w+", re.IGNORECASE)


@dataclass(frozen=True)
class _Section:
    """A section title (boxed or not) and the line it is on."""

    title: str
    line: int


def _label(text: str, old: bool = True) -> tuple[str, str] | None:
    """A `label : value` line's label and value, else None; the older `Label: value` spelling only
    when `old` (under a dsregcmd section title: elsewhere `Name: value` is any tool's line)."""
    match = _LABEL.match(text)
    if match is None:
        return None
    if match.group("word") is not None:
        if not old:
            return None
        return match.group("word"), match.group("old") or ""
    return match.group("label"), match.group("value") or ""


@sniffed
def sniff(source: SourceText) -> int:
    score = 0
    for raw in source.lines[:60]:
        text = _unmark(raw)
        boxed = _BOXED_TITLE.match(text)
        if boxed and boxed.group("title").lower() in _TITLES:
            return 95
        label = _label(text)
        if label and label[0].lower() in _JOIN_FLAGS:
            score = max(score, 90 if label[0].lower() == "azureadjoined" else 70)
    return score


@pasted
def parse(source: SourceText) -> ParsedDump:
    dump = ParsedDump(FORMAT)
    section: _Section | None = None
    device_state: dict[str, int] = {}  # join flag → line of the Device State title it sits under
    for number, raw in enumerate(source.lines, start=1):
        text = _unmark(raw)
        if not text or _BORDER.match(text):
            continue
        title = _title(text)
        if title is not None:
            section = _Section(title, number)
            continue
        if is_elision(text):
            dump.notes.append(Note(f"elision `{text}` skipped", source.at(number)))
            continue
        if prompt_command(raw) is not None or _COMMAND.match(text):
            continue
        match = _label(strip_comment(text), old=section is not None)
        if match is None:
            dump.notes.append(Note(skipped.message(text), source.at(number)))
            continue
        label, value = match
        key = label.lower()
        if key in _JOIN_FLAGS and section is not None and section.title == _DEVICE_STATE:
            device_state.setdefault(key, section.line)
        dump.readings.append(_reading(source, number, section, label, value))
        if key == _DEVICE_NAME and value:
            # a dotted name is the FQDN (hybrid and domain-joined devices print it)
            path = paths.HOST_FQDN if "." in value else paths.HOST_NAME
            dump.host_names.append(Reading(path, value, source.at(number), raw=value, origin=FORMAT))
    if not dump.readings and section is None:
        first = first_content_line(source.lines)
        raise ParseError("no `dsregcmd /status` section or `Label : value` line found", first)
    _coverage(dump, source, device_state)
    return dump


def _unmark(raw: str) -> str:
    return _LEADING_MARK.sub("", raw.strip()).strip()


def _title(text: str) -> str | None:
    boxed = _BOXED_TITLE.match(text)
    if boxed:
        name = boxed.group("title")
        return _TITLES.get(name.lower(), name)
    return _TITLES.get(text.lower())


def _reading(source: SourceText, number: int, section: _Section | None, label: str, value: str) -> Reading:
    key = label.lower()
    if key in _JOIN_FLAGS:
        typed, valid = catalog.coerce("bool", value)
        return Reading(_JOIN_FLAGS[key], typed, source.at(number), raw=value, valid=valid, origin=FORMAT)
    path = _NAMED.get(key)
    if path is None:
        # every other label is kept where dsregcmd shows it; a label pasted with no title above it
        # sits directly under `dsregcmd/`
        path = f"dsregcmd/{section.title}/{label}" if section else f"dsregcmd/{label}"
    return Reading(path, value, source.at(number), raw=value, origin=FORMAT)


def _coverage(dump: ParsedDump, source: SourceText, device_state: dict[str, int]) -> None:
    """`host/join` when a titled Device State section shows all three join flags, all readable."""
    if set(device_state) != set(_JOIN_FLAGS):
        return
    if all(r.valid for r in dump.readings if r.path in _JOIN_FLAGS.values()):
        dump.coverage[_JOIN] = source.at(device_state["azureadjoined"])


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="dsregcmd /status",
    module=__name__,
    commands=(
        r"dsregcmd(?:\.exe)?\b",
    ),
    command_words=("dsregcmd",),
    anchors=(*sorted(_TITLES), *sorted(_JOIN_FLAGS)),
    samples=Samples("dsregcmd"),
    strings=TABLE,
)
