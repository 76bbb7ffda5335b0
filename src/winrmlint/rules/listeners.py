"""WRM5xx: whether the WinRM service listens and accepts remote requests: listeners, IP filters."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator

from winrmlint.findings import Finding, Level
from winrmlint.model import catalog, paths
from winrmlint.model.host import Host, Setting
from winrmlint.model.platform import Role
from winrmlint.model.values import Source
from winrmlint.rules import benchmarks
from winrmlint.rules.base import (
    INSTALL,
    REGISTRY_FORMATS,
    TROUBLE,
    Context,
    flag_is,
    is_empty,
    literal,
    remedy,
    rule,
    shown,
)
from winrmlint.rules.transport import AUTO_CONFIG_VALUE, SERVICE_IPV4_FILTER, SERVICE_IPV6_FILTER

ALLOW_REMOTE_ACCESS = f"{catalog.ROOT}/service/AllowRemoteAccess"
ALLOW_REMOTE_SHELL = f"{catalog.ROOT}/winrs/AllowRemoteShellAccess"
CLIENT_PORTS = f"{catalog.ROOT}/client/DefaultPorts"
SERVICE_THUMBPRINT = f"{catalog.ROOT}/service/CertificateThumbprint"
STANDARD_PORTS = {"HTTP": 5985, "HTTPS": 5986}
AUTO_CONFIG = f"{catalog.GPO_WINRM} > WinRM Service > Allow remote server management through WinRM"


def filters_fix(filters: list[Setting], gpo: bool) -> str:
    """Set both service IP filters to `*`, with the tool their source calls for."""
    if gpo or any(s.source is Source.GPO for s in filters):
        return (
            f'Group Policy: set "{AUTO_CONFIG}" to Enabled with IPv4 filter `*` and IPv6 filter `*` '
            "(or the address ranges to listen on), then `gpupdate /force`"
        )
    return '`winrm set winrm/config/service @{IPv4Filter="*";IPv6Filter="*"}`'


@rule(
    code="WRM501", name="no-enabled-listener", level="error", kind="breaks", needs=(catalog.LISTENERS,),
    docs=(TROUBLE, INSTALL),
)
def no_enabled_listener(host: Host, ctx: Context) -> Iterator[Finding]:
    """No WinRM listener is enabled: the host accepts no remote connection.

    ## What it finds
    A listener enumeration (`winrm enumerate winrm/config/listener`, or
    `Get-WSManInstance winrm/config/listener -Enumerate`) that lists no listener at all, or only
    listeners with `Enabled = false`. A `WSManFault` printed instead of listeners means the
    service did not answer, not that no listener exists: the rule stays silent then, as it does
    when no enumeration was collected. A client is silent too: a manifest `role` of `client`, or
    no listener with the WinRM service Manual or Disabled (`Get-Service`, `sc qc`, the `Start`
    registry value), is how Windows clients ship, and CIS level 2 even asks for the service
    disabled.

    ## Why it matters
    Without an enabled listener nothing answers on 5985/5986. Clients get "The connection to the
    remote host was refused. Verify that the WS-Management service is running on the remote host
    and configured to listen for requests on the correct port and HTTP URL."

    ## Example
    ```winrm-listeners
    Listener
        Address = *
        Transport = HTTP
        Port = 5985
        Hostname
        Enabled = false
        URLPrefix = wsman
        CertificateThumbprint
        ListeningOn = 127.0.0.1, 192.168.10.21, ::1, fe80::5efe:192.168.10.21%4
    ```

    ## Fix
    cmd:
    ```cmd
    winrm set winrm/config/listener?Address=*+Transport=HTTP @{Enabled="true"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config/listener?Address=*+Transport=HTTP '@{Enabled="true"}'
    ```
    Where no listener exists, `Enable-PSRemoting -Force` (or `winrm quickconfig`) creates the
    HTTP listener on port 5985, starts the service and opens the firewall. For many hosts,
    enable the Group Policy setting Computer Configuration > Administrative Templates > Windows
    Components > Windows Remote Management (WinRM) > WinRM Service > Allow remote server
    management through WinRM, with the IPv4 and IPv6 filters set to `*`.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -4,5 +4,5 @@
         Port = 5985
         Hostname
    -    Enabled = false
    +    Enabled = true
         URLPrefix = wsman
         CertificateThumbprint
    ```
    """
    listed = host.listener_enumeration
    if listed is None or host.get(paths.WSMAN_FAULT_MESSAGE) or host.get(paths.WSMAN_FAULT_CODE):
        return
    # a client (a manifest's `role`, or no listener with a service that does not start by itself,
    # as Windows clients ship) accepts no connection by design
    if host.role is Role.CLIENT:
        return
    found = host.listeners()
    if any(listener.enabled for listener in found):
        return
    if not found:
        yield ctx.finding(
            host,
            listed,
            "The listener enumeration lists no listener; expected at least one enabled listener",
            path=catalog.LISTENERS,
            fix="`Enable-PSRemoting -Force` (or `winrm quickconfig`) creates the `*+HTTP` listener on "
            f'port 5985; for many hosts, Group Policy: set "{AUTO_CONFIG}" to Enabled with IPv4 and '
            "IPv6 filters `*`",
        )
        return
    switches = [listener.prop("Enabled") for listener in found]
    names = ", ".join(listener.label for listener in found)
    verb = "has" if len(found) == 1 else "have"
    first = found[0]
    setting = first.prop("Enabled") or first.anchor
    # an HTTPS listener without a certificate cannot be enabled (0x803380E7): not advised
    usable = [(lst, s) for lst, s in zip(found, switches)
              if lst.transport != "HTTPS" or not is_empty(lst.prop("CertificateThumbprint"))]
    fix = "; ".join(
        remedy(s, True) if s is not None and s.source is Source.GPO
        else f'`winrm set {listener.selector} @{{Enabled="true"}}`'
        for listener, s in usable
    ) or "`Enable-PSRemoting -Force` (or `winrm quickconfig`) creates the `*+HTTP` listener on port 5985"
    yield ctx.finding(
        host,
        setting,
        f"No listener is enabled: {names} {verb} `Enabled` = `false`; expected at least one "
        "enabled listener",
        path=catalog.LISTENERS,
        fix=fix,
        related=[s.location for s in switches[1:] if s is not None],
    )


@rule(
    code="WRM502", name="listener-listening-nowhere", level="error", kind="breaks", needs=(catalog.LISTENERS,),
    docs=(TROUBLE,),
)
def listener_listening_nowhere(host: Host, ctx: Context) -> Iterator[Finding]:
    """An enabled listener listens on no address.

    ## What it finds
    An enabled listener whose `ListeningOn` is empty (`ListeningOn = null` in
    `winrm enumerate winrm/config/listener`, `ListeningOn : {}` in
    `Get-WSManInstance winrm/config/listener -Enumerate`). Typically a `Listener
    [Source="GPO"]` created by the policy "Allow remote server management through WinRM" whose
    IPv4 and IPv6 filters match nothing (left blank); also a listener bound to `IP:<address>`
    that no network adapter has. A list cut short by the console (`{a, b, c, d...}`) is not
    empty.

    ## Why it matters
    about_Remote_Troubleshooting: "A configuration error in the policy results in an empty value
    for the **ListeningOn** property", and clients get "The client cannot connect to the
    destination specified in the request. Verify that the service on the destination is running
    and is accepting requests." (0x80338012).

    ## Example
    ```winrm-listeners
    Listener [Source="GPO"]
        Address = *
        Transport = HTTP
        Port = 5985
        Hostname
        Enabled = true
        URLPrefix = wsman
        CertificateThumbprint
        ListeningOn = null
    ```

    ## Fix
    In the GPO that applies it: Computer Configuration > Administrative Templates > Windows
    Components > Windows Remote Management (WinRM) > WinRM Service > Allow remote server
    management through WinRM: Enabled, IPv4 filter `*`, IPv6 filter `*` (or the address ranges
    the host has), then `gpupdate /force`. For a local listener with local filters, set both
    filters back to `*` with the `winrm set winrm/config/service` command of WRM503 (ip-filters-empty),
    whose fix it is (the finding gives it in the form for cmd and for PowerShell).
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -7,3 +7,3 @@
         URLPrefix = wsman
         CertificateThumbprint
    -    ListeningOn = null
    +    ListeningOn = 10.1.4.22, 127.0.0.1, ::1
    ```
    """
    filters = [s for s in (host.get(SERVICE_IPV4_FILTER), host.get(SERVICE_IPV6_FILTER)) if s is not None]
    blank = [s for s in filters if is_empty(s)]
    for listener in host.listeners():
        where = listener.prop("ListeningOn")
        if not listener.enabled or where is None or where.value != ():
            continue
        if any(r.truncated for r in where.readings):
            continue
        if listener.source is Source.GPO or blank:
            fix = filters_fix(blank or filters, listener.source is Source.GPO)
        elif listener.address.upper().startswith("IP:"):
            fix = (
                f"no network adapter has `{listener.address[3:]}`: "
                f"`winrm delete {listener.selector}`, then "
                f"`winrm create winrm/config/listener?Address=*+Transport={listener.transport}`"
            )
        else:
            fix = filters_fix(filters, False)
        yield ctx.finding(
            host,
            where,
            f"Listener {listener.label} is enabled but `ListeningOn` is `{literal(where.value)}`; "
            "expected at least one address",
            fix=fix,
            key=listener.key,
            related=[s.location for s in blank],
        )


@rule(
    code="WRM503", name="ip-filters-empty", level="error", kind="breaks", needs=(f"{catalog.ROOT}/service",),
    docs=(TROUBLE, INSTALL),
    variants=(("note", "when only one of `IPv4Filter` and `IPv6Filter` is empty: WinRM still listens on the other family"),),
)
def ip_filters_empty(host: Host, ctx: Context) -> Iterator[Finding]:
    """The service's IP filters are empty: WinRM listens on no address (or on one family only).

    ## What it finds
    Service `IPv4Filter` and `IPv6Filter` both empty, in `winrm get winrm/config` (a bare
    `IPv4Filter [Source="GPO"]` line is an empty value set by Group Policy) or in the policy
    values `IPv4Filter`/`IPv6Filter` under
    `HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service`. When only one is empty the
    service still listens on the other family: that finding is reported at `note` level, as it
    may be deliberate (an IPv4-only host).

    ## Why it matters
    WinRM's own validation text (0x803380EC) says it: "If filter is blank, the service doesn't
    listen on any address. For example, if service should be restricted to listen on only IPv4
    addresses, IPv6 filter should be left empty." With both blank every listener's
    `ListeningOn` is empty and clients get "The client cannot connect to the destination
    specified in the request. Verify that the service on the destination is running and is
    accepting requests." (0x80338012). Group Policy's "Allow remote server management through
    WinRM" enabled with the filter boxes left empty is the usual cause.

    ## Example
    ```winrm-config
    Service
        IPv4Filter [Source="GPO"]
        IPv6Filter [Source="GPO"]
        EnableCompatibilityHttpListener = false
        EnableCompatibilityHttpsListener = false
    ```

    ## Fix
    Computer Configuration > Administrative Templates > Windows Components > Windows Remote
    Management (WinRM) > WinRM Service > Allow remote server management through WinRM: Enabled,
    IPv4 filter `*`, IPv6 filter `*` (or the ranges to listen on, `10.0.0.1-10.0.255.254`),
    then `gpupdate /force`. Set locally:
    cmd:
    ```cmd
    winrm set winrm/config/service @{IPv4Filter="*";IPv6Filter="*"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config/service '@{IPv4Filter="*";IPv6Filter="*"}'
    ```
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -1,5 +1,5 @@
     Service
    -    IPv4Filter [Source="GPO"]
    -    IPv6Filter [Source="GPO"]
    +    IPv4Filter = * [Source="GPO"]
    +    IPv6Filter = * [Source="GPO"]
         EnableCompatibilityHttpListener = false
         EnableCompatibilityHttpsListener = false
    ```
    """
    v4, v6 = host.get(SERVICE_IPV4_FILTER), host.get(SERVICE_IPV6_FILTER)
    if is_empty(v4) and is_empty(v6):
        assert v4 is not None and v6 is not None
        origin = " (set by Group Policy)" if Source.GPO in (v4.source, v6.source) else ""
        yield ctx.finding(
            host,
            v4,
            f"Service `IPv4Filter` and `IPv6Filter` are both empty{origin}: WinRM listens on no "
            "address; expected `*` or the address ranges to listen on",
            fix=filters_fix([v4, v6], False),
            related=[v6.location],
        )
        return
    for empty, other, family in ((v4, v6, "IPv4"), (v6, v4, "IPv6")):
        if not is_empty(empty) or other is None:
            continue
        assert empty is not None
        origin = " (set by Group Policy)" if empty.source is Source.GPO else ""
        # the catalog: both empty is an error, one empty only a note (the host still listens)
        yield ctx.finding(
            host,
            empty,
            f"Service `{empty.name}` is empty{origin}: WinRM does not listen on {family}, only on "
            f"{'IPv6' if family == 'IPv4' else 'IPv4'} (`{other.name}` is `{literal(other.value)}`); "
            f"expected `*`, unless {family} is left out on purpose",
            fix=(
                f'Group Policy: set "{AUTO_CONFIG}" to Enabled with {family} filter `*`, then '
                "`gpupdate /force`"
                if empty.source is Source.GPO
                else remedy(empty, "*")
            ),
            related=[other.location],
            level=Level.NOTE,
        )


def _thumbprints_shown(host: Host) -> bool:
    """WRM504 judges the listeners, or without them a service `CertificateThumbprint` that is set
    (a `winrm get winrm/config` alone shows no listener: an empty service thumbprint judges nothing)."""
    service = host.get(SERVICE_THUMBPRINT)
    return host.knows(catalog.LISTENERS) or (service is not None and not is_empty(service))


@rule(
    code="WRM504", name="https-listener-incomplete", level="error", kind="breaks",
    needs=(catalog.LISTENERS, SERVICE_THUMBPRINT), evaluable=_thumbprints_shown, docs=(INSTALL,),
)
def https_listener_incomplete(host: Host, ctx: Context) -> Iterator[Finding]:
    """A listener's certificate settings do not fit its transport.

    ## What it finds
    In a listener enumeration: an HTTPS listener with an empty `CertificateThumbprint`, or one
    that is not 40 hexadecimal digits (spaces, a wrong length, the invisible mark that copying
    from the certificate dialog adds), or an HTTP listener that carries a
    `CertificateThumbprint`; also a service `CertificateThumbprint` that is not 40 hex digits.
    An empty `Hostname` is valid: Microsoft creates HTTPS listeners with `New-Item -Path
    WSMan:\\localhost\\Listener -Transport HTTPS -Address * -CertificateThumbPrint …` and no
    Hostname. 0x803380E9 is a Hostname that does not match the certificate, which only the
    certificate can decide.

    ## Why it matters
    WinRM refuses to create such listeners: "The CertificateThumbprint property must not be ""
    (blank or empty string) or NULL." (0x803380E7) for HTTPS, and "When HTTP is the transport,
    the Certificate thumbprint must be blank." (0x803380EB) for HTTP; a thumbprint that is not
    the certificate's 40 hex digits names no certificate in `LocalMachine\\My`. A listener left in such a state, by a script editing the registry or
    a half-finished change, gives clients "The SSL connection cannot be established. Verify
    that the service on the remote host is properly configured to listen for HTTPS requests."
    (0x803381BA).

    ## Example
    ```winrm-listeners
    Listener
        Address = *
        Transport = HTTPS
        Port = 5986
        Hostname
        Enabled = true
        URLPrefix = wsman
        CertificateThumbprint
        ListeningOn = 10.20.0.15, 127.0.0.1, ::1
    ```

    ## Fix
    Recreate the HTTPS listener with a certificate from `Cert:\\LocalMachine\\My` whose CN (or
    SAN) is the host's name and whose EKU has Server Authentication:
    cmd:
    ```cmd
    winrm delete winrm/config/listener?Address=*+Transport=HTTPS
    winrm create winrm/config/listener?Address=*+Transport=HTTPS @{Hostname="web01.corp.contoso.com";CertificateThumbprint="3F2A9C0E6B1D47A58E0C2B7D9F416A3E5C8B0D21"}
    ```
    PowerShell:
    ```powershell
    winrm delete winrm/config/listener?Address=*+Transport=HTTPS
    winrm create winrm/config/listener?Address=*+Transport=HTTPS '@{Hostname="web01.corp.contoso.com";CertificateThumbprint="3F2A9C0E6B1D47A58E0C2B7D9F416A3E5C8B0D21"}'
    ```
    For an HTTP listener, clear the thumbprint:
    cmd: `winrm set winrm/config/listener?Address=*+Transport=HTTP @{CertificateThumbprint=""}` (PowerShell: `winrm set winrm/config/listener?Address=*+Transport=HTTP '@{CertificateThumbprint=""}'`).
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -3,7 +3,7 @@
         Transport = HTTPS
         Port = 5986
    -    Hostname
    +    Hostname = web01.corp.contoso.com
         Enabled = true
         URLPrefix = wsman
    -    CertificateThumbprint
    +    CertificateThumbprint = 3F2A9C0E6B1D47A58E0C2B7D9F416A3E5C8B0D21
         ListeningOn = 10.20.0.15, 127.0.0.1, ::1
    ```
    """
    for listener in host.listeners():
        thumbprint = listener.prop("CertificateThumbprint")
        if listener.transport == "HTTPS":
            if is_empty(thumbprint):
                assert thumbprint is not None
                yield ctx.finding(
                    host,
                    thumbprint,
                    f"HTTPS listener {listener.label} has no `CertificateThumbprint`; expected the "
                    "thumbprint of a Server Authentication certificate in `LocalMachine\\My` "
                    "(0x803380E7)",
                    fix=f"`winrm set {listener.selector} "
                    '@{CertificateThumbprint="<thumbprint>"}` with the certificate of '
                    "`Get-ChildItem Cert:\\LocalMachine\\My`",
                    key=listener.key,
                )
            elif thumbprint is not None and (flaw := thumbprint_flaw(thumbprint)) is not None:
                yield ctx.finding(
                    host,
                    thumbprint,
                    f"HTTPS listener {listener.label} has `CertificateThumbprint` = "
                    f"`{_visible(thumbprint.value)}`, which {flaw}; expected 40 hexadecimal digits: WinRM "
                    "cannot find that certificate in `LocalMachine\\My`",
                    fix=f"`winrm set {listener.selector} "
                    '@{CertificateThumbprint="<40 hex digits>"}` with the `Thumbprint` that '
                    "`Get-ChildItem Cert:\\LocalMachine\\My` prints (typed, not copied from the certificate dialog, "
                    "which adds an invisible mark)",
                    key=listener.key,
                )
        elif listener.transport == "HTTP" and thumbprint is not None and not is_empty(thumbprint):
            yield ctx.finding(
                host,
                thumbprint,
                f"HTTP listener {listener.label} has `CertificateThumbprint` = "
                f"`{literal(thumbprint.value)}`; expected it empty (0x803380EB)",
                fix=f'`winrm set {listener.selector} @{{CertificateThumbprint=""}}`, or create an '
                "HTTPS listener for the certificate",
                key=listener.key,
            )
    service = host.get(SERVICE_THUMBPRINT)
    if service is not None and not is_empty(service) and (flaw := thumbprint_flaw(service)) is not None:
        yield ctx.finding(
            host,
            service,
            f"Service `CertificateThumbprint` is `{_visible(service.value)}`, which {flaw}; expected 40 "
            "hexadecimal digits (or empty): WinRM cannot find that certificate for CredSSP",
            fix=remedy(service, "<40 hex digits of the certificate>"),
        )


_HEX40 = re.compile(r"[0-9A-Fa-f]{40}")


def thumbprint_flaw(setting: Setting) -> str | None:
    """Why a thumbprint is not one WinRM can look up (40 hex digits), if it is not."""
    text = setting.value if isinstance(setting.value, str) else ""
    if not text or _HEX40.fullmatch(text):
        return None
    if any(unicodedata.category(c) == "Cf" for c in text):
        return "carries an invisible character (as the certificate dialog's copy adds)"
    if any(c.isspace() for c in text):
        return "contains spaces"
    digits = [c for c in text if c in string.hexdigits]
    if len(digits) != len(text):
        return "contains characters that are not hexadecimal digits"
    return f"has {len(text)} digits"


def _visible(value: object) -> str:
    """A value with its invisible format characters shown as `\\u…` escapes."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) == "Cf" else c for c in str(value))


@rule(
    code="WRM505", name="listener-nondefault-port", level="note", kind="breaks", needs=(catalog.LISTENERS,),
    docs=(TROUBLE,),
)
def listener_nondefault_port(host: Host, ctx: Context) -> Iterator[Finding]:
    """A listener uses a port that clients do not try by default.

    ## What it finds
    An enabled listener whose `Port` differs from the client's `DefaultPorts` for its transport
    (read from the same bundle's `winrm get winrm/config`; where the client section was not
    collected, from 5985 for HTTP and 5986 for HTTPS). Compatibility listeners (ports 80 and
    443) are WRM104's concern and are not reported here.

    ## Why it matters
    A client connects to its `DefaultPorts` unless told otherwise: every `Enter-PSSession`,
    `Invoke-Command` or `winrm` call must pass `-Port` or `-ConnectionUri`, or it gets "The
    connection to the specified remote host was refused. Verify that the WS-Management service
    is running on the remote host and configured to listen for requests on the correct port and
    HTTP URL." It may be deliberate: then make sure the firewall and the clients agree.

    ## Example
    ```winrm-listeners
    Listener
        Address = *
        Transport = HTTP
        Port = 8080
        Hostname
        Enabled = true
        URLPrefix = wsman
        CertificateThumbprint
        ListeningOn = 10.20.0.15, 127.0.0.1, ::1
    ```

    ## Fix
    Move the listener back to the default port (and the firewall rule with it):
    cmd:
    ```cmd
    winrm set winrm/config/listener?Address=*+Transport=HTTP @{Port="5985"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config/listener?Address=*+Transport=HTTP '@{Port="5985"}'
    ```
    Or keep the port and tell the clients: `Invoke-Command -ComputerName web01 -Port 8080 …`.
    Where it is the client's `DefaultPorts` that moved while the listener is on 5985/5986, put
    it back: cmd: `winrm set winrm/config/client/DefaultPorts @{HTTP="5985"}` (PowerShell: `winrm set winrm/config/client/DefaultPorts '@{HTTP="5985"}'`).
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -2,5 +2,5 @@
         Address = *
         Transport = HTTP
    -    Port = 8080
    +    Port = 5985
         Hostname
         Enabled = true
    ```
    """
    for listener in host.listeners():
        port = listener.prop("Port")
        transport = listener.transport
        if (
            not listener.enabled
            or listener.source is Source.COMPATIBILITY
            or port is None
            or not isinstance(port.value, int)
            or isinstance(port.value, bool)
            or transport not in STANDARD_PORTS
        ):
            continue
        client = host.get(f"{CLIENT_PORTS}/{transport}")
        if client is not None and isinstance(client.value, int) and not isinstance(client.value, bool):
            expected, said = client.value, f"the client `DefaultPorts/{transport}` is {shown(client)}"
        else:
            expected = STANDARD_PORTS[transport]
            said = f"clients default to `{expected}`"
        if port.value == expected:
            continue
        if port.value == STANDARD_PORTS[transport] and client is not None:
            # the listener is where Windows puts it: it is the client that was moved
            fix = remedy(client, port.value)
        elif listener.source is Source.GPO:
            # MS-WSMV 2.2.4.35: a listener the service constructs takes the service DefaultPorts
            fix = (
                f"have clients pass `-Port {port.value}` or `-ConnectionUri`: a Group Policy listener "
                f"takes its port from the service `DefaultPorts/{transport}`"
            )
        else:
            fix = (
                f"`winrm set {listener.selector} @{{Port=\"{expected}\"}}`, or have clients pass "
                f"`-Port {port.value}`"
            )
        yield ctx.finding(
            host,
            port,
            f"Listener {listener.label} listens on port `{port.value}`; {said}: clients must pass "
            f"`-Port {port.value}` or `-ConnectionUri`",
            fix=fix,
            key=listener.key,
            related=[client.location] if client is not None and not client.is_default else [],
        )


@rule(
    code="WRM506", name="service-remote-access-disabled", level="error", kind="breaks",
    needs=(f"{catalog.ROOT}/service", AUTO_CONFIG_VALUE), docs=(INSTALL,),
    baselines=benchmarks.ALLOW_AUTO_CONFIG.listed,
)
def service_remote_access_disabled(host: Host, ctx: Context) -> Iterator[Finding]:
    """The WinRM service refuses every remote request.

    ## What it finds
    Service `AllowRemoteAccess` is `false` in `winrm get winrm/config` (older Windows versions do
    not print the line: it is then at its default, `true`), or `allow_remote_requests` is 0 in
    WinRM's registry store, or the Group Policy value `AllowAutoConfig` under
    `HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service` is 0 ("Allow remote server
    management through WinRM" Disabled) and no dump of the running service shows
    `AllowRemoteAccess = true`.

    CIS level 2 asks for that policy Disabled (18.10.88.2.2; 18.10.89.2.2 on Server 2012 R2):
    under `--profile cis-l2` the refusal is the design, and the rule reports the benchmark's
    check instead: `AllowAutoConfig` missing from an export of the policy key, or not 0, or the
    policy shown Enabled by `IPv4Filter`/`IPv6Filter` with `[Source="GPO"]`. A `winrm get`
    without policy marks does not tell Disabled from Not Configured, so it decides nothing.

    ## Why it matters
    The service answers local requests only, whatever listeners exist: remote clients get "The
    WS-Management service is configured to not allow remote requests." (0x803381DD). A value
    set by Group Policy follows the policy "Allow remote server management through WinRM",
    whose help says that when it is disabled "the WinRM service won't respond to requests from
    a remote computer, regardless of whether or not any WinRM listeners are configured".

    ## Example
    ```winrm-config
    Service
        CertificateThumbprint
        AllowRemoteAccess = false
    ```

    ## Fix
    cmd:
    ```cmd
    winrm set winrm/config/service @{AllowRemoteAccess="true"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config/service '@{AllowRemoteAccess="true"}'
    ```
    If Group Policy sets it: Computer Configuration > Administrative Templates > Windows
    Components > Windows Remote Management (WinRM) > WinRM Service > Allow remote server
    management through WinRM: Enabled (with the IPv4 and IPv6 filters), or Not Configured.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -1,3 +1,3 @@
     Service
         CertificateThumbprint
    -    AllowRemoteAccess = false
    +    AllowRemoteAccess = true
    ```
    """
    yield from benchmarks.judged(
        host, ctx, benchmarks.ALLOW_AUTO_CONFIG, _service_remote_access_disabled(host, ctx), opposite=True
    )


def _service_remote_access_disabled(host: Host, ctx: Context) -> Iterator[Finding]:
    setting = host.get(ALLOW_REMOTE_ACCESS)
    auto = host.get(AUTO_CONFIG_VALUE)
    # the policy Disabled writes 0 (reference §2.2); an older ADMX wrote nothing
    policy_off = auto is not None and auto.valid and str(auto.value).strip() == "0"
    if setting is None or setting.value is not False:
        if auto is None or not policy_off or _reported_true(setting):
            return
        yield ctx.finding(
            host,
            auto,
            'Group Policy "Allow remote server management through WinRM" is Disabled (`AllowAutoConfig` is '
            "`0`): the service refuses remote requests (0x803381DD), whatever listeners exist; expected "
            "Enabled with IPv4 and IPv6 filters, or Not Configured",
            fix=(
                f'Group Policy: set "{AUTO_CONFIG}" to Enabled (IPv4 and IPv6 filters `*`) or Not '
                "Configured in the GPO that applies it (`gpresult /h gp.html` names it), then `gpupdate /force`"
            ),
        )
        return
    if setting.source is Source.GPO:
        # no policy writes AllowRemoteAccess itself; AllowAutoConfig disabled is what turns it off
        fix = (
            f'Group Policy: set "{AUTO_CONFIG}" to Enabled (IPv4 and IPv6 filters `*`) or Not '
            "Configured in the GPO that applies it (`gpresult /h gp.html` names it), then `gpupdate /force`"
        )
    else:
        fix = remedy(setting, True)
    yield ctx.finding(
        host,
        setting,
        f"Service `AllowRemoteAccess` is {shown(setting)}: remote requests are refused "
        "(0x803381DD); expected `true`",
        fix=fix,
        related=[auto.location] if auto is not None and policy_off else [],
    )


def _reported_true(setting: Setting | None) -> bool:
    """Whether a dump of the running service (not a registry value) shows the setting `true`."""
    return setting is not None and any(
        r.value is True and r.origin not in REGISTRY_FORMATS for r in setting.readings
    )


@rule(
    code="WRM508", name="remote-shell-disabled", level="note", kind="breaks", needs=(f"{catalog.ROOT}/winrs",),
    docs=(INSTALL,), baselines=benchmarks.REMOTE_SHELL.listed,
)
def remote_shell_disabled(host: Host, ctx: Context) -> Iterator[Finding]:
    """Remote shells are refused: `winrs` and PowerShell remoting sessions cannot start.

    ## What it finds
    Winrs `AllowRemoteShellAccess` is `false`, in `winrm get winrm/config` or from the Group
    Policy setting "Allow Remote Shell Access" (`AllowRemoteShellAccess` under
    `HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service\\WinRS`).

    ## Why it matters
    New shells are rejected with "The WS-Management service cannot process the request. The
    service is configured to not accept any remote shell requests." (0x803381AC): `winrs`,
    `Enter-PSSession`, `Invoke-Command` and `New-PSSession` fail, while WMI over WinRM still
    works. CIS level 2 asks for this on purpose (18.10.89.1; 18.10.90.1 on Server 2012 R2):
    under `--profile cis-l2` the note gives way to the benchmark's check, which reports the
    policy "Allow Remote Shell Access" where it is missing or not Disabled (a local `false`, or
    the Windows default `true` without `[Source="GPO"]`, is a finding there). In the other
    profiles it explains why remoting fails on a host that otherwise looks healthy.

    ## Example
    ```winrm-config
    Winrs
        AllowRemoteShellAccess = false [Source="GPO"]
        IdleTimeout = 7200000
    ```

    ## Fix
    cmd:
    ```cmd
    winrm set winrm/config/winrs @{AllowRemoteShellAccess="true"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config/winrs '@{AllowRemoteShellAccess="true"}'
    ```
    If Group Policy sets it: Computer Configuration > Administrative Templates > Windows
    Components > Windows Remote Shell > Allow Remote Shell Access: Enabled (or Not Configured).
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -1,3 +1,3 @@
     Winrs
    -    AllowRemoteShellAccess = false [Source="GPO"]
    +    AllowRemoteShellAccess = true
         IdleTimeout = 7200000
    ```
    """
    own = flag_is(host, ctx, ALLOW_REMOTE_SHELL, False, "Winrs")
    yield from benchmarks.judged(host, ctx, benchmarks.REMOTE_SHELL, own, opposite=True)
