"""Baselines: a previous winrmlint run (SARIF or JSON), so that a PR fails only for what it introduced.

Results are matched by winrmlint's own fingerprint (rule, host, logical path, key), which does
not change when lines move: `new` (not in the baseline), `unchanged`, `updated` (same fingerprint,
different message or level) and `absent` (in the baseline only).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from winrmlint.output.escape import sarif_plain
from winrmlint.source import json_text

FINGERPRINT = "winrmlint/v1"


class BaselineError(Exception):
    """A baseline that is unreadable or not a winrmlint run: a usage error."""


@dataclass(frozen=True)
class Previous:
    """One result of the baseline run, as much of it as an `absent` result needs."""

    fingerprint: str
    code: str
    level: str
    message: str
    uri: str
    line: int
    host: str
    path: str


def load(path: Path) -> dict[str, Previous]:
    """The baseline's results by fingerprint, from a winrmlint SARIF or JSON file."""
    try:
        doc = json_text(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        # `--baseline HOST` named WRM802's golden host before it moved to --golden
        raise BaselineError(f"baseline {path}: no such file (a golden host for WRM802 is now --golden {path})") from None
    except OSError as err:
        raise BaselineError(f"baseline {path}: cannot be read: {err.strerror or err}") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BaselineError(f"baseline {path}: is not JSON (expected a winrmlint SARIF or JSON report)") from None
    if isinstance(doc, dict) and isinstance(doc.get("runs"), list):
        return _from_sarif(path, doc)
    if isinstance(doc, dict) and isinstance(doc.get("tool"), dict) and "hosts" in doc:
        return _from_json(path, doc)
    raise BaselineError(f"baseline {path}: is neither SARIF nor winrmlint JSON")


def _tool_error(path: Path, tool: Any) -> BaselineError:
    return BaselineError(
        f"baseline {path}: was written by {tool!r}, not winrmlint; fingerprints of another tool cannot be "
        "matched (write the baseline with `winrmlint lint --format sarif` or `--format json`)"
    )


def _from_sarif(path: Path, doc: dict[str, Any]) -> dict[str, Previous]:
    found: dict[str, Previous] = {}
    for run in doc["runs"]:
        try:
            tool = run["tool"]["driver"]["name"]
        except (KeyError, TypeError):
            raise BaselineError(f"baseline {path}: a SARIF run has no tool.driver.name") from None
        if tool != "winrmlint":
            raise _tool_error(path, tool)
        for result in run.get("results") or []:
            if result.get("baselineState") == "absent":
                continue  # gone already in that run
            try:
                fingerprint = result["partialFingerprints"][FINGERPRINT]
                where = result["locations"][0]["physicalLocation"]
                props = result.get("properties", {})
                found[fingerprint] = Previous(
                    fingerprint=fingerprint,
                    code=result["ruleId"],
                    level=result.get("level", "warning"),
                    message=sarif_plain(result["message"]["text"]),
                    uri=where["artifactLocation"]["uri"],
                    line=where.get("region", {}).get("startLine", 1),
                    host=props.get("host", ""),
                    path=props.get("logicalPath", ""),
                )
            except (KeyError, IndexError, TypeError):
                raise BaselineError(f"baseline {path}: a result lacks winrmlint's fingerprint or location") from None
    return found


def _from_json(path: Path, doc: dict[str, Any]) -> dict[str, Previous]:
    if doc["tool"].get("name") != "winrmlint":
        raise _tool_error(path, doc["tool"].get("name"))
    found: dict[str, Previous] = {}
    try:
        hosts = doc["hosts"]
        listed = [f for h in hosts for f in h["findings"]] + list(doc.get("other_findings", []))
        for f in listed:
            found[f["fingerprint"]] = Previous(
                fingerprint=f["fingerprint"],
                code=f["code"],
                level=f["level"],
                message=f["message"],
                uri=f["file"],
                line=f["line"],
                host=f["host"],
                path=f["path"],
            )
    except (KeyError, TypeError):
        raise BaselineError(f"baseline {path}: a finding lacks winrmlint's fingerprint or location") from None
    return found


def state(previous: Previous | None, level: str, message: str, sarif_message: str) -> str:
    """A result's baselineState; a SARIF baseline holds the SARIF message (with its fix)."""
    if previous is None:
        return "new"
    same = previous.level == level and previous.message in (message, sarif_message)
    return "unchanged" if same else "updated"
