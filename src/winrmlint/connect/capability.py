"""What each host offers a connection: a pure derivation from its model and the rules' typed views.

A `Fact` is one value with the line it was read from (None: the Windows default, or not collected
when `known` is false). Capabilities are frozen: a cascade applies a fix with `dataclasses.replace`
and runs the steps again.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from winrmlint.model import paths
from winrmlint.model.host import Host, Setting, cut_short
from winrmlint.model.values import Source, SpnQuery
from winrmlint.parsers import certificates, dns_answers, local_groups, net_profile
from winrmlint.model import permissions, spn_directory
from winrmlint.model import trusted_hosts as trust
from winrmlint.rules import firewall, spn
from winrmlint.rules.base import join_location
from winrmlint.source import Location

T = TypeVar("T")

CLIENT = "winrm/config/client"
SERVICE = "winrm/config/service"
MECHS = ("Basic", "Digest", "Kerberos", "Negotiate", "Certificate", "CredSSP")


@dataclass(frozen=True)
class Fact(Generic[T]):
    """A value, where it was read, and whether any input told it at all."""

    value: T
    at: Location | None = None
    setting: Setting | None = None
    known: bool = True

    @property
    def gpo(self) -> bool:
        return self.setting is not None and self.setting.source is Source.GPO


def _fact(host: Host, path: str, fallback: object, collected: bool) -> Fact:
    setting = host.get(path)
    if setting is None:
        return Fact(fallback, None, None, collected)
    return Fact(setting.value if setting.valid else fallback, setting.location, setting, True)


# --- the client ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientCap:
    """What the client's WinRM will do with an attempt (connection-model §2.2, §8.1)."""

    name: str
    bundle: str
    join: Fact[str | None]
    domain: Fact[str | None]
    config_known: bool
    auth: dict[str, Fact[bool]]
    allow_unencrypted: Fact[bool]
    trusted: Fact[tuple[str, ...]]
    ports: dict[str, Fact[int]]
    spn_prefix: Fact[str]
    proxy: Fact[str]
    bypass: Fact[str]
    delegation: dict[str, tuple[tuple[str, Location], ...]] | None = None  # CredSSP policy lists; None: not collected
    dns: dict[str, tuple[str, object, Location]] = field(default_factory=dict)  # name: (Address|CNAME|Missing, value, line)
    delegation_at: Location | None = None
    first_file: str = ""  # where a result lands when no line decides it

    def resolve(self, name: str) -> tuple[tuple[str, ...] | None, tuple[Location, ...]]:
        """What `Resolve-DnsName` on the client said of the name, CNAMEs followed: the addresses
        (empty: the name does not exist), or None when it was not asked; and the lines read."""
        lines: list[Location] = []
        current = name.lower()
        for _ in range(8):
            fact = self.dns.get(current)
            if fact is None:
                return None, tuple(lines)
            kind, value, at = fact
            lines.append(at)
            if kind == "CNAME":
                current = str(value)
                continue
            return (() if kind == "Missing" else tuple(value) if isinstance(value, tuple) else ()), tuple(lines)
        return None, tuple(lines)

    @property
    def workgroup(self) -> bool:
        """WinRM treats an Entra-only joined machine as a workgroup machine [SA-ENTRA]."""
        return self.join.value in ("workgroup", "entra")

    def trusts(self, name: str) -> str | None:
        """The TrustedHosts entry that matches the name as typed (no DNS lookup), if one does."""
        return trust_match(self.trusted.value, name)


def trust_match(entries: Sequence[str], name: str) -> str | None:
    """The entry that trusts the name as typed: the model's matcher, and `<local>` ("To enable
    Negotiate for all workgroup machines", read as names without a dot: INF)."""
    found = trust.matches(",".join(entries), name)
    if found is not None:
        return found.text
    dotless = "." not in name and ":" not in name.strip("[]")
    return next((e for e in entries if e.strip().lower() == "<local>" and dotless), None)


def client_cap(host: Host, directory: spn_directory.Directory | None = None) -> ClientCap:
    known = host.knows(CLIENT)
    auth = {m: _fact(host, f"{CLIENT}/auth/{m}", m != "CredSSP", known) for m in MECHS}
    th = trust.of(host)
    listed: tuple[str, ...] = tuple(e for e in trust.entries(str(th.value)) if e) if th else ()
    raw = host.get(trust.PATH)
    trusted = Fact(listed, raw.location if raw else None, raw, raw is not None or known)
    prefix = spn.spn_prefix(host)
    spn_prefix: Fact[str] = Fact("HTTP", None, None, False) if prefix is None else Fact(
        prefix.value or "HTTP", prefix.location, prefix.setting, True
    )
    state = host.join_state
    join_at = join_location(host)
    if state is None and directory is not None:
        # no dsregcmd or manifest: a computer account holding SPNs is a domain member
        own = directory.by_account_cn.get(spn_directory.account_key(host.name.split(".", 1)[0]), [])
        if own:
            state, join_at = "domain", own[0].location
    return ClientCap(
        name=host.name,
        bundle=host.bundle,
        join=Fact(state, join_at, None, state is not None),
        domain=_fact(host, paths.HOST_DOMAIN, None, False),
        config_known=known,
        auth=auth,
        allow_unencrypted=_fact(host, f"{CLIENT}/AllowUnencrypted", False, known),
        trusted=trusted,
        ports={t: _fact(host, f"{CLIENT}/DefaultPorts/{t}", p, known) for t, p in (("HTTP", 5985), ("HTTPS", 5986))},
        spn_prefix=spn_prefix,
        proxy=_fact(host, paths.WINHTTP_PROXY, "", host.knows("winhttp")),
        bypass=_fact(host, paths.WINHTTP_BYPASS, "", host.knows("winhttp")),
        delegation=_delegation(host),
        dns=_dns(host),
        delegation_at=host.covers(CREDENTIALS_DELEGATION),
        first_file=_first_file(host),
    )


def _dns(host: Host) -> dict[str, tuple[str, object, Location]]:
    found: dict[str, tuple[str, object, Location]] = {}
    for setting in host.under(dns_answers.PREFIX):
        name, _, kind = setting.path[len(dns_answers.PREFIX) + 1:].rpartition("/")
        if kind == "Missing" or name not in found:
            found[name] = (kind, setting.value, setting.location)
    return found


# Computer Configuration > Administrative Templates > System > Credentials Delegation: each policy
# is a flag value and a subkey of numbered SPN entries (`1` = `WSMAN/*.contoso.com`)
CREDENTIALS_DELEGATION = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\CredentialsDelegation"
DELEGATION_POLICIES = ("AllowFreshCredentials", "AllowFreshCredentialsWhenNTLMOnly")


def _delegation(host: Host) -> dict[str, tuple[tuple[str, Location], ...]] | None:
    """The SPNs each delegation policy allows, when enabled; None when the key was not collected."""
    if host.covers(CREDENTIALS_DELEGATION) is None and not host.knows(CREDENTIALS_DELEGATION):
        return None
    found: dict[str, tuple[tuple[str, Location], ...]] = {}
    for policy in DELEGATION_POLICIES:
        flag = host.get(f"{CREDENTIALS_DELEGATION}\\{policy}")
        if flag is None or flag.value not in (1, True):
            found[policy] = ()
            continue
        entries = [s for s in host.settings.values() if s.path.lower().startswith(f"{CREDENTIALS_DELEGATION}\\{policy}\\".lower())]
        found[policy] = tuple((str(e.value), e.location) for e in entries if isinstance(e.value, str))
    return found


# --- the server ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListenerCap:
    key: str
    transport: str
    port: int
    url_prefix: str
    enabled: bool
    listening_on: tuple[str, ...] | None  # None: not shown
    hostname: str
    thumbprint: str
    at: Location
    source: Source

    @property
    def selector(self) -> str:
        return f"winrm/config/listener?Address={self.key.split('+')[0]}+Transport={self.transport}"


@dataclass(frozen=True)
class FirewallCap:
    """One inbound rule that could admit WinRM: its ports, profiles and remote addresses."""

    id: str
    enabled: bool
    allow: bool
    ports: tuple[str, ...]
    profiles: frozenset[str] | None
    remote: tuple[str, ...]
    at: Location
    gpo: bool

    def admits_port(self, port: int) -> bool:
        return any(p.lower() == "any" or _in_port_range(p, port) for p in self.ports)


def _in_port_range(text: str, port: int) -> bool:
    low, _, high = text.partition("-")
    try:
        return int(low) <= port <= int(high or low)
    except ValueError:
        return False


@dataclass(frozen=True)
class EndpointCap:
    """A session configuration as remote users meet it."""

    name: str
    at: Location
    disabled_at: Location | None
    network_denied: bool
    run_as: str


@dataclass(frozen=True)
class CertCap:
    """A certificate of the server's `LocalMachine\\My` store, as a TLS client judges it."""

    thumbprint: str
    subject: str
    dns_names: tuple[str, ...]
    issuer: str
    not_after: str | None  # ISO date; None when unreadable
    at: Location
    # the console cut the Subject or the DnsNameList (`CN=web01.corp.contoso.com, OU=Web Ser...`):
    # what it names is not all there, so a name it lacks is unknown rather than absent, and so is self-signing
    subject_cut: bool = False

    @property
    def self_signed(self) -> bool:
        if self.subject_cut:
            return False  # not known: the issuer cannot be compared with part of a subject
        return " ".join(self.subject.lower().split()) == " ".join(self.issuer.lower().split())

    def names(self) -> tuple[str, ...]:
        cn = re.search(r"(?:^|,)\s*CN=([^,]+)", self.subject, re.IGNORECASE)
        return tuple(dict.fromkeys(n.lower() for n in (*self.dns_names, *([cn.group(1).strip()] if cn else ()))))

    def covers(self, name: str) -> bool:
        """RFC 6125 matching: exact, or a wildcard for exactly the left-most label."""
        low = name.lower()
        for n in self.names():
            if n == low or (n.startswith("*.") and "." in low and low.split(".", 1)[1] == n[2:]):
                return True
        return False


@dataclass(frozen=True)
class ServerCap:
    """What the server offers (connection-model §2.3, §8.1)."""

    name: str
    bundle: str
    short: str
    fqdns: tuple[str, ...]
    addresses: tuple[str, ...]
    join: Fact[str | None]
    domain: Fact[str | None]
    service_status: Fact[str | None]
    allow_remote_access: Fact[bool]
    listeners: tuple[ListenerCap, ...] | None  # None: no listener enumeration collected
    listeners_at: Location | None
    compatibility: dict[str, Fact[bool]]
    config_known: bool
    auth: dict[str, Fact[bool]]
    allow_unencrypted: Fact[bool]
    firewall: tuple[FirewallCap, ...] | None
    firewall_at: Location | None
    endpoints: tuple[EndpointCap, ...] | None
    endpoints_at: Location | None
    latfp: Fact[int]
    remote_shell: Fact[bool]
    disable_runas: Fact[bool]
    profiles: tuple[tuple[str, str, Location], ...] | None = None  # (interface, category, line); None: not collected
    certificates: dict[str, CertCap] | None = None  # by thumbprint, upper case; None: not collected
    groups: dict[str, tuple[tuple[str, ...], Location]] = field(default_factory=dict)  # "admins"/"rmu": members, line
    first_file: str = ""

    def names(self) -> tuple[str, ...]:
        return (self.short, *self.fqdns)

    def is_named(self, name: str) -> bool:
        return name.lower() in self.names() or name.lower() in (a.lower() for a in self.addresses)


def _routable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_link_local)


def server_cap(host: Host, directory: spn_directory.Directory) -> ServerCap:
    who = spn_directory.identity(host, directory)
    listeners = None
    if host.listeners_collected:
        listeners = tuple(_listener(lst) for lst in host.listeners())
    addresses: list[str] = []
    for lst in listeners or ():
        for address in lst.listening_on or ():
            if _routable(address) and address not in addresses:
                addresses.append(address)
    known = host.knows(SERVICE)
    fw = None
    fw_at = host.covers(paths.FIREWALL)
    if host.knows(paths.FIREWALL):
        fw = tuple(_firewall(r) for r in firewall.firewall_rules(host))
        fw_at = fw_at or (fw[0].at if fw else None)
    endpoints = None
    ep_at = host.covers(paths.SESSION_CONFIGS)
    if host.knows(paths.SESSION_CONFIGS):
        endpoints = tuple(_endpoint(c) for c in permissions.session_configs(host))
        ep_at = ep_at or (endpoints[0].at if endpoints else None)
    state = host.join_state
    status = host.get(paths.SERVICE_STATUS)
    latfp = host.get(paths.LATFP)
    latfp_fact: Fact[int] = Fact(0, host.covers(paths.LATFP), None, host.covers(paths.LATFP) is not None)
    if latfp is not None and isinstance(latfp.value, int):
        latfp_fact = Fact(int(latfp.value), latfp.location, latfp, True)
    return ServerCap(
        name=host.name,
        bundle=host.bundle,
        short=who.short,
        fqdns=who.fqdns,
        addresses=tuple(addresses),
        join=Fact(state, join_location(host), None, state is not None),
        domain=_fact(host, paths.HOST_DOMAIN, None, False),
        service_status=Fact(str(status.value) if status else None, status.location if status else None, status,
                            status is not None),
        allow_remote_access=_fact(host, f"{SERVICE}/AllowRemoteAccess", True, known),
        listeners=listeners,
        listeners_at=host.listener_enumeration or (listeners[0].at if listeners else None),
        compatibility={
            "HTTP": _fact(host, f"{SERVICE}/EnableCompatibilityHttpListener", False, known),
            "HTTPS": _fact(host, f"{SERVICE}/EnableCompatibilityHttpsListener", False, known),
        },
        config_known=known,
        auth={m: _fact(host, f"{SERVICE}/auth/{m}", m in ("Kerberos", "Negotiate"), known) for m in MECHS},
        allow_unencrypted=_fact(host, f"{SERVICE}/AllowUnencrypted", False, known),
        firewall=fw,
        firewall_at=fw_at,
        endpoints=endpoints,
        endpoints_at=ep_at,
        latfp=latfp_fact,
        remote_shell=_fact(host, "winrm/config/winrs/AllowRemoteShellAccess", True, host.knows("winrm/config/winrs")),
        disable_runas=_fact(host, paths.DISABLE_RUNAS, False, host.covers(paths.DISABLE_RUNAS) is not None),
        profiles=_profiles(host),
        certificates=_certificates(host),
        groups=_groups(host),
        first_file=_first_file(host),
    )


def _profiles(host: Host) -> tuple[tuple[str, str, Location], ...] | None:
    """The active network category per interface (`Get-NetConnectionProfile`), if collected."""
    if host.covers(net_profile.PREFIX) is None:
        return None
    found = []
    for setting in host.under(net_profile.PREFIX):
        if setting.name == "NetworkCategory" and setting.valid and isinstance(setting.value, str):
            interface = setting.path[len(net_profile.PREFIX) + 1:].rsplit("/", 1)[0]
            found.append((interface, setting.value, setting.location))
    return tuple(found)


def _certificates(host: Host) -> dict[str, CertCap] | None:
    if host.covers(certificates.PREFIX) is None:
        return None
    found: dict[str, CertCap] = {}
    for setting in host.under(certificates.PREFIX):
        thumb = setting.path.split("/")[1].upper()
        if thumb in found:
            continue

        def text(name: str, thumb: str = thumb) -> Setting | None:
            return host.get(f"{certificates.PREFIX}/{thumb}/{name}")

        subject, names, issuer, after = text("Subject"), text("DnsNameList"), text("Issuer"), text("NotAfter")
        found[thumb] = CertCap(
            thumbprint=thumb,
            subject=str(subject.value) if subject else "",
            dns_names=tuple(names.value) if names is not None and isinstance(names.value, tuple) else (),
            issuer=str(issuer.value) if issuer else "",
            not_after=str(after.value) if after is not None and after.valid else None,
            at=(subject or setting).location,
            subject_cut=any(cut_short(x) for x in (subject, names) if x is not None),
        )
    return found


# the built-in groups' names as `net localgroup` prints them in the languages seen in tickets
_ROLES = {
    "administrators": "admins", "administratoren": "admins", "administrateurs": "admins", "administradores": "admins",
    "remote management users": "rmu", "remoteverwaltungsbenutzer": "rmu", "utilisateurs de gestion à distance": "rmu",
    "usuarios de administración remota": "rmu",
}


def _groups(host: Host) -> dict[str, tuple[tuple[str, ...], Location]]:
    found: dict[str, tuple[tuple[str, ...], Location]] = {}
    for setting in host.under(local_groups.PREFIX):
        group = setting.path[len(local_groups.PREFIX) + 1:].rsplit("/", 1)[0]
        role = _ROLES.get(group.lower())
        if role and setting.name == "Members" and isinstance(setting.value, tuple):
            found[role] = (setting.value, setting.location)
    return found


def _first_file(host: Host) -> str:
    readable = host.readable_files
    return readable[0].uri if readable else (host.files[0].uri if host.files else host.bundle)


def _listener(lst: object) -> ListenerCap:
    from winrmlint.model.host import Listener

    assert isinstance(lst, Listener)
    on = lst.prop("ListeningOn")
    listening: tuple[str, ...] | None = None
    if on is not None:
        value = on.value
        listening = tuple(value) if isinstance(value, tuple) else tuple(
            v.strip() for v in str(value or "").strip("{}").split(",") if v.strip()
        )
    default_port = {"HTTP": 5985, "HTTPS": 5986}.get(lst.transport, 0)
    if lst.compatibility:
        default_port = {"HTTP": 80, "HTTPS": 443}.get(lst.transport, default_port)
    prefix = lst.prop("URLPrefix")
    hostname = lst.prop("Hostname")
    thumb = lst.prop("CertificateThumbprint")
    return ListenerCap(
        key=lst.key,
        transport=lst.transport,
        port=lst.port if lst.port is not None else default_port,
        url_prefix=str(prefix.value) if prefix is not None and prefix.value else "wsman",
        enabled=lst.enabled,
        listening_on=listening,
        hostname=str(hostname.value or "") if hostname is not None else "",
        thumbprint=str(thumb.value or "") if thumb is not None else "",
        at=lst.anchor.location,
        source=lst.source,
    )


def _firewall(rule_: firewall.FirewallRule) -> FirewallCap:
    enabled = rule_.prop("Enabled")
    action = (rule_.text("Action") or "Allow").lower()
    direction = (rule_.text("Direction") or "Inbound").lower()
    port_text = rule_.text("LocalPort")
    if port_text is None:
        # netsh and Get-NetFirewallRule without the port filter: the built-in rules' documented ports
        port_text = "5986" if "https" in (rule_.name + (rule_.text("DisplayName") or "")).lower() else "5985"
    remote = rule_.text("RemoteAddress") or "Any"
    anchor = enabled or rule_.prop("Name") or next(iter(rule_.props.values()))
    return FirewallCap(
        id=rule_.id,
        enabled=enabled is not None and enabled.value is True,
        allow=action == "allow" and direction == "inbound",
        ports=tuple(p.strip() for p in port_text.strip("{}").split(",") if p.strip()),
        profiles=frozenset(p if p != "any" else "all" for p in rule_.profiles) if rule_.profiles is not None else None,
        remote=tuple(p.strip() for p in remote.strip("{}").split(",") if p.strip()),
        at=anchor.location,
        gpo=rule_.gpo,
    )


def _endpoint(config: permissions.SessionConfig) -> EndpointCap:
    disabled = config.disabled
    run_as = config.prop("RunAsUser")
    return EndpointCap(
        name=config.name,
        at=config.anchor.location,
        disabled_at=disabled.location if disabled is not None else None,
        network_denied=disabled is not None and disabled.name.lower() != "enabled",
        run_as=str(run_as.value or "") if run_as is not None else "",
    )


# --- the environment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Env:
    """Facts about the domain, not either host: every SPN registration and `setspn -Q` of the run."""

    directory: spn_directory.Directory
    queries: tuple[SpnQuery, ...]
    removed: frozenset[tuple[str, str]] = frozenset()  # (SPN, account) taken away by a cascade fix

    def owners(self, wanted: str) -> list[spn_directory.Registration]:
        return [r for r in self.directory.by_spn.get(wanted.lower(), []) if r.key not in self.removed]

    def not_found(self, wanted: str) -> Location | None:
        return next((q.location for q in self.queries if not q.found and q.spn.lower() == wanted.lower()), None)


def env_of(hosts: Sequence[Host]) -> Env:
    return Env(spn_directory.Directory.of(hosts), tuple(q for h in hosts for q in h.spn_queries))

