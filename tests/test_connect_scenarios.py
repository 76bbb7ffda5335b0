"""Scenario fixtures: client bundle, server bundle, the command typed, the expected verdict and code.

fixtures/connect/scenarios.json pins one scenario per decidable outcome row implemented, a
succeeds_if and a depends per step family, and near-misses that look broken and succeed. Each
expectation was checked by hand against connection-model.md (§3, §4, §6) before it was pinned;
`--update-goldens` rewrites them from the current predictions, to be read before committing.
"""

from __future__ import annotations

import json
import shlex
from functools import cache
from pathlib import Path

import pytest

from winrmlint import outcomes
from winrmlint.connect import errors
from winrmlint.connect.attempt import parse_command
from winrmlint.connect.load import Fleet, load
from winrmlint.connect.predict import DEPENDS, FAILS, SUCCEEDS_IF, Prediction, predict

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "fixtures" / "connect" / "scenarios.json"
DATA = json.loads(TABLE.read_text(encoding="utf-8"))
SCENARIOS = DATA["scenarios"]


@cache
def fleet(name: str) -> Fleet:
    return load([], str(ROOT / DATA["fleets"][name]))


def run(case: dict) -> Prediction:
    f = fleet(case["fleet"])
    attempt = parse_command(shlex.split(case["command"], posix=False))[0]
    return predict(attempt, f.client(f.find(case["client"])), f.server(f.find(case["server"])), f.env)


def observed(p: Prediction) -> dict:
    found: dict = {"verdict": p.verdict}
    if p.first is not None:
        row = errors.outcome(p.first.outcome)
        found.update(outcome=row.id, row=row.row, code=row.code or None, blocking=[errors.outcome(j.outcome).row for j in p.blocking])
    if p.unknown:
        found["not_evaluated"] = [j.step for j in p.unknown]
    return found


@pytest.mark.parametrize("case", SCENARIOS, ids=[c["id"] for c in SCENARIOS])
def test_scenario(case: dict, update_goldens: bool) -> None:
    p = run(case)
    got = observed(p)
    if update_goldens:
        case.update({k: v for k, v in got.items()})
        for key in ("outcome", "row", "code", "blocking", "not_evaluated"):
            if key not in got:
                case.pop(key, None)
        TABLE.write_text(json.dumps(DATA, indent=2) + "\n", encoding="utf-8")
        return
    expected = {k: case[k] for k in ("verdict", "outcome", "row", "code", "blocking", "not_evaluated") if k in case}
    assert got == expected
    # the error shown is the outcome table's text, wrapped as PowerShell prints it
    if p.verdict == FAILS:
        shown = errors.shown(p.first.outcome, p.first.params, p.attempt, p.plan.port)  # type: ignore[union-attr, arg-type]
        assert outcomes.BY_ID[case["outcome"]].code == (case["code"] or "")
        if shown.outcome.connecting:
            assert "failed with the following error message" in shown.rendered
        assert all(j.evidence or j.outcome in _NO_LINE for j in p.blocking), "every blocking condition points at a line"
    if p.verdict == SUCCEEDS_IF:
        assert p.assumptions, "never a bare success"
    if p.verdict == DEPENDS:
        assert all(j.fact and j.collect for j in p.unknown)


# outcomes that a command line alone causes, with no line in either dump behind them
_NO_LINE = {"certificate-with-mechanism", "certificate-over-http", "basic-digest-need-credentials", "credssp-needs-credentials",
            "implicit-credentials-need-https", "spn-port-needs-kerberos", "kerberos-with-ip-address", "kerberos-to-localhost",
            "unencrypted-flag-over-https", "proxy-with-http", "proxy-with-kerberos", "proxy-with-credssp", "mechanism-not-supported"}


def test_the_table_covers_rows_families_and_near_misses() -> None:
    rows = {c["row"] for c in SCENARIOS if c["verdict"] == FAILS}
    implemented = {"O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8", "O9", "O10", "O11", "O12", "O13", "O14", "O15", "O16", "O17", "O18",
                   "O19", "O20", "O21", "O22", "O23", "O24", "O25", "O26", "O27", "O28", "O29", "O30", "O31", "O33", "O34", "O35", "O36", "O37",
                   "O38", "O39", "O41", "O42", "O43"}
    assert implemented <= rows
    assert sum(c["verdict"] == SUCCEEDS_IF for c in SCENARIOS) >= 8
    assert sum(c["verdict"] == DEPENDS for c in SCENARIOS) >= 5
    assert sum("near-miss" in c["why"] for c in SCENARIOS) >= 8


def test_cascade_of_the_entra_only_client_follows_the_documented_chain() -> None:
    """[SA-ENTRA]: O1, then with TrustedHosts set O28, then with spn_prefix HOST the PKU2U question."""
    case = next(c for c in SCENARIOS if c["id"] == "entra-client-http")
    p = run(case)
    assert [c.outcome for c in p.cascade][:1] == ["logon-session-missing"]
    assert p.cascade[-1].verdict == DEPENDS and "PKU2U" in p.cascade[-1].message


def test_cascade_of_a_domain_client_to_a_workgroup_node() -> None:
    """[OBS-ZHTW]: O25; with TrustedHosts and a local account, O39 unless LATFP or the built-in account."""
    p = run(next(c for c in SCENARIOS if c["id"] == "workgroup-target-by-name"))
    assert p.cascade[0].outcome == "access-denied"


def test_spn_pair_names_the_short_name_that_works() -> None:
    p = run(next(c for c in SCENARIOS if c["id"] == "spn-fqdn-on-service-account"))
    assert p.plan.spn == "HTTP/web01.corp.contoso.com"
    assert any("-ComputerName web01 (short name) succeeds if" in n for n in p.notes)
    assert p.blocking[0].evidence[0].location.uri.endswith("fleet/setspn-http.txt")
    assert p.cascade and p.cascade[0].verdict == SUCCEEDS_IF and p.cascade[0].fix.startswith("setspn -D")


def test_local_credentials_under_kerberos_name_the_alternative() -> None:
    p = run(next(c for c in SCENARIOS if c["id"] == "local-credentials-kerberos"))
    assert p.first is not None and p.first.params["alternative"] == "logon-session-missing"


def test_gpo_sourced_trusted_hosts_is_fixed_in_the_gpo() -> None:
    f = fleet("fleet")
    attempt = parse_command(["icm", "-cn", "10.0.0.23", "{", "1", "}"])[0]
    p = predict(attempt, f.client(f.find("JUMP01")), f.server(f.find("NAS03")), f.env)
    assert p.first is not None and p.first.outcome == "cannot-use-ip-address"
    assert any("Group Policy" in fix for fix in p.fixes)


def test_a_certificate_cut_by_the_console_names_what_it_names_as_unknown(tmp_path: Path) -> None:
    # the Subject cut inside its CN, no DnsNameList: whether it names the server is not known, not false
    import shutil

    edge = tmp_path / "edge"
    shutil.copytree(ROOT / DATA["fleets"]["edge"], edge)
    certs = edge / "TLS17" / "certificates.txt"
    text = certs.read_text(encoding="utf-8")
    text = text.replace("Subject              : CN=tls17.corp.contoso.com\n", "Subject              : CN=tls17.corp.cont...\n", 1)
    text = text.replace("DnsNameList          : {tls17.corp.contoso.com}\n", "", 1)
    certs.write_text(text, encoding="utf-8")
    f = load([], str(edge))
    attempt = parse_command(shlex.split("etsn tls17.corp.contoso.com -UseSSL", posix=False))[0]
    p = predict(attempt, f.client(f.find("WSMANCL05")), f.server(f.find("TLS17")), f.env)
    assert "tls-certificate-rejected" not in {j.outcome for j in p.blocking}
    assert "12" in [j.step for j in p.unknown]
    assert any("cut in the dump" in j.message for j in p.unknown if j.step == "12")
