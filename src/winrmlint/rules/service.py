"""WRM507, WRM512: whether the WinRM service itself starts and runs where listeners wait for it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from winrmlint.findings import Finding
from winrmlint.model import catalog, paths
from winrmlint.model.host import Host
from winrmlint.model.platform import Role
from winrmlint.rules.base import TROUBLE, Context, enumerate_words, known_text, rule
from winrmlint.rules.transport import policy_http_listener
from winrmlint.source import Location

STORE_LISTENERS = rf"{catalog.STORE_ROOT}\Listener"
# Get-Service's StartType names (model.paths); winnt.h SERVICE_DEMAND_START and SERVICE_DISABLED
# are `Start` 3 and 4 in the registry.
NOT_AUTOMATIC = {"Manual": 3, "Disabled": 4}
# about_Remote_Troubleshooting's bulk fix is `Invoke-CimMethod -ComputerName …`: a WSMan CIM
# session, which needs the very WinRM it repairs. The service manager (RPC over SMB) and a DCOM
# CIM session reach a host whose WinRM is down.
BULK_FIX = (
    "for many hosts, not through WinRM itself: `sc.exe \\\\Server01 config WinRM start= delayed-auto` "
    "and `sc.exe \\\\Server01 start WinRM`, or a DCOM CIM session: `$s = New-CimSession -ComputerName "
    "Server01, Server02 -SessionOption (New-CimSessionOption -Protocol Dcom)`, then `Invoke-CimMethod "
    "-CimSession $s -Query 'Select * From Win32_Service Where Name = \"WinRM\"' -MethodName ChangeStartMode "
    "-Arguments @{StartMode = 'Automatic'}`"
)
SYSTEM_SERVICES_GPO = (
    "Computer Configuration > Policies > Windows Settings > Security Settings > System Services > "
    "Windows Remote Management (WS-Management)"
)


@dataclass(frozen=True)
class Configured:
    """Why WinRM is expected to answer: its listeners (enumerated or in the registry) or the GPO."""

    labels: list[str]
    locations: list[Location]

    def __bool__(self) -> bool:
        return bool(self.labels)

    def sentence(self) -> str:
        verb = "is" if len(self.labels) == 1 else "are"
        return f"{enumerate_words(self.labels)} {verb} configured"


def configured(host: Host) -> Configured:
    """The listeners that need the service: any enabled listener reading, a listener key of WinRM's
    registry store that names none the model could read, or the Group Policy listener (`AllowAutoConfig`)."""
    labels: list[str] = []
    locations: list[Location] = []
    for listener in host.listeners():
        if listener.enabled:
            labels.append(f"listener {listener.with_port()}")
            locations.append(listener.anchor.location)
    if not labels:
        # a value under a `Listener\<name>` key whose name is not `Address+Transport`
        prefix = STORE_LISTENERS.lower() + "\\"
        stored = [s for key, s in sorted(host.settings.items()) if key.startswith(prefix)]
        if stored:
            name = stored[0].path[len(prefix) :].split("\\", 1)[0]
            labels.append(f"listener key `{name}`")
            locations.append(stored[0].location)
    policy = policy_http_listener(host)
    if policy is not None:
        labels.append("the Group Policy listener (`AllowAutoConfig` = `1`)")
        locations.append(policy.location)
    return Configured(labels, locations)


def _listeners_known(host: Host) -> bool:
    """Whether an input tells whether WinRM has listeners: an enumeration, WinRM's registry store
    of listeners, or the WinRM service policy key (whose `AllowAutoConfig` makes one)."""
    return any(host.knows(p) for p in (catalog.LISTENERS, STORE_LISTENERS, paths.WINRM_SERVICE_POLICY_KEY))


def _start_type_judged(host: Host) -> bool:
    """WRM507 needs a start type; a Manual or Disabled one, also whether listeners wait for it."""
    start = known_text(host.get(paths.SERVICE_START_TYPE))
    return start is not None and (start not in NOT_AUTOMATIC or _listeners_known(host))


def _state_judged(host: Host) -> bool:
    """WRM512 needs a state (a Stopped one, also the listeners) or the local 0x80338012."""
    if host.get(paths.SERVICE_UNREACHABLE) is not None:
        return True
    status = known_text(host.get(paths.SERVICE_STATUS))
    return status is not None and (status != "Stopped" or _listeners_known(host))


@rule(
    code="WRM507", name="winrm-service-not-automatic", level="warning", kind="breaks",
    needs=(paths.SERVICE_START_TYPE,), evaluable=_start_type_judged,
    docs=(TROUBLE,),
)
def winrm_service_not_automatic(host: Host, ctx: Context) -> Iterator[Finding]:
    """Listeners are configured but the WinRM service does not start automatically.

    ## What it finds
    The WinRM service's start type is `Manual` or `Disabled` (`sc qc winrm`: `3 DEMAND_START` or
    `4 DISABLED`; `Get-Service WinRM`: `StartType`; the registry value
    `HKLM\\SYSTEM\\CurrentControlSet\\Services\\WinRM\\Start` = 3 or 4) while WinRM has work to
    do: an enabled listener in `winrm enumerate winrm/config/listener` or in WinRM's registry
    store (`HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Listener\\*+HTTP`), or,
    where no enumeration was collected, the Group Policy "Allow remote server management through
    WinRM" Enabled (`AllowAutoConfig` = 1, with an IPv4 or IPv6 filter that is not blank).
    `Automatic` and `Automatic (Delayed Start)` are what `Enable-PSRemoting` sets. Without a
    start type in the bundle, or without any listener, the rule stays silent.

    ## Why it matters
    "PowerShell remoting depends upon the Windows Remote Management (WinRM) service. The service
    must be running to support remote commands." A service left at `Manual` (the client default)
    or `Disabled` (what the CIS Level 2 benchmark for Windows clients asks for, 5.39/5.40) does
    not come back after a restart: the listeners stay configured but nothing answers them, and
    clients get "The connection to the remote host was refused. Verify that the WS-Management
    service is running on the remote host and configured to listen for requests on the correct
    port and HTTP URL." about_Remote_Troubleshooting lists setting the startup type to
    `Automatic` and starting the service among the steps that enable remoting in an enterprise.

    ## Example
    ```sc-qc
    C:\\Windows\\system32>sc qc winrm
    [SC] QueryServiceConfig SUCCESS

    SERVICE_NAME: winrm
            TYPE               : 20  WIN32_SHARE_PROCESS
            START_TYPE         : 3   DEMAND_START
            ERROR_CONTROL      : 1   NORMAL
            BINARY_PATH_NAME   : C:\\Windows\\System32\\svchost.exe -k NetworkService -p
            DISPLAY_NAME       : Windows Remote Management (WS-Management)
            SERVICE_START_NAME : NT AUTHORITY\\NetworkService
    ```
    ```winrm-listeners
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
    ```console
    Set-Service WinRM -StartupType Automatic
    Start-Service WinRM
    ```
    For several computers, go around WinRM, which is what does not answer:
    about_Remote_Troubleshooting's `Invoke-CimMethod -ComputerName …` opens a WSMan session and
    fails on exactly these hosts. The service manager works over RPC,
    `sc.exe \\\\Server01 config WinRM start= delayed-auto` then `sc.exe \\\\Server01 start WinRM`
    (the space after `start=` is required), and so does a DCOM CIM session:
    `$s = New-CimSession -ComputerName Server01, Server02 -SessionOption (New-CimSessionOption
    -Protocol Dcom)`, then `Invoke-CimMethod -CimSession $s -Query 'Select * From Win32_Service
    Where Name = "WinRM"' -MethodName ChangeStartMode -Arguments @{StartMode = 'Automatic'}`
    (`Enable-PSRemoting -Force` sets Automatic (Delayed Start) as well). If a GPO's Computer
    Configuration > Policies > Windows Settings > Security Settings > System Services > Windows
    Remote Management (WS-Management) disables the service on purpose, remove the listeners
    instead (`Disable-PSRemoting`, `winrm delete winrm/config/listener?Address=*+Transport=HTTP`).
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -4,5 +4,5 @@
     SERVICE_NAME: winrm
             TYPE               : 20  WIN32_SHARE_PROCESS
    -        START_TYPE         : 3   DEMAND_START
    +        START_TYPE         : 2   AUTO_START  (DELAYED)
             ERROR_CONTROL      : 1   NORMAL
             BINARY_PATH_NAME   : C:\\Windows\\System32\\svchost.exe -k NetworkService -p
    ```
    """
    start = host.get(paths.SERVICE_START_TYPE)
    start_type = known_text(start)
    if start is None or start_type not in NOT_AUTOMATIC:
        return
    needed = configured(host)
    if not needed:
        return
    fix = "`Set-Service WinRM -StartupType Automatic`, then `Start-Service WinRM`; " + BULK_FIX
    if start_type == "Disabled":
        fix += (
            f'; if a GPO disables the service ("{SYSTEM_SERVICES_GPO}"), change it there, or remove the '
            "listeners if WinRM is meant to be off (`Disable-PSRemoting`)"
        )
    yield ctx.finding(
        host,
        start,
        f"The WinRM service start type is `{start_type}` (`Start` = `{NOT_AUTOMATIC[start_type]}`) while "
        f"{needed.sentence()}: after a restart nothing answers; expected `Automatic`",
        fix=fix,
        related=needed.locations,
    )


@rule(
    code="WRM512", name="winrm-service-stopped", level="error", kind="breaks",
    needs=(paths.SERVICE_STATUS, paths.SERVICE_UNREACHABLE), evaluable=_state_judged,
    docs=(TROUBLE,),
    variants=(("error", "without a service state in the bundle, when the host's own `winrm get` or `winrm enumerate` "
               "printed a `WSManFault` with 0x80338012 (not on a client)"),),
)
def winrm_service_stopped(host: Host, ctx: Context) -> Iterator[Finding]:
    """Listeners are configured but the WinRM service is stopped.

    ## What it finds
    The WinRM service's state is `Stopped` (`sc query winrm`: `STATE : 1  STOPPED`;
    `Get-Service WinRM`: `Status : Stopped`) while an enabled listener is configured, in a
    listener enumeration or in WinRM's registry store
    (`HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Listener`), or, where no
    enumeration was collected, the Group Policy "Allow remote server management through WinRM"
    creates one (`AllowAutoConfig` = 1, with an IPv4 or IPv6 filter that is not blank).

    Without a service state in the bundle, a `WSManFault` with 0x80338012 that the host's own
    `winrm get` or `winrm enumerate` printed (no `-r:` to another computer) shows the same
    thing: the local `winrm` command reaches the service without a listener or the network, so
    that fault means the service is not running. It is a finding then too, unless the host is a
    client (a manifest `role`, or no listener and a Manual or Disabled start type), whose
    service may be stopped by design; a later command in the same file that printed
    configuration shows the service answered after all. A fault from `-r:<other computer>` is
    about that computer and its network, not this service.

    ## Why it matters
    "PowerShell remoting depends upon the Windows Remote Management (WinRM) service. The service
    must be running to support remote commands." With the service stopped no listener answers,
    and every client, the local `winrm` command included, gets 0x80338012: "The client cannot
    connect to the destination specified in the request. Verify that the service on the
    destination is running and is accepting requests."

    ## Example
    ```sc-query
    C:\\Windows\\system32>sc query winrm

    SERVICE_NAME: winrm
            TYPE               : 20  WIN32_SHARE_PROCESS
            STATE              : 1  STOPPED
            WIN32_EXIT_CODE    : 1077  (0x435)
            SERVICE_EXIT_CODE  : 0  (0x0)
            CHECKPOINT         : 0x0
            WAIT_HINT          : 0x0
    ```
    ```reg-query
    HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Listener\\*+HTTP
        Port    REG_DWORD    0x1761
        uriprefix    REG_SZ    wsman
    ```

    ## Fix
    ```console
    Start-Service WinRM
    ```
    A disabled service cannot start: `Set-Service WinRM -StartupType Automatic` first (and see
    WRM507, or the service stops again at the next restart). about_Remote_Troubleshooting: "verify
    that the WinRM service is running and try the command again".
    ```diff
    --- dump0.txt
    +++ dump0.txt
    @@ -3,6 +3,7 @@
     SERVICE_NAME: winrm
             TYPE               : 20  WIN32_SHARE_PROCESS
    -        STATE              : 1  STOPPED
    -        WIN32_EXIT_CODE    : 1077  (0x435)
    +        STATE              : 4  RUNNING
    +                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)
    +        WIN32_EXIT_CODE    : 0  (0x0)
             SERVICE_EXIT_CODE  : 0  (0x0)
             CHECKPOINT         : 0x0
    ```
    """
    status = host.get(paths.SERVICE_STATUS)
    unreachable = host.get(paths.SERVICE_UNREACHABLE)
    needed = configured(host)
    if status is not None:
        # the state as the service manager reports it outranks what a `winrm` command met
        if known_text(status) != "Stopped" or not needed:
            return
        yield ctx.finding(
            host,
            status,
            f"The WinRM service is `Stopped` while {needed.sentence()}: clients get 0x80338012 \"The client "
            "cannot connect to the destination specified in the request\"; expected `Running`",
            fix=_start_fix(host),
            related=needed.locations + ([unreachable.location] if unreachable else []),
        )
    elif unreachable is not None and host.role is not Role.CLIENT:
        # a client's service may be stopped by design (rules-catalog "Kinds and profiles")
        waiting = f" while {needed.sentence()}" if needed else ""
        yield ctx.finding(
            host,
            unreachable,
            "`winrm` run on the host itself got 0x80338012 \"The client cannot connect to the destination "
            f"specified in the request\": the WinRM service is not running{waiting}, and no client can "
            "connect; expected it running",
            fix=_start_fix(host) + "; then collect the dumps again",
            related=needed.locations,
        )


def _start_fix(host: Host) -> str:
    start_type = known_text(host.get(paths.SERVICE_START_TYPE))
    if start_type == "Disabled":
        return "`Set-Service WinRM -StartupType Automatic` (a disabled service cannot start), then `Start-Service WinRM`"
    if start_type == "Manual":
        return "`Start-Service WinRM`; `Set-Service WinRM -StartupType Automatic` keeps it running after a restart"
    return "`Start-Service WinRM`"
