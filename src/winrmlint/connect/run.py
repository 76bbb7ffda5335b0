"""`winrmlint connect`: from the command line's words to predictions, an output and an exit code.

Kept out of cli.py (h12a's) so that the command there is a thin block: this module owns the
usage errors, the host lookup and the choice of output.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Any, TextIO

from winrmlint.connect.attempt import Attempt, FlagAttempt, UsageError, parse_command
from winrmlint.connect.capability import ServerCap
from winrmlint.connect.load import Fleet, LoadError, load
from winrmlint.connect.predict import FAILS, Prediction, predict
from winrmlint.model.host import Host

FORMATS = ("text", "json", "sarif", "markdown", "html")


@dataclass(frozen=True)
class Request:
    client: str | None
    server: str | None
    command: Sequence[str] = ()
    fleet: str | None = None
    flags: FlagAttempt | None = None
    matrix: str | None = None
    sources: Sequence[str] = ()
    targets: Sequence[str] = ()
    output_format: str = "text"
    include_passes: bool = False
    scenario_file: str | None = None


def _host_paths(req: Request) -> list[str]:
    """The bundle paths to read: with --fleet, CLIENT or SERVER is a host of the fleet unless it is
    a path outside it; without, it must be a bundle path."""
    from pathlib import Path

    paths: list[str] = []
    for name in (req.client, req.server):
        if name is None:
            raise UsageError("give CLIENT and SERVER (bundle paths, or host names with --fleet), or --matrix FLEET")
        exists = Path(name).exists()
        if req.fleet is not None and (not exists or (Path(req.fleet) / name).exists()):
            continue
        if not exists:
            raise UsageError(f"{name}: no such bundle (give a path, or a host name with --fleet)")
        paths.append(name)
    return paths


def attempts_for(req: Request, server: ServerCap) -> list[Attempt]:
    if req.command:
        if req.flags is not None:
            raise UsageError("give either a command after `--` or the --name/--cred/--auth/--ssl/--port flags, not both")
        return parse_command(list(req.command))
    flags = (req.flags or FlagAttempt()).validate()
    return [flags.build(pick_name(flags.name_form, server))]


def pick_name(form: str, server: ServerCap) -> str:
    if form == "short":
        return server.short
    if form == "fqdn":
        if not server.fqdns:
            raise UsageError(f"--name fqdn: {server.name}'s dumps give no FQDN (dsregcmd or a manifest `fqdn`)")
        return server.fqdns[0]
    if form == "ip":
        if not server.addresses:
            raise UsageError(f"--name ip: {server.name}'s dumps give no address (a listener's ListeningOn)")
        return server.addresses[0]
    return "localhost"


def predict_pair(req: Request) -> tuple[list[Prediction], Fleet]:
    paths = _host_paths(req)
    fleet = load(paths, req.fleet)
    if not fleet.hosts:
        raise LoadError("nothing readable in the given bundles")
    assert req.client is not None and req.server is not None
    client_host = _find(fleet, req.client, paths)
    server_host = _find(fleet, req.server, paths)
    client, server, env = fleet.client(client_host), fleet.server(server_host), fleet.env
    return [predict(a, client, server, env) for a in attempts_for(req, server)], fleet


def _find(fleet: Fleet, name: str, paths: list[str]) -> Host:
    from pathlib import Path

    from winrmlint.bundle import uri_of

    if name in paths:
        uri = uri_of(Path(name), Path.cwd())
        for host in fleet.hosts:
            if host.bundle == uri:
                return host
    return fleet.find(name)


def write(req: Request, predictions: list[Prediction], fleet: Fleet, stream: TextIO) -> None:
    from winrmlint.connect import report

    if req.output_format == "json":
        report.write_json(predictions, stream, fleet.unreadable)
    elif req.output_format == "sarif":
        from winrmlint.connect import sarif

        sarif.write(predictions, stream, include_passes=req.include_passes, problems=fleet.unreadable)
    elif req.output_format in ("markdown", "html", "matrix-text"):
        from winrmlint.connect import matrix

        matrix.write_table(predictions, stream, req.output_format.removeprefix("matrix-"))
    else:
        report.write_text(predictions, stream)
        for problem in fleet.unreadable:
            stream.write(f"unreadable: {problem}\n")


def exit_code(predictions: list[Prediction]) -> int:
    return 1 if any(p.verdict == FAILS for p in predictions) else 0


def main(*, client: str | None, server: str | None, command: list[str], fleet: object, name: str | None,
         cred: str | None, auth: str | None, ssl: bool, port: int | None, matrix: object, sources: str | None,
         targets: str | None, output_format: str, output: object, include_passes: bool, scenarios: object = None,
         writing: Callable[[Any], AbstractContextManager[TextIO]]) -> tuple[int, str]:
    """Run `connect` for the CLI: (exit code, a usage message for standard error or "")."""
    if output_format not in FORMATS:
        return 2, f"--format {output_format}: expected one of {', '.join(FORMATS)}"
    flags = None
    if any(v is not None for v in (name, cred, auth, port)) or ssl:
        flags = FlagAttempt(name_form=name or "fqdn", cred=cred or "implicit", auth=auth or "Default", ssl=ssl, port=port)
    req = Request(
        client=client, server=server, command=command, fleet=str(fleet) if fleet is not None else None, flags=flags,
        matrix=str(matrix) if matrix is not None else None,
        sources=[s for s in (sources or "").split(",") if s], targets=[t for t in (targets or "").split(",") if t],
        output_format=output_format, include_passes=include_passes,
        scenario_file=str(scenarios) if scenarios is not None else None,
    )
    try:
        if req.matrix is not None:
            if client or server or command:
                raise UsageError("--matrix predicts every pair of the fleet: give no CLIENT, SERVER or command")
            from winrmlint.connect import matrix as matrix_mod

            predictions, loaded = matrix_mod.predict_matrix(req.matrix, req.sources, req.targets, flags, req.scenario_file)
            if req.output_format == "text":
                req = replace(req, output_format="matrix-text")
        else:
            if req.scenario_file is not None:
                raise UsageError("--scenarios goes with --matrix")
            if req.output_format in ("markdown", "html"):
                raise UsageError(f"--format {req.output_format} is for --matrix tables")
            predictions, loaded = predict_pair(req)
    except (UsageError, LoadError) as err:
        return 2, str(err)
    with writing(output) as stream:
        write(req, predictions, loaded, stream)
    return exit_code(predictions), ""
