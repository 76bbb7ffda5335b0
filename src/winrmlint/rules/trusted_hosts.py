"""WRM3xx: the client's TrustedHosts list — what it trusts and whether WinRM can read it."""

from __future__ import annotations

from collections.abc import Iterator

from winrmlint.findings import Finding
from winrmlint.model import trusted_hosts as trusted
from winrmlint.model.host import Host, Setting
from winrmlint.model.values import Source
from winrmlint.rules.base import ENTRA, JOIN, TROUBLE, Context, join_location, join_shown, remedy, rule

TRUSTED_HOSTS = trusted.PATH
GPO_MAX_LENGTH = trusted.GPO_MAX_LENGTH
PLACEHOLDER = "<the hosts you connect to, or *.<your domain>>"
# WinRM treats an Entra-only joined machine as a workgroup machine (entra-only-joined-remote-session.md)
_NOT_DOMAIN = ("workgroup", "entra")


def subject(setting: Setting) -> str:
    return "Client `TrustedHosts`" + (" (set by Group Policy)" if setting.source is Source.GPO else "")


@rule(
    code="WRM301", name="trustedhosts-wildcard", level="warning", kind="exposure", needs=("winrm/config/client",),
    docs=(ENTRA, TROUBLE), security_severity=6.8, cwe=("CWE-287",),
)
def trustedhosts_wildcard(host: Host, ctx: Context) -> Iterator[Finding]:
    """The WinRM client trusts every host: TrustedHosts holds a bare `*`.

    ## What it finds
    Client `TrustedHosts` (set with `Set-Item WSMan:\\localhost\\Client\\TrustedHosts`, `winrm
    set`, the `trusted_hosts` registry value or the "Trusted Hosts" policy) has an entry that is
    `*` alone. Domain patterns such as `*.contoso.com` are not reported.

    ## Why it matters
    Hosts in TrustedHosts are not authenticated: the client sends credentials to them when
    neither Kerberos nor HTTPS can prove who they are, and the connection error says as much,
    "Note that computers in the TrustedHosts list might not be authenticated". `*` "allows
    reusing the implicit credentials for all target machines": a spoofed name, a DNS or LLMNR
    answer, or a typo sends the user's NTLM credentials to whatever answers, and the value
    "affects all users of the computer". The Entra-only scenario that `*` is often set for is
    served by a domain pattern (`*.contoso.com`), or by HTTPS.

    ## Example
    ```winrm-config
    Client
        NetworkDelayms = 5000
        URLPrefix = wsman
        AllowUnencrypted = false
        DefaultPorts
            HTTP = 5985
            HTTPS = 5986
        TrustedHosts = *
    ```

    ## Fix
    List the hosts (or the domain) you connect to instead:
    ```powershell
    Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value '*.contoso.com'
    ```
    or cmd: `winrm set winrm/config/client @{TrustedHosts="*.contoso.com"}` (PowerShell: `winrm set winrm/config/client '@{TrustedHosts="*.contoso.com"}'`). If Group Policy sets it:
    Computer Configuration > Administrative Templates > Windows Components > Windows Remote
    Management (WinRM) > WinRM Client > Trusted Hosts: Enabled, with explicit names or patterns.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -6,3 +6,3 @@
             HTTP = 5985
             HTTPS = 5986
    -    TrustedHosts = *
    +    TrustedHosts = *.contoso.com
    ```
    """
    setting = trusted.of(host)
    if setting is None:
        return
    listed = trusted.entries(setting.value)  # type: ignore[arg-type]
    if "*" not in listed or ctx.options.accepts_trusted_host("*"):
        return
    rest = [e for e in listed if e and e != "*"]
    found = "is `*`" if not rest else "contains the entry `*`"
    yield ctx.finding(
        host,
        setting,
        f"{subject(setting)} {found}: every host is trusted and may receive credentials without being "
        "authenticated; expected the hosts you connect to, or a domain pattern such as `*.contoso.com`",
        fix=f"{remedy(setting, ','.join(rest) if rest else PLACEHOLDER)}, or connect over HTTPS",
    )


@rule(
    code="WRM302", name="trustedhosts-malformed", level="error", kind="breaks", needs=("winrm/config/client",),
    docs=(TROUBLE,),
)
def trustedhosts_malformed(host: Host, ctx: Context) -> Iterator[Finding]:
    """A TrustedHosts entry is not a name, IP address or wildcard pattern WinRM can read.

    ## What it finds
    Client `TrustedHosts` entries, split at commas (spaces around a comma are fine: the
    documented `"$curValue, $newServer"` writes them), that are:
    - hosts separated by `;` or by spaces instead of commas (`srv01;srv02`, `srv01 srv02`);
    - wrapped in quotes (`"srv01,srv02"`, `'srv01'`), often left by a script or a GPO edit;
    - empty (`srv01,,srv02`, a comma at either end);
    - IPv6 addresses without brackets (`fe80::1` instead of `[fe80::1]`);
    - URLs or names with a port (`http://srv01:5985/wsman`, `srv01:5985`), or names with other
      characters than letters, digits, `-`, `_`, `.` and the `*` wildcard;
    - names with an empty label (`.contoso.com`, meant as `*.contoso.com`);
    and a list over 1024 characters when Group Policy sets it (the "Trusted Hosts" policy's limit).
    Each malformed entry is a finding of its own; the fix rewrites the whole list.

    ## Why it matters
    `winrm set` and `Set-Item WSMan:` refuse such a list with error 0x8033809F (-2144108385):
    "TrustedHosts list contains an invalid hostname or hostname pattern." A list that reached the
    registry through Group Policy or `reg add` was never checked: the hosts it was meant to
    trust do not match, and connecting to them fails with "The WinRM client cannot process the
    request. If the authentication scheme is different from Kerberos, or if the client computer
    is not joined to a domain, then HTTPS transport must be used or the destination machine must
    be added to the TrustedHosts configuration setting."

    ## Example
    ```winrm-config
    Client
        NetworkDelayms = 5000
        URLPrefix = wsman
        AllowUnencrypted = false
        TrustedHosts = srv01.contoso.com;srv02.contoso.com [Source="GPO"]
    ```

    ## Fix
    Write one comma-separated list, IPv6 addresses in brackets:
    ```powershell
    Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value 'srv01.contoso.com,srv02.contoso.com,[fe80::1]'
    ```
    If Group Policy sets it: Computer Configuration > Administrative Templates > Windows
    Components > Windows Remote Management (WinRM) > WinRM Client > Trusted Hosts: Enabled,
    with the corrected list (at most 1024 characters; use domain patterns to shorten it).
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -3,3 +3,3 @@
         URLPrefix = wsman
         AllowUnencrypted = false
    -    TrustedHosts = srv01.contoso.com;srv02.contoso.com [Source="GPO"]
    +    TrustedHosts = srv01.contoso.com,srv02.contoso.com [Source="GPO"]
    ```
    """
    setting = trusted.of(host)
    if setting is None:
        return
    value: str = setting.value.strip()  # type: ignore[union-attr]
    who = subject(setting)
    problems: list[tuple[str, str]] = []  # (key, message)
    repaired: list[str] = []
    lost: list[str] = []
    body = value
    if len(value) >= 2 and value[0] in trusted.QUOTES and value[-1] in trusted.QUOTES:
        # a whole list in quotes: one finding, then its entries are judged as WinRM would see them
        body = value[1:-1].strip()
        problems.append(("quoted", f"{who} is wrapped in quotes; expected the bare list `{_shorten(body)}`"))
    listed = trusted.entries(body)
    if "" in listed and len(listed) > 1:
        problems.append(("empty", f"{who} has an empty entry (two commas in a row, or a comma at either "
                                  "end); expected entries separated by single commas"))
    for entry in listed:
        if not entry:
            continue
        found = trusted.flaw(entry)
        if found is None:
            repaired.append(entry)
            continue
        repaired.extend(found.repaired)
        if found.repaired:
            expected = f"`{_shorten(','.join(found.repaired))}`"
        else:
            lost.append(entry)
            expected = "a host name, IP address or wildcard pattern"
        problems.append((f"entry:{entry}", f"{who} entry `{_shorten(entry)}` {found.problem}; expected {expected}"))
    if setting.source is Source.GPO and len(value) > GPO_MAX_LENGTH:
        problems.append(("length", f"{who} is {len(value)} characters long; expected at most "
                                   f"`{GPO_MAX_LENGTH}`, the Trusted Hosts policy's limit"))
    if not problems:
        return
    fixed = ",".join(dict.fromkeys(repaired)) or PLACEHOLDER
    if setting.source is Source.GPO and len(fixed) > GPO_MAX_LENGTH:
        # the repaired list is still too long for the policy: a domain pattern is the documented way
        # to trust many hosts of one domain (entra-only-joined-remote-session: `*.contoso.com`)
        pattern = _domain_pattern(repaired)
        fixed = pattern or "<at most 1024 characters: use domain patterns such as *.contoso.com>"
    fix = remedy(setting, fixed)
    if fixed.startswith("*.") and fixed not in repaired:
        fix += " (this trusts every host of that domain: list fewer hosts if that is too broad)"
    if lost:
        fix += " (" + ", ".join(f"`{_shorten(e)}`" for e in lost) + " left out: correct by hand)"
    for key, message in problems:
        yield ctx.finding(host, setting, message, fix=fix, key=key)


def _domain_pattern(names: list[str]) -> str:
    """`*.corp.contoso.com` when every entry is a name in that one domain, else ``."""
    domains = {n.split(".", 1)[1].lower() for n in names if "." in n and not trusted.is_ip_entry(n)}
    if len(domains) == 1 and all("." in n and not trusted.is_ip_entry(n) for n in names):
        return "*." + domains.pop()
    return ""


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@rule(
    code="WRM304", name="trustedhosts-ip-entries", level="note", kind="exposure", needs=("winrm/config/client",),
    docs=(TROUBLE,),
)
def trustedhosts_ip_entries(host: Host, ctx: Context) -> Iterator[Finding]:
    """TrustedHosts lists IP addresses: those connections use NTLM and need explicit credentials.

    ## What it finds
    Client `TrustedHosts` entries that are IPv4 addresses or patterns (`10.0.0.5`, `10.0.0.*`)
    or IPv6 addresses (`[fe80::1]`). One finding lists them all.

    ## Why it matters
    "Kerberos authentication doesn't support IP addresses. When you specify an IP address, NTLM
    authentication is used." NTLM does not authenticate the server, so these hosts are trusted
    blindly, and every command to them must carry `-Credential`, "even when you connect as the
    current user"; without it the connection fails with "Default authentication may be used
    with an IP address under the following conditions: the transport is HTTPS or the destination
    is in the TrustedHosts list, and explicit credentials are provided." Addresses also change
    hands: a reused IP inherits the trust.

    ## Example
    ```winrm-config
    Client
        NetworkDelayms = 5000
        URLPrefix = wsman
        AllowUnencrypted = false
        TrustedHosts = srv01.contoso.com,10.20.30.41
    ```

    ## Fix
    On a domain-joined client, connect by DNS name so that Kerberos is used, and keep an IP entry
    only where no name resolves; pass `-Credential` to those connections, or use HTTPS. On a
    workgroup or Microsoft Entra-only joined client (`dsregcmd /status`) there is no domain
    Kerberos by any name: a DNS name in TrustedHosts is still NTLM, so the host is authenticated
    only over HTTPS (`-UseSSL` to a listener whose certificate the client trusts), which needs no
    TrustedHosts entry. For the domain-joined case:
    ```powershell
    Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value 'srv01.contoso.com,srv02.contoso.com'
    ```
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -3,3 +3,3 @@
         URLPrefix = wsman
         AllowUnencrypted = false
    -    TrustedHosts = srv01.contoso.com,10.20.30.41
    +    TrustedHosts = srv01.contoso.com,srv02.contoso.com
    ```
    """
    setting = trusted.of(host)
    if setting is None:
        return
    ips = [
        e for e in trusted.entries(setting.value)  # type: ignore[arg-type]
        if e and trusted.is_ip_entry(e) and not ctx.options.accepts_trusted_host(e)
    ]
    if not ips:
        return
    patterns = any("*" in e for e in ips)
    if len(ips) == 1:
        noun = "an IP address pattern" if patterns else "an IP address"
    else:
        noun = "IP addresses and patterns" if patterns else "IP addresses"
    them = "it" if len(ips) == 1 and not patterns else "them"
    listed = ", ".join(f"`{_shorten(e)}`" for e in ips)
    if host.join_state in _NOT_DOMAIN:
        # outside a domain there is no Kerberos by any name: only HTTPS authenticates the host
        joined = join_location(host)
        yield ctx.finding(
            host,
            setting,
            f"{subject(setting)} lists {noun} {listed} on {join_shown(host)}: connections to {them} use NTLM, "
            "which does not authenticate the host, and need explicit `-Credential`; a DNS name would not help "
            "here, as this computer has no domain Kerberos; expected HTTPS to the hosts that must be authenticated",
            fix="Use HTTPS: an HTTPS listener on each target with a certificate this computer trusts, and "
                "`-UseSSL` (port 5986) with `-Credential` in each command; then remove those entries from "
                "`TrustedHosts`, which HTTPS connections do not need",
            related=[joined] if joined is not None else [],
        )
        return
    yield ctx.finding(
        host,
        setting,
        f"{subject(setting)} lists {noun} {listed}: connections to {them} use NTLM and need explicit "
        "`-Credential`; expected DNS names where Kerberos should authenticate the host",
        fix="On a domain-joined client, connect by DNS name so Kerberos is used; keep IP entries only where no "
            "name resolves, and pass `-Credential` (or use HTTPS with `-UseSSL`) for them",
    )


@rule(
    code="WRM303", name="workgroup-client-without-trust", level="warning", kind="breaks", needs=(JOIN,),
    docs=(ENTRA, TROUBLE),
)
def workgroup_client_without_trust(host: Host, ctx: Context) -> Iterator[Finding]:
    """A client outside any domain has an empty TrustedHosts: its HTTP connections fail.

    ## What it finds
    `dsregcmd /status` shows a workgroup computer (`AzureAdJoined : NO`, `DomainJoined : NO`) or
    a Microsoft Entra-only joined one (`AzureAdJoined : YES`, `DomainJoined : NO`), and client
    `TrustedHosts` is empty: the Windows default in a `winrm get winrm/config` or registry dump,
    an empty value, or the "Trusted Hosts" policy Disabled. Without the join state it stays silent.

    ## Why it matters
    Without a domain there is no Kerberos to prove the server's identity, so WinRM sends
    credentials only over HTTPS or to hosts listed in TrustedHosts. Any other connection fails
    with "The WinRM client cannot process the request. If the authentication scheme is different
    from Kerberos, or if the client computer is not joined to a domain, then HTTPS transport must
    be used or the destination machine must be added to the TrustedHosts configuration setting."
    "WinRM considers the Azure AD-only joined machines as workgroup machines. Therefore, implicit
    credentials can't be used."

    ## Example
    ```dsregcmd
    +----------------------------------------------------------------------+
    | Device State                                                         |
    +----------------------------------------------------------------------+

                 AzureAdJoined : YES
              EnterpriseJoined : NO
                  DomainJoined : NO
                   Device Name : CLIENT01
    ```
    ```winrm-config
    Client
        NetworkDelayms = 5000
        URLPrefix = wsman
        AllowUnencrypted = false
        DefaultPorts
            HTTP = 5985
            HTTPS = 5986
        TrustedHosts
    ```

    ## Fix
    On the client, list the hosts you connect to, or one domain; each connection then needs
    `-Credential`:
    ```powershell
    Set-Item WSMan:\\localhost\\Client\\TrustedHosts "*.contoso.com"
    ```
    or cmd: `winrm set winrm/config/client @{TrustedHosts="*.contoso.com"}` (PowerShell:
    `winrm set winrm/config/client '@{TrustedHosts="*.contoso.com"}'`), or
    `reg add HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client /v trusted_hosts /t REG_SZ /d "*.contoso.com" /f`.
    Or connect over HTTPS (`-UseSSL`) to hosts with an HTTPS listener. `*` also works but trusts
    every host (WRM301).
    ```diff
    --- dump1.txt
    +++ dump1.txt
    @@ -6,3 +6,3 @@
             HTTP = 5985
             HTTPS = 5986
    -    TrustedHosts
    +    TrustedHosts = *.contoso.com
    ```
    """
    if host.join_state not in _NOT_DOMAIN:
        return
    setting = host.get(TRUSTED_HOSTS)
    if setting is None or not isinstance(setting.value, str) or setting.value.strip():
        return
    if setting.is_default:
        found = "is empty (the Windows default)"
    elif setting.source is Source.GPO:
        found = "is empty (set by Group Policy)"
    else:
        found = "is empty"
    joined = join_location(host)
    yield ctx.finding(
        host,
        setting,
        f"Client `TrustedHosts` {found} on {join_shown(host)}: connections without HTTPS fail with \"The "
        "WinRM client cannot process the request. If the authentication scheme is different from Kerberos, "
        "or if the client computer is not joined to a domain, then HTTPS transport must be used or the "
        "destination machine must be added to the TrustedHosts configuration setting\"; expected the hosts "
        "you connect to (or a domain pattern such as `*.contoso.com`), or HTTPS",
        fix=f"{remedy(setting, PLACEHOLDER)}, and pass `-Credential`; or connect over HTTPS (`-UseSSL`)",
        related=[joined] if joined is not None else [],
    )
