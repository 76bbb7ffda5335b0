"""The sarif-om classes the SARIF writers use, and only those.

`import sarif_om` runs a package `__init__` that imports all 57 of its attrs classes: 57 class
bodies and attrs' generated methods, about 35 ms of a cold start for the 23 that winrmlint
builds. Each class lives in its own module (`sarif_om._result`, which imports only `attr`), so
those are loaded by their file under their own names, without the package's `__init__`; a later
`import sarif_om` (a test, a plug-in) finds them in `sys.modules` and gets the very same classes.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from importlib.machinery import PathFinder
from types import ModuleType
from typing import TYPE_CHECKING

_PACKAGE = "sarif_om"
_USED = (
    "Artifact", "ArtifactLocation", "CodeFlow", "Invocation", "Location", "LogicalLocation", "Message",
    "MultiformatMessageString", "Notification", "PhysicalLocation", "Region", "ReportingConfiguration",
    "ReportingDescriptor", "ReportingDescriptorReference", "Result", "Run", "RunAutomationDetails",
    "SarifLog", "Suppression", "ThreadFlow", "ThreadFlowLocation", "Tool", "ToolComponent",
)  # fmt: skip


def _module(class_name: str) -> ModuleType:
    """`sarif_om._reporting_descriptor` for `ReportingDescriptor`, loaded without its package."""
    name = f"{_PACKAGE}._{re.sub(r'(?<!^)(?=[A-Z])', '_', class_name).lower()}"
    if name in sys.modules:
        return sys.modules[name]
    package = sys.modules.get(_PACKAGE)
    locations = package.__path__ if package is not None else _package_path()
    spec = PathFinder.find_spec(name, locations)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"no module named {name!r}", name=name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _package_path() -> list[str]:
    spec = PathFinder.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"no module named {_PACKAGE!r}", name=_PACKAGE)
    return list(spec.submodule_search_locations)


if TYPE_CHECKING:
    from sarif_om import (
        Artifact, ArtifactLocation, CodeFlow, Invocation, Location, LogicalLocation, Message,
        MultiformatMessageString, Notification, PhysicalLocation, Region, ReportingConfiguration,
        ReportingDescriptor, ReportingDescriptorReference, Result, Run, RunAutomationDetails,
        SarifLog, Suppression, ThreadFlow, ThreadFlowLocation, Tool, ToolComponent,
    )  # fmt: skip
else:
    globals().update({name: getattr(_module(name), name) for name in _USED})
