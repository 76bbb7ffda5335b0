"""winrmlint: lint WinRM configuration dumps collected from Windows hosts."""

import os
import sys

__version__ = "0.1.0"


def debugging() -> bool:
    """`WINRMLINT_DEBUG=1`: internal errors raise with their traceback instead of being reported."""
    return os.environ.get("WINRMLINT_DEBUG", "") not in ("", "0")


def main() -> None:
    """The `winrmlint` command. `--version` is answered before the CLI is imported: typer alone
    costs several times Python's own start, and a pre-commit hook or a script asks it often."""
    if sys.argv[1:] == ["--version"]:
        print(f"winrmlint {__version__}")
        return
    from winrmlint.cli import main as cli

    cli()
