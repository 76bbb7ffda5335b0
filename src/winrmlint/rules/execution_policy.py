"""WRM607: a machine execution policy under which modules made by Import-PSSession cannot load."""

from __future__ import annotations

from collections.abc import Iterator

from winrmlint.findings import Finding
from winrmlint.model import paths
from winrmlint.model.host import Host, Setting
from winrmlint.rules.base import TROUBLE, Context, rule, shown

# about_Execution_Policies: the first defined scope wins, Group Policy's before the local one;
# the user scopes (UserPolicy, Process, CurrentUser) belong to whoever collected the dump.
MACHINE_SCOPES = ("MachinePolicy", "LocalMachine")
RESTRICTIVE = {"Restricted", "AllSigned"}
SCRIPT_EXECUTION_GPO = (
    "Computer Configuration > Administrative Templates > Windows Components > Windows PowerShell > "
    "Turn on Script Execution"
)


def machine_policy(host: Host) -> tuple[str, Setting] | None:
    """The effective machine policy and its scope; None when no scope defines one, or the first
    one shown cannot be read (`Default` means a different thing on clients and servers)."""
    for scope in MACHINE_SCOPES:
        setting = host.get(f"{paths.EXECUTION_POLICY}/{scope}")
        if setting is None or setting.value == "Undefined":
            continue
        if setting.effective is None or not setting.effective.valid or setting.value == "Default":
            return None
        return scope, setting
    return None


@rule(
    code="WRM607", name="restrictive-execution-policy", level="note", kind="breaks", needs=(paths.EXECUTION_POLICY,),
    docs=(TROUBLE,),
)
def restrictive_execution_policy(host: Host, ctx: Context) -> Iterator[Finding]:
    """The machine execution policy is Restricted or AllSigned: modules made by Import-PSSession cannot load.

    ## What it finds
    The effective machine execution policy, the first defined of `MachinePolicy` (Group Policy)
    and `LocalMachine`, is `Restricted` or `AllSigned`. It is read from `Get-ExecutionPolicy
    -List`, or from the registry: `EnableScripts` and `ExecutionPolicy` under
    `HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\PowerShell` (`EnableScripts` 0 is
    `Restricted`) and `ExecutionPolicy` under
    `HKLM\\SOFTWARE\\Microsoft\\PowerShell\\1\\ShellIds\\Microsoft.PowerShell`. When both scopes
    are `Undefined` the Windows default applies (Restricted on clients, RemoteSigned on servers)
    and the rule stays silent, as it does for the user scopes of whoever collected the dump.

    ## Why it matters
    "The `Import-PSSession` and `Export-PSSession` cmdlets create modules that contains unsigned
    script files and formatting files. To import the modules that are created by these cmdlets,
    the execution policy in the current session can't be `Restricted` or `AllSigned`." The
    import fails with "ERROR: Import-Module: File <filename> cannot be loaded because the
    execution of scripts is disabled on this system."

    ## Example
    ```get-executionpolicy
    PS C:\\> Get-ExecutionPolicy -List

            Scope ExecutionPolicy
            ----- ---------------
    MachinePolicy       Undefined
       UserPolicy       Undefined
          Process       Undefined
      CurrentUser       Undefined
     LocalMachine      Restricted
    ```

    ## Fix
    ```console
    Set-ExecutionPolicy RemoteSigned -Scope LocalMachine
    ```
    Without changing the machine's policy, about_Remote_Troubleshooting sets it for one process:
    `Set-ExecutionPolicy -Scope Process -ExecutionPolicy RemoteSigned`, or starts one session
    with `pwsh.exe -ExecutionPolicy RemoteSigned`. If Group Policy sets it (`MachinePolicy`),
    neither works: Computer Configuration > Administrative Templates > Windows Components >
    Windows PowerShell > Turn on Script Execution: Enabled, Execution Policy "Allow local scripts
    and remote signed scripts", then `gpupdate /force`.
    ```get-executionpolicy
    PS C:\\> Get-ExecutionPolicy -List

            Scope ExecutionPolicy
            ----- ---------------
    MachinePolicy       Undefined
       UserPolicy       Undefined
          Process       Undefined
      CurrentUser       Undefined
     LocalMachine    RemoteSigned
    ```
    """
    found = machine_policy(host)
    if found is None:
        return
    scope, setting = found
    if setting.value not in RESTRICTIVE:
        return
    if scope == "MachinePolicy":
        fix = (
            f'Group Policy: set "{SCRIPT_EXECUTION_GPO}" to Enabled with Execution Policy "Allow local '
            'scripts and remote signed scripts", then `gpupdate /force` (`Set-ExecutionPolicy` cannot '
            "override it)"
        )
    else:
        fix = (
            "`Set-ExecutionPolicy RemoteSigned -Scope LocalMachine`, or for one process "
            "`Set-ExecutionPolicy -Scope Process -ExecutionPolicy RemoteSigned`"
        )
    local = host.get(f"{paths.EXECUTION_POLICY}/LocalMachine")
    related = [local.location] if scope == "MachinePolicy" and local is not None and not local.is_default else []
    yield ctx.finding(
        host,
        setting,
        f"The machine execution policy (`{scope}`) is {shown(setting)}: modules that "
        "`Import-PSSession` and `Export-PSSession` create cannot load; expected `RemoteSigned`",
        fix=fix,
        related=related,
    )
