"""SDDL as WinRM uses it (RootSDDL, plug-in security): the DACL's ACEs, their principals and rights.

Sources: ace-strings.md and sid-strings.md / well-known-sids.md (winrm-reference.md §6): the SDDL
grammar, the aliases and the generic rights WinRM maps to its operations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_DACL = "P(A;;GA;;;BA)(A;;GR;;;IU)"

# Access-right strings of ace-strings.md and their mask bits.
GENERIC_ALL, GENERIC_EXECUTE, GENERIC_WRITE, GENERIC_READ = 0x10000000, 0x20000000, 0x40000000, 0x80000000
RIGHTS = {
    "GA": GENERIC_ALL, "GX": GENERIC_EXECUTE, "GW": GENERIC_WRITE, "GR": GENERIC_READ,
    "RC": 0x20000, "SD": 0x10000, "WD": 0x40000, "WO": 0x80000,
    "CC": 0x1, "DC": 0x2, "LC": 0x4, "SW": 0x8, "RP": 0x10, "WP": 0x20, "DT": 0x40, "LO": 0x80,
    "CR": 0x100,
    "FA": 0x1F01FF, "FR": 0x120089, "FW": 0x120116, "FX": 0x1200A0,
    "KA": 0xF003F, "KR": 0x20019, "KW": 0x20006, "KX": 0x20019,
}
# WinRM maps generic read/write/execute to its operations (Get/Enumerate, Put/Create/Delete,
# Invoke); the low 16 bits are the specific rights a generic right maps to. The standard rights
# (RC, SD, WD, WO) concern the descriptor itself, not the use of WinRM.
USE = GENERIC_ALL | GENERIC_EXECUTE | GENERIC_WRITE | GENERIC_READ | 0xFFFF
ALLOW_TYPES = {"A", "OA", "XA", "ZA"}
DENY_TYPES = {"D", "OD", "XD"}

# Broad principals (sid-strings.md, well-known-sids.md): alias → (SID, name as Windows shows it)
BROAD = {
    "WD": ("S-1-1-0", "Everyone"),
    "AU": ("S-1-5-11", "Authenticated Users"),
    "BU": ("S-1-5-32-545", "BUILTIN\\Users"),
    "DU": ("S-1-5-21-…-513", "Domain Users"),
    "AN": ("S-1-5-7", "ANONYMOUS LOGON"),
    "NU": ("S-1-5-2", "NETWORK"),
}
_BY_SID = {sid: alias for alias, (sid, _) in BROAD.items() if "…" not in sid}
_DOMAIN_USERS = re.compile(r"^S-1-5-21-\d+-\d+-\d+-513$", re.IGNORECASE)


@dataclass(frozen=True)
class Ace:
    """One ACE of a DACL: `(type;flags;rights;object;inherited object;account[;attribute])`."""

    text: str  # as written, parentheses included
    type: str
    rights: str
    account: str

    @property
    def mask(self) -> int:
        return rights_mask(self.rights)

    @property
    def broad(self) -> str | None:
        """The alias of the broad group this ACE names (`WD`, `DU`…), or None."""
        account = self.account.upper()
        if account in BROAD:
            return account
        if account in _BY_SID:
            return _BY_SID[account]
        return "DU" if _DOMAIN_USERS.match(account) else None


@dataclass(frozen=True)
class Dacl:
    """The `D:` part of an SDDL string: its flags (`P`, `AI`…) and its ACEs, or a NULL DACL."""

    text: str  # as written after `D:`
    flags: str
    aces: tuple[Ace, ...]

    @property
    def null(self) -> bool:
        return self.flags.upper() == "NO_ACCESS_CONTROL"


def rights_mask(rights: str) -> int:
    """The access mask of an ACE's rights: a hex (or decimal) number, or two-letter codes.

    A code this table does not know still grants something: it counts as a specific right.
    """
    text = rights.strip()
    if not text:
        return 0
    try:
        return int(text, 0)
    except ValueError:
        pass
    mask = 0
    for i in range(0, len(text), 2):
        mask |= RIGHTS.get(text[i : i + 2].upper(), 0x1)
    return mask


def split_sddl(sddl: str) -> dict[str, str]:
    """The `O:`, `G:`, `D:` and `S:` parts of an SDDL string, split at top-level colons."""
    parts: dict[str, str] = {}
    depth, starts = 0, []
    for i, char in enumerate(sddl):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == ":" and depth == 0 and i > 0 and sddl[i - 1].upper() in "OGDS":
            starts.append(i - 1)
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(sddl)
        parts.setdefault(sddl[start].upper(), sddl[start + 2 : end])
    return parts


def parse_dacl(text: str) -> Dacl:
    """Flags up to the first `(`, then balanced `( … )` ACEs; conditional ACEs nest parentheses.
    An ACE left open at the end (a value cut short) is not read."""
    first = text.find("(")
    flags = text if first < 0 else text[:first]
    aces: list[Ace] = []
    depth, start = 0, -1
    for i in range(max(first, 0), len(text)):
        if text[i] == "(":
            if depth == 0:
                start = i
            depth += 1
        elif text[i] == ")" and depth:
            depth -= 1
            if depth == 0:
                fields = text[start + 1 : i].split(";", 6)
                if len(fields) >= 6:
                    kind, rights, account = fields[0].strip().upper(), fields[2].strip(), fields[5].strip()
                    aces.append(Ace(text[start : i + 1], kind, rights, account))
    return Dacl(text, flags.strip(), tuple(aces))


def broad_grants(dacl: Dacl) -> dict[str, tuple[list[Ace], int]]:
    """Broad groups that an allow ACE lets use WinRM, with those ACEs and the rights they keep.

    Rights denied to the same group by an earlier ACE are taken off (ACEs are evaluated in order).
    """
    denied: dict[str, int] = {}
    found: dict[str, tuple[list[Ace], int]] = {}
    for ace in dacl.aces:
        group = ace.broad
        if group is None:
            continue
        mask = ace.mask
        if mask & GENERIC_ALL:
            mask = 0xFFFFFFFF
        if ace.type in DENY_TYPES:
            denied[group] = denied.get(group, 0) | mask
        elif ace.type in ALLOW_TYPES:
            kept = mask & ~denied.get(group, 0) & USE
            if kept:
                aces, total = found.get(group, ([], 0))
                found[group] = (aces + [ace], total | kept)
    return found


def without(sddl: str, dacl: Dacl, dropped: list[Ace]) -> str:
    """The SDDL with the dropped ACEs removed; the default DACL where nothing else would allow."""
    kept = [a for a in dacl.aces if a not in dropped]
    if dacl.null or not any(a.type in ALLOW_TYPES for a in kept):
        new = DEFAULT_DACL
    else:
        new = dacl.flags + "".join(a.text for a in kept)
    return sddl.replace("D:" + dacl.text, "D:" + new, 1)


# Principals that the default descriptors name, and those an admin adds on purpose: alias → name
# (`RM` is Remote Management Users, S-1-5-32-580, on 2012 and later; reference §6)
NAMES = {
    "BA": "BUILTIN\\Administrators",
    "IU": "NT AUTHORITY\\INTERACTIVE",
    "RM": "BUILTIN\\Remote Management Users",
    "NS": "NT AUTHORITY\\NETWORK SERVICE",
    "SY": "NT AUTHORITY\\SYSTEM",
    "ER": "BUILTIN\\Event Log Readers",
    "DA": "Domain Admins",
    **{alias: name for alias, (_, name) in BROAD.items()},
}
_SID_ALIASES = {"S-1-5-32-544": "BA", "S-1-5-4": "IU", "S-1-5-32-580": "RM", "S-1-5-20": "NS", "S-1-5-18": "SY"}


def principal(account: str) -> str:
    """An ACE's account as Windows shows it: `RM` → `BUILTIN\\Remote Management Users`; a SID
    that no alias names is kept as written."""
    upper = account.strip().upper()
    alias = _SID_ALIASES.get(upper, _BY_SID.get(upper, upper))
    return NAMES.get(alias, account.strip())


def dacl_of(sddl: str) -> Dacl | None:
    """The DACL of an SDDL string, or None when it has no `D:` part."""
    text = split_sddl(sddl).get("D")
    return parse_dacl(text) if text is not None else None


def widened(dacl: Dacl, default: Dacl) -> list[Ace]:
    """Allow ACEs beyond a default DACL that name no broad group: a principal added (a domain
    group, Remote Management Users) or given more than the default gives it."""
    granted = {a.account.upper(): a.mask for a in default.aces if a.type in ALLOW_TYPES}
    extra = []
    for ace in dacl.aces:
        if ace.type not in ALLOW_TYPES or ace.broad is not None or not ace.mask & USE:
            continue
        account = _SID_ALIASES.get(ace.account.upper(), ace.account.upper())
        have = granted.get(account, 0)
        if have & GENERIC_ALL or (ace.mask & ~have & USE) == 0:
            continue
        extra.append(ace)
    return extra
