"""The run: discover bundles, parse their files, build host models, run the rules, sort findings."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from winrmlint import manifest, parsers
from winrmlint.bundle import Bundle, BundleFile, InputRefused, Limits, discover
from winrmlint.findings import Finding
from winrmlint.model.host import Host, ParsedFile, build_host, host_name
from winrmlint.model.values import ParsedDump, ParseError
from winrmlint.rules import RULES, Rule
from winrmlint.rules.base import Context
from winrmlint.source import DecodeError, SourceText

# Below this many bundles a process pool costs more than it saves.
_PARALLEL_FROM = 16


@dataclass
class HostResult:
    """One host after linting: its model, and the rules that lacked the input to judge it."""

    host: Host
    not_evaluated: list[str] = field(default_factory=list)


@dataclass
class RunResult:
    """Everything a run produced, in a stable order, for the output formats."""

    hosts: list[HostResult]
    findings: list[Finding]
    rules: tuple[Rule, ...]

    @property
    def files(self) -> list[ParsedFile]:
        return [f for h in self.hosts for f in h.host.files]


def select_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> tuple[Rule, ...]:
    """Rules chosen by code, code prefix (`WRM2`) or name; WRM001 always runs unless ignored."""

    def matches(rule: Rule, wanted: Sequence[str]) -> bool:
        return any(rule.code.startswith(w.upper()) or rule.name == w.lower() for w in wanted)

    return tuple(
        r
        for r in RULES
        if (not select or matches(r, select) or r.code == "WRM001") and not matches(r, ignore)
    )


def unknown_selectors(selectors: Sequence[str]) -> list[str]:
    return [s for s in selectors if not any(r.code.startswith(s.upper()) or r.name == s.lower() for r in RULES)]


def lint(
    paths: Sequence[str],
    *,
    rules: tuple[Rule, ...] = RULES,
    limits: Limits = Limits(),
    jobs: int = 0,
    baseline: str | None = None,
) -> RunResult:
    bundles = discover(list(paths), limits)
    host_rules = tuple(r for r in rules if not r.fleet)
    workers = jobs or (os.cpu_count() or 1)
    if workers > 1 and len(bundles) >= _PARALLEL_FROM:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = list(pool.map(_lint_bundle, bundles, [host_rules] * len(bundles), [limits] * len(bundles), chunksize=8))
    else:
        done = [_lint_bundle(b, host_rules, limits) for b in bundles]
    results = [result for result, _ in done]
    findings = [f for _, found in done for f in found]
    hosts = [r.host for r in results]
    for fleet_rule in (r for r in rules if r.fleet):
        findings.extend(fleet_rule.check(None, Context(fleet_rule, hosts, baseline)))  # type: ignore[arg-type]
        for result in results:
            if fleet_rule.needs and not any(result.host.knows(n) for n in fleet_rule.needs):
                result.not_evaluated.append(fleet_rule.code)
    findings.sort(key=Finding.sort_key)
    return RunResult(hosts=results, findings=findings, rules=rules)


def parse_file(source: SourceText) -> tuple[str | None, ParsedDump | None, ParseError | None]:
    """Recognise and parse one decoded file: (format, dump, error)."""
    parser = parsers.detect(source)
    if parser is None:
        return None, None, ParseError("not a recognised WinRM dump (no format matched its content)", 1)
    try:
        return parser.FORMAT, parser.parse(source), None
    except ParseError as err:
        return parser.FORMAT, None, err
    except RecursionError:
        return parser.FORMAT, None, ParseError(f"{parser.FORMAT}: input nested too deeply", 1)


def _read_manifest(file: BundleFile, limits: Limits, files: list[ParsedFile], dumps: list[ParsedDump]) -> None:
    try:
        dump = manifest.parse(SourceText.from_bytes(file.uri, file.read(limits)))
    except (InputRefused, DecodeError, OSError, ParseError) as err:
        files.append(ParsedFile(file.uri, manifest.FORMAT, f"{manifest.FORMAT}: {err}", getattr(err, "line", 1)))
        return
    files.append(ParsedFile(file.uri, manifest.FORMAT))
    dumps.append(dump)


def _lint_bundle(bundle: Bundle, rules: tuple[Rule, ...], limits: Limits) -> tuple[HostResult, list[Finding]]:
    files: list[ParsedFile] = []
    dumps: list[ParsedDump] = []
    for uri, reason in bundle.refused:
        files.append(ParsedFile(uri, None, f"not read: {reason}"))
    if bundle.manifest is not None:
        # first, so that what the manifest states wins over what the dumps imply
        _read_manifest(bundle.manifest, limits, files, dumps)
    for file in bundle.files:
        try:
            source = SourceText.from_bytes(file.uri, file.read(limits))
        except InputRefused as err:
            files.append(ParsedFile(file.uri, None, f"not read: {err}"))
            continue
        except DecodeError as err:
            files.append(ParsedFile(file.uri, None, f"cannot be decoded: {err}", err.line))
            continue
        except OSError as err:
            files.append(ParsedFile(file.uri, None, f"cannot be read: {err.strerror or err}"))
            continue
        fmt, dump, error = parse_file(source)
        if error is not None:
            prefix = f"{fmt}: " if fmt else ""
            files.append(ParsedFile(file.uri, fmt, f"{prefix}{error}", max(1, error.line)))
            continue
        assert dump is not None
        files.append(ParsedFile(file.uri, fmt, notes=dump.notes))
        dumps.append(dump)
    host = build_host(host_name(dumps, bundle.name), bundle.root, dumps, files)
    result = HostResult(host)
    findings: list[Finding] = []
    for rule in rules:
        if rule.needs and not any(host.knows(n) for n in rule.needs):
            result.not_evaluated.append(rule.code)
            continue
        findings.extend(rule.check(host, Context(rule)))
    return result, findings
