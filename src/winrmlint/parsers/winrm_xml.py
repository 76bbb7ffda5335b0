"""Parser for `winrm get winrm/config -format:xml|pretty` and listener enumerations as XML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from winrmlint.model import catalog, paths
from winrmlint.model.values import Note, ParseError, ParsedDump, Source
from winrmlint.parsers.text import is_elision, is_prompt
from winrmlint.parsers.winrm_config import (
    DESTINATION_UNREACHABLE,
    SECTIONS,
    SUBSECTIONS,
    listener_key,
    make_reading,
    parents_by_keys,
    remote_target,
    source_named,
)
from winrmlint.parsers import skipped
from winrmlint.parsers.formats import Format, Samples
from winrmlint.parsers.paste import pasted, sniffed
from winrmlint.source import SourceText

if TYPE_CHECKING:
    from lxml.etree import _Element

FORMAT = "winrm-config-xml"

# MS-WSMV 2.2.4.10: `cfg:Config` and its parts; sub-resources use `…/config/listener`, `…/config/client`
CONFIG_NS = "http://schemas.microsoft.com/wbem/wsman/1/config"
FAULT_NS = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"
_WRAPPER = "winrmlint-document"  # several documents in one paste are read inside one synthetic root

_DECLARATION = re.compile(r"<\?xml[^>]*\?>")
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_WINRM = re.compile(r"\bwinrm(?:\.cmd)?\s", re.IGNORECASE)
_ENUMERATE = re.compile(r"\bwinrm(?:\.cmd)?\s+(?:e|enum|enumerate)\s+winrm/config/listener\b", re.IGNORECASE)
# lxml (without huge_tree) caps depth and text size but not the number of elements, and each
# becomes a reading of about 1 KB: a 32 MiB line of `<a/>` would take gigabytes. A full
# `winrm get winrm/config -format:xml` has about 200 tags.
_MAX_TAGS = 200_000
# a WinRM element has a namespace or two and `Source`; thousands on one element are an attack
_MAX_ATTRIBUTES = 256
_START_TAG = re.compile(r"<[^<>]*")


@dataclass(frozen=True)
class _Region:
    """The lines that hold XML, with the material around them already noted."""

    first: int  # 0-based index of the first XML line
    text: str
    enumerated: bool  # a `winrm enumerate winrm/config/listener` command came before it
    remote: str = ""  # the other computer a `winrm … -r:<name>` before it went to


@sniffed
def sniff(source: SourceText) -> int:
    # the XML must lead (after prompts): a registry export may quote the namespace in a value
    first = next((line.lstrip() for line in source.lines[:60] if line.strip() and not is_prompt(line)), "")
    if not first.startswith("<"):
        return 0
    head = "\n".join(line[:4000] for line in source.lines[:60])
    low = head.lower()
    if CONFIG_NS in low:
        return 95
    if "<cfg:config" in low or "<cfg:listener" in low:
        return 85
    if FAULT_NS in low:
        return 70
    return 0


@pasted
def parse(source: SourceText) -> ParsedDump:
    dump = ParsedDump(FORMAT)
    region = _region(source, dump)
    walker = _Walker(source, dump, region)
    walker.walk(_load(region))
    if walker.enumerated and walker.listener_lines:
        dump.coverage.setdefault(catalog.LISTENERS, source.at(min(walker.listener_lines)))
    if walker.unreachable and not any(r.path.startswith(catalog.ROOT + "/") for r in dump.readings):
        # the host's own `winrm` got 0x80338012 and printed no configuration (winrm_config)
        dump.readings.append(make_reading(paths.SERVICE_UNREACHABLE, DESTINATION_UNREACHABLE,
                                          walker.unreachable, source, FORMAT))
    dump.readings.sort(key=lambda r: r.location.line)
    if not dump.readings and not dump.coverage:
        raise ParseError("no WinRM configuration element found", region.first + 1)
    return dump


def _region(source: SourceText, dump: ParsedDump) -> _Region:
    """Find the XML among prompts and command lines; a paste shows nothing else around it."""
    lines = source.lines
    starts = [i for i, line in enumerate(lines) if line.lstrip().startswith("<")]
    if not starts:
        first = next((i for i, line in enumerate(lines) if line.strip()), 0)
        raise ParseError("no XML element found", first + 1)
    first, last = starts[0], starts[-1]
    kept: list[str] = []
    for index, line in enumerate(lines[first:last + 1], start=first):
        if is_prompt(line) or is_elision(line):
            # a prompt between two documents, or a hand elision: blank it, keeping line numbers
            skipped.note(dump, source, index + 1, line, "outside the XML")
            kept.append("")
        else:
            kept.append(line)
    for index, line in enumerate(lines):
        if (index < first or index > last) and line.strip():
            skipped.note(dump, source, index + 1, line, "outside the XML")
    text = "\n".join(kept)
    doctype = _DOCTYPE.search(text)
    if doctype:
        raise ParseError("DTDs are not allowed", first + 1 + text.count("\n", 0, doctype.start()))
    if text.count("<") > _MAX_TAGS:
        raise ParseError(f"more than {_MAX_TAGS} XML tags: not read", first + 1)
    # libxml2 checks each attribute against the element's others: quadratic in one tag's count
    crowded = next((m for m in _START_TAG.finditer(text) if m.group().count("=") > _MAX_ATTRIBUTES), None)
    if crowded is not None:
        raise ParseError(f"an XML element with more than {_MAX_ATTRIBUTES} attributes: not read",
                         first + 1 + text.count("\n", 0, crowded.start()))
    # declarations would be misplaced inside the wrapper; the text is already decoded
    text = _DECLARATION.sub("", text)
    enumerated = any(_ENUMERATE.search(line) for line in lines[:first])
    remote = next((r for r in (remote_target(line) for line in lines[:first] if _WINRM.search(line)) if r), "")
    return _Region(first, text, enumerated, remote)


def _load(region: _Region) -> _Element:
    from lxml import etree

    # no entities, no network, no DTD: the input is untrusted text
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False)
    wrapped = f"<{_WRAPPER}>{region.text}</{_WRAPPER}>".encode("utf-8", "surrogatepass")
    try:
        root = etree.fromstring(wrapped, parser)
    except etree.XMLSyntaxError as err:
        line = region.first + max(getattr(err, "lineno", 1) or 1, 1)
        # lxml counts lines from the start of the XML; the ParseError's line is the file's
        message = re.sub(r", line \d+, column \d+$", "", str(err.msg))
        raise ParseError(f"XML is not well-formed: {message}", line) from None
    except (etree.LxmlError, ValueError) as err:
        raise ParseError(f"XML could not be read: {err}", region.first + 1) from None
    return root


def _local(element: _Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(element: _Element) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0].lower() if isinstance(tag, str) and tag.startswith("{") else ""


def _children(element: _Element) -> list[_Element]:
    # comments and processing instructions have a non-string tag
    return [child for child in element if isinstance(child.tag, str)]


def _text(element: _Element) -> str:
    # a console-wrapped paste breaks long values across lines; values never hold a line break
    return "".join((element.text or "").split("\n")).strip()


def _source_of(element: _Element, inherited: Source) -> Source:
    for name, value in element.attrib.items():
        if name.rsplit("}", 1)[-1].lower() == "source":
            return source_named(str(value))
    return inherited


class _Walker:
    def __init__(self, source: SourceText, dump: ParsedDump, region: _Region) -> None:
        self.source = source
        self.dump = dump
        self.region = region
        self.keys: dict[str, int] = {}
        self.listener_lines: list[int] = []
        self.enumerated = region.enumerated
        self.unreachable = 0  # the line of a 0x80338012 fault from the host's own `winrm`

    def line(self, element: _Element) -> int:
        return self.region.first + (element.sourceline or 1)

    def walk(self, element: _Element) -> None:
        namespace = _namespace(element)
        if namespace.startswith(CONFIG_NS):
            self._resource(element, namespace)
        elif namespace == FAULT_NS and _local(element).lower() == "wsmanfault":
            self._fault(element)
        else:
            if _local(element) != _WRAPPER and any(_local(c).lower() == "listener" for c in _children(element)):
                # `wsman:Results` / `wsen:Items` around listeners: an enumeration
                self.enumerated = True
            for child in _children(element):
                self.walk(child)

    def _resource(self, element: _Element, namespace: str) -> None:
        name = _local(element).lower()
        line = self.line(element)
        if name == "listener":
            self._listener(element)
            return
        certain = True
        if name == "config":
            prefix = catalog.ROOT
        elif name in SECTIONS:
            prefix = f"{catalog.ROOT}/{name}"
        elif name in SUBSECTIONS:
            prefix, certain = self._subsection(element, namespace)
        else:
            prefix, certain = f"{catalog.ROOT}/{_local(element)}", False
            self.dump.notes.append(Note(f"unknown section {_local(element)} read as {prefix}", self.source.at(line)))
        self._container(element, prefix, _source_of(element, Source.LOCAL))
        # a parsed element is whole: the document would not be well-formed otherwise
        if certain:
            self.dump.coverage.setdefault(prefix, self.source.at(line))

    def _subsection(self, element: _Element, namespace: str) -> tuple[str, bool]:
        """An `Auth` or `DefaultPorts` root: its namespace or its keys say whose it is."""
        segment = catalog.CONTAINERS[_local(element).lower()]
        suffix = namespace[len(CONFIG_NS):].strip("/")
        parents = {p for p in ("client", "service") if suffix.startswith(p)}
        if not parents:
            parents = parents_by_keys([_local(child) for child in _children(element)], segment)
        if len(parents) == 1:
            return f"{catalog.ROOT}/{parents.pop()}/{segment}", True
        self.dump.notes.append(Note(f"{_local(element)} section could be the client's or the service's: "
                                    "read as the service's", self.source.at(self.line(element))))
        return f"{catalog.ROOT}/service/{segment}", False

    def _container(self, element: _Element, prefix: str, inherited: Source) -> None:
        for child in _children(element):
            source = _source_of(child, inherited)
            name = _local(child)
            if _children(child):
                segment = catalog.CONTAINERS.get(name.lower(), name)
                self._container(child, f"{prefix}/{segment}", source)
                continue
            path = catalog.canonical(f"{prefix}/{name}")
            self.dump.readings.append(make_reading(path, _text(child), self.line(child), self.source, FORMAT, source))

    def _listener(self, element: _Element) -> None:
        block_source = _source_of(element, Source.LOCAL)
        props: dict[str, list[_Element]] = {}
        for child in _children(element):
            props.setdefault(_local(child), []).append(child)
        values = {name.lower(): _text(found[0]) for name, found in props.items()}
        key, note = listener_key(values.get("address", ""), values.get("transport", ""), block_source, self.keys)
        line = self.line(element)
        if note:
            self.dump.notes.append(Note(note, self.source.at(line)))
        self.listener_lines.append(line)
        for name, found in props.items():
            path = catalog.canonical(f"{key}/{name}")
            # one `cfg:ListeningOn` element per address
            raw = ", ".join(t for t in (_text(e) for e in found) if t) if len(found) > 1 else _text(found[0])
            source = _source_of(found[0], block_source)
            self.dump.readings.append(make_reading(path, raw, self.line(found[0]), self.source, FORMAT, source))

    def _fault(self, element: _Element) -> None:
        line = self.line(element)
        code = element.get("Code", "").strip()
        if re.fullmatch(r"\d{1,10}", code):
            hex_code = f"0x{int(code) % 2**32:08X}"
            self.dump.readings.append(make_reading(paths.WSMAN_FAULT_CODE, hex_code, line, self.source, FORMAT))
            if hex_code == DESTINATION_UNREACHABLE and not self.region.remote:
                self.unreachable = self.unreachable or line
        messages = [e for e in element.iter() if _local(e).lower() == "message" and _namespace(e) == FAULT_NS]
        if messages:
            text = " ".join("".join(messages[-1].itertext()).split())
            self.dump.readings.append(
                make_reading(paths.WSMAN_FAULT_MESSAGE, text, self.line(messages[-1]), self.source, FORMAT))


# anchors: what this module's `sniff` needs at least one of (formats.Format)
DECLARATION = Format(
    name=FORMAT,
    display="winrm get -format:xml",
    module=__name__,
    commands=(
        r"winrm(?:\.cmd)?\s+(?:get|g|enumerate|enum|e)\s+\S+.*-format:(?:xml|pretty)",
    ),
    command_words=("-format:",),
    anchors=(CONFIG_NS, FAULT_NS, "<cfg:config", "<cfg:listener"),
    samples=Samples("winrm_xml", rejected=("not_config.xml",)),
)
