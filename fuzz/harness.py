"""What the fuzz targets share: a hypothesis campaign of a property, and the same property as an
atheris (libFuzzer) target, both without hypothesis's deadline, health checks or example database."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def campaign(strategy: Any, check: Callable[[Any], None], examples: int) -> int:
    """Run `check` on `examples` draws of `strategy`; returns how many ran (it raises on the first failure)."""
    from hypothesis import HealthCheck, given, settings

    count = 0

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(example: Any) -> None:
        nonlocal count
        count += 1
        check(example)

    run()
    return count


def atheris_main(strategy: Any, check: Callable[[Any], None]) -> None:
    """libFuzzer drives the draws of `strategy` (coverage-guided): `python fuzz/fuzz_x.py [libFuzzer flags]`."""
    import atheris
    from hypothesis import HealthCheck, given, settings

    @settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def target(example: Any) -> None:
        check(example)

    atheris.Setup(sys.argv, target.hypothesis.fuzz_one_input)
    atheris.Fuzz()
