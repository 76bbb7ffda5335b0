"""WRM2xx: which authentication schemes the WinRM client and service accept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from winrmlint.findings import Finding
from winrmlint.model import catalog, paths
from winrmlint.model.host import Host, Setting
from winrmlint.model.values import Source
from winrmlint.rules import benchmarks
from winrmlint.rules.base import (
    AUTH,
    INSTALL,
    JOIN,
    Context,
    Doc,
    enumerate_words,
    flag_is,
    join_location,
    join_shown,
    literal,
    remedy,
    rule,
    shown,
)
from winrmlint.rules.transport import SERVICE_BASIC

CLIENT_BASIC = "winrm/config/client/auth/Basic"
CLIENT_UNENCRYPTED = "winrm/config/client/AllowUnencrypted"
CLIENT_DIGEST = "winrm/config/client/auth/Digest"
CLIENT_CREDSSP = "winrm/config/client/auth/CredSSP"
SERVICE_CREDSSP = "winrm/config/service/auth/CredSSP"
SERVICE_CERTIFICATE = "winrm/config/service/auth/Certificate"
SERVICE_CBT = "winrm/config/service/auth/CbtHardeningLevel"


@rule(
    code="WRM201", name="client-basic-auth", level="warning", kind="exposure", needs=("winrm/config/client",),
    docs=(AUTH,), security_severity=7.0, cwe=("CWE-522",),
    baselines=benchmarks.CLIENT_BASIC.listed,
)
def client_basic_auth(host: Host, ctx: Context) -> Iterator[Finding]:
    """The WinRM client may use Basic authentication.

    ## What it finds
    Client `Auth/Basic` is `true` where it exposes a password: with client `AllowUnencrypted`
    also `true` (Basic then crosses HTTP in clear text), or pushed by Group Policy (`[Source="GPO"]`
    in `winrm get winrm/config`, or `AllowBasic` = 1 under
    `HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client`). Windows ships the client with
    `Basic = true` (every `winrm get` dump shows it, although "Authentication for Remote
    Connections" says otherwise), and with `AllowUnencrypted = false` the client sends Basic only
    over HTTPS: the default profile is silent on it. `--profile stig` and `--profile cis` apply the
    benchmark's reading instead: the policy "Allow Basic authentication" must be set to Disabled,
    and a missing policy is a finding (STIG WN10-CC-000330 and its per-OS IDs, CIS 18.10.88.1.1).

    ## Why it matters
    With Basic the client sends the user name and password to the server in every request, only
    base64-encoded: over HTTP (with `AllowUnencrypted`) anyone on the path reads them, and over
    HTTPS any server that can present a trusted certificate receives the plain password. The
    DISA STIG (CAT I) requires "Allow Basic authentication" to be Disabled for the WinRM client.

    ## Example
    ```winrm-config
    Client
        NetworkDelayms = 5000
        URLPrefix = wsman
        AllowUnencrypted = true
        Auth
            Basic = true
            Digest = true
            Kerberos = true
            Negotiate = true
            Certificate = true
            CredSSP = false
    ```

    ## Fix
    cmd:
    ```cmd
    winrm set winrm/config/client/auth @{Basic="false"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config/client/auth '@{Basic="false"}'
    ```
    Or by Group Policy, as the STIG checks it: Computer Configuration > Administrative Templates >
    Windows Components > Windows Remote Management (WinRM) > WinRM Client > Allow Basic
    authentication: Disabled.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -4,5 +4,5 @@
    -    AllowUnencrypted = true
    +    AllowUnencrypted = false
         Auth
             Basic = true
             Digest = true
             Kerberos = true
    ```
    """
    yield from benchmarks.judged(host, ctx, benchmarks.CLIENT_BASIC, _client_basic_auth(host, ctx))


def _client_basic_auth(host: Host, ctx: Context) -> Iterator[Finding]:
    basic, unencrypted = host.get(CLIENT_BASIC), host.get(CLIENT_UNENCRYPTED)
    if basic is None or basic.value is not True:
        return
    # client Basic is the shipped default: it exposes a password only in clear text (client
    # AllowUnencrypted) or when a policy pushes it on purpose (issue 10, pattern 1)
    if unencrypted is not None and unencrypted.value is True:
        why = f"with client `AllowUnencrypted` {shown(unencrypted)}, the password crosses HTTP in clear text"
        related = [unencrypted.location]
    elif basic.source is Source.GPO:
        why = ("a policy pushes it, so any script on this client may log on with `-Authentication Basic`, "
               "which sends the password in every request, only base64-encoded")
        related = []
    else:
        return
    yield ctx.finding(
        host,
        basic,
        f"Client Auth `Basic` is {shown(basic)}: {why}; expected `false`",
        fix=remedy(basic, False),
        related=related,
    )



@rule(
    code="WRM202", name="service-basic-auth", level="error", kind="exposure", needs=("winrm/config/service",),
    docs=(AUTH,), security_severity=8.1, cwe=("CWE-522",),
    baselines=benchmarks.SERVICE_BASIC.listed,
)
def service_basic_auth(host: Host, ctx: Context) -> Iterator[Finding]:
    """The WinRM service accepts Basic authentication.

    ## What it finds
    Service `Auth/Basic` is `true`, in `winrm get winrm/config`, the WinRM registry store, or the
    Group Policy value `AllowBasic` under
    `HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service`. The Windows default is `false`.

    ## Why it matters
    The service then accepts a local account's user name and password sent with every request,
    only base64-encoded: a password captured once (over HTTP, or by anything that terminates the
    TLS connection) gives remote command execution on the host, and the service can be attacked
    by password guessing without Kerberos or NTLM in the way. When `AllowUnencrypted` is also
    `true`, WRM103 reports the clear-text case. The DISA STIG (CAT I) requires "Allow Basic
    authentication" to be Disabled for the WinRM service.

    ## Example
    ```winrm-config
    Service
        AllowUnencrypted = false
        Auth
            Basic = true
            Kerberos = true
            Negotiate = true
            Certificate = false
            CredSSP = false
            CbtHardeningLevel = Relaxed
    ```

    ## Fix
    cmd:
    ```cmd
    winrm set winrm/config/service/auth @{Basic="false"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config/service/auth '@{Basic="false"}'
    ```
    Or by Group Policy: Computer Configuration > Administrative Templates > Windows Components >
    Windows Remote Management (WinRM) > WinRM Service > Allow Basic authentication: Disabled.

    First move what still logs on with Basic, or it stops working: Ansible and pywinrm with the
    `basic` transport (`ansible_winrm_transport: basic`, common in Packer and Vagrant templates),
    and PowerShell on Linux or macOS connecting with `-Authentication Basic`. Give them NTLM,
    Kerberos or CredSSP over HTTPS (pywinrm's `ntlm`, `kerberos` or `credssp` transport to port
    5986; PowerShell with `-Authentication Negotiate` or `Kerberos` and `-UseSSL`), or
    certificate authentication, which needs service `Auth/Certificate`, an HTTPS listener and a
    certificate mapping to a local account ("You must also create an entry in the CertMapping
    table on the WinRM server computer"; pywinrm's `certificate` transport).
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -2,5 +2,5 @@
         AllowUnencrypted = false
         Auth
    -        Basic = true
    +        Basic = false
             Kerberos = true
             Negotiate = true
    ```
    """
    yield from benchmarks.judged(host, ctx, benchmarks.SERVICE_BASIC, _service_basic_auth(host, ctx))


# What still logs on with service Basic, and what each can use instead, so that turning it off
# is planned rather than discovered (pywinrm's transports: basic, ntlm, kerberos, credssp, certificate)
BASIC_DEPENDENTS = (
    "Before turning it off, move what still logs on with Basic: Ansible and pywinrm with the `basic` "
    "transport (`ansible_winrm_transport: basic`) and PowerShell on Linux or macOS connecting with "
    "`-Authentication Basic`. Move them to NTLM, Kerberos or CredSSP over HTTPS (pywinrm's `ntlm`, `kerberos` "
    "or `credssp` transport on port 5986; PowerShell with `-Authentication Negotiate` or `Kerberos` and `-UseSSL`), "
    "or to certificate authentication (service `Auth/Certificate`, an HTTPS listener and a `winrm/config/service/"
    "certmapping` entry for a local account; pywinrm's `certificate` transport)"
)


def _service_basic_auth(host: Host, ctx: Context) -> Iterator[Finding]:
    for found in flag_is(host, ctx, SERVICE_BASIC, True, "Service Auth"):
        yield replace(found, fix=f"{BASIC_DEPENDENTS}. Then: {found.fix}" if found.fix else BASIC_DEPENDENTS)


@rule(
    code="WRM203", name="client-digest-auth", level="warning", kind="exposure", needs=("winrm/config/client",),
    docs=(AUTH,), security_severity=5.3,
    baselines=benchmarks.CLIENT_DIGEST.listed,
)
def client_digest_auth(host: Host, ctx: Context) -> Iterator[Finding]:
    """The WinRM client may use Digest authentication.

    ## What it finds
    Client `Auth/Digest` is `true` because a policy says so: `[Source="GPO"]` in `winrm get
    winrm/config`, or `AllowDigest` = 1 under
    `HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client`. Mind the inverted policy:
    "Disallow Digest authentication" **Enabled** writes `AllowDigest = 0`, the hardened state;
    Disabled writes `AllowDigest = 1`. Windows ships the client with `Digest = true` and the
    WinRM service never accepts Digest, so the default profile is silent on the untouched value;
    `--profile stig` / `cis` report a missing policy, as the benchmarks do.

    ## Why it matters
    Digest is an old MD5-based challenge-response scheme that sends credential material
    derived from the password to whichever server asks for it, and it does not authenticate the
    server. Windows' own WinRM service does not accept it ("Digest is not supported. It cannot be
    configured, for the WinRM server component"), so leaving it on only serves third-party
    endpoints, or an attacker posing as one. The DISA STIG requires the policy "Disallow Digest
    authentication" to be Enabled for the WinRM client.

    ## Example
    ```winrm-config
    Client
        AllowUnencrypted = false
        Auth
            Basic = false
            Digest = true [Source="GPO"]
            Kerberos = true
            Negotiate = true
            Certificate = true
            CredSSP = false
    ```

    ## Fix
    cmd:
    ```cmd
    winrm set winrm/config/client/auth @{Digest="false"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config/client/auth '@{Digest="false"}'
    ```
    Or by Group Policy, as the STIG checks it: Computer Configuration > Administrative Templates >
    Windows Components > Windows Remote Management (WinRM) > WinRM Client > Disallow Digest
    authentication: **Enabled** (the policy is worded as a prohibition: Enabled turns Digest off).
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -3,5 +3,5 @@
         Auth
             Basic = false
    -        Digest = true [Source="GPO"]
    +        Digest = false [Source="GPO"]
             Kerberos = true
             Negotiate = true
    ```
    """
    yield from benchmarks.judged(host, ctx, benchmarks.CLIENT_DIGEST, _client_digest_auth(host, ctx))


def _client_digest_auth(host: Host, ctx: Context) -> Iterator[Finding]:
    digest = host.get(CLIENT_DIGEST)
    # Digest is on by default and the WinRM service never accepts it: it matters when a policy
    # turns it on ("Disallow Digest authentication" Disabled writes AllowDigest = 1)
    if digest is None or digest.value is not True or digest.source is not Source.GPO:
        return
    yield ctx.finding(
        host,
        digest,
        f"Client Auth `Digest` is {shown(digest)}: the policy \"Disallow Digest authentication\" is "
        "Disabled, so the client answers Digest challenges from any server; expected `false`",
        fix=remedy(digest, False),
    )



@rule(
    code="WRM204", name="credssp-enabled", level="warning", kind="exposure",
    needs=("winrm/config/client", "winrm/config/service"), docs=(INSTALL,), security_severity=6.5,
    cwe=("CWE-522",),
)
def credssp_enabled(host: Host, ctx: Context) -> Iterator[Finding]:
    """CredSSP authentication is enabled on the WinRM client or service.

    ## What it finds
    Client `Auth/CredSSP` or service `Auth/CredSSP` is `true` (set by `Enable-WSManCredSSP`,
    `winrm set`, the WinRM registry store, or the policies "Allow CredSSP authentication").
    Each side is a finding of its own. The Windows default is `false` on both.

    ## Why it matters
    CredSSP delegates the user's full credentials to the server so that it can reach a second
    hop. A client with CredSSP on hands the password to every server it delegates to (the
    "Allow delegating fresh credentials" list, often `WSMAN/*`), and a compromised server
    harvests it; a service with CredSSP on receives and caches the credentials of everyone who
    connects that way, so whoever controls the server can reuse them anywhere. Kerberos
    constrained delegation or resource-based delegation, or passing `-Credential` on the second
    hop, avoids exposing the password.

    ## Example
    ```winrm-config
    Client
        Auth
            Basic = false
            Digest = false
            Kerberos = true
            Negotiate = true
            Certificate = true
            CredSSP = true
    ```
    ```winrm-config
    Service
        Auth
            Basic = false
            Kerberos = true
            Negotiate = true
            Certificate = false
            CredSSP = true
            CbtHardeningLevel = Relaxed
    ```

    ## Fix
    ```powershell
    Disable-WSManCredSSP -Role Client
    Disable-WSManCredSSP -Role Server
    ```
    `Disable-WSManCredSSP -Role Client` also removes the credential delegation it configured.
    The same with `winrm`: cmd: `winrm set winrm/config/client/auth @{CredSSP="false"}` (PowerShell: `winrm set winrm/config/client/auth '@{CredSSP="false"}'`) and
    cmd: `winrm set winrm/config/service/auth @{CredSSP="false"}` (PowerShell: `winrm set winrm/config/service/auth '@{CredSSP="false"}'`). If Group Policy sets it:
    Computer Configuration > Administrative Templates > Windows Components > Windows Remote
    Management (WinRM) > WinRM Client (or WinRM Service) > Allow CredSSP authentication: Disabled.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -6,3 +6,3 @@
             Negotiate = true
             Certificate = true
    -        CredSSP = true
    +        CredSSP = false
    --- dump1.txt
    +++ dump1.txt
    @@ -5,4 +5,4 @@
             Negotiate = true
             Certificate = false
    -        CredSSP = true
    +        CredSSP = false
             CbtHardeningLevel = Relaxed
    ```
    """
    for path, side, role in ((CLIENT_CREDSSP, "Client", "Client"), (SERVICE_CREDSSP, "Service", "Server")):
        setting = host.get(path)
        if setting is None or setting.value is not True:
            continue
        yield ctx.finding(
            host,
            setting,
            f"{side} Auth `CredSSP` is {shown(setting)}; expected `false`",
            fix=_credssp_fix(setting, role),
        )


def _credssp_fix(setting: Setting, role: str) -> str:
    if setting.source is Source.GPO:
        return remedy(setting, False)
    # Disable-WSManCredSSP also undoes the delegation policy Enable-WSManCredSSP wrote
    return f"`Disable-WSManCredSSP -Role {role}` (or {remedy(setting, False)})"


@rule(
    code="WRM205", name="certificate-auth-without-https", level="error", kind="breaks",
    needs=(catalog.LISTENERS,), docs=(AUTH,),
)
def certificate_auth_without_https(host: Host, ctx: Context) -> Iterator[Finding]:
    """The service accepts certificate authentication but has no enabled HTTPS listener.

    ## What it finds
    Service `Auth/Certificate` is `true` while the listener enumeration (`winrm enumerate
    winrm/config/listener`) shows no enabled HTTPS listener. Without a listener enumeration in
    the bundle the rule stays silent.

    ## Why it matters
    Client certificate authentication happens in the TLS handshake, so it only works over HTTPS;
    it also needs an entry in the service's CertMapping table that maps the certificate to a
    local account. With HTTP listeners only, every client that tries it fails, and the setting
    usually marks a half-finished set-up (the HTTPS listener was removed, never created, or is
    disabled): the automation that was meant to use certificates falls back to, or is
    reconfigured with, weaker schemes.

    ## Example
    ```winrm-config
    Service
        AllowUnencrypted = false
        Auth
            Basic = false
            Kerberos = true
            Negotiate = true
            Certificate = true
            CredSSP = false
            CbtHardeningLevel = Relaxed
    ```
    ```winrm-listener
    Listener
        Address = *
        Transport = HTTP
        Port = 5985
        Hostname
        Enabled = true
        URLPrefix = wsman
        CertificateThumbprint
        ListeningOn = 10.0.0.5, 127.0.0.1, ::1
    ```

    ## Fix
    Create an HTTPS listener with a Server Authentication certificate whose CN matches the host
    name (or enable the HTTPS listener that is there):
    cmd:
    ```cmd
    winrm create winrm/config/Listener?Address=*+Transport=HTTPS @{Hostname="<host FQDN>";CertificateThumbprint="<thumbprint>"}
    ```
    PowerShell:
    ```powershell
    winrm create winrm/config/Listener?Address=*+Transport=HTTPS '@{Hostname="<host FQDN>";CertificateThumbprint="<thumbprint>"}'
    ```
    If no client uses certificates, turn certificate authentication off instead:
    cmd: `winrm set winrm/config/service/auth @{Certificate="false"}` (PowerShell: `winrm set winrm/config/service/auth '@{Certificate="false"}'`).
    ```diff
    --- dump1.txt
    +++ dump1.txt
    @@ -1,9 +1,9 @@
     Listener
         Address = *
    -    Transport = HTTP
    -    Port = 5985
    -    Hostname
    +    Transport = HTTPS
    +    Port = 5986
    +    Hostname = web01.contoso.com
         Enabled = true
         URLPrefix = wsman
    -    CertificateThumbprint
    +    CertificateThumbprint = 3B9C2F0A8E1D7C6B5A4F3E2D1C0B9A8F7E6D5C4B
         ListeningOn = 10.0.0.5, 127.0.0.1, ::1
    ```
    """
    certificate = host.get(SERVICE_CERTIFICATE)
    if certificate is None or certificate.value is not True or not host.listeners_collected:
        return
    listeners = host.listeners()
    https = [lst for lst in listeners if lst.transport == "HTTPS"]
    if any(lst.enabled for lst in https):
        return
    if https:
        found = f"HTTPS listener {enumerate_words([lst.with_port() for lst in https])} is disabled"
        first = https[0]
        create = (
            f"`winrm set winrm/config/Listener?Address={first.address}+Transport=HTTPS "
            '@{Enabled="true"}`'
        )
    else:
        found = "no HTTPS listener is configured" if listeners else "no listener is configured"
        create = (
            "`winrm create winrm/config/Listener?Address=*+Transport=HTTPS "
            '@{Hostname="<host FQDN>";CertificateThumbprint="<thumbprint>"}`'
        )
    yield ctx.finding(
        host,
        certificate,
        f"Service Auth `Certificate` is {shown(certificate)} but {found}: certificate "
        "authentication works only over HTTPS; expected an enabled HTTPS listener, or `Certificate` `false`",
        fix=f"{create}; or, if no client uses certificates, {remedy(certificate, False)}",
        related=[lst.anchor.location for lst in listeners],
    )


@rule(
    code="WRM207", name="cbt-hardening-none", level="warning", kind="exposure", needs=("winrm/config/service",),
    docs=(INSTALL,), security_severity=5.9,
)
def cbt_hardening_none(host: Host, ctx: Context) -> Iterator[Finding]:
    """The WinRM service does not check channel binding tokens.

    ## What it finds
    Service `Auth/CbtHardeningLevel` is `None`, set locally, in the WinRM registry store or by
    the policy "Specify channel binding token hardening level" (value `CbtHardeningLevel` under
    `HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service`). The Windows default is `Relaxed`.

    ## Why it matters
    A channel binding token ties a Kerberos or NTLM authentication to the TLS channel it was sent
    on, so it matters on HTTPS listeners. With `None` the service accepts every request, with or
    without a valid token: an attacker who relays a client's authentication from another TLS
    session (an NTLM relay to the HTTPS listener) is let in. `Relaxed`, the default, rejects
    invalid tokens and accepts requests without one; `Strict` requires a valid token.

    ## Example
    ```winrm-config
    Service
        Auth
            Basic = false
            Kerberos = true
            Negotiate = true
            Certificate = false
            CredSSP = false
            CbtHardeningLevel = None
    ```

    ## Fix
    cmd:
    ```cmd
    winrm set winrm/config/service/auth @{CbtHardeningLevel="Relaxed"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config/service/auth '@{CbtHardeningLevel="Relaxed"}'
    ```
    Use `Strict` once every client that connects over HTTPS sends channel binding tokens.
    If Group Policy sets it: Computer Configuration > Administrative Templates > Windows
    Components > Windows Remote Management (WinRM) > WinRM Service > Specify channel binding
    token hardening level: Enabled, with `Relaxed` or `Strict`.
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -6,3 +6,3 @@
             Certificate = false
             CredSSP = false
    -        CbtHardeningLevel = None
    +        CbtHardeningLevel = Strict
    ```
    """
    setting = host.get(SERVICE_CBT)
    if setting is None or not isinstance(setting.value, str) or setting.value.strip().lower() != "none":
        return
    yield ctx.finding(
        host,
        setting,
        f"Service Auth `CbtHardeningLevel` is {shown(setting)}; expected `Relaxed` or `Strict`",
        fix=f"{remedy(setting, 'Relaxed')} (or `Strict` once every client sends channel binding tokens)",
    )


CLIENT_KERBEROS = "winrm/config/client/auth/Kerberos"
CLIENT_NEGOTIATE = "winrm/config/client/auth/Negotiate"
SERVICE_KERBEROS = "winrm/config/service/auth/Kerberos"
SERVICE_NEGOTIATE = "winrm/config/service/auth/Negotiate"
# What each refusal breaks for domain computers (authentication-for-remote-connections.md:
# Kerberos is the default with implicit credentials in a domain, Negotiate with explicit ones)
_DOMAIN_SCHEMES = (
    (CLIENT_KERBEROS, "Client", "the client refuses Kerberos, the default between domain computers "
     "(\"Kerberos authentication is currently disabled in the client configuration\")"),
    (CLIENT_NEGOTIATE, "Client", "the client refuses Negotiate, the default with explicit credentials"),
    (SERVICE_KERBEROS, "Service", "domain clients' Kerberos requests are refused (\"The authentication "
     "mechanism requested by the client is not supported by the server\")"),
    (SERVICE_NEGOTIATE, "Service", "clients that pass `-Credential` (Negotiate) are refused"),
)


@rule(
    code="WRM206", name="kerberos-disabled", level="warning", kind="breaks", needs=(JOIN,), docs=(AUTH,),
)
def kerberos_disabled(host: Host, ctx: Context) -> Iterator[Finding]:
    """Kerberos or Negotiate authentication is off on a domain-joined computer.

    ## What it finds
    Client or service `Auth/Kerberos` or `Auth/Negotiate` is `false` (set locally, in the WinRM
    registry store, or by the policies "Disallow Kerberos authentication" and "Disallow Negotiate
    authentication", whose values `AllowKerberos` and `AllowNegotiate` are 0 when the policy is
    Enabled) on a computer that `dsregcmd /status` shows as domain joined (`DomainJoined : YES`,
    hybrid joined included). Without the join state it stays silent.

    ## Why it matters
    "Kerberos is the default method of authentication when the client is in a domain and the
    remote destination string is not one of the following: localhost, 127.0.0.1, or [::1]", and
    "If you supply explicit credentials …, Negotiate is the default method. Negotiate
    authentication determines whether the ongoing authentication method is Kerberos or NTLM".
    With Kerberos off, a domain client fails ("Kerberos authentication is currently disabled in
    the client configuration") or the service refuses it ("The WinRM client cannot process the
    request. The authentication mechanism requested by the client is not supported by the
    server…"), and administrators fall back to NTLM over TrustedHosts, Basic or CredSSP, which do
    not authenticate the server or expose credentials.

    ## Example
    ```dsregcmd
    +----------------------------------------------------------------------+
    | Device State                                                         |
    +----------------------------------------------------------------------+

                 AzureAdJoined : NO
              EnterpriseJoined : NO
                  DomainJoined : YES
                    DomainName : CORP
                   Device Name : APP07.corp.contoso.com
    ```
    ```winrm-config
    Service
        AllowUnencrypted = false
        Auth
            Basic = false
            Kerberos = false [Source="GPO"]
            Negotiate = true
            Certificate = false
            CredSSP = false
            CbtHardeningLevel = Relaxed
    ```

    ## Fix
    cmd:
    ```cmd
    winrm set winrm/config/service/auth @{Kerberos="true"}
    winrm set winrm/config/client/auth @{Kerberos="true"}
    ```
    PowerShell:
    ```powershell
    winrm set winrm/config/service/auth '@{Kerberos="true"}'
    winrm set winrm/config/client/auth '@{Kerberos="true"}'
    ```
    If Group Policy sets it: Computer Configuration > Administrative Templates > Windows
    Components > Windows Remote Management (WinRM) > WinRM Service (or WinRM Client) > Disallow
    Kerberos authentication: Disabled or Not Configured (and the same for Disallow Negotiate
    authentication), then `gpupdate /force`.
    ```diff
    --- dump1.txt
    +++ dump1.txt
    @@ -3,5 +3,5 @@
         Auth
             Basic = false
    -        Kerberos = false [Source="GPO"]
    +        Kerberos = true
             Negotiate = true
             Certificate = false
    ```
    """
    if host.join_state not in ("domain", "hybrid"):
        return
    joined = join_location(host)
    for path, role, effect in _DOMAIN_SCHEMES:
        setting = host.get(path)
        if setting is None or setting.value is not False:
            continue
        yield ctx.finding(
            host,
            setting,
            f"{role} Auth `{setting.name}` is {shown(setting)} on {join_shown(host)}: {effect}; expected `true`",
            fix=remedy(setting, True),
            related=[joined] if joined is not None else [],
        )


RUNAS_POLICY = f"{catalog.GPO_WINRM} > WinRM Service > Disallow WinRM from storing RunAs credentials"
CSP_REMOTE_MANAGEMENT = Doc(
    "Policy CSP - RemoteManagement (the WinRM Group Policy settings)",
    "https://learn.microsoft.com/windows/client-management/mdm/policy-csp-remotemanagement",
)


@rule(
    code="WRM208", name="runas-credentials-allowed", level="warning", kind="exposure",
    needs=(paths.WINRM_SERVICE_POLICY_KEY, paths.DISABLE_RUNAS), docs=(CSP_REMOTE_MANAGEMENT,),
    security_severity=5.0,
    baselines=benchmarks.DISABLE_RUNAS.listed,
)
def runas_credentials_allowed(host: Host, ctx: Context) -> Iterator[Finding]:
    r"""WinRM is allowed to store RunAs credentials for plug-ins.

    ## What it finds
    The WinRM service policy key `HKLM\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service` was
    collected (a `.reg` export or a `reg query` of it, or of a key above it, including one that
    says the key does not exist) and its value `DisableRunAs` is set to something other than 1
    (the policy Disabled), or is missing while a session configuration already runs as a stored
    `RunAsUser`. A missing value alone is the Windows default, which stores nothing: that is
    the benchmarks' finding (`--profile stig`, `--profile cis`). A `winrm
    get winrm/config` dump cannot tell: this policy has no `winrm/config` setting, so without the
    registry key the rule stays silent.

    ## Why it matters
    With the policy off, plug-ins and session configurations may keep a `RunAsUser` and its
    `RunAsPassword` in WinRM's credential store: whoever connects to such an endpoint runs as
    that stored account, often a privileged service account, and the stored password is one
    more secret to steal from the host. When the policy is enabled "the WinRM service will not
    allow the RunAsUser or RunAsPassword configuration values to be set for any plug-ins", and a
    password already stored "will be erased from the credential store"; setting one anyway fails
    with 0x803381DF or 0x803381E0. The DISA STIG checks the registry value itself: "If the
    following registry value does not exist or is not configured as specified, this is a
    finding" (`DisableRunAs`, REG_DWORD, 1), so a missing value is reported even though Windows
    stores nothing by default.

    ## Example
    ```reg
    Windows Registry Editor Version 5.00

    [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service]
    "AllowBasic"=dword:00000000
    "AllowUnencryptedTraffic"=dword:00000000
    "DisableRunAs"=dword:00000000

    ```

    ## Fix
    Computer Configuration > Administrative Templates > Windows Components > Windows Remote
    Management (WinRM) > WinRM Service > Disallow WinRM from storing RunAs credentials: Enabled,
    then `gpupdate /force` (on a computer outside a domain, in the Local Group Policy Editor,
    `gpedit.msc`). Session configurations registered with `-RunAsCredential` stop working until
    they are registered again without it (a virtual account, `-RunAsVirtualAccount`, needs no
    stored password).
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -4,4 +4,4 @@
     "AllowBasic"=dword:00000000
     "AllowUnencryptedTraffic"=dword:00000000
    -"DisableRunAs"=dword:00000000
    +"DisableRunAs"=dword:00000001
     
    ```
    """
    yield from benchmarks.judged(host, ctx, benchmarks.DISABLE_RUNAS, _runas_credentials_allowed(host, ctx))


def _runas_credentials_allowed(host: Host, ctx: Context) -> Iterator[Finding]:
    setting = host.get(paths.DISABLE_RUNAS)
    fix = (
        f'Group Policy: set "{RUNAS_POLICY}" to Enabled, then `gpupdate /force`; endpoints registered '
        "with `-RunAsCredential` must then be registered again without a stored password"
    )
    runas = _stored_runas_users(host)
    related = [s.location for s in runas]
    # the endpoints that already run as a stored account: what the policy would stop
    stored = "".join(
        f"; session configuration `{s.path.split('/')[-2]}` runs as `{s.value}`" for s in runas
    )
    if setting is not None:
        if setting.valid and str(setting.value).strip() == "1":
            return
        yield ctx.finding(
            host,
            setting,
            f"Policy value `DisableRunAs` is `{literal(setting.value)}`: \"Disallow WinRM from storing RunAs "
            f"credentials\" is not enabled, so plug-ins may keep a RunAs password{stored}; expected `1`",
            fix=fix,
            related=related,
        )
        return
    # a missing value is the Windows default, which stores nothing: the benchmarks' finding
    # (`--profile stig`), unless an endpoint already runs as a stored account
    # the most precise input that shows it absent: `reg query … /v DisableRunAs`, else the
    # Service key, else a key above it that was shown whole
    wanted = paths.DISABLE_RUNAS.lower()
    shown_by = [key for key in host.coverage if wanted == key.lower() or wanted.startswith(key.lower() + "\\")]
    if not shown_by or not runas:
        return
    absent = host.coverage[max(shown_by, key=len)]
    yield ctx.finding(
        host,
        absent,
        f"Policy value `DisableRunAs` is missing from `{paths.WINRM_SERVICE_POLICY_KEY}`: \"Disallow WinRM "
        f"from storing RunAs credentials\" is not enabled, so plug-ins may keep a RunAs password{stored}; "
        "expected `1`",
        path=paths.DISABLE_RUNAS,
        fix=fix,
        related=related,
    )


def _stored_runas_users(host: Host) -> list[Setting]:
    """The `RunAsUser` of session configurations that run as a stored account."""
    return [
        s
        for s in host.under(paths.SESSION_CONFIGS)
        if s.name.lower() == "runasuser" and isinstance(s.value, str) and s.value.strip()
    ]
