"""Every default condition of a stream names its source; where the sources are silent there is none."""

from __future__ import annotations

import inspect
import re
from decimal import Decimal

import pytest

from grants.domain.calendar import FinancialYear
from grants.domain.conditions import FundConditions
from grants.domain.streams import STREAMS, Stream, stream_for


def _branches() -> list[str]:
    """The source of each ``if`` branch of ``Stream.default_conditions`` that returns conditions."""
    source = inspect.getsource(Stream.default_conditions)
    return [part for part in re.split(r"\n\s*if ", source)[1:] if "FundConditions(" in part]


def test_every_branch_that_sets_a_condition_cites_its_source() -> None:
    branches = _branches()
    assert len(branches) >= 5
    for branch in branches:
        arguments = branch.split("FundConditions(", 1)[1].split(")", 1)[0].strip()
        if arguments:
            assert "docs/domain.md §" in branch, f"no source for: {branch.splitlines()[0]}"


@pytest.mark.parametrize("code", sorted(STREAMS))
@pytest.mark.parametrize("year", ["2017/18", "2026/27"])
def test_no_stream_has_an_invented_cap(code: str, year: str) -> None:
    conditions = STREAMS[code].default_conditions(FinancialYear.parse(year))
    assert conditions.per_grant_cap in (None, Decimal("10000.00"))
    if conditions.per_grant_cap is not None:
        assert code == "CSF", "the only cap the sources give: the Commissioner's Safety Fund's £10k"


def test_people_zone_is_judged_by_its_themes_not_the_partnerships_priorities_or_a_profile() -> None:
    conditions = stream_for("PZ-BF").default_conditions(FinancialYear(2026))
    assert conditions.per_grant_cap is None
    assert conditions.eligible_areas == ("NL65",) and len(conditions.eligible_themes) == 4
    assert not conditions.priorities_apply and not conditions.profile_expected


def test_a_priority_is_required_on_the_locality_fund_from_2023_24() -> None:
    assert not stream_for("PLF").default_conditions(FinancialYear(2017)).strategic_priority_required
    assert stream_for("PLF").default_conditions(FinancialYear(2023)).strategic_priority_required


def test_an_unknown_stream_has_no_conditions_and_safer_streets_has_its_funder() -> None:
    assert stream_for("XYZ").default_conditions(FinancialYear(2026)) == FundConditions()
    assert stream_for("SS").funder == "Home Office"
