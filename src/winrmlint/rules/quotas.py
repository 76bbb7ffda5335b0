"""WRM7xx: quotas and timeouts small enough to make remote operations fail."""

from __future__ import annotations

from collections.abc import Iterator

from winrmlint.findings import Finding
from winrmlint.model import catalog, platform
from winrmlint.model.platform import Stack
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
    """One finding when a setting is below the default of the host's own WinRM stack, or the
    site's floor; a value at an older stack's default on a newer host belongs to the one
    `legacy-defaults` finding."""
    setting = host.get(path)
    value = number(setting)
    stack = host.platform.stack
    default = platform.default(path, stack)
    if setting is None or value is None or not isinstance(default, int):
        return
    name = path.rsplit("/", 1)[1]
    floor = ctx.options.floor(name, default)
    if value >= floor or (value == 0 and path in UNLIMITED_AT_ZERO):
        return
    site = ctx.options.has_floor(name)
    if not site and host.platform.on_older_defaults and value == platform.default(path, host.platform.shape or stack):
        return
    why = "the site's floor (configuration)" if site else f"the default of {stack.shown}{_on(host)}"
    yield ctx.finding(
        host,
        setting,
        f"{label(path)} is {shown(setting)}; expected at least `{floor}`, {why}",
        fix=raise_to(setting, floor),
    )


def _on(host: Host) -> str:
    shown = " or ".join(os.shown for os in host.platform.editions)
    return f" ({shown})" if shown else ""


# What the older stacks' quotas mean for remote work (reference §1, §4)
_CONSEQUENCES = {
    Stack.V2: "envelopes of at most 150 KB (`MaxEnvelopeSizekb`, 0x80338111 on larger requests), shells "
    "of at most 150 MB (`MaxMemoryPerShellMB`), 5 shells per user, 15 processes per shell, 25 connections",
    Stack.V3: "shells of at most 1024 MB (`MaxMemoryPerShellMB`), 30 shells per user (0x803381A5), 10 "
    "concurrent users (0x803381AB), 25 processes per shell",
}


def legacy_defaults(host: Host, ctx: Context) -> Iterator[Finding]:
    """One finding for a host that carries an older WinRM stack's defaults than it runs."""
    found = host.platform
    if not found.on_older_defaults or found.shape is None or found.shape_at is None:
        return
    older = found.shape
    paths = [p for p, v in platform.DEFAULTS[older].items() if isinstance(v, int)]
    at_old = [host.get(p) for p in paths]
    kept = [s for s in at_old if s is not None and not s.is_default and s.value == platform.DEFAULTS[older][s.path]]
    if not kept:
        return
    names = ", ".join(f"`{s.name}` = `{s.value}`" for s in kept)
    commands = "; ".join(raise_to(s, int(str(platform.default(s.path, found.stack)))) for s in kept)
    yield ctx.finding(
        host,
        found.shape_at,
        f"The configuration keeps the defaults of {older.shown} ({names}) on a host that runs "
        f"{found.stack.shown}{_on(host)}: {_CONSEQUENCES[older]}; expected the current defaults",
        path=f"{catalog.ROOT}/winrs",
        key="legacy-defaults",
        fix=commands,
        related=[s.location for s in kept],
    )


@rule(
    code="WRM701", name="envelope-size-too-small", level="warning", kind="breaks", needs=(ENVELOPE,),
    docs=(TROUBLE, INSTALL),
)
def envelope_size_too_small(host: Host, ctx: Context) -> Iterator[Finding]:
    """`MaxEnvelopeSizekb` is below its version's default (500 KB; 150 on WinRM 2.0): larger requests are refused.

    ## What it finds
    `MaxEnvelopeSizekb` (under `Config` in `winrm get winrm/config`, `WSMan:\\localhost`) below
    the default of the host's WinRM version: 500 on current Windows versions, 150 on Windows 7
    and Server 2008 R2 (WinRM 2.0), whose pristine 150 is not reported (a newer host that keeps
    it gets WRM702's one `legacy-defaults` finding).

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
    cmd:
    ```cmd
    winrm set winrm/config @{MaxEnvelopeSizekb="500"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config '@{MaxEnvelopeSizekb="500"}'
    ```
    (or `Set-Item WSMan:\\localhost\\MaxEnvelopeSizekb 500`; larger values such as 8192 are
    common where DSC is used).
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -1,4 +1,4 @@
     Config
    -    MaxEnvelopeSizekb = 150
    +    MaxEnvelopeSizekb = 500
         MaxTimeoutms = 60000
         MaxBatchItems = 32000
    ```
    """
    setting = host.get(ENVELOPE)
    value = number(setting)
    # WinRM 2.0 ships 150: its own default is no finding, nor a 2.0 shape on a newer host
    # (WRM702's one `legacy-defaults` finding names it); a site's floor applies as set
    own = platform.default(ENVELOPE, host.platform.shape or host.platform.stack)
    minimum = ctx.options.floor("MaxEnvelopeSizekb", own if isinstance(own, int) else ENVELOPE_MINIMUM)
    if setting is None or value is None or value >= minimum:
        return
    yield ctx.finding(
        host,
        setting,
        f"Config `MaxEnvelopeSizekb` is {shown(setting)}; expected at least `{minimum}`",
        fix=remedy(setting, max(minimum, ENVELOPE_MINIMUM) if not ctx.options.has_floor("MaxEnvelopeSizekb") else minimum),
    )


@rule(
    code="WRM702", name="quota-below-default", level="warning", kind="breaks",
    needs=(f"{catalog.ROOT}/service", f"{catalog.ROOT}/winrs"), docs=(TROUBLE,),
)
def quota_below_default(host: Host, ctx: Context) -> Iterator[Finding]:
    """A service or Winrs quota is below the default of the host's own WinRM version.

    ## What it finds
    One finding for each of these quotas that is below the default of the WinRM version the
    host runs: Service `MaxConcurrentOperationsPerUser` and `MaxConnections`; Winrs
    `MaxConcurrentUsers`, `MaxProcessesPerShell`, `MaxMemoryPerShellMB` and `MaxShellsPerUser`
    (0 means no limit for the last three). Windows Server 2016+ and Windows 10/11 ship 1500 and
    300, and 2147483647 for the Winrs quotas; Windows 7 / Server 2008 R2 (WinRM 2.0) 15 and 25,
    and 5/15/150/5; Server 2012 R2 (WinRM 3.0) 10/25/1024/30. The version comes from a manifest
    `os`, a console banner (`Microsoft Windows [Version 6.3.9600]`) or the configuration's shape
    (the 2.0 envelope and RootSDDL, the 3.0 Winrs quotas): a pristine 2012 R2 host is silent, a
    shell memory lowered to 800 MB on it is reported. A host that runs a newer version than its
    values (upgraded in place, or configured by an old script or policy) gets one
    `legacy-defaults` finding that names the consequences, not one per quota. Deprecated quotas (`MaxConcurrentOperations`, `MaxShellRunTime`) have no
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
        MaxMemoryPerShellMB = 800
        MaxShellsPerUser = 30
    ```

    ## Fix
    cmd:
    ```cmd
    winrm set winrm/config/winrs @{MaxMemoryPerShellMB="1024"}
    winrm set winrm/config/service @{MaxConcurrentOperationsPerUser="1500"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config/winrs '@{MaxMemoryPerShellMB="1024"}'
    winrm set winrm/config/service '@{MaxConcurrentOperationsPerUser="1500"}'
    ```
    A value set by Group Policy (Computer Configuration > Administrative Templates > Windows
    Components > Windows Remote Shell) goes back to the local value when the policy is Not
    Configured.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -6,3 +6,3 @@
         MaxProcessesPerShell = 25
    -    MaxMemoryPerShellMB = 800
    +    MaxMemoryPerShellMB = 1024
         MaxShellsPerUser = 30
    ```
    """
    yield from legacy_defaults(host, ctx)
    for path in QUOTAS:
        yield from below_default(host, ctx, path)


@rule(
    code="WRM703", name="timeout-below-default", level="warning", kind="breaks",
    needs=(f"{catalog.ROOT}/MaxTimeoutms", f"{catalog.ROOT}/service", f"{catalog.ROOT}/winrs"),
    docs=(TROUBLE,),
)
def timeout_below_default(host: Host, ctx: Context) -> Iterator[Finding]:
    """A WinRM timeout is below its version's default: operations time out, idle shells close early.

    ## What it finds
    `MaxTimeoutms` (under `Config`, default 60000), Service `EnumerationTimeoutms` (240000;
    60000 on Windows 7 and Server 2008 R2) or `MaxPacketRetrievalTimeSeconds` (120), or Winrs
    `IdleTimeout` (7200000, two hours; 180000 on WinRM 2.0) below its modern default.

    ## Why it matters
    about_Remote_Troubleshooting: when timeouts are set on both ends "PowerShell uses the
    shortest timeout settings", and an operation that does not finish in time fails with "The
    WS-Management service cannot complete the operation within the time specified in
    OperationTimeout." (0x80338029). `IdleTimeout` is different: it reaps shells that sit idle
    (a disconnected or unused session is closed, values under 60000 count as 60000); it does not
    cut off an operation that is running. Each value is judged against its own version's default
    (`EnumerationTimeoutms` 60000 and `IdleTimeout` 180000 on WinRM 2.0).

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
    cmd:
    ```cmd
    winrm set winrm/config/service @{EnumerationTimeoutms="240000"}
    winrm set winrm/config @{MaxTimeoutms="60000"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config/service '@{EnumerationTimeoutms="240000"}'
    winrm set winrm/config '@{MaxTimeoutms="60000"}'
    ```
    Where Group Policy sets `IdleTimeout`: Computer Configuration > Administrative Templates >
    Windows Components > Windows Remote Shell > Specify idle Timeout: Not Configured.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -2,5 +2,5 @@
         MaxConcurrentOperations = 4294967295
         MaxConcurrentOperationsPerUser = 1500
    -    EnumerationTimeoutms = 60000
    +    EnumerationTimeoutms = 240000
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
    cmd:
    ```cmd
    winrm set winrm/config @{MaxEnvelopeSizekb="8192"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config '@{MaxEnvelopeSizekb="8192"}'
    ```
    Any value from 500 to 1039440 is supported; 8192 is the value DSC guides use.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -1,4 +1,4 @@
     Config
    -    MaxEnvelopeSizekb = 4294967295
    +    MaxEnvelopeSizekb = 8192
         MaxTimeoutms = 60000
         MaxBatchItems = 32000
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
