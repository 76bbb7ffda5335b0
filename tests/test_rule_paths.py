"""Every setting path a rule reads is one the catalog defines or a parser produces (issue 10).

Rules name settings by logical paths (`winrm/config/service/auth/Basic`, `services/WinRM/Status`,
`HKLM\\…\\LocalAccountTokenFilterPolicy`); a typo there makes a rule silent and nothing else
notices. The paths a rule can read are collected from the rule modules themselves (every
path-shaped string their module-level names hold, in constants, tables and dataclass items, and
every rule's `needs`); the paths that exist are the catalog's settings and the policy values
that drive them, and what the parsers produce from every real-shape fixture (readings and
coverage keys).
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
from collections.abc import Iterator
from functools import cache
from types import ModuleType

from conftest import FIXTURES
from winrmlint import engine, manifest, rules
from winrmlint.bundle import MANIFEST
from winrmlint.model import catalog, registry_map
from winrmlint.rules import RULES
from winrmlint.rules.base import Rule
from winrmlint.source import SourceText

# the prefixes of logical paths (model.paths, model.catalog): anything else a rule holds is prose.
# `spn/<SPN>` is where an SPN finding points (SARIF logical location), no setting: SPNs are read
# from the model's SPN directory, not by path
_PATH = re.compile(r"^(?:winrm/|services/|host/|hklm\\|(?:winhttp|firewall|sessionconfig|executionpolicy)(?:/|$))",
                   re.IGNORECASE)
# adversarial inputs prove robustness, not vocabulary; the rest are real shapes
_SKIP = {"hostile"}


def _rule_modules() -> list[ModuleType]:
    return sorted({m for name, m in vars(rules).items() if isinstance(m, ModuleType) and not name.startswith("_")},
                  key=lambda m: m.__name__)


def _strings(value: object, depth: int = 0) -> Iterator[str]:
    if depth > 4:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, depth + 1)
            yield from _strings(item, depth + 1)
    elif isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            yield from _strings(item, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name), depth + 1)


def rule_paths() -> dict[str, str]:
    """path → where a rule module holds it."""
    found: dict[str, str] = {}
    for module in _rule_modules():
        for name, value in vars(module).items():
            if isinstance(value, (ModuleType, type, Rule)) or callable(value):
                continue  # a rule's own paths are its `needs`, below
            for text in _strings(value):
                if _PATH.match(text) and "\n" not in text and " " not in text:
                    found.setdefault(text, f"{module.__name__}.{name}")
    for rule in RULES:
        for need in rule.needs:
            found.setdefault(need, f"{rule.code} needs")
    for module in _rule_modules():
        for text, partial, line in _source_paths(module):
            found.setdefault(text + ("…" if partial else ""), f"{module.__name__} line {line}")
    return found


def _source_paths(module: ModuleType) -> Iterator[tuple[str, bool, int]]:
    """Path-shaped literals in the module's code, inside functions too: plain strings, and
    f-strings evaluated as far as their placeholders name module-level values (the rest, a loop
    variable, leaves a prefix: `executionpolicy/…`)."""
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text, partial = node.value, False
        elif isinstance(node, ast.JoinedStr):
            text, partial = _evaluated(node, vars(module))
        else:
            continue
        if _PATH.match(text) and not re.search(r"\s|`", text):
            yield text, partial, node.lineno


def _evaluated(node: ast.JoinedStr, names: dict[str, object]) -> tuple[str, bool]:
    text = ""
    for part in node.values:
        if isinstance(part, ast.Constant):
            text += str(part.value)
            continue
        assert isinstance(part, ast.FormattedValue)
        if not isinstance(part.value, (ast.Name, ast.Attribute)) or part.format_spec or part.conversion != -1:
            return text, True
        try:
            value = eval(compile(ast.Expression(part.value), "<path>", "eval"), {}, names)  # names only
        except Exception:
            return text, True
        if not isinstance(value, str):
            return text, True
        text += value
    return text, False


@cache
def produced() -> frozenset[str]:
    """Every logical path (lower case) the catalog defines or a parser produced from a fixture."""
    known = {s.path.lower() for s in catalog.SETTINGS} | {catalog.ROOT, catalog.LISTENERS}
    # the Group Policy value that drives a setting (reference §2.2), as the catalog names it
    known |= {f"{s.policy.registry_key}\\{s.policy.value_name}".lower() for s in catalog.SETTINGS if s.policy}
    # the registry values the registry map reads into a logical path of their own (the service's
    # `Start` into `services/WinRM/StartType`); a benchmark item names one as the value an admin checks
    known |= {value.lower() for value in registry_map.TRANSLATED}
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file() or _SKIP & set(path.relative_to(FIXTURES).parts) or path.stat().st_size > 1 << 20:
            continue
        if path.suffix == ".json" and path.name != MANIFEST:
            continue  # goldens
        try:
            source = SourceText.from_bytes(str(path), path.read_bytes())
        except Exception:
            continue  # not text: WRM001's fixtures
        if path.name == MANIFEST:
            try:
                dump = manifest.parse(source)
            except Exception:
                continue
        else:
            _, dump, _ = engine.parse_file(source)
            if dump is None:
                continue
        known.update(r.path.lower() for r in dump.readings)
        known.update(r.path.lower() for r in dump.host_names)
        known.update(k.lower() for k in dump.coverage)
    return frozenset(known)


def is_known(path: str) -> bool:
    """A path a reading or coverage key holds, or the prefix of one (`needs`, `host.under`);
    an f-string's evaluated head (`…`) is a prefix of one as it stands."""
    if path.endswith("…"):
        head = path[:-1].lower()
        return any(k.startswith(head) for k in produced())
    low = path.lower().rstrip("/\\")
    return any(k == low or k.startswith(low + "/") or k.startswith(low + "\\") for k in produced())


def test_the_scan_sees_the_rules_paths_and_would_see_a_typo() -> None:
    paths = rule_paths()
    # the modules name dozens of settings; a scan that finds few is broken, not clean
    assert len(paths) >= 40, sorted(paths)
    assert "winrm/config/service/RootSDDL" in paths and "services/WinRM/Status" in paths
    assert is_known("winrm/config/service/auth/Basic") and is_known("host/join")
    assert not is_known("winrm/config/service/auth/Basik")
    assert not is_known("services/WinRM/StartTyp")


def test_every_path_a_rule_reads_exists() -> None:
    unknown = {path: where for path, where in rule_paths().items() if not is_known(path)}
    assert unknown == {}, "paths no catalog entry or parser produces: " + repr(unknown)
