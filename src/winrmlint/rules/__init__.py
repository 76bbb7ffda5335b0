"""The rule registry: an explicit tuple, sorted by code (a test checks it against the modules)."""

from __future__ import annotations

from winrmlint.rules import inputs, transport
from winrmlint.rules.base import Rule

RULES: tuple[Rule, ...] = (
    inputs.input_unreadable,
    transport.client_allow_unencrypted,
    transport.service_allow_unencrypted,
)

BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}
