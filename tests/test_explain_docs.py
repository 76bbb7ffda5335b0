"""Generated docs stay in sync with the rules and the outcome table; the project URL is defined once."""

from __future__ import annotations

import importlib.util
import tomllib
from email.message import Message
from importlib import metadata
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from winrmlint import engine, project
from winrmlint.output import sarif
from winrmlint.rules import RULES

_spec = importlib.util.spec_from_file_location("generate", ROOT / "docs" / "generate.py")
assert _spec is not None and _spec.loader is not None
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)


@pytest.mark.parametrize("path", sorted(generate.pages()), ids=lambda p: p.name)
def test_generated_page_is_current(path: Path) -> None:
    assert path.exists(), f"{path} is missing: run `python docs/generate.py`"
    assert path.read_text(encoding="utf-8") == generate.pages()[path], f"{path} is stale: run `python docs/generate.py`"


def test_no_page_without_a_rule() -> None:
    assert set((ROOT / "docs" / "rules").glob("*.md")) == {p for p in generate.pages() if p.parent.name == "rules"}


@pytest.mark.parametrize("code", ["WRM001", "WRM801", "WRM802"])
def test_rules_without_a_microsoft_document_point_to_their_page(code: str) -> None:
    rule = next(r for r in RULES if r.code == code)
    assert not rule.docs
    assert rule.help_uri == f"{project.url()}/blob/main/docs/rules/{code}.md"
    assert (ROOT / "docs" / "rules" / f"{code}.md").exists()


def test_rules_with_a_document_keep_it() -> None:
    for rule in RULES:
        if rule.docs:
            assert rule.help_uri == rule.docs[0].uri


def test_project_url_is_pyprojects() -> None:
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    assert project.url() == urls["Homepage"]


def test_sarif_information_uri_is_the_project_url() -> None:
    run = engine.lint([str(FIXTURES / "bundles" / "srv-clean-2022")])
    assert sarif.document(run)["runs"][0]["tool"]["driver"]["informationUri"] == project.url()


def test_url_comes_from_the_installed_metadata_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # read from the first winrmlint-*.dist-info on sys.path, as importlib.metadata finds it
    dist = tmp_path / "winrmlint-9.9.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: winrmlint\nProject-URL: Homepage, https://example.org/fork\n\n"
        "Project-URL: Homepage, https://example.org/body-not-headers\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    project.url.cache_clear()
    try:
        assert project.url() == "https://example.org/fork"
    finally:
        project.url.cache_clear()


def test_metadata_file_read_as_importlib_metadata_reads_it() -> None:
    assert project._project_urls() == metadata.metadata("winrmlint").get_all("Project-URL")


def test_url_comes_from_the_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(project, "_project_urls", lambda: None)
    meta = Message()
    meta["Project-URL"] = "Homepage, https://example.org/fork"
    monkeypatch.setattr(metadata, "metadata", lambda name: meta)
    project.url.cache_clear()
    try:
        assert project.url() == "https://example.org/fork"
        assert project.rule_page("WRM001") == "https://example.org/fork/blob/main/docs/rules/WRM001.md"
    finally:
        project.url.cache_clear()


def test_url_without_metadata_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> Message:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(project, "_project_urls", lambda: None)
    monkeypatch.setattr(metadata, "metadata", missing)
    project.url.cache_clear()
    try:
        assert project.url() == "https://github.com/winrmlint/winrmlint"
    finally:
        project.url.cache_clear()
