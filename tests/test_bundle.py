"""Bundles: folders, fleets, zips, manifests — and what is refused while listing them."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from winrmlint import cli, engine
from winrmlint.bundle import Limits, discover

CLEAN = FIXTURES / "bundles" / "srv-clean-2022"
LEGACY = FIXTURES / "bundles" / "web01-legacy"


def zip_folder(archive: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return archive


def dumps_of(folder: Path, prefix: str = "") -> dict[str, bytes]:
    return {f"{prefix}{p.name}": p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_folder_of_files_is_one_bundle_and_a_folder_of_folders_a_fleet(tmp_path: Path) -> None:
    fleet = tmp_path / "fleet"
    shutil.copytree(CLEAN, fleet / "srv01")
    shutil.copytree(LEGACY, fleet / "web01")
    (fleet / "web01" / "registry").mkdir()
    (fleet / "web01" / "registry" / "notes.txt").write_text("collected by hand\n")
    bundles = discover([str(fleet)], cwd=str(tmp_path))
    assert [(b.name, b.root) for b in bundles] == [("srv01", "fleet/srv01"), ("web01", "fleet/web01")]
    # the bundle's own files in name order, then each subfolder's
    top = [f"fleet/web01/{p.name}" for p in sorted(LEGACY.iterdir())]
    assert [f.uri for f in bundles[1].files] == [*top, "fleet/web01/registry/notes.txt"]


def test_a_zip_of_one_host_and_a_zip_of_a_fleet(tmp_path: Path) -> None:
    one = zip_folder(tmp_path / "WEB01.zip", dumps_of(LEGACY))
    fleet = zip_folder(tmp_path / "fleet.zip", {**dumps_of(CLEAN, "srv01/"), **dumps_of(LEGACY, "web02/")})
    bundles = discover([str(one), str(fleet)], cwd=str(tmp_path))
    assert [b.name for b in bundles] == ["WEB01", "srv01", "web02"]
    run = engine.lint([str(one)])
    assert {f.code for f in run.findings} >= {"WRM101", "WRM102"}
    uri = next(f for f in run.findings if f.code == "WRM102").location.uri
    assert uri.endswith("WEB01.zip/winrm-config.txt")


def test_hostile_zip_entries_are_refused_and_the_rest_is_read(tmp_path: Path) -> None:
    archive = tmp_path / "host.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("winrm-config.txt", (LEGACY / "winrm-config.txt").read_bytes())
        z.writestr("../../etc/cron.d/evil", b"* * * * * root id\n")
        z.writestr("/abs/path.txt", b"x")
        z.writestr("C:/Windows/win.ini", b"x")
        z.writestr("inner.zip", b"PK\x05\x06" + b"\x00" * 18)
        link = zipfile.ZipInfo("link-to-passwd")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(link, "/etc/passwd")
        z.writestr("bomb.txt", b"\x00" * 40_000_000)
    run = engine.lint([str(archive)], limits=Limits())
    refused = {f.uri.rsplit("host.zip/", 1)[1]: f.error for f in run.files if f.error}
    # escaping names are reported as one encoded segment: no report can be resolved out of the root
    assert set(refused) == {"..%2F..%2Fetc%2Fcron.d%2Fevil", "%2Fabs%2Fpath.txt", "C%3A%2FWindows%2Fwin.ini", "inner.zip", "link-to-passwd", "bomb.txt"}
    assert "escapes" in refused["..%2F..%2Fetc%2Fcron.d%2Fevil"]
    assert "symbolic link" in refused["link-to-passwd"]
    assert "over the" in refused["bomb.txt"]
    assert any(f.code == "WRM102" for f in run.findings)


def test_symlink_out_of_the_linted_folder_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Config\n    MaxEnvelopeSizekb = 1\n")
    bundle = tmp_path / "lint" / "web01"
    shutil.copytree(LEGACY, bundle)
    (bundle / "escape.txt").symlink_to(secret)
    run = engine.lint([str(bundle)])
    errors = {f.uri.rsplit("/", 1)[1]: f.error for f in run.files if f.error}
    assert "outside" in errors["escape.txt"]
    assert not any(f.code == "WRM701" and f.location.uri.endswith("escape.txt") for f in run.findings)


def test_manifest_states_the_identity(tmp_path: Path) -> None:
    bundle = tmp_path / "b"
    shutil.copytree(CLEAN, bundle)
    (bundle / "winrmlint.json").write_text(json.dumps({"host": "SRV-APP01", "fqdn": "SRV-APP01.corp.contoso.com", "join": "entra"}))
    host = engine.lint([str(bundle)], rules=()).hosts[0].host
    assert host.name == "SRV-APP01"
    assert host.join_state == "entra"
    assert host.value("host/fqdn") == "srv-app01.corp.contoso.com"


def test_an_invalid_manifest_is_wrm001_and_the_dumps_are_still_linted(tmp_path: Path) -> None:
    bundle = tmp_path / "web01"
    shutil.copytree(LEGACY, bundle)
    (bundle / "winrmlint.json").write_text('{\n  "host": "WEB01",\n  "join": "azure"\n}\n')
    run = engine.lint([str(bundle)])
    wrm001 = [f for f in run.findings if f.code == "WRM001"]
    assert len(wrm001) == 1 and "join" in wrm001[0].message and "schema" in wrm001[0].fix
    assert any(f.code == "WRM102" for f in run.findings)


def test_notes_beside_a_fleets_bundles_do_not_make_it_one_host(tmp_path: Path) -> None:
    fleet = tmp_path / "fleet"
    shutil.copytree(CLEAN, fleet / "srv01")
    shutil.copytree(LEGACY, fleet / "web01")
    (fleet / "README.md").write_text("# Fleet collected 2026-11-18\n\nOne folder per host.\n")
    (fleet / "results.sarif").write_text('{"version": "2.1.0", "runs": []}\n')
    assert [b.name for b in discover([str(fleet)], cwd=str(tmp_path))] == ["srv01", "web01"]
    # a dump at the top of a fleet belongs to no host: it is reported, and merges nothing
    (fleet / "winrm-config.txt").write_bytes((LEGACY / "winrm-config.txt").read_bytes())
    bundles = discover([str(fleet)], cwd=str(tmp_path))
    assert [(b.name, b.role) for b in bundles] == [("srv01", "host"), ("web01", "host"), ("fleet", "fleet")]
    assert bundles[2].refused == [("fleet/winrm-config.txt", "a winrm-config-text dump beside a fleet's "
                                   "host folders belongs to no host (move it into its host's folder)")]


# ------------------------------------------------------------ discovery: every host, once each

SETSPN_X = FIXTURES / "samples" / "setspn" / "duplicates_forest.txt"


def fleet_of(tmp_path: Path, **hosts: Path) -> Path:
    fleet = tmp_path / "fleet"
    for name, source in hosts.items():
        shutil.copytree(source, fleet / name)
    return fleet


def hosts_of(run: engine.RunResult) -> list[str]:
    return [r.host.bundle.rsplit("/", 1)[-1] for r in run.hosts]


def alone(bundle: Path) -> set[tuple]:
    return {(f.code, f.location.uri.rsplit("/", 1)[-1], f.location.line, f.message) for f in engine.lint([str(bundle)], jobs=1).findings}


def test_zips_in_a_fleet_are_hosts_beside_the_host_folders(tmp_path: Path) -> None:
    """README's own layout: `fleet/WEB01/` and `fleet/SRV02.zip` (the zip was lost without a word)."""
    fleet = fleet_of(tmp_path, WEB01=LEGACY)
    zip_folder(fleet / "SRV02.zip", dumps_of(CLEAN))
    run = engine.lint([str(fleet)], jobs=1)
    assert hosts_of(run) == ["SRV02.zip", "WEB01"]
    assert all(r.host.readable_files for r in run.hosts)
    # a folder of zips alone is a fleet too, not one host made of both
    zips = tmp_path / "zips"
    zips.mkdir()
    zip_folder(zips / "WEB01.zip", dumps_of(LEGACY))
    zip_folder(zips / "SRV02.zip", dumps_of(CLEAN, "SRV02/"))  # Compress-Archive keeps the folder
    assert [(b.name, b.root) for b in discover([str(zips)], cwd=str(tmp_path))] == [
        ("SRV02", "zips/SRV02.zip/SRV02"),
        ("WEB01", "zips/WEB01.zip"),
    ]


def test_a_stray_dump_at_a_fleets_root_merges_no_hosts(tmp_path: Path) -> None:
    """An `explain` transcript or a note quoting dump lines at the root: the fleet stays a fleet,
    each host keeps exactly its own findings, and the stray file is a WRM001 naming it."""
    fleet = fleet_of(tmp_path, srv01=CLEAN, web01=LEGACY)
    (fleet / "explain-WRM102.txt").write_text(
        "PS C:\\> winrmlint explain WRM102\nThe service accepts unencrypted traffic:\n\n"
        "Config\n    Service\n        AllowUnencrypted = true\n        Auth\n            Basic = true\n"
    )
    run = engine.lint([str(fleet)], jobs=1)
    assert hosts_of(run) == ["srv01", "web01"]
    mine = {(f.code, f.location.uri.rsplit("/", 1)[-1], f.location.line, f.message) for f in run.findings if f.bundle == "fleet/web01" or f.bundle.endswith("/web01")}
    assert mine == alone(fleet / "web01")
    stray = [f for f in run.findings if f.location.uri.endswith("explain-WRM102.txt")]
    assert [f.code for f in stray] == ["WRM001"] and "belongs to no host" in stray[0].message


def test_a_setspn_x_report_at_the_fleet_root_is_fleet_input(tmp_path: Path) -> None:
    fleet = fleet_of(tmp_path, srv01=CLEAN, web01=LEGACY)
    shutil.copy(SETSPN_X, fleet / "setspn-X.txt")
    run = engine.lint([str(fleet)], jobs=1)
    assert hosts_of(run) == ["srv01", "web01"]  # not a third host
    assert [f.uri.rsplit("/", 1)[-1] for r in run.environment for f in r.host.files] == ["setspn-X.txt"]
    assert len(run.environment[0].host.spns) == 6
    # fleet rules read it: the SPN it shows twice is a duplicate on the host it names
    wrm402 = [f for f in run.findings if f.code == "WRM402" and "HTTP/web01.corp.contoso.com" in f.message]
    assert wrm402 and wrm402[0].location.uri.endswith("setspn-X.txt")


def test_a_bundle_whose_files_are_all_in_sub_folders_is_one_host(tmp_path: Path) -> None:
    bundle = tmp_path / "WEB01"
    (bundle / "winrm").mkdir(parents=True)
    (bundle / "registry").mkdir()
    (bundle / "ad").mkdir()
    for name in ("winrm-config.txt", "listeners.txt"):
        shutil.copy(LEGACY / name, bundle / "winrm" / name)
    shutil.copy(LEGACY / "registry.reg", bundle / "registry" / "registry.reg")
    shutil.copy(LEGACY / "dsregcmd.txt", bundle / "ad" / "dsregcmd.txt")
    shutil.copy(LEGACY / "setspn-http.txt", bundle / "ad" / "setspn-http.txt")
    bundles = discover([str(bundle)], cwd=str(tmp_path))
    assert [(b.name, len(b.files)) for b in bundles] == [("WEB01", 5)]
    # in a fleet, the same layout is one host among the others
    fleet = fleet_of(tmp_path, srv01=CLEAN)
    shutil.copytree(bundle, fleet / "WEB01")
    assert [(b.name, len(b.files)) for b in discover([str(fleet)], cwd=str(tmp_path))] == [("WEB01", 5), ("srv01", 11)]


def test_the_same_bundle_reached_twice_is_linted_once(tmp_path: Path) -> None:
    fleet = fleet_of(tmp_path, srv01=CLEAN, web01=LEGACY)
    zip_folder(fleet / "web01.zip", dumps_of(LEGACY))  # Compress-Archive beside the folder
    given = [str(fleet), str(fleet / "web01"), str(fleet / "web01"), f"{fleet}/./srv01", str(fleet / "web01" / "listeners.txt")]
    run = engine.lint(given, jobs=1)
    assert hosts_of(run) == ["srv01", "web01"]
    assert len(run.findings) == len(set(run.findings))
    for fmt in ("text", "json", "sarif"):
        result = CliRunner().invoke(cli.app, ["lint", "--format", fmt, *given])
        assert result.exit_code == 1, (fmt, result.output)


def test_two_hosts_with_the_same_bytes_in_like_named_folders_are_two_hosts(tmp_path: Path) -> None:
    """Found by fuzz/fuzz_discovery.py: `web00/collected/` and `web01/collected/` holding the
    same untouched defaults were taken for one host and its copy, and web01 was dropped without
    a word; a copy is one found under the same name (a folder and its zip), manifest included."""
    fleet = tmp_path / "fleet"
    for host in ("web00", "web01"):
        (fleet / host / "collected").mkdir(parents=True)
        shutil.copy(CLEAN / "winrm-config.txt", fleet / host / "collected" / "winrm-config.txt")
    run = engine.lint([str(fleet)], jobs=1)
    assert [r.host.bundle for r in run.hosts] == [f"{fleet}/web00/collected", f"{fleet}/web01/collected"]
    # a zip of one of them beside it is still its copy, linted once
    zip_folder(fleet / "web01.zip", {"collected/winrm-config.txt": (CLEAN / "winrm-config.txt").read_bytes()})
    assert len(engine.lint([str(fleet)], jobs=1).hosts) == 2
    # two hosts that differ only by their manifests are two hosts
    for site, host in (("a", "web00"), ("b", "web01")):
        shutil.copytree(CLEAN, tmp_path / site / "srv")
        (tmp_path / site / "srv" / "winrmlint.json").write_text(f'{{"host": "{host}"}}')
    run = engine.lint([str(tmp_path / "a" / "srv"), str(tmp_path / "b" / "srv")], jobs=1)
    assert [r.host.name for r in run.hosts] == ["web00", "web01"]


def test_a_zip_of_a_folder_that_holds_a_zip_of_its_registry_files_is_its_copy(tmp_path: Path) -> None:
    """Found by fuzz/fuzz_discovery.py: `web03/` (its registry files zipped inside it) and the
    `web03.zip` made of it hold the same bytes at other paths, and web03 was linted twice."""
    fleet = fleet_of(tmp_path, srv01=CLEAN)
    config, policy = (CLEAN / "winrm-config.txt").read_bytes(), (LEGACY / "registry.reg").read_bytes()
    (fleet / "web03" / "winrm").mkdir(parents=True)
    (fleet / "web03" / "winrm" / "winrm-config.txt").write_bytes(config)
    zip_folder(fleet / "web03" / "registry.zip", {"registry/registry.reg": policy})
    zip_folder(fleet / "web03.zip", {"winrm/winrm-config.txt": config, "registry/registry.reg": policy})
    assert hosts_of(engine.lint([str(fleet)], jobs=1)) == ["srv01", "web03"]
    # near miss: a zip of that name holding other bytes is not a copy, and both are linted
    zip_folder(fleet / "web03.zip", {"winrm/winrm-config.txt": config, "registry/registry.reg": policy + b"\r\n"})
    assert hosts_of(engine.lint([str(fleet)], jobs=1)) == ["srv01", "web03", "web03.zip"]


def test_files_that_are_plainly_not_dumps_make_no_host(tmp_path: Path) -> None:
    """`lint .` in a repository root: its README, sources and configuration are no host."""
    repo = tmp_path / "repo"
    (repo / "src" / "pkg").mkdir(parents=True)
    (repo / "docs").mkdir()
    (repo / "README.md").write_text("# Tool\n\n```\nConfig\n    MaxEnvelopeSizekb = 500\n```\n")
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (repo / "src" / "pkg" / "__init__.py").write_text("'''Config\n    MaxEnvelopeSizekb = 500'''\n")
    (repo / "docs" / "guide.md").write_text("How to collect: run `winrm get winrm/config`.\n")
    shutil.copytree(LEGACY, repo / "dumps" / "web01")
    run = engine.lint([str(repo)], jobs=1)
    assert hosts_of(run) == ["web01"]
    assert not [f for f in run.files if f.error]


def test_every_host_given_is_linted_or_left_out_by_name(tmp_path: Path) -> None:
    fleet = fleet_of(tmp_path, srv01=CLEAN, web01=LEGACY)
    (fleet / "web02").mkdir()
    (fleet / "web02" / "winrm-config.txt").write_bytes(b"\xff\xfe" + "Config\n".encode("utf-16-le") + b"\x00")
    run = engine.lint([str(fleet)], jobs=1)
    assert (len(run.hosts), len(run.hosts_linted), [r.host.name for r in run.hosts_left_out]) == (3, 2, ["web02"])
    assert any(f.code == "WRM001" and f.host == "web02" for f in run.findings)
    result = CliRunner().invoke(cli.app, ["lint", str(fleet)])
    assert "; 3 hosts given, 2 linted, 1 left out: web02" in result.stdout.splitlines()[-1]
    doc = json.loads(CliRunner().invoke(cli.app, ["lint", "-f", "json", str(fleet)]).stdout)
    assert doc["summary"]["hosts_left_out"] == ["fleet/web02"] or doc["summary"]["hosts_left_out"][0].endswith("/web02")
    # an empty folder given by name is a host left out, said so
    (tmp_path / "empty").mkdir()
    empty = engine.lint([str(tmp_path / "empty")], jobs=1)
    assert [f.error for f in empty.files] == ["not read: holds no file that could be a dump"]


def test_dumps_that_name_two_hosts_in_one_bundle_are_said_loudly(tmp_path: Path) -> None:
    bundle = tmp_path / "mixed"
    shutil.copytree(LEGACY, bundle)
    shutil.copy(CLEAN / "dsregcmd.txt", bundle / "dsregcmd-other.txt")  # another machine's
    run = engine.lint([str(bundle)], jobs=1)
    conflict = [f for f in run.findings if f.code == "WRM001" and "name different hosts" in f.message]
    assert len(conflict) == 1
    assert "`srv-app01` (dsregcmd-other.txt:10)" in conflict[0].message and "`web01` (dsregcmd.txt:11)" in conflict[0].message
    # two computer accounts (`setspn -L` of each) are two hosts as well
    bundle2 = tmp_path / "accounts"
    shutil.copytree(CLEAN, bundle2)
    (bundle2 / "setspn-web01.txt").write_text(
        "Registered ServicePrincipalNames for CN=WEB01,OU=Web,DC=corp,DC=contoso,DC=com:\n        HOST/WEB01\n        HOST/web01.corp.contoso.com\n"
    )
    (bundle2 / "dsregcmd.txt").unlink()
    run = engine.lint([str(bundle2)], jobs=1)
    assert any(f.code == "WRM001" and "`srv-app01`" in f.message and "`web01`" in f.message for f in run.findings)
    # one host named twice the same way is no conflict
    assert not [f for f in engine.lint([str(CLEAN)], jobs=1).findings if "name different hosts" in f.message]


def test_a_fleet_past_max_files_names_every_host_it_did_not_read(tmp_path: Path) -> None:
    legacy = FIXTURES / "bundles" / "web01-legacy"
    for name in ("web01", "web02", "web03", "web04"):
        shutil.copytree(legacy, tmp_path / "fleet" / name)
    run = engine.lint([str(tmp_path / "fleet")], limits=Limits(max_files=8), jobs=1)
    # 6 files a host: one host is read whole, one is cut, two are never listed
    cut = {f.bundle for f in run.findings if f.code == "WRM001" and "more than 8 files" in f.message}
    never = {f.bundle for f in run.findings if f.code == "WRM001" and "passed --max-files 8" in f.message}
    whole = {r.host.bundle for r in run.hosts} - cut - never
    assert (len(whole), len(cut), len(never)) == (1, 1, 2)
    assert {Path(b).name for b in whole | cut | never} == {"web01", "web02", "web03", "web04"}


# ------------------------------------------------ discovery end to end, as a user runs it


@pytest.fixture
def deny(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Make files or folders unreadable: chmod 000, and, where that does not bind (root), EACCES
    from the calls that open or list them (the same errno the kernel gives)."""
    denied: list[str] = []
    real_open, real_scandir = os.open, os.scandir

    def refused(path: object) -> bool:
        full = os.path.abspath(os.fsdecode(path))  # type: ignore[arg-type]
        return any(full == d or full.startswith(d + os.sep) for d in denied)

    def opening(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if refused(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, flags, *args, **kwargs)

    def listing(path="."):  # type: ignore[no-untyped-def]
        if refused(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_scandir(path)

    monkeypatch.setattr(os, "open", opening)
    monkeypatch.setattr(os, "scandir", listing)

    def make(*paths: Path) -> None:
        for path in paths:
            denied.append(str(path.absolute()))
            path.chmod(0)

    yield make
    for path in denied:
        Path(path).chmod(0o755)


def lint_cli(*args: str) -> tuple[int, dict, str]:
    """`winrmlint lint` as a user runs it: the exit code, the JSON report and the text summary."""
    runner = CliRunner()
    as_json = runner.invoke(cli.app, ["lint", "--jobs", "1", "-f", "json", *args])
    as_text = runner.invoke(cli.app, ["lint", "--jobs", "1", *args])
    assert as_json.exit_code == as_text.exit_code, (as_json.output, as_text.output)
    assert "Traceback" not in as_text.output + as_json.output
    return as_json.exit_code, json.loads(as_json.stdout), as_text.stdout.rstrip("\n").rsplit("\n", 1)[-1]


def bundles_in(doc: dict) -> list[str]:
    return [h["bundle"] for h in doc["hosts"]]


def wrm001(doc: dict) -> dict[str, str]:
    """The WRM001 findings of a JSON report: file → message."""
    found = [f for h in doc["hosts"] for f in h["findings"]] + doc["other_findings"]
    return {f["file"]: f["message"] for f in found if f["code"] == "WRM001"}


def test_cli_a_host_folder_that_cannot_be_read_is_a_host_left_out_not_merged(tmp_path: Path, deny, monkeypatch) -> None:
    """One readable and one unreadable host were linted as ONE host named after the fleet."""
    monkeypatch.chdir(tmp_path)
    fleet = fleet_of(tmp_path, WEB01=LEGACY, SRV02=CLEAN)
    deny(*sorted((fleet / "SRV02").iterdir()))  # its files: the folder still lists
    code, doc, summary = lint_cli("fleet")
    assert code == 1 and bundles_in(doc) == ["fleet/SRV02", "fleet/WEB01"]
    assert summary.endswith("2 hosts given, 1 linted, 1 left out: SRV02; 11 files unreadable")
    assert doc["summary"]["hosts_left_out"] == ["fleet/SRV02"]
    assert wrm001(doc)["fleet/SRV02/winrm-config.txt"] == "cannot be read: Permission denied"
    # the readable host keeps exactly the findings it has alone
    web01 = next(h for h in doc["hosts"] if h["bundle"] == "fleet/WEB01")
    assert {f["code"] for f in web01["findings"]} == {c for c, *_ in alone(fleet / "WEB01")}
    # a host whose folder cannot even be listed, and hosts named in their files' names
    deny(fleet / "WEB01")
    (fleet / "WEB03").mkdir()
    for source in sorted(LEGACY.iterdir()):
        shutil.copy(source, fleet / "WEB03" / f"WEB03-{source.name}")
    code, doc, summary = lint_cli("fleet")
    assert bundles_in(doc) == ["fleet/SRV02", "fleet/WEB01", "fleet/WEB03"]
    assert summary.endswith("3 hosts given, 1 linted, 2 left out: SRV02, WEB01; 12 files unreadable")
    assert wrm001(doc)["fleet/WEB01"] == "not read: folder cannot be listed: Permission denied"


def test_cli_a_corrupt_or_unreadable_zip_is_a_host_left_out(tmp_path: Path, deny, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    fleet = fleet_of(tmp_path, WEB01=LEGACY)
    zip_folder(fleet / "SRV02.zip", dumps_of(CLEAN))
    whole = (fleet / "SRV02.zip").read_bytes()
    (fleet / "SRV03.zip").write_bytes(whole[: len(whole) // 2])  # a copy cut short
    (fleet / "SRV04.zip").write_bytes(b"Config\n    MaxEnvelopeSizekb = 500\n")  # not a zip at all
    shutil.copy(fleet / "SRV02.zip", fleet / "SRV05.zip")
    deny(fleet / "SRV05.zip")
    code, doc, summary = lint_cli("fleet")
    assert bundles_in(doc) == ["fleet/SRV02.zip", "fleet/SRV03.zip", "fleet/SRV04.zip", "fleet/SRV05.zip", "fleet/WEB01"]
    assert summary.endswith("5 hosts given, 2 linted, 3 left out: SRV03, SRV04, SRV05; 3 files unreadable")
    assert wrm001(doc) == {
        "fleet/SRV03.zip": "not read: archive cannot be read: it is truncated or corrupt (BadZipFile)",
        "fleet/SRV04.zip": "not read: archive cannot be read: not a zip archive (its first bytes are not a zip's)",
        "fleet/SRV05.zip": "not read: archive cannot be read: Permission denied",
    }
    # given by name, a corrupt zip is the same host left out, and exit 2: nothing was readable
    code, doc, summary = lint_cli("fleet/SRV03.zip")
    assert code == 2 and summary.endswith("1 host given, 0 linted, 1 left out: SRV03; 1 file unreadable")


def test_cli_an_unreadable_part_of_one_host_stays_in_that_host(tmp_path: Path, deny, monkeypatch) -> None:
    """`WEB01/registry/…` readable, `WEB01/winrm/…` not: one host WEB01, its unread files named."""
    monkeypatch.chdir(tmp_path)
    bundle = tmp_path / "WEB01"
    (bundle / "winrm").mkdir(parents=True)
    (bundle / "registry").mkdir()
    shutil.copy(LEGACY / "winrm-config.txt", bundle / "winrm" / "winrm-config.txt")
    shutil.copy(LEGACY / "registry.reg", bundle / "registry" / "registry.reg")
    deny(bundle / "winrm" / "winrm-config.txt")
    code, doc, summary = lint_cli("WEB01")
    assert bundles_in(doc) == ["WEB01"]
    assert summary.endswith("1 host given, 1 linted, 0 left out; 1 file unreadable")
    assert wrm001(doc) == {"WEB01/winrm/winrm-config.txt": "cannot be read: Permission denied"}


def test_cli_folders_and_zips_side_by_side_and_a_folder_of_zips(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    fleet = fleet_of(tmp_path, WEB01=LEGACY)
    zip_folder(fleet / "SRV02.zip", dumps_of(CLEAN, "SRV02/"))
    code, doc, summary = lint_cli("fleet")
    assert code == 1 and bundles_in(doc) == ["fleet/SRV02.zip/SRV02", "fleet/WEB01"]
    assert summary.endswith("2 hosts given, 2 linted, 0 left out")
    zips = tmp_path / "zips"
    zips.mkdir()
    zip_folder(zips / "WEB01.zip", dumps_of(LEGACY))
    zip_folder(zips / "SRV02.zip", dumps_of(CLEAN))
    code, doc, summary = lint_cli("zips")
    assert bundles_in(doc) == ["zips/SRV02.zip", "zips/WEB01.zip"] and summary.endswith("2 hosts given, 2 linted, 0 left out")


def test_cli_stray_files_at_a_fleets_root_merge_no_hosts(tmp_path: Path, monkeypatch) -> None:
    """A README, an `explain` transcript and a `setspn -X` report at the root of a fleet."""
    monkeypatch.chdir(tmp_path)
    fleet = fleet_of(tmp_path, srv01=CLEAN, web01=LEGACY)
    (fleet / "README.md").write_text("# Collected 2026-11-18\n\n```\nConfig\n    MaxEnvelopeSizekb = 500\n```\n")
    (fleet / "explain-WRM102.txt").write_text(
        "PS C:\\> winrmlint explain WRM102\n\nConfig\n    Service\n        AllowUnencrypted = true\n"
    )
    shutil.copy(SETSPN_X, fleet / "setspn-X.txt")
    code, doc, summary = lint_cli("fleet")
    assert bundles_in(doc) == ["fleet/srv01", "fleet/web01"]
    assert summary.endswith("2 hosts given, 2 linted, 0 left out; 1 file unreadable")
    assert [f["file"] for h in doc["fleet_input"] for f in h["files"] if not f["error"]] == ["fleet/setspn-X.txt"]
    assert list(wrm001(doc)) == ["fleet/explain-WRM102.txt"]
    web01 = next(h for h in doc["hosts"] if h["bundle"] == "fleet/web01")
    mine = {f["code"] for f in web01["findings"]}
    assert {c for c, *_ in alone(fleet / "web01")} <= mine and "WRM001" not in mine


def test_cli_a_bundle_in_sub_folders_is_one_host_alone_and_in_a_fleet(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    bundle = tmp_path / "fleet" / "WEB01"
    for part, names in {"winrm": ("winrm-config.txt", "listeners.txt"), "registry": ("registry.reg",), "ad": ("dsregcmd.txt", "setspn-http.txt")}.items():
        (bundle / part).mkdir(parents=True)
        for name in names:
            shutil.copy(LEGACY / name, bundle / part / name)
    code, doc, summary = lint_cli("fleet/WEB01")
    assert bundles_in(doc) == ["fleet/WEB01"] and summary.endswith("1 host given, 1 linted, 0 left out")
    shutil.copytree(CLEAN, tmp_path / "fleet" / "srv01")
    code, doc, summary = lint_cli("fleet")
    assert bundles_in(doc) == ["fleet/WEB01", "fleet/srv01"] and summary.endswith("2 hosts given, 2 linted, 0 left out")


def test_cli_the_same_bundle_given_twice_or_inside_a_given_fleet_is_linted_once(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    fleet_of(tmp_path, srv01=CLEAN, web01=LEGACY)
    given = ["fleet", "fleet/web01", "fleet/web01", "./fleet/srv01", "fleet/web01/listeners.txt"]
    code, doc, summary = lint_cli(*given)
    assert code == 1 and bundles_in(doc) == ["fleet/srv01", "fleet/web01"]
    assert summary.endswith("2 hosts given, 2 linted, 0 left out")
    sarif = json.loads(CliRunner().invoke(cli.app, ["lint", "--jobs", "1", "-f", "sarif", *given]).stdout)
    results = sarif["runs"][0]["results"]
    assert len(results) == len({json.dumps(r, sort_keys=True) for r in results}) == doc["summary"]["findings"]


def test_cli_lint_in_a_repository_root_reads_no_docs_or_code(tmp_path: Path, monkeypatch) -> None:
    repo = tmp_path / "repo"
    (repo / "src" / "pkg").mkdir(parents=True)
    (repo / "README.md").write_text("# Tool\n\n```\nConfig\n    MaxEnvelopeSizekb = 500\n```\n")
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (repo / "src" / "pkg" / "__init__.py").write_text("'''Config\n    MaxEnvelopeSizekb = 500'''\n")
    (repo / "src" / "pkg.egg-info").mkdir()
    (repo / "src" / "pkg.egg-info" / "SOURCES.txt").write_text("README.md\npyproject.toml\nsrc/pkg/__init__.py\n")
    (repo / "src" / "pkg" / "__pycache__").mkdir()
    (repo / "src" / "pkg" / "__pycache__" / "x.txt").write_text("cache\n")
    monkeypatch.chdir(repo)
    code, doc, summary = lint_cli()
    # nothing here is a dump: said so, exit 2, and no host made of the README
    assert code == 2 and summary.endswith("1 host given, 0 linted, 1 left out: repo; 1 file unreadable")
    assert list(wrm001(doc).values()) == ["not read: holds no file that could be a dump (a document is read beside "
                                          "dumps, or when named: `winrmlint lint NOTE.md`)"]
    shutil.copytree(LEGACY, repo / "dumps" / "web01")
    code, doc, summary = lint_cli()
    assert code == 1 and bundles_in(doc) == ["dumps/web01"] and summary.endswith("1 host given, 1 linted, 0 left out")
    # a document named on the command line is read: a ticket saved with a paste in it
    code, doc, _ = lint_cli("README.md")
    assert [f["format"] for h in doc["hosts"] for f in h["files"]] == ["winrm-config-text"]
