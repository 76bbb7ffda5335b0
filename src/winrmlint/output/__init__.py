"""Output formats: one module each, every one receiving the whole report (output/report.py).

Adding a format is one module with `write(report: Report, stream: TextIO) -> None` and one line
here; the CLI's `--format` choices come from this table. Modules are imported only when used.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from winrmlint.output.report import Report

# name → (module, what it is for `--help`)
FORMATS: dict[str, tuple[str, str]] = {
    "text": ("winrmlint.output.text", "for people: findings by host, level word, fix"),
    "json": ("winrmlint.output.json", "for scripts: findings per host, files read"),
    "sarif": ("winrmlint.output.sarif", "SARIF 2.1.0 for GitHub code scanning and SARIF viewers"),
    "github": ("winrmlint.output.github", "GitHub Actions workflow annotations"),
    "junit": ("winrmlint.output.junit", "JUnit XML: one test case per host and rule"),
    "gitlab": ("winrmlint.output.gitlab", "GitLab Code Quality JSON"),
    "html": ("winrmlint.output.html", "one self-contained page to hand over: hosts x rules, evidence, fixes"),
}


def writer(name: str) -> Callable[[Report, TextIO], None]:
    write: Callable[[Report, TextIO], None] = import_module(FORMATS[name][0]).write
    return write
