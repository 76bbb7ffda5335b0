"""The hosts of a prediction: bundles read by the engine into models (never re-parsed here).

A fleet folder holds one bundle per sub-folder (or zip); dumps at its root (a `setspn -X` or
`-Q` report for the whole domain) belong to no host and are environment facts for every pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from winrmlint.bundle import Limits
from winrmlint.connect.capability import ClientCap, Env, ServerCap, client_cap, env_of, server_cap
from winrmlint.model.host import Host


class LoadError(Exception):
    """A host that cannot be found or read: a usage error."""


@dataclass(frozen=True)
class Fleet:
    hosts: tuple[Host, ...]
    environment: tuple[Host, ...]  # the root's dumps, one pseudo-host per file
    unreadable: tuple[str, ...]  # files that could not be read, as "file:line: error"

    @property
    def env(self) -> Env:
        return env_of([*self.hosts, *self.environment])

    def find(self, name: str) -> Host:
        low = name.lower()
        for host in self.hosts:
            if host.name.lower() == low or Path(host.bundle).name.lower() == low:
                return host
        for host in self.hosts:
            if host.name.lower().split(".")[0] == low.split(".")[0]:
                return host
        names = ", ".join(sorted(h.name for h in self.hosts)) or "none"
        raise LoadError(f"no host {name!r} in the fleet (hosts: {names})")

    def client(self, host: Host) -> ClientCap:
        return client_cap(host, self.env.directory)

    def server(self, host: Host) -> ServerCap:
        return server_cap(host, self.env.directory)


def load(bundles: list[str], fleet: str | None = None, limits: Limits = Limits()) -> Fleet:
    """Read bundle paths, and a fleet folder: its sub-folders and zips are bundles, its own files
    environment dumps (where `lint` would read such a folder as one host)."""
    from winrmlint import engine

    targets: list[str] = []
    env_files: list[str] = []
    for raw in bundles:
        if not Path(raw).exists():
            raise LoadError(f"no such file or folder: {raw}")
        targets.append(raw)
    if fleet is not None:
        root = Path(fleet)
        if not root.is_dir():
            raise LoadError(f"--fleet {fleet}: not a folder")
        for child in sorted(root.iterdir(), key=lambda p: p.name):
            if child.name.startswith("."):
                continue
            (targets if child.is_dir() or child.suffix.lower() == ".zip" else env_files).append(str(child))
    run = engine.lint(targets, rules=(), limits=limits) if targets else None
    env_run = engine.lint(env_files, rules=(), limits=limits) if env_files else None
    hosts = tuple(r.host for r in run.hosts) if run else ()
    environment = tuple(r.host for r in env_run.hosts if r.host.spns or r.host.spn_queries) if env_run else ()
    unreadable = tuple(
        f"{f.uri}:{f.error_line}: {f.error}"
        for r in (run, env_run) if r is not None
        for f in r.files if f.error is not None
    )
    return Fleet(hosts, environment, unreadable)
