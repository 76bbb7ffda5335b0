"""Golden files: compared structurally (as JSON), rewritten with `pytest --update-goldens`."""

from __future__ import annotations

import difflib
import json
from pathlib import Path


def check_golden(path: Path, actual: dict, update: bool) -> None:
    text = json.dumps(actual, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if update or not path.exists():
        if not update:
            raise AssertionError(f"{path} is missing: run pytest --update-goldens and review it")
        path.write_text(text, encoding="utf-8")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    if expected != actual:
        diff = difflib.unified_diff(
            json.dumps(expected, indent=2, sort_keys=True).splitlines(),
            text.splitlines(),
            str(path),
            "actual",
            lineterm="",
        )
        raise AssertionError("golden differs (pytest --update-goldens to accept):\n" + "\n".join(list(diff)[:80]))
