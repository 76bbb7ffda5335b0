"""The JSON schemas winrmlint publishes (this folder ships in the package as `winrmlint.schemas`)."""
