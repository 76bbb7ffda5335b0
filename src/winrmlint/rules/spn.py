"""WRM4xx: Kerberos service principal names for WinRM, and the host identity they hang on.

SPNs live in one directory for the whole forest, so the SPN rules are fleet rules: every `setspn`
dump of the run feeds one directory, and a finding goes to the host whose connections fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from winrmlint.findings import Finding, Level
from winrmlint.model import catalog, paths
from winrmlint.model.host import Host, Setting
from winrmlint.model.platform import ROLE_READS, Role
from winrmlint.model.spn_directory import (
    COMPUTER_CLASSES,
    Directory,
    Identity,
    Registration,
    account_key,
    common_name,
    dn_domain,
    identity,
    same_account,
)
from winrmlint.model.values import SpnQuery
from winrmlint.rules.base import (
    ENTRA,
    JOIN,
    SPN,
    Context,
    enumerate_words,
    join_location,
    join_shown,
    reg_add,
    rule,
)
from winrmlint.source import Location

SPN_PREFIX = "winrm/config/client/spn_prefix"
# error-0x80090322-spn.md, Option 3: the value WinRM's client reads, on the client machine
SPN_PREFIX_KEY = rf"{catalog.STORE_ROOT}\Client"
SPN_PREFIX_VALUE = rf"{SPN_PREFIX_KEY}\spn_prefix"
SPN_PREFIXES = ("HTTP", "HOST", "WSMAN")
# The ports WinRM listens on unless a listener says otherwise (winrm-reference.md §1.5)
WINRM_PORTS = frozenset({5985, 5986})
SPN_PATH = "spn"
# what the fleet SPN rules read of a host's settings: its identity (`host/…`), its role, its
# listeners' ports and its client's prefix (SPNs, queries and coverage are in every summary)
FLEET_READS = ("host", catalog.LISTENERS, SPN_PREFIX, *ROLE_READS)


def winrm_ports(host: Host) -> frozenset[int]:
    """The ports clients reach WinRM on: 5985 and 5986, and any listener's port."""
    return WINRM_PORTS | {lst.port for lst in host.listeners() if lst.port is not None}


def spn_path(spn: str) -> str:
    return f"{SPN_PATH}/{spn}"


# --- the client's SPN prefix ------------------------------------------------------------------


@dataclass(frozen=True)
class Prefix:
    """What a host's WinRM client puts before `/<host>`: `HTTP` when `spn_prefix` is known absent."""

    value: str
    setting: Setting | None
    location: Location
    absence: str = ""  # how an input shows it unset: "not set", or not listed where it would be


def spn_prefix(host: Host) -> Prefix | None:
    """The client's SPN prefix if an input tells it: the value (`winrm get` or the registry), or
    its absence shown by a registry export of `…\\WSMAN\\Client`, a `reg query` that found no
    `spn_prefix`, or a complete `Client` section of `winrm get winrm/config` without it (absent
    means `HTTP`, winrm-reference.md §5)."""
    setting = host.get(SPN_PREFIX)
    if setting is not None and not setting.is_default:
        text = setting.value if isinstance(setting.value, str) else str(setting.value)
        return Prefix(text, setting, setting.location)
    absent = host.covers(SPN_PREFIX_VALUE)
    if absent is not None:
        return Prefix("HTTP", None, absent, "not set")
    shown = host.covers(SPN_PREFIX)
    if shown is not None and _lists_spn_prefix(host, shown):
        return Prefix("HTTP", None, shown, "not listed in the complete `Client` section of `winrm get winrm/config`")
    return None


# `winrm get` prints the client's `spn_prefix` when it is set (real dumps show `spn_prefix = HOST`
# under `Client`; -format:xml is the same response, unrendered). The WSMan: drive and
# Get-WSManInstance have not been seen to show it: their silence says nothing.
_LISTS_SPN_PREFIX = frozenset({"winrm-config-text", "winrm-config-xml"})


def _lists_spn_prefix(host: Host, shown: Location) -> bool:
    return any(f.uri == shown.uri and f.format in _LISTS_SPN_PREFIX for f in host.files)


def uses(prefix: Prefix | None, *classes: str) -> bool:
    """Whether the prefix is one of these (an empty or malformed value is none of them: WRM405)."""
    return prefix is not None and prefix.value.upper() in classes


def set_prefix(value: str) -> str:
    """The `reg add` that sets the client's prefix, its key quoted as every `reg add` fix is."""
    return reg_add(SPN_PREFIX_VALUE, value)


# --- the rules --------------------------------------------------------------------------------


def has_spns(host: Host) -> bool:
    """The SPN rules judge a run in which some bundle holds `setspn` output (one directory serves
    them all, README "Collecting a bundle"): without any, they are not evaluated."""
    return bool(host.spns or host.spn_queries)


@rule(
    code="WRM401", name="http-spn-owned-by-other-account", level="error", kind="breaks", needs=(), docs=(SPN,),
    evaluable=has_spns,
    fleet=True, reads=FLEET_READS,
    variants=(("note", "when `HTTP/<name>` is on a user or service account and no bundle of the run is "
              "`<name>`: worded conditionally, \"if `<name>` is managed with WinRM, Kerberos fails\""),),
)
def http_spn_owned_by_other_account(host: Host, ctx: Context) -> Iterator[Finding]:
    """A host's `HTTP/` SPN belongs to another account: Kerberos to WinRM fails with 0x80090322.

    ## What it finds
    `setspn` output (`-Q`, `-L`, `-X`, from any bundle of the run: SPNs live in one directory)
    showing `HTTP/<name>` or `HTTP/<fqdn>` of a host of the run on an account other than that
    host's computer account, typically a service account that runs a web application (IIS app
    pool, SQL Reporting Services) on the same server. The computer account is the one whose CN
    is the host's name; the host's names are its name and the FQDNs the run shows for it
    (dsregcmd's `Device Name`, listener `Hostname`, its computer account's DN and `HOST/` SPNs).
    SPNs are compared without regard to case; `HTTP/web01:5985` (with a port) is another SPN.

    It stays quiet when a documented resolution is in place:
    - the computer account holds the port SPN `HTTP/<name>:5985` (or `:5986`, or a listener's
      port) for that name (Option 2). The stray `HTTP/<name>` may stay on the service account, but
      only clients that ask for the port SPN get through: they must connect with
      `-SessionOption (New-PSSessionOption -IncludePortInSPN)`;
    - the run shows clients whose `spn_prefix` is `WSMAN` or `HOST`, and none known to use `HTTP`
      (a registry export, `reg query` or complete `winrm get` Client section without
      `spn_prefix`; servers, which have a listener, are not counted): those clients never ask for
      `HTTP/` (Option 3; WRM403 then checks the `WSMAN/` SPNs). winrmlint sees only the clients
      in the run: other clients still use `HTTP`.

    A `setspn -L` or `-Q` of a user or service account (not a computer account: not under
    `CN=Computers`, holding no `HOST/` SPN) that holds `HTTP/<name>` for a name no bundle of the
    run is, is the same cause for `<name>`, should it be a WinRM server: that is a note, worded
    conditionally, once per account and name (a web application's alias is no WinRM server, and
    winrmlint cannot tell one from the other without `<name>`'s bundle). An account that also
    holds the `HTTP/` SPN of a host in the run runs a web application there: its other names are
    that application's aliases, and the finding for the host already names the account.

    ## Why it matters
    "By default, PowerShell uses HTTP Service principal name (SPN) in the format `HTTP/<FQDN>` to
    connect to the remote server. This issue occurs when the SPN is already registered to another
    service account in the forest or manually registered to a web service running on the
    computer." The KDC issues the ticket for the service account, the WinRM service (running as
    Network Service, that is the computer account) cannot decrypt it, and `Enter-PSSession` fails
    with "WinRM cannot process the request. The following error with error code 0x80090322
    occurred while using Kerberos authentication: An unknown security error occurred."

    ## Example
    ```dsregcmd
    +----------------------------------------------------------------------+
    | Device State                                                         |
    +----------------------------------------------------------------------+

                 AzureAdJoined : NO
              EnterpriseJoined : NO
                  DomainJoined : YES
                    DomainName : CORP
                   Device Name : WEB01.corp.contoso.com
    ```
    ```setspn
    C:\\Windows\\system32>setspn -Q HTTP/web01.corp.contoso.com
    Checking domain DC=corp,DC=contoso,DC=com
    CN=svc-webapp,OU=Service Accounts,DC=corp,DC=contoso,DC=com
            HTTP/web01.corp.contoso.com
            HTTP/web01

    Existing SPN found!
    ```

    ## Fix
    First find who holds it: `setspn -Q HTTP/<FQDN>`. Then one of the documented options:
    1. Remove the SPN from the service account if it no longer needs it:
       ```console
       setspn -D HTTP/web01.corp.contoso.com CORP\\svc-webapp
       setspn -D HTTP/web01 CORP\\svc-webapp
       ```
    2. Give WinRM a dedicated SPN with the port, and connect with `-IncludePortInSPN`:
       ```console
       setspn -S HTTP/web01:5985 web01
       setspn -S HTTP/web01.corp.contoso.com:5985 web01
       ```
       ```powershell
       Enter-PSSession -ComputerName web01.corp.contoso.com -SessionOption (New-PSSessionOption -IncludePortInSPN)
       ```
    3. On the clients, set `spn_prefix` to `WSMAN` and register the `WSMAN/` SPNs (see WRM403):
       ```console
       reg add "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client" /v spn_prefix /t REG_SZ /d "WSMAN" /f
       setspn -S WSMAN/web01 web01
       setspn -S WSMAN/web01.corp.contoso.com web01
       ```
       (The article names `WSMAN` as the value data but its own `reg add` example writes `HOST`;
       `HOST` works too, with the `HOST/` SPNs every computer account has.)

    After option 1, `setspn -Q` finds the SPN on no account:
    ```diff
    --- host1/dump1.txt
    +++ host1/dump1.txt
    @@ -1,7 +1,4 @@
     C:\\Windows\\system32>setspn -Q HTTP/web01.corp.contoso.com
     Checking domain DC=corp,DC=contoso,DC=com
    -CN=svc-webapp,OU=Service Accounts,DC=corp,DC=contoso,DC=com
    -        HTTP/web01.corp.contoso.com
    -        HTTP/web01
     
    -Existing SPN found!
    +No such SPN found.
    ```
    """
    hosts = sorted(ctx.hosts, key=lambda h: h.name.lower())
    # Option 3 in force for the clients the run shows: none asks for HTTP/. A server's own client
    # (its `winrm get` lists no `spn_prefix`) is not what connects to it: admins' machines are
    prefixes = [spn_prefix(h) for h in hosts if h.role is not Role.SERVER]
    if any(uses(p, "WSMAN", "HOST") for p in prefixes) and not any(uses(p, "HTTP") for p in prefixes):
        return
    spns = Directory.of(hosts)
    identities = [identity(h, spns) for h in hosts]
    for target, who in zip(hosts, identities):
        held = {(r.spn.host, r.spn.port) for r in spns.account_of(who) if r.spn.service_class == "http"}
        ports = {str(p) for p in winrm_ports(target)}
        for reg in spns.naming(who.short):
            spn = reg.spn
            if spn.service_class != "http" or spn.port is not None or not who.named(spn.host):
                continue
            if who.is_computer_account(reg.account):
                continue
            if any((spn.host, port) in held for port in ports):
                continue  # Option 2: a port SPN on the computer account, used with -IncludePortInSPN
            also = "as well as to" if (spn.host, None) in held else "not to"
            yield ctx.finding(
                target,
                reg.location,
                f"`{spn.text}` is registered to `{reg.account}`, {also} `{who.shown}`'s computer account: "
                f"Kerberos authentication to WinRM on `{who.shown}` fails with 0x80090322; expected no "
                f"`HTTP/` SPN of `{who.shown}` on another account, or a port SPN "
                f"`HTTP/{spn.host}:5985` on `{who.shown}`",
                path=spn_path(spn.text),
                key=reg.account_key,
                fix=_stray_fix(reg, who, spns, hosts),
                related=spns.showings(reg),
            )
    yield from _outside_the_run(ctx, hosts, identities, spns)


def _outside_the_run(ctx: Context, hosts: Sequence[Host], identities: Sequence[Identity],
                     spns: Directory) -> Iterator[Finding]:
    """`HTTP/<name>` on a user or service account, for a name no bundle of the run is: the exact
    cause of 0x80090322 should `<name>` be a WinRM server (a web alias is not one). A note, once
    per account and name (`HTTP/intranet` and `HTTP/intranet.corp…` are one name), at the first
    line that shows it."""
    seen: set[tuple[str, str]] = set()
    # an account that holds a run host's `HTTP/` SPN runs a web application there (WRM401 reports
    # it for that host): its other `HTTP/` names are that application's aliases
    serving = {r.account_key for regs in spns.by_spn.values() for r in regs
               if r.spn.service_class == "http" and any(who.named(r.spn.host) for who in identities)}
    for reg in sorted((r for regs in spns.by_spn.values() for r in regs), key=lambda r: r.location):
        spn = reg.spn
        label = spn.host.split(".", 1)[0]
        # `HTTP/name@REALM` is a principal name written with its realm (keytab tools list it so): a
        # WinRM client asks for `HTTP/<host>`, never for that spelling
        if spn.service_class != "http" or spn.port is not None or not label or "@" in spn.host:
            continue
        if any(who.named(spn.host) for who in identities) or (reg.account_key, label) in seen:
            continue
        if reg.account_key in serving:
            continue
        name = Identity(label, (spn.host,) if "." in spn.host else ())
        if name.is_computer_account(reg.account) or _computer_account(reg.account, spns):
            continue
        owner = spns.by_account_cn.get(account_key(label), [])
        if any(r.spn.service_class == "http" and r.spn.host == spn.host and r.spn.port for r in owner):
            continue  # Option 2 already in place on `<name>`'s computer account
        seen.add((reg.account_key, label))
        yield ctx.finding(
            reg.host,
            reg.location,
            f"`{spn.text}` is registered to `{reg.account}`, a user or service account: if `{spn.host}` "
            "is managed with WinRM, Kerberos authentication to it fails with 0x80090322, since clients "
            f"ask for `HTTP/{spn.host}` by default (no bundle of this run is `{spn.host}`)",
            path=spn_path(spn.text),
            key=f"{reg.account_key}|not-in-run",
            fix=f"Should `{spn.host}` be a WinRM server: " + _stray_fix(reg, name, spns, hosts, lead="if"),
            related=spns.showings(reg),
            level=Level.NOTE,
        )


def _computer_account(account: str, spns: Directory) -> bool:
    """Whether the dumps show this account as a computer's: in `CN=Computers` or the Domain
    Controllers OU, or holding the `HOST/` SPNs every computer account carries."""
    rdns = {rdn.strip().lower() for rdn in account.split(",")}
    if "cn=computers" in rdns or "ou=domain controllers" in rdns:
        return True
    key = account_key(account)
    return any(r.account_key == key and r.spn.service_class in ("host", "restrictedkrbhost")
               for regs in spns.by_account_cn.values() for r in regs)


# sAMAccountName: at most 20 characters, none of `"/\[]:;|=,+*?<>` (nor spaces, in practice)
_SAM_ACCOUNT_NAME = re.compile(r'[^\s"/\\\[\]:;|=,+*?<>]{1,20}')


def account_name(dn: str, hosts: Sequence[Host]) -> str | None:
    """The logon name `setspn -D` takes for a DN: `CORP\\svc-webapp` from its CN and the NetBIOS
    domain name a host of the run in that DNS domain shows (dsregcmd `DomainName`), the bare CN
    without one; None when the CN cannot be a logon name (spaces, over 20 characters)."""
    cn = common_name(dn).replace("\\", "")
    if not _SAM_ACCOUNT_NAME.fullmatch(cn):
        return None
    domain = dn_domain(dn)
    for host in hosts:
        netbios = host.get(paths.HOST_DOMAIN)
        fqdn = host.get(paths.HOST_FQDN)
        if (netbios is not None and isinstance(netbios.value, str) and netbios.value and "." not in netbios.value
                and fqdn is not None and isinstance(fqdn.value, str) and fqdn.value.lower().endswith("." + domain)):
            return f"{netbios.value.upper()}\\{cn}"
    return cn


def remove_spn(reg: Registration, hosts: Sequence[Host]) -> str:
    """`setspn -D <SPN> <account>` for one registration: setspn takes a logon name, not a DN."""
    name = account_name(reg.account, hosts)
    if name is not None:
        return f"`setspn -D {reg.spn.text} {name}`"
    return (f"`setspn -D {reg.spn.text} <logon name>` with the logon name (sAMAccountName) of "
            f"`{reg.account}`, which its CN cannot be")


def _stray_fix(reg: Registration, who: Identity, spns: Directory, hosts: Sequence[Host], lead: str = "If") -> str:
    remove = remove_spn(reg, hosts)
    shown = {r.spn.text.lower() for r in spns.account_of(who)}
    names = who.spn_names
    # never advise registering what the computer account already holds
    port_spns = [f"`setspn -S HTTP/{n}:5985 {who.short}`" for n in names if f"http/{n}:5985".lower() not in shown]
    wsman_spns = [f"`setspn -S WSMAN/{n} {who.short}`" for n in names if f"wsman/{n}".lower() not in shown]
    wsman = (f"and register {'; '.join(wsman_spns)}" if wsman_spns
             else f"(`{who.shown}`'s computer account already holds its `WSMAN/` SPNs)")
    return (
        f"{lead} `{common_name(reg.account) or reg.account}` no longer needs it: {remove}. Otherwise "
        + (f"register port SPNs on the computer account ({'; '.join(port_spns)}) and " if port_spns else "")
        + "connect with `-SessionOption (New-PSSessionOption -IncludePortInSPN)`, or set `spn_prefix` to "
        f"`WSMAN` on the clients ({set_prefix('WSMAN')}) {wsman}"
    )


@rule(code="WRM402", name="duplicate-spn", level="error", kind="breaks", needs=(), docs=(SPN,), fleet=True,
      evaluable=has_spns, reads=FLEET_READS)
def duplicate_spn(host: Host, ctx: Context) -> Iterator[Finding]:
    """One SPN is registered on more than one account.

    ## What it finds
    An SPN (compared without regard to case) held by two or more accounts: a group of a
    `setspn -X` report, or the `setspn` dumps of the run taken together (a `setspn -L` of the
    computer account in one bundle, a `setspn -Q` naming a service account in another). The
    finding goes to the host the SPN names when it is in the run, else to the bundle that shows it.

    ## Why it matters
    An SPN must be unique in the forest: the KDC cannot tell which account's key to encrypt the
    ticket with. It logs event 11 ("The KDC encountered duplicate names while processing a
    Kerberos authentication request… This may result in authentication failures or downgrades
    to NTLM"), and a WinRM client that gets a ticket for the wrong account fails with
    "WinRM cannot process the request. The following error with error code 0x80090322 occurred
    while using Kerberos authentication: An unknown security error occurred." `setspn -A` adds an
    SPN without checking; `setspn -S` refuses a duplicate.

    ## Example
    ```setspn
    C:\\Windows\\system32>setspn -X -F
    Checking forest DC=contoso,DC=com
    Operation will be performed forestwide, it might take a while.
    Processing entry 0
    HTTP/web01.corp.contoso.com is registered on these accounts:
            CN=WEB01,OU=Servers,DC=corp,DC=contoso,DC=com
            CN=svc-webapp,OU=Service Accounts,DC=corp,DC=contoso,DC=com

    found 1 group of duplicate SPNs.
    ```

    ## Fix
    Keep the SPN on the account that runs the service and remove it from the others (for WinRM's
    `HTTP/<host>`, the computer account):
    ```console
    setspn -D HTTP/web01.corp.contoso.com CORP\\svc-webapp
    setspn -X -F
    ```
    Register SPNs with `setspn -S`, which checks the forest for duplicates, not `setspn -A`.
    ```diff
    --- host0/dump0.txt
    +++ host0/dump0.txt
    @@ -3,7 +3,4 @@
     Operation will be performed forestwide, it might take a while.
     Processing entry 0
    -HTTP/web01.corp.contoso.com is registered on these accounts:
    -        CN=WEB01,OU=Servers,DC=corp,DC=contoso,DC=com
    -        CN=svc-webapp,OU=Service Accounts,DC=corp,DC=contoso,DC=com
     
    -found 1 group of duplicate SPNs.
    +found 0 group of duplicate SPNs.
    ```
    """
    hosts = sorted(ctx.hosts, key=lambda h: h.name.lower())
    spns = Directory.of(hosts)
    duplicated = [regs for regs in spns.by_spn.values() if len(regs) > 1]
    if not duplicated:
        return
    owners = _owners(hosts, spns)
    for regs in duplicated:
        first = regs[0]
        target, who = owners.get(first.spn.host) or _by_label(owners, first.spn.host) or (first.host, None)
        keep: list[Registration] = []
        if first.spn.service_class in COMPUTER_CLASSES:
            # WinRM and the other services of these classes run as the computer: its account keeps them
            short = who.short if who is not None else first.spn.host.split(".", 1)[0]
            keep = [r for r in regs if same_account(common_name(r.account), short)]
        accounts = enumerate_words([f"`{r.account}`" for r in regs])
        if len(keep) == 1:
            drop = [r for r in regs if r is not keep[0]]
            fix = "Keep it on the computer account `{}` and remove it from the others: {}".format(
                keep[0].account, "; ".join(remove_spn(r, hosts) for r in drop)
            )
        else:
            fix = (
                f"Keep it on the account that runs the service and remove it from the others with "
                f"`setspn -D {first.spn.text} <logon name of the account>`"
            )
        fix += "; register SPNs with `setspn -S`, which refuses duplicates, not `setspn -A`"
        yield ctx.finding(
            target,
            first.location,
            f"SPN `{first.spn.text}` is registered on {len(regs)} accounts, {accounts}: the KDC cannot "
            "tell which one the ticket is for, and Kerberos fails (0x80090322) or falls back to NTLM; "
            "expected one account",
            path=spn_path(first.spn.text),
            key=first.spn.text.lower(),
            fix=fix,
            related=sorted({r.location for r in regs[1:]} | set(spns.showings(first))),
        )


def _owners(hosts: Sequence[Host], spns: Directory) -> dict[str, tuple[Host, Identity]]:
    """Each name of the run's hosts (short name, FQDNs) → the host and its identity; first wins."""
    owners: dict[str, tuple[Host, Identity]] = {}
    for host in hosts:
        who = identity(host, spns)
        for name in (who.short, *who.fqdns):
            owners.setdefault(name, (host, who))
    return owners


def _by_label(owners: dict[str, tuple[Host, Identity]], name: str) -> tuple[Host, Identity] | None:
    """A host without a known FQDN that an FQDN's first label names (`Identity.named`)."""
    found = owners.get(name.split(".", 1)[0])
    return found if found is not None and found[1].named(name) else None


@rule(code="WRM403", name="wsman-spn-missing", level="error", kind="breaks", needs=(), docs=(SPN,), fleet=True,
      evaluable=has_spns, reads=FLEET_READS)
def wsman_spn_missing(host: Host, ctx: Context) -> Iterator[Finding]:
    """Clients ask for `WSMAN/` SPNs that a host's computer account does not hold.

    ## What it finds
    A host of the run whose client `spn_prefix` is `WSMAN` (in `winrm get winrm/config`, or the
    `spn_prefix` value under `HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client`),
    and a host of the run whose computer account lacks `WSMAN/<name>` or `WSMAN/<fqdn>`: its
    complete SPN list (`setspn -L <name>`, or the account shown by `setspn -Q`, recognised by its
    `HOST/` SPNs) does not have it, or `setspn -Q WSMAN/<name>` says "No such SPN found.". The
    finding goes to the host that lacks the SPNs, with the clients' `spn_prefix` as related
    locations. Without a client that uses `WSMAN`, or without the SPN list, it stays silent.

    ## Why it matters
    With `spn_prefix` set to `WSMAN` the client asks the KDC for `WSMAN/<host>` instead of
    `HTTP/<host>` ("In a Ticket Granting Server (TGS) request, the SPN is `WSMAN/mem1.contoso.com`
    instead of `HTTP/mem1.contoso.com`"). The WinRM service registers these SPNs on its computer
    account when it can (event 10154 when it cannot: "The WinRM service failed to create the
    following SPN"); where they are missing the KDC knows no such principal, and the connection
    fails with one of the causes WinRM lists: "The Service Principal Name (SPN) for the remote
    computer name and port does not exist."

    ## Example
    ```winrm-config
    Client
        NetworkDelayms = 5000
        URLPrefix = wsman
        AllowUnencrypted = false
        TrustedHosts
        spn_prefix = WSMAN
    ```
    ```dsregcmd
    +----------------------------------------------------------------------+
    | Device State                                                         |
    +----------------------------------------------------------------------+

                 AzureAdJoined : NO
              EnterpriseJoined : NO
                  DomainJoined : YES
                    DomainName : CORP
                   Device Name : WEB01.corp.contoso.com
    ```
    ```setspn
    C:\\Windows\\system32>setspn -L web01
    Registered ServicePrincipalNames for CN=WEB01,OU=Servers,DC=corp,DC=contoso,DC=com:
            TERMSRV/web01.corp.contoso.com
            TERMSRV/WEB01
            RestrictedKrbHost/WEB01
            HOST/WEB01
            RestrictedKrbHost/web01.corp.contoso.com
            HOST/web01.corp.contoso.com
    ```

    ## Fix
    Register both names on the computer account (run as a domain admin):
    ```console
    setspn -S WSMAN/web01 web01
    setspn -S WSMAN/web01.corp.contoso.com web01
    ```
    Or, if the clients should not use `WSMAN`, delete their `spn_prefix` value (WinRM then uses
    `HTTP`) or set it to `HOST`.
    ```diff
    --- host2/dump2.txt
    +++ host2/dump2.txt
    @@ -1,4 +1,6 @@
     C:\\Windows\\system32>setspn -L web01
     Registered ServicePrincipalNames for CN=WEB01,OU=Servers,DC=corp,DC=contoso,DC=com:
    +        WSMAN/web01.corp.contoso.com
    +        WSMAN/WEB01
             TERMSRV/web01.corp.contoso.com
             TERMSRV/WEB01
    ```
    """
    hosts = sorted(ctx.hosts, key=lambda h: h.name.lower())
    clients = [(h, p) for h in hosts if uses(p := spn_prefix(h), "WSMAN") and p is not None]
    if not clients:
        return
    spns = Directory.of(hosts)
    queries = [q for h in hosts for q in h.spn_queries]
    users = ", ".join(f"`{h.name}`" for h, _ in clients)
    for target in hosts:
        who = identity(target, spns)
        account = spns.account_of(who)
        # a complete listing of a computer account always shows its HOST/ SPNs; a `setspn -X`
        # group shows one SPN only, which says nothing about the others
        listed = any(r.spn.service_class == "host" for r in account)
        names = who.spn_names
        missing: list[tuple[str, Location]] = []
        for name in names:
            wanted = f"wsman/{name}"
            if any(r.spn.text.lower() == wanted for r in account):
                continue
            absent = _not_found(queries, wanted)
            if absent is not None:
                missing.append((name, absent))
            elif listed:
                missing.append((name, account[0].location))
        if not missing:
            continue
        lacking = " and ".join(f"`WSMAN/{n}`" for n, _ in missing)
        owner = f"computer account `{account[0].account}`" if account else "computer account"
        yield ctx.finding(
            target,
            missing[0][1],
            f"Clients use `spn_prefix` `WSMAN` ({users}) but `{who.shown}`'s {owner} lacks {lacking}: "
            f"Kerberos to WinRM on `{who.shown}` fails, \"The Service Principal Name (SPN) for the remote "
            "computer name and port does not exist\"; expected "
            + " and ".join(f"`WSMAN/{n}`" for n in names)
            + " on it",
            path=spn_path(f"WSMAN/{who.short}"),
            key=who.short,
            fix="; ".join(f"`setspn -S WSMAN/{n} {who.short}`" for n, _ in missing)
            + " (or remove `spn_prefix` from the clients, or set it to `HOST`)",
            related=sorted(({loc for _, loc in missing} | {p.location for _, p in clients}) - {missing[0][1]}),
        )


def _not_found(queries: Sequence[SpnQuery], wanted: str) -> Location | None:
    for query in queries:
        if query.spn.lower() == wanted and not query.found:
            return query.location
    return None


def _join_and_prefix_known(host: Host) -> bool:
    """WRM404 judges a host whose join state is known, and for an Entra-only one its SPN prefix
    too: dsregcmd alone cannot tell whether the prefix is `HTTP`."""
    return host.join_state is not None and (host.join_state != "entra" or spn_prefix(host) is not None)


@rule(
    code="WRM404", name="entra-only-http-spn-prefix", level="warning", kind="breaks", needs=(JOIN,), docs=(ENTRA,),
    evaluable=_join_and_prefix_known,
)
def entra_only_http_spn_prefix(host: Host, ctx: Context) -> Iterator[Finding]:
    """An Entra-only joined machine's WinRM client uses the `HTTP` SPN prefix.

    ## What it finds
    `dsregcmd /status` shows `AzureAdJoined : YES` and `DomainJoined : NO` (Microsoft Entra
    joined only), and the client's `spn_prefix` is `HTTP` or unset: a registry export of
    `HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client` without it,
    `reg query … /v spn_prefix` answering that the value does not exist, or a complete `Client`
    section of `winrm get winrm/config` (text or `-format:xml`) that does not list it: `winrm get`
    prints `spn_prefix` under `Client` when it is set, so a whole section without it shows the
    `HTTP` default. A `Client` section cut short, or the `WSMan:` drive, does not tell. Without the
    join state, or on an Entra-only host without any of these, the host is reported as not
    evaluated.

    ## Why it matters
    "The WinRM default Service Principal Name (SPN) prefix HTTP prevents Azure AD authentication":
    a remote session between Entra-only joined machines fails with "WinRM cannot process the
    request. The following error with errorcode 0x8009030e occurred while using Negotiate
    authentication: A specified logon session does not exist. It may already have been
    terminated."

    ## Example
    ```dsregcmd
    +----------------------------------------------------------------------+
    | Device State                                                         |
    +----------------------------------------------------------------------+

                 AzureAdJoined : YES
              EnterpriseJoined : NO
                  DomainJoined : NO
                   Device Name : CLIENT01
    ```
    ```registry
    Windows Registry Editor Version 5.00

    [HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client]
    "trusted_hosts"="*.contoso.com"

    ```

    ## Fix
    On the client machine:
    ```console
    reg add "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client" /v spn_prefix /t REG_SZ /d "HOST" /f
    ```
    Entra-only joined machines are also workgroup machines to WinRM: they need TrustedHosts (or
    HTTPS) as well (WRM303).
    ```diff
    --- dump1.txt
    +++ dump1.txt
    @@ -3,3 +3,4 @@
     [HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client]
     "trusted_hosts"="*.contoso.com"
    +"spn_prefix"="HOST"
     
    ```
    """
    if host.join_state != "entra":
        return
    prefix = spn_prefix(host)
    if prefix is None or not uses(prefix, "HTTP"):
        return
    if prefix.setting is not None:
        found = f"Client `spn_prefix` is `{prefix.value}`"
    else:
        found = f"Client `spn_prefix` is {prefix.absence} (WinRM uses `HTTP`)"
    related = [loc] if (loc := join_location(host)) is not None else []
    yield ctx.finding(
        host,
        prefix.location,
        f"{found} on {join_shown(host)}: the `HTTP` SPN prefix prevents Microsoft Entra "
        "authentication, and remote sessions fail with 0x8009030e (\"A specified logon session does "
        "not exist\"); expected `HOST`",
        path=SPN_PREFIX,
        fix=set_prefix("HOST") + " on this client",
        related=related,
    )


def _prefix_known(host: Host) -> bool:
    """WRM405 judges the prefix an input shows, or shows absent; a `WSMan:` drive's Client table
    (which does not list `spn_prefix`) leaves it unknown."""
    return spn_prefix(host) is not None


@rule(code="WRM405", name="spn-prefix-invalid", level="error", kind="breaks", needs=("winrm/config/client",), docs=(SPN,),
      evaluable=_prefix_known)
def spn_prefix_invalid(host: Host, ctx: Context) -> Iterator[Finding]:
    """The client's `spn_prefix` is not `HTTP`, `HOST` or `WSMAN`.

    ## What it finds
    The `spn_prefix` value under `HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client`
    (from a `.reg` export, `reg query`, or `winrm get winrm/config`, which shows it under
    `Client`) holding anything but `HTTP`, `HOST` or `WSMAN` (in any case): a typo (`WSMAN/`,
    `HTTPS`), quotes written into the data by a script (`"HOST"`), spaces, an empty string, or a
    value that is not a string.

    ## Why it matters
    The client puts the prefix before `/<host>` to name the SPN it asks the KDC for. The
    documented prefixes are `HTTP` (the default), `WSMAN` (error-0x80090322 Option 3, with
    `WSMAN/` SPNs registered) and `HOST` (Entra-only joined machines, and every computer account
    holds `HOST/` SPNs). With any other value the client asks for an SPN that no account holds,
    and Kerberos authentication fails: "The Service Principal Name (SPN) for the remote computer
    name and port does not exist."

    ## Example
    ```registry
    Windows Registry Editor Version 5.00

    [HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client]
    "spn_prefix"="WSMAN/"

    ```

    ## Fix
    ```console
    reg add "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client" /v spn_prefix /t REG_SZ /d "WSMAN" /f
    ```
    or delete the value to go back to `HTTP`:
    `reg delete "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client" /v spn_prefix /f`.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -2,4 +2,4 @@
     
     [HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client]
    -"spn_prefix"="WSMAN/"
    +"spn_prefix"="WSMAN"
     
    ```
    """
    setting = host.get(SPN_PREFIX)
    if setting is None or setting.is_default:
        return
    value = setting.value
    if setting.valid and isinstance(value, str) and value.upper() in SPN_PREFIXES:
        return
    shown_value = value if isinstance(value, str) else str(value)
    meant = _meant_prefix(shown_value) if setting.valid and isinstance(value, str) else None
    if meant is not None:
        expected = f"`{meant}`"
        fix = set_prefix(meant)
    else:
        expected = "`HTTP`, `HOST` or `WSMAN`"
        fix = (
            f"{set_prefix('WSMAN')} (with `WSMAN/` SPNs registered), or `HOST`; or delete the value to use "
            f"`HTTP`: `reg delete \"{SPN_PREFIX_KEY}\" "
            "/v spn_prefix /f`"
        )
    if shown_value == "":
        found = "is empty, a value no document gives a meaning to"
    else:
        kind = "" if setting.valid else " (not a string)"
        found = f"is `{shown_value}`{kind}: the client asks Kerberos for `{shown_value}/<host>`, an SPN no account holds"
    yield ctx.finding(host, setting, f"Client `spn_prefix` {found}; expected {expected}", fix=fix)


def _meant_prefix(value: str) -> str | None:
    """The prefix a malformed value stands for (`"HOST"`, ` wsman/` → `HOST`, `WSMAN`), if one."""
    cleaned = value.strip().strip("\"'").strip().rstrip("/").strip().upper()
    return cleaned if cleaned in SPN_PREFIXES else None
