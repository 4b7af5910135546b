"""How fast the Overview reruns once warm (every click reruns the page): median of five AppTest reruns.

Run ``.venv/bin/pytest tests/ui/test_overview_speed.py -q -p no:xdist -s`` to print the figures.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from grants.domain.enums import Role
from tests.ui.conftest import no_exceptions

WARM_BUDGET_SECONDS = 1.0  # generous: about 0.07 s on a developer machine; catches a lost cache, not noise


@pytest.mark.slow
@pytest.mark.parametrize("role", [Role.MANAGER, Role.VIEWER])
def test_the_overview_reruns_quickly_once_warm(app_as: Callable[..., AppTest], role: Role) -> None:
    at = app_as(role)  # the cold run fills the caches
    no_exceptions(at)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - started)
        no_exceptions(at)
    median = statistics.median(timings)
    print(
        f"\nOverview warm rerun as {role.value}: median {median * 1000:.0f} ms of {[round(t * 1000) for t in timings]}"
    )
    assert median < WARM_BUDGET_SECONDS
