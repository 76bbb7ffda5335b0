"""`python -m winrmlint`."""

from winrmlint import main

# a worker process of `--jobs` imports this module again under another name: it must not run the CLI
if __name__ == "__main__":
    main()
