"""The performance table: cold start, and fleets of N realistic bundles, each against its floor.

Every figure is a whole process (wall, user+sys CPU, peak RSS of the largest process, from the
kernel's accounting of the reaped child), the median of --repeat runs; each ratio is taken pair
by pair against its floor measured in the same run, so that a noisy shared machine moves both:

- `winrmlint --version` and one bundle to SARIF against `python -c pass`;
- a fleet to SARIF against reading the fleet's bytes in Python (bench/read_bytes.py);
- `--jobs 2` against `--jobs 1`; N against the previous N (the same jobs).

Run: python bench/bench_fleet.py [--sizes 1,1000,10000,100000] [--jobs 1,2] [--repeat 3]
Fleets are generated once per seed and size under --work (bench/fleetgen.py). Asserts nothing:
speed is measured here, never by timed assertions in tests.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fleetgen  # noqa: E402

HERE = Path(__file__).resolve().parent
# as installed: pip writes bytecode, so a sandbox's PYTHONDONTWRITEBYTECODE must not make every
# start recompile the sources
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CLI = [sys.executable, "-m", "winrmlint"]


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    rss_mb: float


def run_once(command: list[str]) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, _, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = 0  # reaped by wait4
    # ru_maxrss (KiB on Linux) of the child and of the descendants it waited for: the largest one
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def paired(a: list[str], b: list[str] | None, repeat: int, warm: bool = True) -> tuple[list[Run], list[Run]]:
    """A and B in turn, after one warm-up each (of B alone without `warm`: reading a large fleet's
    bytes fills the page cache as well as a whole run does), so that drift of the machine hits both alike."""
    if warm:
        run_once(a)
    if b:
        run_once(b)
    runs_a, runs_b = [], []
    for _ in range(repeat):
        runs_a.append(run_once(a))
        if b:
            runs_b.append(run_once(b))
    return runs_a, runs_b


def median(runs: list[Run], what: str) -> float:
    return statistics.median(getattr(r, what) for r in runs)


def ratio(a: list[Run], b: list[Run], what: str = "wall") -> float:
    """The median of the pair-by-pair ratios."""
    return statistics.median(getattr(x, what) / getattr(y, what) for x, y in zip(a, b))


def row(label: str, runs: list[Run], hosts: int | None = None, vs: str = "") -> None:
    wall, cpu, rss = median(runs, "wall"), median(runs, "cpu"), max(r.rss_mb for r in runs)
    rate = f"{hosts / wall:9.0f}" if hosts else " " * 9
    print(f"{label:<34} {wall:9.3f} {cpu:9.3f} {rate} {rss:8.1f}  {vs}")


def fleet(work: Path, hosts: int, seed: int) -> Path:
    folder = work / f"seed{seed}-{hosts}"
    stamp = folder / ".complete"
    if not stamp.exists():
        start = time.perf_counter()
        fleetgen.generate(folder, hosts, seed)
        stamp.write_text("")
        print(f"# generated {hosts} bundles in {time.perf_counter() - start:.0f} s: {folder}", flush=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,1000,10000,100000", help="fleet sizes, comma-separated")
    parser.add_argument("--jobs", default="1,2", help="--jobs values to run, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="counted runs of each command (large fleets: 1)")
    parser.add_argument("--large-repeat", type=int, default=1, help="counted runs for fleets of 10,000 and more")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "winrmlint-bench")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    jobs = [int(j) for j in args.jobs.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    out = args.work / "out"
    out.mkdir(exist_ok=True)

    print(f"# python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; "
          f"medians of {args.repeat} runs ({args.large_repeat} from 10,000 bundles)")
    print(f"{'measure':<34} {'wall s':>9} {'cpu s':>9} {'hosts/s':>9} {'peak MB':>8}  ratio to its floor")
    nothing = [sys.executable, "-c", "pass"]
    version, floor = paired([*CLI, "--version"], nothing, args.repeat * 3)
    row("python -c pass", floor)
    row("winrmlint --version", version, vs=f"{ratio(version, floor):.1f}x python -c pass")
    one = fleet(args.work, 1, args.seed)
    single = [*CLI, "lint", "-f", "sarif", "-o", str(out / "one.sarif"), str(one / "srv000000")]
    cold, floor = paired(single, nothing, args.repeat * 3)
    row("one bundle to SARIF, cold", cold, 1, f"{ratio(cold, floor):.1f}x python -c pass")

    previous: dict[int, tuple[int, list[Run]]] = {}
    for hosts in sizes:
        folder = fleet(args.work, hosts, args.seed)
        repeat = args.large_repeat if hosts >= 10_000 else args.repeat
        read = [sys.executable, str(HERE / "read_bytes.py"), str(folder)]
        by_jobs: dict[int, list[Run]] = {}
        floor_runs: list[Run] = []
        for j in jobs:
            # a fleet of N 11-file bundles is past the default --max-files of one linted folder
            lint = [*CLI, "lint", "-f", "sarif", "-o", str(out / f"{hosts}-j{j}.sarif"), "--jobs", str(j),
                    "--max-files", str(20 * hosts), str(folder)]
            runs, floor_now = paired(lint, read, repeat, warm=hosts < 10_000)
            floor_runs += floor_now
            by_jobs[j] = runs
            vs = [f"{ratio(runs, floor_now):.1f}x reading the bytes"]
            if j != jobs[0] and jobs[0] in by_jobs:
                vs.append(f"{median(by_jobs[jobs[0]], 'wall') / median(runs, 'wall'):.2f}x faster than --jobs {jobs[0]}")
            if j in previous:
                n, before = previous[j]
                vs.append(f"{median(runs, 'wall') / median(before, 'wall'):.2f}x the {n:,} run")
            row(f"{hosts:,} bundles, --jobs {j}", runs, hosts, "; ".join(vs))
            previous[j] = (hosts, runs)
        row(f"{hosts:,} bundles, reading the bytes", floor_runs, hosts)
        if len(jobs) > 1:
            same = all(
                filecmp.cmp(out / f"{hosts}-j{jobs[0]}.sarif", out / f"{hosts}-j{j}.sarif", shallow=False)
                for j in jobs[1:]
            )
            print(f"# {hosts:,} bundles: SARIF of every --jobs byte-identical: {'yes' if same else 'NO'}", flush=True)


if __name__ == "__main__":
    main()
