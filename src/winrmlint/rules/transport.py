"""WRM1xx: how messages cross the network — encryption and compatibility listeners."""

from __future__ import annotations

from collections.abc import Iterator

from winrmlint.findings import Finding
from winrmlint.model.host import Host
from winrmlint.rules.base import AUTH, INSTALL, Context, remedy, rule, shown

CLIENT_UNENCRYPTED = "winrm/config/client/AllowUnencrypted"
SERVICE_UNENCRYPTED = "winrm/config/service/AllowUnencrypted"
SERVICE_BASIC = "winrm/config/service/auth/Basic"


def flag_is(host: Host, ctx: Context, path: str, bad: bool, label: str) -> Iterator[Finding]:
    """The shared shape of "setting X must not be `bad`" rules."""
    setting = host.get(path)
    if setting is not None and setting.value is bad:
        yield ctx.finding(
            host,
            setting,
            f"{label} `{setting.name}` is {shown(setting)}; expected `{str(not bad).lower()}`",
            fix=remedy(setting, not bad),
        )


@rule(
    code="WRM101", name="client-allow-unencrypted", level="error", needs=("winrm/config/client",),
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
    code="WRM102", name="service-allow-unencrypted", level="error", needs=("winrm/config/service",),
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
