"""The client's decision procedure (connection-model §3) as a table of small, pure checks.

Each check judges one attempt between two capabilities and returns a `Judgement` — pass, fail or
unknown — with its evidence, or None when it does not apply. A failure names its outcome by its id in
`winrmlint.outcomes` (rows O1…O44); the text and codes come from that one table. The order
of the table is §3's; where the closed-source client's order is not documented the step says so
(`inferred`), and the report marks it. The checks live by family: client_checks (steps 2, 4–9),
kerberos (10), reach (11, 12), server_checks (13–16), around judgement.py's types.
"""

from __future__ import annotations

from winrmlint.connect.client_checks import (
    client_allows_mechanism, credssp_delegation, encryption_gate, name_resolution, parameter_checks,
    trust_gate, winhttp_proxy,
)
from winrmlint.connect.kerberos import kerberos
from winrmlint.connect.reach import firewall_admits, listener, remote_access, tls, winrm_service
from winrmlint.connect.server_checks import authorisation, endpoint, server_accepts
from winrmlint.connect.judgement import FAIL, PASS, UNKNOWN, Check, Evidence, Judgement, Pair, Plan, ev

__all__ = ["FAIL", "PASS", "STEPS", "UNKNOWN", "Evidence", "Judgement", "Pair", "Plan", "ev"]

# The decision procedure in §3's order, except within step 11: a firewall that drops the SYN
# times out before anything answers (§6.7), and AllowRemoteAccess is answered by a listener.
STEPS: tuple[Check, ...] = (
    parameter_checks,
    client_allows_mechanism,
    trust_gate,
    encryption_gate,
    credssp_delegation,
    winhttp_proxy,
    name_resolution,
    kerberos,
    firewall_admits,
    winrm_service,
    listener,
    remote_access,
    tls,
    server_accepts,
    authorisation,
    endpoint,
)
