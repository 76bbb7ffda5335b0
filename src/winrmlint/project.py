"""The project's address, defined once in pyproject.toml `[project.urls]` and read from the
installed package's metadata; the pages derived from it (rule docs, the outcome table)."""

from __future__ import annotations

from functools import cache

# used only when the package metadata is missing (running from a source tree never installed)
_FALLBACK = "https://github.com/winrmlint/winrmlint"


@cache
def url() -> str:
    """The `Homepage` of `[project.urls]`."""
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


def docs_url(path: str) -> str:
    """The public address of a file under docs/ (`rules/WRM001.md`)."""
    return f"{url()}/blob/main/docs/{path}"


def rule_page(code: str) -> str:
    return docs_url(f"rules/{code}.md")
