"""Hostile sizes: a 100 MB file, a 10 MB line, a million lines, zip bombs, quadratic traps.

Generated into tmp_path, never committed. Times are budgets far above what the code takes (a
quadratic regression takes minutes or hours on these inputs, not seconds), and memory is
measured in a child process, so that this process's own history does not count.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import shutil
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from types import ModuleType
from pathlib import Path

import pytest

from conftest import FIXTURES
from winrmlint import engine, parsers
from winrmlint.bundle import Limits
from winrmlint.model.values import ParseError
from winrmlint.source import SourceText

LEGACY = FIXTURES / "bundles" / "web01-legacy"
MIB = 1024 * 1024


def good_bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "web01"
    bundle.mkdir(parents=True)
    for dump in ("winrm-config.txt", "listeners.txt"):
        shutil.copy(LEGACY / dump, bundle / dump)
    return bundle


def timed(paths: list[Path], limits: Limits = Limits(), rules=engine.RULES) -> tuple[engine.RunResult, float]:
    start = time.perf_counter()
    run = engine.lint([str(p) for p in paths], limits=limits, rules=rules)
    return run, time.perf_counter() - start


def peak_rss_mib(paths: list[Path]) -> float:
    """Peak resident memory of a fresh `winrmlint lint` of these paths, in MiB."""
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent across exec
    script = (
        "import re, sys\n"
        "from winrmlint import engine\n"
        "run = engine.lint(sys.argv[1:])\n"
        "status = open('/proc/self/status').read()\n"
        "print(int(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1)) / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", script, *map(str, paths)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def deflated_zeros(archive: Path, name: str, size: int, declared: int | None = None) -> Path:
    """A zip whose one entry is `size` zero bytes (about 1,000:1); `declared` lies about the size."""
    chunk = b"\x00" * MIB
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open(name, "w") as entry:
            for _ in range(size // MIB):
                entry.write(chunk)
    if declared is not None:
        data = bytearray(archive.read_bytes())
        local, central = data.index(b"PK\x03\x04"), data.index(b"PK\x01\x02")
        data[local + 22 : local + 26] = declared.to_bytes(4, "little")
        data[central + 24 : central + 28] = declared.to_bytes(4, "little")
        archive.write_bytes(bytes(data))
    return archive


# ----------------------------------------------------------------------------- big files


def test_a_100_mb_file_is_refused_before_a_byte_is_read(tmp_path: Path) -> None:
    bundle = good_bundle(tmp_path)
    with open(bundle / "huge.txt", "wb") as handle:
        handle.truncate(100 * MIB)  # sparse: costs no disk, but reading it would cost 100 MB of memory
    run, seconds = timed([bundle])
    assert {f.error for f in run.files if f.error} == {"not read: file is 104857600 bytes, over the 33554432-byte limit"}
    assert {"WRM101", "WRM102", "WRM202"} <= {f.code for f in run.findings}
    assert seconds < 5
    assert peak_rss_mib([bundle]) < 100


def test_a_file_that_grows_past_its_size_is_cut_at_the_limit(tmp_path: Path) -> None:
    # /proc-like files report a size of 0: the read itself stops one byte past the limit
    run, _ = timed([Path("/proc/self/environ")], limits=Limits(max_file_bytes=4))
    assert run.files[0].error == "not read: file is over the 4-byte limit"


def test_a_10_mb_single_line_finishes_in_seconds(tmp_path: Path) -> None:
    bundle = good_bundle(tmp_path)
    (bundle / "one-line.txt").write_text("Config\n    MaxEnvelopeSizekb = " + "9" * 10_000_000 + "\n")
    run, seconds = timed([bundle])
    assert seconds < 30, seconds  # about 3 s: every parser's sniff and the chosen parse are linear
    assert {"WRM101", "WRM102"} <= {f.code for f in run.findings}


def test_a_million_lines_is_refused_by_the_line_budget_and_the_rest_is_read(tmp_path: Path) -> None:
    bundle = good_bundle(tmp_path)
    (bundle / "a-million.txt").write_text("Config\n" + "    MaxEnvelopeSizekb = 500\n" * 1_000_000)
    run, seconds = timed([bundle])
    errors = {f.uri.rsplit("/", 1)[1]: f.error for f in run.files if f.error}
    assert errors == {"a-million.txt": "not read: the host's files pass 250000 lines"}
    assert {"WRM101", "WRM102", "WRM202"} <= {f.code for f in run.findings}
    assert seconds < 15, seconds


@pytest.mark.parametrize("line", ["x = y", "", "a : b", "PS C:\\> winrm get winrm/config", "[HKEY_LOCAL_MACHINE\\X]"])
def test_a_million_lines_within_a_raised_budget_are_linear(line: str, tmp_path: Path) -> None:
    (tmp_path / "lines.txt").write_text((line + "\n") * 1_000_000)
    run, seconds = timed([tmp_path / "lines.txt"], limits=Limits(max_lines=2_000_000))
    assert seconds < 30, seconds
    assert run.files[0].error is None or "internal error" not in run.files[0].error


# Long runs of spaces that overlapping `\s*`/`\s+` patterns backtracked over quadratically
# (winhttp_proxy `_TITLE`, `_DIRECT`, `_FIELD`; winrm_config `_TRAILING_COMMENT`, `_SOURCE_TAG`;
# reg_query `_VALUE`; service_state `_SC_FIELD`): at 100,000 characters each took minutes.
# Each shape is made at any size `n`.
TRAPS = {
    "spaces": lambda n: " " * n + "x",
    "tabs": lambda n: ("\t" * 10_000 + "x") * (n // 10_000),  # runs of tabs, which expand to 4 or 8 times as long
    "colon-then-spaces": lambda n: "Name : " + " " * n + "x",
    "equals-spaces-equals": lambda n: "a =" + " " * n + "=",
    "spaces-before-kind": lambda n: "x" + " " * n + "REG_SZX",
    "source-tag": lambda n: "Basic = true" + " " * n + '[Source="GPO"',
    "parenthesis": lambda n: "Direct (" + "a" * n,
    "winhttp-title": lambda n: "WinHTTP" * (n // 7),
}


def cpu_seconds(parser: ModuleType, text: str) -> float:
    """The CPU time `parser` takes to sniff and parse `text` (a refusal counts), best of two."""
    source = SourceText.from_text("trap.txt", text)
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        parser.sniff(source)
        try:
            parser.parse(source)
        except ParseError:
            pass
        best = min(best, time.process_time() - start)
    return best


def assert_linear_in_every_parser(shape: Callable[[int], str], n: int) -> None:
    """Each parser on the shape at `n` and at `4 n` characters: the larger within 8 times the
    time of the smaller (a quadratic parser takes 16 times, and minutes at a megabyte). CPU
    time, not wall time: other processes on the machine do not count."""
    small, large = "Config\n" + shape(n // 4) + "\n", "Config\n" + shape(n) + "\n"
    for parser in parsers.PARSERS:
        cpu_seconds(parser, "Config\nx\n")  # its patterns compiled
        ratios = []
        for _ in range(3):  # a measurement disturbed (a page fault storm, a GC) is taken again
            before, after = cpu_seconds(parser, small), cpu_seconds(parser, large)
            ratios.append(after / max(before, 0.002))
            if ratios[-1] <= 8:
                break
        else:
            raise AssertionError(f"{parser.FORMAT}: {n // 4} → {n} characters took {ratios} times as long")


@pytest.mark.parametrize("trap", sorted(TRAPS))
def test_no_parser_is_quadratic_on_a_long_line(trap: str) -> None:
    assert_linear_in_every_parser(TRAPS[trap], 400_000)


def test_one_setting_read_many_times_in_two_files_is_linear(tmp_path: Path) -> None:
    """WRM801 compared every pair of readings of a setting: 40,000 readings were 800 million pairs."""
    bundle = tmp_path / "web01"
    bundle.mkdir()
    for name, value in (("a.txt", 150), ("b.txt", 500)):
        (bundle / name).write_text("Config\n" + f"    MaxEnvelopeSizekb = {value}\n" * 20_000)
    run, seconds = timed([bundle], rules=engine.select_rules(["WRM801"]))
    assert seconds < 15, seconds
    wrm801 = [f for f in run.findings if f.code == "WRM801"]
    assert len(wrm801) == 1 and len(wrm801[0].related) == 39_999


# ------------------------------------------------------------------------------ zip bombs


def test_zip_bomb_entry_larger_than_the_file_limit_is_refused_from_its_header(tmp_path: Path) -> None:
    bomb = deflated_zeros(tmp_path / "bomb.zip", "winrm-config.txt", 64 * MIB)
    assert bomb.stat().st_size < 200_000
    run, seconds = timed([bomb])
    assert run.files[0].error == f"not read: entry expands to {64 * MIB} bytes, over the {32 * MIB}-byte limit"
    assert seconds < 2


def test_zip_bomb_entry_under_the_file_limit_is_refused_by_its_ratio(tmp_path: Path) -> None:
    bomb = deflated_zeros(tmp_path / "bomb.zip", "winrm-config.txt", 8 * MIB)
    run, _ = timed([bomb])
    assert run.files[0].error.startswith("not read: entry expands ") and "over the 200:1 limit" in run.files[0].error


def test_zip_bomb_that_lies_about_its_size_is_never_expanded_past_the_lie(tmp_path: Path) -> None:
    bomb = deflated_zeros(tmp_path / "liar.zip", "winrm-config.txt", 64 * MIB, declared=1000)
    run, seconds = timed([bomb])
    assert run.files[0].error in (
        "not read: archive entry cannot be read: BadZipFile",  # zipfile stops at 1000 bytes: bad CRC
        "not read: archive cannot be read: BadZipFile",  # or refuses the inconsistent headers
    )
    assert seconds < 2
    assert peak_rss_mib([bomb]) < 100


def test_zip_bombs_next_to_a_host_cost_only_themselves(tmp_path: Path) -> None:
    alone = {(f.code, f.location.line, f.message) for f in timed([good_bundle(tmp_path / "a")])[0].findings}
    bombs = [
        deflated_zeros(tmp_path / "big.zip", "winrm-config.txt", 40 * MIB),
        deflated_zeros(tmp_path / "ratio.zip", "winrm-config.txt", 4 * MIB),
        deflated_zeros(tmp_path / "liar.zip", "winrm-config.txt", 16 * MIB, declared=10),
    ]
    run, seconds = timed([good_bundle(tmp_path / "b"), *bombs])
    assert [f.uri.rsplit("/", 2)[-2] for f in run.files if f.error] == ["big.zip", "ratio.zip", "liar.zip"]
    assert {(f.code, f.location.line, f.message) for f in run.findings if f.host == "web01"} == alone
    assert seconds < 5


# 1 MB lines of each shape that was quadratic (issue 9's audit): reg_file `_HEX` (hex data then
# spaces), session_configs `_TABLE_HEADER` (a padded header), wsman_drive `_HEADER`, manifest
# `_KEY_LINE`, rules/session_configs `_ACE` (permission lists), and one XML element with very
# many attributes (libxml2 is quadratic in them: refused past 256). bench/bench_hostile.py
# --lines times each parser on each (README "Security and limits": under a second each).
MB = 1_000_000
LONG_LINES: dict[str, Callable[[int], str]] = {
    "reg-hex-spaces": lambda n: '[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n"A"=hex:' + " " * n + "x",
    "format-list-header": lambda n: "Name" + " " * n + ": x",
    "format-table-header": lambda n: "Name" + " " * (n // 2) + "PSVersion\n----" + " " * (n // 2) + "---------",
    "wsman-drive-header": lambda n: "   WSManConfig: Microsoft.WSMan.Management\\WSMan::localhost" + " " * n + "\\Service",
    "permission-list": lambda n: "Name : microsoft.powershell\nPermission : BUILTIN\\Administrators" + " " * n + "AccessAllowed",
    "xml-attributes": lambda n: f'<cfg:Config xmlns:cfg="http://schemas.microsoft.com/wbem/wsman/1/config" '
    + " ".join(f'a{i}="1"' for i in range(n // 9)) + "/>",
}


@pytest.mark.parametrize("shape", sorted(LONG_LINES))
def test_a_1_mb_line_of_each_hostile_shape_is_linear_in_every_parser(shape: str) -> None:
    assert_linear_in_every_parser(LONG_LINES[shape], MB)


def test_the_rules_and_the_manifest_are_linear_on_a_1_mb_line(tmp_path: Path) -> None:
    from winrmlint import manifest
    from winrmlint.model import permissions as session_rules

    start = time.perf_counter()
    session_rules._ACE.match("BUILTIN\\Administrators" + " " * MB + "x")
    manifest._KEY_LINE.match(" " * MB + "x")
    assert time.perf_counter() - start < 1


def test_output_is_bounded_by_input_whatever_a_list_holds(tmp_path: Path) -> None:
    """3,000 malformed TrustedHosts entries (44 KB): each finding quoted the whole list, and
    the SARIF was 120 MB; values are now capped where findings are built, results per rule."""
    from winrmlint.output import sarif

    bundle = good_bundle(tmp_path)
    config = (LEGACY / "winrm-config.txt").read_text()
    entries = ",".join(f"bad host {i}!" for i in range(3000))
    (bundle / "winrm-config.txt").write_text(config.replace("TrustedHosts = *", "TrustedHosts = " + entries))
    run, _ = timed([bundle])
    size = len(json.dumps(sarif.document(run)))
    assert size < 2_000_000, size
    wrm302 = [f for f in run.findings if f.code == "WRM302"]
    assert len(wrm302) == Limits().max_results_per_rule + 1
    assert wrm302[-1].message.startswith("2900 more WRM302 results on this host are not listed")
    assert all(len(f.fix) < 3_000 and len(f.message) < 3_000 for f in run.findings)


def _patterns_of(*packages: str) -> list[tuple[str, re.Pattern[str]]]:
    """Every compiled pattern at module level (alone or in a tuple) in the packages' modules."""
    found = []
    for package in packages:
        root = importlib.import_module(package)
        for info in pkgutil.iter_modules(root.__path__, package + "."):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                items = value if isinstance(value, tuple) else (value,)
                for i, item in enumerate(x for entry in items for x in (entry if isinstance(entry, tuple) else (entry,))):
                    if isinstance(item, re.Pattern) and isinstance(item.pattern, str):
                        found.append((f"{info.name}.{name}[{i}]", item))
    return found


AUDITED = _patterns_of("winrmlint.rules", "winrmlint.connect", "winrmlint.model")


def test_the_audit_finds_the_patterns_of_the_rules_connect_and_the_model() -> None:
    names = {n.rsplit("[", 1)[0] for n, _ in AUDITED}
    assert {"winrmlint.model.permissions._ACE", "winrmlint.model.trusted_hosts._WITH_PORT",
            "winrmlint.rules.base._WINRM_HASH", "winrmlint.model.platform._NAMED"} <= names
    assert len(AUDITED) > 20


@pytest.mark.parametrize("name,pattern", AUDITED, ids=[n for n, _ in AUDITED])
def test_every_pattern_of_the_rules_connect_and_the_model_is_linear(name: str, pattern: re.Pattern[str]) -> None:
    """A run of any one character the pattern names (and of blanks), then one that ends no
    match: searched at n and 4 n characters, within 8 times the CPU time (quadratic: 16)."""
    def seconds(text: str) -> float:
        start = time.process_time()
        pattern.search(text)
        pattern.match(text)
        return time.process_time() - start

    for c in sorted(set(pattern.pattern) | {" ", "\t", "a", "0"}):
        for shape in (lambda n: c * n + "\x00", lambda n: (c + " ") * (n // 2) + "\x00"):
            for _ in range(3):
                small, large = seconds(shape(4_000)), seconds(shape(16_000))
                if large <= 8 * max(small, 0.001):
                    break
            else:
                raise AssertionError(f"{name} on {shape(8)!r}…: {small:.4f} s → {large:.4f} s")


def _wide_table(n: int) -> str:
    """A Format-Table of about `n` characters a line: `C0 C1 …` over dashes, two rows."""
    names = [f"C{i}" for i in range(n // 6)]
    row = " ".join("x" * len(name) for name in names)
    return f"{' '.join(names)}\n{' '.join('-' * len(name) for name in names)}\n{row}\n{row}"


def test_the_table_reader_is_linear_in_columns() -> None:
    """Each header word was checked against every column's dashes, and each column against every
    word of each row: 4,000 columns (a 23 KB header) took 22 s in service-state, 14 s in firewall."""
    assert_linear_in_every_parser(_wide_table, 60_000)
