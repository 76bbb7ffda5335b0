"""WRM9xx, "connection paths": the SARIF rules of pairwise predictions (connection-model §8.3).

Host rules judge one host and fleet rules the set; these judge one attempt between two hosts, so
they are not in the host rule registry: each prediction maps to one of them by its outcome's row.
Levels: a fail of high confidence is `error`, a likely one `warning`, *depends* `note`.
"""

from __future__ import annotations

from dataclasses import dataclass

from winrmlint.rules.base import AUTH, ENTRA, INSTALL, SPN, TROUBLE, Doc

CONNECTION_MODEL = Doc(
    "winrmlint: predicting a connection", "https://github.com/winrmlint/winrmlint/blob/main/docs/connect-rules.md"
)


@dataclass(frozen=True)
class ConnectRule:
    code: str
    name: str
    level: str
    summary: str
    rows: tuple[str, ...]  # the outcome rows (O1…O44) it reports
    fires: str
    doc: Doc

    @property
    def help_markdown(self) -> str:
        rows = ", ".join(self.rows) if self.rows else "—"
        return (f"{self.summary}\n\n## When it fires\n{self.fires}\n\n## Outcomes\n{rows} "
                f"(see docs/outcomes.md)\n\n## References\n- [{self.doc.title}]({self.doc.uri})")


def _rows(first: int, last: int, *extra: int, skip: tuple[int, ...] = ()) -> tuple[str, ...]:
    return tuple(f"O{n}" for n in (*range(first, last + 1), *extra) if n not in skip)


CONNECT_RULES: tuple[ConnectRule, ...] = (
    ConnectRule("WRM900", "connection-predicted", "note", "The attempt is predicted to succeed, given its assumptions.", (),
                "`--include-passes`: a `succeeds_if` prediction, written as a result of kind `pass`.", CONNECTION_MODEL),
    ConnectRule("WRM901", "connection-refused-by-client-policy", "error",
                "The client refuses the attempt before a packet is sent: its parameters, mechanism, TrustedHosts or encryption policy.",
                _rows(1, 23, skip=(17, 18)),
                "A parameter check (step 2), the client's allowed mechanisms (4), the TrustedHosts gate (5) or the "
                "encryption gate (6) fails for the attempt as typed.", TROUBLE),
    ConnectRule("WRM902", "kerberos-will-fail", "error", "Kerberos authentication will fail: the SPN, the account or the logon session.",
                _rows(25, 29), "The SPN the client asks for is on another account or on none, the credentials are not a domain "
                "account, the Entra-only logon has no usable session, or Negotiate ends in NTLM to an untrusted host.", SPN),
    ConnectRule("WRM903", "endpoint-unreachable", "error", "The client cannot reach a WinRM listener for the transport and port it uses.",
                _rows(30, 34, 24, 36), "The name does not resolve, the server's firewall admits no rule for the port, the service is stopped, no enabled listener "
                "serves the transport and port, or remote access is off.", TROUBLE),
    ConnectRule("WRM904", "tls-will-fail", "error", "The server's certificate will be refused.", ("O35",),
                "The certificate does not name the host typed, does not chain to a trusted root, is expired, or cannot be "
                "checked for revocation.", INSTALL),
    ConnectRule("WRM905", "server-rejects-mechanism", "error", "The server does not accept the mechanism the client uses.",
                ("O37", "O38"), "The service's `Auth/<mechanism>` is off, or Basic over HTTP meets `AllowUnencrypted = false`.", AUTH),
    ConnectRule("WRM906", "access-will-be-denied", "error", "The user will be authenticated but refused: \"Access is denied.\"",
                ("O39",), "UAC filters a local administrator's token (LocalAccountTokenFilterPolicy 0), the endpoint denies "
                "NETWORK (Disable-PSRemoting), or the credentials are Entra accounts.", TROUBLE),
    ConnectRule("WRM907", "endpoint-missing-or-closed", "error", "The session configuration or the shell is not available to remote users.",
                ("O41", "O42", "O43"), "The `-ConfigurationName` endpoint is missing or disabled, remote shells are off, or a "
                "RunAs endpoint meets the DisableRunAs policy.", TROUBLE),
    ConnectRule("WRM908", "credssp-delegation-blocked", "error", "CredSSP delegation is not allowed by the client's policy.",
                ("O17", "O18"), "The Allow Delegating Fresh Credentials policy lacks `WSMAN/<name>`, or the server cannot be "
                "verified for CredSSP.", TROUBLE),
    ConnectRule("WRM910", "connection-depends-on-unknown", "note", "The prediction depends on a configuration fact that was not collected.",
                (), "A `depends` prediction: the deciding fact and the one command that collects it are in the message.",
                CONNECTION_MODEL),
    ConnectRule("WRM911", "connection-succeeds-unauthenticated", "warning",
                "The attempt would succeed without authenticating the server: NTLM to a TrustedHosts entry over HTTP, or Basic over HTTP.",
                (), "A `succeeds_if` or `depends` prediction whose server identity rests on TrustedHosts alone, or whose "
                "credentials cross HTTP unencrypted.", ENTRA),
)
BY_CODE = {r.code: r for r in CONNECT_RULES}
_BY_ROW = {row: r for r in CONNECT_RULES for row in r.rows}


def rule_for_row(row: str) -> ConnectRule:
    return _BY_ROW.get(row, BY_CODE["WRM901"])


_INPUTS = {
    "WRM900": "both bundles", "WRM901": "client config, join state, TrustedHosts, the command",
    "WRM902": "setspn (either host or the fleet root), join state, client spn_prefix",
    "WRM903": "server service state, listeners, firewall rules, network profile, client DefaultPorts",
    "WRM904": "server listeners (certificates: see depends)", "WRM905": "server config", "WRM906": "session configurations, LATFP, the credential kind",
    "WRM907": "session configurations, Winrs, DisableRunAs policy", "WRM908": "the CredentialsDelegation policy (not collected: depends)",
    "WRM910": "whatever was not collected", "WRM911": "client TrustedHosts, AllowUnencrypted, the command",
}


def catalog_markdown() -> str:
    """docs/connect-rules.md: the WRM9xx rules in the rule catalog's shape, from this table."""
    lines = [
        "# winrmlint connection rules (WRM9xx)",
        "",
        "Generated from `src/winrmlint/connect/rules.py`; do not edit by hand (`pytest --update-goldens`).",
        "",
        "`winrmlint connect` judges one attempt between two hosts. Each prediction that fails, depends, or",
        "succeeds without authenticating the server is one SARIF result under one of these rules; its",
        "outcome row (O1…O44 of `docs/outcomes.md`, the table `winrmlint.outcomes` holds) names the error.",
        "A fail of high confidence is `error`, a likely one `warning`, a *depends* `note`.",
        "",
        "| code | name | level | sec | inputs | fires when | outcomes / doc |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in CONNECT_RULES:
        rows = ", ".join(r.rows) or "—"
        lines.append(f"| {r.code} | {r.name} | {r.level} | | {_INPUTS[r.code]} | {r.fires} | {rows}; [{r.doc.title}]({r.doc.uri}) |")
    return "\n".join(lines) + "\n"
