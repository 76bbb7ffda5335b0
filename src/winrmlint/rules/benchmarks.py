"""The hardening benchmarks' WinRM items (STIG, CIS), with their IDs per Windows edition.

winrm-reference.md §3. STIG and CIS read the policy registry value: "If the following registry
value does not exist or is not configured as specified, this is a finding", so a missing policy
is a finding even where the Windows default is already the secure value. Where only `winrm get`
was collected, `[Source="GPO"]` on the value shows the policy is set, a local value that it is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from winrmlint.findings import Finding
from winrmlint.model import catalog, paths
from winrmlint.model.host import Host
from winrmlint.model.platform import Os, Platform, Role
from winrmlint.model.values import Source
from winrmlint.rules.base import REGISTRY_FORMATS, Context, Profile, Rule
from winrmlint.source import Location

_STIG_EDITIONS = (Os.WIN10, Os.WIN11, Os.S2016, Os.S2019, Os.S2022)
# CIS numbering of the current editions (Server 2016-2022 v3.0.0, Windows 10 22H2 v3.0.0,
# Windows 11 23H2) and of Server 2012 R2 v3.0.0, whose WinRM sections are one number later
_CIS_CURRENT = (Os.WIN10, Os.WIN11, Os.S2016, Os.S2019, Os.S2022)


@dataclass(frozen=True)
class Item:
    """One benchmark item: the policy (its GPO title and registry value), the secure value, and
    its IDs. `setting` is the `winrm/config` value the policy drives, where there is one."""

    title: str
    gpo_path: str
    value: str  # HKLM\\…\\ValueName
    secure: int
    setting: str | None
    stig: tuple[str, ...]  # Win10, Win11, 2016, 2019, 2022 (empty: not a STIG item)
    cis: str  # current editions
    cis_2012r2: str = ""
    cis_level: int = 1
    members_only: bool = False  # STIG/CIS: not applicable outside a domain
    clients_only: bool = False  # CIS: an item of the Windows 10/11 benchmarks only
    # `winrm/config` values that the policy, when Enabled, pushes (`[Source="GPO"]` shows it Enabled)
    enabled_by: tuple[str, ...] = ()
    # the secure reading of `setting` where it is a word, not the policy's boolean (`Disabled`)
    secure_text: str | None = None
    fix: str = ""  # where the remedy is not the policy's GPO setting
    wanted: str = ""  # what the benchmark expects, where it is not a policy set to a value

    @property
    def expected(self) -> str:
        return self.wanted or f"\"{self.title}\" set, `{self.value_name}` = `{self.secure}`"

    @property
    def value_name(self) -> str:
        return self.value.rsplit("\\", 1)[1]

    def stig_id(self, platform: Platform) -> str:
        by_os: Mapping[Os, str] = MappingProxyType(dict(zip(_STIG_EDITIONS, self.stig)))
        known = [by_os[os] for os in platform.editions if os in by_os]
        return " / ".join(known or list(self.stig))

    def cis_id(self, platform: Platform) -> str:
        if platform.editions and all(os is Os.S2012R2 for os in platform.editions) and self.cis_2012r2:
            return self.cis_2012r2
        return self.cis

    def citation(self, benchmark: str, platform: Platform) -> str:
        """`STIG WN22-CC-000470 (Windows Server 2022)` or `CIS 18.10.88.1.1 (L1)`: the ID for the
        edition the dumps show; every edition's ID where the dumps do not tell which."""
        shown = " or ".join(os.shown for os in platform.editions)
        if benchmark == "stig":
            if platform.editions and not any(os in _STIG_EDITIONS for os in platform.editions):
                # reference §3 lists the STIG IDs of Windows 10/11 and Server 2016-2022 only
                return f"STIG (no ID for {shown} in the reference; the item is {' / '.join(self.stig)} elsewhere)"
            return f"STIG {self.stig_id(platform)}" + (f" ({shown})" if shown else "")
        cis_known = (*_CIS_CURRENT, Os.S2012R2)
        if platform.editions and not any(os in cis_known for os in platform.editions):
            return f"CIS (no ID for {shown} in the reference; {self.cis} (L{self.cis_level}) on current editions)"
        return f"CIS {self.cis_id(platform)} (L{self.cis_level})" + (f" ({shown})" if shown else "")

    @property
    def listed(self) -> tuple[str, ...]:
        """Every ID of the item, for the rule's help."""
        stig = ("STIG " + " / ".join(self.stig),) if self.stig else ()
        return stig + (f"CIS {self.cis} (L{self.cis_level})",)


_C = catalog.POLICY_ROOT


def _winrm(side: str, name: str) -> str:
    return f"{catalog.GPO_WINRM} > WinRM {side} > {name}"


CLIENT_BASIC = Item(
    "Allow Basic authentication (WinRM Client)", _winrm("Client", "Allow Basic authentication"),
    rf"{_C}\Client\AllowBasic", 0, f"{catalog.ROOT}/client/auth/Basic",
    ("WN10-CC-000330", "WN11-CC-000330", "WN16-CC-000500", "WN19-CC-000470", "WN22-CC-000470"),
    "18.10.88.1.1", "18.10.89.1.1",
)
CLIENT_UNENCRYPTED = Item(
    "Allow unencrypted traffic (WinRM Client)", _winrm("Client", "Allow unencrypted traffic"),
    rf"{_C}\Client\AllowUnencryptedTraffic", 0, f"{catalog.ROOT}/client/AllowUnencrypted",
    ("WN10-CC-000335", "WN11-CC-000335", "WN16-CC-000510", "WN19-CC-000480", "WN22-CC-000480"),
    "18.10.88.1.2", "18.10.89.1.2",
)
CLIENT_DIGEST = Item(
    "Disallow Digest authentication (WinRM Client)", _winrm("Client", "Disallow Digest authentication"),
    rf"{_C}\Client\AllowDigest", 0, f"{catalog.ROOT}/client/auth/Digest",
    ("WN10-CC-000360", "WN11-CC-000360", "WN16-CC-000520", "WN19-CC-000490", "WN22-CC-000490"),
    "18.10.88.1.3", "18.10.89.1.3",
)
SERVICE_BASIC = Item(
    "Allow Basic authentication (WinRM Service)", _winrm("Service", "Allow Basic authentication"),
    rf"{_C}\Service\AllowBasic", 0, f"{catalog.ROOT}/service/auth/Basic",
    ("WN10-CC-000345", "WN11-CC-000345", "WN16-CC-000530", "WN19-CC-000500", "WN22-CC-000500"),
    "18.10.88.2.1", "18.10.89.2.1",
)
SERVICE_UNENCRYPTED = Item(
    "Allow unencrypted traffic (WinRM Service)", _winrm("Service", "Allow unencrypted traffic"),
    rf"{_C}\Service\AllowUnencryptedTraffic", 0, f"{catalog.ROOT}/service/AllowUnencrypted",
    ("WN10-CC-000350", "WN11-CC-000350", "WN16-CC-000540", "WN19-CC-000510", "WN22-CC-000510"),
    "18.10.88.2.3", "18.10.89.2.3",
)
DISABLE_RUNAS = Item(
    "Disallow WinRM from storing RunAs credentials",
    _winrm("Service", "Disallow WinRM from storing RunAs credentials"),
    paths.DISABLE_RUNAS, 1, None,
    ("WN10-CC-000355", "WN11-CC-000355", "WN16-CC-000550", "WN19-CC-000520", "WN22-CC-000520"),
    "18.10.88.2.4", "18.10.89.2.4",
)
LATFP = Item(
    "Apply UAC restrictions to local accounts on network logons",
    "Computer Configuration > Administrative Templates > MS Security Guide > Apply UAC restrictions "
    "to local accounts on network logons (the SecGuide ADMX of the Security Compliance Toolkit)",
    paths.LATFP, 0, None,
    ("WN10-CC-000037", "WN11-CC-000037", "WN16-MS-000020", "WN19-MS-000020", "WN22-MS-000020"),
    "18.4.1", "18.4.1", members_only=True,
)


# CIS level 2 (winrm-reference §3): the policy that lets the service answer remote requests, the
# remote shell, and on Windows 10/11 the WinRM service itself. No STIG item matches them.
ALLOW_AUTO_CONFIG = Item(
    "Allow remote server management through WinRM",
    _winrm("Service", "Allow remote server management through WinRM"),
    paths.ALLOW_AUTO_CONFIG, 0, None, (), "18.10.88.2.2", "18.10.89.2.2", cis_level=2,
    enabled_by=(f"{catalog.ROOT}/service/IPv4Filter", f"{catalog.ROOT}/service/IPv6Filter"),
)
REMOTE_SHELL = Item(
    "Allow Remote Shell Access", f"{catalog.GPO_SHELL} > Allow Remote Shell Access",
    rf"{_C}\Service\WinRS\AllowRemoteShellAccess", 0, f"{catalog.ROOT}/winrs/AllowRemoteShellAccess", (),
    "18.10.89.1", "18.10.90.1", cis_level=2,
)
# 5.39 in the current Windows benchmarks (Windows 10 22H2 v3.0.0, Windows 11 23H2; reference §3's
# drift table), 5.40 in Windows 10 21H2-22H2 v2.0.0 and Windows 11 21H2-22H2: the Os model does not
# tell benchmark versions apart, so the current number is cited
WINRM_SERVICE = Item(
    "Windows Remote Management (WS-Management) (WinRM)",
    "Computer Configuration > Policies > Windows Settings > Security Settings > System Services > "
    "Windows Remote Management (WS-Management)",
    rf"{paths.WINRM_SERVICE_REG_KEY}\Start", 4, paths.SERVICE_START_TYPE, (), "5.39", cis_level=2,
    clients_only=True, secure_text="Disabled",
    wanted="the service \"Windows Remote Management (WS-Management) (WinRM)\" Disabled on a client (`Start` = `4`)",
    fix="`sc.exe config WinRM start= disabled` (PowerShell: `Set-Service -Name WinRM -StartupType Disabled`), "
    'or Group Policy: "Computer Configuration > Policies > Windows Settings > Security Settings > System '
    'Services > Windows Remote Management (WS-Management)" defined as Disabled, then `gpupdate /force`',
)


def _asked(item: Item, profile: Profile) -> list[str]:
    return [b for b in ("stig", "cis") if profile.asks(b, item.cis_level) and (b == "cis" or item.stig)]


def _applies(item: Item, host: Host) -> bool:
    if item.members_only and host.join_state in ("workgroup", "entra"):
        return False
    if item.clients_only:
        # the Windows 10/11 benchmarks' item: a client by its manifest or inferred role, or its edition
        role = host.role
        if role is not None:
            return role is Role.CLIENT
        return bool(host.platform.editions) and not any(os.server for os in host.platform.editions)
    return True


@dataclass(frozen=True)
class Gap:
    """Where a benchmark's policy is shown missing or at another value, and how it reads."""

    location: Location
    shown: str


def gap(host: Host, item: Item) -> Gap | None:
    """The policy as the dumps show it, when it is not the secure value; None when it is, or
    when no input tells (the benchmark's check is then not decided)."""
    for path in item.enabled_by:
        pushed = host.get(path)
        # as `winrm get` shows it; a registry export holds the policy value itself, read below
        policy = next(
            (r for r in pushed.readings if r.source is Source.GPO and r.origin not in REGISTRY_FORMATS), None
        ) if pushed else None
        if pushed is not None and policy is not None:
            return Gap(policy.location, f"the policy is Enabled (`{pushed.name}` is shown with `[Source=\"GPO\"]`)")
    setting = host.get(item.setting) if item.setting else None
    if setting is not None and item.secure_text is not None:
        text = str(setting.value) if setting.valid and setting.value is not None else None
        if text is None or setting.is_default:
            return None
        if text.lower() == item.secure_text.lower():
            return None
        return Gap(setting.location, f"`{setting.name}` is `{text}`")
    if setting is not None:
        policy = next((r for r in setting.readings if r.source is Source.GPO), None)
        if policy is not None:
            if policy.value is bool(item.secure):
                return None
            return Gap(policy.location, f"the policy sets `{setting.name}` to `{str(policy.value).lower()}`")
        shown = next((r for r in setting.readings if r.origin not in REGISTRY_FORMATS), None)
        if shown is not None:
            return Gap(shown.location, f"`{setting.name}` is shown without `[Source=\"GPO\"]`: the policy is not set")
        if setting.is_default and setting.default_at is not None and _not_registry(host, setting.default_at):
            return Gap(setting.default_at, f"`{setting.name}` is at its Windows default: the policy is not set")
    value = host.get(item.value)
    if value is not None:
        if value.valid and str(value.value).strip() == str(item.secure):
            return None
        return Gap(value.location, f"policy value `{item.value_name}` is `{value.value}`")
    absent = host.covers(item.value)
    if absent is not None:
        return Gap(absent, f"policy value `{item.value_name}` is missing")
    return None


def _not_registry(host: Host, at: Location) -> bool:
    return any(f.uri == at.uri and f.format not in REGISTRY_FORMATS for f in host.files)


def judged(
    host: Host, ctx: Context, item: Item, found: Iterable[Finding], *, opposite: bool = False
) -> Iterator[Finding]:
    """A rule's own findings, citing the benchmark where the profile asks for it; with none, the
    benchmark's finding where the policy is missing or not the secure value.

    `opposite`: the rule reports the state the benchmark asks for (a remote shell refused, the
    service not started): where the profile asks for the item, that state is the design the
    profile was chosen for, so the rule's own findings give way to the benchmark's."""
    asked = _asked(item, ctx.profile)
    own = list(found)
    if not asked or not _applies(item, host):
        yield from own
        return
    cited = "; ".join(item.citation(b, host.platform) for b in asked)
    if own and not opposite:
        yield from (replace(f, message=f"{f.message} ({cited})") for f in own)
        return
    missing = gap(host, item)
    if missing is None:
        return
    yield ctx.finding(
        host,
        missing.location,
        f"{cited}: {missing.shown}; expected {item.expected}",
        path=item.value,
        key="baseline",
        fix=item.fix or f'Group Policy: set "{item.gpo_path}" to {_state(item)}, then `gpupdate /force` '
        f"(registry: `{item.value}` = {item.secure})",
    )


def checked_against(rule_: Rule, item: Item) -> Rule:
    """A rule that also holds hosts to a benchmark item whose secure state is the one the rule
    reports (WRM507's service that does not start by itself, on a client under CIS level 2)."""
    check = rule_.check

    def with_item(host: Host, ctx: Context) -> Iterator[Finding]:
        yield from judged(host, ctx, item, check(host, ctx), opposite=True)

    judged_alone = rule_.evaluable

    def evaluable(host: Host) -> bool:
        # on a host the item applies to (a client), its own setting decides: a client's manual
        # service is the design whatever its listeners, so they need not be known
        if judged_alone is None or judged_alone(host):
            return True
        return _applies(item, host) and item.setting is not None and host.knows(item.setting)

    return replace(rule_, check=with_item, evaluable=evaluable, baselines=rule_.baselines + item.listed)


def _state(item: Item) -> str:
    # the Disallow* policies write 0 when Enabled; LATFP's "Apply UAC restrictions" writes 0 too
    if item.value_name in ("AllowDigest", "LocalAccountTokenFilterPolicy", "DisableRunAs"):
        return "Enabled"
    return "Disabled"
