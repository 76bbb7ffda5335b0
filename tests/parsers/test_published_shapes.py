"""The paste shapes that the recognition measure on real published dumps found unread
(docs/measurements/recognition.md), each in its smallest form, read through the engine as a file is."""

from __future__ import annotations

from winrmlint.engine import parse_file
from winrmlint.model.host import build_host
from winrmlint.source import SourceText


def read(text: str):
    fmt, dump, error = parse_file(SourceText.from_text("t.md", text))
    assert error is None, error
    return fmt, dump


def value(text: str, path: str):
    _, dump = read(text)
    host = build_host("h", "h", [dump], [])
    setting = host.get(path)
    assert setting is not None, path
    return setting.value


SHOW_SET_SHOW = """PS C:\\> netsh winhttp show proxy

Current WinHTTP proxy settings:

    Direct access (no proxy server).

PS C:\\> netsh winhttp set proxy proxy.corp:8080

Current WinHTTP proxy settings:

    Proxy Server(s) :  proxy.corp:8080
    Bypass List     :  (none)

PS C:\\> netsh winhttp show proxy

Current WinHTTP proxy settings:

    Proxy Server(s) :  proxy.corp:8080
    Bypass List     :  (none)
"""


def test_a_command_run_again_supersedes_its_earlier_output() -> None:
    assert value(SHOW_SET_SHOW, "winhttp/ProxyServer") == "proxy.corp:8080"
    _, dump = read(SHOW_SET_SHOW)
    assert any("read from the later one" in n.message for n in dump.notes)


def test_a_table_printed_again_supersedes_the_earlier_one() -> None:
    text = """Get-PSSessionConfiguration | ft Name, Permission -Wrap
Disable-PSRemoting -Force
Get-PSSessionConfiguration | ft Name, Permission -Wrap

Name               Permission
----               ----------
Test               NT AUTHORITY\\INTERACTIVE AccessAllowed, BUILTIN\\Administrators AccessAllowed

Name               Permission
----               ----------
Test               NT AUTHORITY\\NETWORK AccessDenied, NT AUTHORITY\\INTERACTIVE AccessAllowed,
                   BUILTIN\\Administrators AccessAllowed
"""
    assert value(text, "sessionconfig/Test/Permission") == (
        "NT AUTHORITY\\NETWORK AccessDenied, NT AUTHORITY\\INTERACTIVE AccessAllowed, BUILTIN\\Administrators AccessAllowed"
    )


def test_two_commands_showing_one_setting_keep_the_first() -> None:
    # not the same command run again: no later run to prefer
    text = SHOW_SET_SHOW.rsplit("PS C:\\> netsh winhttp show proxy", 1)[0]
    assert value(text, "winhttp/ProxyServer") == ""


def test_a_quote_without_a_blank_inside_an_unquoted_fence() -> None:
    text = """```powershell
netsh winhttp set proxy proxy-server="socks=127.0.0.1:1080" bypass-list="localhost"

>当前的 WinHTTP 代理服务器设置:
>
>    代理服务器:  socks=127.0.0.1:1080
>    绕过列表     :  localhost
```
"""
    assert value(text, "winhttp/ProxyServer") == "socks=127.0.0.1:1080"
    assert value(text, "winhttp/BypassList") == "localhost"


def test_a_header_trimmed_flush_left_above_indented_dashes() -> None:
    text = """PS C:\\htb> Get-ExecutionPolicy -list

Scope ExecutionPolicy
        ----- ---------------
MachinePolicy       Undefined
   UserPolicy       Undefined
      Process          Bypass
  CurrentUser       Undefined
 LocalMachine          Bypass
"""
    assert value(text, "executionpolicy/Process") == "Bypass"
    assert value(text, "executionpolicy/MachinePolicy") == "Undefined"


def test_select_string_context_marks_are_removed() -> None:
    text = """netsh advfirewall firewall show rule name=all dir=in | Select-String -Pattern "LocalPort:\\s*22" -Context 3,1

  Rule Name:                            WSL 2 Firewall Unlock
  ----------------------------------------------------------------------
  Enabled:                              Yes
  Protocol:                             TCP
> LocalPort:                            22
  Action:                               Allow
"""
    fmt, dump = read(text)
    assert fmt == "firewall-rules"
    names = {r.path.rsplit("/", 1)[1] for r in dump.readings}
    assert "LocalPort" in names and not any(n.startswith(">") for n in names)
    assert any("Select-String" in n.message for n in dump.notes)


def test_firewall_rules_listed_by_display_name_and_name() -> None:
    text = """DisplayName                                              Name
-----------                                              ----
Windows Remote Management (HTTP-In)                      WINRM-HTTP-In-TCP
Windows Remote Management - Compatibility Mode (HTTP-In) WINRM-HTTP-Compat-In-TCP
"""
    assert value(text, "firewall/WINRM-HTTP-In-TCP/DisplayName") == "Windows Remote Management (HTTP-In)"


def test_dsregcmd_before_1703_without_a_blank_before_the_colon() -> None:
    box = "+" + "-" * 70 + "+"
    text = f"""{box}
| Device State{" " * 57}|
{box}

    AzureAdJoined: YES
 EnterpriseJoined: NO
     KeySignTest: : MUST Run elevated to test.
      AuthCodeUrl: https://login.microsoftonline.com/contoso/oauth2/authorize
     DomainJoined: YES
       DomainName: CONTOSO
"""
    assert value(text, "host/join/AzureAdJoined") is True
    assert value(text, "host/domain") == "CONTOSO"
    _, dump = read(text)
    by_label = {r.path.rsplit("/", 1)[1]: r.value for r in dump.readings if r.path.startswith("dsregcmd/")}
    assert by_label["KeySignTest"] == "MUST Run elevated to test."
    assert by_label["AuthCodeUrl"] == "https://login.microsoftonline.com/contoso/oauth2/authorize"


EXECUTION_POLICY_BY_INVOKE = """PS C:\\> Invoke-Command -ComputerName web01 { Get-ExecutionPolicy -List }

        Scope ExecutionPolicy PSComputerName
        ----- --------------- --------------
MachinePolicy       Undefined web01
   UserPolicy       Undefined web01
      Process       Undefined web01
  CurrentUser       Undefined web01
 LocalMachine    RemoteSigned web01
"""


def test_execution_policy_with_the_pscomputername_column_of_invoke_command() -> None:
    assert value(EXECUTION_POLICY_BY_INVOKE, "executionpolicy/LocalMachine") == "RemoteSigned"
    two = EXECUTION_POLICY_BY_INVOKE.replace("RemoteSigned web01", "RemoteSigned web02")
    fmt, dump, error = parse_file(SourceText.from_text("t.md", two))
    assert fmt == "execution-policy" and error is not None and "2 computers (web01, web02)" in str(error)


def test_execution_policy_flattened_onto_one_line() -> None:
    text = "Get-ExecutionPolicy -List\n\nScope ExecutionPolicy ----- --------------- MachinePolicy Undefined UserPolicy Undefined Process Bypass CurrentUser Undefined LocalMachine RemoteSigned\n"
    assert value(text, "executionpolicy/Process") == "Bypass"
    assert value(text, "executionpolicy/LocalMachine") == "RemoteSigned"
    _, dump = read(text)
    assert [n.message for n in dump.notes] == [
        "a `Get-ExecutionPolicy -List` table flattened onto one line: read as scope and policy pairs"
    ]
