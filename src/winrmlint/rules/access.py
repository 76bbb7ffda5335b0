"""WRM6xx: who may use WinRM: the service's RootSDDL, read ACE by ACE."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from winrmlint.findings import Finding
from winrmlint.model import catalog
from winrmlint.model.host import Host
from winrmlint.rules.base import TROUBLE, Context, cut_short, remedy, rule

ROOT_SDDL = f"{catalog.ROOT}/service/RootSDDL"
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


@rule(
    code="WRM602", name="rootsddl-broad-access", level="error", needs=(f"{catalog.ROOT}/service",),
    docs=(TROUBLE,), security_severity=8.0, cwe=("CWE-732",),
)
def rootsddl_broad_access(host: Host, ctx: Context) -> Iterator[Finding]:
    """The service's RootSDDL lets a broad group use WinRM.

    ## What it finds
    An allow ACE in the DACL (`D:`) of service `RootSDDL` that grants `GA`, `GR`, `GW`, `GX`,
    specific rights or a hex mask (`0x10000000`) to Everyone (`WD`, `S-1-1-0`), Authenticated
    Users (`AU`, `S-1-5-11`), Users (`BU`, `S-1-5-32-545`), Domain Users (`DU`,
    `S-1-5-21-…-513`), Anonymous (`AN`, `S-1-5-7`) or Network (`NU`, `S-1-5-2`); or a NULL DACL
    (`D:NO_ACCESS_CONTROL`). Rights the same group is denied by an earlier deny ACE are not
    counted. The `S:` part is the audit list (SACL): its `(AU;FA;GA;;;WD)` audits Everyone's
    failures, it grants nothing.

    ## Why it matters
    RootSDDL is the permission every WinRM plug-in without its own security descriptor
    inherits ("the configurations inherit the security descriptor of the RootSDDL, which is
    secure by default"): the default grants full access to Administrators (`BA`) and read to
    Interactive users (`IU`) only. Granting a broad group lets any of its members run commands
    or read management data on the host remotely.

    ## Example
    ```winrm-config
    Service
        RootSDDL = O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)(A;;GXGR;;;AU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)
        MaxConcurrentOperations = 4294967295
    ```

    ## Fix
    Remove the broad ACE and grant a dedicated group instead (for instance Remote Management
    Users, `S-1-5-32-580`):
    ```console
    winrm set winrm/config/service @{RootSDDL="O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)"}
    ```
    or `Set-Item WSMan:\\localhost\\Service\\RootSDDL -Value '<SDDL>'`.
    ```winrm-config
    Service
        RootSDDL = O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)(A;;GXGR;;;S-1-5-32-580)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)
        MaxConcurrentOperations = 4294967295
    ```
    """
    setting = host.get(ROOT_SDDL)
    if setting is None or not isinstance(setting.value, str):
        return
    sddl = setting.value
    text = split_sddl(sddl).get("D")
    if text is None:
        return
    dacl = parse_dacl(text)
    cut = cut_short(setting)
    if dacl.null:
        yield ctx.finding(
            host,
            setting,
            "Service `RootSDDL` has a NULL DACL (`D:NO_ACCESS_CONTROL`): everyone has full access; "
            f"expected a DACL such as `D:{DEFAULT_DACL}`",
            fix=remedy(setting, without(sddl, dacl, [])),
            key="NO_ACCESS_CONTROL",
        )
        return
    grants = broad_grants(dacl)
    dropped = [ace for aces, _ in grants.values() for ace in aces]
    fix = (
        "remove the ACEs above from the DACL (the value shown was cut short: read it in full first)"
        if cut
        else remedy(setting, without(sddl, dacl, dropped))
    )
    for group, (aces, _) in sorted(grants.items()):
        yield ctx.finding(
            host,
            setting,
            f"Service `RootSDDL` gives {BROAD[group][1]} access with "
            f"{', '.join(f'`{a.text}`' for a in aces)}; expected access for Administrators (`BA`) "
            "and named groups only",
            fix=fix,
            key=group,
        )
