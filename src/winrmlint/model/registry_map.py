"""The registry → model map: registry values, from any registry dump, become readings at logical paths.

One place for winrm-reference.md §2: WinRM's own store (§2.1), its Group Policy keys with their
enable flags (§2.2) and the related keys (§2.3). Windows compares key and value names without
case, and so does every lookup here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from winrmlint.model import catalog, paths
from winrmlint.model.values import Note, Reading, Source, Value
from winrmlint.source import Location

# Registry data as read: DWORD/QWORD → int, SZ/EXPAND_SZ → str, MULTI_SZ → tuple of str,
# binary kinds → upper-case hex digits.
Data = int | str | tuple[str, ...]

# The unnamed value: `@=` in a .reg file, `(Default)` in `reg query` and regedit.
DEFAULT_VALUE = "(Default)"

POLICY_CLIENT = rf"{catalog.POLICY_ROOT}\Client"
POLICY_SERVICE = rf"{catalog.POLICY_ROOT}\Service"
STORE_CLIENT = rf"{catalog.STORE_ROOT}\Client"
STORE_SERVICE = rf"{catalog.STORE_ROOT}\Service"
STORE_LISTENER = rf"{catalog.STORE_ROOT}\Listener"
# Execution policy scopes fed by the registry (Get-ExecutionPolicy -List names them so).
LOCAL_EXECUTION_POLICY_KEYS: Mapping[str, str] = MappingProxyType({
    r"HKLM\SOFTWARE\Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell": "LocalMachine",
    r"HKCU\Software\Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell": "CurrentUser",
})
POLICY_EXECUTION_POLICY_KEYS: Mapping[str, str] = MappingProxyType({
    r"HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell": "MachinePolicy",
    r"HKCU\Software\Policies\Microsoft\Windows\PowerShell": "UserPolicy",
})

_LOWER_LOCAL_EP = {key.lower(): scope for key, scope in LOCAL_EXECUTION_POLICY_KEYS.items()}
_LOWER_POLICY_EP = {key.lower(): scope for key, scope in POLICY_EXECUTION_POLICY_KEYS.items()}

_HIVES: Mapping[str, str] = MappingProxyType({
    "hkey_local_machine": "HKLM", "hklm": "HKLM",
    "hkey_current_user": "HKCU", "hkcu": "HKCU",
    "hkey_classes_root": "HKCR", "hkcr": "HKCR",
    "hkey_users": "HKU", "hku": "HKU",
    "hkey_current_config": "HKCC", "hkcc": "HKCC",
})
_REMOTE = re.compile(r"^\\\\(?P<host>[^\\]+)\\(?P<rest>.*)$")
_POLICIES = re.compile(r"^HK(?:LM|CU)\\SOFTWARE\\Policies(?:\\|$)", re.IGNORECASE)
_SCALAR_KINDS = frozenset({"REG_SZ", "REG_EXPAND_SZ", "REG_DWORD", "REG_DWORD_BIG_ENDIAN", "REG_QWORD"})


def _setting_values() -> tuple[tuple[str, str, catalog.Setting], ...]:
    """(key, value name, setting) for every registry value that holds a `winrm/config` setting."""
    found = []
    for setting in catalog.SETTINGS:
        if setting.policy:
            found.append((setting.policy.registry_key, setting.policy.value_name, setting))
        if setting.store_value:
            client = setting.path.startswith(f"{catalog.ROOT}/client/")
            found.append((STORE_CLIENT if client else STORE_SERVICE, setting.store_value, setting))
    return tuple(found)


# (key, value name) in lower case → the setting. A policy value is taken as written, AllowDigest=0
# is Digest false: the `Disallow*` inversion is the policy's wording (`Policy.enabled`), not here.
_SETTING_VALUES: Mapping[tuple[str, str], catalog.Setting] = MappingProxyType(
    {(key.lower(), name.lower()): setting for key, name, setting in _setting_values()}
)
_STORE_KEYS: Mapping[str, str] = MappingProxyType({
    STORE_CLIENT.lower(): f"{catalog.ROOT}/client",
    STORE_SERVICE.lower(): f"{catalog.ROOT}/service",
})

# Policy options that count only while their policy's enable flag is 1 (§2.2, ADMX): the flag
# is what Enabled writes; the list, the filters and the level are the policy's options.
_POLICY_FLAGS: Mapping[tuple[str, str], str] = MappingProxyType({
    (POLICY_CLIENT.lower(), "trustedhostslist"): "TrustedHosts",
    (POLICY_SERVICE.lower(), "ipv4filter"): "AllowAutoConfig",
    (POLICY_SERVICE.lower(), "ipv6filter"): "AllowAutoConfig",
    (POLICY_SERVICE.lower(), "cbthardeninglevel"): "CBTHardeningLevelStatus",
})
# A flag at 0 rules nothing: "If you disable or do not configure this policy setting … you must
# configure the list of trusted hosts locally" (Policy CSP RemoteManagement/TrustedHosts).

# Listener values in the store (§2.1, the [UNDO] exports) → listener properties (§1.5).
_LISTENER_VALUES: Mapping[str, str] = MappingProxyType({
    "port": "Port",
    "uriprefix": "URLPrefix",
    "hostname": "Hostname",
    "certthumbprint": "CertificateThumbprint",
    "enabled": "Enabled",
})

# winnt.h SERVICE_AUTO_START, SERVICE_DEMAND_START, SERVICE_DISABLED (§2.3); 0 and 1 are drivers'.
_START_TYPES: Mapping[int, str] = MappingProxyType({2: "Automatic", 3: "Manual", 4: "Disabled"})

# Registry values read into a logical path of their own, not kept under their registry path: the
# service's `Start` becomes `services/WinRM/StartType`. A rule or benchmark item may still name the
# registry value, as the one an admin checks (tests/test_rule_paths.py takes these as produced).
TRANSLATED: frozenset[str] = frozenset({rf"{paths.WINRM_SERVICE_REG_KEY}\Start"})

# Keys and value names in Windows' own spelling, so `Software` and `SOFTWARE` make one path.
_OTHER_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (POLICY_CLIENT, ("TrustedHosts",)),
    (POLICY_SERVICE, ("AllowAutoConfig", "CBTHardeningLevelStatus", paths.DISABLE_RUNAS.rsplit("\\", 1)[1])),
    (catalog.STORE_ROOT, ("StackVersion", "ServiceStackVersion", "UpdatedConfig", "SupportsCompatListeners")),
    (STORE_LISTENER, ()),
    (rf"{catalog.STORE_ROOT}\Plugin", ()),
    (paths.WINRM_SERVICE_REG_KEY, ("Start", "DelayedAutostart", "ObjectName", "ImagePath")),
    (paths.LATFP.rsplit("\\", 1)[0], (paths.LATFP.rsplit("\\", 1)[1],)),
    (r"HKLM\SOFTWARE\Policies\Microsoft\Windows\CredentialsDelegation", (
        "AllowFreshCredentials", "ConcatenateDefaults_AllowFresh", "AllowFreshCredentialsWhenNTLMOnly",
        "ConcatenateDefaults_AllowFreshNTLMOnly", "AllowProtectedCreds", "AllowDefaultCredentials",
    )),
    (r"HKLM\SYSTEM\CurrentControlSet\Services\HTTP\Parameters", (
        "ListenOnlyList", "MaxFieldLength", "MaxRequestBytes",
    )),
    *((key, ("ExecutionPolicy",)) for key in LOCAL_EXECUTION_POLICY_KEYS),
    *((key, ("EnableScripts", "ExecutionPolicy")) for key in POLICY_EXECUTION_POLICY_KEYS),
)


def _spellings() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    keys: dict[str, str] = {}
    names: dict[tuple[str, str], str] = {}
    known = [(key, (name,)) for key, name, _ in _setting_values()] + list(_OTHER_NAMES)
    for key, key_names in known:
        parts = key.split("\\")
        for end in range(1, len(parts) + 1):
            prefix = "\\".join(parts[:end])
            keys.setdefault(prefix.lower(), prefix)
        for name in key_names:
            names[(key.lower(), name.lower())] = name
    return keys, names


_KEY_SPELLINGS, _NAME_SPELLINGS = _spellings()


@dataclass(frozen=True)
class KeyName:
    """A registry key as written anywhere, normalised to `HKLM\\SOFTWARE\\…`; `host` for `\\\\HOST\\…`."""

    path: str
    host: str | None = None


def key_name(text: str) -> KeyName | None:
    """Read a key path: `HKEY_LOCAL_MACHINE\\…`, `HKLM\\…`, regedit's address bar `Computer\\HKEY_…`
    (that first word is localised) or a remote `\\\\HOST\\HKLM\\…`; None when it names no hive."""
    text = text.strip()
    host = None
    remote = _REMOTE.match(text)
    if remote:
        host, text = remote.group("host"), remote.group("rest")
    parts = [part for part in text.split("\\") if part]
    if len(parts) >= 2 and parts[0].lower() not in _HIVES and parts[1].lower() in _HIVES:
        parts = parts[1:]
    hive = _HIVES.get(parts[0].lower()) if parts else None
    if hive is None:
        return None
    return KeyName(_spell("\\".join([hive, *parts[1:]])), host)


def _spell(path: str) -> str:
    parts = path.split("\\")
    for end in range(len(parts), 0, -1):
        known = _KEY_SPELLINGS.get("\\".join(parts[:end]).lower())
        if known:
            return "\\".join([known, *parts[end:]])
    return path


def value_path(key: str, name: str) -> str:
    """The logical path of a value that no table maps: `HKLM\\…\\Key\\ValueName`."""
    spelled = _NAME_SPELLINGS.get((key.lower(), name.lower()), name)
    return f"{key}\\{spelled or DEFAULT_VALUE}"


def remote_hosts(shown: Iterable[tuple[str | None, Location]], origin: str) -> list[Reading]:
    """A `host/name` reading for each computer that remote key paths (`\\\\HOST\\HKLM\\…`) name,
    at its first showing; `shown` pairs each key's `KeyName.host` with where the key is."""
    hosts: dict[str, Reading] = {}
    for host, location in shown:
        if host and host.lower() not in hosts:
            hosts[host.lower()] = Reading(paths.HOST_NAME, host, location, raw=host, origin=origin)
    return list(hosts.values())


@dataclass(frozen=True)
class RegistryValue:
    """One value as a dump shows it. `name` is "" for the default value; `raw` is the data as
    printed; when that is not data of its kind, `valid` is false and `data` is `raw`."""

    name: str
    kind: str
    data: Data
    raw: str
    location: Location
    valid: bool = True


@dataclass(frozen=True)
class RegistryKey:
    """One key as a dump shows it; `complete` when the dump shows every value it holds."""

    path: str
    location: Location
    values: tuple[RegistryValue, ...] = ()
    complete: bool = False


@dataclass(frozen=True)
class Mapped:
    """What registry keys say in model terms."""

    readings: tuple[Reading, ...] = ()
    coverage: Mapping[str, Location] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()


def key_coverage(key: str, location: Location) -> dict[str, Location]:
    """What a key shown in full, or shown to be absent, tells completely.

    The key itself (a missing `DisableRunAs` under the policy key is a known absence); for
    WinRM's store also the `winrm/config` part it keeps, since the store holds only values that
    differ from the default (§2.1); for a store listener, that listener.
    """
    cover = {key: location}
    store = _STORE_KEYS.get(key.lower())
    if store:
        cover[store] = location
    listener = _listener(key)
    if listener:
        cover[catalog.listener_path(*listener)] = location
    return cover


def value_coverage(key: str, name: str, location: Location) -> dict[str, Location]:
    """What a value looked for (found or shown absent) tells: its own path, and for a store value
    the setting it keeps, which is at its default when the value is absent (§2.1)."""
    cover = {value_path(key, name): location}
    setting = _SETTING_VALUES.get((key.lower(), name.lower()))
    if setting and key.lower() in _STORE_KEYS:
        cover[setting.path] = location
    return cover


def map_keys(keys: Iterable[RegistryKey], origin: str) -> Mapped:
    """Readings, coverage and notes for the keys of one dump. A key shown twice is merged (of two
    values with one name the later counts, as on import) and is complete only if both showings are."""
    merged: dict[str, tuple[RegistryKey, dict[str, RegistryValue]]] = {}
    complete: dict[str, bool] = {}
    notes: list[Note] = []
    for key in keys:
        low = key.path.lower()
        _, values = merged.setdefault(low, (key, {}))
        complete[low] = complete.get(low, True) and key.complete
        for value in key.values:
            earlier = values.get(value.name.lower())
            if earlier is not None:
                notes.append(Note(
                    f"`{value.name or DEFAULT_VALUE}` was already given on line {earlier.location.line}: "
                    "the later value counts",
                    value.location,
                ))
            values[value.name.lower()] = value
    coverage: dict[str, Location] = {}
    readings: list[Reading] = []
    for low, (first, values) in merged.items():
        if complete[low]:
            coverage.update(key_coverage(first.path, first.location))
        for item in _map_key(first, values, origin):
            if isinstance(item, Reading):
                readings.append(item)
            else:
                notes.append(item)
    readings.sort(key=lambda r: (r.location.line, r.path))
    notes.sort(key=lambda n: n.location.line)
    return Mapped(tuple(readings), MappingProxyType(coverage), tuple(notes))


def _map_key(key: RegistryKey, values: dict[str, RegistryValue], origin: str) -> Iterator[Reading | Note]:
    low = key.path.lower()
    source = Source.GPO if _POLICIES.match(key.path) else Source.LOCAL
    listener = _listener(key.path)
    special: Iterator[Reading | Note] = iter(())
    taken: frozenset[str] = frozenset()
    if listener:
        special, taken = _listener_readings(key, listener, values, origin), frozenset(_LISTENER_VALUES)
    elif low == paths.WINRM_SERVICE_REG_KEY.lower():
        special, taken = _start_type(values, origin), frozenset(
            v.rsplit("\\", 1)[1].lower() for v in TRANSLATED if v.lower().startswith(low + "\\"))
    elif low in _LOWER_LOCAL_EP:
        scope = _LOWER_LOCAL_EP[low]
        special, taken = _local_execution_policy(scope, values, origin), frozenset({"executionpolicy"})
    elif low in _LOWER_POLICY_EP:
        scope = _LOWER_POLICY_EP[low]
        special, taken = _policy_execution_policy(key.path, scope, values, origin), frozenset({"executionpolicy"})
    yield from special
    for name, value in values.items():
        if name not in taken:
            yield from _value_readings(key.path, value, values, source, origin)
    yield from _flags_without_options(low, values)


def _value_readings(
    key: str, value: RegistryValue, values: Mapping[str, RegistryValue], source: Source, origin: str
) -> Iterator[Reading | Note]:
    pair = (key.lower(), value.name.lower())
    setting = _SETTING_VALUES.get(pair)
    flag_name = _POLICY_FLAGS.get(pair)
    if setting and flag_name:
        flag = values.get(flag_name.lower())
        if _flag(flag) is not True:
            state = "absent" if flag is None else f"`{flag.raw}`"
            yield _as_read(key, value, source, origin)
            yield Note(f"`{value.name}` is not in force: its policy flag `{flag_name}` is {state}, not 1",
                       value.location)
            return
    if setting:
        yield _typed(setting.path, value, source, origin)
        return
    yield _as_read(key, value, source, origin)


def _flags_without_options(low_key: str, values: Mapping[str, RegistryValue]) -> Iterator[Note]:
    for (key, option), flag_name in _POLICY_FLAGS.items():
        flag = values.get(flag_name.lower())
        if key == low_key and flag is not None and _flag(flag) and option not in values:
            spelled = _NAME_SPELLINGS.get((key, option), option)
            yield Note(f"policy flag `{flag_name}` is 1 but `{spelled}` is absent", flag.location)


def _listener_readings(
    key: RegistryKey, listener: tuple[str, str], values: Mapping[str, RegistryValue], origin: str
) -> Iterator[Reading]:
    address, transport = listener
    raw = key.path.rsplit("\\", 1)[1]
    # the key name is the listener's selector pair (§2.1 `<Address>+<Transport>`)
    yield Reading(catalog.listener_path(address, transport, "Address"), address, key.location, raw=raw, origin=origin)
    yield Reading(catalog.listener_path(address, transport, "Transport"), transport, key.location, raw=raw,
                  origin=origin)
    for name, value in values.items():
        prop = _LISTENER_VALUES.get(name)
        if prop:
            yield _typed(catalog.listener_path(address, transport, prop), value, Source.LOCAL, origin)


def _start_type(values: Mapping[str, RegistryValue], origin: str) -> Iterator[Reading]:
    start = values.get("start")
    if start is None:
        return
    number = _number(start)
    name = _START_TYPES.get(number) if number is not None else None
    delayed = values.get("delayedautostart")
    if name == "Automatic" and delayed is not None and _flag(delayed):
        name = "AutomaticDelayed"
    yield Reading(paths.SERVICE_START_TYPE, name or start.raw, start.location, Source.LOCAL, start.raw,
                  name is not None, origin=origin)


def _local_execution_policy(scope: str, values: Mapping[str, RegistryValue], origin: str) -> Iterator[Reading]:
    policy = values.get("executionpolicy")
    if policy is not None:
        yield _typed(f"{paths.EXECUTION_POLICY}/{scope}", policy, Source.LOCAL, origin)


def _policy_execution_policy(
    key: str, scope: str, values: Mapping[str, RegistryValue], origin: str
) -> Iterator[Reading | Note]:
    # PowerShell's SecuritySupport.GetGroupPolicyValue: EnableScripts 0 means Restricted, 1 means
    # the ExecutionPolicy value; without EnableScripts the policy scope is undefined.
    path = f"{paths.EXECUTION_POLICY}/{scope}"
    enable, policy = values.get("enablescripts"), values.get("executionpolicy")
    state = _flag(enable)
    if enable is not None and state is False:
        yield Reading(path, "Restricted", enable.location, Source.GPO, enable.raw, origin=origin)
    elif state is True and policy is not None:
        yield _typed(path, policy, Source.GPO, origin)
        return
    elif state is True and enable is not None:
        yield Note("`EnableScripts` is 1 but `ExecutionPolicy` is absent", enable.location)
    if policy is not None:
        yield _as_read(key, policy, Source.GPO, origin)
        why = "0" if state is False else "absent" if enable is None else f"`{enable.raw}`"
        yield Note(f"`ExecutionPolicy` is not in force: `EnableScripts` is {why}", policy.location)


def _listener(key: str) -> tuple[str, str] | None:
    parent, _, name = key.rpartition("\\")
    address, plus, transport = name.rpartition("+")
    if parent.lower() != STORE_LISTENER.lower() or not plus or not address or not transport:
        return None
    return address, transport.upper()


def _flag(value: RegistryValue | None) -> bool | None:
    """An enable flag: DWORD 1/0 or, as some scripts write it, REG_SZ "1"/"0" (§2.2 pitfall c)."""
    if value is None or not value.valid:
        return None
    return {"1": True, "0": False}.get(str(value.data).strip())


def _number(value: RegistryValue) -> int | None:
    if not value.valid or value.kind not in _SCALAR_KINDS:
        return None
    if isinstance(value.data, int):
        return value.data
    # ASCII digits only, as REG_SZ flags are written: isdecimal() also takes `５` and `٣`
    text = str(value.data).strip()
    return int(text) if text.isascii() and text.isdecimal() else None


def _typed(path: str, value: RegistryValue, source: Source, origin: str) -> Reading:
    """A reading typed as the catalog types the path; a list or binary blob where WinRM keeps one
    scalar is not a value WinRM can use."""
    typed: Value
    if value.valid and value.kind in _SCALAR_KINDS and not isinstance(value.data, tuple):
        typed, valid = catalog.coerce(catalog.type_of(path), str(value.data))
    else:
        typed, valid = value.raw, False
    return Reading(path, typed, value.location, source, value.raw, valid, origin=origin)


def _as_read(key: str, value: RegistryValue, source: Source, origin: str) -> Reading:
    return Reading(value_path(key, value.name), value.data, value.location, source, value.raw, value.valid,
                   origin=origin)
