"""The Gherkin specification covers every rule: one Scenario Outline per code, with tagged Examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_bdd.parser import FeatureParser

from rules.registry import REGISTRY

FEATURES = Path(__file__).resolve().parents[2] / "features"
FILES = {
    "ALC": "allocation.feature",
    "SPD": "spending.feature",
    "PRF": "profile.feature",
    "CHG": "changes.feature",
    "EVD": "evidence.feature",
    "RPT": "reporting.feature",
    "DAT": "data.feature",
}
WORKFLOWS = {"returns.feature", "funder.feature"}  # behaviour beside the rules: the return's workflow, the funder's


@pytest.mark.parametrize("code", REGISTRY.codes)
def test_each_rule_has_an_outline_with_breach_and_within_tolerance_examples(code: str) -> None:
    feature = FeatureParser(str(FEATURES), FILES[code[:3]]).parse()
    outlines = [s for name, s in feature.scenarios.items() if name.startswith(f"{code} ") and s.examples]
    assert len(outlines) == 1, f"{code}: expected one Scenario Outline named '{code} ...'"
    verdicts: dict[str, set[str]] = {"breach": set(), "within_tolerance": set()}
    for examples in outlines[0].examples:
        tags = examples.tags & set(verdicts)
        assert len(tags) == 1, f"{code}: each Examples table is tagged @breach or @within_tolerance"
        verdicts[tags.pop()].update(row["verdict"] for row in examples.as_contexts())
    assert verdicts == {"breach": {"raised"}, "within_tolerance": {"not raised"}}


def test_one_feature_file_per_family() -> None:
    rules = [path.name for path in FEATURES.glob("*.feature") if path.name not in WORKFLOWS]
    assert sorted(rules) == sorted(FILES.values())
