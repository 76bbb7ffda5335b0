"""Scenarios of issue 3 (identity: SPNs, join state): whole fleets linted with every rule, pinned as SARIF.

Each `fixtures/scenarios/<name>/` holds one folder per host bundle and `expected.json`. The
run is what `winrmlint lint <host folders> --format sarif` prints from inside the scenario folder,
so URIs are relative. The golden pins the results only (codes, levels, locations, messages,
fingerprints, fixes): the rules' metadata is pinned once, in `fixtures/rules/rules.sarif.json`,
and a scenario's golden changes when its findings change, not when a rule's help is edited. The tests below then say in words which findings each scenario is about.
"""

from __future__ import annotations

import os

import pytest

from conftest import FIXTURES, assert_valid_sarif
from golden import check_golden
from winrmlint import engine
from winrmlint.engine import RunResult
from winrmlint.findings import Finding
from winrmlint.output import sarif
from winrmlint.rules import BY_CODE

SCENARIOS = FIXTURES / "scenarios"
NAMES = sorted(p.name for p in SCENARIOS.iterdir() if p.is_dir())


def lint_scenario(name: str) -> RunResult:
    """Lint every host folder of a scenario in one run (all rules), from inside the scenario folder."""
    folder = SCENARIOS / name
    hosts = sorted(p.name for p in folder.iterdir() if p.is_dir())
    here = os.getcwd()
    os.chdir(folder)
    try:
        return engine.lint(hosts)
    finally:
        os.chdir(here)


def pinned(doc: dict) -> dict:
    """The run's results without `ruleIndex` (it numbers the metadata, pinned elsewhere)."""
    return {"results": [{k: v for k, v in r.items() if k != "ruleIndex"} for r in doc["runs"][0]["results"]]}


def codes(run: RunResult) -> set[str]:
    return {f.code for f in run.findings}


def found(run: RunResult, code: str) -> list[Finding]:
    return [f for f in run.findings if f.code == code]


@pytest.mark.parametrize("name", NAMES)
def test_scenario_is_pinned_as_sarif(name: str, update_goldens: bool) -> None:
    doc = sarif.document(lint_scenario(name))
    assert_valid_sarif(doc)
    check_golden(SCENARIOS / name / "expected.json", pinned(doc), update_goldens)


def test_every_scenario_folder_has_host_bundles() -> None:
    for name in NAMES:
        assert [p for p in (SCENARIOS / name).iterdir() if p.is_dir()], f"{name} has no host folder"


def test_entra_only_client_needs_trusted_hosts_and_the_host_prefix() -> None:
    # entra-only-joined-remote-session.md: both causes at once on an Entra-only joined client
    run = lint_scenario("entra-only-client")
    (trust,) = found(run, "WRM303")
    assert trust.host == "CLIENT01" and trust.path == "winrm/config/client/TrustedHosts"
    (prefix,) = found(run, "WRM404")
    assert prefix.host == "CLIENT01" and prefix.location.uri == "client01/wsman-client.reg"
    assert "HOST" in prefix.fix


def test_entra_only_client_fixed_as_documented_is_quiet() -> None:
    # TrustedHosts `*.contoso.com` and spn_prefix HOST, the two resolutions of the document
    run = lint_scenario("entra-only-client-fixed")
    assert not codes(run) & {"WRM301", "WRM303", "WRM404", "WRM405"}


def test_http_spn_on_a_service_account_breaks_kerberos_to_web01() -> None:
    run = lint_scenario("spn-service-account")
    (stray,) = found(run, "WRM401")
    assert stray.host == "WEB01"
    assert stray.path == "spn/HTTP/web01.corp.contoso.com"
    assert "CN=svc-webapp," in stray.message and "0x80090322" in stray.message
    assert not codes(run) & {"WRM402", "WRM403"}


@pytest.mark.parametrize(
    "name",
    [
        "spn-fixed-removed",  # Option 1: `setspn -D` on the service account, `setspn -Q` finds no one
        # Option 2: `HTTP/web01:5985` and the FQDN with port on WEB01, the stray HTTP/ left in place:
        # WRM401 stays quiet, clients must connect with -IncludePortInSPN (see WRM401's docs)
        "spn-fixed-port",
        # Option 3: the admin workstation asks for WSMAN/ SPNs, which WEB01's account holds
        "spn-fixed-wsman-prefix",
    ],
)
def test_each_documented_spn_resolution_is_quiet(name: str) -> None:
    run = lint_scenario(name)
    assert not codes(run) & {"WRM401", "WRM402", "WRM403", "WRM405"}


def test_workgroup_host_with_token_filter_gets_the_note() -> None:
    run = lint_scenario("workgroup-latfp-0")
    (note,) = found(run, "WRM604")
    assert note.host == "DMZ-WEB05" and note.level.value == "note"
    assert "WRM601" not in codes(run)


def test_workgroup_host_without_token_filter_is_the_other_side() -> None:
    run = lint_scenario("workgroup-latfp-1")
    assert "WRM604" not in codes(run)
    if "WRM601" in BY_CODE:  # WRM601 (local-account-token-filter-policy) is another rule's module
        assert [f.host for f in found(run, "WRM601")] == ["DMZ-WEB06"]


def test_scenarios_are_real_shape_dumps() -> None:
    # every file is recognised and read: a scenario that trips WRM001 pins nothing useful
    for name in NAMES:
        run = lint_scenario(name)
        assert "WRM001" not in codes(run), name
        for host in run.hosts:
            assert all(f.error is None for f in host.host.files), name
