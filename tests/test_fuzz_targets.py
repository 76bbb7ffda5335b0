"""The discovery and output fuzz targets (fuzz/), a few dozen examples each, on every CI run.

`python fuzz/fuzz_discovery.py --hypothesis N` and `python fuzz/fuzz_output.py --hypothesis N`
run the same properties for as long as one wants (fuzz/README.md records the campaigns).
"""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fuzz"))

import fuzz_discovery  # noqa: E402
import fuzz_output  # noqa: E402

FEW = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


@FEW
@given(fuzz_discovery.fleet_plans())
def test_every_host_of_a_random_fleet_is_linted_once_or_named_as_left_out(plan: fuzz_discovery.FleetPlan) -> None:
    fuzz_discovery.check(plan)


@FEW
@given(fuzz_output.findings(fuzz_output.base_run().hosts[0].host.bundle))
def test_hostile_text_in_every_field_of_a_finding_leaves_every_format_valid(made: list) -> None:
    fuzz_output.check_findings(made)


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(fuzz_output.bundles())
def test_hostile_names_values_manifests_and_baselines_leave_every_format_valid(plan: dict) -> None:
    fuzz_output.check_bundle(plan)
