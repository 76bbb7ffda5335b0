"""WRM001: files of a bundle that could not be read."""

from __future__ import annotations

from collections.abc import Iterator

from winrmlint.findings import Finding
from winrmlint.manifest import FORMAT
from winrmlint.model import paths
from winrmlint.model.host import Host
from winrmlint.rules.base import Context, rule
from winrmlint.source import Location

_DUMP_FIX = "Collect the dump again as plain text, or remove the file from the bundle"
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
    Collect the dump again with the command in the README's collection list, as plain text
    (`> file.txt` or `Out-File`), without editing it; or remove the file from the bundle.
    """
    yield from _collection_failed(host, ctx)
    for parsed in host.files:
        if parsed.error is not None:
            yield ctx.finding(
                host,
                Location(parsed.uri, parsed.error_line),
                parsed.error,
                path=parsed.uri,
                fix=_MANIFEST_FIX if parsed.format == FORMAT else _DUMP_FIX,
            )


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
