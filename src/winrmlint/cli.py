"""The command line: flags in, engine run, one output module, exit code out. Nothing else."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from enum import Enum
from pathlib import Path
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional, TextIO

import typer

from winrmlint import __version__, debugging

if TYPE_CHECKING:  # typing only: the modules are imported when a command needs them
    from winrmlint.baseline import Previous
    from winrmlint.config import Settings
    from winrmlint.engine import RunResult
    from winrmlint.output.report import Report
    from winrmlint.shard import Shard

app = typer.Typer(
    no_args_is_help=True,
    # typer's rich tracebacks print local variables: hostile file contents must never reach them
    pretty_exceptions_enable=False,
    help="Lint WinRM configuration dumps: findings with their documented cause and the exact fix.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ParseFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    note = "note"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"winrmlint {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Lint WinRM configuration dumps collected from Windows hosts."""


Paths = Annotated[
    Optional[list[Path]],
    typer.Argument(help="Dump files, bundles (a folder or .zip per host) or folders of bundles. Default: .", show_default=False),
]


def _check_paths(paths: list[Path] | None) -> list[str]:
    chosen = paths or [Path(".")]
    missing = [str(p) for p in chosen if not p.exists()]
    if missing:
        from winrmlint.bundle import display
        from winrmlint.output.escape import safe

        typer.echo(f"winrmlint: no such file or folder: {safe(display(', '.join(missing)))}", err=True)
        raise typer.Exit(2)
    return [str(p) for p in chosen]


@contextmanager
def _writing(output: Path | None, utf8: bool = False) -> Iterator[TextIO]:
    """Standard output, or the `-o` file written atomically (output/write.py); a report that
    cannot be written is one line and exit 2."""
    from winrmlint.output.write import WriteError, opened

    try:
        with opened(output, utf8) as stream:
            yield stream
    except WriteError as err:
        typer.echo(f"winrmlint: {err}", err=True)
        raise typer.Exit(2) from None


def _open(output: Path | None, stack: ExitStack, utf8: bool) -> TextIO:
    """An output entered on `stack`: a file is written atomically when the stack closes."""
    from winrmlint.output.write import opened

    return stack.enter_context(opened(output, utf8))


def _usage(message: str) -> NoReturn:
    typer.echo(f"winrmlint: {message}", err=True)
    raise typer.Exit(2)


def _exit_if_nothing_read(run) -> None:
    if not any(f.error is None for f in run.files):
        typer.echo("winrmlint: nothing readable in the given paths", err=True)
        raise typer.Exit(2)


def _limits(max_file_size: int, max_files: int, max_lines: int, max_archive_entries: int, max_archive_size: int,
            max_archive_ratio: int):
    from winrmlint.bundle import Limits

    return Limits(
        max_file_bytes=max_file_size,
        max_files=max_files,
        max_lines=max_lines,
        max_archive_entries=max_archive_entries,
        max_archive_bytes=max_archive_size,
        max_archive_ratio=max_archive_ratio,
    )


# Resource limits (README "Security and limits"): the defaults are bundle.Limits'
MaxFileSize = Annotated[int, typer.Option("--max-file-size", help="Largest file read, in bytes.", min=1)]
MaxFiles = Annotated[int, typer.Option("--max-files", help="Most files read per linted folder.", min=1)]
MaxLines = Annotated[int, typer.Option("--max-lines", help="Most lines read from one host's files together.", min=1)]
MaxArchiveEntries = Annotated[int, typer.Option("--max-archive-entries", help="Most entries in one zip.", min=1)]
MaxArchiveSize = Annotated[int, typer.Option("--max-archive-size", help="Most bytes one zip may expand to.", min=1)]
MaxArchiveRatio = Annotated[int, typer.Option("--max-archive-ratio", help="Largest expansion ratio of a zip entry over 1 MB.", min=1)]
# lint's: unset means "the configuration file's value, else the default"
MaybeFileSize = Annotated[Optional[int], typer.Option("--max-file-size", help="Largest file read, in bytes.", min=1, show_default="32 MiB")]
MaybeFiles = Annotated[Optional[int], typer.Option("--max-files", help="Most files read per linted folder.", min=1, show_default="10000")]
MaybeLines = Annotated[Optional[int], typer.Option("--max-lines", help="Most lines read from one host's files together.", min=1, show_default="250000")]
MaybeArchiveEntries = Annotated[Optional[int], typer.Option("--max-archive-entries", help="Most entries in one zip.", min=1, show_default="10000")]
MaybeArchiveSize = Annotated[Optional[int], typer.Option("--max-archive-size", help="Most bytes one zip may expand to.", min=1, show_default="256 MiB")]
MaybeArchiveRatio = Annotated[Optional[int], typer.Option("--max-archive-ratio", help="Largest expansion ratio of a zip entry over 1 MB.", min=1, show_default="200")]

ConfigFile = Annotated[Optional[Path], typer.Option("--config", help="Read this configuration file instead of looking for one.", dir_okay=False)]
Isolated = Annotated[bool, typer.Option("--isolated", help="Ignore every configuration file.")]


def _formats(given: list[str] | None, output: Path | None) -> list[tuple[str, Path | None]]:
    """`--format NAME` or `--format NAME=FILE`, repeatable; `-o FILE` is the first format's file.

    At most one format goes to standard output: two would interleave.
    """
    from winrmlint.output import FORMATS

    chosen: list[tuple[str, Path | None]] = []
    for n, text in enumerate(given or ["text"]):
        name, _, file = text.partition("=")
        if name not in FORMATS:
            _usage(f"unknown format {name!r}; formats: {', '.join(FORMATS)}")
        target = Path(file) if file else (output if n == 0 else None)
        if file and n == 0 and output is not None:
            _usage(f"--format {text} already names its file; -o {output} would be a second one")
        chosen.append((name, target))
    if sum(1 for _, target in chosen if target is None) > 1:
        _usage("more than one format would go to standard output: give the others a file (--format sarif=results.sarif)")
    return chosen


def _select(select: tuple[str, ...], ignore: tuple[str, ...], profile: str) -> tuple:
    from winrmlint import engine
    from winrmlint.rules.base import Profile

    known = [p.value for p in Profile]
    if profile not in known:
        _usage(f"unknown profile {profile!r}: allowed are {', '.join(known)}")
    return engine.select_rules(select, ignore, profile=profile)


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on standard error, only on a terminal, outside CI, and once a run takes a moment."""
    if quiet or not sys.stderr.isatty() or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        yield None
        return
    import time

    started = time.monotonic()
    bar: list = []

    def update(done: int, total: int) -> None:
        if not bar:
            if time.monotonic() - started < 0.5 or done >= total:
                return
            # imported only now: rich costs ~30 ms that a quick run never pays
            from rich.console import Console
            from rich.progress import Progress

            progress = Progress(console=Console(stderr=True), transient=True)
            progress.start()
            bar.extend([progress, progress.add_task("linting hosts", total=total)])
        bar[0].update(bar[1], completed=done, total=total)

    try:
        yield update
    finally:
        if bar:
            bar[0].stop()


@app.command()
def lint(
    paths: Paths = None,
    output_format: Annotated[
        Optional[list[str]],
        typer.Option("--format", "-f", help="text, json, sarif, github, junit, gitlab or html; NAME=FILE writes to FILE. Repeatable.", show_default="text"),
    ] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the first --format to this file instead of standard output.")] = None,
    config_file: ConfigFile = None,
    isolated: Isolated = False,
    fail_on: Annotated[Optional[FailOn], typer.Option(help="Exit 1 when a finding is at or above this level.", show_default="warning")] = None,
    fail_on_new: Annotated[Optional[bool], typer.Option("--fail-on-new/--no-fail-on-new", help="With --baseline: exit 1 only for new findings.", show_default=False)] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when findings fail the run (2 still means a usage error).")] = False,
    select: Annotated[Optional[list[str]], typer.Option("--select", "-s", help="Only these rules (code, code prefix or name); repeatable.")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", "-i", help="Skip these rules (code, code prefix or name); repeatable.")] = None,
    profile: Annotated[Optional[str], typer.Option("--profile", "-p", help="default: what breaks remoting or exposes it; stig, cis, cis-l2: add the benchmark's checks (a missing policy is a finding).", show_default="default")] = None,
    baseline: Annotated[Optional[Path], typer.Option(help="A previous winrmlint SARIF or JSON report: mark results new, unchanged, updated or absent.", dir_okay=False)] = None,
    golden: Annotated[Optional[str], typer.Option(help="Name of the golden host that the fleet is compared with (WRM802).")] = None,
    include_suppressed: Annotated[bool, typer.Option("--include-suppressed", help="Show suppressed findings, marked, with their justification.")] = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="End with findings per rule and level, and the failing hosts.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Findings only: no summary, no clean hosts, no progress.")] = False,
    jobs: Annotated[int, typer.Option(help="Worker processes for large fleets (0: one per CPU).", min=0)] = 0,
    max_file_size: MaybeFileSize = None,
    max_files: MaybeFiles = None,
    max_lines: MaybeLines = None,
    max_archive_entries: MaybeArchiveEntries = None,
    max_archive_size: MaybeArchiveSize = None,
    max_archive_ratio: MaybeArchiveRatio = None,
    shard: Annotated[Optional[str], typer.Option(help="Lint only shard K of N of the bundles (K/N, by a stable hash of each bundle's path); see `merge`.")] = None,
    summaries: Annotated[Optional[Path], typer.Option(help="Also write each host's summary and findings to this file (JSON lines), for `winrmlint merge`.")] = None,
) -> None:
    """Lint dumps and report findings. Exit 0: clean, 1: findings, 2: usage error or nothing readable."""
    from winrmlint.shard import Shard

    try:
        part = Shard.parse(shard) if shard else None
    except ValueError as err:
        _usage(str(err))
    formats = _formats(output_format, output)
    settings = _settings(paths, config_file, isolated, {
        "select": select, "ignore": ignore, "profile": profile, "fail-on": fail_on.value if fail_on else None,
        "fail-on-new": fail_on_new, "golden": golden, "max-file-size": max_file_size, "max-files": max_files,
        "max-lines": max_lines, "max-archive-entries": max_archive_entries, "max-archive-size": max_archive_size,
        "max-archive-ratio": max_archive_ratio,
    })
    from winrmlint.config import unknown_selectors

    bad = unknown_selectors([*(select or []), *(ignore or [])])
    if bad:
        _usage(f"unknown rule selector: {', '.join(bad)} (see `winrmlint rules`)")
    targets = _check_paths(paths)
    previous = _baseline(baseline)
    from winrmlint.output.write import WriteError

    try:
        report, run = _lint_and_write(_Run(
            targets=targets, formats=formats, settings=settings, jobs=jobs, previous=previous,
            include_suppressed=include_suppressed, quiet=quiet, statistics=statistics, shard=part, summaries=summaries,
        ))
    except WriteError as err:
        _usage(str(err))
    _exit_if_nothing_read(run)
    failing = report.failing(report.view.fail_on, only_new=settings.fail_on_new and previous is not None)
    raise typer.Exit(0 if exit_zero or not failing else 1)


@dataclass(frozen=True)
class _Run:
    """What `lint` asks of one run, once its flags and configuration are checked."""

    targets: list[str]
    formats: list[tuple[str, Path | None]]
    settings: Settings
    jobs: int
    previous: dict[str, Previous] | None
    include_suppressed: bool
    quiet: bool
    statistics: bool
    shard: Shard | None
    summaries: Path | None


def _lint_and_write(asked: _Run) -> tuple[Report, RunResult]:
    """The run and its outputs; each file is written whole (atomically) once all are done."""
    targets, formats, settings, jobs, previous = asked.targets, asked.formats, asked.settings, asked.jobs, asked.previous
    include_suppressed, quiet, statistics = asked.include_suppressed, asked.quiet, asked.statistics
    part, summaries = asked.shard, asked.summaries
    from datetime import date

    from winrmlint import engine
    from winrmlint.findings import Level
    from winrmlint.output import writer
    from winrmlint.output.report import View, build

    with ExitStack() as stack:
        # every output opened before the run: an unwritable folder fails at once, not after the work
        streams = [(name, _open(target, stack, utf8=name != "text")) for name, target in formats]
        summary_stream = _open(summaries, stack, utf8=True) if summaries else None
        with _progress(quiet) as progress:
            run = engine.lint(
                targets,
                rules=_select(settings.select, settings.ignore, settings.profile),
                limits=settings.limits,
                jobs=jobs,
                baseline=settings.golden,
                options=settings.options,
                progress=progress,
                profile=settings.profile,
                models=False,
                shard=part,
                summaries=summary_stream,
            )
        golden_host = settings.golden
        if golden_host and not any(r.host.name.lower() == golden_host.lower() for r in run.hosts):
            # a mistyped golden host would silently disable WRM802
            from winrmlint.output.escape import neutralise, safe

            names = ", ".join(sorted({safe(r.host.name) for r in run.hosts})) or "none"
            _usage(neutralise(f"--golden {safe(repr(golden_host))} is not a host of this run (hosts: {names})"))
        threshold = Level(settings.fail_on)
        report = build(
            run,
            levels=dict(settings.levels),
            suppressions=settings.suppressions,
            today=date.today(),
            include_suppressed=include_suppressed,
            baseline=previous,
            notices_ignored=_ignored_notices(settings.ignore),
            view=View(quiet=quiet, statistics=statistics, fail_on=threshold),
        )
        for name, stream in streams:
            writer(name)(report, stream)
        if "sarif" in (n for n, _ in formats) and len(report.items) > _github_max() and not quiet:
            typer.echo(
                f"winrmlint: warning: {len(report.items)} results; GitHub code scanning rejects a run of more "
                f"than {_github_max()}: lint the fleet in parts, or narrow it with --select",
                err=True,
            )
        if statistics and not any(name == "text" and target is None for name, target in formats):
            _statistics_to_stderr(report)
    return report, run


def _ignored_notices(ignore: tuple[str, ...]) -> frozenset[str]:
    """WRM002/WRM003 come from the suppression layer, not the engine: --ignore reaches them here."""
    from winrmlint import suppressions
    from winrmlint.config import chosen

    return frozenset(r.code for r in suppressions.RULES if any(chosen(r.code, r.name, s) for s in ignore))


def _github_max() -> int:
    from winrmlint.output import sarif

    return sarif.GITHUB_MAX_RESULTS


def _statistics_to_stderr(report) -> None:
    """--statistics when the text report is not on standard output: the table goes to standard error."""
    from winrmlint.output.statistics import Statistics

    typer.echo("\n".join(Statistics.of(report, report.view.fail_on).lines()), err=True)


def _settings(paths: list[Path] | None, config_file: Path | None, isolated: bool, cli: dict):
    from winrmlint.config import ConfigError, settings_for

    try:
        return settings_for(paths or [Path(".")], cli, config_file, isolated)
    except ConfigError as err:
        from winrmlint.output.escape import safe

        for line in str(err).splitlines():
            typer.echo(f"winrmlint: {safe(line)}", err=True)
        raise typer.Exit(2) from None


def _baseline(path: Path | None):
    if path is None:
        return None
    from winrmlint.baseline import BaselineError, load

    try:
        return load(path)
    except BaselineError as err:
        from winrmlint.output.escape import safe

        _usage(safe(str(err)))


@app.command("config")
def show_config(
    paths: Paths = None,
    config_file: ConfigFile = None,
    isolated: Isolated = False,
) -> None:
    """Print the effective settings for these paths, and where each came from."""
    from winrmlint.config import describe

    typer.echo(describe(_settings(paths, config_file, isolated, {})))


@app.command()
def parse(
    paths: Paths = None,
    output_format: Annotated[ParseFormat, typer.Option("--format", "-f", help="json: the host models; jsonl: one line per setting.")] = ParseFormat.json,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of standard output.")] = None,
    max_file_size: MaxFileSize = 32 * 1024 * 1024,
    max_files: MaxFiles = 10_000,
    max_lines: MaxLines = 250_000,
    max_archive_entries: MaxArchiveEntries = 10_000,
    max_archive_size: MaxArchiveSize = 256 * 1024 * 1024,
    max_archive_ratio: MaxArchiveRatio = 200,
) -> None:
    """Print the normalised host model that the rules see."""
    from winrmlint import engine
    from winrmlint.output import model

    limits = _limits(max_file_size, max_files, max_lines, max_archive_entries, max_archive_size, max_archive_ratio)
    run = engine.lint(_check_paths(paths), rules=(), limits=limits)
    with _writing(output, utf8=True) as stream:
        if output_format is ParseFormat.jsonl:
            model.write_jsonl(run, stream)
        else:
            model.write_json(run, stream)
    _exit_if_nothing_read(run)


class RulesFormat(str, Enum):
    text = "text"
    markdown = "markdown"


@app.command()
def rules(
    output_format: Annotated[RulesFormat, typer.Option("--format", "-f", help="text, or a Markdown table for docs.")] = RulesFormat.text,
) -> None:
    """List the rules: code, name, level (`error (+note)`: a variant, see `explain`), kind and summary."""
    from winrmlint.rules import RULES

    if output_format is RulesFormat.markdown:
        typer.echo("| code | name | level | kind | summary |\n| --- | --- | --- | --- | --- |")
        for r in RULES:
            typer.echo(f"| {r.code} | `{r.name}` | {r.level_shown} | {r.kind_shown} | {r.summary} |")
        return
    for r in RULES:
        typer.echo(f"{r.code}  {r.name:<34} {r.level_shown:<16} {r.kind_shown:<18} {r.summary}")


class ExplainFormat(str, Enum):
    text = "text"
    json = "json"


# `explain -2146893022`: a negative decimal is an argument, not an unknown option
@app.command(context_settings={"ignore_unknown_options": True})
def explain(
    query: Annotated[list[str], typer.Argument(help="A rule (code or name), an error code (0x80090322, -2146893022), a FullyQualifiedErrorId, or the pasted error text.", show_default=False)],
    bundle: Annotated[Optional[list[Path]], typer.Option("--bundle", "-b", help="Check which causes hold on this bundle (or fleet); repeatable.")] = None,
    output_format: Annotated[ExplainFormat, typer.Option("--format", "-f", help="text (Markdown, rendered on a terminal) or json.")] = ExplainFormat.text,
) -> None:
    """Explain a rule, or an error: its documented causes, the rules that detect each, the fix.
    Exit 0: explained, 2: nothing matches (suggestions on standard error) or a usage error."""
    from winrmlint import explain as explaining

    # ignore_unknown_options lets `-2146893022` through; a mistyped option must not become a query
    mistyped = [w for w in query if w.startswith("--") or (w.startswith("-") and not w[1:].isdigit())]
    if mistyped:
        typer.echo(f"winrmlint: no such option: {mistyped[0]} (see `winrmlint explain --help`)", err=True)
        raise typer.Exit(2)
    found = explaining.explain(" ".join(query))
    if not found.found:
        typer.echo(explaining.not_found_message(found), err=True)
        raise typer.Exit(2)
    if bundle:
        found = explaining.check_bundle(found, _check_paths(bundle))
    if output_format is ExplainFormat.json:
        import json

        typer.echo(json.dumps(explaining.to_json(found), indent=2, ensure_ascii=False))
        return
    text = explaining.explanation_markdown(found)
    if sys.stdout.isatty() and os.environ.get("TERM") != "dumb":
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        typer.echo(text, nl=False)


@app.command(context_settings={"allow_interspersed_args": True})
def connect(
    client: Annotated[Optional[str], typer.Argument(help="Client bundle path, or a host name in --fleet.", show_default=False)] = None,
    server: Annotated[Optional[str], typer.Argument(help="Server bundle path, or a host name in --fleet.", show_default=False)] = None,
    command: Annotated[Optional[list[str]], typer.Argument(help="After `--`: the remoting command as typed.", show_default=False)] = None,
    fleet: Annotated[Optional[Path], typer.Option(help="Fleet folder: host names, and its root's dumps as environment facts.")] = None,
    name: Annotated[Optional[str], typer.Option(help="Flag form: the name typed, short | fqdn | ip.")] = None,
    cred: Annotated[Optional[str], typer.Option(help="Flag form: none | domain | local | entra | DOMAIN\\user.")] = None,
    auth: Annotated[Optional[str], typer.Option(help="Flag form: -Authentication (Default, Kerberos, Negotiate, …).")] = None,
    ssl: Annotated[bool, typer.Option("--ssl", help="Flag form: -UseSSL.")] = False,
    port: Annotated[Optional[int], typer.Option(help="Flag form: -Port.", min=1, max=65535)] = None,
    matrix: Annotated[Optional[Path], typer.Option(help="Predict the standard attempts for every client × server of this fleet.")] = None,
    sources: Annotated[Optional[str], typer.Option("--from", help="With --matrix: clients, comma-separated.")] = None,
    targets: Annotated[Optional[str], typer.Option("--to", help="With --matrix: servers, comma-separated.")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text, json, sarif, markdown or html.")] = "text",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of standard output.")] = None,
    include_passes: Annotated[bool, typer.Option(help="SARIF: also write attempts that do not fail.")] = False,
    scenarios: Annotated[Optional[Path], typer.Option(help="With --matrix: the attempts to predict, a TOML [[attempt]] list.")] = None,
) -> None:
    """Predict a remoting attempt from CLIENT to SERVER: fails (with the error), succeeds if, or depends.

    Exit 0: no attempt predicted to fail, 1: one is, 2: usage error.
    """
    from winrmlint.connect import run as connect_run

    code, message = connect_run.main(
        client=client, server=server, command=command or [], fleet=fleet, name=name, cred=cred, auth=auth, ssl=ssl,
        port=port, matrix=matrix, sources=sources, targets=targets, output_format=output_format, output=output,
        include_passes=include_passes, scenarios=scenarios, writing=_writing,
    )
    if message:
        typer.echo(f"winrmlint: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def merge(
    summaries: Annotated[list[Path], typer.Argument(help="The files that `lint --shard K/N --summaries FILE` wrote, one per shard.")],
    output_format: Annotated[str, typer.Option("--format", "-f", help="text, json, sarif, github, junit or gitlab.")] = "sarif",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of standard output.")] = None,
    config_file: ConfigFile = None,
    isolated: Isolated = False,
) -> None:
    """Merge the shards of a fleet into one report: run the fleet rules on the hosts' summaries."""
    from datetime import date

    from winrmlint.findings import Level
    from winrmlint.merge import MergeError, merge as merged
    from winrmlint.output import FORMATS, writer
    from winrmlint.output.escape import safe
    from winrmlint.output.report import View, build

    if output_format not in FORMATS:
        _usage(f"unknown format {output_format!r} (one of {', '.join(FORMATS)})")
    try:
        run = merged([str(p) for p in summaries])
    except MergeError as err:
        _usage(safe(str(err)))
    settings = _settings(None, config_file, isolated, {})
    threshold = Level(settings.fail_on)
    report = build(run, levels=dict(settings.levels), suppressions=settings.suppressions, today=date.today(),
                   include_suppressed=False, baseline=None, notices_ignored=frozenset(),
                   view=View(quiet=False, statistics=False, fail_on=threshold))
    with ExitStack() as stack:
        writer(output_format)(report, _open(output, stack, utf8=output_format != "text"))
    raise typer.Exit(1 if report.failing(threshold, only_new=False) else 0)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as err:
        # the last line of defence: the engine already turns a failing parser or rule into WRM001
        if debugging():
            raise
        print(f"winrmlint: internal error ({type(err).__name__}); run with WINRMLINT_DEBUG=1 for details", file=sys.stderr)
        sys.exit(2)
