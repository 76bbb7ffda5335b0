"""TrustedHosts: its entries, whether WinRM can read each one, and which targets the list trusts.

One reading for the rules (WRM30x) and the connection predictor: about_Remote_Troubleshooting
("computer names, IP addresses, and fully-qualified domain names. Wildcards are permitted"),
winrm-reference.md §1.2 (IPv6 in brackets, the 1024-character policy limit).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from winrmlint.model.host import Host, Setting

PATH = "winrm/config/client/TrustedHosts"
# The "Trusted Hosts" policy stores the list in TrustedHostsList, maxLength 1024 (reference §1.2)
GPO_MAX_LENGTH = 1024

def of(host: Host) -> Setting | None:
    """The host's client TrustedHosts when it lists something (an empty list trusts nothing)."""
    setting = host.get(PATH)
    if setting is None or not isinstance(setting.value, str) or not setting.value.strip():
        return None
    return setting


# A name, an IPv4 address or a wildcard pattern: letters, digits, `-`, `_`, `.` and `*`
# (about_Remote_Troubleshooting: "computer names, IP addresses, and fully-qualified domain names.
# Wildcards are permitted."); IPv6 addresses go in brackets (reference §1.2).
_NAME = re.compile(r"^[\w.*-]+$")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_WITH_PORT = re.compile(r"^(?P<host>\[[^\]]*\]|[^:\[\]]+):(?P<port>\d+)$")
_IPV4_PATTERN = re.compile(r"^(?:\d{1,3}|\*)(?:\.(?:\d{1,3}|\*)){1,3}$")
QUOTES = "\"'\u2018\u2019\u201c\u201d"


def entries(value: str) -> list[str]:
    """The comma-separated entries, stripped: `a, b` is what the documented `"$cur, $new"` makes."""
    return [part.strip() for part in value.split(",")]


def is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def is_ip_entry(entry: str) -> bool:
    """An IPv4 address or pattern (`10.0.0.*`), or an IPv6 address with or without brackets."""
    if _IPV4_PATTERN.match(entry) and any(c.isdigit() for c in entry):
        return True
    inner = entry[1:-1] if entry.startswith("[") and entry.endswith("]") else entry
    return ":" in inner and is_ipv6(inner)


@dataclass(frozen=True)
class Flaw:
    """What is wrong with one entry, and the entries it should have been (empty: not repairable)."""

    problem: str
    repaired: tuple[str, ...]


def flaw(entry: str) -> Flaw | None:
    """Why WinRM would not read this entry as a name, IP or wildcard pattern, if it would not."""
    if any(q in entry for q in QUOTES):
        inner = entry.translate({ord(q): None for q in QUOTES}).strip()
        return Flaw("contains quotes", repair(inner))
    if ";" in entry:
        return Flaw("separates hosts with `;`", repair_all(re.split(r"[;\s]+", entry)))
    if any(c.isspace() for c in entry):
        return Flaw("contains spaces", repair_all(entry.split()))
    if _URL.match(entry):
        host = urlsplit(entry).hostname or ""
        fixed = f"[{host}]" if is_ipv6(host) else host
        return Flaw("is a URL, not a host name", repair(fixed) if fixed else ())
    if entry.startswith("[") and entry.endswith("]"):
        inner = entry[1:-1]
        if is_ipv6(inner) or (inner and re.fullmatch(r"[0-9A-Fa-f:.*]+", inner) and "*" in inner):
            return None
        return Flaw("is not an IPv6 address in brackets", ())
    if is_ipv6(entry):
        return Flaw("is an IPv6 address without brackets", (f"[{entry}]",))
    port = _WITH_PORT.match(entry)
    if port:
        return Flaw(f"carries a port (`:{port['port']}`)", repair(port["host"]))
    if not _NAME.match(entry):
        bad = sorted({c for c in entry if not re.match(r"[\w.*-]", c)})
        return Flaw("contains " + ", ".join(f"`{c}`" for c in bad), ())
    if entry.startswith(".") or ".." in entry:
        fixed = re.sub(r"\.{2,}", ".", entry)
        fixed = "*" + fixed if fixed.startswith(".") else fixed
        return Flaw("has an empty name label", (fixed,))
    return None


def repair(entry: str) -> tuple[str, ...]:
    """The valid entries that a malformed one stands for; empty when it cannot be guessed."""
    if not entry:
        return ()
    found = flaw(entry)
    if found is None:
        return (entry,)
    return found.repaired


def repair_all(parts: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for part in parts:
        fixed = repair(part.strip())
        if not fixed and part.strip():
            return ()
        out.extend(fixed)
    return tuple(out)


@dataclass(frozen=True)
class Entry:
    """One entry of the list as written, and what is wrong with it (None: WinRM reads it)."""

    text: str
    flaw: Flaw | None

    @property
    def valid(self) -> bool:
        return self.flaw is None and bool(self.text)

    @property
    def wildcard(self) -> bool:
        return self.text == "*"

    @property
    def ip(self) -> bool:
        return is_ip_entry(self.text)


def parse(value: str) -> tuple[Entry, ...]:
    """Every entry of a TrustedHosts value, an empty one included (`a,,b`); `""` is no entry."""
    if not value.strip():
        return ()
    return tuple(Entry(text, flaw(text) if text else Flaw("is empty", ())) for text in entries(value))


def _glob_matches(entry: str, name: str) -> bool:
    """Whether `name` is what `entry` says, `*` standing for any run of characters, case
    ignored as Windows names do. Each part between stars is found leftmost in turn (which is
    enough with `*` alone): linear in the name, where the regex `.*a.*a…` that did this before
    backtracked exponentially in the stars (10 stars against 40 letters: 170 s)."""
    first, *middle = entry.lower().split("*")
    text = name.lower()
    if not middle:
        return text == first
    last = middle.pop()
    if len(text) < len(first) + len(last) or not text.startswith(first) or not text.endswith(last):
        return False
    at, end = len(first), len(text) - len(last)
    for part in middle:
        found = text.find(part, at, end)
        if found < 0:
            return False
        at = found + len(part)
    return True


def _bare(target: str) -> str:
    text = target.strip()
    return text[1:-1] if text.startswith("[") and text.endswith("]") else text


def matches(value: str, target: str) -> Entry | None:
    """The first valid entry that trusts `target` as a client would type it (`web01`,
    `web01.corp.contoso.com`, `10.0.0.5`, `[fe80::1]`), or None.

    WinRM compares the name as given in the connection, not what it resolves to: `web01` does
    not match an entry `web01.corp.contoso.com`, and an IP address matches only IP entries.
    """
    wanted = _bare(target)
    for entry in parse(value):
        if not entry.valid:
            continue
        if _glob_matches(_bare(entry.text), wanted):
            return entry
    return None
