"""The engine on fleets: parallel runs equal serial ones, and repeated host names stay apart."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES
from winrmlint import engine
from winrmlint.output import json as json_output

BUNDLES = [p for p in sorted((FIXTURES / "bundles").iterdir()) if p.is_dir()]


def make_fleet(folder: Path, hosts: int) -> Path:
    for i in range(hosts):
        shutil.copytree(BUNDLES[i % len(BUNDLES)], folder / f"host{i:03d}")
    return folder


def test_a_parallel_run_finds_exactly_what_a_serial_run_finds(tmp_path: Path) -> None:
    fleet = make_fleet(tmp_path / "fleet", engine._PARALLEL_FROM)
    serial = engine.lint([str(fleet)], jobs=1)
    parallel = engine.lint([str(fleet)], jobs=2)
    assert parallel.findings == serial.findings
    assert [r.not_evaluated for r in parallel.hosts] == [r.not_evaluated for r in serial.hosts]


def test_hosts_with_the_same_name_keep_their_own_findings(tmp_path: Path) -> None:
    # two copies of web01-legacy: dsregcmd names both `web01`
    legacy = next(p for p in BUNDLES if p.name == "web01-legacy")
    fleet = tmp_path / "fleet"
    shutil.copytree(legacy, fleet / "first")
    shutil.copytree(legacy, fleet / "second")
    alone = engine.lint([str(fleet / "first")])
    doc = json_output.document(engine.lint([str(fleet)]))
    assert [h["name"] for h in doc["hosts"]] == ["web01", "web01"]
    per_host = [sorted((f["code"], f["line"]) for f in h["findings"]) for h in doc["hosts"]]
    assert per_host[0] == per_host[1] == sorted((f.code, f.location.line) for f in alone.findings)
    assert doc["other_findings"] == []


def test_a_broken_process_pool_falls_back_to_this_process(tmp_path: Path, monkeypatch) -> None:
    import concurrent.futures

    class Broken(concurrent.futures.ProcessPoolExecutor):
        def map(self, *args, **kwargs):
            from concurrent.futures.process import BrokenProcessPool

            raise BrokenProcessPool("a worker was killed")

    fleet = make_fleet(tmp_path / "fleet", engine._PARALLEL_FROM)
    serial = engine.lint([str(fleet)], jobs=1)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Broken)
    assert engine.lint([str(fleet)], jobs=2).findings == serial.findings


def test_fingerprints_survive_lines_moving(tmp_path: Path) -> None:
    legacy = next(p for p in BUNDLES if p.name == "web01-legacy")
    before = engine.lint([str(legacy)])
    moved = tmp_path / "web01-legacy"
    shutil.copytree(legacy, moved)
    config = moved / "winrm-config.txt"
    # a transcript header pasted above the dump moves every line down
    config.write_bytes(b"**********************\r\nWindows PowerShell transcript start\r\n\r\n" + config.read_bytes())
    after = engine.lint([str(moved)])
    assert sorted(f.fingerprint for f in after.findings) == sorted(f.fingerprint for f in before.findings)
    moved_lines = {f.fingerprint: f.location.line for f in after.findings if f.location.uri.endswith("winrm-config.txt")}
    assert moved_lines and all(
        moved_lines[f.fingerprint] == f.location.line + 3 for f in before.findings if f.fingerprint in moved_lines
    )
