"""The spend-profile reader: wide (Q1-Q4 columns) and long (Year, Quarter, Amount) layouts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from grants.domain.errors import InvalidPeriod
from grants.imports.parsed import CellProblem, ImportRejected
from grants.imports.profile import read_profile

D = Decimal


def rejected(path: Path, year: str = "2023/24") -> list[CellProblem]:
    with pytest.raises(ImportRejected) as caught:
        read_profile(path, year=year)
    return caught.value.problems


def test_a_wide_profile_gives_one_row_per_line_and_filled_quarter(make_csv: Callable[..., Path]) -> None:
    rows = [
        ["Spending profile"],
        ["Line", "Q1", "Q2", "Q3", "Q4"],
        ["Mediation", "£1,250", "1250", "£1,250.00", "1,250"],
        ["Street Pastors", "", "£3,000", "", ""],
        ["Total", "1250", "4250", "1250", "1250"],
    ]
    profile = read_profile(make_csv(rows), year="2023-24")
    assert [(r.row, r.line, r.year, r.quarter, r.amount) for r in profile.rows] == [
        (3, "Mediation", "2023/24", 1, D("1250.00")),
        (3, "Mediation", "2023/24", 2, D("1250.00")),
        (3, "Mediation", "2023/24", 3, D("1250.00")),
        (3, "Mediation", "2023/24", 4, D("1250.00")),
        (4, "Street Pastors", "2023/24", 2, D("3000.00")),
    ]


def test_a_wide_profile_with_quarter_words_and_a_description_heading_is_read(make_xlsx: Callable[..., Path]) -> None:
    rows = [["Description", "Quarter 1", "Qtr 2", "Q3", "Q4"], ["Go-Getta", 500, 500.5, 0, 1000]]
    profile = read_profile(make_xlsx(rows), year="2024/25")
    assert [(r.quarter, r.amount) for r in profile.rows] == [
        (1, D("500.00")),
        (2, D("500.50")),
        (3, D("0.00")),
        (4, D("1000.00")),
    ]


def test_a_long_profile_reads_its_own_years_and_quarters(make_csv: Callable[..., Path]) -> None:
    rows = [
        ["Line", "Year", "Quarter", "Amount"],
        ["Target hardening", "2023/24", "Q3", "£40k"],
        ["Target hardening", "2024/25", "1", "£7, 200"],
        ["Target hardening", "", "Quarter 4", "100"],
    ]
    profile = read_profile(make_csv(rows), year="2023/24")
    assert [(r.year, r.quarter, r.amount) for r in profile.rows] == [
        ("2023/24", 3, D("40000.00")),
        ("2024/25", 1, D("7200.00")),
        ("2023/24", 4, D("100.00")),
    ]


def test_bad_profile_cells_are_all_reported(make_csv: Callable[..., Path]) -> None:
    rows = [
        ["Line", "Year", "Quarter", "Amount"],
        ["Mediation", "2023", "Q5", "x"],
        ["Mediation", "2023/24", "Q1", "-100"],
        ["Mediation", "2023/24", "Q2", "100"],
        ["mediation.", "2023/24", "Q2", "100"],
    ]
    problems = rejected(make_csv(rows, name="p.csv"))
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("p.csv", 2, "Year"),
        ("p.csv", 2, "Quarter"),
        ("p.csv", 2, "Amount"),
        ("p.csv", 3, "Amount"),
        ("p.csv", 5, None),
    ]
    assert problems[0].reason == "'2023' is not a financial year like 2023/24"
    assert problems[1].reason == "'Q5' is not a quarter (Q1 to Q4)"
    assert problems[4].reason == "a second amount for 'mediation.' in 2023/24 Q2 (the first is on row 4)"


def test_a_profile_with_neither_layout_is_rejected(make_csv: Callable[..., Path]) -> None:
    problems = rejected(make_csv([["Line", "Amount"], ["Mediation", "100"]], name="p.csv"))
    assert [(p.row, p.column) for p in problems] == [(1, None)]
    assert problems[0].reason.startswith("no column for the quarter")


def test_a_profile_mixing_both_layouts_is_rejected(make_csv: Callable[..., Path]) -> None:
    problems = rejected(make_csv([["Line", "Q1", "Quarter", "Amount"], ["Mediation", "1", "Q1", "1"]], name="p.csv"))
    assert [(p.row, p.column) for p in problems] == [(1, "Quarter")]


def test_the_callers_year_must_be_a_financial_year(make_csv: Callable[..., Path]) -> None:
    with pytest.raises(InvalidPeriod):
        read_profile(make_csv([["Line", "Q1"], ["Mediation", "1"]]), year="2023")
