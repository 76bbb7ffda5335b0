"""Encodings Windows really writes: OEM code pages from cmd.exe redirects, UTF-32, appended
archives, and values holding line separators (fixtures/hostile/encodings/)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from winrmlint import cli, engine
from winrmlint.source import SourceText, loose_key

ENCODINGS = FIXTURES / "hostile" / "encodings"
LEGACY = FIXTURES / "bundles" / "web01-legacy"
RU_UTF16 = FIXTURES / "samples" / "setspn" / "localised_ru.txt"
runner = CliRunner()


def lint(*paths: Path, rules=engine.RULES) -> engine.RunResult:
    return engine.lint([str(p) for p in paths], rules=rules, jobs=1)


def accounts(run: engine.RunResult) -> set[str]:
    return {e.account for r in run.hosts for e in r.host.spns}


def test_oem_code_pages_are_recognised_from_the_bytes_and_the_guess_is_noted() -> None:
    expected = {
        "setspn-de-cp850.txt": ("cp850", "CN=svc-iis-web04,OU=Dienstkonten Schäfer,OU=Tier1,DC=corp,DC=contoso,DC=com"),
        "setspn-ru-cp866.txt": ("cp866", "CN=APP07,OU=Серверы,DC=corp,DC=contoso,DC=com"),
        "sc-qc-ja-cp932.txt": ("cp932", "Windows リモート管理 (WS-Management)"),
        # Windows' own words (setspn.exe.mui), as cmd.exe redirects them
        "setspn-de-mui-cp850.txt": ("cp850", "Registrierte Dienstprinzipalnamen (SPN) für CN=WEB05,OU=Webserver Büro Köln,"),
        "setspn-ru-mui-cp866.txt": ("cp866", "Зарегистрирован ServicePrincipalNames для CN=APP08,OU=Серверы приложений,"),
    }
    for name, (page, text) in expected.items():
        source = SourceText.from_bytes(name, (ENCODINGS / name).read_bytes())
        assert (source.encoding, source.guessed) == (page, True), name
        assert text in source.text, name
        assert source.remarks[0][1].startswith(f"decoded as {page} ("), name
    # the note is on the file, for people and scripts (`parse` JSON)
    doc = json.loads(runner.invoke(cli.app, ["parse", str(ENCODINGS / "setspn-de-cp850.txt")]).stdout)
    notes = [n["message"] for n in doc["hosts"][0]["files"][0]["notes"]]
    assert any(n.startswith("decoded as cp850 (OEM, Western European console), guessed") for n in notes)
    # text that decodes as UTF-8 (or by its BOM) is not a guess
    assert not SourceText.from_bytes("x", (ENCODINGS / "setspn-de-utf8.txt").read_bytes()).guessed


def test_one_account_read_in_two_encodings_is_one_account(tmp_path: Path) -> None:
    """The same `setspn` output redirected by cmd.exe (OEM) and by PowerShell (UTF-8 / UTF-16):
    read in the wrong page, one account looked like two (a false duplicate SPN, WRM402)."""
    pairs = (("setspn-de-cp850.txt", ENCODINGS / "setspn-de-utf8.txt"), ("setspn-ru-cp866.txt", RU_UTF16),
             ("setspn-de-mui-cp850.txt", ENCODINGS / "setspn-de-mui-utf16.txt"),
             ("setspn-ru-mui-cp866.txt", ENCODINGS / "setspn-ru-mui-utf16.txt"))
    for oem, other in pairs:
        fleet = tmp_path / oem
        (fleet / "a").mkdir(parents=True)
        (fleet / "b").mkdir()
        shutil.copy(ENCODINGS / oem, fleet / "a" / "setspn.txt")
        shutil.copy(other, fleet / "b" / "setspn.txt")
        both, alone = lint(fleet), lint(other)
        assert accounts(both) == accounts(alone), oem
        assert sorted(f.message for f in both.findings if f.code == "WRM402") == sorted(
            f.message for f in alone.findings if f.code == "WRM402"
        ), oem


def test_names_from_a_guessed_decoding_compare_by_their_ascii_skeleton() -> None:
    """What model/'s SPN directory uses for names from a `guessed` source (source.loose_key)."""
    dn = "CN=svc,OU=Dienstkonten Schäfer,DC=corp"
    spellings = [dn, dn.encode("cp850").decode("cp1252", "replace"), dn.encode("cp850").decode("cp866")]
    assert len({loose_key(s) for s in spellings}) == 1
    assert loose_key("CN=WEB01") != loose_key("CN=WEB02")


def test_utf32_files_are_decoded_by_their_bom() -> None:
    alone = {(f.code, f.location.line, f.message) for f in lint(LEGACY / "winrm-config.txt").findings}
    for name in ("winrm-config-utf32le.txt", "winrm-config-utf32be.txt"):
        run = lint(ENCODINGS / name)
        assert run.files[0].error is None, (name, run.files[0].error)
        assert {(f.code, f.location.line, f.message) for f in run.findings} == alone, name


def test_a_text_dump_with_an_archive_appended_is_a_text_dump_and_a_note(tmp_path: Path) -> None:
    path = ENCODINGS / "winrm-config-zip-appended.txt"
    bundle = shutil.copytree(LEGACY, tmp_path / "web01")
    shutil.copy(path, bundle / "appended.txt")
    # given by name, and found in a bundle: never opened as the archive zipfile would find in it
    for given, name in ((path, path.name), (bundle, "appended.txt")):
        host = lint(given, rules=()).hosts[0].host
        appended = next(f for f in host.files if f.uri.endswith("/" + name))
        assert (appended.error, appended.format) == (None, "winrm-config-text")
        assert any("an archive is appended to the text at byte 1549: not read" in n.message for n in appended.notes)
        assert not any("hidden" in f.uri for f in host.files)
    assert lint(path, rules=()).hosts[0].host.value("winrm/config/MaxEnvelopeSizekb") == 150  # not the member's 1


def test_line_separators_in_values_never_split_a_jsonl_line(tmp_path: Path) -> None:
    bundle = shutil.copytree(LEGACY, tmp_path / "web01")
    config = (LEGACY / "winrm-config.txt").read_text()
    hostile = config.replace("TrustedHosts = *", "TrustedHosts = a\u2028b\u0085c\u2029d,*")
    (bundle / "winrm-config.txt").write_text(hostile, encoding="utf-8")
    result = runner.invoke(cli.app, ["parse", "-f", "jsonl", str(bundle)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()  # str.splitlines splits at U+2028, U+0085, U+2029 too
    records = [json.loads(line) for line in lines]
    assert len(records) == len(lint(bundle, rules=()).hosts[0].host.settings)
    trusted = next(r for r in records if r["path"] == "winrm/config/client/TrustedHosts")
    assert "a\u2028b\u0085c\u2029d" in json.dumps(trusted["value"], ensure_ascii=False)


@pytest.mark.parametrize("name", ["setspn-de-mui-cp850.txt", "setspn-de-mui-utf16.txt",
                                  "setspn-ru-mui-cp866.txt", "setspn-ru-mui-utf16.txt"])
def test_windows_own_german_and_russian_setspn_words_are_read_in_either_encoding(name: str) -> None:
    """setspn.exe.mui's de-DE and ru-RU strings: the queries' verdicts, the listing's account."""
    host = lint(ENCODINGS / name).hosts[0].host
    verdicts = {(q.spn.split("/")[0], q.found) for q in host.spn_queries}
    assert verdicts == {("WSMAN", True), ("HTTP", False)}, name
    assert len({e.account for e in host.spns}) == 1 and len(host.spns) == 8, name
