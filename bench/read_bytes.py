"""The floor of a fleet run: list a fleet's files and read every byte, in one Python process.

Run: python bench/read_bytes.py FLEET_FOLDER
"""

from __future__ import annotations

import os
import sys


def read_all(root: str) -> int:
    total = 0
    for folder, _, files in os.walk(root):
        for name in files:
            with open(os.path.join(folder, name), "rb") as handle:
                total += len(handle.read())
    return total


if __name__ == "__main__":
    print(read_all(sys.argv[1]))
