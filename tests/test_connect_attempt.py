"""Reading the attempt: a remoting command line in any PowerShell spelling, or the flag form."""

from __future__ import annotations

import pytest

from winrmlint.connect.attempt import FlagAttempt, UsageError, credential, parse_command, tokenize


def one(command: str):
    attempts = parse_command(command.split())
    assert len(attempts) == 1
    return attempts[0]


def test_enter_pssession_fqdn_defaults() -> None:
    a = one("Enter-PSSession -ComputerName web01.corp.contoso.com")
    assert (a.cmdlet, a.name, a.name_form, a.transport, a.port) == ("Enter-PSSession", "web01.corp.contoso.com", "fqdn", "HTTP", None)
    assert (a.authentication, a.configuration, a.credential.kind) == ("Default", "Microsoft.PowerShell", "implicit")


@pytest.mark.parametrize(
    "command",
    [
        "icm -cn 10.0.0.21 -Cred WEB01\\admin -ScriptBlock { hostname }",
        "Invoke-Command -computername 10.0.0.21 -CREDENTIAL WEB01\\admin { hostname }",
        "invoke-command 10.0.0.21 { hostname } -Credential:WEB01\\admin",
        "icm -Comp 10.0.0.21 -Cr WEB01\\admin -Sc { hostname }",
    ],
)
def test_spellings_powershell_accepts(command: str) -> None:
    a = one(command)
    assert (a.cmdlet, a.name, a.name_form, a.unresolved_credential) == ("Invoke-Command", "10.0.0.21", "ip", "WEB01\\admin")


def test_aliases_and_switch_values() -> None:
    assert one("etsn srv").cmdlet == "Enter-PSSession"
    assert one("nsn srv -UseSSL").transport == "HTTPS"
    assert one("nsn srv -UseSSL:$false").transport == "HTTP"
    assert one("Test-WSMan srv -Port 5986 -UseSSL").port == 5986


def test_session_options_inline() -> None:
    a = one("etsn srv -SessionOption (New-PSSessionOption -IncludePortInSPN -SkipCACheck -ProxyAccessType IEConfig)")
    assert a.options == frozenset({"IncludePortInSPN", "SkipCACheck", "ProxyAccessType"})
    assert one("etsn srv -SessionOp (New-PSSessionOption -ProxyAccessType None)").options == frozenset()


def test_connection_uri_default_ports_are_80_and_443() -> None:
    http = one("Enter-PSSession -ConnectionUri http://web01/wsman")
    https = one("Enter-PSSession -ConnectionUri https://web01.corp.contoso.com/wsman")
    assert (http.name, http.port, http.transport) == ("web01", 80, "HTTP")
    assert (https.port, https.transport, https.name_form) == (443, "HTTPS", "fqdn")
    assert one("Enter-PSSession -ConnectionUri http://web01:5985/custom").application == "custom"


def test_several_computer_names_are_several_attempts() -> None:
    names = [a.name for a in parse_command("icm -ComputerName web01,web02 { 1 }".split())]
    assert names == ["web01", "web02"]


def test_ipv6_and_localhost_forms() -> None:
    assert one("etsn [fe80::1]").name_form == "ip"
    assert one("etsn .").name == "localhost"
    assert one("Test-WSMan").name_form == "localhost"


@pytest.mark.parametrize(
    ("command", "named"),
    [
        ("etsn -C srv", "-C is ambiguous"),
        ("etsn srv -Frobnicate 1", "-Frobnicate"),
        ("etsn srv -Authentication Kerb", "-Authentication Kerb"),
        ("etsn srv -Credential $cred", "-Credential $cred"),
        ("etsn srv -SessionOption $so", "-SessionOption $so"),
        ("etsn srv -Port 99999", "-Port 99999"),
        ("Get-Process srv", "Get-Process"),
        ("etsn srv -SessionOption (New-PSSessionOption -Bogus)", "-Bogus"),
        ("etsn $servers", "-ComputerName $servers"),
        ("etsn srv -Port", "-Port needs a value"),
    ],
)
def test_unreadable_parameters_are_usage_errors_that_name_them(command: str, named: str) -> None:
    with pytest.raises(UsageError, match=named.replace("$", r"\$").replace("(", r"\(")):
        parse_command(command.split())


def test_tokenizer_keeps_groups_and_quotes() -> None:
    assert tokenize("icm 'a b' { x; y } (New-PSSessionOption -A) \"c\"") == ["icm", "'a b'", "{ x; y }", "(New-PSSessionOption -A)", '"c"']
    assert tokenize("etsn srv; Get-Date") == ["etsn", "srv"]
    with pytest.raises(UsageError):
        tokenize("icm { unbalanced")


@pytest.mark.parametrize(
    ("text", "server", "kind"),
    [
        ("CORP\\alice", "web01", "domain"),
        ("alice@corp.contoso.com", "web01", "domain"),
        ("WEB01\\admin", "web01", "local"),
        (".\\admin", "web01", "local"),
        ("AzureAD\\bob@contoso.onmicrosoft.com", "web01", "entra"),
        ("bob@contoso.onmicrosoft.com", "web01", "entra"),
        ("admin", "web01", "local"),
    ],
)
def test_credential_kinds(text: str, server: str, kind: str) -> None:
    assert credential(text, server).kind == kind


def test_flag_form_builds_the_attempt_it_describes() -> None:
    a = FlagAttempt(name_form="ip", cred="local", auth="negotiate", ssl=True, port=5986).validate().build("10.0.0.21")
    assert (a.name_form, a.credential.kind, a.authentication, a.transport, a.port) == ("ip", "local", "Negotiate", "HTTPS", 5986)
    assert "-UseSSL" in a.typed and "-Authentication Negotiate" in a.typed
    with pytest.raises(UsageError, match="--name"):
        FlagAttempt(name_form="alias").validate()
