"""WRM6xx (UAC): how User Account Control filters local administrators on remote logons."""

from __future__ import annotations

from collections.abc import Iterator

from winrmlint.findings import Finding
from winrmlint.model import paths
from winrmlint.model.host import Host
from winrmlint.rules.base import AUTH, Context, reg_add, rule
from winrmlint.rules.spn import JOIN, join_location, join_shown

LATFP = paths.LATFP


@rule(
    code="WRM604", name="workgroup-admin-token-filtered", level="note", needs=(JOIN,), docs=(AUTH,),
)
def workgroup_admin_token_filtered(host: Host, ctx: Context) -> Iterator[Finding]:
    """Outside a domain, only the built-in Administrator can use WinRM with Negotiate.

    ## What it finds
    `dsregcmd /status` shows a workgroup computer (`AzureAdJoined : NO`, `DomainJoined : NO`) or
    a Microsoft Entra-only joined one, and `LocalAccountTokenFilterPolicy` under
    `HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System` is 0, or absent from an
    export or `reg query` of that key (0 is the Windows default). When the key was not
    collected it stays silent.

    ## Why it matters
    "User Account Control (UAC) affects access to the WinRM service. When Negotiate authentication
    is used in a workgroup, only the built-in Administrator account can access the service."
    Other members of the local Administrators group get a filtered, standard-user token on a
    network logon, and their connections fail with "Access is denied." This is a note, not a
    defect: the filter is a protection (the DISA STIG requires it on domain members), and
    turning it off is the warning WRM601.

    ## Example
    ```dsregcmd
    +----------------------------------------------------------------------+
    | Device State                                                         |
    +----------------------------------------------------------------------+

                 AzureAdJoined : NO
              EnterpriseJoined : NO
                  DomainJoined : NO
                   Device Name : KIOSK03
    ```
    ```registry
    Windows Registry Editor Version 5.00

    [HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System]
    "EnableLUA"=dword:00000001
    "LocalAccountTokenFilterPolicy"=dword:00000000

    ```

    ## Fix
    Connect as the built-in Administrator (`KIOSK03\\Administrator`), or use HTTPS with
    certificate authentication mapped to a local account. If every local administrator must
    connect, and knowing that it "disables user account control (UAC) remote restrictions for all
    users", set the value to 1:
    ```console
    reg add HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System /v LocalAccountTokenFilterPolicy /t REG_DWORD /d 1 /f
    ```
    """
    if host.join_state not in ("workgroup", "entra"):
        return
    setting = host.get(LATFP)
    if setting is not None:
        if setting.value != 0:
            return
        at, found = setting.location, "is `0`"
    else:
        absent = host.covers(LATFP)
        if absent is None:
            return
        at, found = absent, "is not set (`0`, the Windows default)"
    joined = join_location(host)
    yield ctx.finding(
        host,
        at,
        f"`LocalAccountTokenFilterPolicy` {found} on {join_shown(host)}: with Negotiate only the built-in "
        "Administrator account can use WinRM, other local administrators get \"Access is denied\"; expected "
        "connections as the built-in Administrator, or `1` if other local administrators must connect "
        "(UAC remote restrictions then end for every local account)",
        path=LATFP,
        fix=f"Connect as `{host.name}\\Administrator`; or, accepting the risk (WRM601): {reg_add(LATFP, 1)}",
        related=[joined] if joined is not None else [],
    )

