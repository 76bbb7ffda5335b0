"""Steps 11 and 12: reaching a listener through the server's firewall, and its TLS certificate."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from winrmlint.connect.capability import FirewallCap, ListenerCap
from winrmlint.connect.judgement import (
    FAIL, PASS, UNKNOWN, Evidence, Judgement, Pair, Remedy, fix_for, with_attempt, with_server, ev,
)
from winrmlint.model.values import Source
from winrmlint.source import Location


def winrm_service(pair: Pair) -> Judgement | None:
    s = pair.server
    status = s.service_status
    if status.known:
        evidence = ev(s.name, status, f"WinRM service {status.value}")
        if str(status.value).lower() != "running":
            return Judgement("11.1", "WinRM service", FAIL, f"the WinRM service on {s.name} is {status.value}", evidence,
                             outcome="cannot-connect", fixes=("Set-Service WinRM -StartupType Automatic; Start-Service WinRM",),
                             remedy=lambda p: with_server(p, service_status=replace(status, value="Running")))
        return Judgement("11.1", "WinRM service", PASS, "the WinRM service runs", evidence,
                         assumptions=(f"the WinRM service still runs on {s.name}",))
    if s.listeners is not None and s.listeners_at is not None:
        return Judgement("11.1", "WinRM service", PASS, "the service answered the listener enumeration when the dump was taken",
                         ev(s.name, s.listeners_at, "winrm enumerate winrm/config/listener"),
                         assumptions=(f"the WinRM service still runs on {s.name}",))
    return Judgement("11.1", "WinRM service", UNKNOWN, f"{s.name}'s WinRM service state was not collected",
                     fact=f"whether WinRM runs on {s.name}", collect="sc query winrm")


def remote_access(pair: Pair) -> Judgement | None:
    fact = pair.server.allow_remote_access
    if fact.known and fact.value is False:
        return Judgement("11.2", "remote access", FAIL, f"{pair.server.name} does not allow remote requests",
                         ev(pair.server.name, fact, "Service AllowRemoteAccess = false"), outcome="remote-access-disabled",
                         fixes=(fix_for(fact, True, 'winrm set winrm/config/service @{AllowRemoteAccess="true"}'),),
                         remedy=lambda p: with_server(p, allow_remote_access=replace(fact, value=True)))
    return None


def firewall_admits(pair: Pair) -> Judgement | None:
    s, port = pair.server, pair.plan.port
    if s.firewall is None:
        return Judgement("11.4", "server firewall", UNKNOWN, f"{s.name}'s firewall rules were not collected",
                         fact=f"whether {s.name}'s firewall admits TCP {port}",
                         collect='Get-NetFirewallRule -DisplayGroup "Windows Remote Management" | ForEach-Object { $_; $_ | Get-NetFirewallAddressFilter; $_ | Get-NetFirewallPortFilter }',
                         inferred=True)
    admitting = [r for r in s.firewall if r.enabled and r.allow and r.admits_port(port)]
    if not admitting:
        near = [r for r in s.firewall if r.admits_port(port)]
        evidence = tuple(Evidence(s.name, r.at, f"{r.id}: Enabled = {str(r.enabled).lower()}") for r in near) or ev(s.name, s.firewall_at, "WinRM firewall rules")
        return Judgement("11.4", "server firewall", FAIL, f"no enabled inbound rule on {s.name} admits TCP {port}", evidence,
                         outcome="network-timeout", inferred=True, confidence="INF" if not near else "DOC",
                         params={"name": pair.attempt.name},
                         fixes=(f'New-NetFirewallRule -DisplayName "Windows Remote Management (HTTPS-In)" -Direction Inbound -Protocol TCP -LocalPort {port} -Action Allow -Profile Domain,Private'
                                if port != 5985 else "Enable-PSRemoting (enables the WinRM HTTP rule)",),
                         remedy=lambda p: with_server(p, firewall=(*(p.server.firewall or ()), _open_rule(port, s.firewall_at))))
    profiles: set[str] = set()
    for r in admitting:
        profiles |= set(r.profiles or {"all"})
    evidence = tuple(Evidence(s.name, r.at, f"{r.id}: {','.join(sorted(r.profiles or {'all'}))} from {','.join(r.remote)}") for r in admitting)
    open_anywhere = [r for r in admitting if (r.profiles is None or "all" in r.profiles or {"domain", "private", "public"} <= r.profiles)
                     and any(x.lower() in ("any", "*") for x in r.remote)]
    if open_anywhere:
        return Judgement("11.4", "server firewall", PASS, f"a rule admits TCP {port} from anywhere in every profile", evidence)
    if s.profiles is not None:
        return _in_active_profile(pair, admitting, evidence)
    if s.join.value in ("domain", "hybrid") and ("domain" in profiles or "all" in profiles):
        return Judgement("11.4", "server firewall", PASS, f"a rule admits TCP {port} in the Domain profile", evidence,
                         assumptions=(f"{s.name}'s active network profile is Domain (it reaches a domain controller)",))
    return Judgement("11.4", "server firewall", UNKNOWN, f"rules admit TCP {port} only in the {', '.join(sorted(profiles))} profile(s)",
                     evidence, fact=f"{s.name}'s active network profile, and whether {pair.client.name} is on its subnet",
                     collect="Get-NetConnectionProfile | Format-List Name,InterfaceAlias,NetworkCategory", inferred=True)


_CATEGORY = {"DomainAuthenticated": "domain", "Private": "private", "Public": "public"}


def _in_active_profile(pair: Pair, admitting: list[FirewallCap], evidence: tuple[Evidence, ...]) -> Judgement:
    """The rules that admit the port, judged in the profile `Get-NetConnectionProfile` shows."""
    s, port = pair.server, pair.plan.port
    assert s.profiles is not None
    active = {_CATEGORY.get(category, category.lower()) for _, category, _ in s.profiles}
    shown = ", ".join(f"{alias}: {category}" for alias, category, _ in s.profiles) or "no connected network"
    profile_ev = tuple(Evidence(s.name, at, f"{alias} NetworkCategory {category}") for alias, category, at in s.profiles)
    inside = [r for r in admitting if r.profiles is None or "all" in r.profiles or r.profiles & active]
    if not inside:
        return Judgement("11.4", "server firewall", FAIL, f"no enabled rule admits TCP {port} in {s.name}'s active profile ({shown})",
                         evidence + profile_ev, outcome="network-timeout", inferred=True, params={"name": pair.attempt.name},
                         fixes=(f"enable a WinRM rule for TCP {port} in the {'/'.join(sorted(active))} profile, for {pair.client.name}'s subnet only "
                                "(not Any on Public: WRM510)",),
                         remedy=lambda p: with_server(p, firewall=(*(p.server.firewall or ()), _open_rule(port, s.firewall_at))))
    if any(x.lower() in ("any", "*") for r in inside for x in r.remote):
        return Judgement("11.4", "server firewall", PASS, f"a rule admits TCP {port} from anywhere in the active profile ({shown})",
                         evidence + profile_ev)
    scopes = ", ".join(sorted({x for r in inside for x in r.remote}))
    return Judgement("11.4", "server firewall", UNKNOWN, f"the rules of the active profile ({shown}) admit only {scopes}",
                     evidence + profile_ev, fact=f"whether {pair.client.name}'s address is in {scopes} of {s.name}",
                     collect="Get-NetIPAddress -AddressFamily IPv4 | Format-List IPAddress,PrefixLength (on both hosts)", inferred=True)


def _open_rule(port: int, at: Location | None) -> FirewallCap:
    return FirewallCap(f"(new rule for {port})", True, True, (str(port),), None, ("Any",), at or Location(".", 1), False)


def listener(pair: Pair) -> Judgement | None:
    s, plan, a = pair.server, pair.plan, pair.attempt
    if s.listeners is None:
        return Judgement("11.3", "listener", UNKNOWN, f"{s.name}'s listeners were not collected",
                         fact=f"{s.name}'s WinRM listeners", collect="winrm enumerate winrm/config/listener")
    same = [x for x in s.listeners if x.transport == plan.transport and x.enabled]
    on_port = [x for x in same if x.port == plan.port]
    port_fact = pair.client.ports.get(plan.transport)
    port_ev = ev(pair.client.name, port_fact, f"Client DefaultPorts {plan.transport} = {plan.port}") if a.port is None and port_fact else ()
    if not on_port:
        others = ", ".join(f"{x.transport} {x.port}" for x in s.listeners if x.enabled) or "none"
        evidence = tuple(Evidence(s.name, x.at, f"listener {x.key} port {x.port}") for x in s.listeners) or ev(s.name, s.listeners_at, "no listener")
        if plan.transport == "HTTPS" and not same:
            fixes: tuple[str, ...] = (f"on {s.name}: New-Item WSMan:\\localhost\\Listener -Transport HTTPS -Address * -CertificateThumbPrint <thumbprint of a certificate for {a.name}> -Force",
                                      "connect over HTTP (without -UseSSL)")
        elif same:
            fixes = (f"-Port {same[0].port}", f"on {pair.client.name}: winrm set winrm/config/client/DefaultPorts @{{{plan.transport}=\"{same[0].port}\"}}")
        else:
            fixes = (f"on {s.name}: Enable-PSRemoting (or winrm quickconfig)",)
        new = _listener_remedy(plan.transport, plan.port, s.listeners_at)
        return Judgement("11.3", "listener", FAIL, f"{s.name} has no enabled {plan.transport} listener on port {plan.port} (it has: {others})",
                         evidence + port_ev, outcome="cannot-connect", confidence="INF" if same else "DOC", inferred=True, fixes=fixes,
                         remedy=new)
    chosen = on_port[0]
    evidence = (Evidence(s.name, chosen.at, f"listener {chosen.key} port {chosen.port}"),) + port_ev
    if chosen.listening_on is not None and not chosen.listening_on:
        return Judgement("11.3", "listener", FAIL, f"the {plan.transport} listener listens on no address (ListeningOn is empty)",
                         evidence, outcome="cannot-connect", fixes=("set the IPv4Filter/IPv6Filter to * (or the policy's filters)",))
    if chosen.url_prefix.lower() != a.application.lower():
        return Judgement("11.3", "listener", FAIL, f"the listener's URLPrefix is {chosen.url_prefix}, the attempt asks for /{a.application}",
                         evidence, outcome="url-not-available", confidence="INF", inferred=True,
                         fixes=(f"-ApplicationName {chosen.url_prefix}",))
    return Judgement("11.3", "listener", PASS, f"listener {chosen.key} serves {plan.transport} on {plan.port}", evidence)


def _listener_remedy(transport: str, port: int, at: Location | None) -> Remedy:
    def apply(p: Pair) -> Pair:
        made = ListenerCap(f"*+{transport}", transport, port, "wsman", True, None, "", "", at or Location(".", 1), Source.LOCAL)
        return with_server(p, listeners=(*(p.server.listeners or ()), made))
    return apply


_CERT_COLLECT = (r"Get-ChildItem Cert:\LocalMachine\My | Format-List Subject,DnsNameList,Thumbprint,Issuer,NotBefore,"
                 "NotAfter,EnhancedKeyUsageList,HasPrivateKey")


# the sentences of WSManFault 12175, one per problem, as the outcome table publishes them
_TLS_PROBLEMS = {
    "ca": "The SSL certificate is signed by an unknown certificate authority.",
    "cn": "The SSL certificate contains a common name (CN) that does not match the hostname.",
    "revocation": "The SSL certificate could not be checked for revocation. The server used to check for revocation might be unreachable.",
    "expired": "The SSL Certificate is expired.",
}


_TLS_HEAD = "The server certificate on the destination computer (<name>:<port>) has the following errors:"


def tls(pair: Pair) -> Judgement | None:
    if pair.plan.transport != "HTTPS":
        return None
    a, s = pair.attempt, pair.server
    opts = a.options
    listeners = [x for x in s.listeners or () if x.transport == "HTTPS" and x.port == pair.plan.port]
    evidence = tuple(Evidence(s.name, x.at, f"HTTPS listener Hostname = {x.hostname}, thumbprint {x.thumbprint}") for x in listeners)
    if {"SkipCACheck", "SkipCNCheck", "SkipRevocationCheck"} <= opts:
        return Judgement("12", "TLS certificate", PASS, "SkipCACheck, SkipCNCheck and SkipRevocationCheck: the certificate is not verified",
                         evidence, assumptions=("the certificate is not expired", "the server is not authenticated by TLS (every check skipped)"))
    if s.certificates is None or not listeners:
        return Judgement("12", "TLS certificate", UNKNOWN,
                         f"the certificate must name {a.name}, chain to a root {pair.client.name} trusts and be valid",
                         evidence, fact=f"{s.name}'s certificate {listeners[0].thumbprint if listeners else ''}".strip(), collect=_CERT_COLLECT)
    cert = s.certificates.get(listeners[0].thumbprint.upper())
    if cert is None:
        return Judgement("12", "TLS certificate", FAIL, f"the listener's thumbprint {listeners[0].thumbprint} is not in {s.name}'s LocalMachine\\My",
                         evidence, outcome="ssl-connection-failed", confidence="INF", inferred=True,
                         fixes=(f"on {s.name}: point the HTTPS listener at a certificate for {a.name} (winrm set {listeners[0].selector} "
                                "@{CertificateThumbprint=\"<thumbprint>\"})",))
    cert_ev = evidence + (Evidence(s.name, cert.at, f"certificate {cert.subject}, names {', '.join(cert.names())}, expires {cert.not_after}"),)
    problems: list[str] = []
    if "SkipCACheck" not in opts and cert.self_signed:
        problems.append("ca")
    if "SkipCNCheck" not in opts and not cert.covers(a.name):
        if cert.subject_cut:
            return Judgement("12", "TLS certificate", UNKNOWN,
                             f"the certificate's Subject is cut in the dump (`{cert.subject}`): whether it names {a.name} is not known",
                             cert_ev, fact=f"{s.name}'s certificate {cert.thumbprint}, its whole Subject", collect=_CERT_COLLECT)
        problems.append("cn")
    if cert.not_after is not None and cert.not_after < date.today().isoformat():
        problems.append("expired")
    if problems:
        names = ", ".join(cert.names()) or cert.subject
        text = " ".join([_TLS_HEAD] + [_TLS_PROBLEMS[p] for p in problems])
        fixes = [f"connect by a name the certificate holds ({names})"] if "cn" in problems and cert.names() else []
        fixes.append(f"on {s.name}: an HTTPS listener with a certificate for {a.name} from a CA {pair.client.name} trusts")
        if problems == ["ca"]:
            fixes.append("-SessionOption (New-PSSessionOption -SkipCACheck) only in a trusted lab")
        return Judgement("12", "TLS certificate", FAIL, "the certificate " + " and ".join(
            {"ca": "is self-signed", "cn": f"does not name {a.name}", "expired": f"expired on {cert.not_after}"}[p] for p in problems),
                         cert_ev, outcome="tls-certificate-rejected", confidence="OBS", params={"text": text}, fixes=tuple(fixes),
                         remedy=lambda p: with_attempt(p, options=p.attempt.options | {"SkipCACheck", "SkipCNCheck", "SkipRevocationCheck"}),
                         remedy_fix=fixes[-1] if problems != ["ca"] else fixes[0])
    trust = (f"{pair.client.name} trusts {cert.issuer} (an enterprise CA a domain member gets by policy)"
             if pair.client.join.value in ("domain", "hybrid") and "SkipCACheck" not in opts else "")
    if "SkipCACheck" not in opts and not trust:
        return Judgement("12", "TLS certificate", UNKNOWN, f"the certificate names {a.name}; whether {pair.client.name} trusts {cert.issuer} is not collected",
                         cert_ev, fact=f"{pair.client.name}'s trusted roots",
                         collect=r"Get-ChildItem Cert:\LocalMachine\Root,Cert:\LocalMachine\CA | Format-List Subject,Thumbprint,NotAfter")
    assumed = tuple(x for x in (trust, "" if "SkipRevocationCheck" in opts else f"{pair.client.name} reaches the revocation list of {cert.issuer}") if x)
    return Judgement("12", "TLS certificate", PASS, f"the certificate names {a.name} and is valid until {cert.not_after}", cert_ev, assumptions=assumed)
