"""LedgerFrames: one schema for the SQL loader and the builder; spends aggregated exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from grants.domain.enums import SpendKind
from grants.domain.models import MatchContribution
from rules.frames import SCHEMA, LedgerFrames, conform, match_value_pence
from tests.support.ledger import LedgerBuilder


def test_empty_frames_have_every_column_of_the_schema() -> None:
    frames = LedgerFrames.empty()
    for name, schema in SCHEMA.items():
        assert list(frames.frame(name).columns) == list(schema)
    assert frames.names() == tuple(SCHEMA)


def test_a_frame_missing_columns_is_refused() -> None:
    with pytest.raises(ValueError, match="lacks columns"):
        conform("lines", pd.DataFrame({"line_id": [1]}))
    with pytest.raises(ValueError, match="unknown ledger frames"):
        LedgerFrames.build({"budgets": pd.DataFrame()})


def test_spends_are_grouped_by_month_and_position_against_a_fund_starting_mid_month() -> None:
    ledger = LedgerBuilder()
    ledger.fund("SS4", "2022/23", "100000", starts=date(2022, 10, 15), ends=date(2023, 9, 30))
    gates = ledger.line("Alley gates", "20000", capital_revenue="capital")
    ledger.spend(gates, date(2022, 10, 3), "100")  # before the grant started, same month
    ledger.spend(gates, date(2022, 10, 20), "200")
    ledger.spend(gates, date(2022, 10, 21), "300")
    ledger.spend(gates, date(2022, 10, 22), "50", kind=SpendKind.REFUND, capital_revenue="revenue")
    spends = ledger.frames().spends
    rows = {(row.kind, row.capital_revenue, row.position): (row.amount_pence, row.count) for row in spends.itertuples()}
    assert rows == {
        ("payment", "capital", "before"): (100_00, 1),
        ("payment", "capital", "during"): (500_00, 2),
        ("refund", "revenue", "during"): (50_00, 1),
    }
    assert set(spends["month"]) == {pd.Timestamp(2022, 10, 1)}


def test_frames_as_at_a_date_leave_out_later_records() -> None:
    ledger = LedgerBuilder()
    ledger.fund("PLF", "2017/18", "75500")
    line = ledger.line("Mediation", "5000")
    ledger.spend(line, date(2017, 10, 26), "10")
    ledger.spend(line, date(2017, 10, 27), "20")
    ledger.receipt("75500", date(2017, 11, 1))
    frames = ledger.frames(as_at=date(2017, 10, 26))
    assert frames.spends["amount_pence"].sum() == 10_00
    assert frames.receipts.empty
    assert frames.as_at == date(2017, 10, 26)


@pytest.mark.parametrize(("hours", "rate"), [("2.5", "30.01"), ("2.5", "30.03"), ("10.5", "25.50"), ("0.01", "0.50")])
def test_in_kind_match_is_valued_as_the_domain_model_values_it(hours: str, rate: str) -> None:
    model = MatchContribution(
        fund_id=1, kind="in_kind", contributed_on=date(2023, 6, 1), hours=Decimal(hours), hourly_rate=Decimal(rate)
    )
    value = match_value_pence(
        pd.Series(["in_kind"]),
        pd.Series([0]),
        pd.Series([int(Decimal(hours) * 100)]),
        pd.Series([int(Decimal(rate) * 100)]),
    )
    assert value.tolist() == [int(model.value * 100)]
