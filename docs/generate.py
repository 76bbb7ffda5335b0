"""Regenerate docs/rules/*.md and docs/outcomes.md from the rules and the outcome table.

Run from the repository root: `python docs/generate.py` (tests/test_docs_sync.py fails when a page
is out of date).
"""

from __future__ import annotations

import sys
from pathlib import Path

from winrmlint import explain
from winrmlint.config import all_rules

DOCS = Path(__file__).resolve().parent


def pages() -> dict[Path, str]:
    """Every generated page by its path."""
    found = {DOCS / "rules" / f"{r.code}.md": explain.rule_markdown(r) for r in all_rules()}
    found[DOCS / "rules" / "README.md"] = explain.rules_index_markdown()
    found[DOCS / "outcomes.md"] = explain.outcomes_markdown()
    return found


def main() -> int:
    wanted = pages()
    (DOCS / "rules").mkdir(exist_ok=True)
    for stale in (DOCS / "rules").glob("*.md"):
        if stale not in wanted:
            stale.unlink()
    for path, text in wanted.items():
        path.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {len(wanted)} pages under {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
