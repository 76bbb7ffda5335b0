"""Recognition on real published dumps: `fixtures/published/recognition/`, one file per paste as
published (its source in `sources.json`), each with the facts a reader sees in it.

For every file: recognised (read as the format a reader names, with no WRM001), the facts read
right, and the facts read wrong (a value a reader sees as something else: read silently wrong).
`python bench/recognition.py` prints the table; `--write` rewrites docs/measurements/recognition.md.
`tests/test_published_recognition.py` runs the same measure and pins it.
"""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "fixtures" / "published" / "recognition"
DOC = ROOT / "docs" / "measurements" / "recognition.md"


@dataclass
class Result:
    file: str
    expected: str
    read_as: str | None
    error: str | None
    language: str
    shape: str
    url: str
    facts: int = 0
    right: int = 0
    wrong: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def recognised(self) -> bool:
        return self.read_as == self.expected and self.error is None


def sources() -> list[dict[str, Any]]:
    return json.loads((FOLDER / "sources.json").read_text(encoding="utf-8"))["files"]


def _model(path: Path) -> dict[str, Any]:
    from winrmlint import engine
    from winrmlint.output import model

    run = engine.lint([str(path)], rules=())
    out = io.StringIO()
    model.write_json(run, out)
    return json.loads(out.getvalue())["hosts"][0]


def _same(seen: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or isinstance(seen, bool):
        return str(seen).lower() == str(expected).lower()
    return str(seen) == str(expected)


def measure_one(entry: dict[str, Any]) -> Result:
    host = _model(FOLDER / entry["file"])
    read = host["files"][0]
    result = Result(entry["file"], entry["format"], read["format"], read["error"], entry["language"],
                    entry["shape"], entry["url"])
    settings = {s["path"]: s["value"] for s in host.get("settings", [])}
    for path, value in entry["facts"].items():
        result.facts += 1
        if path not in settings:
            result.missing.append(path)
        elif _same(settings[path], value):
            result.right += 1
        else:
            result.wrong.append(f"{path}: read {settings[path]!r}, a reader sees {value!r}")
    spns = {(s["spn"], s["account"]) for s in host.get("spns", [])}
    accounts: dict[str, set[str]] = {}
    for spn, account in spns:
        accounts.setdefault(spn.lower(), set()).add(account)
    for pair in entry["spns"]:
        spn, account = pair.split("|", 1)
        result.facts += 1
        if (spn, account) in spns:
            result.right += 1
        elif spn.lower() in accounts:
            result.wrong.append(f"{spn}: read on {sorted(accounts[spn.lower()])}, a reader sees {account}")
        else:
            result.missing.append(spn)
    queries = {q["spn"]: q["found"] for q in host.get("spn_queries", [])}
    for spn, verdict in entry["queries"].items():
        result.facts += 1
        if spn not in queries:
            result.missing.append(f"query {spn}")
        elif queries[spn] == (verdict == "found"):
            result.right += 1
        else:
            result.wrong.append(f"query {spn}: read found={queries[spn]}, a reader sees {verdict}")
    return result


def measure() -> list[Result]:
    return [measure_one(entry) for entry in sources()]


def table(results: list[Result]) -> str:
    lines = ["| file | language | format | recognised | facts right | read wrong |", "| --- | --- | --- | --- | --- | --- |"]
    for r in results:
        shown = "yes" if r.recognised else f"no ({r.read_as or 'unrecognised'}{': ' + r.error if r.error else ''})"
        lines.append(f"| `{r.file}` | {r.language} | {r.expected} | {shown} | {r.right}/{r.facts} | {len(r.wrong)} |")
    return "\n".join(lines)


def summary(results: list[Result]) -> dict[str, Any]:
    recognised = sum(r.recognised for r in results)
    facts = sum(r.facts for r in results)
    right = sum(r.right for r in results)
    return {
        "files": len(results),
        "recognised": recognised,
        "recognised_percent": round(100 * recognised / len(results), 1),
        "facts": facts,
        "facts_right": right,
        "read_wrong": sum(len(r.wrong) for r in results),
    }


_PER_FILE = "## Per file\n\n"


def main(argv: list[str]) -> int:
    results = measure()
    s = summary(results)
    if "--write" in argv:
        doc = DOC.read_text(encoding="utf-8")
        head = doc.split(_PER_FILE)[0]
        DOC.write_text(f"{head}{_PER_FILE}{table(results)}\n", encoding="utf-8")
    print(table(results))
    print(json.dumps(s))
    for r in results:
        for w in r.wrong:
            print(f"WRONG {r.file}: {w}")
        for m in r.missing:
            print(f"MISSING {r.file}: {m}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
