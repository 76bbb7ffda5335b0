"""WRM7xx: quotas and timeouts small enough to make remote operations fail."""

from __future__ import annotations

from collections.abc import Iterator

from winrmlint.findings import Finding
from winrmlint.model import catalog
from winrmlint.model.host import Host, Setting, cut_short
from winrmlint.model.values import Source
from winrmlint.rules.base import INSTALL, TROUBLE, Context, literal, remedy, rule, shown

ENVELOPE = f"{catalog.ROOT}/MaxEnvelopeSizekb"
ENVELOPE_MINIMUM = 500  # the modern default (reference §1.1)
ENVELOPE_SUPPORTED = 1039440  # "behaviour unsupported" above this (installation-and-configuration)

# Quotas a client can hit, with the modern defaults of the catalog. The deprecated, read-only
# ones (MaxConcurrentOperations, MaxProviderRequests, MaxShellRunTime) have no effect since
# WinRM 2.0 and are left out; MaxEnvelopeSizekb is WRM701's.
QUOTAS = (
    f"{catalog.ROOT}/service/MaxConcurrentOperationsPerUser",
    f"{catalog.ROOT}/service/MaxConnections",
    f"{catalog.ROOT}/winrs/MaxConcurrentUsers",
    f"{catalog.ROOT}/winrs/MaxProcessesPerShell",
    f"{catalog.ROOT}/winrs/MaxMemoryPerShellMB",
    f"{catalog.ROOT}/winrs/MaxShellsPerUser",
)
# 0 means "no limit" for these (reference §1.4)
UNLIMITED_AT_ZERO = {
    f"{catalog.ROOT}/winrs/MaxProcessesPerShell",
    f"{catalog.ROOT}/winrs/MaxMemoryPerShellMB",
    f"{catalog.ROOT}/winrs/MaxShellsPerUser",
}
TIMEOUTS = (
    f"{catalog.ROOT}/MaxTimeoutms",
    f"{catalog.ROOT}/service/EnumerationTimeoutms",
    f"{catalog.ROOT}/service/MaxPacketRetrievalTimeSeconds",
    f"{catalog.ROOT}/winrs/IdleTimeout",
)
_SECTION = {"service": "Service", "winrs": "Winrs", "client": "Client"}


def number(setting: Setting | None) -> int | None:
    """An integer value as read; None for a missing, unreadable or cut-short one."""
    if setting is None or isinstance(setting.value, bool) or not isinstance(setting.value, int):
        return None
    if cut_short(setting):
        return None
    return setting.value


def label(path: str) -> str:
    """`Winrs `MaxShellsPerUser`` as the dump's sections name it; the root is `Config`."""
    section = path[len(catalog.ROOT) + 1 :].split("/")[0] if path.count("/") > 2 else ""
    return f"{_SECTION.get(section.lower(), 'Config')} `{path.rsplit('/', 1)[1]}`"


def raise_to(setting: Setting, wanted: int) -> str:
    """The fix that raises a quota: policies set to Not Configured give back the local value."""
    known = catalog.BY_PATH.get(setting.path)
    if setting.source is Source.GPO and known is not None and known.policy is not None:
        return (
            f'Group Policy: set "{known.policy.gpo_path}" to Not Configured (or raise the value it '
            "sets), then `gpupdate /force`"
        )
    return remedy(setting, wanted)


def below_default(host: Host, ctx: Context, path: str) -> Iterator[Finding]:
    """One finding when a setting is below its modern Windows default, or the site's floor."""
    setting = host.get(path)
    value = number(setting)
    default = catalog.BY_PATH[path].default
    if setting is None or value is None or not isinstance(default, int):
        return
    name = path.rsplit("/", 1)[1]
    floor = ctx.options.floor(name, default)
    if value >= floor or (value == 0 and path in UNLIMITED_AT_ZERO):
        return
    why = "the site's floor (configuration)" if ctx.options.has_floor(name) else "the modern Windows default"
    yield ctx.finding(
        host,
        setting,
        f"{label(path)} is {shown(setting)}; expected at least `{floor}`, {why}",
        fix=raise_to(setting, floor),
    )


@rule(
    code="WRM701", name="envelope-size-too-small", level="warning", kind="breaks", needs=(ENVELOPE,),
    docs=(TROUBLE, INSTALL),
)
def envelope_size_too_small(host: Host, ctx: Context) -> Iterator[Finding]:
    """`MaxEnvelopeSizekb` is below 500 KB: larger requests are refused.

    ## What it finds
    `MaxEnvelopeSizekb` (under `Config` in `winrm get winrm/config`, `WSMan:\\localhost`) below
    500, the default of current Windows versions. Windows 7 and Server 2008 R2 (WinRM 2.0)
    shipped with 150.

    ## Why it matters
    A SOAP message over the limit is refused: "The WinRM client sent a request to the remote
    WS-Management service and was notified that the request size exceeded the configured
    MaxEnvelopeSize quota." (0x80338111). Copying files with `Copy-Item -ToSession`, DSC
    configurations, large scripts or arguments and WMI queries with many results hit it first.

    ## Example
    ```winrm-config
    Config
        MaxEnvelopeSizekb = 150
        MaxTimeoutms = 60000
        MaxBatchItems = 32000
        MaxProviderRequests = 4294967295
    ```

    ## Fix
    ```console
    winrm set winrm/config @{MaxEnvelopeSizekb="500"}
    ```
    (or `Set-Item WSMan:\\localhost\\MaxEnvelopeSizekb 500`; larger values such as 8192 are
    common where DSC is used).
    ```winrm-config
    Config
        MaxEnvelopeSizekb = 500
        MaxTimeoutms = 60000
        MaxBatchItems = 32000
        MaxProviderRequests = 4294967295
    ```
    """
    setting = host.get(ENVELOPE)
    value = number(setting)
    minimum = ctx.options.floor("MaxEnvelopeSizekb", ENVELOPE_MINIMUM)
    if setting is None or value is None or value >= minimum:
        return
    yield ctx.finding(
        host,
        setting,
        f"Config `MaxEnvelopeSizekb` is {shown(setting)}; expected at least `{minimum}`",
        fix=remedy(setting, minimum),
    )


@rule(
    code="WRM702", name="quota-below-default", level="warning", kind="breaks",
    needs=(f"{catalog.ROOT}/service", f"{catalog.ROOT}/winrs"), docs=(TROUBLE,),
)
def quota_below_default(host: Host, ctx: Context) -> Iterator[Finding]:
    """A service or Winrs quota is below the modern Windows default.

    ## What it finds
    One finding for each of these quotas that is below its default on Windows Server 2016+ and
    Windows 10/11: Service `MaxConcurrentOperationsPerUser` (1500) and `MaxConnections` (300);
    Winrs `MaxConcurrentUsers`, `MaxProcessesPerShell`, `MaxMemoryPerShellMB` and
    `MaxShellsPerUser` (2147483647; 0 means no limit for the last three). Windows 7 and Server
    2008 R2 shipped with 15 and 25 for the service quotas and 5/15/150/5 for Winrs, Server 2012
    R2 with 10/25/1024/30: a host upgraded in place, or configured by an old script or Group
    Policy, keeps them. Deprecated quotas (`MaxConcurrentOperations`, `MaxShellRunTime`) have no
    effect and are not checked.

    ## Why it matters
    Remote work fails once a quota is reached: "The WS-Management service cannot process the
    request. The maximum number of concurrent shells for this user has been exceeded."
    (0x803381A5, `MaxShellsPerUser`), "The maximum number of concurrent operations for this
    user has been exceeded." (0x803381A6, `MaxConcurrentOperationsPerUser`), "The maximum
    number of users executing shell operations has been exceeded." (0x803381AB,
    `MaxConcurrentUsers`); a shell that exceeds `MaxMemoryPerShellMB` or `MaxProcessesPerShell`
    is stopped. Configuration management, monitoring and parallel `Invoke-Command` reach the
    old values quickly.

    ## Example
    ```winrm-config
    Winrs
        AllowRemoteShellAccess = true
        IdleTimeout = 7200000
        MaxConcurrentUsers = 10
        MaxShellRunTime = 2147483647
        MaxProcessesPerShell = 25
        MaxMemoryPerShellMB = 1024
        MaxShellsPerUser = 30
    ```

    ## Fix
    ```console
    winrm set winrm/config/winrs @{MaxMemoryPerShellMB="2147483647"}
    winrm set winrm/config/service @{MaxConcurrentOperationsPerUser="1500"}
    ```
    A value set by Group Policy (Computer Configuration > Administrative Templates > Windows
    Components > Windows Remote Shell) goes back to the local value when the policy is Not
    Configured.
    ```winrm-config
    Winrs
        AllowRemoteShellAccess = true
        IdleTimeout = 7200000
        MaxConcurrentUsers = 2147483647
        MaxShellRunTime = 2147483647
        MaxProcessesPerShell = 2147483647
        MaxMemoryPerShellMB = 2147483647
        MaxShellsPerUser = 2147483647
    ```
    """
    for path in QUOTAS:
        yield from below_default(host, ctx, path)


@rule(
    code="WRM703", name="timeout-below-default", level="warning", kind="breaks",
    needs=(f"{catalog.ROOT}/MaxTimeoutms", f"{catalog.ROOT}/service", f"{catalog.ROOT}/winrs"),
    docs=(TROUBLE,),
)
def timeout_below_default(host: Host, ctx: Context) -> Iterator[Finding]:
    """A WinRM timeout is below its default: long operations are cut off.

    ## What it finds
    `MaxTimeoutms` (under `Config`, default 60000), Service `EnumerationTimeoutms` (240000;
    60000 on Windows 7 and Server 2008 R2) or `MaxPacketRetrievalTimeSeconds` (120), or Winrs
    `IdleTimeout` (7200000, two hours; 180000 on WinRM 2.0) below its modern default.

    ## Why it matters
    about_Remote_Troubleshooting: when timeouts are set on both ends "PowerShell uses the
    shortest timeout settings", and an operation that does not finish in time fails with "The
    WS-Management service cannot complete the operation within the time specified in
    OperationTimeout." (0x80338029). A short `IdleTimeout` closes idle remote shells and
    sessions early.

    ## Example
    ```winrm-config
    Service
        MaxConcurrentOperations = 4294967295
        MaxConcurrentOperationsPerUser = 1500
        EnumerationTimeoutms = 60000
        MaxConnections = 300
        MaxPacketRetrievalTimeSeconds = 120
    ```

    ## Fix
    ```console
    winrm set winrm/config/service @{EnumerationTimeoutms="240000"}
    winrm set winrm/config @{MaxTimeoutms="60000"}
    ```
    Where Group Policy sets `IdleTimeout`: Computer Configuration > Administrative Templates >
    Windows Components > Windows Remote Shell > Specify idle Timeout: Not Configured.
    ```winrm-config
    Service
        MaxConcurrentOperations = 4294967295
        MaxConcurrentOperationsPerUser = 1500
        EnumerationTimeoutms = 240000
        MaxConnections = 300
        MaxPacketRetrievalTimeSeconds = 120
    ```
    """
    for path in TIMEOUTS:
        yield from below_default(host, ctx, path)


@rule(
    code="WRM704", name="envelope-size-unsupported", level="warning", kind="breaks", needs=(ENVELOPE,),
    docs=(INSTALL,),
)
def envelope_size_unsupported(host: Host, ctx: Context) -> Iterator[Finding]:
    """`MaxEnvelopeSizekb` is above 1039440, where WinRM's behaviour is unsupported.

    ## What it finds
    `MaxEnvelopeSizekb` (under `Config` in `winrm get winrm/config`) above 1039440 KB. WinRM
    accepts any 32-bit value, up to 4294967295.

    ## Why it matters
    Installation and configuration for Windows Remote Management documents values above
    1039440 as unsupported. Such values usually come from a script that meant bytes or
    megabytes, or copied `4294967295` from another quota; what WinRM then does is not defined.

    ## Example
    ```winrm-config
    Config
        MaxEnvelopeSizekb = 4294967295
        MaxTimeoutms = 60000
        MaxBatchItems = 32000
        MaxProviderRequests = 4294967295
    ```

    ## Fix
    ```console
    winrm set winrm/config @{MaxEnvelopeSizekb="8192"}
    ```
    Any value from 500 to 1039440 is supported; 8192 is the value DSC guides use.
    ```winrm-config
    Config
        MaxEnvelopeSizekb = 8192
        MaxTimeoutms = 60000
        MaxBatchItems = 32000
        MaxProviderRequests = 4294967295
    ```
    """
    setting = host.get(ENVELOPE)
    value = number(setting)
    if setting is None or value is None or value <= ENVELOPE_SUPPORTED:
        return
    yield ctx.finding(
        host,
        setting,
        f"Config `MaxEnvelopeSizekb` is `{literal(setting.value)}`; expected at most "
        f"`{ENVELOPE_SUPPORTED}`, above which behaviour is unsupported",
        fix=remedy(setting, ENVELOPE_SUPPORTED),
    )
