"""WRM6xx (UAC): how User Account Control filters local administrators on remote logons."""

from __future__ import annotations

from collections.abc import Iterator

from winrmlint.findings import Finding
from winrmlint.model import paths
from winrmlint.model.host import Host
from winrmlint.rules import benchmarks
from winrmlint.rules.base import AUTH, JOIN, TROUBLE, Context, join_location, join_shown, reg_add, rule

LATFP = paths.LATFP


@rule(
    code="WRM604", name="workgroup-admin-token-filtered", level="note", kind="breaks", needs=(JOIN,), docs=(AUTH,),
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


UAC_POLICY = (
    "Computer Configuration > Administrative Templates > MS Security Guide > "
    "Apply UAC restrictions to local accounts on network logons"
)
# the MS Security Guide category exists only once SecGuide.admx/.adml are in PolicyDefinitions
SECGUIDE = "(that category needs SecGuide.admx and SecGuide.adml from the Microsoft Security Compliance Toolkit)"
# authentication-for-remote-connections: with the filter on, a workgroup host admits only one admin
WORKGROUP_CAVEAT = (
    "on a workgroup or Microsoft Entra-only joined computer `0` leaves only the built-in Administrator able "
    "to connect with Negotiate: other local administrators get \"Access is denied\" (WRM604)"
)


@rule(
    code="WRM601", name="local-account-token-filter-policy", level="warning", kind="exposure", needs=(LATFP,),
    docs=(TROUBLE, AUTH), security_severity=6.3,
    baselines=benchmarks.LATFP.listed,
)
def local_account_token_filter_policy(host: Host, ctx: Context) -> Iterator[Finding]:
    r"""UAC remote restrictions are off: every local administrator gets a full token over the network.

    ## What it finds
    `LocalAccountTokenFilterPolicy` under
    `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System` is 1, in a `.reg` export or a
    `reg query` of that key. Absent or 0 (the Windows default) is not reported; without the key
    in the bundle the rule stays silent.

    ## Why it matters
    Normally a local administrator who logs on over the network gets a filtered, standard-user
    token, and only the built-in Administrator keeps its full rights. With the value at 1 "the
    LocalAccountTokenFilterPolicy entry disables user account control (UAC) remote restrictions
    for all users of all affected computers": any local administrator account, and anyone who
    has its password or its NTLM hash, gets full administrative rights remotely, over WinRM, SMB
    and WMI alike. This is the classic enabler of pass-the-hash with local accounts, which is why
    the DISA STIG (WN10-CC-000037 and its server equivalents) and the CIS and Microsoft baselines
    require 0 on domain members.

    Guides set it to fix "Access is denied": about_Remote_Troubleshooting's "How to enable
    remoting for administrators in other domains" does, and in a workgroup "When Negotiate
    authentication is used in a workgroup, only the built-in Administrator account can access
    the service" unless the value is 1. On a workgroup or Microsoft Entra-only joined computer it
    is therefore sometimes needed: the trade-off is that every local administrator account
    becomes a remote administrator. Prefer connecting as the built-in Administrator, HTTPS with
    certificate authentication mapped to one local account, or a domain account; if the value
    must stay, keep the local administrator passwords unique (Windows LAPS) and suppress this
    finding for that host. WRM604 reports the opposite case on workgroup computers.

    ## Example
    ```reg-query
    C:\Windows\system32>reg query HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System /v LocalAccountTokenFilterPolicy

    HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System
        LocalAccountTokenFilterPolicy    REG_DWORD    0x1

    ```

    ## Fix
    ```console
    reg add "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System" /v LocalAccountTokenFilterPolicy /t REG_DWORD /d 0 /f
    ```
    By Group Policy: Computer Configuration > Administrative Templates > MS Security Guide >
    Apply UAC restrictions to local accounts on network logons: Enabled. That category is not in
    Windows' own templates: copy `SecGuide.admx` and `SecGuide.adml` from the Microsoft Security
    Compliance Toolkit (its baseline's Templates folder) into the PolicyDefinitions folder (the
    central store) first. Administrators from other domains then connect with a domain account of
    this computer's domain, or are given rights through the session configuration
    (`Set-PSSessionConfiguration -ShowSecurityDescriptorUI`).

    On a workgroup or Microsoft Entra-only joined computer, 0 breaks remoting for every local
    administrator but the built-in one ("When Negotiate authentication is used in a workgroup,
    only the built-in Administrator account can access the service"; WRM604 reports that
    state): move remote administration to the built-in Administrator, or to HTTPS with
    certificate authentication mapped to one local account, before setting it.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -2,4 +2,4 @@
     
     HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System
    -    LocalAccountTokenFilterPolicy    REG_DWORD    0x1
    +    LocalAccountTokenFilterPolicy    REG_DWORD    0x0
     
    ```
    """
    yield from benchmarks.judged(host, ctx, benchmarks.LATFP, _local_account_token_filter_policy(host, ctx))


def _local_account_token_filter_policy(host: Host, ctx: Context) -> Iterator[Finding]:
    setting = host.get(LATFP)
    # the value is a DWORD; anything but 1 leaves the filter on (absent and 0 are the default)
    if setting is None or not setting.valid or setting.value != 1:
        return
    fix = f'{reg_add(LATFP, 0)}, or Group Policy: set "{UAC_POLICY}" to Enabled {SECGUIDE}'
    state = host.join_state
    if state in ("workgroup", "entra"):
        joined = join_location(host)
        yield ctx.finding(
            host,
            setting,
            f"`LocalAccountTokenFilterPolicy` is `1` on {join_shown(host)}: UAC remote restrictions are off, "
            "so every local administrator account is a full remote administrator; expected `0`, unless local "
            "administrators other than the built-in Administrator must connect with Negotiate (then keep "
            "their passwords unique and suppress this finding for the host)",
            fix=f"First move remote administration to `{host.name}\\Administrator` or to HTTPS with certificate "
            f"authentication mapped to one local account, then {fix}; {WORKGROUP_CAVEAT}",
            related=[joined] if joined is not None else [],
        )
        return
    where = f" on {join_shown(host)}" if state in ("domain", "hybrid") else ""
    yield ctx.finding(
        host,
        setting,
        f"`LocalAccountTokenFilterPolicy` is `1`{where}: UAC remote restrictions are off, so every local "
        "administrator account is a full remote administrator (pass-the-hash with local accounts); expected `0`",
        fix=fix if state in ("domain", "hybrid") else f"{fix}; {WORKGROUP_CAVEAT}",
    )
