"""Bundles: folders, fleets, zips, manifests — and what is refused while listing them."""

from __future__ import annotations

import json
import shutil
import stat
import zipfile
from pathlib import Path

from conftest import FIXTURES
from winrmlint import engine
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
    fleet = zip_folder(tmp_path / "fleet.zip", {**dumps_of(CLEAN, "srv01/"), **dumps_of(LEGACY, "web01/")})
    bundles = discover([str(one), str(fleet)], cwd=str(tmp_path))
    assert [b.name for b in bundles] == ["WEB01", "srv01", "web01"]
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
    # a dump at the top, though, makes the folder one host's bundle with its sub-folders
    (fleet / "winrm-config.txt").write_bytes((LEGACY / "winrm-config.txt").read_bytes())
    assert [b.name for b in discover([str(fleet)], cwd=str(tmp_path))] == ["fleet"]
