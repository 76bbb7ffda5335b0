"""What one host may cost: the parse budget, the results kept per rule, the text quoted from a dump.

Each bound is applied in one place, whatever parser or rule produced the work: the engine calls
`parse_cost` after each file, `fold` after each host's rules, and a finding's message passes
and its fix pass through `clip_quoted` when it is built (rules/base.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from winrmlint.findings import Finding
from winrmlint.model.values import ParsedDump

# a back-quoted span of a message: rules quote every value they take from a dump this way
_QUOTED = re.compile(r"`([^`]*)`")


def parse_cost(lines: int, dump: ParsedDump) -> int:
    """What a parsed file costs the host's budget: its lines, or what it yielded if more (XML
    written on one line is one line and 200,000 settings)."""
    parsed = len(dump.readings) + len(dump.spns) + len(dump.spn_queries) + len(dump.notes) + len(dump.coverage)
    return max(lines, parsed)


# characters of one quoted value, and of all the quoted values of one message or fix
QUOTED_CHARS = 200
QUOTED_TOTAL = 1_000


def clip_quoted(text: str, most: int = QUOTED_CHARS, total: int = QUOTED_TOTAL) -> str:
    """`text` with each quoted value cut to `most` characters and at most `total` characters of
    quoted values in all (the rest are counted, not shown): a value repeats in every finding
    about it, so a 35 KB list would otherwise be copied into each finding and each fix."""
    spans = list(_QUOTED.finditer(text))
    if sum(len(m.group(1)) for m in spans) <= min(most, total) or not spans:
        return text
    out: list[str] = []
    at = shown = 0
    for index, match in enumerate(spans):
        value = match.group(1)
        if shown + min(len(value), most) > total:
            rest = len(spans) - index
            out.append(f"… ({rest} more quoted value{'s' if rest != 1 else ''} not shown)")
            out.append(text[spans[-1].end() :])
            return "".join(out)
        out.append(text[at : match.start()])
        out.append(match.group(0) if len(value) <= most else f"`{value[:most]}…` ({len(value) - most} more characters)")
        shown += min(len(value), most)
        at = match.end()
    out.append(text[at:])
    return "".join(out)


def fold(findings: Iterable[Finding], most: int) -> list[Finding]:
    """At most `most` results of one rule on one host; the rest are folded into one more result
    (at the first folded one's place) that says how many, so a run stays uploadable to GitHub."""
    kept: list[Finding] = []
    folded: dict[str, list[Finding]] = {}
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.code] = counts.get(finding.code, 0) + 1
        if counts[finding.code] <= most:
            kept.append(finding)
        else:
            folded.setdefault(finding.code, []).append(finding)
    for code, rest in folded.items():
        first = rest[0]
        kept.append(
            Finding(
                code=code,
                level=first.level,
                message=f"{len(rest)} more {code} results on this host are not listed (more than {most}); "
                f"the first of them: {first.message}",
                host=first.host,
                path=first.path,
                location=first.location,
                fix=first.fix,
                key="folded",  # stable as the count changes: one fingerprint per rule and host
                bundle=first.bundle,
            )
        )
    return kept
