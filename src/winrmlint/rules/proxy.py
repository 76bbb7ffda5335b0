"""WRM511: a machine-wide WinHTTP proxy that WinRM's client sends its connections through."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from winrmlint.findings import Finding
from winrmlint.model import paths
from winrmlint.model.host import Host, Setting
from winrmlint.rules.base import TROUBLE, Context, enumerate_words, known_text, rule
from winrmlint.model import trusted_hosts as trusted

# WinHTTP's bypass token for names without a dot (NetBIOS names such as `Server01`).
LOCAL = "<local>"


def bypass_entries(value: str) -> list[str]:
    """netsh writes the list with `;`; a hand-set list may use `,` or spaces."""
    return [part for part in value.replace(",", ";").replace(" ", ";").split(";") if part]


def bypassed(host_pattern: str, bypass: list[str]) -> bool:
    """Whether a TrustedHosts entry (a name, an address or a pattern) skips the proxy."""
    target = host_pattern.strip("[]").lower()
    if not target or target == "*":
        return True  # a bare `*` names no host to compare; WRM301 deals with it
    for entry in bypass:
        low = entry.lower()
        if low == LOCAL:
            if "." not in target and ":" not in target:
                return True
        elif fnmatch.fnmatchcase(target, low.strip("[]")):
            return True
    return False


def dns_domain(host: Host) -> str | None:
    """The host's DNS domain, from a dotted name an input gives it (`host/fqdn`, `host/domain`)."""
    fqdn = host.get(paths.HOST_FQDN)
    for reading in fqdn.readings if fqdn is not None else ():
        if isinstance(reading.value, str) and "." in reading.value.strip(". "):
            return reading.value.strip(". ").split(".", 1)[1].lower()
    domain = known_text(host.get(paths.HOST_DOMAIN))
    return domain.strip(". ").lower() if domain and "." in domain.strip(". ") else None


def names_pattern(entry: str) -> bool:
    """A bypass entry that names DNS names with a dot (`*.corp.contoso.com`), not an address."""
    return "." in entry and entry.lower() != LOCAL and any(c.isalpha() for c in entry.replace("*", ""))


def fqdns_bypassed(bypass: list[str], domain: str | None) -> bool:
    """Whether connections by FQDN skip the proxy: `<local>` matches only names without a dot,
    so the domain's names need a pattern of their own. Without the domain known, any name
    pattern is taken to be it."""
    if domain is not None:
        return bypassed(f"*.{domain}", [e for e in bypass if e.lower() != LOCAL])
    return any(names_pattern(e) for e in bypass)


def known_stripped(setting: Setting | None) -> str | None:
    text = known_text(setting)
    return None if text is None else text.strip()


@rule(
    code="WRM511", name="winhttp-proxy-in-path", level="note", kind="breaks", needs=("winhttp",),
    docs=(TROUBLE,),
)
def winhttp_proxy_in_path(host: Host, ctx: Context) -> Iterator[Finding]:
    """A WinHTTP proxy is set and WinRM connections are not exempted from it.

    ## What it finds
    `netsh winhttp show proxy` names a proxy server, and its bypass list is empty (`(none)`),
    lacks `<local>` (which exempts names without a dot, such as `Server01`), has no pattern for
    fully qualified names (`<local>` does not match `srv01.corp.contoso.com`: the domain needs
    its own `*.corp.contoso.com`, checked against the host's DNS domain where an input shows it),
    or does not match the entries of the client's `TrustedHosts` (when `winrm get winrm/config`
    is in the bundle): connections to those hosts are sent to the proxy. `Direct access (no proxy server).` is
    silent, and so is a dump cut before its bypass line.

    ## Why it matters
    "Because PowerShell remoting uses the HTTP protocol, it is affected by HTTP proxy settings.
    In enterprises that have proxy servers, users cannot access a PowerShell remote computer
    directly." The proxy does not reach, or refuses, the internal hosts, and the command fails
    with "The client cannot connect to the destination specified in the request. Verify that
    the service on the destination is running and is accepting requests." although the
    destination is fine.

    ## Example
    ```netsh-winhttp
    C:\\Windows\\system32>netsh winhttp show proxy

    Current WinHTTP proxy settings:

        Proxy Server(s) :  proxy.corp.example.com:8080
        Bypass List     :  (none)
    ```

    ## Fix
    Exempt the hosts WinRM connects to: `<local>` for short names only (it matches no name with a
    dot), then the domain patterns for FQDNs (`*.corp.example.com`) and the addresses of the
    managed hosts:
    ```console
    netsh winhttp set proxy proxy-server="proxy.corp.example.com:8080" bypass-list="<local>;*.corp.example.com;10.*"
    ```
    or, if nothing on the machine needs the proxy, `netsh winhttp reset proxy`. For one command
    or one session, about_Remote_Troubleshooting's way is a session option:
    `$SessionOption = New-PSSessionOption -ProxyAccessType NoProxyServer` (or `IEConfig`,
    `WinHttpConfig`, `AutoDetect` with `-ProxyAuthentication` and `-ProxyCredential` where the
    proxy must be used), passed with `-SessionOption $SessionOption` to `New-PSSession`,
    `Enter-PSSession` or `Invoke-Command`, or set as `$PSSessionOption` in the profile.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -4,3 +4,3 @@
     
         Proxy Server(s) :  proxy.corp.example.com:8080
    -    Bypass List     :  (none)
    +    Bypass List     :  <local>;*.corp.example.com;10.*
    ```
    """
    proxy = host.get(paths.WINHTTP_PROXY)
    server = known_stripped(proxy)
    bypass_setting = host.get(paths.WINHTTP_BYPASS)
    bypass_text = known_stripped(bypass_setting)
    if proxy is None or not server or bypass_setting is None or bypass_text is None:
        return
    bypass = bypass_entries(bypass_text)
    listed = trusted.of(host)
    uncovered = [e for e in trusted.entries(str(listed.value)) if e and not bypassed(e, bypass)] if listed else []
    lacks_local = not any(entry.lower() == LOCAL for entry in bypass)
    domain = dns_domain(host)
    domain_pattern = f"*.{domain}" if domain else "*.<your DNS domain>"
    # a TrustedHosts pattern for the domain, missing from the list, is named once, as the domain's
    lacks_fqdns = not fqdns_bypassed(bypass, domain) and domain_pattern.lower() not in (e.lower() for e in uncovered)
    if not lacks_local and not uncovered and not lacks_fqdns:
        return
    parts = [f"`{LOCAL}` (names without a dot)"] if lacks_local else []
    if lacks_fqdns:
        whose = " of the host's domain" if domain else ""
        parts.append(f"`{domain_pattern}` (FQDNs{whose}; `{LOCAL}` matches only names without a dot)")
    if uncovered:
        parts.append(enumerate_words([f"`{entry}`" for entry in uncovered]) + " of `TrustedHosts`")
    wanted = enumerate_words(parts)
    if bypass:
        message = (
            f"WinHTTP proxy `{server}` is set and its bypass list `{bypass_text}` lacks {wanted}: WinRM "
            "connections to those hosts go through the proxy; expected them in the bypass list"
        )
    else:
        message = (
            f"WinHTTP proxy `{server}` is set and its bypass list is empty: every WinRM connection goes "
            f"through the proxy; expected a bypass list with {wanted}"
        )
    new_list = ";".join(
        dict.fromkeys([*bypass, *([LOCAL] if lacks_local else []), *([domain_pattern] if lacks_fqdns else []), *uncovered])
    )
    yield ctx.finding(
        host,
        proxy,
        message,
        fix=f'`netsh winhttp set proxy proxy-server="{server}" bypass-list="{new_list}"`, or per session '
        "`New-PSSessionOption -ProxyAccessType NoProxyServer` passed with `-SessionOption`",
        related=[bypass_setting.location, *([listed.location] if uncovered and listed else [])],
    )
