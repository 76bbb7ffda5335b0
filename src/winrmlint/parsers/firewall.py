"""Parser for firewall rules: `Get-NetFirewallRule` (with its filters) and `netsh advfirewall … show rule`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from winrmlint.model import catalog, paths
from winrmlint.model.values import Note, ParsedDump, ParseError, Reading, Source, Value
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
from winrmlint.parsers.strings.firewall import PROFILES, PROPERTIES, TABLE
from winrmlint.parsers.table import Table, find
from winrmlint.source import SourceText

FORMAT = "firewall-rules"

# netsh prints `Key:   value` (no space before the colon, keys localised); a block's first line is the
# rule name with a dashed line under it, and the command ends with `Ok.` (`OK.`, `OK` in some languages).
# Labels and values are read through the table (strings/firewall.py); a block whose rule-name label
# the table lacks is skipped with a note, and a file with nothing else is in a language winrmlint
# does not know, a parse error saying so.
# French puts a (no-break) space before the colon: `Nom de la règle\u00a0:`, `Profiles :`
_NETSH_FIELD = re.compile(r"^\s*(?P<key>[^\s:](?:[^:]*[^\s:])?)[ \u00a0]?:(?:\s+(?P<value>.*))?$")
_DASH_LINE = re.compile(r"^\s*-{10,}\s*$")
_TERMINATOR = re.compile(r"^\s*\w+\.\s*$")
# `-Name X` names one rule (a wildcard names none): filter records printed after it are X's
_NAMED_RULE = re.compile(r"\bGet-NetFirewall\w*\b.*?-Name\s+['\"]?(?P<name>[^'\"\s|,;)]+)", re.IGNORECASE)

_DIRECTIONS = {"inbound": "Inbound", "outbound": "Outbound"}
_PROFILES = ("Domain", "Private", "Public")
_LISTS = {"RemoteAddress", "LocalAddress", "LocalPort", "RemotePort"}
# a table's labels are the property names as typed (`ft name, enabled`): read under their own spelling
_PROPERTY_NAMES = {name.lower(): name for name in (*PROPERTIES, "Name", "PolicyStoreSourceType", "Status")}
# a `Get-NetFirewallRule | Format-Table` shows a rule's Name or DisplayName and some of these
_TABLE_PROPERTIES = ("Enabled", "Profile", "Direction", "Action", "LocalPort", "RemoteAddress")
# properties of the Get-NetFirewall*Filter objects (address, port, application, service, interface, security)
_FILTER_KEYS = {
    "instanceid", "localaddress", "remoteaddress", "protocol", "localport", "remoteport", "icmptype",
    "dynamictarget", "program", "package", "service", "interfacetype", "authentication", "encryption",
}  # fmt: skip


@dataclass(frozen=True)
class _Property:
    name: str
    raw: str
    line: int
    truncated: bool = False


@dataclass
class _Rule:
    """One rule as the dump shows it, filter records included; emitted once the dump is read."""

    id: str
    line: int
    properties: list[_Property] = field(default_factory=list)
    gpo: bool = False

    def add(self, prop: _Property) -> None:
        # a filter's `Format-List *` repeats some of the rule's own properties
        if not any(old.name == prop.name and old.raw == prop.raw for old in self.properties):
            self.properties.append(prop)


@sniffed
def sniff(source: SourceText) -> int:
    content = [line for line in source.lines[:60] if line.strip()]
    for previous, line, following in zip([""] + content, content, content[1:] + [""]):
        if _DASH_LINE.match(line) and _NETSH_FIELD.match(previous) and _NETSH_FIELD.match(following):
            # a field above and below the dashes: netsh in any language (a `net localgroup` listing has neither)
            label = _NETSH_FIELD.match(previous)
            return 95 if label and TABLE.says(label["key"], "DisplayName") else 85
        if TABLE.says(line, "no_rules"):
            return 90
    names = {line.split(":", 1)[0].strip().lower() for line in content if FORMAT_LIST_LINE.match(line)}
    if {"profile", "direction", "action"} <= names:
        return 90
    for index, line in enumerate(content):
        table = _rule_table(content, index) if "name" in line.lower() else None
        if table is not None:
            return 90 if len(table.names & {"profile", "direction", "action", "enabled"}) >= 2 else 60
    if {"localaddress", "remoteaddress"} <= names or {"protocol", "localport", "remoteport"} <= names:
        return 60
    return 0


@pasted
def parse(source: SourceText) -> ParsedDump:
    return _Parser(source).run()


class _Parser:
    """One pass over the lines; Format-List runs are handed to `format_list_records` whole."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.dump = ParsedDump(FORMAT)
        self.rules: list[_Rule] = []
        self.by_id: dict[str, _Rule] = {}  # by lower-case id: Windows rule names ignore case (`-Name winrm-http-in-tcp`)
        self.current: _Rule | None = None  # the rule that filter records attach to
        self.command_rule: str | None = None
        self.netsh: _Rule | None = None  # the netsh block being read
        self.netsh_unterminated = False  # netsh blocks read, `Ok.` not yet
        self.list_start: int | None = None
        self.first_rule_fields: set[str] | None = None
        self.cut = False  # an elision or a cut-off block: the listing is not the whole answer
        self.listing_line: int | None = None  # the first rule or "no rules match": coverage's location
        self.recognised = False  # some rule, filter or netsh answer was seen
        self.unknown: list[tuple[int, str]] = []  # netsh blocks whose rule-name label the table lacks

    def run(self) -> ParsedDump:
        index = 0
        while index < len(self.source.lines):
            index = self._line(index)
        self._flush_list(len(self.source.lines))
        self._close_netsh()
        if self.netsh_unterminated:
            self.cut = True
            self._note("netsh output ends without its closing line: cut short", len(self.source.lines))
        if self.unknown and not self.recognised:
            raise ParseError(TABLE.unknown(self.unknown[0][1]), self.unknown[0][0])
        if not self.recognised:
            line = self.dump.notes[0].location.line if self.dump.notes else 1
            raise ParseError("no firewall rules found", line)
        for rule in self.rules:
            self._emit(rule)
        if self.listing_line is not None and not self.cut:
            self.dump.coverage[paths.FIREWALL] = self.source.at(self.listing_line)
        return self.dump

    def _line(self, index: int) -> int:
        """Reads the line at `index`; returns the index of the next line to read."""
        lines = self.source.lines
        text, number = clean_line(lines[index]), index + 1
        following = next_content(lines, index)
        starts_block = following is not None and bool(_DASH_LINE.match(clean_line(lines[following])))
        if self.netsh is not None and not starts_block:
            field_match = _NETSH_FIELD.match(text)
            if field_match:
                name = _property(field_match["key"])
                self.netsh.add(_Property(name, (field_match["value"] or "").strip(), number))
                return index + 1
            if not (text.strip() and _ends_block(text)):
                # blank lines (Q&A pastes), elisions and hand-typed lines: the block's later keys still count
                self._skip(text, number)
                return index + 1
        if self.netsh is not None:
            self._close_netsh()
        if not text.strip():
            return index + 1
        if starts_block and following is not None and (header := _NETSH_FIELD.match(text)):
            self._flush_list(index)
            self._open_netsh(header, number)
            return following + 1
        table = _rule_table(lines, index) if not FORMAT_LIST_LINE.match(text) else None
        if self.list_start is not None and not (is_prompt(text) or is_elision(text) or table):
            return index + 1  # fields, continuations and strays of a Format-List run: its reader decides
        self._flush_list(index)
        if table is not None:
            return self._table(table)
        if is_prompt(text):
            self._command(text, number)
        elif is_elision(text):
            self._skip(text, number)
        elif TABLE.says(text, "no_rules"):
            self._listed(number)
            self._note("no firewall rule matched the query", number)
        elif _terminator(text) and self.netsh_unterminated:
            self.netsh_unterminated = False
        elif FORMAT_LIST_LINE.match(text):
            self.list_start = index
        else:
            self._skip(text, number)
        return index + 1

    def _skip(self, text: str, number: int) -> None:
        if is_elision(text):
            self.cut = True
            self._note(skipped.elision(text), number)
        elif text.strip():
            self._note(skipped.message(text), number)

    def _command(self, text: str, number: int) -> None:
        if self.netsh_unterminated:
            self.cut = True
            self._note("netsh output cut before its closing line", number)
            self.netsh_unterminated = False
        named = _NAMED_RULE.search(text)
        self.command_rule = named["name"] if named and "*" not in named["name"] else None
        self.current = None
        self.first_rule_fields = None  # the next command may select other properties

    # --- netsh -----------------------------------------------------------------------------------

    def _open_netsh(self, header: re.Match[str], number: int) -> None:
        if not TABLE.says(header["key"], "DisplayName"):
            # its labels cannot be read: the block is skipped (its lines too, as unrecognised)
            self.unknown.append((number, header.group()))
            self._note(TABLE.skipped(header.group()), number)
            self.cut = True
            return
        self.netsh = _Rule("", number)
        self.netsh.add(_Property("DisplayName", (header["value"] or "").strip(), number))
        self.netsh_unterminated = True

    def _close_netsh(self) -> None:
        rule, self.netsh = self.netsh, None
        if rule is None:
            return
        names = {prop.name for prop in rule.properties}
        if "Profile" not in names or "Action" not in names:
            # a block without its profiles or action was cut (or is localised beyond recognition)
            self._note(f"firewall rule block incomplete: {rule.properties[0].raw}", rule.line)
            self.cut = True
        display = rule.properties[0].raw
        profile = next((prop.raw for prop in rule.properties if prop.name == "Profile"), None)
        rule.id = _display_id(display, profile)
        # `Rule source: Group Policy Setting` (verbose), in any language the table knows
        rule.gpo = any(
            TABLE.says(prop.name, "RuleSource") and (TABLE.says(prop.raw, "GroupPolicy") or "group policy" in prop.raw.lower())
            for prop in rule.properties
        )
        self._add_rule(rule)

    # --- Get-NetFirewallRule ---------------------------------------------------------------------

    def _flush_list(self, stop: int) -> None:
        start, self.list_start = self.list_start, None
        records = format_list_records(self.source, start, stop) if start is not None else []
        for record in records:
            self._record(record)

    def _record(self, record: list[Field]) -> None:
        by_name = {entry.name.lower(): entry for entry in record}
        properties = [
            _Property(entry.name, field_value(entry), entry.line, entry.truncated) for entry in record
        ]
        if "name" in by_name or "displayname" in by_name:
            self._rule_record(by_name, properties, record[0].line)
            return
        if not by_name.keys() & _FILTER_KEYS:
            self._note(f"record without firewall properties skipped: {record[0].name}", record[0].line)
            return
        self.recognised = True
        # a filter record (Get-NetFirewallAddressFilter, …PortFilter): its InstanceID is the rule's
        # Name when shown; otherwise it belongs to the rule printed before it or named by the command
        instance, line = field_value(by_name.get("instanceid")), record[0].line
        target = self._rule_named(instance, line) if instance else self.current
        if target is None and self.command_rule:
            target = self._rule_named(self.command_rule, line)
        if target is None:
            self._note(f"filter record without its rule skipped: {record[0].name}", record[0].line)
            return
        for prop in properties:
            target.add(prop)

    def _rule_record(self, by_name: dict[str, Field], properties: list[_Property], line: int) -> None:
        name, display = field_value(by_name.get("name")), field_value(by_name.get("displayname"))
        profile = by_name.get("profile")
        rule_id = name or _display_id(display, field_value(profile) if profile is not None else None)
        if not rule_id:
            self._note("firewall rule record without a Name or DisplayName skipped", line)
            return
        rule = _Rule(rule_id, line, gpo=field_value(by_name.get("policystoresourcetype")).lower() == "grouppolicy")
        for prop in properties:
            rule.add(prop)
        # the default view always prints the same properties: a record with fewer was cut off
        fields = set(by_name)
        if self.first_rule_fields is None:
            self.first_rule_fields = fields
        elif not self.first_rule_fields <= fields:
            self.cut = True
            self._note(f"firewall rule record incomplete: {rule_id}", line)
        self._add_rule(rule)
        self.current = rule

    # --- Get-NetFirewallRule | Format-Table ------------------------------------------------------

    def _table(self, table: Table) -> int:
        """Each row is a rule record; a row whose Name (or DisplayName) the table cut names no rule."""
        lines, index = self.source.lines, table.rows
        if table.names <= {"name", "displayname"}:  # `ft DisplayName, Name`: WRM509 and WRM510 are not judged
            self._note("a table of rule names only: it does not show whether a rule is enabled, for which "
                       "profiles, or from which addresses", index)
        while index < len(lines) and lines[index].strip() and not is_prompt(lines[index]):
            number = index + 1
            cells = table.cells(clean_line(lines[index]))
            if cells is None:
                self._skip(clean_line(lines[index]), number)
                index += 1
                continue
            record = [
                Field(_PROPERTY_NAMES.get(c.name.lower(), c.name), cells[c.name.lower()].text, number, cells[c.name.lower()].truncated)
                for c in table.columns
            ]
            ident = table.cell(cells, "name") or table.cell(cells, "displayname")
            if ident is not None and ident.truncated:
                self.cut = True
                self._note(f"firewall rule `{ident.text}` cut by the table: its row skipped", number)
            else:
                self._record(record)
            index += 1
        return index

    # --- shared ----------------------------------------------------------------------------------

    def _add_rule(self, rule: _Rule, listed: bool = True) -> None:
        self.recognised = True
        self.rules.append(rule)
        self.by_id[rule.id.lower()] = rule
        if listed:
            self._listed(rule.line)

    def _rule_named(self, name: str, line: int) -> _Rule:
        """The rule with this Name; a filter printed alone makes one, which lists no rule."""
        if name.lower() not in self.by_id:
            self._add_rule(_Rule(name, line), listed=False)
        return self.by_id[name.lower()]

    def _listed(self, line: int) -> None:
        self.recognised = True
        self.listing_line = line if self.listing_line is None else self.listing_line

    def _emit(self, rule: _Rule) -> None:
        for prop in rule.properties:
            value, valid = _typed(prop.name, prop.raw)
            self.dump.readings.append(
                Reading(
                    path=f"{paths.FIREWALL}/{rule.id}/{prop.name}",
                    value=value,
                    location=self.source.at(prop.line),
                    source=Source.GPO if rule.gpo else Source.LOCAL,
                    raw=prop.raw,
                    valid=valid,
                    truncated=prop.truncated,
                    origin=FORMAT,
                )
            )

    def _note(self, message: str, line: int) -> None:
        self.dump.notes.append(Note(message, self.source.at(line)))


def _rule_table(lines: Sequence[str], index: int) -> Table | None:
    table = find(lines, index)
    if table is None or len(table.columns) < 2 or not table.has("name", "displayname"):
        return None
    # `ft DisplayName, Name`: a listing of which rules there are, named both ways
    named_twice = table.has("name") and table.has("displayname")
    return table if named_twice or table.has(*_TABLE_PROPERTIES) else None


def _ends_block(text: str) -> bool:
    """Lines after which a netsh block cannot go on: `Ok.`, a prompt, another command's output."""
    return bool(_terminator(text) or is_prompt(text) or TABLE.says(text, "no_rules") or FORMAT_LIST_LINE.match(text))


def _terminator(text: str) -> bool:
    return bool(_TERMINATOR.match(text)) or TABLE.says(text, "ok")


def _property(label: str) -> str:
    """netsh's label as Get-NetFirewallRule's property name; labels the table lacks as printed."""
    said = TABLE.find(label, *PROPERTIES)
    return said.key if said else label


def _word(raw: str, *keys: str) -> str:
    """A localised value in its English form (`Eingehend` → `Inbound`); others unchanged."""
    said = TABLE.find(raw, *keys)
    return said.key if said else raw.strip()


def _typed(name: str, raw: str) -> tuple[Value, bool]:
    """The normalised value of one rule property: the same text whichever tool printed it."""
    if name == "Enabled":
        return catalog.coerce("bool", _word(raw, "Yes", "No"))  # True/False (PowerShell), Yes/No (netsh)
    if name == "Profile":
        return _profiles(raw), True
    if name == "Direction":
        direction = _word(raw, "Inbound", "Outbound")
        return _DIRECTIONS.get(direction.lower(), raw), direction.lower() in _DIRECTIONS
    if name == "Action":
        return _word(raw, "Allow", "Block"), True
    if name in _LISTS:
        # `{10.0.0.1, 10.0.0.2}` (PowerShell) and `10.0.0.1,10.0.0.2` (netsh) alike; `Beliebig` is `Any`
        items, _ = catalog.coerce("list", raw)
        return ", ".join(_word(item, "Any", "LocalSubnet") for item in (items if isinstance(items, tuple) else ())), True
    return raw, True


def _display_id(display: str, profile: str | None) -> str:
    """The id of a rule shown without its Name (paths.FIREWALL): netsh has none, and one display
    name covers a block per profile set."""
    return f"{display}|{_profiles(profile)}" if profile is not None else display


def _profiles(raw: str) -> str:
    """`Domain,Private`, `Private, Domain` → `Domain, Private`; `Any` (all profiles) → all three."""
    parts = [_word(part, *PROFILES) for part in raw.strip("{}").replace("，", ",").split(",") if part.strip()]
    known = {part.lower() for part in parts}
    if "any" in known:
        return ", ".join(_PROFILES)
    ordered = [profile for profile in _PROFILES if profile.lower() in known]
    others = [part for part in parts if part.lower() not in {profile.lower() for profile in _PROFILES}]
    return ", ".join(ordered + others)


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="firewall rules",
    module=__name__,
    commands=(
        r"netsh(?:\.exe)?\s+advfirewall\s+firewall\s+show\b",
        r"netsh(?:\.exe)?\s+firewall\s+show\b",
        r"(?:get|show)-netfirewall\w*\b(?!\s*:)",
    ),
    command_words=("netsh", "netfirewall"),
    anchors=("----------", "no rules match", "direction", "remoteaddress", "localport", "profile"),
    samples=Samples("firewall", rejected=("not_a_firewall_dump.txt", "not_a_rule_table_netadapter.txt")),
    strings=TABLE,
)
