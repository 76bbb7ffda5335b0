"""Session configurations (PowerShell endpoints): their properties and their Permission entries.

`Get-PSSessionConfiguration` shows `Permission` as `<principal> AccessAllowed|AccessDenied, …`
(and `Format-List *` the `SecurityDescriptorSddl` behind it); `Disable-PSRemoting` puts an
`NT AUTHORITY\\NETWORK AccessDenied` entry first (reference §6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from winrmlint.model import paths
from winrmlint.model.host import Host, Setting, cut_short, grouped
from winrmlint.model.sddl import DENY_TYPES, Dacl, parse_dacl, split_sddl

DEFAULT = "Microsoft.PowerShell"
STOCK_32BIT = "Microsoft.PowerShell32"
_ACE = re.compile(r"^(?P<who>.*\S)\s+(?P<kind>AccessAllowed|AccessDenied)$", re.IGNORECASE)  # linear: no lazy `.+?` before `\s+`
_CUT = re.compile(r"(?:\.\.\.|…)\}?$")
# Permission names of the broad groups (reference §6; as Windows prints them in English), by the
# SDDL alias that sddl.BROAD knows them by.
_BROAD_NAMES = {
    "everyone": "WD",
    "nt authority\\authenticated users": "AU",
    "builtin\\users": "BU",
    "nt authority\\anonymous logon": "AN",
    "anonymous logon": "AN",
    "nt authority\\network": "NU",
}
NETWORK = "nt authority\\network"


@dataclass(frozen=True)
class Ace:
    """One `<principal> AccessAllowed|AccessDenied` entry of a Permission string."""

    who: str
    allowed: bool

    @property
    def broad(self) -> str | None:
        low = self.who.lower()
        if low in _BROAD_NAMES:
            return _BROAD_NAMES[low]
        return "DU" if low.endswith("\\domain users") else None

    def __str__(self) -> str:
        return f"{self.who} {'AccessAllowed' if self.allowed else 'AccessDenied'}"


@dataclass(frozen=True)
class SessionConfig:
    """One endpoint of `Get-PSSessionConfiguration`: `sessionconfig/<Name>/<Property>` readings."""

    name: str
    props: dict[str, Setting]

    def prop(self, name: str) -> Setting | None:
        return self.props.get(name.lower())

    @property
    def anchor(self) -> Setting:
        for name in ("Name", "Enabled", "Permission"):
            setting = self.prop(name)
            if setting is not None:
                return setting
        return next(iter(self.props.values()))

    @property
    def permission(self) -> list[Ace]:
        """The entries of `Permission`; the last one is dropped when the console cut the value."""
        setting = self.prop("Permission")
        if setting is None or not isinstance(setting.value, str):
            return []
        text = setting.value
        cut = cut_short(setting) or bool(_CUT.search(text))
        items = [part.strip() for part in text.split(",") if part.strip()]
        if cut and items:
            items = items[:-1]
        aces = []
        for item in items:
            match = _ACE.match(item)
            if match:
                aces.append(Ace(match["who"].strip(), match["kind"].lower() == "accessallowed"))
        return aces

    @property
    def sddl(self) -> str | None:
        setting = self.prop("SecurityDescriptorSddl")
        if setting is None or not isinstance(setting.value, str) or cut_short(setting):
            return None
        return setting.value or None

    @property
    def disabled(self) -> Setting | None:
        """The setting that shows the endpoint refuses remote users: `Enabled` false, or the
        `NT AUTHORITY\\NETWORK AccessDenied` entry `Disable-PSRemoting` puts first."""
        enabled = self.prop("Enabled")
        if enabled is not None and enabled.value is False:
            return enabled
        if any(ace.who.lower() == NETWORK and not ace.allowed for ace in self.permission):
            return self.prop("Permission")
        dacl = self.dacl
        if dacl is not None and any(a.type in DENY_TYPES and a.broad == "NU" for a in dacl.aces):
            return self.prop("SecurityDescriptorSddl")
        return None

    @property
    def dacl(self) -> Dacl | None:
        """The DACL of `SecurityDescriptorSddl` (shown by `Format-List *`), when shown whole."""
        sddl = self.sddl
        text = split_sddl(sddl).get("D") if sddl else None
        return parse_dacl(text) if text is not None else None

    @property
    def architecture(self) -> str | None:
        setting = self.prop("Architecture")
        return str(setting.value).strip() if setting is not None and setting.value is not None else None

    @property
    def is_32bit(self) -> bool:
        arch = self.architecture
        if arch is not None:
            return arch.lower() in {"32", "x86"}
        return self.name.lower() == STOCK_32BIT.lower()


def session_configs(host: Host) -> list[SessionConfig]:
    return [SessionConfig(name, props) for _, (name, props) in sorted(grouped(host, paths.SESSION_CONFIGS).items())]


def find(configs: list[SessionConfig], name: str) -> SessionConfig | None:
    return next((c for c in configs if c.name.lower() == name.lower()), None)


def broad_in_permission(config: SessionConfig) -> dict[str, list[Ace]]:
    """Broad groups an allow entry admits, unless an earlier entry denies the same group."""
    denied: set[str] = set()
    found: dict[str, list[Ace]] = {}
    for ace in config.permission:
        group = ace.broad
        if group is None:
            continue
        if not ace.allowed:
            denied.add(group)
        elif group not in denied:
            found.setdefault(group, []).append(ace)
    return found
