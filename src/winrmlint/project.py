"""The project's address, defined once in pyproject.toml `[project.urls]` and read from the
installed package's metadata; the pages derived from it (rule docs, the outcome table)."""

from __future__ import annotations

import os
import sys
from functools import cache

# used only when the package metadata is missing (running from a source tree never installed)
_FALLBACK = "https://github.com/winrmlint/winrmlint"


@cache
def url() -> str:
    """The `Homepage` of `[project.urls]`."""
    entries = _project_urls()
    if entries is None:
        from importlib import metadata

        try:
            entries = metadata.metadata("winrmlint").get_all("Project-URL") or []
        except metadata.PackageNotFoundError:
            return _FALLBACK
    for entry in entries:
        label, _, address = entry.partition(",")
        if label.strip().lower() == "homepage" and address.strip():
            return address.strip()
    return _FALLBACK


def _project_urls() -> list[str] | None:
    """The `Project-URL` headers of the first `winrmlint-*.dist-info/METADATA` on `sys.path`, the
    distribution `importlib.metadata` would find; None when there is none (an egg, a zip). Read
    here because `importlib.metadata` and the email parser it brings cost ~16 ms of a cold start."""
    for entry in sys.path:
        try:
            names = sorted(n for n in os.listdir(entry or ".") if n.startswith("winrmlint-") and n.endswith(".dist-info"))
        except OSError:
            continue
        for name in names:
            try:
                with open(os.path.join(entry or ".", name, "METADATA"), encoding="utf-8") as handle:
                    head = handle.read().split("\n\n", 1)[0]
            except OSError:
                continue
            return [line.split(":", 1)[1].strip() for line in head.splitlines() if line.lower().startswith("project-url:")]
    return None


def docs_url(path: str) -> str:
    """The public address of a file under docs/ (`rules/WRM001.md`)."""
    return f"{url()}/blob/main/docs/{path}"


def rule_page(code: str) -> str:
    return docs_url(f"rules/{code}.md")
