"""Steps 13–16: what the server accepts, whom it authorises, and the endpoint."""

from __future__ import annotations

from dataclasses import replace

from winrmlint.connect.capability import EndpointCap
from winrmlint.connect.judgement import (
    FAIL, PASS, UNKNOWN, Evidence, Judgement, Pair, fix_for, with_attempt, with_server, ev,
)


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
                                fix_for(fact, True, f"winrm set winrm/config/service/auth @{{{mech}=\"true\"}}") + (" (not Basic: STIG)" if mech == "Basic" else "")),
                         remedy=lambda p: with_server(p, auth={**p.server.auth, mech: replace(fact, value=True)}))
    if plan.transport == "HTTP" and mech == "Basic":
        unenc = s.allow_unencrypted
        if unenc.value is not True:
            return Judgement("13.1", "server accepts the mechanism", FAIL, f"{s.name} refuses unencrypted traffic, which Basic over HTTP is",
                             evidence + ev(s.name, unenc, "Service AllowUnencrypted = false"), outcome="mechanism-not-supported",
                             params={"list": offered}, fixes=("use -UseSSL",), remedy=lambda p: with_attempt(p, use_ssl=True))
    return Judgement("13.1", "server accepts the mechanism", PASS, f"{s.name} accepts {mech}", evidence)


def authorisation(pair: Pair) -> Judgement | None:
    a, s = pair.attempt, pair.server
    endpoint = _endpoint(pair)
    if endpoint is not None and endpoint.network_denied and endpoint.disabled_at is not None:
        return Judgement("15.2", "endpoint permission", FAIL,
                         f"{endpoint.name} denies NT AUTHORITY\\NETWORK (Disable-PSRemoting or -AccessMode Local)",
                         (Evidence(s.name, endpoint.disabled_at, "Permission: NT AUTHORITY\\NETWORK AccessDenied"),), outcome="access-denied",
                         fixes=(f"on {s.name}: Enable-PSRemoting -Force (lifts the NETWORK deny; Enable-PSSessionConfiguration does not)",),
                         remedy=lambda p: with_server(p, endpoints=tuple(replace(e, network_denied=False, disabled_at=None) for e in p.server.endpoints or ())))
    if a.credential.kind == "entra":
        return Judgement("14", "credential verification", FAIL, "explicit AzureAD\\ credentials are refused (By Design)", outcome="access-denied",
                         confidence="OBS", fixes=(f"-Credential {s.short.upper()}\\<local user>",))
    membership, role = _membership(pair)
    if a.credential.builtin_administrator:
        return Judgement("15.1", "UAC token filtering", PASS, "the built-in Administrator keeps a full token whatever LocalAccountTokenFilterPolicy says",
                         ev(s.name, s.latfp, "LocalAccountTokenFilterPolicy"),
                         assumptions=(f"{a.credential.shown} is the built-in (RID 500) account, and FilterAdministratorToken is 0 (the default)",))
    if membership is not None and membership.status == FAIL:
        return membership
    if a.credential.kind == "local" and s.join.value is not None:
        if role == "rmu" and membership is not None:
            return membership  # a Remote Management Users member: a standard token is all it needs
        latfp = s.latfp
        if not latfp.known:
            return Judgement("15.1", "UAC token filtering", UNKNOWN, f"{s.name}'s LocalAccountTokenFilterPolicy was not collected",
                             fact=f"{s.name}'s LocalAccountTokenFilterPolicy",
                             collect=r"reg query HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System /v LocalAccountTokenFilterPolicy")
        evidence = ev(s.name, latfp, f"LocalAccountTokenFilterPolicy = {latfp.value}" if latfp.setting else "LocalAccountTokenFilterPolicy not set (0)")
        evidence += membership.evidence if membership is not None else ()
        member = () if membership is not None else ("the account is a member of the local Administrators group",)
        if latfp.value != 1:
            who = a.credential.shown
            return Judgement("15.1", "UAC token filtering", FAIL,
                             f"{who} is a local administrator other than the built-in one: UAC filters its token (LocalAccountTokenFilterPolicy 0)",
                             evidence, outcome="access-denied",
                             fixes=(f"add the account to Remote Management Users on {s.name} (net localgroup \"Remote Management Users\" <user> /add)",
                                    f"connect as {s.short.upper()}\\Administrator (the built-in account)",
                                    r"reg add HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System /v LocalAccountTokenFilterPolicy /t REG_DWORD /d 1 /f (last: it ends UAC remote restrictions for every local account, STIG WN10-CC-000037)"),
                             remedy=lambda p: with_server(p, latfp=replace(latfp, value=1)), assumptions=member)
        return Judgement("15.1", "UAC token filtering", PASS, "LocalAccountTokenFilterPolicy = 1: local administrators keep a full token",
                         evidence, assumptions=member)
    if membership is not None:
        return membership
    who = "the user" if not a.credential.explicit else a.credential.shown
    return Judgement("15", "authorisation", PASS, f"{who} must be in Administrators or Remote Management Users on {s.name}",
                     assumptions=(f"{who} is in Administrators or Remote Management Users on {s.name} (or has Execute on {a.configuration})",))


def _membership(pair: Pair) -> tuple[Judgement | None, str | None]:
    """What `net localgroup` says of the account typed: a member of Administrators or Remote
    Management Users, a member of neither (only when every member is a local account, so no
    domain group can hold it), or None when it cannot say."""
    a, s = pair.attempt, pair.server
    if not a.credential.explicit or not a.credential.user or not s.groups:
        return None, None
    user = a.credential.user.lower()
    realm = (a.credential.realm or "").lower()
    names = {user, f"{s.short}\\{user}", f".\\{user}"} if a.credential.kind == "local" else {f"{realm}\\{user}", user if "@" in user else f"{realm}\\{user}"}
    evidence: list[Evidence] = []
    for role, label in (("admins", "Administrators"), ("rmu", "Remote Management Users")):
        if role not in s.groups:
            continue
        members, at = s.groups[role]
        evidence.append(Evidence(s.name, at, f"{label}: {', '.join(members) or '(none)'}"))
        if any(m.lower() in names for m in members):
            return Judgement("15", "authorisation", PASS, f"{a.credential.shown} is a member of {label} on {s.name}", (evidence[-1],)), role
    if len(s.groups) < 2:
        return None, None
    domain_groups = [m for members, _ in s.groups.values() for m in members if "\\" in m and not m.lower().startswith(s.short + "\\")]
    if a.credential.kind != "local" and domain_groups:
        return Judgement("15", "authorisation", PASS, f"{a.credential.shown} is not listed by name; domain groups are ({', '.join(domain_groups)})",
                         tuple(evidence), assumptions=(f"{a.credential.shown} is a member of {' or '.join(domain_groups)}",)), None
    return Judgement("15", "authorisation", FAIL, f"{a.credential.shown} is in neither Administrators nor Remote Management Users on {s.name}",
                     tuple(evidence), outcome="access-denied",
                     fixes=(f"on {s.name}: net localgroup \"Remote Management Users\" {a.credential.user} /add (least privilege)",
                            f"or grant Execute on {a.configuration}: Set-PSSessionConfiguration {a.configuration} -ShowSecurityDescriptorUI")), None


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
                         outcome="remote-shells-not-allowed", fixes=(fix_for(shell, True, 'winrm set winrm/config/winrs @{AllowRemoteShellAccess="true"}'),),
                         remedy=lambda p: with_server(p, remote_shell=replace(shell, value=True)))
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
