"""`--matrix FLEET`: the standard attempts (connection-model §8.2) for every client × server.

Per pair: the short name, the FQDN, the IP address with explicit credentials, and `-UseSSL` to
the FQDN, all with implicit credentials but the IP one. Tables for people (text, Markdown, HTML),
one per scenario; JSON and SARIF carry every prediction as `connect` does.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import replace
from typing import TextIO

from winrmlint.connect import errors
from winrmlint.connect.attempt import FlagAttempt, UsageError
from winrmlint.connect.capability import ClientCap, ServerCap
from winrmlint.connect.load import Fleet, LoadError, load
from winrmlint.connect.predict import FAILS, SUCCEEDS_IF, Prediction, predict
from winrmlint.connect.run import pick_name
from winrmlint.output.escape import safe

STANDARD = (
    FlagAttempt(name_form="short"),
    FlagAttempt(name_form="fqdn"),
    FlagAttempt(name_form="ip", cred="explicit"),
    FlagAttempt(name_form="fqdn", ssl=True),
)
LEGEND = "✔ succeeds if its assumptions hold · ✘ fails (outcome row, code) · ? depends on a fact not collected"
_SHORT = {"Kerberos": "K", "Negotiate": "N", "Basic": "B", "CredSSP": "C", "Digest": "D", "Certificate": "Cert"}


def _pick(wanted: Sequence[str], fleet: Fleet, flag: str) -> list[str]:
    names = []
    for name in wanted:
        try:
            names.append(fleet.find(name).bundle)
        except LoadError as err:
            raise UsageError(f"{flag} {name}: {err}") from None
    return names


def read_scenarios(path: str) -> tuple[FlagAttempt, ...]:
    """A scenario file: `[[attempt]]` tables in TOML (or a JSON list) with `name`, `cred`, `auth`,
    `ssl`, `port`, `configuration`; each key as the flag of the same name takes it."""
    import json
    import tomllib

    try:
        with open(path, "rb") as stream:
            data = tomllib.load(stream).get("attempt", []) if path.lower().endswith(".toml") else json.load(stream)
    except (OSError, ValueError) as err:
        raise UsageError(f"--scenarios {path}: {err}") from None
    if not isinstance(data, list) or not data or not all(isinstance(d, dict) for d in data):
        raise UsageError(f"--scenarios {path}: expected a list of attempts ([[attempt]] tables)")
    out = []
    for index, item in enumerate(data, 1):
        unknown = set(item) - {"name", "cred", "auth", "ssl", "port", "configuration"}
        if unknown:
            raise UsageError(f"--scenarios {path}: attempt {index} has unknown keys {', '.join(sorted(unknown))}")
        port = item.get("port")
        if port is not None and not (isinstance(port, int) and 0 < port < 65536):
            raise UsageError(f"--scenarios {path}: attempt {index}: port {port!r} is not a port number")
        out.append(FlagAttempt(name_form=str(item.get("name", "fqdn")), cred=str(item.get("cred", "implicit")),
                               auth=str(item.get("auth", "Default")), ssl=bool(item.get("ssl", False)), port=port,
                               configuration=str(item.get("configuration", "Microsoft.PowerShell"))).validate())
    return tuple(out)


def predict_matrix(fleet_dir: str, sources: Sequence[str], targets: Sequence[str],
                   flags: FlagAttempt | None, scenario_file: str | None = None) -> tuple[list[Prediction], Fleet]:
    fleet = load([], fleet_dir)
    if not fleet.hosts:
        raise UsageError(f"--matrix {fleet_dir}: no readable bundles")
    chosen = _pick(sources, fleet, "--from")
    clients = [h for h in fleet.hosts if not sources or h.bundle in chosen]
    # every host can be a client; a server is a host whose listeners were collected, unless named
    wanted = _pick(targets, fleet, "--to")
    servers = [h for h in fleet.hosts if (h.bundle in wanted if targets else h.listeners_collected)]
    if scenario_file is not None:
        scenarios = read_scenarios(scenario_file)
    else:
        scenarios = (flags.validate(),) if flags is not None else STANDARD
    env = fleet.env
    out: list[Prediction] = []
    caps = {h.bundle: fleet.client(h) for h in clients}
    served = {h.bundle: fleet.server(h) for h in servers}
    # scenario first: each table then lists its pairs in the fleet's order
    for scenario in scenarios:
        for client_host in clients:
            client = caps[client_host.bundle]
            for server_host in servers:
                if server_host is client_host:
                    continue
                server = served[server_host.bundle]
                name = _name(scenario, server)
                if name is not None:
                    out.append(predict(_credential(scenario, client, server).build(name), client, server, env))
    return out, fleet


def _name(scenario: FlagAttempt, server: ServerCap) -> str | None:
    try:
        return pick_name(scenario.name_form, server)
    except UsageError:
        return None  # no FQDN or address in the dumps: that attempt cannot be stated


def _credential(scenario: FlagAttempt, client: ClientCap, server: ServerCap) -> FlagAttempt:
    """`explicit` credentials: a domain account between members of one domain, else a local one."""
    if scenario.cred != "explicit":
        return scenario

    same = client.join.value in ("domain", "hybrid") and server.join.value in ("domain", "hybrid")
    chosen = replace(scenario, cred="domain" if same else f"{server.short.upper()}\\Administrator")
    return chosen


def scenario_of(p: Prediction) -> str:
    return p.attempt.scenario or p.attempt.typed


def cell(p: Prediction) -> str:
    mech = f"{_SHORT.get(p.plan.mechanism, p.plan.mechanism)}/{p.plan.transport}"
    if p.verdict == FAILS:
        first = p.first
        assert first is not None and first.outcome is not None
        row = errors.outcome(first.outcome)
        return f"✘ {row.row} {row.code or row.fqeid or row.id}"
    if p.verdict == SUCCEEDS_IF:
        return f"✔ {mech}"
    unknown = p.unknown[0]
    return f"? {unknown.title}"


def tables(predictions: Sequence[Prediction]) -> list[tuple[str, list[str], list[tuple[str, list[str]]]]]:
    """(scenario, server names, [(client, cells)]) per scenario, in the order first met."""
    by_scenario: dict[str, dict[tuple[str, str], Prediction]] = {}
    for p in predictions:
        by_scenario.setdefault(scenario_of(p), {})[(p.client.name, p.server.name)] = p
    out = []
    for scenario, cells in by_scenario.items():
        servers = list(dict.fromkeys(s for _, s in cells))
        clients = list(dict.fromkeys(c for c, _ in cells))
        rows = [(c, [cell(cells[(c, s)]) if (c, s) in cells else "—" for s in servers]) for c in clients]
        out.append((scenario, servers, rows))
    return out


def write_table(predictions: Sequence[Prediction], stream: TextIO, fmt: str) -> None:
    if fmt == "html":
        _html(predictions, stream)
        return
    for index, (scenario, servers, rows) in enumerate(tables(predictions)):
        if index:
            stream.write("\n")
        if fmt == "markdown":
            stream.write(f"### {_md(scenario)}\n\n| client | " + " | ".join(_md(s) for s in servers) + " |\n")
            stream.write("| --- |" + " --- |" * len(servers) + "\n")
            for client, cells in rows:
                stream.write(f"| {_md(client)} | " + " | ".join(_md(c) for c in cells) + " |\n")
            continue
        width = max([len(c) for c, _ in rows] + [6])
        widths = [max([len(s)] + [len(r[1][i]) for r in rows]) for i, s in enumerate(servers)]
        stream.write(safe(f"scenario: {scenario}") + "\n")
        stream.write(" " * (width + 2) + "  ".join(s.ljust(w) for s, w in zip(servers, widths)).rstrip() + "\n")
        for client, cells in rows:
            stream.write(safe(client.ljust(width + 2) + "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()) + "\n")
    stream.write(f"\n{LEGEND}\n")


def _md(text: str) -> str:
    return safe(text).replace("|", "\\|")


def _html(predictions: Sequence[Prediction], stream: TextIO) -> None:
    esc = html.escape
    stream.write('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>winrmlint connection matrix</title>\n'
                 "<style>body{font-family:system-ui,sans-serif}table{border-collapse:collapse;margin-bottom:1.5em}"
                 "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.fails{background:#fde2e2}"
                 ".succeeds_if{background:#e3f6e3}.depends{background:#fff4d6}</style></head><body>\n"
                 "<h1>Connection matrix</h1>\n")
    by_key = {(scenario_of(p), p.client.name, p.server.name): p for p in predictions}
    for scenario, servers, rows in tables(predictions):
        stream.write(f"<h2>{esc(scenario)}</h2>\n<table><tr><th>client</th>" + "".join(f"<th>{esc(s)}</th>" for s in servers) + "</tr>\n")
        for client, cells in rows:
            stream.write(f"<tr><th>{esc(client)}</th>")
            for server, text in zip(servers, cells):
                p = by_key.get((scenario, client, server))
                title = esc(p.first.message if p is not None and p.first is not None else (p.unknown[0].fact if p is not None and p.unknown else ""))
                klass = p.verdict if p is not None else ""
                stream.write(f'<td class="{klass}" title="{title}">{esc(text)}</td>')
            stream.write("</tr>\n")
        stream.write("</table>\n")
    stream.write(f"<p>{esc(LEGEND)}</p>\n</body></html>\n")
