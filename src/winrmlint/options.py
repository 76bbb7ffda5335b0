"""Rule options a site sets in its configuration: policy thresholds the rules read through Context."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase


@dataclass(frozen=True)
class RuleOptions:
    """Frozen and picklable: it travels to worker processes with the rules.

    `floors` maps a quota or timeout name (`MaxShellsPerUser`, any case) to the lowest value the
    site accepts, replacing the Windows default the rules expect otherwise.
    `trusted_hosts_accepted` holds glob patterns of TrustedHosts entries the site has accepted.
    """

    floors: tuple[tuple[str, int], ...] = ()
    trusted_hosts_accepted: tuple[str, ...] = ()

    def floor(self, name: str, default: int) -> int:
        return next((v for k, v in self.floors if k.lower() == name.lower()), default)

    def has_floor(self, name: str) -> bool:
        return any(k.lower() == name.lower() for k, _ in self.floors)

    def accepts_trusted_host(self, entry: str) -> bool:
        """Whether a TrustedHosts entry matches a pattern the site accepts (Windows names ignore case)."""
        low = entry.strip().lower()
        return any(fnmatchcase(low, pattern.lower()) for pattern in self.trusted_hosts_accepted)
