"""The host model: every setting with all its readings, defaults where an input speaks for them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from winrmlint.model import catalog, paths
from winrmlint.model.platform import Platform, Role, infer_role, recognise
from winrmlint.model.values import Note, ParsedDump, Reading, Source, SpnEntry, SpnQuery, Value
from winrmlint.source import Location

# Group Policy supersedes local values (winrm-reference.md §0); compatibility listeners are
# created by policy or by the service flag, and a local reading is the weakest.
_PRECEDENCE = {Source.GPO: 0, Source.COMPATIBILITY: 1, Source.LOCAL: 2, Source.DEFAULT: 3}


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting of a host: its effective value and every reading that reports it.

    `readings` is sorted by precedence, the effective one first; a setting that no input shows
    but one input speaks for is at its Windows default, located at that input's section.
    """

    path: str
    readings: tuple[Reading, ...]
    default: Value = None
    default_at: Location | None = None

    @property
    def effective(self) -> Reading | None:
        return self.readings[0] if self.readings else None

    @property
    def value(self) -> Value:
        return self.readings[0].value if self.readings else self.default

    @property
    def source(self) -> Source:
        return self.readings[0].source if self.readings else Source.DEFAULT

    @property
    def is_default(self) -> bool:
        return not self.readings

    @property
    def valid(self) -> bool:
        return all(r.valid for r in self.readings)

    @property
    def location(self) -> Location:
        if self.readings:
            return self.readings[0].location
        assert self.default_at is not None
        return self.default_at

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Listener:
    """One listener of a host: its `Address+Transport` key and its properties' settings.

    Keys are `Address+Transport` as the registry keys them, with `+Compatibility` for a
    compatibility listener and `#2` for a second block with the same key in one dump.
    """

    key: str
    props: dict[str, Setting]

    def prop(self, name: str) -> Setting | None:
        return next((s for n, s in self.props.items() if n.lower() == name.lower()), None)

    def _text(self, name: str) -> str:
        setting = self.prop(name)
        return setting.value if setting is not None and isinstance(setting.value, str) else ""

    @property
    def path(self) -> str:
        return f"{catalog.LISTENERS}/{self.key}"

    @property
    def transport(self) -> str:
        parts = self.key.split("#")[0].split("+")
        return (self._text("Transport") or (parts[1] if len(parts) > 1 else "")).upper()

    @property
    def address(self) -> str:
        return self._text("Address") or self.key.split("+")[0]

    @property
    def enabled(self) -> bool:
        # `Enabled` defaults to true (reference §1.5); an unreadable value is not a `false`
        setting = self.prop("Enabled")
        return setting is None or setting.value is not False

    @property
    def port(self) -> int | None:
        setting = self.prop("Port")
        return setting.value if setting is not None and isinstance(setting.value, int) else None

    @property
    def source(self) -> Source:
        sources = {s.source for s in self.props.values()}
        return next((s for s in (Source.GPO, Source.COMPATIBILITY) if s in sources), Source.LOCAL)

    @property
    def compatibility(self) -> bool:
        return "+compatibility" in self.key.lower() or self.source is Source.COMPATIBILITY

    @property
    def label(self) -> str:
        """`` `*+HTTP` (set by Group Policy) ``: the key and where the listener comes from."""
        origin = {Source.GPO: " (set by Group Policy)", Source.COMPATIBILITY: " (compatibility)"}
        return f"`{self.key}`{origin.get(self.source, '')}"

    def with_port(self) -> str:
        """`` `*+HTTP` (port `5985`) ``: the key and the port clients reach."""
        return f"`{self.key}`" + (f" (port `{self.port}`)" if self.port is not None else "")

    @property
    def anchor(self) -> Setting:
        """Where a finding on the whole listener points: its `Enabled` line, else `Port`."""
        for name in ("Enabled", "Port", "Transport", "Address"):
            setting = self.prop(name)
            if setting is not None:
                return setting
        return next(iter(self.props.values()))

    @property
    def selector(self) -> str:
        """The resource URI `winrm set` takes for this listener."""
        return f"winrm/config/listener?Address={self.address}+Transport={self.transport}"


@dataclass
class ParsedFile:
    """A file of a bundle and what became of it: its format, or the error that stopped it."""

    uri: str
    format: str | None
    error: str | None = None
    error_line: int = 1
    notes: list[Note] = field(default_factory=list)


@dataclass
class Host:
    """Everything one bundle says about one host."""

    name: str
    bundle: str
    settings: dict[str, Setting] = field(default_factory=dict)
    coverage: dict[str, Location] = field(default_factory=dict)
    spns: list[SpnEntry] = field(default_factory=list)
    spn_queries: list[SpnQuery] = field(default_factory=list)
    files: list[ParsedFile] = field(default_factory=list)

    def get(self, path: str) -> Setting | None:
        """The setting at a logical path (any case), or None when no input tells it."""
        return self.settings.get(path.lower())

    def value(self, path: str, fallback: Value = None) -> Value:
        setting = self.get(path)
        return fallback if setting is None else setting.value

    def covers(self, prefix: str) -> Location | None:
        """Where an input showed this part of the configuration completely, if one did.

        Listeners are the exception to prefix matching: `winrm get winrm/config` covers
        `winrm/config` but lists no listener, so only a listener enumeration covers them. A
        registry key covers its own values, not its subkeys' (`reg query` without `/s` shows one
        key; a `.reg` export covers each subkey it shows by itself).
        """
        low = prefix.lower()
        listeners = catalog.LISTENERS.lower()
        for key, location in self.coverage.items():
            k = key.lower()
            if (low == listeners or low.startswith(listeners + "/")) and not (
                k == listeners or k.startswith(listeners + "/")
            ):
                continue
            if low == k or low.startswith(k + "/") or low.rpartition("\\")[0] == k:
                return location
        return None

    def knows(self, prefix: str) -> bool:
        """Whether any input said anything under this prefix."""
        low = prefix.lower()
        return self.covers(prefix) is not None or any(
            key == low or key.startswith(low + "/") or key.startswith(low + "\\") for key in self.settings
        )

    def under(self, prefix: str) -> Iterator[Setting]:
        low = prefix.lower().rstrip("/") + "/"
        # the matching keys only are sorted: ~200 calls a host, most of them for a few settings
        return (s for _, s in sorted((key, s) for key, s in self.settings.items() if key.startswith(low)))

    def listeners(self) -> list[Listener]:
        """The listeners any input shows, sorted by key."""
        found: dict[str, dict[str, Setting]] = {}
        for setting in self.under(catalog.LISTENERS):
            rest = setting.path[len(catalog.LISTENERS) + 1 :]
            key, _, prop = rest.rpartition("/")
            if key:
                found.setdefault(key, {})[prop] = setting
        return [Listener(key, props) for key, props in sorted(found.items())]

    @property
    def listener_enumeration(self) -> Location | None:
        """Where a complete listener enumeration was collected (even an empty one), if one was.

        Matched on the listener prefix itself: a full `winrm get winrm/config` covers
        `winrm/config`, yet it never prints listeners.
        """
        low = catalog.LISTENERS.lower()
        return next((loc for key, loc in self.coverage.items() if key.lower() == low or key.lower().startswith(low + "/")), None)

    @property
    def listeners_collected(self) -> bool:
        """Whether any input tells which listeners exist: otherwise listener rules stay silent."""
        return self.listener_enumeration is not None or bool(self.listeners())

    @property
    def join_state(self) -> str | None:
        """`domain`, `hybrid`, `entra` or `workgroup` from dsregcmd, or None if not collected."""
        entra, domain = self.value(paths.AZURE_AD_JOINED), self.value(paths.DOMAIN_JOINED)
        if entra is None and domain is None:
            return None
        if domain is True:
            return "hybrid" if entra is True else "domain"
        return "entra" if entra is True else "workgroup"

    @cached_property
    def platform(self) -> Platform:
        """The Windows edition and WinRM stack the dumps show (read once the model is built)."""
        return recognise(self)

    @cached_property
    def role(self) -> Role | None:
        """`server` or `client`, as a manifest states it or the listeners and service imply."""
        return infer_role(self)

    @property
    def readable_files(self) -> list[ParsedFile]:
        return [f for f in self.files if f.error is None]


def cut_short(setting: Setting) -> bool:
    """Whether the console cut the effective value short (`{a, b, c, d...}`)."""
    return any(r.truncated for r in setting.readings[:1])


def grouped(host: Host, prefix: str) -> dict[str, tuple[str, dict[str, Setting]]]:
    """The settings at `prefix/<id>/<property>`, by id in lower case (Windows names ignore case):
    the id as first spelled, and its settings by property name in lower case."""
    groups: dict[str, tuple[str, dict[str, Setting]]] = {}
    for setting in host.under(prefix):
        ident, _, prop = setting.path[len(prefix) + 1 :].rpartition("/")
        if ident:
            groups.setdefault(ident.lower(), (ident, {}))[1][prop.lower()] = setting
    return groups


def build_host(name: str, bundle: str, dumps: Iterable[ParsedDump], files: list[ParsedFile]) -> Host:
    """Merge the dumps of one bundle: group readings by path, order by precedence, add defaults."""
    host = Host(name=name, bundle=bundle, files=files)
    grouped: dict[str, list[Reading]] = {}
    spelled: dict[str, str] = {}
    for dump in dumps:
        # a name a parser offers for the host is a setting too (`host/fqdn`), read once
        named = [r for r in dump.host_names if r not in dump.readings]
        for reading in (*dump.readings, *named):
            key = reading.path.lower()
            grouped.setdefault(key, []).append(reading)
            spelled.setdefault(key, reading.path)
        for prefix, location in dump.coverage.items():
            host.coverage.setdefault(prefix, location)
        host.spns.extend(dump.spns)
        host.spn_queries.extend(dump.spn_queries)
    for key, readings in grouped.items():
        # stable: among equal sources the first file read (sorted by path) wins
        ordered = tuple(sorted(readings, key=lambda r: _PRECEDENCE[r.source]))
        host.settings[key] = Setting(spelled[key], ordered)
    for known in catalog.SETTINGS:
        key = known.path.lower()
        if key in host.settings or known.default is None:
            continue
        at = host.covers(known.path)
        if at is not None:
            host.settings[key] = Setting(known.path, (), known.default, at)
    return host


def host_name(dumps: Iterable[ParsedDump], fallback: str) -> str:
    """The host's name as the dumps state it (short name first), else the bundle's name."""
    from winrmlint.bundle import is_host_name  # held to the manifest's patterns: no hostile name

    names = [r for d in dumps for r in d.host_names]
    for path in (paths.HOST_NAME, paths.HOST_FQDN):
        for reading in names:
            if reading.path == path and isinstance(reading.value, str) and is_host_name(reading.value, path == paths.HOST_FQDN):
                return reading.value.split(".")[0] if path == paths.HOST_FQDN else reading.value
    return fallback
