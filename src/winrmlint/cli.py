"""The command line: flags in, engine run, one output module, exit code out. Nothing else."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional, TextIO

import typer

from winrmlint import __version__, debugging

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    # typer's rich tracebacks print local variables: hostile file contents must never reach them
    pretty_exceptions_enable=False,
    help="Lint WinRM configuration dumps: findings with their documented cause and the exact fix.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"


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


@app.command()
def lint(
    paths: Paths = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.text,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of standard output.")] = None,
    fail_on: Annotated[FailOn, typer.Option(help="Exit 1 when a finding is at or above this level.")] = FailOn.warning,
    select: Annotated[Optional[list[str]], typer.Option("--select", "-s", help="Only these rules (code, code prefix or name); repeatable.")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", "-i", help="Skip these rules (code, code prefix or name); repeatable.")] = None,
    jobs: Annotated[int, typer.Option(help="Worker processes for large fleets (0: one per CPU).", min=0)] = 0,
    max_file_size: MaxFileSize = 32 * 1024 * 1024,
    baseline: Annotated[Optional[str], typer.Option(help="Name of the golden host that the fleet is compared with (WRM802).")] = None,
    max_files: MaxFiles = 10_000,
    max_lines: MaxLines = 250_000,
    max_archive_entries: MaxArchiveEntries = 10_000,
    max_archive_size: MaxArchiveSize = 256 * 1024 * 1024,
    max_archive_ratio: MaxArchiveRatio = 200,
) -> None:
    """Lint dumps and report findings. Exit 0: clean, 1: findings, 2: usage error or nothing readable."""
    from winrmlint import engine
    from winrmlint.findings import Level

    bad = engine.unknown_selectors([*(select or []), *(ignore or [])])
    if bad:
        typer.echo(f"winrmlint: unknown rule selector: {', '.join(bad)} (see `winrmlint rules`)", err=True)
        raise typer.Exit(2)
    targets = _check_paths(paths)
    run = engine.lint(
        targets,
        rules=engine.select_rules(select or (), ignore or ()),
        limits=_limits(max_file_size, max_files, max_lines, max_archive_entries, max_archive_size, max_archive_ratio),
        jobs=jobs,
        baseline=baseline,
    )
    if baseline and not any(r.host.name.lower() == baseline.lower() for r in run.hosts):
        # a mistyped golden host would silently disable WRM802
        from winrmlint.output.escape import safe

        names = ", ".join(sorted({safe(r.host.name) for r in run.hosts})) or "none"
        typer.echo(f"winrmlint: --baseline {safe(repr(baseline))} is not a host of this run (hosts: {names})", err=True)
        raise typer.Exit(2)
    with _writing(output, utf8=output_format is not OutputFormat.text) as stream:
        if output_format is OutputFormat.sarif:
            from winrmlint.output import sarif

            sarif.write(run, stream)
            if len(run.findings) > sarif.GITHUB_MAX_RESULTS:
                typer.echo(
                    f"winrmlint: warning: {len(run.findings)} results; GitHub code scanning rejects a run of more "
                    f"than {sarif.GITHUB_MAX_RESULTS}: lint the fleet in parts, or narrow it with --select",
                    err=True,
                )
        elif output_format is OutputFormat.json:
            from winrmlint.output import json as json_output

            json_output.write(run, stream)
        else:
            from winrmlint.output import text

            text.write(run, stream, colour=text.use_colour(stream), width=text.terminal_width(stream))
    _exit_if_nothing_read(run)
    threshold = Level(fail_on.value).rank
    raise typer.Exit(1 if any(f.level.rank >= threshold for f in run.findings) else 0)


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
    """List the rules: code, name, level and summary."""
    from winrmlint.rules import RULES

    if output_format is RulesFormat.markdown:
        typer.echo("| code | name | level | summary |\n| --- | --- | --- | --- |")
        for r in RULES:
            typer.echo(f"| {r.code} | `{r.name}` | {r.level.value} | {r.summary} |")
        return
    for r in RULES:
        typer.echo(f"{r.code}  {r.name:<34} {r.level.value:<8} {r.summary}")


@app.command()
def explain(rule: Annotated[str, typer.Argument(help="A rule code or name.")]) -> None:
    """Show a rule's documentation: what it finds, why it matters, an example, the fix."""
    from winrmlint.rules import BY_CODE, BY_NAME

    found = BY_CODE.get(rule.upper()) or BY_NAME.get(rule.lower())
    if found is None:
        typer.echo(f"winrmlint: no rule {rule!r} (see `winrmlint rules`)", err=True)
        raise typer.Exit(2)
    typer.echo(f"{found.code} {found.name} ({found.level.value})\n\n{found.summary}\n\n{found.help_markdown}")


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
