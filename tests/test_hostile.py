"""Hostile and broken input: never crash, never lose a finding, never leak.

The corpus is `fixtures/hostile/` (its README lists each file and the threat it stands for);
inputs too large to commit are generated here into tmp_path. Every test lints a hostile input
next to a good dump and checks three things: the hostile part is a WRM001 naming file and line
(or is read correctly), the good dump's findings are all still there, and nothing from outside
the file (another file's bytes, a network fetch) reaches any output.
"""

from __future__ import annotations

import http.server
import io
import json
import os
import re
import shutil
import socket
import stat
import sys
import threading
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, ROOT, assert_valid_sarif
from golden import check_golden
from winrmlint import cli, engine, parsers
from winrmlint.bundle import Limits, discover
from winrmlint.engine import RunResult
from winrmlint.model.values import ParseError
from winrmlint.output import json as json_output
from winrmlint.output import model, sarif, text
from winrmlint.parsers import winrm_config, winrm_xml

HOSTILE = FIXTURES / "hostile"
LEGACY = FIXTURES / "bundles" / "web01-legacy"
GOOD_DUMPS = ("winrm-config.txt", "listeners.txt")
MODEL_SCHEMA = json.loads((ROOT / "schemas" / "host-model.schema.json").read_text())
# what the legacy bundle's winrm-config.txt alone must always yield, whatever sits next to it
LEGACY_CODES = {"WRM101", "WRM102", "WRM201", "WRM202", "WRM301"}  # WRM701 no more: 150 KB is WinRM 2.0's own default (issue 10)
# RFC 3986 URI-reference: unreserved, percent-encoded, sub-delims, ":" "@" "/" "?" "#"
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*$")
# C0 and C1 controls (tab aside) and the bidi / line-separator characters escape.safe() shows escaped
UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")

runner = CliRunner()


# ------------------------------------------------------------------------------------ helpers


def with_legacy(tmp_path: Path, name: str = "web01") -> Path:
    """A bundle of the legacy demo's two WinRM dumps, for hostile files to sit next to."""
    bundle = tmp_path / name
    bundle.mkdir(parents=True)
    for dump in GOOD_DUMPS:
        shutil.copy(LEGACY / dump, bundle / dump)
    return bundle


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return with_legacy(tmp_path, "good")


def findings_of(run: RunResult, host: str) -> list[tuple]:
    """A host's findings as comparable facts: rule, file name, line, message."""
    return sorted((f.code, f.location.uri.rsplit("/", 1)[-1], f.location.line, f.message) for f in run.findings if f.host == host)


def lint(paths: list[Path | str], limits: Limits = Limits(), rules=engine.RULES) -> RunResult:
    return engine.lint([str(p) for p in paths], limits=limits, rules=rules, jobs=1)


@cache
def model_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(MODEL_SCHEMA)


def rendered(run: RunResult) -> dict[str, str]:
    """Every output format the run can be printed in, as text."""
    outs = {}
    for name, write in {
        "text": lambda s: text.write(run, s),
        "text-terminal": lambda s: text.write(run, s, colour=True, width=72),
        "json": lambda s: json_output.write(run, s),
        "sarif": lambda s: sarif.write(run, s),
        "parse": lambda s: model.write_json(run, s),
        "parse-jsonl": lambda s: model.write_jsonl(run, s),
    }.items():
        stream = io.StringIO()
        write(stream)
        outs[name] = stream.getvalue()
        # every output must be encodable: no lone surrogate from a hostile name survives
        outs[name].encode("utf-8")
    return outs


def assert_sound(run: RunResult) -> dict[str, str]:
    """The outputs are valid (SARIF schema, host-model schema), truthful and safe for a terminal."""
    outs = rendered(run)
    doc = json.loads(outs["sarif"])
    assert_valid_sarif(doc)
    model_validator().validate(json.loads(outs["parse"]))
    invocation = doc["runs"][0]["invocations"][0]
    errors = [f for f in run.files if f.error]
    assert invocation["executionSuccessful"] is (not errors and not run.internal_errors)
    assert len(invocation.get("toolExecutionNotifications", [])) == len(errors) + len(run.internal_errors)
    for artifact in doc["runs"][0]["artifacts"]:
        uri = artifact["location"]["uri"]
        assert URI_REFERENCE.match(uri), uri
    painted = re.sub(r"\x1b\[[0-9;]*m", "", outs["text-terminal"])  # our own colours only
    for plain in (outs["text"], painted):
        for line in plain.splitlines():
            assert not UNSAFE.search(line), repr(line)
    return outs


def codes(run: RunResult) -> set[str]:
    return {f.code for f in run.findings}


def errors_by_name(run: RunResult) -> dict[str, str]:
    return {f.uri.rsplit("/", 1)[-1]: f.error for f in run.files if f.error}


# ---------------------------------------------------------------------- the corpus, pinned


def test_hostile_corpus_matches_its_golden(update_goldens: bool) -> None:
    """Every file of fixtures/hostile: the WRM001 it yields (message and line), or none."""
    here = os.getcwd()
    os.chdir(HOSTILE)
    try:
        targets = ["xml", "text", "values", "structure", *sorted(f"archives/{p.name}" for p in (HOSTILE / "archives").iterdir())]
        run = engine.lint(targets, rules=engine.select_rules(["WRM001"]))
    finally:
        os.chdir(here)
    assert_sound(run)
    doc = sarif.document(run)
    check_golden(HOSTILE / "expected.sarif.json", doc, update_goldens)


def test_every_corpus_file_is_listed_in_its_readme() -> None:
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    files = [p.relative_to(HOSTILE).as_posix() for p in HOSTILE.rglob("*") if p.is_file()]
    missing = [f for f in files if f not in ("README.md", "expected.sarif.json") and f"`{f}`" not in readme]
    assert not missing, f"not described in fixtures/hostile/README.md: {missing}"


CORPUS = sorted(
    p.relative_to(HOSTILE).as_posix() for p in HOSTILE.rglob("*") if p.is_file() and p.name not in ("README.md", "expected.sarif.json")
)


def test_each_hostile_file_costs_only_itself(tmp_path: Path) -> None:
    """A hostile file never stops the run: another host of the fleet gets exactly the findings it
    gets alone, and in the same bundle, a file that cannot be read takes nothing from the rest."""
    alone = findings_of(lint([with_legacy(tmp_path / "alone")]), "web01")
    fleet, together = tmp_path / "fleet", tmp_path / "together"
    with_legacy(fleet, "web01")
    for index, corpus_file in enumerate(CORPUS):
        (fleet / f"evil-{index:02}").mkdir()
        shutil.copy(HOSTILE / corpus_file, fleet / f"evil-{index:02}" / Path(corpus_file).name)
        shutil.copy(HOSTILE / corpus_file, with_legacy(together, f"host-{index:02}") / Path(corpus_file).name)
    run = lint([fleet])
    assert len(run.hosts) == len(CORPUS) + 1
    assert findings_of(run, "web01") == alone
    assert_sound(run)
    run = lint([together])
    assert_sound(run)
    for index, corpus_file in enumerate(CORPUS):
        host = f"host-{index:02}"
        files = next(r.host.files for r in run.hosts if r.host.name == host)
        # a readable dump of the same host may rightly change what it says; an unreadable one may not
        if any(f.error for f in files):
            hostile = Path(corpus_file).name
            kept = [f for f in findings_of(run, host) if f[1] != hostile and f[0] != "WRM001"]
            assert kept == alone, corpus_file


# ------------------------------------------------------------------------------------- XML


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).hits.append(self.path)
        body = b'<!ENTITY leak "NETWORK-SECRET-7f3a">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[str]:
    """An HTTP server on localhost that records every request: a fetch by libxml2 would show."""
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


CFG = "http://schemas.microsoft.com/wbem/wsman/1/config"


def _xml(doctype: str, value: str, extra: str = "") -> str:
    return (f'<?xml version="1.0"?>\n{doctype}\n<cfg:Config xmlns:cfg="{CFG}" xmlns:xi="http://www.w3.org/2001/XInclude">\n'
            f"    <cfg:MaxEnvelopeSizekb>{value}</cfg:MaxEnvelopeSizekb>\n{extra}</cfg:Config>\n")


def test_xml_external_entities_dtds_and_xinclude_never_reach_out(tmp_path: Path, listener: str) -> None:
    """XXE (file, network, parameter entity), external DTD, XInclude, schema and stylesheet
    references: refused or ignored; no byte of the secret and no request to the network."""
    secret = tmp_path / "secret.txt"
    secret.write_text("FILE-SECRET-91c2\n")
    bundle = with_legacy(tmp_path)
    cases = {
        "xxe-file.xml": _xml(f'<!DOCTYPE cfg:Config [<!ENTITY x SYSTEM "file://{secret}">]>', "&x;"),
        "xxe-network.xml": _xml(f'<!DOCTYPE cfg:Config [<!ENTITY x SYSTEM "{listener}/entity">]>', "&x;"),
        "xxe-parameter.xml": _xml(f'<!DOCTYPE cfg:Config [<!ENTITY % p SYSTEM "{listener}/param"> %p;]>', "&leak;"),
        "external-dtd.xml": _xml(f'<!DOCTYPE cfg:Config SYSTEM "{listener}/dtd">', "500"),
        "public-dtd.xml": _xml(f'<!DOCTYPE cfg:Config PUBLIC "-//X//Y" "{listener}/public">', "500"),
        "xinclude.xml": _xml("", "500", f'    <xi:include href="{secret}" parse="text"/>\n    <xi:include href="{listener}/xi"/>\n'),
        "schema-stylesheet.xml": f'<?xml-stylesheet href="{listener}/xsl"?>\n'
        + _xml("", "150").split("\n", 1)[1].replace(">\n", f' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{CFG} {listener}/xsd">\n', 1),
    }
    for name, content in cases.items():
        (bundle / name).write_text(content)
    run = lint([bundle])
    outs = assert_sound(run)
    for out in outs.values():
        assert "FILE-SECRET" not in out and "NETWORK-SECRET" not in out
    assert _Recorder.hits == []
    errors = errors_by_name(run)
    for name in ("xxe-file.xml", "xxe-network.xml", "xxe-parameter.xml", "external-dtd.xml", "public-dtd.xml"):
        assert errors[name] == "winrm-config-xml: DTDs are not allowed"
    # XInclude is not processed: the include elements stay elements, nothing is fetched or read
    assert "xinclude.xml" not in errors and "schema-stylesheet.xml" not in errors
    assert LEGACY_CODES <= codes(run)


def test_a_dtd_that_slipped_past_the_check_still_cannot_parse(listener: str) -> None:
    """Defence in depth: the XML is parsed inside a wrapper element, where a DOCTYPE is not
    well-formed, with entity resolution, DTD loading and network access off."""
    region = winrm_xml._Region(0, _xml(f'<!DOCTYPE cfg:Config SYSTEM "{listener}/dtd">', "1").split("\n", 1)[1], False)
    with pytest.raises(ParseError, match="not well-formed"):
        winrm_xml._load(region)
    assert _Recorder.hits == []


def test_billion_laughs_and_quadratic_blowup_are_refused_before_expansion() -> None:
    run = lint([HOSTILE / "xml" / "billion-laughs.xml", HOSTILE / "xml" / "quadratic-blowup.xml"])
    assert [f.error for f in run.files] == ["winrm-config-xml: DTDs are not allowed"] * 2
    assert [f.error_line for f in run.files] == [2, 2]


def test_deeply_nested_xml_is_a_wrm001_not_a_recursion_error() -> None:
    run = lint([HOSTILE / "xml" / "deep-nesting.xml"])
    assert "Excessive depth" in run.files[0].error


def test_huge_xml_text_node_is_refused(tmp_path: Path) -> None:
    # libxml2 without XML_PARSE_HUGE caps a text node at 10,000,000 bytes; lines keep it cheap
    body = ("A" * 99 + "\n") * 100_100
    (tmp_path / "huge-text.xml").write_text(f'<cfg:Config xmlns:cfg="{CFG}"><cfg:TrustedHosts>{body}</cfg:TrustedHosts></cfg:Config>\n')
    run = lint([tmp_path / "huge-text.xml"])
    assert run.files[0].format == "winrm-config-xml"
    assert "huge text node" in run.files[0].error.lower() or "text" in run.files[0].error.lower()


def test_too_many_xml_tags_are_refused_before_they_become_readings(tmp_path: Path) -> None:
    # each element becomes a reading of about 1 KB: 400,000 of them on one line would be ~400 MB
    (tmp_path / "tags.xml").write_text(f'<cfg:Config xmlns:cfg="{CFG}">' + "<cfg:A/>" * 400_000 + "</cfg:Config>")
    run = lint([tmp_path / "tags.xml"])
    assert run.files[0].error == "winrm-config-xml: more than 200000 XML tags: not read"


def test_declared_encoding_never_overrides_the_bytes() -> None:
    """The bytes decide (BOM, sniffing); the XML declaration is dropped, whatever it claims."""
    folder = HOSTILE / "xml"
    names = ["declared-utf16-actually-utf8.xml", "declared-utf8-actually-utf16.xml", "declared-utf8-actually-cp1252.xml", "declared-ebcdic.xml"]
    for name in names:
        host = lint([folder / name], rules=()).hosts[0].host
        assert host.files[0].error is None, name
        assert host.value("winrm/config/MaxEnvelopeSizekb") == 150, name
    cp1252 = lint([folder / "declared-utf8-actually-cp1252.xml"], rules=()).hosts[0].host
    assert cp1252.value("winrm/config/client/TrustedHosts") == "caf\u00e9.contoso.com,*"


# -------------------------------------------------------------------------------- archives


def test_zip_slip_links_nesting_encryption_and_broken_entries_are_refused_by_entry() -> None:
    expected = {
        "zip-slip.zip": {"escapes the archive"},
        "symlink-entry.zip": {"symbolic link"},
        "nested.zip": {"nested archive"},
        "encrypted-entry.zip": {"encrypted"},
        "unsupported-method.zip": {"compression method 9"},
        "bad-crc.zip": {"cannot be read: BadZipFile"},
        "lying-size.zip": {"cannot be read: BadZipFile"},
        "duplicate-names.zip": {"appears more than once"},
    }
    for archive, reasons in expected.items():
        run = lint([HOSTILE / "archives" / archive])
        refused = [f.error for f in run.files if f.error]
        assert refused and all(any(r in e for r in reasons) for e in refused), (archive, refused)
        if archive != "duplicate-names.zip":
            assert LEGACY_CODES - {"WRM701"} <= codes(run), archive
        assert_sound(run)
    assert not Path("/tmp/winrmlint-zip-slip.txt").exists()  # nothing is ever extracted


def test_a_truncated_or_mislabelled_archive_costs_only_itself(tmp_path: Path) -> None:
    bundle = with_legacy(tmp_path)
    for name in ("truncated.zip", "invalid-utf8-name.zip"):
        shutil.copy(HOSTILE / "archives" / name, bundle / name)
    run = lint([bundle, HOSTILE / "archives" / "truncated.zip", HOSTILE / "archives" / "invalid-utf8-name.zip"])
    assert LEGACY_CODES <= codes(run)
    by_uri = {f.uri: f.error for f in run.files if f.error}
    assert any(u.endswith("invalid-utf8-name.zip") and "archive cannot be read" in e for u, e in by_uri.items())
    assert_sound(run)


def test_archive_with_too_many_entries_or_a_huge_directory_is_refused_whole(tmp_path: Path) -> None:
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as z:
        for i in range(60):
            z.writestr(f"{i:03}.txt", "x")
    run = lint([many], limits=Limits(max_archive_entries=59))
    assert [f.error for f in run.files] == ["not read: archive has 60 entries, over the limit of 59"]
    # zipfile builds every record of the central directory at once: its size is checked first
    # (1 KiB per allowed entry), so a directory of millions of entries is never parsed
    wide = tmp_path / "wide.zip"
    with zipfile.ZipFile(wide, "w") as z:
        for i in range(5):
            z.writestr(f"{i}-" + "n" * 2000 + ".txt", "x")
    run = lint([wide], limits=Limits(max_archive_entries=5))
    assert run.files[0].error.startswith("not read: archive directory is 10") and "too large for 5 entries" in run.files[0].error


def test_archive_expansion_total_and_overlapping_entries(tmp_path: Path) -> None:
    """Entries under the per-file and ratio limits still add up: the total is capped, in the
    order listed; entries that all point at one compressed body (an overlapping-entry bomb)
    are refused by that total or by zipfile itself, never expanded past it."""
    archive = tmp_path / "overlap.zip"
    body = b"\x00" * 900_000
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", body)
    data = bytearray(archive.read_bytes())
    directory = data.index(b"PK\x01\x02")
    end = data.index(b"PK\x05\x06")
    record = bytes(data[directory:end])
    copies = b"".join(record.replace(b"a.txt", f"{i:05}".encode()) for i in range(40))
    eocd = bytearray(data[end:])
    eocd[8:10] = eocd[10:12] = (40).to_bytes(2, "little")
    eocd[12:16] = len(copies).to_bytes(4, "little")
    archive.write_bytes(bytes(data[:directory]) + copies + bytes(eocd))
    run = lint([archive], limits=Limits(max_archive_bytes=10_000_000))
    errors = [f.error for f in run.files]
    assert len(errors) == 40 and all(errors)
    assert sum("expands past 10000000 bytes" in e for e in errors) == 29
    assert_sound(run)


def test_zip_members_are_read_without_reopening_the_archive_each_time(tmp_path: Path) -> None:
    # re-reading the central directory for every member was quadratic in the number of entries
    archive = tmp_path / "fleet.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for i in range(3000):
            z.writestr(f"host/{i:04}.txt", "not a dump\n")
    import time

    start = time.perf_counter()
    run = lint([archive])
    assert len(run.files) == 3000
    assert time.perf_counter() - start < 20


# -------------------------------------------------------------------------- folders and links


def test_symlinks_loops_dangling_links_devices_and_fifos_in_a_bundle(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Config\n    MaxEnvelopeSizekb = 1\n")
    bundle = with_legacy(tmp_path / "lint")
    (bundle / "loop-a").symlink_to(bundle / "loop-b")
    (bundle / "loop-b").symlink_to(bundle / "loop-a")
    (bundle / "dangling.txt").symlink_to(tmp_path / "nowhere")
    (bundle / "folder-out").symlink_to(outside)
    (bundle / "zero").symlink_to("/dev/zero")
    (bundle / "inside-then-out").symlink_to(bundle / "hop")
    (bundle / "hop").symlink_to(outside / "secret.txt")
    os.mkfifo(bundle / "pipe")
    run = lint([bundle])
    errors = errors_by_name(run)
    assert errors["loop-a"] == errors["loop-b"] == errors["dangling.txt"] == "not read: symbolic link is broken or loops"
    for name in ("folder-out", "zero", "inside-then-out", "hop"):
        assert errors[name] == "not read: symbolic link points outside the linted folder"
    assert "pipe" not in errors and not any(f.uri.endswith("/pipe") for f in run.files)  # never opened
    assert not any(f.code == "WRM701" and "secret" in f.location.uri for f in run.findings)
    assert LEGACY_CODES <= codes(run)
    assert_sound(run)


def test_a_fifo_or_device_given_as_a_path_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    run = lint([fifo, "/dev/zero", with_legacy(tmp_path)])
    assert [f.error for f in run.files if f.error] == ["not read: not a regular file"] * 2
    assert LEGACY_CODES <= codes(run)


def test_too_many_files_is_one_refusal_and_the_listing_stops(tmp_path: Path) -> None:
    bundle = with_legacy(tmp_path)
    extra = bundle / "zz-extra"
    extra.mkdir()
    for i in range(50):
        (extra / f"{i:02}.txt").write_text("x\n")
    run = lint([bundle], limits=Limits(max_files=10))
    refused = [f.error for f in run.files if f.error and "more than" in f.error]
    assert refused == ["not read: more than 10 files: this one and the rest not read"]
    assert {"WRM102"} <= codes(run)


def test_folders_nested_past_the_depth_limit_are_refused(tmp_path: Path) -> None:
    bundle = with_legacy(tmp_path)
    deep = bundle
    for _ in range(40):
        deep = deep / "d"
    deep.mkdir(parents=True)
    (deep / "x.txt").write_text("x\n")
    run = lint([bundle])
    assert any(f.error and "nested deeper than 32 levels" in f.error for f in run.files)
    archive = tmp_path / "deep.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("d/" * 5000 + "x.txt", "x\n")
        z.writestr("winrm-config.txt", (LEGACY / "winrm-config.txt").read_text())
    run = lint([archive])
    assert any(f.error and "nested deeper" in f.error for f in run.files)
    assert "WRM102" in codes(run)


# ------------------------------------------------------------------------------------ text


def test_decoding_failures_name_the_line() -> None:
    folder = HOSTILE / "text"
    expected = {
        "binary-garbage.bin": ("binary content (control byte 0x00)", 1),
        "nul-after-bell.txt": ("binary content (control byte 0x00)", 22),
        "many-control-characters.txt": ("binary content (control byte 0x01)", 4),
        "utf16-odd-length.txt": ("invalid UTF-16LE with BOM at byte 3204: truncated data", 54),
        "utf16-lone-surrogate.txt": ("invalid UTF-16LE with BOM at byte 1120: illegal UTF-16 surrogate", 21),
        "utf16-no-bom-lone-surrogate.txt": ("invalid UTF-16-LE without BOM at byte 1120: illegal encoding", 21),
        "utf16be-truncated.txt": ("invalid UTF-16BE with BOM at byte 3096: truncated data", 53),
        "mixed-utf8-then-utf16.txt": ("mixed encodings: UTF-16 text inside 8-bit text", 54),
        "mixed-utf16-then-utf8.txt": ("mixed encodings: 8-bit text inside UTF-16LE with BOM", 54),
    }
    run = lint([folder / name for name in expected])
    got = {f.uri.rsplit("/", 1)[-1]: (f.error, f.error_line) for f in run.files}
    assert got == {name: (f"cannot be decoded: {message}", line) for name, (message, line) in expected.items()}


def test_invalid_utf8_falls_back_to_windows_ansi_and_is_still_linted() -> None:
    for name in ("invalid-utf8.txt", "utf8-encoded-surrogate.txt"):
        run = lint([HOSTILE / "text" / name])
        assert run.files[0].error is None and LEGACY_CODES <= codes(run), name


def test_control_characters_and_ansi_escapes_are_shown_escaped_in_text_output() -> None:
    run = lint([HOSTILE / "text" / "control-and-ansi-escapes.txt"])
    assert run.files[0].error is None
    outs = assert_sound(run)
    assert "\\x1b[2J\\x1b]0;owned\\x07\\x1b[31mevil.contoso.com\\x1b[0m" in outs["text"]
    assert "\x1b" not in outs["text"] and "\x07" not in outs["text"]
    # JSON and SARIF carry the value exactly, as JSON escapes
    assert "\\u001b[2J" in outs["json"] and "\\u001b[2J" in outs["sarif"]


def test_bidi_overrides_in_values_and_names_are_shown_escaped(tmp_path: Path) -> None:
    bundle = with_legacy(tmp_path, "web\u202egnp.exe")
    shutil.copy(HOSTILE / "text" / "bidi-overrides.txt", bundle / "conf\u202etxt.exe")
    run = lint([bundle])
    outs = assert_sound(run)
    assert "web\\u202egnp.exe" in outs["text"] and "conf\\u202etxt.exe" in outs["text"]
    assert "\\u202egro.evil\\u202c" in outs["text"]
    assert "\u202e" not in outs["text"]


# ----------------------------------------------------------------------- paths and file names


HOSTILE_NAMES = [
    "new\nline.txt",
    'quote"s and \'single\'.txt',
    "spaces  and\ttab.txt",
    "ünïcødé-名前.txt",
    "percent%41 hash# query?.txt",
    "back\\slash.txt",
    "colon:C:.txt",
    "\x1b[31mred\x1b[0m.txt",
]


def test_hostile_file_names_yield_valid_sarif_uris_and_safe_text(tmp_path: Path) -> None:
    """Each name is a host (its folder) and a dump (its file), so each shows in every output."""
    fleet = tmp_path / "fleet with spaces & ünï"
    config = (LEGACY / "winrm-config.txt").read_bytes()
    # a name that is not UTF-8 at all (Linux allows any bytes): Python holds it as lone surrogates
    names = [*HOSTILE_NAMES, os.fsdecode(b"latin1-\xe9-\xff.txt")]
    for name in names:
        (fleet / name).mkdir(parents=True)
        (fleet / name / name).write_bytes(config)
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        run = engine.lint([fleet.name])
    finally:
        os.chdir(here)
    outs = assert_sound(run)
    doc = json.loads(outs["sarif"])
    uris = {unquote(a["location"]["uri"]) for a in doc["runs"][0]["artifacts"]}
    for name in HOSTILE_NAMES:
        assert f"{fleet.name}/{name}/{name}" in uris
    assert f"{fleet.name}/latin1-\\xe9-\\xff.txt/latin1-\\xe9-\\xff.txt" in uris
    for result in doc["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%" and URI_REFERENCE.match(location["uri"])
    # text: one line per finding (a newline in a name is shown as \x0a), nothing raw
    finding_lines = [line for line in outs["text"].splitlines() if re.search(r" WRM\d{3} ", line)]
    assert len(finding_lines) == len(run.findings)
    assert "new\\x0aline.txt" in outs["text"] and "\\x1b[31mred\\x1b[0m.txt" in outs["text"]
    assert len(run.hosts) == len(names) and not [f for f in run.files if f.error]


def test_absolute_uris_outside_the_working_folder_are_file_uris(tmp_path: Path) -> None:
    bundle = with_legacy(tmp_path, "odd #name%")
    run = lint([bundle])
    doc = json.loads(assert_sound(run)["sarif"])
    for artifact in doc["runs"][0]["artifacts"]:
        uri = artifact["location"]["uri"]
        assert uri.startswith("file:///") and "%23name%25" in uri


# ------------------------------------------------------------------- values and structure


def test_values_of_the_wrong_type_are_kept_as_text_and_marked_invalid() -> None:
    run = lint([HOSTILE / "values"])
    assert not [f for f in run.files if f.error]
    outs = assert_sound(run)
    readings = {
        s["path"]: r
        for h in json.loads(outs["parse"])["hosts"]
        for s in h["settings"]
        for r in s["readings"]
        if r["format"] == "winrm-config-text" and r["file"].endswith("winrm-config-wrong-types.txt")
    }
    for path, raw in {
        "winrm/config/MaxEnvelopeSizekb": "-1",
        "winrm/config/MaxTimeoutms": "18446744073709551616",
        "winrm/config/client/AllowUnencrypted": "maybe",
        "winrm/config/client/DefaultPorts/HTTP": "eighty",
        "winrm/config/service/MaxConnections": "1e3",
    }.items():
        assert readings[path]["value"] == raw and readings[path]["valid"] is False, path
    assert readings["winrm/config/MaxBatchItems"]["valid"] is False  # 5,000 digits: past int()'s limit, not a crash
    assert readings["winrm/config/winrs/IdleTimeout"]["value"] == 16  # 0x10, as WinRM reads hex


def test_sections_truncated_reordered_duplicated_and_interleaved_are_read_or_refused() -> None:
    run = lint([HOSTILE / "structure"])
    errors = errors_by_name(run)
    assert set(errors) == {"winrm-config-header-only.txt", "xml-truncated.xml"}
    assert errors["xml-truncated.xml"].startswith("winrm-config-xml: XML is not well-formed")
    # the duplicated dump (read first: files go by name) runs `winrm get` twice, unencrypted traffic
    # allowed and then refused: the later run is the state the host ended in (issue 11)
    unencrypted = {"WRM101", "WRM102", "WRM201"}
    assert LEGACY_CODES - unencrypted <= codes(run)
    assert not unencrypted & codes(run)
    # the reordered dump reads the same values as the original
    original = lint([LEGACY / "winrm-config.txt"], rules=()).hosts[0].host
    reordered = lint([HOSTILE / "structure" / "winrm-config-reordered.txt"], rules=()).hosts[0].host
    assert {k: s.value for k, s in original.settings.items()} == {k: s.value for k, s in reordered.settings.items()}
    # a command run twice: both values are kept, the later run's first, and a note says so
    run_twice = lint([HOSTILE / "structure" / "winrm-config-duplicated.txt"], rules=())
    dup = run_twice.hosts[0].host
    assert [r.value for r in dup.get("winrm/config/client/AllowUnencrypted").readings] == [False, True]
    notes = [n.message for f in dup.files for n in f.notes]
    assert any("read from the later one" in n for n in notes), notes


# ---------------------------------------------------------------- the engine's defence in depth


@pytest.fixture
def crashing_parser(monkeypatch: pytest.MonkeyPatch):
    def explode(source):
        raise KeyError("SECRET-FROM-THE-FILE")

    monkeypatch.setattr(winrm_config, "parse", explode)


def test_a_parser_that_raises_costs_one_file_and_leaks_nothing(tmp_path: Path, crashing_parser) -> None:
    bundle = with_legacy(tmp_path)
    shutil.copy(FIXTURES / "samples" / "winrm_xml" / "config_pretty.xml", bundle / "config.xml")
    run = lint([bundle])
    errors = errors_by_name(run)
    assert errors["winrm-config.txt"] == "winrm-config-text: internal error while parsing: KeyError"
    assert errors["listeners.txt"] == "winrm-config-text: internal error while parsing: KeyError"
    # from the XML dump (its client Basic is the shipped default: no WRM201 in the default profile)
    assert "config.xml" not in errors and {"WRM301"} <= codes(run)
    outs = assert_sound(run)
    assert not any("SECRET-FROM-THE-FILE" in out or "Traceback" in out for out in outs.values())
    wrm001 = [f for f in run.findings if f.code == "WRM001"]
    assert {f.location.uri.rsplit("/", 1)[1] for f in wrm001} == {"winrm-config.txt", "listeners.txt"}


def test_winrmlint_debug_lets_the_error_raise(good: Path, crashing_parser, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WINRMLINT_DEBUG", "1")
    with pytest.raises(KeyError):
        lint([good])


def test_a_sniff_that_raises_is_reported_for_that_file(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(source):
        raise IndexError("boom")

    # detection asks only the formats whose anchors a file holds: every one of them explodes
    for parser in parsers.PARSERS:
        monkeypatch.setattr(parser, "sniff", explode)
    run = lint([good])
    assert {f.error for f in run.files} == {"internal error while recognising the format: IndexError"}
    assert_sound(run)


def test_a_rule_that_raises_is_wrm001_and_not_evaluated_and_the_others_still_run(good: Path) -> None:
    from winrmlint.rules import BY_CODE

    rule = BY_CODE["WRM301"]
    original = rule.check

    def explode(host, ctx):
        yield ctx.finding(host, host.get("winrm/config/client/TrustedHosts"), "half a result")
        raise ZeroDivisionError

    object.__setattr__(rule, "check", explode)  # Rule is frozen
    try:
        run = lint([good])
    finally:
        object.__setattr__(rule, "check", original)
    assert "WRM301" not in codes(run)  # no half result
    assert {"WRM101", "WRM102", "WRM201"} <= codes(run)
    internal = [f for f in run.findings if f.code == "WRM001"]
    assert [f.message for f in internal] == ["internal error in rule WRM301: ZeroDivisionError"]
    assert "WRM301" in run.hosts[0].not_evaluated
    doc = json.loads(assert_sound(run)["sarif"])
    assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is False


# ------------------------------------------------------------------------- the CLI's promises


def test_no_traceback_reaches_the_user_even_from_the_cli(good: Path, crashing_parser) -> None:
    result = runner.invoke(cli.app, ["lint", str(good)])
    assert result.exit_code == 2  # nothing readable: both legacy files hit the crashing parser
    assert "Traceback" not in result.output and "SECRET" not in result.output
    assert "internal error while parsing: KeyError" in result.stdout


def test_the_last_line_of_defence_prints_one_line_and_exits_2(good: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    def explode(*args, **kwargs):
        raise RuntimeError("SECRET")

    monkeypatch.setattr(engine, "lint", explode)
    monkeypatch.setattr(sys, "argv", ["winrmlint", "lint", str(good)])
    with pytest.raises(SystemExit) as stop:
        cli.main()
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err == "winrmlint: internal error (RuntimeError); run with WINRMLINT_DEBUG=1 for details\n"


def test_exit_2_only_when_nothing_could_be_read(tmp_path: Path) -> None:
    hostile_only = tmp_path / "hostile-only"
    hostile_only.mkdir()
    for name in ("binary-garbage.bin", "utf16-odd-length.txt", "nul-after-bell.txt"):
        shutil.copy(HOSTILE / "text" / name, hostile_only / name)
    result = runner.invoke(cli.app, ["lint", "--format", "sarif", str(hostile_only)])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert_valid_sarif(doc)
    assert len(doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]) == 3
    shutil.copy(LEGACY / "winrm-config.txt", hostile_only / "winrm-config.txt")
    assert runner.invoke(cli.app, ["lint", str(hostile_only)]).exit_code == 1


def test_sarif_execution_successful_tells_the_truth(good: Path) -> None:
    clean = json.loads(runner.invoke(cli.app, ["lint", "--format", "sarif", str(good)]).stdout)
    invocation = clean["runs"][0]["invocations"][0]
    assert invocation == {"executionSuccessful": True}


def test_an_unwritable_output_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["lint", "-o", str(tmp_path / "missing" / "out.sarif"), str(with_legacy(tmp_path))])
    assert result.exit_code == 2
    assert result.output.startswith("winrmlint: cannot write") and "Traceback" not in result.output


def test_limits_are_flags(tmp_path: Path) -> None:
    bundle = with_legacy(tmp_path)
    result = runner.invoke(cli.app, ["lint", "--format", "json", "--max-file-size", "100", str(bundle)])
    assert result.exit_code == 2
    files = json.loads(result.stdout)["hosts"][0]["files"]
    assert all("over the 100-byte limit" in f["error"] for f in files)
    result = runner.invoke(cli.app, ["lint", "--format", "json", "--max-lines", "60", str(bundle)])
    errors = [f["error"] for f in json.loads(result.stdout)["hosts"][0]["files"] if f["error"]]
    assert errors == ["not read: the host's files pass 60 lines"]  # 12 + 53 lines
    for flag in ("--max-files", "--max-archive-entries", "--max-archive-size", "--max-archive-ratio"):
        assert runner.invoke(cli.app, ["lint", flag, "1", str(bundle)]).exit_code in (0, 1, 2)
        assert runner.invoke(cli.app, ["parse", flag, "1", str(bundle)]).exit_code in (0, 2)
