"""`python -m winrmlint`."""

from winrmlint import main

main()
