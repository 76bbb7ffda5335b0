"""WRM001: files of a bundle that could not be read."""

from __future__ import annotations

from collections.abc import Iterator

from winrmlint.findings import Finding
from winrmlint.manifest import FORMAT
from winrmlint.model import paths
from winrmlint.model.host import Host
from winrmlint.model.platform import Role
from winrmlint.rules.base import Context, rule
from winrmlint.source import Location

# the command that makes each format (README "Collecting a bundle")
_COMMANDS = {
    "winrm-config-text": "`winrm get winrm/config` (and `winrm enumerate winrm/config/listener`)",
    "winrm-config-xml": "`winrm get winrm/config -format:xml`",
    "registry-export": "`reg export HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM winrm-policy.reg /y` "
                       "(or `…\\CurrentVersion\\WSMAN wsman-store.reg`)",
    "reg-query": "`reg query <key> /v <value>` (or `/s` for the whole key)",
    "setspn": "`setspn -L <computer>` or `setspn -Q HTTP/<name>`",
    "dsregcmd-status": "`dsregcmd /status`",
    "service-state": "`sc.exe qc winrm` and `sc.exe query winrm`",
    "firewall-rules": "`Get-NetFirewallRule -Name WINRM-* | Format-List *`",
    "winhttp-proxy": "`netsh winhttp show proxy`",
    "execution-policy": "`Get-ExecutionPolicy -List`",
    "pssession-configuration": "`Get-PSSessionConfiguration | Format-List *`",
    "wsman-drive": "`Get-ChildItem WSMan:\\localhost\\Service` (one container a command, its header line kept)",
    "wsman-instance-list": "`Get-WSManInstance winrm/config/listener -Enumerate`",
    "firewall-profile": "`netsh advfirewall show currentprofile`",
    "net-connection-profile": "`Get-NetConnectionProfile`",
    "certificate-list": ("`Get-ChildItem Cert:\\LocalMachine\\My | Format-List Subject,DnsNameList,Thumbprint,Issuer,NotBefore,"
                         "NotAfter,EnhancedKeyUsageList,HasPrivateKey`"),
    "net-localgroup": "`net localgroup Administrators` (and `net localgroup \"Remote Management Users\"`)",
    "dns-answers": "`Resolve-DnsName <name>`",
}
# a localised console tool's output in a language its string table lacks: the PowerShell command
# that shows the same facts with property names that are English on every Windows, where one exists
_UNLOCALISED = {
    "firewall-profile": "`Get-NetConnectionProfile` (which network is Public)",
    "firewall-rules": _COMMANDS["firewall-rules"],
    "service-state": "`Get-Service WinRM | Format-List *`",
}
_PLAIN_TEXT_FIX = (
    "Collect it again as text: redirect the command's output (`> file.txt`, or `Out-File -Encoding utf8`) "
    "instead of copying a screenshot, a capture or a document; or remove the file from the bundle"
)
_WHOLE_FIX = (
    "If it is WinRM output, collect the whole of it with the command that makes it, from its command line "
    "on (a few lines pasted without their section headers cannot be placed): "
    "`winrm get winrm/config`, `winrm enumerate winrm/config/listener` and the others in the README's "
    "\"Collecting a bundle\"; otherwise remove the file from the bundle"
)
# what a WSManFault instead of configuration means for the collection (reference §4)
_FAULTS = {
    "0x80070005": ("Access is denied", "run the collection again from an elevated prompt (Run as administrator)"),
    "0x80338012": (
        "the WinRM service did not answer: it is not running or not listening",
        "on the host, `Start-Service WinRM` (or `winrm quickconfig`), then collect again",
    ),
}
_MANIFEST_FIX = "Correct `winrmlint.json` to match schemas/bundle-manifest.schema.json, or remove it"


@rule(code="WRM001", name="input-unreadable", level="error", kind="input", needs=())
def input_unreadable(host: Host, ctx: Context) -> Iterator[Finding]:
    """A file in the bundle cannot be decoded, recognised or parsed.

    ## What it finds
    A file that is not text (binary, invalid UTF-8/UTF-16), that no parser recognises, or that a
    parser recognised but could not read. The rest of the bundle is still linted. Also a bundle
    whose dumps hold only a `WSManFault` (`Access is denied`, 0x80070005; the service not
    answering, 0x80338012) and no configuration: the collection failed, and saying "no findings"
    would be wrong.

    ## Why it matters
    Whatever that file held is not checked: a finding it would have caused is missing, and a
    rule that needed it reports the host as not evaluated.

    ## Example
    ```text
    I ran winrm on the server but the output was too long to paste here, sorry.
    ```

    ## Fix
    The advice follows the cause. A file that is not text (a screenshot, a capture, a Word
    document): collect the command's output as text (`> file.txt`, or `Out-File -Encoding
    utf8`). A few lines pasted without their section headers (`Basic = true` with no `Client` /
    `Auth` above it, registry values without their `[HKEY_…]` key line): collect the whole output
    with the command that makes it, from its command line on (`winrm get winrm/config`,
    `reg export HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM winrm-policy.reg /y`, and the
    others in the README's "Collecting a bundle"). A file of a known kind that could not be read:
    collect it again, unedited, with its command. A `WSManFault` instead of configuration: rerun
    elevated (0x80070005), or start the service first (0x80338012). Otherwise remove the file
    from the bundle.
    """
    yield from _collection_failed(host, ctx)
    for parsed in host.files:
        if parsed.error is not None:
            yield ctx.finding(
                host,
                Location(parsed.uri, parsed.error_line),
                parsed.error,
                path=parsed.uri,
                fix=_MANIFEST_FIX if parsed.format == FORMAT else _advice(parsed.format, parsed.error),
            )


def _advice(format: str | None, error: str) -> str:
    """What to do about a file not read, for the reason it was not (issue 10: a file with no
    section headers needs the full command, not "collect as plain text")."""
    if error.startswith("cannot be decoded: mixed encodings"):
        return ("Write each command's output to its own file (PowerShell 5.1's `>` writes UTF-16, cmd's `>>` "
                "appends ANSI to it), or save the file again in one encoding")
    if error.startswith("cannot be decoded"):
        return _PLAIN_TEXT_FIX
    if error.startswith("the bundle's dumps name different hosts"):
        return "Collect each host into its own bundle (a folder or zip per host)"
    if error.startswith("not read:") and ("limit" in error or " pass " in error):
        return ("Raise the limit it names (`--max-file-size`, `--max-lines`, `--max-files`, ...) if the file "
                "is what you meant to lint, or split the bundle")
    if error.startswith("not read:"):
        # refused for safety: archive entries that escape, links, nesting, encryption, odd files
        return ("Put the dump into the bundle as a plain file (unpacked, not a link, not nested in another "
                "archive, not encrypted), or remove it")
    if format is None:
        return _WHOLE_FIX
    command = _COMMANDS.get(format, "the command that made it")
    if "in a language winrmlint does not know" in error:  # strings.Table.unknown's words
        other = f"collect {_UNLOCALISED[format]} instead, " if format in _UNLOCALISED else ""
        return (f"winrmlint reads this output in the languages it names: {other}or run {command} in a "
                "console whose display language is one of them (a page translated by a machine is not the "
                "tool's output: paste the original)")
    if format == "registry-export" and "no registry key" in error:
        return (f"The values came without their `[HKEY_…]` key line: export the whole key, {command}, "
                "instead of copying values out of regedit")
    if format == "winrm-config-xml" and "DTD" in error:
        return (f"winrm never prints a DTD: the file was edited or is not winrm's; collect {command} again "
                "unedited, or `winrm get winrm/config` as text")
    return f"Collect it again, whole and unedited, from its command line to its end: {command}"


def _service_down_shown(host: Host) -> bool:
    """Whether WRM512 reports this host's fault: its own `winrm` got 0x80338012, no service state
    outranks that, and the host is not a client whose service may be stopped by design."""
    return (host.get(paths.SERVICE_UNREACHABLE) is not None and host.get(paths.SERVICE_STATUS) is None
            and host.role is not Role.CLIENT)


def _collection_failed(host: Host, ctx: Context) -> Iterator[Finding]:
    """A bundle whose dumps hold a WSManFault and no configuration: the collection failed, which
    must never read as "no findings"."""
    fault = host.get(paths.WSMAN_FAULT_CODE) or host.get(paths.WSMAN_FAULT_MESSAGE)
    if fault is None:
        return
    # the fault itself, and what it shows of the service (WRM512), are no configuration
    if any(not s.path.startswith(("host/", "winrm/fault/")) and s.path != paths.SERVICE_UNREACHABLE
           for s in host.settings.values() if not s.is_default):
        return
    code = host.get(paths.WSMAN_FAULT_CODE)
    number = str(code.value).lower() if code is not None else ""
    if number == "0x80338012" and _service_down_shown(host):
        return  # WRM512 says it: the host's own `winrm` found the service not running (say one thing)
    what, fix = _FAULTS.get(number, ("the command failed", "run it again from an elevated prompt on the host itself"))
    shown = f" ({number})" if number else ""
    yield ctx.finding(
        host,
        fault,
        f"The dump holds no configuration, only a `WSManFault`{shown}: {what}; the collection failed, "
        "nothing of this host was checked",
        path=paths.WSMAN_FAULT_CODE,
        fix=f"{fix}: `winrm get winrm/config` and `winrm enumerate winrm/config/listener`",
        key="collection-failed",
    )
