"""Steps 2 and 4–9: what the client decides before a packet reaches the server (connection-model §3)."""

from __future__ import annotations

from dataclasses import replace
import fnmatch

from winrmlint.connect.attempt import credential
from winrmlint.connect.judgement import (
    FAIL, PASS, UNKNOWN, Evidence, Judgement, Pair, Remedy, client_name, fix_for, trust_entry,
    with_attempt, with_client, ev, trusted_hosts_fix,
)
from winrmlint.connect.kerberos import is_server, uses_kerberos
from winrmlint.rules import proxy as proxy_rule
from winrmlint.source import Location


def parameter_checks(pair: Pair) -> Judgement | None:
    a, plan = pair.attempt, pair.plan
    opts = a.options

    def fail(outcome: str, message: str, fixes: tuple[str, ...], fixed: Remedy | None = None,
             params: dict[str, str] | None = None) -> Judgement:
        return Judgement("2", "parameter checks", FAIL, message, outcome=outcome, fixes=fixes, remedy=fixed,
                         params=params or {})

    if a.certificate_thumbprint and a.authentication != "Default":
        return fail("certificate-with-mechanism", f"-CertificateThumbprint with -Authentication {a.authentication}",
                    ("drop -Authentication (a thumbprint means Certificate)",),
                    lambda p: with_attempt(p, authentication="Default"), {"mechanism": a.authentication})
    if a.certificate_thumbprint and plan.transport == "HTTP":
        return fail("certificate-over-http", "-CertificateThumbprint over HTTP", ("add -UseSSL",), lambda p: with_attempt(p, use_ssl=True))
    if a.authentication in ("Basic", "Digest") and not a.credential.explicit:
        return fail("basic-digest-need-credentials", f"-Authentication {a.authentication} without -Credential", ("add -Credential",), None)
    if a.authentication == "Credssp" and not a.credential.explicit:
        return fail("credssp-needs-credentials", "-Authentication Credssp without -Credential", ("add -Credential",), None)
    if a.authentication == "NegotiateWithImplicitCredential" and plan.transport == "HTTP":
        return fail("implicit-credentials-need-https", "NegotiateWithImplicitCredential over HTTP", ("add -UseSSL", "use -Authentication Negotiate with -Credential"),
                    lambda p: with_attempt(p, use_ssl=True))
    if "IncludePortInSPN" in opts and plan.mechanism not in ("Kerberos", "Negotiate"):
        return fail("spn-port-needs-kerberos", f"IncludePortInSPN with {plan.mechanism}", ("drop -IncludePortInSPN",),
                    lambda p: with_attempt(p, options=p.attempt.options - {"IncludePortInSPN"}))
    if a.authentication == "Kerberos":
        if a.name_form == "ip":
            return fail("kerberos-with-ip-address", f"-Authentication Kerberos to the IP address {a.name}", ("use the computer's DNS name",), None)
        if a.name_form == "localhost":
            return fail("kerberos-to-localhost", "-Authentication Kerberos to localhost", ("use the computer name, or Negotiate",), None)
        if not a.credential.explicit and pair.client.workgroup:
            return Judgement("2", "parameter checks", FAIL, "Kerberos with implicit credentials from a client outside a domain",
                             ev(client_name(pair), pair.client.join, f"join state: {pair.client.join.value}"),
                             outcome="workgroup-cannot-use-kerberos", fixes=("-Credential DOMAIN\\user", "-Authentication Negotiate"))
    if "NoEncryption" in opts and plan.transport == "HTTPS":
        return fail("unencrypted-flag-over-https", "NoEncryption over HTTPS", ("drop -NoEncryption",),
                    lambda p: with_attempt(p, options=p.attempt.options - {"NoEncryption"}))
    if "ProxyAccessType" in opts:
        if plan.transport == "HTTP":
            return fail("proxy-with-http", "proxy settings over HTTP", ("use -UseSSL through the proxy, or bypass it",), None)
        if plan.mechanism in ("Kerberos", "CredSSP"):
            return fail(f"proxy-with-{plan.mechanism.lower()}", f"proxy settings with {plan.mechanism}",
                        ("use Negotiate over HTTPS through the proxy",), None)
    return Judgement("2", "parameter checks", PASS, "the parameters are consistent")


def client_allows_mechanism(pair: Pair) -> Judgement | None:
    mech = pair.plan.mechanism
    fact = pair.client.auth.get(mech)
    if fact is None:
        return None
    if not fact.known:
        return Judgement("4", "client allows the mechanism", UNKNOWN, f"the client's Auth/{mech} was not collected",
                         fact=f"{pair.client.name}'s client authentication settings", collect="winrm get winrm/config/client")
    evidence = ev(client_name(pair), fact, f"Client Auth/{mech} = {str(fact.value).lower()}")
    if fact.value is False:
        outcome = {"Kerberos": "client-kerberos-disabled", "Negotiate": "client-negotiate-disabled", "Basic": "client-basic-disabled", "Digest": "client-digest-disabled", "Certificate": "client-certificate-disabled",
                   "CredSSP": "client-credssp-disabled"}[mech]
        default_kerberos = mech == "Kerberos" and pair.attempt.authentication == "Default"
        return Judgement(
            "4", "client allows the mechanism", FAIL, f"the client has {mech} authentication disabled", evidence,
            outcome=outcome, confidence="INF" if default_kerberos else "DOC",
            fixes=(fix_for(fact, True, f"winrm set winrm/config/client/auth @{{{mech}=\"true\"}}"),),
            remedy=lambda p: with_client(p, auth={**p.client.auth, mech: replace(fact, value=True)}),
        )
    return Judgement("4", "client allows the mechanism", PASS, f"Client Auth/{mech} is enabled", evidence)


def trust_gate(pair: Pair) -> Judgement | None:
    a, c, plan = pair.attempt, pair.client, pair.plan
    if not c.trusted.known:
        return Judgement("5", "TrustedHosts gate", UNKNOWN, "the client's TrustedHosts was not collected",
                         fact=f"{c.name}'s TrustedHosts", collect="winrm get winrm/config/client")
    entry = c.trusts(a.name)
    th_text = f"TrustedHosts = {','.join(c.trusted.value) or '(empty)'}"
    th_ev = ev(c.name, c.trusted, th_text)
    join_ev = ev(c.name, c.join, f"join state: {c.join.value}")
    fixes_name = (
        f"an HTTPS listener with a certificate for {a.name} on {pair.server.name}, and -UseSSL",
        trusted_hosts_fix(pair) + " and pass -Credential",
    )
    if a.name_form == "ip" and a.authentication == "Default" and not a.certificate_thumbprint:
        missing = []
        if plan.transport == "HTTP" and entry is None:
            missing.append("it is not in TrustedHosts and the transport is HTTP")
        if not a.credential.explicit:
            missing.append("no -Credential is given")
        if missing:
            first_o1 = c.workgroup and plan.transport == "HTTP" and entry is None
            names = " or ".join(pair.server.names()[:2])
            fix_list = (f"connect by name ({names}) so Kerberos is used",
                        trusted_hosts_fix(pair) + " and pass -Credential", "-UseSSL and -Credential")
            judged = Judgement(
                "5.2", "IP address with Default authentication", FAIL,
                f"{a.name} is an IP address: " + " and ".join(missing), th_ev + join_ev,
                outcome="cannot-use-ip-address", fixes=fix_list, inferred=first_o1, remedy_fix=fix_list[1],
                remedy=_ip_remedy(plan.transport == "HTTP" and entry is None, not a.credential.explicit),
            )
            if first_o1:
                # the paste [PASTE-E4] shows 0x803380E4 first from a workgroup client (order INF)
                return replace(judged, step="5.1", title="TrustedHosts gate", outcome="server-not-trusted",
                               message=f"{c.name} is not in a domain and {a.name} is not in its TrustedHosts",
                               fixes=fixes_name, remedy=trust_entry(pair), remedy_fix=fixes_name[1], confidence="OBS")
            return judged
    if plan.transport != "HTTP" or a.name_form == "localhost":
        return Judgement("5", "TrustedHosts gate", PASS, "HTTPS, or the local computer: no TrustedHosts needed")
    if entry is not None:
        return Judgement("5", "TrustedHosts gate", PASS, f"{a.name} matches the TrustedHosts entry {entry!r}", th_ev,
                         assumptions=("the server is not authenticated by TrustedHosts alone: NTLM to it proves nothing about who answers",)
                         if plan.mechanism != "Kerberos" else ())
    if c.workgroup:
        return Judgement("5.1", "TrustedHosts gate", FAIL, f"{c.name} is not in a domain and {a.name} is not in its TrustedHosts",
                         th_ev + join_ev, outcome="server-not-trusted", fixes=fixes_name, remedy=trust_entry(pair),
                         remedy_fix=fixes_name[1])
    if a.authentication in ("Negotiate", "NegotiateWithImplicitCredential") and not a.credential.explicit:
        return Judgement("5.4", "TrustedHosts gate", FAIL, f"Negotiate with implicit credentials to {a.name}, which is not in TrustedHosts",
                         th_ev, outcome="explicit-credentials-required", fixes=("add -Credential", "use Default authentication (Kerberos)"),
                         remedy=lambda p: with_attempt(p, authentication="Default"))
    if a.authentication in ("Basic", "Digest"):
        return Judgement("5.3", "TrustedHosts gate", FAIL, f"{a.authentication} over HTTP to {a.name}, which is not in TrustedHosts",
                         th_ev, outcome="server-not-trusted", fixes=("use -UseSSL",) + fixes_name[1:], remedy=trust_entry(pair),
                         remedy_fix=fixes_name[1])
    if plan.mechanism == "Negotiate" and not uses_kerberos(pair):
        # [W32-AUTH]: "If HTTPS is not the transport, then the target remote computer must be
        # configured in the list of trusted host computers"; NTLM is all Negotiate has here
        return Judgement("5.3", "TrustedHosts gate", FAIL, f"Negotiate can only use NTLM for {a.credential.shown} to {a.name}, which is not in TrustedHosts",
                         th_ev, outcome="server-not-trusted", params={"alternative": "server-identity-unverified"},
                         fixes=("use -UseSSL",) + fixes_name[1:], remedy=trust_entry(pair), remedy_fix=fixes_name[1])
    # Kerberos (or Kerberos inside Negotiate) from a domain client needs no TrustedHosts; if
    # Negotiate falls back to NTLM for want of an SPN, step 10 says so (0x803381F0)
    return Judgement("5", "TrustedHosts gate", PASS, f"{a.name} is not in TrustedHosts; {plan.mechanism} from a domain client does not need it",
                     th_ev + join_ev)


def _ip_remedy(add_trust: bool, add_credential: bool) -> Remedy:
    def apply(p: Pair) -> Pair:
        if add_trust:
            p = trust_entry(p)(p)
        if add_credential:
            kind = "local" if p.server.join.value in ("workgroup", "entra") else "domain"
            p = with_attempt(p, credential=credential(kind))
        return p
    return apply


def encryption_gate(pair: Pair) -> Judgement | None:
    plan = pair.plan
    unencrypted = plan.transport == "HTTP" and (plan.mechanism in ("Basic", "Digest") or "NoEncryption" in pair.attempt.options)
    if not unencrypted:
        return None
    fact = pair.client.allow_unencrypted
    if not fact.known:
        return Judgement("6", "encryption gate", UNKNOWN, "the client's AllowUnencrypted was not collected",
                         fact=f"{pair.client.name}'s AllowUnencrypted", collect="winrm get winrm/config/client")
    evidence = ev(pair.client.name, fact, f"Client AllowUnencrypted = {str(fact.value).lower()}")
    if fact.value is not True:
        return Judgement("6", "encryption gate", FAIL, f"{plan.mechanism} over HTTP sends unencrypted messages, and the client refuses them",
                         evidence, outcome="client-unencrypted-disabled", inferred=True,
                         fixes=("use -UseSSL to an HTTPS listener (keep AllowUnencrypted off: STIG WN10-CC-000335)",
                                "use Kerberos or Negotiate, which encrypt over HTTP"),
                         remedy=lambda p: with_attempt(p, use_ssl=True))
    return Judgement("6", "encryption gate", PASS, "the client allows unencrypted traffic", evidence,
                     assumptions=("credentials and commands cross the network in clear text (AllowUnencrypted)",))


def credssp_delegation(pair: Pair) -> Judgement | None:
    if pair.plan.mechanism != "CredSSP":
        return None
    a, c, s = pair.attempt, pair.client, pair.server
    wanted = f"WSMAN/{a.name}"
    if c.delegation is None:
        return Judgement("7", "CredSSP delegation policy", UNKNOWN,
                         f"CredSSP needs the client's Allow Delegating Fresh Credentials policy with {wanted}",
                         fact=f"{c.name}'s CredentialsDelegation policy",
                         collect=r"reg export HKLM\SOFTWARE\Policies\Microsoft\Windows\CredentialsDelegation creddeleg.reg")
    policy_fix = (f"Group Policy: Computer Configuration > Administrative Templates > System > Credentials Delegation > "
                  f"Allow delegating fresh credentials: Enabled, with {wanted} (or Enable-WSManCredSSP -Role Client -DelegateComputer {a.name})")
    fresh = _delegates(c.delegation.get("AllowFreshCredentials", ()), wanted)
    listed = c.delegation.get("AllowFreshCredentials", ())
    listed_ev = tuple(Evidence(c.name, at, f"AllowFreshCredentials: {spn}") for spn, at in listed) or ev(c.name, c.delegation_at, "AllowFreshCredentials not enabled")
    if fresh is None:
        return Judgement("7.1", "CredSSP delegation policy", FAIL, f"no Allow Delegating Fresh Credentials entry matches {wanted}",
                         listed_ev, outcome="credssp-delegation-not-allowed", fixes=(policy_fix,),
                         remedy=lambda p: with_client(p, delegation={**(p.client.delegation or {}),
                                                                      "AllowFreshCredentials": ((wanted, c.delegation_at or Location(".", 1)),)}))
    # CredSSP verifies the server by Kerberos (WSMAN/<name> on its account) or by the service certificate
    verified = a.name_form in ("short", "fqdn") and any(is_server(pair, r.account) for r in pair.env.owners(wanted))
    if verified:
        return Judgement("7.2", "CredSSP delegation policy", PASS, f"{fresh[0]} allows {wanted}, and Kerberos verifies the server",
                         (Evidence(c.name, fresh[1], f"AllowFreshCredentials: {fresh[0]}"),),
                         assumptions=("the user is not in Protected Users (CredSSP does not work for them)",))
    ntlm = _delegates(c.delegation.get("AllowFreshCredentialsWhenNTLMOnly", ()), wanted)
    if ntlm is not None:
        return Judgement("7.2", "CredSSP delegation policy", PASS, f"{ntlm[0]} allows NTLM-only delegation to {wanted}",
                         (Evidence(c.name, ntlm[1], f"AllowFreshCredentialsWhenNTLMOnly: {ntlm[0]}"),), confidence="DOC",
                         assumptions=("the server is not authenticated before the credentials are delegated (NTLM-only policy)",))
    return Judgement("7.2", "CredSSP delegation policy", FAIL,
                     f"{wanted} is not registered on {s.short.upper()}$, so CredSSP cannot verify the server, and no NTLM-only entry allows it",
                     (Evidence(c.name, fresh[1], f"AllowFreshCredentials: {fresh[0]}"),), outcome="credssp-server-not-verified",
                     fixes=(f"connect by the FQDN, whose WSMAN/ SPN the WinRM service registers", f"setspn -S {wanted} {s.short.upper()}",
                            f"on {s.name}: a service CertificateThumbprint", "Allow fresh credentials with NTLM-only server authentication (last)"))


def _delegates(entries: tuple[tuple[str, Location], ...], wanted: str) -> tuple[str, Location] | None:
    """The policy entry whose SPN pattern (`WSMAN/*.contoso.com`, `WSMAN/*`) allows `wanted`."""
    for spn, at in entries:
        if fnmatch.fnmatchcase(wanted.lower(), spn.strip().lower()):
            return spn, at
    return None


def winhttp_proxy(pair: Pair) -> Judgement | None:
    proxy, bypass = pair.client.proxy, pair.client.bypass
    if not proxy.known or not str(proxy.value or "").strip():
        return None
    if proxy_rule.bypassed(pair.attempt.name, proxy_rule.bypass_entries(str(bypass.value or ""))):
        return Judgement("8", "WinHTTP proxy", PASS, f"{pair.attempt.name} bypasses the WinHTTP proxy", ev(pair.client.name, bypass, "bypass list"))
    return Judgement("8", "WinHTTP proxy", PASS, f"the WinHTTP proxy {proxy.value} is in the path to {pair.attempt.name}",
                     ev(pair.client.name, proxy, f"WinHTTP proxy {proxy.value}"), confidence="INF",
                     assumptions=(f"the WinHTTP proxy {proxy.value} passes WinRM traffic to {pair.attempt.name} (WinRM-Diag warns it may not)",))


def name_resolution(pair: Pair) -> Judgement | None:
    a, s = pair.attempt, pair.server
    if a.name_form == "localhost":
        return None
    listen = s.listeners_at
    shown = ", ".join(s.addresses) or "its addresses"
    if a.name_form == "ip":
        if not s.addresses:
            return Judgement("9", "name resolution", PASS, f"{a.name} is an address", assumptions=(f"{a.name} reaches {s.name}",))
        if a.name.lower() in (x.lower() for x in s.addresses):
            return Judgement("9", "name resolution", PASS, f"{a.name} is one of {s.name}'s listening addresses",
                             ev(s.name, listen, f"ListeningOn {shown}"), assumptions=(f"nothing between the hosts translates {a.name}",))
        return Judgement("9", "name resolution", UNKNOWN, f"{a.name} is not among {s.name}'s listening addresses ({shown})",
                         ev(s.name, listen, f"ListeningOn {shown}"), fact=f"whether {a.name} reaches {s.name} (NAT, a load balancer)",
                         collect=f"Test-NetConnection {a.name} -Port {pair.plan.port} (on {pair.client.name})")
    answer, lines = pair.client.resolve(a.name)
    dns_ev = tuple(Evidence(pair.client.name, at, f"Resolve-DnsName {a.name}") for at in lines)
    if answer is not None:
        if not answer:
            kerberos_first = pair.plan.mechanism == "Kerberos" or uses_kerberos(pair)
            return Judgement("9", "name resolution", FAIL, f"{a.name} does not exist in DNS, as {pair.client.name} resolves it", dns_ev,
                             outcome="kerberos-computer-not-found" if kerberos_first else "server-name-not-resolved",
                             confidence="OBS" if kerberos_first else "DOC", params={"name": a.name},
                             fixes=(f"connect by a name that resolves ({', '.join(s.names()[:2])})", f"register {a.name} in DNS"),
                             remedy=lambda p: with_attempt(p, name=s.short, name_form="short"))
        if set(x.lower() for x in answer) & set(x.lower() for x in s.addresses) or not s.addresses:
            return Judgement("9", "name resolution", PASS, f"{a.name} resolves to {', '.join(answer)}", dns_ev
                             + ev(s.name, s.listeners_at, f"ListeningOn {', '.join(s.addresses)}"))
        return Judgement("9", "name resolution", UNKNOWN, f"{a.name} resolves to {', '.join(answer)}, which {s.name}'s listeners do not show",
                         dns_ev, fact=f"whether {', '.join(answer)} reaches {s.name} (NAT, a load balancer, a stale record)",
                         collect=f"Test-NetConnection {a.name} -Port {pair.plan.port} (on {pair.client.name})")
    if s.is_named(a.name):
        return Judgement("9", "name resolution", PASS, f"{a.name} is {s.name}'s own name",
                         assumptions=(f"{a.name} resolves to {shown} on {pair.client.name}",))
    return Judgement("9", "name resolution", UNKNOWN, f"{a.name} is not a name {s.name}'s dumps give it (an alias?)",
                     fact=f"what {a.name} resolves to", collect=f"Resolve-DnsName {a.name} (on {pair.client.name})")
