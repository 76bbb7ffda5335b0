"""Peak memory and time of `winrmlint lint` on hostile inputs at and past the default limits.

    python bench/bench_hostile.py            # prints one line per input: seconds, peak MiB, outcome
    python bench/bench_hostile.py --lines    # each parser's CPU seconds on a 1 MB line of each hostile shape

Each input is generated into a temporary folder and linted in a fresh process; peak memory is
that process's VmHWM (getrusage's ru_maxrss would carry the parent's peak over exec on Linux).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

MIB = 1024 * 1024
CFG = "http://schemas.microsoft.com/wbem/wsman/1/config"

CHILD = """
import json, re, sys
from winrmlint import engine
run = engine.lint(sys.argv[1:])
hwm = int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
errors = sorted({f.error for f in run.files if f.error})
print(json.dumps({"peak_kib": hwm, "findings": len(run.findings), "errors": errors}))
"""


def zeros_zip(path: Path, size: int, declared: int | None = None) -> Path:
    chunk = b"\x00" * MIB
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, z.open("winrm-config.txt", "w", force_zip64=size > 2**31) as entry:
        for _ in range(size // MIB):
            entry.write(chunk)
    if declared is not None:
        data = bytearray(path.read_bytes())
        local, central = data.index(b"PK\x03\x04"), data.index(b"PK\x01\x02")
        data[local + 22 : local + 26] = declared.to_bytes(4, "little")
        data[central + 24 : central + 28] = declared.to_bytes(4, "little")
        path.write_bytes(bytes(data))
    return path


def inputs(folder: Path) -> dict[str, Path]:
    made: dict[str, Path] = {}

    def text(name: str, content: str) -> Path:
        path = folder / name
        path.write_text(content)
        return path

    sparse = folder / "100mb.txt"
    with open(sparse, "wb") as handle:
        handle.truncate(100 * MIB)
    made["100 MB file (sparse)"] = sparse
    made["32 MiB - 1 single line"] = text("line32.txt", "Config\n    MaxEnvelopeSizekb = " + "9" * (32 * MIB - 40) + "\n")
    made["10 MB single line"] = text("line10.txt", "Config\n    MaxEnvelopeSizekb = " + "9" * 10_000_000 + "\n")
    made["1 M lines (28 MB)"] = text("lines1m.txt", "Config\n" + "    MaxEnvelopeSizekb = 500\n" * 1_000_000)
    made["250,000 setting lines (line budget)"] = text("lines250k.txt", "Config\n" + "    MaxEnvelopeSizekb = 500\n" * 249_990)
    made["XML 30 MB, 600,000 elements, one line"] = text(
        "one-line.xml", f'<cfg:Config xmlns:cfg="{CFG}">' + "<cfg:MaxEnvelopeSizekb>500</cfg:MaxEnvelopeSizekb>" * 600_000 + "</cfg:Config>"
    )
    made["XML 199,000 tags (under the tag cap)"] = text(
        "tags.xml", f'<cfg:Config xmlns:cfg="{CFG}">\n' + "<cfg:MaxEnvelopeSizekb>500</cfg:MaxEnvelopeSizekb>\n" * 99_500 + "</cfg:Config>\n"
    )
    made["zip bomb 1 GiB of zeros (1 MB zip)"] = zeros_zip(folder / "bomb1g.zip", 1024 * MIB)
    made["zip bomb 30 MiB, under the file limit"] = zeros_zip(folder / "bomb30m.zip", 30 * MIB)
    made["zip bomb lying: 1 GiB declared as 1 KB"] = zeros_zip(folder / "liar.zip", 1024 * MIB, declared=1000)
    return made


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        baseline = folder / "winrm-config.txt"
        baseline.write_text("Config\n    MaxEnvelopeSizekb = 150\n")
        cases = {"baseline: one small dump": baseline, **inputs(folder)}
        print(f"{'input':42} {'size':>10} {'seconds':>8} {'peak MiB':>9}  outcome")
        for name, path in cases.items():
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True)
            seconds = time.perf_counter() - start
            import json

            result = json.loads(out.stdout)
            outcome = "; ".join(result["errors"]) or f"read, {result['findings']} findings"
            size = path.stat().st_size
            print(f"{name:42} {size / MIB:9.1f}M {seconds:8.2f} {result['peak_kib'] / 1024:9.1f}  {outcome[:90]}")


def lines(size: int = 1_000_000) -> None:
    """Each parser's CPU time (sniff and parse, best of two) on a line of each hostile shape of
    tests/test_hostile_scale.py, at `size` characters: the slowest parsers first."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from test_hostile_scale import LONG_LINES, TRAPS, cpu_seconds

    from winrmlint import parsers

    for parser in parsers.PARSERS:
        cpu_seconds(parser, "Config\nx\n")  # its patterns compiled
    rows = sorted(
        ((cpu_seconds(parser, "Config\n" + shape(size) + "\n"), name, parser.FORMAT)
         for name, shape in {**TRAPS, **LONG_LINES}.items() for parser in parsers.PARSERS),
        reverse=True,
    )
    print(f"{len(rows)} parser x shape pairs at {size:,} characters; CPU seconds, slowest first")
    for seconds, name, fmt in rows[:12]:
        print(f"{seconds:6.3f}  {name:22} {fmt}")
    print(f"median {rows[len(rows) // 2][0]:.3f} s; max {rows[0][0]:.3f} s ({rows[0][2]} on {rows[0][1]})")


if __name__ == "__main__":
    lines() if sys.argv[1:2] == ["--lines"] else main()
