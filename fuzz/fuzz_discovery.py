"""Fuzz target: fleets and bundles of random structure → discovery → lint → text and JSON summary.

A plan is a fleet laid out on disk as people and tools lay them out: host folders and host zips
side by side, hosts grouped in site folders, a host's dumps spread over sub-folders
(`WEB01/registry/…`, `WEB01/winrm/…`), zips holding the host's folder or its files, a zip copy
beside the folder it was made of, the fleet and some of its hosts given again on the command
line, symbolic links (to a file of the host, to a folder, out of the fleet, dangling), notes in
a host, and stray files at the fleet's root (a README quoting dump lines, an `explain`
transcript, a `setspn -X` report, a collection script). The invariants (README "Security and
limits", "Every host given is linted once, or said to be left out"):

- no crash: discovery and lint raise nothing, no WRM001 says "internal error";
- every host of the plan is exactly one host of the run (linted, or left out and named in the
  summary), and the run has no other host;
- never two hosts merged: every file a host reads lies under that host's own folder or zip;
- the counts add up: given = linted + left out, in the run, the text summary and JSON.

    python fuzz/fuzz_discovery.py --hypothesis 300       # a campaign (each example is a fleet on disk)
    python fuzz/fuzz_discovery.py -max_total_time=600    # coverage-guided, with atheris

`tests/test_fuzz_targets.py` runs a few dozen plans of each target in CI.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

import harness

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "fixtures" / "bundles" / "srv-clean-2022"
LEGACY = ROOT / "fixtures" / "bundles" / "web01-legacy"
# every host collects `winrm get winrm/config` (what makes hosts of a fleet comparable), and
# some of the rest
COMMON = "winrm-config.txt"
OPTIONAL = sorted(p.name for p in CLEAN.iterdir() if p.name != COMMON)
# where a split host puts each kind of dump (one sub-folder per kind: the parts complement)
SPLIT = {"winrm-policy.reg": "registry", "setspn-computer.txt": "ad", "firewall.txt": "network",
         "winhttp-proxy.txt": "network", "listeners.txt": "winrm", "session-configs.txt": "winrm"}
STRAYS = ("readme", "explain", "setspn-x", "script", "prose", "sarif")
LINKS = ("to-own-file", "to-folder", "outside", "dangling")


@dataclass
class HostPlan:
    name: str
    dumps: list[str]
    split: bool = False  # dumps in sub-folders by kind
    zip_part: bool = False  # split, and its `registry` sub-folder zipped (`WEB01/registry.zip`)
    inner: bool = False  # everything inside one folder of its own (`WEB01/collected/…`)
    manifest: bool = False  # a winrmlint.json naming the host
    container: str = "folder"  # folder | zip-flat | zip-nested (the zip holds NAME/…) | broken-zip
    group: int | None = None  # inside site folder `site-<group>`
    links: list[str] = field(default_factory=list)
    note: bool = False  # a notes.md inside the host
    copy_zip: bool = False  # a zip of the folder beside it, same name and bytes
    given_again: bool = False  # its path also given on the command line

    @property
    def readable(self) -> bool:
        return self.container != "broken-zip"


@dataclass
class FleetPlan:
    hosts: list[HostPlan]
    strays: list[str]
    fleet_twice: bool = False


@st.composite
def host_plans(draw: st.DrawFn, name: str, groups: int) -> HostPlan:
    container = draw(st.sampled_from(["folder", "folder", "zip-flat", "zip-nested"]))
    plan = HostPlan(
        name=name,
        dumps=[COMMON, *draw(st.lists(st.sampled_from(OPTIONAL), unique=True, max_size=5))],
        split=draw(st.booleans()),
        inner=draw(st.integers(0, 5)) == 0,
        manifest=draw(st.integers(0, 3)) == 0,
        container=container,
        group=draw(st.none() | st.integers(0, groups - 1)) if groups else None,
    )
    if container == "folder" and plan.split and not plan.inner and "winrm-policy.reg" in plan.dumps:
        plan.zip_part = draw(st.booleans())
    if container == "folder":
        plan.links = draw(st.lists(st.sampled_from(LINKS), unique=True, max_size=2))
        plan.note = draw(st.booleans())
        # a zip of what the folder holds (a zipped part would be a zip in a zip, refused: no copy)
        plan.copy_zip = not plan.links and not plan.zip_part and draw(st.booleans())
    plan.given_again = draw(st.integers(0, 4)) == 0
    return plan


@st.composite
def fleet_plans(draw: st.DrawFn) -> FleetPlan:
    groups = draw(st.integers(0, 2))
    count = draw(st.integers(2, 5))
    # names a host pattern accepts, in either case, that no other name contains
    names = [f"{draw(st.sampled_from(['web', 'SRV', 'app', 'Dc']))}{i:02}" for i in range(count)]
    hosts = [draw(host_plans(n, groups)) for n in names]
    for i in range(draw(st.integers(0, 1))):
        hosts.append(HostPlan(name=f"bad{i:02}", dumps=[], container="broken-zip",
                              group=draw(st.none() | st.integers(0, groups - 1)) if groups else None))
    order = draw(st.permutations(range(len(hosts))))
    return FleetPlan([hosts[i] for i in order], draw(st.lists(st.sampled_from(STRAYS), unique=True)), draw(st.booleans()))


# ----------------------------------------------------------------------------- on disk


def _dump(name: str, host: str) -> bytes:
    text = (CLEAN / name).read_bytes()
    # the host's own identity where the dump names one (a computer account, a device name)
    return text.replace(b"SRV-APP01", host.upper().encode()).replace(b"srv-app01", host.lower().encode())


def _host_files(host: HostPlan) -> dict[str, bytes]:
    files = {}
    for dump in host.dumps:
        folder = SPLIT.get(dump, "") if host.split else ""
        files[f"{folder}/{dump}" if folder else dump] = _dump(dump, host.name)
    if host.note:
        files["notes.md"] = b"# " + host.name.encode() + b"\n\nCollected by hand; `winrm get winrm/config` below.\n"
    if host.manifest:
        files["winrmlint.json"] = json.dumps({"host": host.name, "role": "server"}).encode()
    if host.inner:
        files = {f"collected/{name}": data for name, data in files.items()}
    return files


def _zip(path: Path, files: dict[str, bytes], prefix: str = "") -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in sorted(files.items()):
            z.writestr(prefix + name, data)


def _stray(kind: str) -> tuple[str, bytes]:
    if kind == "readme":
        return "README.md", b"# Fleet\n\n```\n" + (CLEAN / COMMON).read_bytes() + b"```\n"
    if kind == "explain":
        return "explain-WRM101.txt", (b"# WRM101 client-allow-unencrypted\n\n## Example\n```winrm-config\nClient\n"
                                       b"    NetworkDelayms = 5000\n    AllowUnencrypted = true\n```\n")
    if kind == "setspn-x":
        return "setspn-x.txt", (ROOT / "fixtures" / "samples" / "setspn" / "duplicates_forest.txt").read_bytes()
    if kind == "script":
        return "collect.ps1", b"winrm get winrm/config > winrm-config.txt\nsetspn -L $env:COMPUTERNAME > setspn.txt\n"
    if kind == "sarif":
        return "results.sarif", b'{"version": "2.1.0", "runs": []}\n'
    return "notes.txt", b"Collected on 2026-11-18 by the night shift. Hosts without a folder were offline.\n"


def materialise(plan: FleetPlan, base: Path) -> tuple[list[str], dict[str, HostPlan]]:
    """The plan on disk under `base`: the paths to give, and each host by the path it lives at."""
    fleet = base / "fleet"
    fleet.mkdir()
    at: dict[str, HostPlan] = {}
    given = [str(fleet)]
    for host in plan.hosts:
        parent = fleet / f"site-{host.group}" if host.group is not None else fleet
        parent.mkdir(exist_ok=True)
        files = _host_files(host)
        if host.container == "folder":
            where = parent / host.name
            for name, data in files.items():
                if host.zip_part and name.startswith("registry/"):
                    continue
                (where / name).parent.mkdir(parents=True, exist_ok=True)
                (where / name).write_bytes(data)
            if host.zip_part:
                _zip(where / "registry.zip", {n: d for n, d in files.items() if n.startswith("registry/")})
            for link in host.links:
                target = {"to-own-file": where / COMMON, "to-folder": fleet, "outside": base / "outside.txt",
                          "dangling": where / "gone.txt"}[link]
                if link == "outside":
                    target.write_bytes(_dump(COMMON, "intruder"))
                os.symlink(target, where / f"link-{link}.txt")
            if host.copy_zip:
                _zip(parent / f"{host.name}.zip", files)
                at[str(parent / f"{host.name}.zip")] = host  # either one is linted, not both
        elif host.container == "zip-flat":
            where = parent / f"{host.name}.zip"
            _zip(where, files)
        elif host.container == "zip-nested":
            where = parent / f"{host.name}.zip"
            _zip(where, files, prefix=f"{host.name}/")
        else:
            where = parent / f"{host.name}.zip"
            where.write_bytes(b"PK\x03\x04" + b"\x00" * 60)  # a zip's magic, then nothing a zip holds
        at[str(where)] = host
        if host.given_again:
            given.append(str(where))
    for kind in plan.strays:
        name, data = _stray(kind)
        (fleet / name).write_bytes(data)
    if plan.fleet_twice:
        given.append(str(fleet))
    return given, at


# ----------------------------------------------------------------------------- the contract


_SUMMARY = re.compile(r"(\d+) hosts? given, (\d+) linted, (\d+) left out(?:: ([^;\n]*))?")


def _owner(uri: str, at: dict[str, HostPlan]) -> str | None:
    """The host path a file's or bundle's URI lies under (the longest one: a zip copy sits
    beside its folder, never inside it)."""
    found = [p for p in at if uri == p or uri.startswith(p + "/")]
    return max(found, key=len) if found else None


def _same_host(a: str | None, b: str | None, at: dict[str, HostPlan]) -> bool:
    return a is not None and b is not None and at[a] is at[b]


def check(plan: FleetPlan) -> None:
    """Lay the plan out, lint it, and assert the discovery contract; raise AssertionError if broken."""
    from winrmlint import engine
    from winrmlint.output import json as json_output
    from winrmlint.output import text

    with tempfile.TemporaryDirectory(prefix="fuzz-discovery-") as tmp:
        base = Path(tmp).resolve()
        given, at = materialise(plan, base)
        run = engine.lint(given, jobs=1)
        hosts = run.hosts
        internal = [f for f in run.findings if f.code == "WRM001" and "internal error" in f.message]
        assert not internal, internal
        # every host of the plan is one host of the run, and there is no other
        owners = [_owner(r.host.bundle, at) for r in hosts]
        assert None not in owners, [r.host.bundle for r in hosts]
        planned = {id(h): h.name for h in at.values()}
        seen = sorted(at[str(o)].name for o in owners)
        assert seen == sorted(planned.values()), (seen, sorted(planned.values()))
        linted = {r.host.bundle for r in run.hosts_linted}
        for result, owner in zip(hosts, owners):
            plan_host = at[str(owner)]
            # never merged: every file the host read is its own
            strangers = [f.uri for f in result.host.files if not _same_host(_owner(f.uri, at), owner, at)]
            assert not strangers, (result.host.bundle, strangers)
            assert (result.host.bundle in linted) == plan_host.readable, (result.host.bundle, plan_host)
            if not plan_host.readable:
                assert any(f.code == "WRM001" and f.bundle == result.host.bundle for f in run.findings), result.host.bundle
        # the counts add up, in every summary
        left_out = [r for r in hosts if r.host.bundle not in linted]
        assert len(run.hosts_linted) + len(run.hosts_left_out) == len(hosts) == len(planned)
        out = io.StringIO()
        text.write(run, out, colour=False, width=100)
        numbers = _SUMMARY.findall(out.getvalue())
        assert len(numbers) == 1, out.getvalue()[-500:]
        given_n, linted_n, left_n, names = numbers[0]
        assert (int(given_n), int(linted_n), int(left_n)) == (len(hosts), len(linted), len(left_out)), numbers
        for r in left_out:
            assert r.host.name in names or r.host.bundle in names, (r.host.name, names)
        doc = io.StringIO()
        json_output.write(run, doc)
        summary = json.loads(doc.getvalue())["summary"]
        assert (summary["hosts"], summary["hosts_linted"], len(summary["hosts_left_out"])) == (
            len(hosts), len(linted), len(left_out)), summary


def _campaign(examples: int) -> None:
    count = harness.campaign(fleet_plans(), check, examples)
    print(f"discovery campaign: {count} fleets linted, no invariant broken")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--hypothesis"]:
        _campaign(int(sys.argv[2]) if len(sys.argv) > 2 else 200)
    else:
        harness.atheris_main(fleet_plans(), check)
