"""Making untrusted text safe for a terminal: dumps come from machines that may be hostile."""

from __future__ import annotations

import re

# C0/C1 controls (ANSI escapes start with ESC) and the bidirectional overrides that can make a
# file name or value read differently from what it is (Trojan Source, CVE-2021-42574); the
# Unicode line and paragraph separators, which some terminals and editors break lines at.
_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def safe(text: str) -> str:
    """`text` with every control or bidi character shown as a visible escape (`\\x1b`, `\\u202e`)."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


# Characters that JSON leaves as they are but that line readers split at (Python's
# str.splitlines, JavaScript's line terminators): NEL and the Unicode separators.
_LINE_SEPARATORS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(encoded: str) -> str:
    """One line of JSON Lines (`json.dumps(…, ensure_ascii=False)`) that no reader can split: the
    line separators a value may hold become JSON escapes (which decode to the same value)."""
    return encoded.translate(_LINE_SEPARATORS)
