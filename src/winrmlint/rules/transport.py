"""WRM1xx: how messages cross the network — encryption and compatibility listeners."""

from __future__ import annotations

from collections.abc import Iterator

from winrmlint.findings import Finding
from winrmlint.model import catalog, paths
from winrmlint.model.host import Host, Setting
from winrmlint.rules.base import AUTH, INSTALL, Context, enumerate_words, flag_is, is_empty, remedy, rule, shown

CLIENT_UNENCRYPTED = "winrm/config/client/AllowUnencrypted"
SERVICE_UNENCRYPTED = "winrm/config/service/AllowUnencrypted"
SERVICE_BASIC = "winrm/config/service/auth/Basic"
SERVICE_COMPAT_HTTP = "winrm/config/service/EnableCompatibilityHttpListener"
SERVICE_COMPAT_HTTPS = "winrm/config/service/EnableCompatibilityHttpsListener"
# The service flag behind each compatibility listener, and the port it adds (reference §1.3, §7).
COMPATIBILITY_FLAGS = {"HTTP": (SERVICE_COMPAT_HTTP, 80), "HTTPS": (SERVICE_COMPAT_HTTPS, 443)}
# "Allow remote server management through WinRM": 1 when Enabled, 0 when Disabled (reference §2.2)
AUTO_CONFIG_VALUE = paths.WINRM_SERVICE_POLICY_KEY + "\\AllowAutoConfig"
SERVICE_IPV4_FILTER = "winrm/config/service/IPv4Filter"
SERVICE_IPV6_FILTER = "winrm/config/service/IPv6Filter"


def policy_http_listener(host: Host) -> Setting | None:
    """The policy `AllowAutoConfig` = 1 when it stands for an HTTP listener no enumeration shows.

    The policy's help: "If you enable this policy setting, the WinRM service automatically
    listens on the network for requests on the HTTP transport over the default HTTP port", on
    the addresses its IPv4 and IPv6 filters allow (both blank: on none). WinRM does not keep
    that listener in its registry store, so a registry export shows only the policy; a listener
    enumeration, when collected, shows the listener itself (`Listener [Source="GPO"]`).
    """
    if host.listener_enumeration is not None:
        return None
    auto = host.get(AUTO_CONFIG_VALUE)
    if auto is None or not auto.valid or str(auto.value).strip() != "1":
        return None
    filters = [host.get(SERVICE_IPV4_FILTER), host.get(SERVICE_IPV6_FILTER)]
    if all(is_empty(f) for f in filters):
        return None
    return auto


@rule(
    code="WRM101", name="client-allow-unencrypted", level="error", kind="exposure", needs=("winrm/config/client",),
    docs=(AUTH,), security_severity=7.5, cwe=("CWE-319",),
    baselines=("STIG WN10-CC-000335", "WN11-CC-000335", "WN16-CC-000510", "WN19-CC-000480",
               "WN22-CC-000480", "CIS 18.10.88.1.2"),
)
def client_allow_unencrypted(host: Host, ctx: Context) -> Iterator[Finding]:
    """The WinRM client allows unencrypted traffic.

    ## What it finds
    Client `AllowUnencrypted` is `true`, in `winrm get winrm/config`, the WinRM registry store, or
    the Group Policy value `AllowUnencryptedTraffic` under
    `HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client`.

    ## Why it matters
    With HTTP transport the client will send and accept messages that are not encrypted: anyone
    on the path reads the commands, their output and, with Basic authentication, the password.
    The DISA STIG requires "Allow unencrypted traffic" to be Disabled for the WinRM client.

    ## Example
    ```winrm-config
    Client
        NetworkDelayms = 5000
        URLPrefix = wsman
        AllowUnencrypted = true
    ```

    ## Fix
    ```console
    winrm set winrm/config/client @{AllowUnencrypted="false"}
    ```
    If Group Policy sets it: Computer Configuration > Administrative Templates > Windows
    Components > Windows Remote Management (WinRM) > WinRM Client > Allow unencrypted traffic:
    Disabled. Use HTTPS where the transport must be encrypted end to end.
    ```winrm-config
    Client
        NetworkDelayms = 5000
        URLPrefix = wsman
        AllowUnencrypted = false
    ```
    """
    yield from flag_is(host, ctx, CLIENT_UNENCRYPTED, True, "Client")


@rule(
    code="WRM102", name="service-allow-unencrypted", level="error", kind="exposure", needs=("winrm/config/service",),
    docs=(AUTH,), security_severity=7.5, cwe=("CWE-319",),
    baselines=("STIG WN10-CC-000350", "WN11-CC-000350", "WN16-CC-000540", "WN19-CC-000510",
               "WN22-CC-000510", "CIS 18.10.88.2.3"),
)
def service_allow_unencrypted(host: Host, ctx: Context) -> Iterator[Finding]:
    """The WinRM service accepts unencrypted traffic.

    ## What it finds
    Service `AllowUnencrypted` is `true`, in `winrm get winrm/config`, the WinRM registry store, or
    the Group Policy value `AllowUnencryptedTraffic` under
    `HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service`.

    ## Why it matters
    The service answers requests that are not encrypted over HTTP: commands, output and any
    Basic credentials cross the network in clear text. The DISA STIG requires "Allow
    unencrypted traffic" to be Disabled for the WinRM service.

    ## Example
    ```winrm-config
    Service
        MaxConnections = 300
        AllowUnencrypted = true
    ```

    ## Fix
    ```console
    winrm set winrm/config/service @{AllowUnencrypted="false"}
    ```
    If Group Policy sets it: Computer Configuration > Administrative Templates > Windows
    Components > Windows Remote Management (WinRM) > WinRM Service > Allow unencrypted traffic:
    Disabled.
    ```winrm-config
    Service
        MaxConnections = 300
        AllowUnencrypted = false
    ```
    """
    yield from flag_is(host, ctx, SERVICE_UNENCRYPTED, True, "Service")


@rule(
    code="WRM103", name="basic-over-http", level="error", kind="exposure", needs=(catalog.LISTENERS, AUTO_CONFIG_VALUE),
    docs=(AUTH,), security_severity=9.1, cwe=("CWE-523",),
)
def basic_over_http(host: Host, ctx: Context) -> Iterator[Finding]:
    """The WinRM service accepts Basic authentication over unencrypted HTTP.

    ## What it finds
    Service `Auth/Basic` and service `AllowUnencrypted` are both `true` (set locally, in the
    WinRM registry store or by Group Policy) and an HTTP listener is enabled, the compatibility
    listener on port 80 included. The listeners come from `winrm enumerate
    winrm/config/listener` or WinRM's registry store (`WSMAN\\Listener\\*+HTTP`); from a Group
    Policy export alone, "Allow remote server management through WinRM" Enabled
    (`AllowAutoConfig` = 1, with an IPv4 or IPv6 filter that is not blank) stands for the HTTP
    listener on port 5985 that the policy creates. Without any of these it stays silent.

    ## Why it matters
    Basic authentication sends the user name and password in every request, only base64-encoded.
    WinRM refuses it over HTTP as long as unencrypted traffic is off (the client then reports "The
    WinRM client cannot process the request. The authentication mechanism requested by the client
    is not supported by the server or unencrypted traffic is disabled in the service
    configuration"). With `AllowUnencrypted = true` the service takes it, and anyone on the path
    reads the password of an account that can run commands on the host, then the commands and
    their output. Bootstrap scripts for Packer, Vagrant or Ansible often leave this state behind.

    ## Example
    ```winrm-config
    Service
        AllowUnencrypted = true
        Auth
            Basic = true
            Kerberos = true
    ```
    ```winrm-listener
    Listener
        Address = *
        Transport = HTTP
        Port = 5985
        Hostname
        Enabled = true
        URLPrefix = wsman
        CertificateThumbprint
        ListeningOn = 10.0.0.5, 127.0.0.1, ::1
    ```

    ## Fix
    Turn off unencrypted traffic (Basic then works only over HTTPS) and, unless a non-Windows
    client needs it, Basic authentication:
    ```console
    winrm set winrm/config/service @{AllowUnencrypted="false"}
    winrm set winrm/config/service/auth @{Basic="false"}
    ```
    If Group Policy sets them: Computer Configuration > Administrative Templates > Windows
    Components > Windows Remote Management (WinRM) > WinRM Service > Allow unencrypted traffic:
    Disabled, and Allow Basic authentication: Disabled. A client that must use Basic gets an
    HTTPS listener (`winrm quickconfig -transport:https`).
    ```winrm-config
    Service
        AllowUnencrypted = false
        Auth
            Basic = false
            Kerberos = true
    ```
    ```winrm-listener
    Listener
        Address = *
        Transport = HTTP
        Port = 5985
        Hostname
        Enabled = true
        URLPrefix = wsman
        CertificateThumbprint
        ListeningOn = 10.0.0.5, 127.0.0.1, ::1
    ```
    """
    basic, unencrypted = host.get(SERVICE_BASIC), host.get(SERVICE_UNENCRYPTED)
    if basic is None or unencrypted is None or basic.value is not True or unencrypted.value is not True:
        return
    http = (
        [lst for lst in host.listeners() if lst.transport == "HTTP" and lst.enabled]
        if host.listeners_collected
        else []
    )
    by_policy = policy_http_listener(host)
    if by_policy is not None and any(lst.key.upper() == "*+HTTP" for lst in http):
        by_policy = None  # the store already shows a listener on every address
    if not http and by_policy is None:
        return
    labels = [lst.with_port() for lst in http]
    if by_policy is not None:
        labels.append('`*+HTTP` (port `5985`, created by Group Policy "Allow remote server management through WinRM")')
    which = enumerate_words(labels)
    noun = "HTTP listener" if len(labels) == 1 else "HTTP listeners"
    verb = "is" if len(labels) == 1 else "are"
    yield ctx.finding(
        host,
        basic,
        f"Service Auth `Basic` is {shown(basic)} and `AllowUnencrypted` is {shown(unencrypted)} "
        f"while {noun} {which} {verb} enabled: Basic passwords cross the network in clear text; "
        "expected `AllowUnencrypted` `false` (and `Basic` `false` unless a client needs it)",
        fix=f"{remedy(unencrypted, False)}; {remedy(basic, False)}",
        related=[
            unencrypted.location,
            *(lst.anchor.location for lst in http),
            *([by_policy.location] if by_policy is not None else []),
        ],
    )


@rule(
    code="WRM104", name="compatibility-listener", level="note", kind="exposure",
    needs=("winrm/config/service", catalog.LISTENERS), docs=(INSTALL,), security_severity=3.1,
)
def compatibility_listener(host: Host, ctx: Context) -> Iterator[Finding]:
    """A compatibility listener is enabled: WinRM also listens on port 80 or 443.

    ## What it finds
    Service `EnableCompatibilityHttpListener` or `EnableCompatibilityHttpsListener` is `true`
    (set locally, in the WinRM registry store, or by the policies "Turn On Compatibility HTTP
    Listener" and "Turn On Compatibility HTTPS Listener"), or `winrm enumerate
    winrm/config/listener` shows an enabled `Listener [Source="Compatibility"]`. When the config
    dump shows the flag, the finding is on the flag and the listener is a related location; a
    compatibility listener is reported on its own only when no config dump explains it.

    ## Why it matters
    Compatibility listeners exist for WinRM 1.1-era clients that used the old ports: "If this
    setting is True, then the listener will listen on port 80 in addition to port 5985" (and on
    443 in addition to 5986 for HTTPS). Every supported Windows client uses 5985 and 5986, so the
    extra listener only widens the attack surface: WinRM answers on ports that firewalls and
    load balancers open for web servers, and shares them with IIS through HTTP.sys. Microsoft's
    WinRM-Diag script warns when either compatibility policy is on.

    ## Example
    ```winrm-config
    Service
        IPv4Filter = *
        IPv6Filter = *
        EnableCompatibilityHttpListener = true
        EnableCompatibilityHttpsListener = false
    ```

    ## Fix
    ```console
    winrm set winrm/config/service @{EnableCompatibilityHttpListener="false"}
    winrm set winrm/config/service @{EnableCompatibilityHttpsListener="false"}
    ```
    If Group Policy sets them: Computer Configuration > Administrative Templates > Windows
    Components > Windows Remote Management (WinRM) > WinRM Service > Turn On Compatibility HTTP
    Listener (and Turn On Compatibility HTTPS Listener): Disabled. Clients keep using 5985/5986.
    ```winrm-config
    Service
        IPv4Filter = *
        IPv6Filter = *
        EnableCompatibilityHttpListener = false
        EnableCompatibilityHttpsListener = false
    ```
    """
    shown_listeners = [lst for lst in host.listeners() if lst.compatibility and lst.enabled]
    for transport, (path, port) in COMPATIBILITY_FLAGS.items():
        flag = host.get(path)
        mirrors = [lst for lst in shown_listeners if lst.transport == transport]
        if flag is not None and flag.value is True:
            yield ctx.finding(
                host,
                flag,
                f"Service `{flag.name}` is {shown(flag)}: WinRM also listens for {transport} on port "
                f"`{port}`; expected `false`",
                fix=remedy(flag, False),
                related=[lst.anchor.location for lst in mirrors],
            )
            continue
        for lst in mirrors:
            yield ctx.finding(
                host,
                lst.anchor,
                f"Compatibility {transport} listener {lst.with_port()} is enabled; expected "
                f"`{path.rsplit('/', 1)[1]}` `false` (no listener on port `{port}`)",
                path=lst.path,
                key=lst.key,
                fix=_compatibility_fix(path),
            )


def _compatibility_fix(path: str) -> str:
    """Turning the flag off removes the listener; the listener alone does not say who set it."""
    known = catalog.BY_PATH[path]
    local = f"`{catalog.winrm_set_command(path, False)}`"
    policy = known.policy
    if policy is None:
        return local
    return f'{local}, or if Group Policy turns it on: set "{policy.gpo_path}" to Disabled, then `gpupdate /force`'
