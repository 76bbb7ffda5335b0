"""WRM603, WRM605, WRM606: the PowerShell session configurations (endpoints) remote users reach."""

from __future__ import annotations

import re

from collections.abc import Iterator

from winrmlint.findings import Finding
from winrmlint.model import paths
from winrmlint.model.host import Host, Setting
from winrmlint.model.permissions import (
    DEFAULT,
    STOCK_32BIT,
    SessionConfig,
    broad_in_permission,
    find,
    session_configs,
)
from winrmlint.model.sddl import BROAD, broad_grants, without
from winrmlint.rules.base import TROUBLE, Context, enumerate_words, rule

# `Get-PSSessionConfiguration` run in pwsh: `PowerShell.7`, `PowerShell.7.4.6` (Enable-PSRemoting's names)
_PWSH_ENDPOINT = re.compile(r"^PowerShell\.\d", re.IGNORECASE)
_PS_MAJOR = re.compile(r"^\s*(\d+)")


def _pwsh_listing(configs: list[SessionConfig]) -> bool:
    """Whether a listing came from PowerShell 6 or 7, which shows only the endpoints of PowerShell
    6 and later (`PowerShell.7`, or any with `PSVersion` 6+, and custom ones registered there): Windows PowerShell's
    `Microsoft.PowerShell` exists beside them, unseen by that listing. Windows PowerShell lists
    every endpoint, its own `microsoft.*` ones among them (Disable-PSRemoting's docs, example 6:
    "`Get-PSSessionConfiguration` run within Windows PowerShell shows all endpoint configurations")."""
    def modern(config: SessionConfig) -> bool:
        version = config.prop("PSVersion")
        major = _PS_MAJOR.match(str(version.value)) if version is not None else None
        return int(major[1]) >= 6 if major else bool(_PWSH_ENDPOINT.match(config.name))
    # a custom endpoint registered from pwsh shows there too (`Test`, no PSVersion column): with a
    # PowerShell 6+ endpoint listed and none of Windows PowerShell's own `microsoft.*`, the listing
    # is pwsh's as well
    return any(modern(c) for c in configs) and not any(c.name.lower().startswith("microsoft.") for c in configs)

@rule(
    code="WRM603", name="session-config-broad-access", level="warning", kind="exposure", needs=(paths.SESSION_CONFIGS,),
    docs=(TROUBLE,), security_severity=6.5, cwe=("CWE-732",),
)
def session_config_broad_access(host: Host, ctx: Context) -> Iterator[Finding]:
    """A PowerShell session configuration lets a broad group connect.

    ## What it finds
    A session configuration of `Get-PSSessionConfiguration` whose `Permission` grants
    `AccessAllowed` to `Everyone`, `NT AUTHORITY\\Authenticated Users`, `BUILTIN\\Users`,
    `<DOMAIN>\\Domain Users`, `NT AUTHORITY\\ANONYMOUS LOGON` or `NT AUTHORITY\\NETWORK`, or whose
    `SecurityDescriptorSddl` (in `Format-List *`) has an allow ACE for `WD`, `AU`, `BU`, `DU`,
    `AN` or `NU`. Endpoints that refuse remote users anyway are skipped: `Enabled` false, or
    `NT AUTHORITY\\NETWORK AccessDenied` (what `Disable-PSRemoting` adds). A Permission cut by the
    console (`BUI...`) is read up to the cut.

    ## Why it matters
    "By default, only members of the Administrators group on a computer have permission to use
    the default session configurations" (Remote Management Users and Interactive too on current
    Windows). A broad group lets every member open a remote PowerShell session on the host: with
    a full-language endpoint that is remote code execution for every domain user; with a JEA
    endpoint, every user reaches the commands of its role capabilities, often running as a
    privileged virtual or RunAs account.

    ## Example
    ```pssession-configuration
    PS C:\\> Get-PSSessionConfiguration

    Name          : microsoft.powershell
    PSVersion     : 5.1
    StartupScript :
    RunAsUser     :
    Permission    : NT AUTHORITY\\INTERACTIVE AccessAllowed, BUILTIN\\Administrators AccessAllowed,
                    BUILTIN\\Remote Management Users AccessAllowed, NT AUTHORITY\\Authenticated Users
                    AccessAllowed
    ```

    ## Fix
    Remove the broad entry and give access to a named group (Remote Management Users, or a
    dedicated group), in the security dialog:
    ```console
    Set-PSSessionConfiguration Microsoft.PowerShell -ShowSecurityDescriptorUI
    ```
    or with `Set-PSSessionConfiguration -Name <name> -SecurityDescriptorSddl <SDDL>`. For a JEA
    endpoint, change `RoleDefinitions` in its `.pssc` file and register it again
    (`Register-PSSessionConfiguration -Name <name> -Path <file>.pssc -Force`).
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -6,4 +6,3 @@
     RunAsUser     :
     Permission    : NT AUTHORITY\\INTERACTIVE AccessAllowed, BUILTIN\\Administrators AccessAllowed,
    -                BUILTIN\\Remote Management Users AccessAllowed, NT AUTHORITY\\Authenticated Users
    -                AccessAllowed
    +                BUILTIN\\Remote Management Users AccessAllowed
    ```
    """
    for config in session_configs(host):
        if config.disabled is not None:
            continue
        by_name = broad_in_permission(config)
        sddl, dacl = config.sddl, config.dacl
        by_sddl = broad_grants(dacl) if dacl is not None and not dacl.null else {}
        permission, sddl_setting = config.prop("Permission"), config.prop("SecurityDescriptorSddl")
        for group in sorted(set(by_name) | set(by_sddl)):
            if group in by_name and permission is not None:
                where, shown = permission, ", ".join(f"`{ace}`" for ace in by_name[group])
            else:
                assert sddl_setting is not None
                where, shown = sddl_setting, ", ".join(f"`{ace.text}`" for ace in by_sddl[group][0])
            if sddl and dacl is not None and group in by_sddl:
                new = without(sddl, dacl, by_sddl[group][0])
                fix = f"`Set-PSSessionConfiguration -Name {config.name} -SecurityDescriptorSddl \"{new}\"`"
            else:
                fix = f"`Set-PSSessionConfiguration -Name {config.name} -ShowSecurityDescriptorUI`: remove the entry"
            yield ctx.finding(
                host,
                where,
                f"Session configuration `{config.name}` gives {BROAD[group][1]} access with {shown}; "
                "expected Administrators, Remote Management Users and named groups only",
                fix=fix,
                key=f"{config.name.lower()}/{group}",
            )


def reopen(refused: Setting) -> str:
    """The fix for a default endpoint that refuses remote users, by what the dump shows refuses them.

    `Disable-PSRemoting` adds `NT AUTHORITY\\NETWORK AccessDenied` (Network_Deny_All), which
    `Enable-PSSessionConfiguration` leaves in place: `-AccessMode Remote` or `Enable-PSRemoting`
    removes it. `Enabled` false is what `Enable-PSSessionConfiguration` turns back on."""
    if refused.name.lower() == "enabled":
        return f"`Enable-PSSessionConfiguration -Name {DEFAULT} -Force` (or `Enable-PSRemoting -Force`)"
    return (
        f"`Set-PSSessionConfiguration -Name {DEFAULT} -AccessMode Remote -Force` (or `Enable-PSRemoting -Force`); "
        "`Enable-PSSessionConfiguration` does not remove the `NT AUTHORITY\\NETWORK` deny entry"
    )


@rule(
    code="WRM605", name="default-session-configuration-missing", level="warning", kind="breaks",
    needs=(paths.SESSION_CONFIGS,), docs=(TROUBLE,),
)
def default_session_configuration_missing(host: Host, ctx: Context) -> Iterator[Finding]:
    """The default session configuration `Microsoft.PowerShell` is missing or disabled.

    ## What it finds
    A complete `Get-PSSessionConfiguration` listing (the command echoed, no `-Name` filter, no
    elision) without `microsoft.powershell`; or a `microsoft.powershell` endpoint, in any listing,
    that refuses remote users: `Enabled` false, or `NT AUTHORITY\\NETWORK AccessDenied` at the head
    of its `Permission` (the state `Disable-PSRemoting` leaves). A listing filtered by name, or
    cut short, says nothing about the endpoints it does not show.

    ## Why it matters
    "Remote users use these session configurations whenever a remote command does not include
    the **ConfigurationName** parameter." Without the 64-bit `Microsoft.PowerShell` endpoint (or
    with it disabled) every `Enter-PSSession`, `Invoke-Command` or `New-PSSession` without
    `-ConfigurationName` fails; about_Remote_Troubleshooting gives "ERROR: ACCESS IS DENIED" for
    this case.

    ## Example
    ```pssession-configuration
    PS C:\\Windows\\system32> Get-PSSessionConfiguration

    Name          : microsoft.powershell
    PSVersion     : 5.1
    StartupScript :
    RunAsUser     :
    Permission    : NT AUTHORITY\\NETWORK AccessDenied, NT AUTHORITY\\INTERACTIVE AccessAllowed,
                    BUILTIN\\Administrators AccessAllowed, BUILTIN\\Remote Management Users AccessAllowed

    ```

    ## Fix
    `Enable-PSRemoting` recreates the default session configurations ("You can use this cmdlet
    repeatedly. It doesn't generate errors if a feature is already configured") and enables them:
    ```console
    Enable-PSRemoting -Force
    ```
    To open only this endpoint to remote users again after `Disable-PSRemoting` (which adds
    the `NT AUTHORITY\\NETWORK AccessDenied` entry, the Network_Deny_All descriptor):
    `Set-PSSessionConfiguration -Name Microsoft.PowerShell -AccessMode Remote -Force`.
    `Enable-PSSessionConfiguration` does not remove that entry; it is the command for an
    endpoint whose `Enabled` is `false`. To restore a changed default,
    `Unregister-PSSessionConfiguration -Name Microsoft.PowerShell`, then `Enable-PSRemoting -Force`.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -5,5 +5,5 @@
     StartupScript :
     RunAsUser     :
    -Permission    : NT AUTHORITY\\NETWORK AccessDenied, NT AUTHORITY\\INTERACTIVE AccessAllowed,
    -                BUILTIN\\Administrators AccessAllowed, BUILTIN\\Remote Management Users AccessAllowed
    +Permission    : NT AUTHORITY\\INTERACTIVE AccessAllowed, BUILTIN\\Administrators AccessAllowed,
    +                BUILTIN\\Remote Management Users AccessAllowed
     
    ```
    """
    configs = session_configs(host)
    default = find(configs, DEFAULT)
    if default is None:
        listed = host.covers(paths.SESSION_CONFIGS)
        if listed is None or _pwsh_listing(configs):
            return
        names = enumerate_words([f"`{c.name}`" for c in configs]) if configs else "none"
        yield ctx.finding(
            host,
            listed,
            f"The session configurations ({names}) do not include `{DEFAULT}`: commands without "
            "`-ConfigurationName` are refused; expected the default session configuration",
            path=f"{paths.SESSION_CONFIGS}/{DEFAULT}",
            fix="`Enable-PSRemoting -Force` recreates the default session configurations",
        )
        return
    refused = default.disabled
    if refused is None:
        return
    why = (
        "`Enabled` is `false`"
        if refused.name.lower() == "enabled"
        else "it denies `NT AUTHORITY\\NETWORK` (remote users)"
    )
    yield ctx.finding(
        host,
        refused,
        f"The default session configuration `{default.name}` is disabled for remote use: {why}; "
        "commands without `-ConfigurationName` are refused; expected it enabled",
        fix=reopen(refused),
        related=[default.anchor.location] if default.anchor.location != refused.location else [],
    )


@rule(
    code="WRM606", name="wow64-session-configuration", level="note", kind="breaks", needs=(paths.SESSION_CONFIGS,),
    docs=(TROUBLE,),
)
def wow64_session_configuration(host: Host, ctx: Context) -> Iterator[Finding]:
    """A 32-bit (WOW64) session configuration is in use.

    ## What it finds
    An enabled session configuration that runs 32-bit: `Architecture : 32` in
    `Get-PSSessionConfiguration | Format-List *` (registered with `-ProcessorArchitecture x86`),
    or `Microsoft.PowerShell32`. The stock `Microsoft.PowerShell32` that `Enable-PSRemoting`
    registers beside the 64-bit default is used only when a client asks for it, so it is
    reported only when it stands in for the default: the complete listing has no
    `Microsoft.PowerShell`, or that endpoint is disabled. A `Microsoft.PowerShell` registered
    32-bit is reported itself: every command without `-ConfigurationName` then runs in WOW64.

    ## Why it matters
    "If the remote computer is running a 64-bit version of Windows, and the remote command uses
    a 32-bit session configuration, like **Microsoft.PowerShell32**, WinRM loads a WOW64 process.
    Windows automatically redirects all references to `$env:Windir\\System32` to the
    `$env:Windir\\SysWOW64` directory." Tools that exist only in System32 then fail with "ERROR:
    The term <tool-name> is not recognized as the name of a cmdlet, function, script file, or
    operable program. Check the spelling of the name, or if a path was included, verify that the
    path is correct and try again."

    ## Example
    ```pssession-configuration
    PS C:\\> Get-PSSessionConfiguration -Name CustomShell | Format-List Name, Architecture, Enabled, Permission

    Name         : CustomShell
    Architecture : 32
    Enabled      : True
    Permission   : BUILTIN\\Administrators AccessAllowed
    ```

    ## Fix
    Check what a session runs as: `Invoke-Command -Session $s {$env:PROCESSOR_ARCHITECTURE}`
    prints `x86` in a WOW64 session. Connect to the 64-bit default (`-ConfigurationName
    Microsoft.PowerShell`), or register the configuration again as 64-bit:
    ```console
    Unregister-PSSessionConfiguration -Name CustomShell
    Register-PSSessionConfiguration -Name CustomShell -ProcessorArchitecture amd64
    ```
    (with the other options it was registered with). Keep 32-bit only for 32-bit modules or
    snap-ins that need it.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -2,5 +2,5 @@
     
     Name         : CustomShell
    -Architecture : 32
    +Architecture : 64
     Enabled      : True
     Permission   : BUILTIN\\Administrators AccessAllowed
    ```
    """
    configs = session_configs(host)
    default = find(configs, DEFAULT)
    complete = host.covers(paths.SESSION_CONFIGS) is not None
    for config in configs:
        if not config.is_32bit or config.disabled is not None:
            continue
        arch = config.prop("Architecture")
        where = arch if arch is not None else config.anchor
        why = f"`Architecture` is `{config.architecture}`" if arch is not None else "the stock WOW64 endpoint"
        if config.name.lower() == DEFAULT.lower():
            context = ": it is the default endpoint, so every command without `-ConfigurationName` runs in WOW64"
            # about_Remote_Troubleshooting: unregister the changed default, Enable-PSRemoting restores it
            fix = (
                f"`Unregister-PSSessionConfiguration -Name {DEFAULT}`, then `Enable-PSRemoting -Force` "
                "recreates it 64-bit"
            )
        elif config.name.lower() == STOCK_32BIT.lower():
            # used only on request while the 64-bit default can take the commands
            if default is not None and (default.disabled is None or default.is_32bit):
                continue
            if default is None and not complete:
                continue
            if default is None:
                context = f": `{DEFAULT}` is missing, so remote users are left with the 32-bit endpoint"
                fix = (
                    f"`Enable-PSRemoting -Force` recreates the 64-bit `{DEFAULT}`; connect without "
                    "`-ConfigurationName`"
                )
            else:
                context = f": `{DEFAULT}` is disabled, so remote users are left with the 32-bit endpoint"
                assert default.disabled is not None
                fix = f"{reopen(default.disabled)}; connect without `-ConfigurationName {STOCK_32BIT}`"
        else:
            context = ""
            fix = (
                f"`Unregister-PSSessionConfiguration -Name {config.name}`, then `Register-PSSessionConfiguration "
                f"-Name {config.name} -ProcessorArchitecture amd64` with its other options"
            )
        yield ctx.finding(
            host,
            where,
            f"Session configuration `{config.name}` runs 32-bit ({why}){context}; tools found only in "
            "System32 \"are not recognized\" in its sessions; expected a 64-bit configuration unless a "
            "32-bit module needs it",
            fix=fix,
            key=config.name.lower(),
        )
