"""The run: discover bundles, parse their files, build host models, run the rules, sort findings."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, TextIO

from winrmlint import debugging, manifest, parsers, summary
from winrmlint.budget import fold, parse_cost
from winrmlint.bundle import Bundle, BundleFile, InputRefused, Limits, discover, identity_conflicts, source_notes
from winrmlint.findings import Finding
from winrmlint.options import RuleOptions
from winrmlint.model.host import Host, ParsedFile, build_host, host_name
from winrmlint.model.platform import banner_readings
from winrmlint.model.values import ParsedDump, ParseError
from winrmlint.rules import BY_CODE, RULES
from winrmlint.rules.base import Context, Profile, Rule
from winrmlint.shard import Shard
from winrmlint.source import DecodeError, Location, SourceText

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

# Below this many bundles a process pool costs more than it saves.
_PARALLEL_FROM = 16
# Most bundles a worker takes at once: large enough that sending them costs nothing, small
# enough that results come back steadily and the last chunks balance the workers
_CHUNK = 64


class Keep(Enum):
    """How much of each host a run keeps once its host rules ran."""

    MODEL = "model"  # everything (`winrmlint parse`, tests, the API's default)
    SUMMARY = "summary"  # what the outputs and the fleet rules read (summary.py)
    CONFIG = "config"  # the summary and every `winrm/config` setting, for `--golden` drift (WRM802)


def _internal(err: Exception, doing: str) -> str:
    """The message for a bug of winrmlint's own: the exception's type only, never its text or a
    traceback (either could carry the hostile input). `WINRMLINT_DEBUG=1` re-raises it instead."""
    if debugging():
        raise err
    return f"internal error {doing}: {type(err).__name__}"


def _lacks_input(rule: Rule, host: Host) -> bool:
    """No input of the host speaks to what the rule needs: it is reported as not evaluated."""
    # a fleet rule's `evaluable` is asked of the whole run, once it has run (lint_bundles)
    if rule.evaluable is not None and not rule.fleet and not rule.evaluable(host):
        return True
    return bool(rule.needs) and not any(host.knows(n) for n in rule.needs)


@dataclass
class HostResult:
    """One host after linting: its model, and the rules that lacked the input to judge it."""

    host: Host
    not_evaluated: list[str] = field(default_factory=list)
    # a rule that raised: reported as WRM001 and a SARIF notification, never as a traceback
    internal_errors: list[tuple[Location, str]] = field(default_factory=list)
    # the fleet rules that lack this host's input (reported as not evaluated once they ran)
    fleet_lacking: list[str] = field(default_factory=list)


@dataclass
class RunResult:
    """Everything a run produced, in a stable order, for the output formats."""

    hosts: list[HostResult]
    findings: list[Finding]
    rules: tuple[Rule, ...]
    fleet_errors: list[tuple[Location, str]] = field(default_factory=list)
    # a fleet's own input (bundle.Bundle.role "fleet"): domain-wide reports such as `setspn -X`
    # that fleet rules read with the hosts, and files at a fleet's root that belong to no host
    environment: list[HostResult] = field(default_factory=list)

    @property
    def files(self) -> list[ParsedFile]:
        return [f for h in (*self.hosts, *self.environment) for f in h.host.files]

    @property
    def hosts_linted(self) -> list[HostResult]:
        """The hosts of which at least one file was read; the others are left out (WRM001 says why)."""
        return [r for r in self.hosts if r.host.readable_files]

    @property
    def hosts_left_out(self) -> list[HostResult]:
        return [r for r in self.hosts if not r.host.readable_files]

    def findings_by_bundle(self) -> dict[str, list[Finding]]:
        """Findings per host's bundle, in run order (host names can repeat across a fleet)."""
        grouped: dict[str, list[Finding]] = {r.host.bundle: [] for r in self.hosts}
        for f in self.findings:
            grouped.setdefault(f.bundle, []).append(f)
        return grouped

    @property
    def internal_errors(self) -> list[tuple[Location, str]]:
        """Rules that raised instead of judging (a bug in winrmlint, not in the input)."""
        return [e for h in self.hosts for e in h.internal_errors] + self.fleet_errors


def select_rules(
    select: Sequence[str] = (), ignore: Sequence[str] = (), profile: str = "default"
) -> tuple[Rule, ...]:
    """Rules chosen by code, code prefix (`WRM2`) or name, among those the profile runs
    (`default`, `stig`, `cis`, `cis-l2`; a ValueError names a profile that does not exist);
    WRM001 always runs unless ignored. `lint(profile=…)` decides what the chosen rules expect."""
    chosen = Profile(profile)
    return tuple(
        r
        for r in RULES
        if r.runs_in(chosen)
        and (not select or _chosen(r, select) or r.code == "WRM001")
        and not _chosen(r, ignore)
    )


def unknown_selectors(selectors: Sequence[str]) -> list[str]:
    return [s for s in selectors if not any(_chosen(r, [s]) for r in RULES)]


def _chosen(rule: Rule, selectors: Sequence[str]) -> bool:
    return any(rule.code.startswith(s.upper()) or rule.name == s.lower() for s in selectors)


def lint(
    paths: Sequence[str],
    *,
    rules: tuple[Rule, ...] = RULES,
    limits: Limits = Limits(),
    jobs: int = 0,
    baseline: str | None = None,
    options: RuleOptions = RuleOptions(),
    progress: Callable[[int, int], None] | None = None,
    profile: str = "default",
    models: bool = True,
    shard: Shard | None = None,
    summaries: TextIO | None = None,
) -> RunResult:
    """Lint every bundle under `paths`; `progress(done, total)` is called as bundles finish.

    `models=False` keeps of each host only its summary (what the outputs and the fleet rules
    read), so that memory grows with findings, not with bytes read. `shard` lints only the host
    bundles of one shard (a fleet's own input goes to every shard); `summaries` receives each
    host's summary and findings as JSON lines, before the fleet rules run, for `winrmlint merge`.
    """
    found = discover(list(paths), limits)
    positions = [i for i, b in enumerate(found) if b.role == "host" and (shard is None or shard.holds(b.root))]
    bundles = [found[i] for i in positions]
    chosen = Profile(profile)
    keep = Keep.MODEL if models else (Keep.CONFIG if baseline else Keep.SUMMARY)
    done = lint_bundles(bundles, rules, limits, jobs, keep, chosen, options, progress)
    # a fleet's own input: no host rule judges it, but its unreadable files are WRM001
    wrm001 = tuple(r.code for r in rules if r.code == "WRM001")
    environment = [(i, _lint_bundle(found[i], wrm001, limits)) for i, b in enumerate(found) if b.role == "fleet"]
    if summaries is not None:
        summary.write(summaries, zip(positions, done), environment, rules, baseline, profile, options)
    return run_fleet_rules(done, [one for _, one in environment], rules, baseline, chosen, options)


def lint_bundles(
    bundles: list[Bundle], rules: tuple[Rule, ...], limits: Limits, jobs: int, keep: Keep,
    profile: Profile = Profile.DEFAULT, options: RuleOptions = RuleOptions(),
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[HostResult, list[Finding]]]:
    """Each bundle's host rules, in bundle order, in this process or in worker processes: the
    per-bundle step that a CI matrix, a Dask bag or a Spark job can map as well."""
    # rules travel by code: a Rule wraps a function whose module name now holds the Rule
    codes = tuple(r.code for r in rules if not r.fleet)
    fleet_codes = tuple(r.code for r in rules if r.fleet)
    workers = jobs or (os.cpu_count() or 1)
    if workers > 1 and len(bundles) >= _PARALLEL_FROM:
        pooled = _lint_in_pool(bundles, (codes, fleet_codes, limits, keep, profile, options), workers, progress)
        if pooled is not None:
            return pooled
    done = []
    for b in bundles:
        done.append(_lint_bundle(b, codes, limits, profile, options, fleet_codes, keep))
        if keep is not Keep.MODEL:
            summary.compact(done[-1][0].host)
        if progress:
            progress(len(done), len(bundles))
    return done


def run_fleet_rules(
    done: list[tuple[HostResult, list[Finding]]], environment: list[tuple[HostResult, list[Finding]]],
    rules: tuple[Rule, ...], baseline: str | None, profile: Profile = Profile.DEFAULT,
    options: RuleOptions = RuleOptions(),
) -> RunResult:
    """The fleet rules over every host's summary (and the fleet's own input), then all
    findings in one stable order."""
    results = [result for result, _ in done]
    findings = [f for _, found in done for f in found]
    findings.extend(f for _, found_there in environment for f in found_there)
    hosts = [r.host for r in results] + [r.host for r, _ in environment]
    fleet_errors: list[tuple[Location, str]] = []
    for fleet_rule in (r for r in rules if r.fleet):
        try:
            findings.extend(fleet_rule.check(None, Context(fleet_rule, hosts, baseline, profile=profile, options=options)))  # type: ignore[arg-type]
        except Exception as err:
            at = Location(results[0].host.bundle if results else ".", 1)
            error = (at, _internal(err, f"in rule {fleet_rule.code}"))
            fleet_errors.append(error)
            if results:
                findings.extend(_internal_findings(rules, results[0].host, [error]))
            for result in results:
                result.not_evaluated.append(fleet_rule.code)
            continue
        # its input may sit in any bundle (one `setspn -X` for the domain): judged if any host has it
        unjudged = fleet_rule.evaluable is not None and not any(fleet_rule.evaluable(h) for h in hosts)
        for result in results:
            if unjudged or fleet_rule.code in result.fleet_lacking:
                result.not_evaluated.append(fleet_rule.code)
    # one fact seen in several bundles (a fleet of clones, one `setspn -X` pasted twice) is one finding
    findings = sorted(dict.fromkeys(findings), key=Finding.sort_key)
    return RunResult(hosts=results, findings=findings, rules=rules, fleet_errors=fleet_errors,
                     environment=[r for r, _ in environment])


_Job = tuple[tuple[str, ...], tuple[str, ...], Limits, "Keep", Profile, RuleOptions]


def _lint_in_pool(
    bundles: list[Bundle], job: _Job, workers: int, progress: Callable[[int, int], None] | None,
) -> list[tuple[HostResult, list[Finding]]] | None:
    """Lint bundles in worker processes; None when the pool itself fails (a killed worker, no
    semaphores in a sandbox), so the run goes on in this process instead of failing.

    Workers start once and take bundles in chunks (a few per worker and round, so that one slow
    host does not idle the others); they send back findings and summaries, never whole models,
    and `map` returns them in bundle order, so the output does not depend on `jobs`.
    """
    # imported here: a process pool costs ~20 ms of imports that a small run never needs
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(1, min(_CHUNK, len(bundles) // (workers * 4)))
    chunks = [bundles[i : i + size] for i in range(0, len(bundles), size)]
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_workers_context()) as pool:
            done: list[tuple[HostResult, list[Finding]]] = []
            for chunk in pool.map(_lint_chunk, chunks, [job] * len(chunks)):
                if job[3] is not Keep.MODEL:
                    for result, _ in chunk:
                        summary.compact(result.host)
                done.extend(chunk)
                if progress:
                    progress(len(done), len(bundles))
            return done
    except (BrokenProcessPool, OSError) as err:
        _internal(err, "in the process pool")
        return None


def _workers_context() -> BaseContext:
    """Workers started afresh (`spawn`), each importing the engine once, not forked from this
    process: a forked worker shares the parent's pages until it touches them, and touching the
    objects of a large run (the bundles of 100,000 hosts) copied ~700 MB into each. Spawned
    workers are this process's own children, reaped when the pool closes, so their CPU time and
    peak memory count in what `time`, `wait4` and the benchmark report (a fork server's workers
    are its children, and it outlives the run unreaped)."""
    import multiprocessing

    return multiprocessing.get_context("spawn")


def _lint_chunk(bundles: list[Bundle], job: _Job) -> list[tuple[HostResult, list[Finding]]]:
    codes, fleet_codes, limits, keep, profile, options = job
    return [_lint_bundle(b, codes, limits, profile, options, fleet_codes, keep) for b in bundles]


def parse_file(source: SourceText) -> tuple[str | None, ParsedDump | None, ParseError | None]:
    """Recognise and parse one decoded file: (format, dump, error).

    Parsers raise only `ParseError`; anything else is a bug in winrmlint, which must cost this
    one file and nothing more: it becomes an error naming the exception's type (never its text
    or a traceback, which could carry the hostile input), unless WINRMLINT_DEBUG is set.
    """
    try:
        parser = parsers.detect(source)
    except Exception as err:
        return None, None, ParseError(_internal(err, "while recognising the format"), 1)
    if parser is None:
        return None, None, ParseError("not a recognised WinRM dump (no format matched its content)", 1)
    try:
        dump = parser.parse(source)
        parsers.later_runs_first(dump, source)
        # a pasted console transcript's `Microsoft Windows [Version …]` banner tells the edition
        dump.readings.extend(banner_readings(source))
        return parser.FORMAT, dump, None
    except ParseError as err:
        return parser.FORMAT, None, err
    except RecursionError:
        return parser.FORMAT, None, ParseError(f"{parser.FORMAT}: input nested too deeply", 1)
    except Exception as err:
        return parser.FORMAT, None, ParseError(_internal(err, "while parsing"), 1)


def _read_manifest(file: BundleFile, limits: Limits, files: list[ParsedFile], dumps: list[ParsedDump]) -> None:
    try:
        dump = manifest.parse(SourceText.from_bytes(file.uri, file.read(limits)))
    except (InputRefused, DecodeError, OSError, ParseError) as err:
        files.append(ParsedFile(file.uri, manifest.FORMAT, f"{manifest.FORMAT}: {err}", getattr(err, "line", 1)))
        return
    except Exception as err:
        files.append(ParsedFile(file.uri, manifest.FORMAT, f"{manifest.FORMAT}: {_internal(err, 'while parsing')}"))
        return
    files.append(ParsedFile(file.uri, manifest.FORMAT))
    dumps.append(dump)


def _lint_bundle(
    bundle: Bundle, codes: tuple[str, ...], limits: Limits, profile: Profile = Profile.DEFAULT,
    options: RuleOptions = RuleOptions(), fleet_codes: tuple[str, ...] = (), keep: Keep = Keep.MODEL,
) -> tuple[HostResult, list[Finding]]:
    rules = tuple(BY_CODE[code] for code in codes)
    files: list[ParsedFile] = []
    dumps: list[ParsedDump] = []
    for uri, reason in bundle.refused:
        files.append(ParsedFile(uri, None, f"not read: {reason}"))
    if bundle.manifest is not None:
        # first, so that what the manifest states wins over what the dumps imply
        _read_manifest(bundle.manifest, limits, files, dumps)
    lines = 0
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
        except Exception as err:
            files.append(ParsedFile(file.uri, None, _internal(err, "while reading")))
            continue
        lines += len(source.lines)
        if lines > limits.max_lines:
            files.append(ParsedFile(file.uri, None, f"not read: the host's files pass {limits.max_lines} lines"))
            lines -= len(source.lines)
            continue
        fmt, dump, error = parse_file(source)
        other = source.other_reading() if error is not None else None
        if other is not None:
            # GBK bytes that read as nothing may be Big5 (a Traditional Chinese console's): kept if they read
            other_fmt, other_dump, other_error = parse_file(other)
            if other_error is None:
                source, fmt, dump, error = other, other_fmt, other_dump, None
        if error is not None:
            prefix = f"{fmt}: " if fmt else ""
            files.append(ParsedFile(file.uri, fmt, f"{prefix}{error}", max(1, error.line)))
            continue
        assert dump is not None
        # what was parsed counts, not only lines (budget.parse_cost)
        cost = parse_cost(len(source.lines), dump)
        if lines - len(source.lines) + cost > limits.max_lines:
            files.append(ParsedFile(file.uri, fmt, f"not read: the host's files pass {limits.max_lines} lines or settings"))
            lines -= len(source.lines)
            continue
        lines += cost - len(source.lines)
        files.append(ParsedFile(file.uri, fmt, notes=[*source_notes(source), *dump.notes]))
        dumps.append(dump)
    files.extend(identity_conflicts(dumps, bundle.root))
    host = build_host(host_name(dumps, bundle.name), bundle.root, dumps, files)
    result = HostResult(host)
    findings: list[Finding] = []
    for rule in rules:
        if _lacks_input(rule, host):
            result.not_evaluated.append(rule.code)
            continue
        try:
            # drained here, so that a rule failing half-way reports nothing rather than a part
            findings.extend(list(rule.check(host, Context(rule, profile=profile, options=options))))
        except Exception as err:
            failure = (Location(bundle.root, 1), _internal(err, f"in rule {rule.code}"))
            result.not_evaluated.append(rule.code)
            result.internal_errors.append(failure)
            findings.extend(_internal_findings(rules, host, [failure]))
    # judged here, where the whole model is: the summary may not hold what `needs` names
    result.fleet_lacking = [code for code in fleet_codes if _lacks_input(BY_CODE[code], host)]
    if keep is not Keep.MODEL:
        result.host = summary.of(host, config=keep is Keep.CONFIG)
    return result, fold(findings, limits.max_results_per_rule)


def _internal_findings(rules: tuple[Rule, ...], host: Host, errors: list[tuple[Location, str]]) -> list[Finding]:
    """WRM001 for rules that raised, when WRM001 is selected (as it is unless ignored)."""
    wrm001 = next((r for r in rules if r.code == "WRM001"), None)
    if wrm001 is None:
        return []
    context = Context(wrm001)
    return [context.finding(host, at, message, path=at.uri, key=message) for at, message in errors]
