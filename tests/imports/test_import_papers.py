"""Readers for the tables as the papers print them: fund heading rows, several funds, action plans."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from grants.imports import tabular
from grants.imports.budget import read_budget_table
from grants.imports.budget_funds import read_fund_tables
from grants.imports.cells import CellError
from grants.imports.parsed import CellProblem, ImportRejected
from grants.imports.plan import read_action_plans, read_cost
from grants.imports.tabular import MAX_COLUMNS
from tests.imports.conftest import CHARNWOOD_HEADING, CHARNWOOD_LINES, CHARNWOOD_TOTAL
from tests.imports.papers_fixtures import (
    PLAN_HEADING,
    PLAN_MONEY,
    PLAN_ROWS,
    ci_rows,
    plf_rows_with_received,
    stacked_rows,
)

D = Decimal
NAMES = {"partnership locality fund": "PLF", "plf": "PLF", "youth prevention and diversion": "CI001", "ci001": "CI001"}


def namer(text: str) -> str | None:
    key = " ".join(re.sub(r"20\d\d/\d\d", "", text.lower()).split())
    return NAMES.get(key)


def funds(path: Path) -> list:
    return read_fund_tables(path, namer=namer, year="2017/18")


def refused(call: Callable[[], object]) -> list[CellProblem]:
    with pytest.raises(ImportRejected) as caught:
        call()
    return caught.value.problems


# --- a fund heading row ------------------------------------------------------------------------


def test_a_fund_heading_row_with_funding_received_and_blank_allocation_is_the_funds_receipt(
    make_csv: Callable[..., Path],
) -> None:
    table = read_budget_table(make_csv(ci_rows(), name="ci.csv"))
    assert table.funding_received == D("15000.00")
    assert table.funding_received_approximate is True
    assert table.fund_heading == "Youth Prevention and Diversion"
    assert [r.description for r in table.rows] == [
        "Deter Young Offenders mentoring",
        "First-time entrants diversion sessions",
    ]
    assert sum(r.allocated for r in table.rows) == table.total_allocated == D("15000.00")
    assert sum(r.spent or 0 for r in table.rows) == table.total_spent == D("3430.94")
    assert sum(r.balance or 0 for r in table.rows) == table.total_balance == D("11569.06")


def test_the_plf_table_with_its_fund_row_reproduces_its_printed_totals(make_csv: Callable[..., Path]) -> None:
    table = read_budget_table(make_csv(plf_rows_with_received(), name="plf.csv"))
    assert table.funding_received == D("75500.00") and not table.funding_received_approximate
    assert len(table.rows) == 17
    assert sum(r.allocated for r in table.rows) == table.total_allocated == D("75500.00")
    assert sum(r.spent or 0 for r in table.rows) == table.total_spent == D("32533.00")
    assert sum(r.balance or 0 for r in table.rows) == table.total_balance == D("42967.00")


def test_a_second_funding_figure_in_one_table_is_refused(make_csv: Callable[..., Path]) -> None:
    rows = [*ci_rows(), ["Youth Prevention and Diversion", "£16,000", "", "", ""]]
    problems = refused(lambda: read_budget_table(make_csv(rows, name="ci.csv")))
    assert [(p.row, p.column) for p in problems] == [(6, "Funding Received")]
    assert "first is on row 2" in problems[0].reason


# --- several funds in one file -------------------------------------------------------------------


def test_one_sheet_per_fund_each_table_to_its_fund(make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx(sheets={"PLF": plf_rows_with_received(), "Youth Prevention and Diversion": ci_rows()})
    found = funds(path)
    assert [(f.fund.code, f.sheet) for f in found] == [("PLF", "PLF"), ("CI001", "Youth Prevention and Diversion")]
    plf, ci = (f.table for f in found)
    assert sum(r.allocated for r in plf.rows) == D("75500.00") and plf.funding_received == D("75500.00")
    assert sum(r.spent or 0 for r in ci.rows) == D("3430.94") and ci.funding_received_approximate


def test_tables_stacked_in_one_sheet_under_headings_naming_their_funds(make_csv: Callable[..., Path]) -> None:
    found = funds(make_csv(stacked_rows(), name="funds.csv"))
    assert [f.fund.code for f in found] == ["PLF", "CI001"]
    assert [f.fund.row for f in found] == [2, 25]
    plf, ci = (f.table for f in found)
    assert (plf.total_allocated, plf.total_spent, plf.total_balance) == (D("75500.00"), D("32533.00"), D("42967.00"))
    assert sum(r.balance or 0 for r in plf.rows) == D("42967.00")
    assert ci.funding_received == D("15000.00") and len(ci.rows) == 2


def test_fund_heading_rows_split_one_table_into_funds(make_csv: Callable[..., Path]) -> None:
    rows = [*plf_rows_with_received()[:-1], *ci_rows()[1:]]  # one heading row; the CI row starts the second fund
    found = funds(make_csv(rows, name="one.csv"))
    assert [f.fund.code for f in found] == ["PLF", "CI001"]
    assert [len(f.table.rows) for f in found] == [17, 2]
    assert found[1].table.funding_received == D("15000.00")


def test_a_bad_cell_in_a_several_fund_workbook_names_sheet_row_column_and_reason(
    make_xlsx: Callable[..., Path],
) -> None:
    ci = ci_rows()
    ci[3][3] = "£1,18O.44"  # row 4 of the second sheet: a letter O for a zero
    path = make_xlsx(sheets={"PLF": plf_rows_with_received(), "Youth Prevention and Diversion": ci}, name="funds.xlsx")
    problems = refused(lambda: funds(path))
    assert [(p.file, p.row, p.column) for p in problems] == [("funds.xlsx", 4, "Amount Spent to Date")]
    assert problems[0].reason == "'£1,18O.44' is not an amount in pounds (sheet 'Youth Prevention and Diversion')"


def test_a_table_whose_fund_is_not_named_is_refused(make_xlsx: Callable[..., Path]) -> None:
    rows = [list(CHARNWOOD_HEADING), *[list(line) for line in CHARNWOOD_LINES], list(CHARNWOOD_TOTAL)]
    problems = refused(lambda: funds(make_xlsx(sheets={"Sheet1": rows}, name="b.xlsx")))
    assert [(p.row, p.column) for p in problems] == [(1, None)]
    assert "does not say which fund" in problems[0].reason and "(sheet 'Sheet1')" in problems[0].reason


def test_a_heading_for_another_year_or_a_fund_twice_is_refused(make_csv: Callable[..., Path]) -> None:
    rows = stacked_rows()
    rows[1] = ["Partnership Locality Fund 2018/19"]
    rows[24] = ["Partnership Locality Fund"]
    problems = refused(lambda: funds(make_csv(rows, name="f.csv")))
    reasons = [(p.row, p.reason) for p in problems]
    assert reasons[0] == (2, "'Partnership Locality Fund 2018/19' is for 2018/19, but the import is for 2017/18")
    assert reasons[1][0] == 25 and reasons[1][1].startswith("a second table for PLF")


def test_the_sheet_row_limit_applies_to_every_sheet(
    make_xlsx: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tabular, "MAX_SHEET_ROWS", 3)  # a heading row, titles and 3 rows of data: row 20 is too far
    path = make_xlsx(sheets={"CI001": ci_rows(), "PLF": plf_rows_with_received()}, name="funds.xlsx")
    problems = refused(lambda: funds(path))
    assert [(p.file, p.row) for p in problems] == [("funds.xlsx", None)]
    assert "up to 3 rows of data" in problems[0].reason


def test_the_readers_bounds_still_apply(make_csv: Callable[..., Path]) -> None:
    rows = [*stacked_rows(), ["x"] * (MAX_COLUMNS + 1)]
    problems = refused(lambda: funds(make_csv(rows, name="wide.csv")))
    assert "reads the first 256 columns only" in problems[0].reason
    plan = [PLAN_HEADING, *PLAN_ROWS, ["x"] * (MAX_COLUMNS + 1)]
    path = make_csv(plan, name="plan.csv")
    problems = refused(lambda: read_action_plans(path, namer=namer, year="2017/18", fund_given=True))
    assert "reads the first 256 columns only" in problems[0].reason


# --- action plans --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "money", "in_kind", "note"),
    [
        ("Officer time £5,000", None, "Officer time £5,000", ""),
        ("£1000", D("1000.00"), "", ""),
        ("Ongoing", None, "", "Ongoing"),
        ("", None, "", ""),
        ("£2,500 plus officer time", D("2500.00"), "officer time", ""),
        ("£500 + £250.50", D("750.50"), "", ""),
        ("Staff costs £2,000", D("2000.00"), "", ""),
        ("Police officer time and £1,000 for materials", D("1000.00"), "Police officer time", ""),
        ("In kind (venue)", None, "In kind (venue)", ""),
        ("20 volunteer hours", None, "20 volunteer hours", ""),
    ],
)
def test_a_cost_cell_is_money_in_kind_or_no_allocation(
    written: str, money: Decimal | None, in_kind: str, note: str
) -> None:
    cost = read_cost(written)
    assert (cost.money, cost.in_kind, cost.note) == (money, in_kind, note)


@pytest.mark.parametrize(
    "written", ["£1,000 and £1,5OO", "£1,5OO for materials", "£500 to £1,000", "£5,000 per year 2"]
)
def test_a_cost_with_an_amount_that_cannot_be_read_for_certain_is_refused(written: str) -> None:
    with pytest.raises(CellError, match="write a money cost as an amount"):
        read_cost(written)


def test_an_action_plan_in_the_papers_layout(make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([["Community Safety Partnership action plan 2017/18"], PLAN_HEADING, *PLAN_ROWS])
    (table,) = read_action_plans(path, namer=namer, year="2017/18", fund_given=True)
    assert [r.action for r in table.rows] == [row[0] for row in PLAN_ROWS[1:]]
    assert sum(r.cost.money or 0 for r in table.rows) == PLAN_MONEY
    outreach = table.rows[0]
    assert (outreach.lead, outreach.cost.money, outreach.cost.in_kind) == ("Go-Getta", None, "Officer time £5,000")
    assert (outreach.target, outreach.measure) == ("Reduce youth ASB in NL62 by 10%", "Police ASB incidents in NL62")
    assert outreach.strategic_priority == "Priority 2: Reduce harm caused by youth ASB and youth crime"
    assert table.rows[2].cost.note == "Ongoing"


def test_a_bad_cost_in_an_action_plan_names_sheet_row_column_and_reason(make_xlsx: Callable[..., Path]) -> None:
    rows = [list(row) for row in PLAN_ROWS]
    rows[2][3] = "£1,OOO"
    path = make_xlsx(sheets={"Notes": [["Our action plan"]], "PLF": [PLAN_HEADING, *rows]}, name="plan.xlsx")
    problems = refused(lambda: read_action_plans(path, namer=namer, year="2017/18", fund_given=False))
    assert [(p.file, p.row, p.column) for p in problems] == [("plan.xlsx", 4, "Financial and Resource Implications")]
    assert problems[0].reason.startswith("'£1,OOO' is not an amount in pounds")
    assert problems[0].reason.endswith("(sheet 'PLF')")


def test_an_action_plan_without_a_fund_named_is_refused_unless_the_fund_is_given(make_csv: Callable[..., Path]) -> None:
    path = make_csv([PLAN_HEADING, *PLAN_ROWS], name="plan.csv")
    problems = refused(lambda: read_action_plans(path, namer=namer, year="2017/18", fund_given=False))
    assert "does not say which fund" in problems[0].reason
    assert read_action_plans(path, namer=namer, year="2017/18", fund_given=True)[0].fund is None
