"""The client's decision procedure (connection-model §3) as a table of small, pure checks.

Each check judges one attempt between two capabilities and returns a `Judgement` — pass, fail or
unknown — with its evidence, or None when it does not apply. A failure names its outcome by its id in
`winrmlint.outcomes` (rows O1…O44); the text and codes come from that one table. The order
of the table is §3's; where the closed-source client's order is not documented the step says so
(`inferred`), and the report marks it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from dataclasses import dataclass, field, replace

from winrmlint.connect.attempt import Attempt, credential
from winrmlint.connect.capability import ClientCap, EndpointCap, Env, Fact, FirewallCap, ListenerCap, ServerCap
from winrmlint.rules import proxy as proxy_rule
from winrmlint.model.values import Source
from winrmlint.rules.base import remedy
from winrmlint.model.spn_directory import account_key, common_name
from winrmlint.source import Location

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


@dataclass(frozen=True)
class Evidence:
    """One line on either host (or at the fleet's root) that a judgement rests on."""

    host: str
    location: Location
    text: str

    def to_json(self) -> dict[str, object]:
        return {"host": self.host, "file": self.location.uri, "line": self.location.line, "text": self.text}


@dataclass(frozen=True)
class Plan:
    """What the client builds from the attempt: the endpoint, the mechanism and the SPN."""

    transport: str
    port: int
    url: str
    mechanism: str  # Kerberos | Negotiate | Basic | Digest | CredSSP | Certificate
    implicit_negotiate: bool
    spn: str | None  # the SPN Kerberos asks for, None when Kerberos is not tried
    evidence: tuple[tuple[str, str, tuple[Evidence, ...]], ...]  # (what, value, evidence)


@dataclass(frozen=True)
class Pair:
    """One attempt between two hosts: everything a check may read."""

    attempt: Attempt
    client: ClientCap
    server: ServerCap
    env: Env
    plan: Plan


Remedy = Callable[[Pair], Pair]


@dataclass(frozen=True)
class Judgement:
    """What one check says about one attempt."""

    step: str
    title: str
    status: str
    message: str
    evidence: tuple[Evidence, ...] = ()
    outcome: str | None = None  # the failure's outcome: an id of `winrmlint.outcomes`
    params: dict[str, str] = field(default_factory=dict)  # the text's placeholders: name, port, list
    confidence: str = "DOC"  # DOC | OBS | INF: how sure the branch is (connection-model's tags)
    inferred: bool = False  # the check's place in the order is not documented
    fixes: tuple[str, ...] = ()  # least privilege first
    remedy: Remedy | None = None  # one fix, applied to the pair, for the cascade
    remedy_fix: str = ""  # what `remedy` does, when it is not the first of `fixes`
    fact: str = ""  # unknown: the deciding fact not collected
    collect: str = ""  # unknown: the one command that collects it
    assumptions: tuple[str, ...] = ()  # pass: runtime facts the pass rests on

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "step": self.step, "title": self.title, "status": self.status, "message": self.message,
            "evidence": [e.to_json() for e in self.evidence], "confidence": self.confidence,
            "inferred": self.inferred,
        }
        if self.outcome:
            data["outcome"] = self.outcome
        if self.fact:
            data["fact"], data["collect"] = self.fact, self.collect
        return data


Check = Callable[[Pair], "Judgement | None"]


def ev(host: str, fact: Fact | Location | None, text: str) -> tuple[Evidence, ...]:
    at = fact if isinstance(fact, Location) or fact is None else fact.at
    return () if at is None else (Evidence(host, at, text),)


def _fix(fact: Fact, expected: object, fallback: str) -> str:
    if fact.setting is not None:
        return remedy(fact.setting, expected) or fallback  # type: ignore[arg-type]
    return fallback


def _with_client(pair: Pair, **changes: Any) -> Pair:
    return replace(pair, client=replace(pair.client, **changes))


def _with_server(pair: Pair, **changes: Any) -> Pair:
    return replace(pair, server=replace(pair.server, **changes))


def _with_attempt(pair: Pair, **changes: Any) -> Pair:
    return replace(pair, attempt=replace(pair.attempt, **changes))


def _trust_entry(pair: Pair) -> Remedy:
    def apply(p: Pair) -> Pair:
        listed = (*p.client.trusted.value, p.attempt.name)
        return _with_client(p, trusted=replace(p.client.trusted, value=listed))
    return apply


def trusted_hosts_fix(pair: Pair) -> str:
    fact = pair.client.trusted
    current = ",".join(fact.value)
    value = f"{current},{pair.attempt.name}" if current else pair.attempt.name
    return _fix(fact, value, f"Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value '{value}'")


def _client_name(pair: Pair) -> str:
    return pair.client.name


def _server_name(pair: Pair) -> str:
    return pair.server.name


# --- step 2: parameter checks before any packet (client only) ------------------------------------


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
                    lambda p: _with_attempt(p, authentication="Default"), {"mechanism": a.authentication})
    if a.certificate_thumbprint and plan.transport == "HTTP":
        return fail("certificate-over-http", "-CertificateThumbprint over HTTP", ("add -UseSSL",), lambda p: _with_attempt(p, use_ssl=True))
    if a.authentication in ("Basic", "Digest") and not a.credential.explicit:
        return fail("basic-digest-need-credentials", f"-Authentication {a.authentication} without -Credential", ("add -Credential",), None)
    if a.authentication == "Credssp" and not a.credential.explicit:
        return fail("credssp-needs-credentials", "-Authentication Credssp without -Credential", ("add -Credential",), None)
    if a.authentication == "NegotiateWithImplicitCredential" and plan.transport == "HTTP":
        return fail("implicit-credentials-need-https", "NegotiateWithImplicitCredential over HTTP", ("add -UseSSL", "use -Authentication Negotiate with -Credential"),
                    lambda p: _with_attempt(p, use_ssl=True))
    if "IncludePortInSPN" in opts and plan.mechanism not in ("Kerberos", "Negotiate"):
        return fail("spn-port-needs-kerberos", f"IncludePortInSPN with {plan.mechanism}", ("drop -IncludePortInSPN",),
                    lambda p: _with_attempt(p, options=p.attempt.options - {"IncludePortInSPN"}))
    if a.authentication == "Kerberos":
        if a.name_form == "ip":
            return fail("kerberos-with-ip-address", f"-Authentication Kerberos to the IP address {a.name}", ("use the computer's DNS name",), None)
        if a.name_form == "localhost":
            return fail("kerberos-to-localhost", "-Authentication Kerberos to localhost", ("use the computer name, or Negotiate",), None)
        if not a.credential.explicit and pair.client.workgroup:
            return Judgement("2", "parameter checks", FAIL, "Kerberos with implicit credentials from a client outside a domain",
                             ev(_client_name(pair), pair.client.join, f"join state: {pair.client.join.value}"),
                             outcome="workgroup-cannot-use-kerberos", fixes=("-Credential DOMAIN\\user", "-Authentication Negotiate"))
    if "NoEncryption" in opts and plan.transport == "HTTPS":
        return fail("unencrypted-flag-over-https", "NoEncryption over HTTPS", ("drop -NoEncryption",),
                    lambda p: _with_attempt(p, options=p.attempt.options - {"NoEncryption"}))
    if "ProxyAccessType" in opts:
        if plan.transport == "HTTP":
            return fail("proxy-with-http", "proxy settings over HTTP", ("use -UseSSL through the proxy, or bypass it",), None)
        if plan.mechanism in ("Kerberos", "CredSSP"):
            return fail(f"proxy-with-{plan.mechanism.lower()}", f"proxy settings with {plan.mechanism}",
                        ("use Negotiate over HTTPS through the proxy",), None)
    return Judgement("2", "parameter checks", PASS, "the parameters are consistent")


# --- step 3 and 4: the mechanism, and whether the client allows it ---------------------------------


def client_allows_mechanism(pair: Pair) -> Judgement | None:
    mech = pair.plan.mechanism
    fact = pair.client.auth.get(mech)
    if fact is None:
        return None
    if not fact.known:
        return Judgement("4", "client allows the mechanism", UNKNOWN, f"the client's Auth/{mech} was not collected",
                         fact=f"{pair.client.name}'s client authentication settings", collect="winrm get winrm/config/client")
    evidence = ev(_client_name(pair), fact, f"Client Auth/{mech} = {str(fact.value).lower()}")
    if fact.value is False:
        outcome = {"Kerberos": "client-kerberos-disabled", "Negotiate": "client-negotiate-disabled", "Basic": "client-basic-disabled", "Digest": "client-digest-disabled", "Certificate": "client-certificate-disabled",
                   "CredSSP": "client-credssp-disabled"}[mech]
        default_kerberos = mech == "Kerberos" and pair.attempt.authentication == "Default"
        return Judgement(
            "4", "client allows the mechanism", FAIL, f"the client has {mech} authentication disabled", evidence,
            outcome=outcome, confidence="INF" if default_kerberos else "DOC",
            fixes=(_fix(fact, True, f"winrm set winrm/config/client/auth @{{{mech}=\"true\"}}"),),
            remedy=lambda p: _with_client(p, auth={**p.client.auth, mech: replace(fact, value=True)}),
        )
    return Judgement("4", "client allows the mechanism", PASS, f"Client Auth/{mech} is enabled", evidence)


# --- step 5: the trust gate (HTTP only) -------------------------------------------------------------


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
            fix_list = (f"use the DNS name ({pair.server.fqdns[0] if pair.server.fqdns else pair.server.short}) so Kerberos is used",
                        trusted_hosts_fix(pair) + " and pass -Credential", "-UseSSL and -Credential")
            judged = Judgement(
                "5.2", "IP address with Default authentication", FAIL,
                f"{a.name} is an IP address: " + " and ".join(missing), th_ev + join_ev,
                outcome="cannot-use-ip-address", fixes=fix_list, inferred=first_o1, remedy=_ip_remedy(plan.transport == "HTTP" and entry is None,
                                                                                     not a.credential.explicit),
            )
            if first_o1:
                # the paste [PASTE-E4] shows 0x803380E4 first from a workgroup client (order INF)
                return replace(judged, step="5.1", title="TrustedHosts gate", outcome="server-not-trusted",
                               message=f"{c.name} is not in a domain and {a.name} is not in its TrustedHosts",
                               fixes=fixes_name, remedy=_trust_entry(pair), remedy_fix=fixes_name[1], confidence="OBS")
            return judged
    if plan.transport != "HTTP" or a.name_form == "localhost":
        return Judgement("5", "TrustedHosts gate", PASS, "HTTPS, or the local computer: no TrustedHosts needed")
    if entry is not None:
        return Judgement("5", "TrustedHosts gate", PASS, f"{a.name} matches the TrustedHosts entry {entry!r}", th_ev,
                         assumptions=("the server is not authenticated by TrustedHosts alone: NTLM to it proves nothing about who answers",)
                         if plan.mechanism != "Kerberos" else ())
    if c.workgroup:
        return Judgement("5.1", "TrustedHosts gate", FAIL, f"{c.name} is not in a domain and {a.name} is not in its TrustedHosts",
                         th_ev + join_ev, outcome="server-not-trusted", fixes=fixes_name, remedy=_trust_entry(pair),
                         remedy_fix=fixes_name[1])
    if a.authentication in ("Negotiate", "NegotiateWithImplicitCredential") and not a.credential.explicit:
        return Judgement("5.4", "TrustedHosts gate", FAIL, f"Negotiate with implicit credentials to {a.name}, which is not in TrustedHosts",
                         th_ev, outcome="explicit-credentials-required", fixes=("add -Credential", "use Default authentication (Kerberos)"),
                         remedy=lambda p: _with_attempt(p, authentication="Default"))
    if a.authentication in ("Basic", "Digest"):
        return Judgement("5.3", "TrustedHosts gate", FAIL, f"{a.authentication} over HTTP to {a.name}, which is not in TrustedHosts",
                         th_ev, outcome="server-not-trusted", fixes=("use -UseSSL",) + fixes_name[1:], remedy=_trust_entry(pair),
                         remedy_fix=fixes_name[1])
    if plan.mechanism == "Negotiate" and not _uses_kerberos(pair):
        # [W32-AUTH]: "If HTTPS is not the transport, then the target remote computer must be
        # configured in the list of trusted host computers"; NTLM is all Negotiate has here
        return Judgement("5.3", "TrustedHosts gate", FAIL, f"Negotiate can only use NTLM for {a.credential.shown} to {a.name}, which is not in TrustedHosts",
                         th_ev, outcome="server-not-trusted", params={"alternative": "server-identity-unverified"},
                         fixes=("use -UseSSL",) + fixes_name[1:], remedy=_trust_entry(pair), remedy_fix=fixes_name[1])
    # Kerberos (or Kerberos inside Negotiate) from a domain client needs no TrustedHosts; if
    # Negotiate falls back to NTLM for want of an SPN, step 10 says so (0x803381F0)
    return Judgement("5", "TrustedHosts gate", PASS, f"{a.name} is not in TrustedHosts; {plan.mechanism} from a domain client does not need it",
                     th_ev + join_ev)


def _ip_remedy(add_trust: bool, add_credential: bool) -> Remedy:
    def apply(p: Pair) -> Pair:
        if add_trust:
            p = _trust_entry(p)(p)
        if add_credential:
            kind = "local" if p.server.join.value in ("workgroup", "entra") else "domain"
            p = _with_attempt(p, credential=credential(kind))
        return p
    return apply


# --- step 6: the encryption gate --------------------------------------------------------------------


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
                         remedy=lambda p: _with_attempt(p, use_ssl=True))
    return Judgement("6", "encryption gate", PASS, "the client allows unencrypted traffic", evidence,
                     assumptions=("credentials and commands cross the network in clear text (AllowUnencrypted)",))


# --- step 7: CredSSP delegation ---------------------------------------------------------------------


def credssp_delegation(pair: Pair) -> Judgement | None:
    if pair.plan.mechanism != "CredSSP":
        return None
    return Judgement("7", "CredSSP delegation policy", UNKNOWN,
                     "CredSSP needs the client's Allow Delegating Fresh Credentials policy with WSMAN/" + pair.attempt.name,
                     fact=f"{pair.client.name}'s CredentialsDelegation policy",
                     collect=r"reg export HKLM\SOFTWARE\Policies\Microsoft\Windows\CredentialsDelegation creddeleg.reg")


# --- step 8: proxy -----------------------------------------------------------------------------------


def winhttp_proxy(pair: Pair) -> Judgement | None:
    proxy, bypass = pair.client.proxy, pair.client.bypass
    if not proxy.known or not str(proxy.value or "").strip():
        return None
    if proxy_rule.bypassed(pair.attempt.name, proxy_rule.bypass_entries(str(bypass.value or ""))):
        return Judgement("8", "WinHTTP proxy", PASS, f"{pair.attempt.name} bypasses the WinHTTP proxy", ev(pair.client.name, bypass, "bypass list"))
    return Judgement("8", "WinHTTP proxy", PASS, f"the WinHTTP proxy {proxy.value} is in the path to {pair.attempt.name}",
                     ev(pair.client.name, proxy, f"WinHTTP proxy {proxy.value}"), confidence="INF",
                     assumptions=(f"the WinHTTP proxy {proxy.value} passes WinRM traffic to {pair.attempt.name} (WinRM-Diag warns it may not)",))


# --- step 9: name resolution -------------------------------------------------------------------------


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
    if s.is_named(a.name):
        return Judgement("9", "name resolution", PASS, f"{a.name} is {s.name}'s own name",
                         assumptions=(f"{a.name} resolves to {shown} on {pair.client.name}",))
    return Judgement("9", "name resolution", UNKNOWN, f"{a.name} is not a name {s.name}'s dumps give it (an alias?)",
                     fact=f"what {a.name} resolves to", collect=f"Resolve-DnsName {a.name} (on {pair.client.name})")


# --- step 10: Kerberos -------------------------------------------------------------------------------


def _uses_kerberos(pair: Pair) -> bool:
    plan, a = pair.plan, pair.attempt
    if plan.mechanism == "Kerberos":
        return True
    # Negotiate tries Kerberos first for a name and a domain account (or a domain logon)
    return plan.mechanism == "Negotiate" and a.name_form in ("short", "fqdn") and (
        a.credential.kind == "domain" or (not a.credential.explicit and not pair.client.workgroup)
    )


def kerberos(pair: Pair) -> Judgement | None:
    a, c, s, plan = pair.attempt, pair.client, pair.server, pair.plan
    if c.join.value == "entra" and not a.credential.explicit and plan.mechanism in ("Kerberos", "Negotiate"):
        return _entra_logon(pair)
    if not _uses_kerberos(pair):
        return None
    if a.credential.kind == "local":
        return Judgement("10.3", "Kerberos credentials", FAIL,
                         f"Kerberos is used, and {a.credential.shown} is not a domain account", ev(c.name, c.trusted, "TrustedHosts (no match)"),
                         outcome="no-logon-servers", params={"alternative": "logon-session-missing"},
                         fixes=(trusted_hosts_fix(pair) + " so that Negotiate (NTLM) is used", "use a domain account"),
                         remedy=_trust_entry(pair))
    if not c.join.known and not a.credential.explicit:
        return Judgement("10", "Kerberos", UNKNOWN, f"whether {c.name} is domain-joined decides the mechanism",
                         fact=f"{c.name}'s join state", collect="dsregcmd /status")
    if plan.spn is None:
        return None  # an IP address: Kerberos is never tried (Negotiate goes to NTLM)
    wanted = plan.spn
    if s.join.value in ("workgroup", "entra"):
        return Judgement("10.2", "Kerberos SPN", FAIL, f"{s.name} is not in a domain: no account holds {wanted}",
                         ev(s.name, s.join, f"join state: {s.join.value}"), outcome="kerberos-computer-not-found", confidence="OBS",
                         params={"name": a.name},
                         fixes=(trusted_hosts_fix(pair) + f" and -Credential {s.short.upper()}\\<user>",),
                         remedy=_workgroup_remedy(pair))
    cross = _cross_domain(pair)
    if cross is not None:
        return cross
    owners = pair.env.owners(wanted)
    mine = [r for r in owners if _is_server(pair, r.account)]
    others = [r for r in owners if not _is_server(pair, r.account)]
    spn_ev = tuple(Evidence(r.host.name, r.location, f"{r.spn.text} on {r.account}") for r in owners)
    if others:
        stray = others[0]
        fixes = [
            f"setspn -D {stray.spn.text} {_account_short(stray.account)} (if that service no longer needs it)",
            f"setspn -S {wanted}:{plan.port} {s.short.upper()} and -SessionOption (New-PSSessionOption -IncludePortInSPN)",
            f"on {c.name}: spn_prefix = WSMAN (reg add HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client /v spn_prefix /t REG_SZ /d WSMAN /f)",
        ]
        if a.name_form == "fqdn":
            fixes.insert(0, f"connect by the short name {s.short} (if only the FQDN SPN moved)")
        return Judgement("10.2", "Kerberos SPN", FAIL,
                         f"{wanted} is registered on {stray.account}, not on {s.short.upper()}$" + (" (and on the computer too: a duplicate)" if mine else ""),
                         spn_ev, outcome="spn-on-another-account", confidence="INF" if mine else "DOC", fixes=tuple(fixes),
                         remedy_fix=fixes[1] if a.name_form == "fqdn" else fixes[0],
                         remedy=lambda p: replace(p, env=replace(p.env, removed=p.env.removed | {r.key for r in others})))
    if mine:
        return Judgement("10.2", "Kerberos SPN", PASS, f"{wanted} is on {s.short.upper()}$", spn_ev,
                         assumptions=("a domain controller is reachable and the clocks agree within 5 minutes",))
    service_class, _, rest = wanted.partition("/")
    if service_class.upper() == "HTTP" and ":" not in rest:
        host_spn = f"HOST/{rest}"
        host_owners = pair.env.owners(host_spn)
        host_mine = [r for r in host_owners if _is_server(pair, r.account)]
        host_ev = tuple(Evidence(r.host.name, r.location, f"{r.spn.text} on {r.account}") for r in host_owners)
        if host_mine:
            return Judgement("10.2", "Kerberos SPN", PASS, f"{wanted} is registered nowhere; the KDC maps it to {host_spn} on {s.short.upper()}$",
                             host_ev, assumptions=("a domain controller is reachable and the clocks agree within 5 minutes",))
        if host_owners:
            return Judgement("10.2", "Kerberos SPN", FAIL, f"{host_spn} (which {wanted} maps to) is on {host_owners[0].account}",
                             host_ev, outcome="spn-on-another-account", confidence="INF", fixes=(f"setspn -D {host_spn} {_account_short(host_owners[0].account)}",))
    listed = _account_listing(pair)
    gone = pair.env.not_found(wanted)
    if listed is not None or gone is not None:
        at = gone or listed
        assert at is not None
        why = "setspn -Q found no such SPN" if gone is not None else f"{s.short.upper()}$'s SPN list has no {wanted} or HOST/{rest.split(':')[0]}"
        fixes = [f"connect by a registered name: {', '.join(sorted(_registered_names(pair))) or s.short}"]
        if ":" in rest:
            fixes.insert(0, f"setspn -S {wanted} {s.short.upper()}")
        if plan.mechanism == "Negotiate":
            return _ntlm_fallback(pair, wanted, Evidence(s.name, at, why))
        return Judgement("10.2", "Kerberos SPN", FAIL, f"no account holds {wanted}: {why}", (Evidence(s.name, at, why),),
                         outcome="kerberos-computer-not-found", confidence="OBS", params={"name": a.name}, fixes=tuple(fixes),
                         remedy=lambda p: _with_attempt(p, name=s.short, name_form="short"))
    return Judgement("10.2", "Kerberos SPN", UNKNOWN, f"no setspn dump shows who holds {wanted}",
                     fact=f"the owner of {wanted}", collect=f"setspn -Q {wanted}")


def _ntlm_fallback(pair: Pair, wanted: str, why: Evidence) -> Judgement:
    """Negotiate without an SPN to ask for: SSPI falls back to NTLM silently [GH-PSOPENAD114],
    and the server, not authenticated, must be trusted (0x803381F0, trigger INF)."""
    a, c = pair.attempt, pair.client
    if pair.plan.transport == "HTTPS" or c.trusts(a.name) is not None:
        return Judgement("10.5", "Negotiate falls back to NTLM", PASS, f"no account holds {wanted}: Negotiate uses NTLM",
                         (why,), confidence="INF", assumptions=(f"the server is not authenticated: NTLM proves nothing about who answers for {a.name}",))
    return Judgement("10.5", "Negotiate falls back to NTLM", FAIL, f"no account holds {wanted}: Negotiate falls back to NTLM, and {a.name} is not trusted",
                     (why,) + ev(c.name, c.trusted, "TrustedHosts (no match)"), outcome="server-identity-unverified",
                     confidence="INF", inferred=True,
                     fixes=(f"connect by a name with an SPN on {pair.server.name} so Kerberos is used", "-UseSSL", trusted_hosts_fix(pair)),
                     remedy=_trust_entry(pair), remedy_fix=trusted_hosts_fix(pair))


def _entra_logon(pair: Pair) -> Judgement:
    c = pair.client
    prefix = c.spn_prefix
    prefix_ev = ev(c.name, prefix.at, f"spn_prefix = {prefix.value}")
    join_ev = ev(c.name, c.join, "AzureAdJoined : YES, DomainJoined : NO")
    if prefix.known and prefix.value.upper() == "HOST":
        return Judgement("13.3", "online identity (PKU2U)", UNKNOWN,
                         f"{c.name} is Entra-only joined with spn_prefix HOST: the server must accept PKU2U online identities",
                         prefix_ev + join_ev, confidence="INF", fact=f"{pair.server.name}'s PKU2U AllowOnlineID policy",
                         collect=r"reg query HKLM\SYSTEM\CurrentControlSet\Control\Lsa\pku2u /v AllowOnlineID")
    if not prefix.known:
        return Judgement("10.6", "Entra-only logon session", UNKNOWN, f"{c.name}'s spn_prefix was not collected",
                         join_ev, fact=f"{c.name}'s spn_prefix",
                         collect=r"reg query HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN\Client /v spn_prefix")
    return Judgement(
        "10.6", "Entra-only logon session", FAIL,
        f"{c.name} is Entra-only joined: the signed-in Entra user has no logon session WinRM can use with SPN class {prefix.value}",
        join_ev + prefix_ev, outcome="logon-session-missing",
        fixes=(r"on the client: reg add HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN\Client /v spn_prefix /t REG_SZ /d HOST /f",
               f"-Credential {pair.server.short.upper()}\\<local user>"),
        remedy=lambda p: _with_client(p, spn_prefix=Fact("HOST", p.client.spn_prefix.at, None, True)),
    )


def _workgroup_remedy(pair: Pair) -> Remedy:
    def apply(p: Pair) -> Pair:
        p = _trust_entry(p)(p)
        return _with_attempt(p, credential=credential("local"))
    return apply


def _cross_domain(pair: Pair) -> Judgement | None:
    c, s = pair.client.domain, pair.server.domain
    if not (c.value and s.value):
        return None
    a_dom, b_dom = str(c.value).lower(), str(s.value).lower()
    if a_dom == b_dom or a_dom.split(".")[0] == b_dom.split(".")[0]:
        return None
    return Judgement("10.4", "cross-domain Kerberos", UNKNOWN,
                     f"{pair.client.name} is in {c.value}, {pair.server.name} in {s.value}: Kerberos needs a trust",
                     ev(pair.client.name, c, f"domain {c.value}") + ev(pair.server.name, s, f"domain {s.value}"),
                     fact=f"a trust between {c.value} and {s.value}", collect="nltest /domain_trusts /all_trusts")


def _is_server(pair: Pair, account: str) -> bool:
    return account_key(common_name(account)) == account_key(pair.server.short)


def _account_short(account: str) -> str:
    return common_name(account) or account


def _account_listing(pair: Pair) -> Location | None:
    """Where a `setspn -L` of the server's computer account was collected, if one was."""
    regs = pair.env.directory.by_account_cn.get(account_key(pair.server.short), [])
    return regs[0].location if regs else None


def _registered_names(pair: Pair) -> set[str]:
    regs = pair.env.directory.by_account_cn.get(account_key(pair.server.short), [])
    return {r.spn.host for r in regs if r.spn.service_class in ("host", "http", "wsman") and r.spn.port is None}


# --- step 11: reach the listener ----------------------------------------------------------------------


def winrm_service(pair: Pair) -> Judgement | None:
    s = pair.server
    status = s.service_status
    if status.known:
        evidence = ev(s.name, status, f"WinRM service {status.value}")
        if str(status.value).lower() != "running":
            return Judgement("11.1", "WinRM service", FAIL, f"the WinRM service on {s.name} is {status.value}", evidence,
                             outcome="cannot-connect", fixes=("Set-Service WinRM -StartupType Automatic; Start-Service WinRM",),
                             remedy=lambda p: _with_server(p, service_status=replace(status, value="Running")))
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
                         fixes=(_fix(fact, True, 'winrm set winrm/config/service @{AllowRemoteAccess="true"}'),),
                         remedy=lambda p: _with_server(p, allow_remote_access=replace(fact, value=True)))
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
                         remedy=lambda p: _with_server(p, firewall=(*(p.server.firewall or ()), _open_rule(port, s.firewall_at))))
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
                         remedy=lambda p: _with_server(p, firewall=(*(p.server.firewall or ()), _open_rule(port, s.firewall_at))))
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
        return _with_server(p, listeners=(*(p.server.listeners or ()), made))
    return apply


# --- step 12: TLS -------------------------------------------------------------------------------------


def tls(pair: Pair) -> Judgement | None:
    if pair.plan.transport != "HTTPS":
        return None
    opts = pair.attempt.options
    skipped = {"SkipCACheck", "SkipCNCheck", "SkipRevocationCheck"} <= opts
    if skipped:
        return Judgement("12", "TLS certificate", PASS, "SkipCACheck, SkipCNCheck and SkipRevocationCheck: the certificate is not verified",
                         assumptions=("the certificate is not expired", "the server is not authenticated by TLS (every check skipped)"))
    listeners = [x for x in pair.server.listeners or () if x.transport == "HTTPS" and x.port == pair.plan.port]
    evidence = tuple(Evidence(pair.server.name, x.at, f"HTTPS listener Hostname = {x.hostname}, thumbprint {x.thumbprint}") for x in listeners)
    return Judgement("12", "TLS certificate", UNKNOWN,
                     f"the certificate must name {pair.attempt.name}, chain to a root {pair.client.name} trusts and be valid",
                     evidence, fact=f"{pair.server.name}'s certificate {listeners[0].thumbprint if listeners else ''}".strip(),
                     collect=r"Get-ChildItem Cert:\LocalMachine\My | Format-List Subject,DnsNameList,Thumbprint,Issuer,NotBefore,NotAfter,EnhancedKeyUsageList,HasPrivateKey")


# --- step 13: what the server accepts -----------------------------------------------------------------


def server_accepts(pair: Pair) -> Judgement | None:
    s, plan = pair.server, pair.plan
    mech = plan.mechanism
    fact = s.auth.get(mech)
    if fact is None:
        return None
    offered = ", ".join(m for m in ("Negotiate", "Kerberos", "Basic", "CredSSP") if s.auth[m].value is True) or "none"
    if mech == "Digest":
        return Judgement("13.1", "server accepts the mechanism", FAIL, "the WinRM service never accepts Digest", outcome="mechanism-not-supported",
                         params={"list": offered}, fixes=("use Negotiate or Kerberos",))
    if not fact.known:
        return Judgement("13.1", "server accepts the mechanism", UNKNOWN, f"{s.name}'s service authentication settings were not collected",
                         fact=f"{s.name}'s Service Auth/{mech}", collect="winrm get winrm/config/service")
    evidence = ev(s.name, fact, f"Service Auth/{mech} = {str(fact.value).lower()}")
    if fact.value is not True:
        outcome = "kerberos-access-denied" if mech == "Kerberos" else "mechanism-not-supported"
        return Judgement("13.1", "server accepts the mechanism", FAIL, f"{s.name} does not accept {mech}", evidence,
                         outcome=outcome, confidence="OBS" if outcome == "kerberos-access-denied" else "DOC",
                         params={"list": offered, "name": pair.attempt.name, "port": str(plan.port)},
                         fixes=(f"use a mechanism {s.name} accepts ({offered})",
                                _fix(fact, True, f"winrm set winrm/config/service/auth @{{{mech}=\"true\"}}") + (" (not Basic: STIG)" if mech == "Basic" else "")),
                         remedy=lambda p: _with_server(p, auth={**p.server.auth, mech: replace(fact, value=True)}))
    if plan.transport == "HTTP" and mech == "Basic":
        unenc = s.allow_unencrypted
        if unenc.value is not True:
            return Judgement("13.1", "server accepts the mechanism", FAIL, f"{s.name} refuses unencrypted traffic, which Basic over HTTP is",
                             evidence + ev(s.name, unenc, "Service AllowUnencrypted = false"), outcome="mechanism-not-supported",
                             params={"list": offered}, fixes=("use -UseSSL",), remedy=lambda p: _with_attempt(p, use_ssl=True))
    return Judgement("13.1", "server accepts the mechanism", PASS, f"{s.name} accepts {mech}", evidence)


# --- steps 14 and 15: credentials and authorisation -----------------------------------------------------


def authorisation(pair: Pair) -> Judgement | None:
    a, s = pair.attempt, pair.server
    endpoint = _endpoint(pair)
    if endpoint is not None and endpoint.network_denied and endpoint.disabled_at is not None:
        return Judgement("15.2", "endpoint permission", FAIL,
                         f"{endpoint.name} denies NT AUTHORITY\\NETWORK (Disable-PSRemoting or -AccessMode Local)",
                         (Evidence(s.name, endpoint.disabled_at, "Permission: NT AUTHORITY\\NETWORK AccessDenied"),), outcome="access-denied",
                         fixes=(f"on {s.name}: Enable-PSRemoting -Force (lifts the NETWORK deny; Enable-PSSessionConfiguration does not)",),
                         remedy=lambda p: _with_server(p, endpoints=tuple(replace(e, network_denied=False, disabled_at=None) for e in p.server.endpoints or ())))
    if a.credential.kind == "entra":
        return Judgement("14", "credential verification", FAIL, "explicit AzureAD\\ credentials are refused (By Design)", outcome="access-denied",
                         confidence="OBS", fixes=(f"-Credential {s.short.upper()}\\<local user>",))
    if a.credential.builtin_administrator:
        return Judgement("15.1", "UAC token filtering", PASS, "the built-in Administrator keeps a full token whatever LocalAccountTokenFilterPolicy says",
                         ev(s.name, s.latfp, "LocalAccountTokenFilterPolicy"),
                         assumptions=(f"{a.credential.shown} is the built-in (RID 500) account, and FilterAdministratorToken is 0 (the default)",))
    if a.credential.kind == "local" and s.join.value is not None:
        latfp = s.latfp
        if not latfp.known:
            return Judgement("15.1", "UAC token filtering", UNKNOWN, f"{s.name}'s LocalAccountTokenFilterPolicy was not collected",
                             fact=f"{s.name}'s LocalAccountTokenFilterPolicy",
                             collect=r"reg query HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System /v LocalAccountTokenFilterPolicy")
        evidence = ev(s.name, latfp, f"LocalAccountTokenFilterPolicy = {latfp.value}" if latfp.setting else "LocalAccountTokenFilterPolicy not set (0)")
        if latfp.value != 1:
            who = a.credential.shown
            return Judgement("15.1", "UAC token filtering", FAIL,
                             f"{who} is a local account other than the built-in Administrator: UAC filters its token (LocalAccountTokenFilterPolicy 0)",
                             evidence, outcome="access-denied",
                             fixes=(f"add the account to Remote Management Users on {s.name} (net localgroup \"Remote Management Users\" <user> /add)",
                                    f"connect as {s.short.upper()}\\Administrator (the built-in account)",
                                    r"reg add HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System /v LocalAccountTokenFilterPolicy /t REG_DWORD /d 1 /f (last: it ends UAC remote restrictions for every local account, STIG WN10-CC-000037)"),
                             remedy=lambda p: _with_server(p, latfp=replace(latfp, value=1)),
                             assumptions=("the account is a member of the local Administrators group",))
        return Judgement("15.1", "UAC token filtering", PASS, "LocalAccountTokenFilterPolicy = 1: local administrators keep a full token",
                         evidence, assumptions=("the account is a member of the local Administrators group",))
    member = "the user" if not a.credential.explicit else a.credential.shown
    return Judgement("15", "authorisation", PASS, f"{member} must be in Administrators or Remote Management Users on {s.name}",
                     assumptions=(f"{member} is in Administrators or Remote Management Users on {s.name} (or has Execute on {a.configuration})",))


def _endpoint(pair: Pair) -> EndpointCap | None:
    for e in pair.server.endpoints or ():
        if e.name.lower() == pair.attempt.configuration.lower():
            return e
    return None


def endpoint(pair: Pair) -> Judgement | None:
    a, s = pair.attempt, pair.server
    shell = s.remote_shell
    if shell.known and shell.value is False:
        return Judgement("16", "remote shell", FAIL, f"{s.name} does not accept remote shells", ev(s.name, shell, "Winrs AllowRemoteShellAccess = false"),
                         outcome="remote-shells-not-allowed", fixes=(_fix(shell, True, 'winrm set winrm/config/winrs @{AllowRemoteShellAccess="true"}'),),
                         remedy=lambda p: _with_server(p, remote_shell=replace(shell, value=True)))
    if s.endpoints is None:
        if a.configuration.lower() == "microsoft.powershell":
            return Judgement("16", "session configuration", PASS, "the default endpoint Microsoft.PowerShell",
                             assumptions=(f"Microsoft.PowerShell is registered and enabled on {s.name} (Enable-PSRemoting)",))
        return Judgement("16", "session configuration", UNKNOWN, f"{s.name}'s session configurations were not collected",
                         fact=f"whether {a.configuration} exists on {s.name}", collect="Get-PSSessionConfiguration | Format-List *")
    found = _endpoint(pair)
    if found is None:
        names = ", ".join(e.name for e in s.endpoints) or "none"
        return Judgement("16", "session configuration", FAIL, f"{s.name} has no session configuration {a.configuration} (it has {names})",
                         ev(s.name, s.endpoints_at, "Get-PSSessionConfiguration"), outcome="session-configuration-not-found",
                         params={"name": a.configuration, "computer": s.name},
                         fixes=(f"on {s.name}: Enable-PSRemoting -Force" if a.configuration.lower() == "microsoft.powershell"
                                else f"on {s.name}: Register-PSSessionConfiguration -Name {a.configuration}",))
    if found.disabled_at is not None and not found.network_denied:
        return Judgement("16", "session configuration", FAIL, f"{found.name} is disabled", (Evidence(s.name, found.disabled_at, "Enabled = False"),),
                         outcome="session-configuration-not-found", confidence="INF", params={"name": a.configuration, "computer": s.name},
                         fixes=(f"on {s.name}: Enable-PSRemoting -Force",))
    if found.run_as and s.disable_runas.value in (True, 1):
        return Judgement("16", "session configuration", FAIL, f"{found.name} runs as {found.run_as} and policy forbids stored RunAs credentials",
                         ev(s.name, s.disable_runas, "DisableRunAs = 1"), outcome="runas-credentials-disallowed",
                         fixes=("use a virtual account or gMSA (JEA) instead of stored RunAs credentials",))
    return Judgement("16", "session configuration", PASS, f"{found.name} exists and is enabled", (Evidence(s.name, found.at, found.name),))


# The decision procedure in §3's order, except within step 11: a firewall that drops the SYN
# times out before anything answers (§6.7), and AllowRemoteAccess is answered by a listener.
STEPS: tuple[Check, ...] = (
    parameter_checks,
    client_allows_mechanism,
    trust_gate,
    encryption_gate,
    credssp_delegation,
    winhttp_proxy,
    name_resolution,
    kerberos,
    firewall_admits,
    winrm_service,
    listener,
    remote_access,
    tls,
    server_accepts,
    authorisation,
    endpoint,
)
