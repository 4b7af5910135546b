from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from grants.domain.conditions import FundConditions
from grants.domain.enums import MatchKind
from grants.domain.models import BudgetLine, Fund, MatchContribution, Spend, Virement


def test_a_fraction_of_a_penny_is_refused_on_any_amount() -> None:
    with pytest.raises(ValidationError, match="fraction of a penny"):
        BudgetLine(fund_id=1, description="Mediation", allocated=Decimal("5000.001"))


def test_a_fund_year_is_normalised_and_its_period_must_run_forward() -> None:
    fund = Fund(
        code="PLF", name="PLF", partnership_id=1, year="2017-18", starts=date(2017, 4, 1), ends=date(2018, 3, 31)
    )
    assert fund.year == "2017/18"
    with pytest.raises(ValidationError, match="ends"):
        Fund(code="PLF", name="PLF", partnership_id=1, year="2017/18", starts=date(2018, 4, 1), ends=date(2017, 3, 31))


def test_in_kind_match_is_valued_at_hours_times_rate_to_the_penny() -> None:
    match = MatchContribution(
        fund_id=1,
        kind=MatchKind.IN_KIND,
        contributed_on=date(2023, 9, 30),
        hours=Decimal("7.5"),
        hourly_rate=Decimal("33.33"),
    )
    assert match.value == Decimal("249.98")
    with pytest.raises(ValidationError, match="hours"):
        MatchContribution(fund_id=1, kind=MatchKind.IN_KIND, contributed_on=date(2023, 9, 30))


def test_spend_is_positive_and_a_virement_moves_money_between_two_lines() -> None:
    with pytest.raises(ValidationError, match="refund"):
        Spend(line_id=1, spent_on=date(2023, 5, 1), amount=Decimal("-10"))
    with pytest.raises(ValidationError, match="different lines"):
        Virement(fund_id=1, from_line_id=2, to_line_id=2, amount=Decimal("10"), moved_on=date(2023, 5, 1))


def test_conditions_bounds_are_enforced() -> None:
    with pytest.raises(ValidationError):
        FundConditions(match_share=Decimal("1.5"))
    with pytest.raises(ValidationError):
        FundConditions(return_due_days=-1)
