"""`winrmlint merge`: the shards of a fleet (`lint --shard K/N --summaries FILE`) made one run.

Each shard lints its hosts and writes their summaries and findings; merging puts the hosts back
in the order one run would list them (their place in the whole fleet), runs the fleet rules on
the summaries, and sorts the findings as one run does: the output equals that of one run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from winrmlint import engine, summary
from winrmlint.findings import Finding
from winrmlint.rules import BY_CODE
from winrmlint.rules.base import Profile
from winrmlint.source import json_text


class MergeError(Exception):
    """Summaries that cannot be merged: malformed, from other rules, or one host twice."""


def merge(paths: Sequence[str]) -> engine.RunResult:
    hosts: dict[int, tuple[engine.HostResult, list[Finding]]] = {}
    environment: dict[int, tuple[engine.HostResult, list[Finding]]] = {}
    header: dict[str, Any] | None = None
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                first = _json(path, 1, handle.readline())
                if not isinstance(first, dict) or first.get("kind") != summary.KIND:
                    raise MergeError(f"{path}:1: not a file of winrmlint summaries ({summary.KIND})")
                same = ("rules", "golden", "profile", "options")
                if header is not None and [first.get(k) for k in same] != [header.get(k) for k in same]:
                    raise MergeError(f"{path}: linted with other rules, --golden, profile or options than {paths[0]}")
                header = first
                for number, line in enumerate(handle, start=2):
                    try:
                        data = _json(path, number, line)
                        index, result, findings = summary.load(data)
                        role = data["role"]
                    except (KeyError, TypeError, ValueError) as err:
                        raise MergeError(f"{path}:{number}: malformed summary ({type(err).__name__})") from None
                    if role == "fleet":
                        # the fleet's own input: every shard read it
                        environment.setdefault(index, (result, findings))
                        continue
                    if index in hosts:
                        raise MergeError(f"{path}:{number}: bundle {result.host.bundle} is in two shards")
                    hosts[index] = (result, findings)
        except OSError as err:
            raise MergeError(f"cannot read {path}: {err.strerror or err}") from None
    if header is None:
        raise MergeError("no summaries given")
    unknown = [code for code in header["rules"] if code not in BY_CODE]
    if unknown:
        raise MergeError(f"summaries name rules this winrmlint does not have: {', '.join(unknown)}")
    rules = tuple(BY_CODE[code] for code in header["rules"])
    try:
        profile, options = Profile(header["profile"]), summary.options_of(header)
    except (KeyError, TypeError, ValueError) as err:
        raise MergeError(f"{paths[0]}:1: malformed header ({type(err).__name__})") from None
    return engine.run_fleet_rules([hosts[i] for i in sorted(hosts)], [environment[i] for i in sorted(environment)],
                                  rules, header["golden"], profile, options)


def _json(path: str, number: int, line: str) -> Any:
    try:
        return json_text(line)
    except (json.JSONDecodeError, RecursionError) as err:
        raise MergeError(f"{path}:{number}: not JSON ({type(err).__name__})") from None
