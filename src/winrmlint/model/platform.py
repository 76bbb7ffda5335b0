"""Which Windows and which WinRM a host runs, and its WinRM role, as the dumps show them.

The defaults a value is compared with depend on the WinRM stack (winrm-reference.md §1): WinRM
2.0 (Windows 7 / Server 2008 R2), 3.0 (Windows 8.x / Server 2012 and 2012 R2, WMF 3.0-5.1 on
older systems) and the modern stack of Windows 10 / Server 2016 and later. The stack comes from
what the host says it is (a manifest `os`, a console banner `Microsoft Windows [Version 6.3.9600]`)
and from the shape of its configuration (the 2.0 envelope and RootSDDL, the 3.0 Winrs quotas).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from winrmlint.model import catalog, paths
from winrmlint.model.values import Reading, Value
from winrmlint.source import Location, SourceText

if TYPE_CHECKING:
    from winrmlint.model.host import Host


class Stack(StrEnum):
    """A WinRM stack, oldest first (the order compares them)."""

    V2 = "2.0"
    V3 = "3.0"
    MODERN = "modern"

    @property
    def rank(self) -> int:
        return list(Stack).index(self)

    @property
    def shown(self) -> str:
        return "the WinRM of Windows 10 / Server 2016 and later" if self is Stack.MODERN else f"WinRM {self.value}"


class Os(StrEnum):
    """The Windows editions whose WinRM defaults and benchmark IDs differ."""

    WIN7 = "win7"
    WIN8 = "win8"
    WIN10 = "win10"
    WIN11 = "win11"
    S2008R2 = "2008r2"
    S2012 = "2012"
    S2012R2 = "2012r2"
    S2016 = "2016"
    S2019 = "2019"
    S2022 = "2022"
    S2025 = "2025"

    @property
    def shown(self) -> str:
        return _OS_NAMES[self]

    @property
    def server(self) -> bool:
        return self.value[0].isdigit()

    @property
    def stack(self) -> Stack:
        """The stack the edition ships with (a WMF upgrade can lift 2.0 to 3.0)."""
        if self in (Os.WIN7, Os.S2008R2):
            return Stack.V2
        if self in (Os.WIN8, Os.S2012, Os.S2012R2):
            return Stack.V3
        return Stack.MODERN


_OS_NAMES: Mapping[Os, str] = MappingProxyType({
    Os.WIN7: "Windows 7", Os.WIN8: "Windows 8.x", Os.WIN10: "Windows 10", Os.WIN11: "Windows 11",
    Os.S2008R2: "Windows Server 2008 R2", Os.S2012: "Windows Server 2012", Os.S2012R2: "Windows Server 2012 R2",
    Os.S2016: "Windows Server 2016", Os.S2019: "Windows Server 2019", Os.S2022: "Windows Server 2022",
    Os.S2025: "Windows Server 2025",
})


class Role(StrEnum):
    """What WinRM is for on the host: a server accepts remote connections, a client only makes them."""

    SERVER = "server"
    CLIENT = "client"


# --- the defaults that differ by stack (winrm-reference.md §1.1, §1.3, §1.4) -------------------

_ROOT = catalog.ROOT
LEGACY_ROOT_SDDL = "O:NSG:BAD:P(A;;GA;;;BA)S:P(AU;FA;GA;;;WD)(AU;SA;GWGX;;;WD)"
_V3_WINRS: Mapping[str, int] = MappingProxyType({
    f"{_ROOT}/winrs/MaxConcurrentUsers": 10,
    f"{_ROOT}/winrs/MaxProcessesPerShell": 25,
    f"{_ROOT}/winrs/MaxMemoryPerShellMB": 1024,
    f"{_ROOT}/winrs/MaxShellsPerUser": 30,
})
_V2: Mapping[str, Value] = MappingProxyType({
    f"{_ROOT}/MaxEnvelopeSizekb": 150,
    f"{_ROOT}/service/MaxConcurrentOperationsPerUser": 15,
    f"{_ROOT}/service/EnumerationTimeoutms": 60000,
    f"{_ROOT}/service/MaxConnections": 25,
    f"{_ROOT}/service/RootSDDL": LEGACY_ROOT_SDDL,
    f"{_ROOT}/winrs/IdleTimeout": 180000,
    f"{_ROOT}/winrs/MaxConcurrentUsers": 5,
    f"{_ROOT}/winrs/MaxShellRunTime": 28800000,
    f"{_ROOT}/winrs/MaxProcessesPerShell": 15,
    f"{_ROOT}/winrs/MaxMemoryPerShellMB": 150,
    f"{_ROOT}/winrs/MaxShellsPerUser": 5,
})
DEFAULTS: Mapping[Stack, Mapping[str, Value]] = MappingProxyType({
    Stack.V2: _V2,
    Stack.V3: _V3_WINRS,
    Stack.MODERN: MappingProxyType({}),
})


def default(path: str, stack: Stack) -> Value:
    """The Windows default of a `winrm/config` setting on this stack (the catalog's, where equal)."""
    differs = DEFAULTS[stack].get(path)
    if differs is not None:
        return differs
    known = catalog.BY_PATH.get(path)
    return known.default if known is not None else None


# --- what the host says it is ----------------------------------------------------------------

# `ver` / cmd.exe banner: `Microsoft Windows [Version 10.0.20348.2340]`, in any language the
# word before the number differs (`Versión`, `Version`), the brackets do not
_BANNER = re.compile(r"^\s*Microsoft Windows \[[^\]\d]*(?P<version>\d+\.\d+\.\d+)(?:\.\d+)?\]\s*$")
# builds → editions; a build shared by a client and a server edition maps to both
_BUILDS: tuple[tuple[int, int, tuple[Os, ...]], ...] = (
    (7600, 7601, (Os.WIN7, Os.S2008R2)),
    (9200, 9200, (Os.WIN8, Os.S2012)),
    (9600, 9600, (Os.WIN8, Os.S2012R2)),
    (10240, 14392, (Os.WIN10,)),
    (14393, 14393, (Os.WIN10, Os.S2016)),
    (14394, 17762, (Os.WIN10,)),
    (17763, 17763, (Os.WIN10, Os.S2019)),
    (17764, 19999, (Os.WIN10,)),
    (20348, 20348, (Os.S2022,)),
    (22000, 26099, (Os.WIN11,)),
    (26100, 26100, (Os.WIN11, Os.S2025)),
    (26101, 99999, (Os.WIN11,)),
)
_NAMED: tuple[tuple[re.Pattern[str], Os], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), os)
    for pattern, os in (
        (r"2008\s*r2", Os.S2008R2), (r"2012\s*r2", Os.S2012R2), (r"\b2012\b", Os.S2012),
        (r"\b2016\b", Os.S2016), (r"\b2019\b", Os.S2019), (r"\b2022\b", Os.S2022), (r"\b2025\b", Os.S2025),
        (r"(windows|win)\s*11\b", Os.WIN11), (r"(windows|win)\s*10\b", Os.WIN10),
        (r"(windows|win)\s*8(\.1)?\b", Os.WIN8), (r"(windows|win)\s*7\b", Os.WIN7),
    )
)


def banner_readings(source: SourceText) -> Iterator[Reading]:
    """A `host/os` reading for each console banner line a pasted transcript carries."""
    for number, line in enumerate(source.lines, 1):
        if "Microsoft Windows [" in line:
            match = _BANNER.match(line)
            if match:
                yield Reading(paths.HOST_OS, match["version"], source.at(number), raw=line.strip(),
                              origin="console-banner")


def editions(text: str) -> tuple[Os, ...]:
    """The editions a version (`6.3.9600`, `10.0.20348`) or a name (`Windows Server 2019`) means."""
    version = re.fullmatch(r"\s*(\d+)\.(\d+)\.(\d+)(?:\.\d+)?\s*", text)
    if version:
        build = int(version[3])
        return next((found for low, high, found in _BUILDS if low <= build <= high), ())
    for pattern, os in _NAMED:
        if pattern.search(text):
            return (os,)
    return ()


# --- recognition -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Platform:
    """What a host runs: its editions (several when a build is shared), the stack its values are
    judged against, the stack its configuration's shape shows, and where each was read."""

    editions: tuple[Os, ...]
    os_at: Location | None
    stack: Stack
    shape: Stack | None
    shape_at: Location | None
    evidence: str

    @property
    def on_older_defaults(self) -> bool:
        """The configuration carries an older stack's defaults than the host runs (an in-place
        upgrade, or an old script or policy): one `legacy-defaults` finding, not one per quota."""
        return self.shape is not None and self.shape.rank < self.stack.rank

    @property
    def shown(self) -> str:
        names = " or ".join(os.shown for os in self.editions)
        return names or self.stack.shown

    def as_dict(self) -> dict[str, object]:
        return {
            "os": [os.value for os in self.editions],
            "winrm": self.stack.value,
            "configuration_shape": self.shape.value if self.shape else None,
            "evidence": self.evidence,
        }


def recognise(host: Host) -> Platform:
    """The host's platform, from its stated `os`, a banner and the shape of `winrm/config`."""
    named: tuple[Os, ...] = ()
    os_at: Location | None = None
    stated = host.get(paths.HOST_OS)
    evidence: list[str] = []
    if stated is not None and isinstance(stated.value, str):
        named = editions(stated.value)
        os_at = stated.location
        if named:
            how = "console banner" if stated.effective and stated.effective.origin == "console-banner" else "`os`"
            evidence.append(f"{how} `{stated.value}`")
    role = stated_role(host)
    if len(named) > 1 and role is not None:
        # a build shared by a client and a server edition: the role picks one
        named = tuple(os for os in named if os.server == (role is Role.SERVER)) or named
    shape, shape_at, why = _shape(host)
    if why:
        evidence.append(why)
    os_stack = min((os.stack for os in named), key=lambda s: s.rank) if named else None
    if os_stack is None:
        stack = shape or Stack.MODERN
    elif shape is not None and shape.rank > os_stack.rank:
        stack = shape  # WMF 3.0+ on Windows 7 / 2008 R2 brings WinRM 3.0
    else:
        stack = os_stack
    return Platform(named, os_at, stack, shape, shape_at, "; ".join(evidence) or "no version shown: modern defaults")


def _shape(host: Host) -> tuple[Stack | None, Location | None, str]:
    """The older stack whose defaults the configuration shows, if it shows one."""
    envelope = host.get(f"{_ROOT}/MaxEnvelopeSizekb")
    sddl = host.get(f"{_ROOT}/service/RootSDDL")
    if envelope is not None and not envelope.is_default and envelope.value == 150:
        legacy_sddl = sddl is not None and not sddl.is_default and sddl.value == LEGACY_ROOT_SDDL
        # WinRM 2.0 has no AllowRemoteAccess: a Service section shown whole without it
        service = host.covers(f"{_ROOT}/service")
        remote = host.get(f"{_ROOT}/service/AllowRemoteAccess")
        no_remote_access = service is not None and (remote is None or remote.is_default)
        if legacy_sddl or no_remote_access:
            signs = [s for s, on in (("the WinRM 2.0 RootSDDL", legacy_sddl),
                                     ("no `AllowRemoteAccess`", no_remote_access)) if on]
            return Stack.V2, envelope.location, "WinRM 2.0 shape: `MaxEnvelopeSizekb = 150` with " + " and ".join(signs)
    # three of the four 3.0 Winrs quotas at 10/25/1024/30: one may have been changed on purpose
    # (a shell memory lowered to 800 MB is still judged against 3.0's 1024)
    winrs = [s for s in (host.get(path) for path in _V3_WINRS) if s is not None and not s.is_default]
    at_v3 = [s for s in winrs if s.value == _V3_WINRS[s.path]]
    if len(at_v3) >= 3:
        return Stack.V3, at_v3[0].location, "WinRM 3.0 shape: Winrs quotas at 10/25/1024/30"
    return None, None, ""


def stated_role(host: Host) -> Role | None:
    setting = host.get(paths.HOST_ROLE)
    if setting is not None and isinstance(setting.value, str) and setting.value.lower() in ("server", "client"):
        return Role(setting.value.lower())
    return None


# what `infer_role` reads beyond the host's identity and listeners (a fleet rule that asks a
# summary for the role declares these)
ROLE_READS = (paths.ALLOW_AUTO_CONFIG, paths.SERVICE_START_TYPE)


def infer_role(host: Host) -> Role | None:
    """The host's WinRM role: as a manifest states it, else inferred. A listener, or the policy
    that creates one (`AllowAutoConfig`), makes a server; no listener with a WinRM service that
    does not start by itself (Manual or Disabled) makes a client, as Windows clients ship."""
    stated = stated_role(host)
    if stated is not None:
        return stated
    auto_config = host.get(paths.ALLOW_AUTO_CONFIG)
    if any(listener.enabled for listener in host.listeners()) or (
        auto_config is not None and str(auto_config.value).strip() == "1"
    ):
        return Role.SERVER
    start = host.get(paths.SERVICE_START_TYPE)
    if not host.listeners() and start is not None and start.value in ("Manual", "Disabled"):
        return Role.CLIENT
    return None
