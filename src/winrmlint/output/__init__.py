"""Output formats: one module each, every one receiving the whole run."""

FORMATS = ("text", "json", "sarif")
