"""Parsing what we print is stable: `winrmlint parse` → a dump written back → the same model.

`winrmlint parse` prints each setting's typed value and source. Written back as Windows prints it
(`winrm get winrm/config`, as text and as `-format:xml`) and parsed again, it must give the same
values and sources, and writing that model again must give the same dump (a fixed point). The
same holds for every sample re-encoded as Windows tools write files (UTF-16LE with BOM and CRLF,
UTF-8 with BOM): the encoding never changes what is read.
"""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import FIXTURES, ROOT
from winrmlint import engine
from winrmlint.cli import app
from winrmlint.model import catalog
from winrmlint.model.values import Value
from winrmlint.output import model as model_output

MODEL_SCHEMA = json.loads((ROOT / "schemas" / "host-model.schema.json").read_text())
CONFIG_NS = "http://schemas.microsoft.com/wbem/wsman/1/config"
# how `winrm get` names each container (its logical segment → the printed header)
HEADERS = {"client": "Client", "service": "Service", "winrs": "Winrs", "auth": "Auth", "DefaultPorts": "DefaultPorts"}
SETTINGS = [s for s in catalog.SETTINGS if s.path.startswith(catalog.ROOT + "/")]
SAMPLE_FILES = sorted(
    p for p in [*(FIXTURES / "samples").rglob("*"), *(FIXTURES / "bundles").rglob("*")] if p.is_file()
)

runner = CliRunner()
Model = dict[str, tuple[Value, str]]  # logical path → (typed value, source)


def literal(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(value)
    return "" if value is None else str(value)


def _tree(model: Model) -> dict:
    tree: dict = {}
    for path, value in sorted(model.items(), key=lambda kv: kv[0].lower()):
        node = tree
        parts = path[len(catalog.ROOT) + 1 :].split("/")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return tree


def as_winrm_get(model: Model) -> str:
    """The model as `winrm get winrm/config` prints it: values first, then sub-containers."""
    lines = ["C:\\Users\\Administrator>winrm get winrm/config", "Config"]

    def emit(node: dict, depth: int) -> None:
        pad = "    " * depth
        for name, leaf in node.items():
            if isinstance(leaf, tuple):
                value, source = leaf
                tag = ' [Source="GPO"]' if source == "gpo" else ""
                text = literal(value)
                lines.append(f"{pad}{name} = {text}{tag}" if text else f"{pad}{name}{tag}")
        for name, child in node.items():
            if isinstance(child, dict):
                lines.append(pad + HEADERS[name])
                emit(child, depth + 1)

    emit(_tree(model), 1)
    return "\r\n".join(lines) + "\r\n"


def as_winrm_xml(model: Model) -> str:
    """The model as `winrm get winrm/config -format:pretty` prints it."""
    out = [f'<cfg:Config xmlns:cfg="{CONFIG_NS}">']

    def emit(node: dict, depth: int) -> None:
        pad = "    " * depth
        for name, leaf in node.items():
            if isinstance(leaf, tuple):
                value, source = leaf
                attr = ' Source="GPO"' if source == "gpo" else ""
                out.append(f"{pad}<cfg:{name}{attr}>{escape(literal(value))}</cfg:{name}>")
        for name, child in node.items():
            if isinstance(child, dict):
                out.append(f"{pad}<cfg:{HEADERS[name]}>")
                emit(child, depth + 1)
                out.append(f"{pad}</cfg:{HEADERS[name]}>")

    emit(_tree(model), 1)
    out.append("</cfg:Config>")
    return "\n".join(out) + "\n"


def printed(paths: list[Path]) -> dict:
    """What `winrmlint parse` prints for these paths, as JSON (its code path, without the CLI)."""
    stream = io.StringIO()
    model_output.write_json(engine.lint([str(p) for p in paths], rules=()), stream)
    return json.loads(stream.getvalue())


@cache
def model_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(MODEL_SCHEMA)


def test_parse_prints_what_the_round_trip_reads() -> None:
    """`printed` is `winrmlint parse`, byte for byte."""
    sample = FIXTURES / "bundles" / "web01-legacy" / "winrm-config.txt"
    result = runner.invoke(app, ["parse", str(sample)])
    assert result.exit_code == 0 and json.loads(result.stdout) == printed([sample])


def model_of(doc: dict, only: set[str] | None = None) -> Model:
    """The `winrm/config` settings (listeners aside) that inputs stated, as printed."""
    found: Model = {}
    for host in doc["hosts"]:
        for setting in host["settings"]:
            path = setting["path"]
            if setting["source"] == "default" or not path.startswith(catalog.ROOT + "/") or path.startswith(catalog.LISTENERS):
                continue
            if only is None or path in only:
                value = setting["value"]
                found[path] = (tuple(value) if isinstance(value, list) else value, setting["source"])
    return found


def reprint(model: Model, tmp_path: Path, name: str, writer) -> Model:
    dump = tmp_path / name
    dump.write_bytes(writer(model).encode("utf-8"))
    return model_of(printed([dump]), set(model))


# ------------------------------------------------------------------------ generated models


def _value_of(setting: catalog.Setting) -> st.SearchStrategy[Value]:
    if setting.type == "bool":
        return st.booleans()
    if setting.type == "int":
        return st.integers(0, 0xFFFFFFFF)
    # what WinRM prints in a string setting: host names, patterns, SDDL, thumbprints
    token = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.*-_:;()", min_size=1, max_size=24)
    return st.lists(token, min_size=0, max_size=3).map(",".join)


@st.composite
def models(draw) -> Model:
    chosen = draw(st.lists(st.sampled_from(SETTINGS), min_size=1, max_size=12, unique_by=lambda s: s.path))
    return {s.path: (draw(_value_of(s)), draw(st.sampled_from(["local", "gpo"]))) for s in chosen}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(model=models())
def test_a_printed_model_parses_back_to_itself_as_text_and_as_xml(model: Model, tmp_path: Path) -> None:
    # typed as WinRM would: an empty string setting reads back as empty
    as_text = reprint(model, tmp_path, "winrm-config.txt", as_winrm_get)
    assert as_text == model
    assert as_winrm_get(as_text) == as_winrm_get(model)  # a fixed point
    as_xml = reprint(model, tmp_path, "winrm-config.xml", as_winrm_xml)
    assert as_xml == model


# --------------------------------------------------------------------------- real samples


@pytest.mark.parametrize("sample", [p for p in SAMPLE_FILES if p.suffix in (".txt", ".xml", ".reg")], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_parse_output_is_deterministic_valid_and_reprints_to_the_same_model(sample: Path, tmp_path: Path) -> None:
    first = printed([sample])
    assert printed([sample]) == first
    model_validator().validate(first)
    stated = {
        p: v
        for p, v in model_of(first).items()
        # values a tool cut short or that could not be typed are printed as read: not reprintable
        if all(r["valid"] if "valid" in r else True for s in first["hosts"][0]["settings"] if s["path"] == p for r in s["readings"])
        and not any(r.get("truncated") for s in first["hosts"][0]["settings"] if s["path"] == p for r in s["readings"])
    }
    if not stated:
        return
    assert reprint(stated, tmp_path, "again.txt", as_winrm_get) == stated
    assert reprint(stated, tmp_path, "again.xml", as_winrm_xml) == stated


@pytest.mark.parametrize("sample", [p for p in SAMPLE_FILES if p.suffix in (".txt", ".xml", ".reg")], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_encoding_a_tool_wrote_never_changes_what_is_read(sample: Path, tmp_path: Path) -> None:
    raw = sample.read_bytes()
    try:
        from winrmlint.source import decode

        text, _ = decode(raw)
    except Exception:
        return  # an unreadable sample is the decoding tests' business
    baseline = printed([sample])

    def settings_of(doc: dict) -> list:
        return [(s["path"], s["value"], s["source"], s["line"]) for h in doc["hosts"] for s in h["settings"]]

    crlf = text.replace("\r\n", "\n").replace("\n", "\r\n")
    for name, data in {
        "utf16": b"\xff\xfe" + crlf.encode("utf-16-le"),
        "utf8-bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "utf8-crlf": crlf.encode("utf-8"),
    }.items():
        copy = tmp_path / name / sample.name
        copy.parent.mkdir()
        copy.write_bytes(data)
        assert settings_of(printed([copy])) == settings_of(baseline), name
