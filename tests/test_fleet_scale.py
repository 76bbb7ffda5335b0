"""Fleets at scale: summaries instead of models, any --jobs, shards merged: the same report.

These check equality of outputs, never speed (bench/ measures speed).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from winrmlint import engine, summary
from winrmlint.merge import MergeError, merge
from winrmlint.output import json as json_output
from winrmlint.output import sarif
from winrmlint.shard import Shard

sys.path.insert(0, str(ROOT / "bench"))
import fleetgen  # noqa: E402

FLEET_FIXTURES = sorted(
    p for rule in ("WRM401", "WRM402", "WRM403", "WRM802") for p in (FIXTURES / "rules" / rule).iterdir() if p.is_dir()
) + sorted(p for p in (FIXTURES / "scenarios").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # more bundles than engine._PARALLEL_FROM, so that --jobs 2 really uses workers
    folder = tmp_path_factory.mktemp("fleet") / "fleet"
    fleetgen.generate(folder, 3 * engine._PARALLEL_FROM, seed=1)
    return folder


def sarif_text(run: engine.RunResult) -> str:
    out = io.StringIO()
    sarif.write(run, out)
    return out.getvalue()


def test_the_generated_fleet_has_the_mix_of_findings_of_real_dumps(fleet: Path) -> None:
    run = engine.lint([str(fleet)], jobs=1, models=False)
    codes = {f.code for f in run.findings}
    # fleet rules across hosts, host rules, and an unreadable file
    assert {"WRM001", "WRM401", "WRM402"} <= codes and len(codes) >= 8
    assert len(run.hosts) == 3 * engine._PARALLEL_FROM


@pytest.mark.parametrize("baseline", [None, "srv000003"])
def test_sarif_is_byte_identical_for_any_jobs(fleet: Path, baseline: str | None) -> None:
    serial = sarif_text(engine.lint([str(fleet)], jobs=1, models=False, baseline=baseline))
    assert sarif_text(engine.lint([str(fleet)], jobs=2, models=False, baseline=baseline)) == serial
    # and summaries change nothing against whole models
    assert sarif_text(engine.lint([str(fleet)], jobs=1, models=True, baseline=baseline)) == serial


@pytest.mark.parametrize("folder", FLEET_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fleet_rules_judge_summaries_as_they_judge_models(folder: Path) -> None:
    baseline = (folder.parent / "baseline.txt").read_text().strip() if (folder.parent / "baseline.txt").exists() else None
    models = engine.lint([str(folder)], baseline=baseline, models=True)
    summaries = engine.lint([str(folder)], baseline=baseline, models=False)
    assert summaries.findings == models.findings
    assert [r.not_evaluated for r in summaries.hosts] == [r.not_evaluated for r in models.hosts]
    assert json_output.document(summaries) == json_output.document(models)


def test_a_compacted_summary_equals_the_summary_and_shares_its_strings(fleet: Path) -> None:
    import copy

    first, second = (r.host for r in engine.lint([str(fleet)], rules=(), jobs=1, models=True).hosts[:2])
    summaries = [summary.of(first, config=True), summary.of(second, config=True)]
    before = copy.deepcopy(summaries)
    for host in summaries:
        summary.compact(host)
    assert summaries == before
    paths = [{key: key for key in host.settings} for host in summaries]
    shared = set(paths[0]) & set(paths[1])
    assert shared and all(paths[0][key] is paths[1][key] for key in shared)


def test_a_summary_is_written_and_read_back_unchanged(fleet: Path) -> None:
    out = io.StringIO()
    engine.lint([str(fleet)], jobs=1, models=False, baseline="srv000001", summaries=out)
    lines = out.getvalue().splitlines()
    assert json.loads(lines[0])["kind"] == summary.KIND
    for line in lines[1:]:
        record = json.loads(line)
        assert record.pop("role") == "host"
        index, result, findings = summary.load(record)
        assert json.loads(json.dumps(summary.record(index, result, findings))) == record


@pytest.mark.parametrize("baseline", [None, "srv000005"])
def test_shards_merged_equal_one_run(fleet: Path, tmp_path: Path, baseline: str | None) -> None:
    whole = engine.lint([str(fleet)], jobs=1, models=False, baseline=baseline)
    files = []
    for k in (1, 2, 3):
        path = tmp_path / f"shard{k}.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            part = engine.lint([str(fleet)], jobs=1, models=False, baseline=baseline, shard=Shard(k, 3), summaries=stream)
        assert 0 < len(part.hosts) < len(whole.hosts)
        files.append(str(path))
    merged = merge(list(reversed(files)))
    assert sarif_text(merged) == sarif_text(whole)
    assert json_output.document(merged) == json_output.document(whole)


def test_every_bundle_is_in_exactly_one_shard(fleet: Path) -> None:
    roots = [b.host.bundle for b in engine.lint([str(fleet)], rules=(), jobs=1).hosts]
    for n in (1, 2, 5):
        assert all(sum(Shard(k, n).holds(root) for k in range(1, n + 1)) == 1 for root in roots)


@pytest.mark.parametrize("text", ["0/3", "4/3", "1", "a/b", "1/0", "-1/2"])
def test_a_shard_must_be_k_of_n(text: str) -> None:
    with pytest.raises(ValueError):
        Shard.parse(text)


def test_merge_refuses_a_host_twice_and_malformed_summaries(fleet: Path, tmp_path: Path) -> None:
    path = tmp_path / "all.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        engine.lint([str(fleet)], jobs=1, models=False, summaries=stream)
    with pytest.raises(MergeError, match="in two shards"):
        merge([str(path), str(path)])
    broken = tmp_path / "broken.jsonl"
    broken.write_text(path.read_text().splitlines()[0] + "\n{\"index\": 1}\n")
    with pytest.raises(MergeError, match=r"broken.jsonl:2: malformed summary"):
        merge([str(broken)])
    with pytest.raises(MergeError, match="dsregcmd.txt:1: not JSON"):
        merge([str(FIXTURES / "bundles" / "web01-legacy" / "dsregcmd.txt")])


def _imported(*argv: str) -> set[str]:
    """The modules that `winrmlint ARGV` imports, run as a user runs it (a new process)."""
    script = (
        "import sys\n"
        f"sys.argv = ['winrmlint', *{list(argv)!r}]\n"
        "from winrmlint import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(done.stderr.split())


def test_the_cold_start_imports_only_what_the_command_needs() -> None:
    assert "typer" not in _imported("--version")
    for argv in (["--help"], ["rules"]):
        assert "winrmlint.parsers" not in _imported(*argv)
    text_run = _imported("lint", str(FIXTURES / "bundles" / "srv-clean-2022"))
    assert "winrmlint.parsers" in text_run
    assert not {"sarif_om", "attr", "jsonschema", "lxml"} & text_run
