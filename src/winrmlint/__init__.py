"""winrmlint: lint WinRM configuration dumps collected from Windows hosts."""

__version__ = "0.1.0"
