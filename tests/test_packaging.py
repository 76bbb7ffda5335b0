"""The installed package holds every module of the source tree.

`pyproject.toml` lists the packages by name (schemas/ is mapped into the package), so a new
sub-package that is not listed works from a checkout and in an editable install, but is missing
from `pip install .`: the README's first command then fails with an internal error.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_source_package_is_listed_for_the_build() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    src = ROOT / "src"
    found = {".".join(init.parent.relative_to(src).parts) for init in src.rglob("__init__.py")}
    assert found - listed == set(), "packages missing from [tool.setuptools] packages"
    assert "winrmlint.parsers.strings" in found
