"""Shards of a fleet (`--shard K/N`): a bundle belongs to one shard, by a stable hash of its path.

The hash is of the bundle's path as reports show it (relative to the folder winrmlint runs in),
so every machine of a CI matrix that lints the same checkout from its root picks the same hosts,
whatever its file system's listing order, Python's hash seed or the number of bundles.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based) of `count`."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`K/N` with 1 <= K <= N; raises ValueError otherwise."""
        k, slash, n = text.partition("/")
        if not slash or not k.strip().isdecimal() or not n.strip().isdecimal():
            raise ValueError(f"--shard takes K/N (such as 1/4), not {text!r}")
        shard = cls(int(k), int(n))
        if not 1 <= shard.index <= shard.count:
            raise ValueError(f"--shard {text}: K must be between 1 and N")
        return shard

    def holds(self, bundle_root: str) -> bool:
        digest = hashlib.sha256(bundle_root.encode("utf-8", "surrogatepass")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1
