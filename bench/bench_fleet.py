"""Benchmarks: CLI cold start, and linting a fleet of N bundles (linear and parallel).

Run: python bench/bench_fleet.py [--hosts 2000] [--jobs 0]. Prints medians; asserts nothing.
Speed is measured here, never by timed assertions in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for p in sorted((ROOT / "fixtures" / "bundles").iterdir()) if p.is_dir()]


# as installed: pip writes bytecode, so a sandbox's PYTHONDONTWRITEBYTECODE must not make every
# start recompile the sources (that alone was 60% of a cold start here)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], repeat: int) -> float:
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENV)  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_fleet(folder: Path, hosts: int) -> None:
    """Copies of the shipped bundles, each named by a manifest as a real fleet's hosts are."""
    for i in range(hosts):
        bundle = folder / f"host{i:05d}"
        shutil.copytree(SOURCES[i % len(SOURCES)], bundle)
        (bundle / "winrmlint.json").write_text(json.dumps({"host": f"HOST{i:05d}"}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cli = [sys.executable, "-m", "winrmlint"]
    print(f"cold start, --version:        {timed([*cli, '--version'], args.repeat) * 1000:7.1f} ms")
    print(f"cold start, lint one bundle:  {timed([*cli, 'lint', str(SOURCES[0])], args.repeat) * 1000:7.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        fleet = Path(tmp) / "fleet"
        make_fleet(fleet, args.hosts)
        for jobs in (1, 0):
            label = "1 process" if jobs == 1 else "all CPUs"
            seconds = timed([*cli, "lint", "--jobs", str(jobs), "-f", "json", "-o", str(Path(tmp) / "out.json"), str(fleet)], 1)
            print(f"fleet of {args.hosts} bundles, {label:9}: {seconds:6.2f} s ({seconds / args.hosts * 1000:.2f} ms/host)")


if __name__ == "__main__":
    main()
