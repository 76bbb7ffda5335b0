"""Step 10: Kerberos, the SPN it asks for and who holds it, the credentials and the Entra-only logon."""

from __future__ import annotations

from dataclasses import replace

from winrmlint.connect.attempt import credential
from winrmlint.connect.capability import Fact
from winrmlint.connect.judgement import (
    FAIL, PASS, UNKNOWN, Evidence, Judgement, Pair, Remedy, trust_entry, with_attempt, with_client, ev,
    trusted_hosts_fix,
)
from winrmlint.model.spn_directory import account_key, common_name
from winrmlint.source import Location


def uses_kerberos(pair: Pair) -> bool:
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
    if not uses_kerberos(pair):
        return None
    if a.credential.kind == "local":
        return Judgement("10.3", "Kerberos credentials", FAIL,
                         f"Kerberos is used, and {a.credential.shown} is not a domain account", ev(c.name, c.trusted, "TrustedHosts (no match)"),
                         outcome="no-logon-servers", params={"alternative": "logon-session-missing"},
                         fixes=(trusted_hosts_fix(pair) + " so that Negotiate (NTLM) is used", "use a domain account"),
                         remedy=trust_entry(pair))
    if plan.spn is None:
        return None  # an IP address: Kerberos is never tried (Negotiate goes to NTLM)
    if c.resolve(a.name)[0] == ():
        return None  # the name does not exist: step 9 says so, an SPN lookup adds nothing
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
    mine = [r for r in owners if is_server(pair, r.account)]
    others = [r for r in owners if not is_server(pair, r.account)]
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
        host_mine = [r for r in host_owners if is_server(pair, r.account)]
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
                         remedy=lambda p: with_attempt(p, name=s.short, name_form="short"))
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
                     remedy=trust_entry(pair), remedy_fix=trusted_hosts_fix(pair))


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
        remedy=lambda p: with_client(p, spn_prefix=Fact("HOST", p.client.spn_prefix.at, None, True)),
    )


def _workgroup_remedy(pair: Pair) -> Remedy:
    def apply(p: Pair) -> Pair:
        p = trust_entry(p)(p)
        return with_attempt(p, credential=credential("local"))
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


def is_server(pair: Pair, account: str) -> bool:
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
