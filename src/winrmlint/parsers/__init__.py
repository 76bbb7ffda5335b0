"""Input formats, recognised by content: each module offers `FORMAT`, `sniff` and `parse`.

`sniff(source) -> int` scores how sure a module is that the text is its format (0: not mine,
100: certain); the best score wins. `parse(source) -> ParsedDump` raises only `ParseError`.
"""

from __future__ import annotations

from types import ModuleType

from winrmlint.parsers import (
    certificates,
    dns_answers,
    dsregcmd,
    execution_policy,
    firewall,
    local_groups,
    net_profile,
    reg_file,
    reg_query,
    service_state,
    session_configs,
    setspn,
    winhttp_proxy,
    winrm_config,
    winrm_xml,
    wsman_drive,
    wsman_instance,
)

# Explicit registry, in no particular order: the best sniff score wins.
PARSERS: tuple[ModuleType, ...] = (
    winrm_config,
    winrm_xml,
    wsman_instance,
    reg_file,
    reg_query,
    execution_policy,
    firewall,
    service_state,
    winhttp_proxy,
    setspn,
    dsregcmd,
    wsman_drive,
    session_configs,
    net_profile,
    certificates,
    local_groups,
    dns_answers,
)


def detect(source) -> ModuleType | None:
    """The parser for this text, or None when no format recognises it."""
    best, best_score = None, 0
    for parser in PARSERS:
        score = parser.sniff(source)
        if score > best_score:
            best, best_score = parser, score
    return best
