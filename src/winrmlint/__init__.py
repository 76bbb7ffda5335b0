"""winrmlint: lint WinRM configuration dumps collected from Windows hosts."""

import os

__version__ = "0.1.0"


def debugging() -> bool:
    """`WINRMLINT_DEBUG=1`: internal errors raise with their traceback instead of being reported."""
    return os.environ.get("WINRMLINT_DEBUG", "") not in ("", "0")
