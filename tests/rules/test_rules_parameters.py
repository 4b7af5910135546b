"""Each rule's parameters are bounded: pydantic refuses values out of range, and the runner passes that on."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from rules.frames import LedgerFrames
from rules.registry import REGISTRY
from rules.runner import run_rules

OUT_OF_RANGE: dict[str, dict[str, Any]] = {
    "ALC001": {"tolerance": "-0.01"},
    "ALC002": {"deadline_quarter": 5},
    "ALC003": {"min_allocated": "-1"},
    "ALC004": {"error_fund_codes": tuple(f"F{n}" for n in range(51))},
    "ALC005": {"cap_tolerance": "0.001"},
    "ALC006": {"min_allocated": "1000000000.01"},
    "SPD001": {"tolerance": "-5"},
    "SPD002": {"tolerance": "-0.01"},
    "SPD003": {"tolerance": 1.5},
    "SPD004": {"default_share": 1.01},
    "SPD005": {"split_marker": ""},
    "PRF001": {"amber": -0.1},
    "PRF002": {"tolerance": 11},
    "PRF003": {"after_quarter": 0},
    "PRF004": {"tolerance": 2},
    "PRF005": {"min_allocated": "-0.01"},
    "PRF006": {"tolerance": "-0.01"},
    "CHG001": {"threshold": 1.1},
    "EVD001": {"min_share": 1.5},
    "EVD002": {"grace_days": -1},
    "EVD003": {"default_cadence_days": 0},
    "RPT001": {"window_days": 367},
    "RPT002": {"blocking_severity": "info"},
    "RPT003": {"window_days": 0},
    "DAT001": {"tolerance": "-0.01"},
    "DAT002": {"min_allocated": "-1"},
    "DAT003": {"tolerance": "-1"},
    "DAT004": {"max_age_days": 0},
}


def test_every_rule_has_an_out_of_range_case() -> None:
    assert set(OUT_OF_RANGE) == set(REGISTRY.codes)


@pytest.mark.parametrize("code", sorted(OUT_OF_RANGE))
def test_out_of_range_parameters_are_refused(code: str) -> None:
    with pytest.raises(ValidationError):
        REGISTRY[code].parameters(OUT_OF_RANGE[code])


@pytest.mark.parametrize("code", sorted(OUT_OF_RANGE))
def test_unknown_parameter_names_are_refused(code: str) -> None:
    with pytest.raises(ValidationError):
        REGISTRY[code].parameters({"no_such_parameter": 1})


def test_behind_profile_refuses_red_below_amber() -> None:
    with pytest.raises(ValidationError, match="red threshold"):
        REGISTRY["PRF001"].parameters({"amber": 0.3, "red": 0.2})


def test_parameters_within_range_are_accepted() -> None:
    params = REGISTRY["PRF001"].parameters({"amber": 0.05, "red": 0.5})
    assert (params.amber, params.red) == (0.05, 0.5)


def test_the_runner_refuses_bad_parameters_rather_than_hiding_them() -> None:
    with pytest.raises(ValidationError):
        run_rules(LedgerFrames.empty(), as_at=date(2024, 1, 1), params={"DAT004": {"max_age_days": 0}})


def test_the_runner_refuses_parameters_for_an_unknown_rule() -> None:
    with pytest.raises(KeyError, match="XYZ999"):
        run_rules(LedgerFrames.empty(), as_at=date(2024, 1, 1), params={"XYZ999": {}})
