"""`python -m winrmlint`."""

from winrmlint.cli import main

main()
