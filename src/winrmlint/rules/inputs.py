"""WRM001: files of a bundle that could not be read."""

from __future__ import annotations

from collections.abc import Iterator

from winrmlint.findings import Finding
from winrmlint.manifest import FORMAT
from winrmlint.model.host import Host
from winrmlint.rules.base import Context, rule
from winrmlint.source import Location

_DUMP_FIX = "Collect the dump again as plain text, or remove the file from the bundle"
_MANIFEST_FIX = "Correct `winrmlint.json` to match schemas/bundle-manifest.schema.json, or remove it"


@rule(code="WRM001", name="input-unreadable", level="error", kind="input", needs=())
def input_unreadable(host: Host, ctx: Context) -> Iterator[Finding]:
    """A file in the bundle cannot be decoded, recognised or parsed.

    ## What it finds
    A file that is not text (binary, invalid UTF-8/UTF-16), that no parser recognises, or that a
    parser recognised but could not read. The rest of the bundle is still linted.

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
    for parsed in host.files:
        if parsed.error is not None:
            yield ctx.finding(
                host,
                Location(parsed.uri, parsed.error_line),
                parsed.error,
                path=parsed.uri,
                fix=_MANIFEST_FIX if parsed.format == FORMAT else _DUMP_FIX,
            )
