"""WRM6xx: who may use WinRM: the service's RootSDDL, read ACE by ACE."""

from __future__ import annotations

from collections.abc import Iterator

from winrmlint.findings import Finding, Level
from winrmlint.model import catalog
from winrmlint.model.catalog import MODERN_ROOT_SDDL
from winrmlint.model.host import Host, Setting, cut_short
from winrmlint.model.sddl import (
    BROAD,
    DEFAULT_DACL,
    Dacl,
    broad_grants,
    dacl_of,
    parse_dacl,
    principal,
    split_sddl,
    widened,
    without,
)
from winrmlint.rules.base import TROUBLE, Context, remedy, rule

ROOT_SDDL = f"{catalog.ROOT}/service/RootSDDL"


@rule(
    code="WRM602", name="rootsddl-broad-access", level="error", kind="exposure", needs=(f"{catalog.ROOT}/service",),
    evaluable=lambda host: host.get(ROOT_SDDL) is not None,
    docs=(TROUBLE,), security_severity=8.0, cwe=("CWE-732",),
    variants=(("note", "when the RootSDDL is widened beyond the Windows default by named principals, not broad ones "
              "(Remote Management Users with `GA`, a domain SID)"),),
)
def rootsddl_broad_access(host: Host, ctx: Context) -> Iterator[Finding]:
    """The service's RootSDDL lets a broad group use WinRM.

    ## What it finds
    An allow ACE in the DACL (`D:`) of service `RootSDDL` that grants `GA`, `GR`, `GW`, `GX`,
    specific rights or a hex mask (`0x10000000`) to Everyone (`WD`, `S-1-1-0`), Authenticated
    Users (`AU`, `S-1-5-11`), Users (`BU`, `S-1-5-32-545`), Domain Users (`DU`,
    `S-1-5-21-…-513`), Anonymous (`AN`, `S-1-5-7`) or Network (`NU`, `S-1-5-2`); or a NULL DACL
    (`D:NO_ACCESS_CONTROL`). Rights the same group is denied by an earlier deny ACE are not
    counted. The `S:` part is the audit list (SACL): its `(AU;FA;GA;;;WD)` audits Everyone's
    failures, it grants nothing.

    A DACL widened beyond what Windows ships (`(A;;GA;;;BA)(A;;GR;;;IU)`; the WinRM 2.0 default
    grants less) by principals that are not broad, Remote Management Users (`RM`) or a domain
    group's SID with `GA`, `GX`, or `IU` given more than read, is a note: someone granted it, and
    it is exposure only if the grant was not meant. The Microsoft.PowerShell session
    configuration carries its own descriptor, which already admits Remote Management Users: the
    RootSDDL does not need them for PowerShell remoting.

    ## Why it matters
    RootSDDL is the permission every WinRM plug-in without its own security descriptor
    inherits ("the configurations inherit the security descriptor of the RootSDDL, which is
    secure by default"): the default grants full access to Administrators (`BA`) and read to
    Interactive users (`IU`) only. Granting a broad group lets any of its members run commands
    or read management data on the host remotely.

    ## Example
    ```winrm-config
    Service
        RootSDDL = O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)(A;;GXGR;;;AU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)
        MaxConcurrentOperations = 4294967295
    ```

    ## Fix
    Remove the broad ACE. Users who are not administrators and should use PowerShell remoting go
    into Remote Management Users (`Add-LocalGroupMember -Group "Remote Management Users" -Member
    CORP\\WinRM-Operators`): the Microsoft.PowerShell session configuration admits that group by
    default, and the RootSDDL stays at its default:
    cmd:
    ```cmd
    winrm set winrm/config/service @{RootSDDL="O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config/service '@{RootSDDL="O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)"}'
    ```
    or `Set-Item WSMan:\\localhost\\Service\\RootSDDL -Value '<SDDL>'`.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -1,3 +1,3 @@
     Service
    -    RootSDDL = O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)(A;;GXGR;;;AU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)
    +    RootSDDL = O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)
         MaxConcurrentOperations = 4294967295
    ```
    """
    setting = host.get(ROOT_SDDL)
    if setting is None or not isinstance(setting.value, str):
        return
    sddl = setting.value
    text = split_sddl(sddl).get("D")
    if text is None:
        return
    dacl = parse_dacl(text)
    cut = cut_short(setting)
    if dacl.null:
        yield ctx.finding(
            host,
            setting,
            "Service `RootSDDL` has a NULL DACL (`D:NO_ACCESS_CONTROL`): everyone has full access; "
            f"expected a DACL such as `D:{DEFAULT_DACL}`",
            fix=remedy(setting, without(sddl, dacl, [])),
            key="NO_ACCESS_CONTROL",
        )
        return
    grants = broad_grants(dacl)
    dropped = [ace for aces, _ in grants.values() for ace in aces]
    fix = (
        "remove the ACEs above from the DACL (the value shown was cut short: read it in full first)"
        if cut
        else remedy(setting, without(sddl, dacl, dropped))
    )
    for group, (aces, _) in sorted(grants.items()):
        yield ctx.finding(
            host,
            setting,
            f"Service `RootSDDL` gives {BROAD[group][1]} access with "
            f"{', '.join(f'`{a.text}`' for a in aces)}; expected access for Administrators (`BA`) "
            "and named groups only",
            fix=fix,
            key=group,
        )
    yield from _widened(host, ctx, setting, dacl, cut)


# what Windows ships (2012 R2 and later; WinRM 2.0's default grants less): the measure of "widened"
_SHIPPED = dacl_of(MODERN_ROOT_SDDL)


def _widened(host: Host, ctx: Context, setting: Setting, dacl: Dacl, cut: bool) -> Iterator[Finding]:
    """Named principals granted more than any default: a note, since someone meant it (or not)."""
    assert _SHIPPED is not None
    extra = widened(dacl, _SHIPPED)
    if not extra:
        return
    grants = ", ".join(f"{principal(a.account)} with `{a.text}`" for a in extra)
    fix = (
        "if the grant is not meant, remove those ACEs (the value shown was cut short: read it in full first)"
        if cut
        else "if the grant is not meant: " + remedy(setting, without(setting.value, dacl, extra))
        if isinstance(setting.value, str) else ""
    )
    yield ctx.finding(
        host,
        setting,
        f"Service `RootSDDL` is widened beyond the Windows default: it grants {grants}; they can use "
        "every WinRM plug-in without a security descriptor of its own; expected "
        f"`D:{DEFAULT_DACL}` unless the grant is meant (PowerShell remoting admits Remote Management "
        "Users through its own session configuration)",
        fix=fix,
        key="widened",
        level=Level.NOTE,
    )
