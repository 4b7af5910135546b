"""The spend-ledger reader: date forms, kinds, refunds, income, and malformed ledgers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from grants.domain.enums import CapitalRevenue, SpendKind
from grants.imports.parsed import CellProblem, ImportRejected
from grants.imports.spend import read_spend_ledger

D = Decimal


def rejected(path: Path) -> list[CellProblem]:
    with pytest.raises(ImportRejected) as caught:
        read_spend_ledger(path)
    return caught.value.problems


def where(problems: list[CellProblem]) -> list[tuple[str, int | None, str | None]]:
    return [(p.file, p.row, p.column) for p in problems]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("12102023", date(2023, 10, 12)),
        ("260123", date(2023, 1, 26)),
        ("12/12/23", date(2023, 12, 12)),
        ("12/12/2023", date(2023, 12, 12)),
        ("22nd December 2023", date(2023, 12, 22)),
        ("1st Sept 2023", date(2023, 9, 1)),
        ("2023-12-22", date(2023, 12, 22)),
        (" 12.12.2023 ", date(2023, 12, 12)),
    ],
)
def test_every_date_form_in_the_papers_is_read_day_first(
    make_csv: Callable[..., Path], written: str, expected: date
) -> None:
    ledger = read_spend_ledger(make_csv([["Date", "Budget Line", "Amount"], [written, "Street Pastors", "£250.00"]]))
    assert ledger.rows[0].spent_on == expected


def test_real_excel_date_cells_are_read(make_xlsx: Callable[..., Path]) -> None:
    rows = [
        ["Payment Date", "Project", "Value", "Invoice"],
        [datetime(2023, 12, 22), "Go-Getta", 1180.44, 10023],
        [date(2024, 1, 5), "Go-Getta", 250, "INV-7"],
    ]
    ledger = read_spend_ledger(make_xlsx(rows))
    assert [(r.spent_on, r.amount, r.reference) for r in ledger.rows] == [
        (date(2023, 12, 22), D("1180.44"), "10023"),
        (date(2024, 1, 5), D("250.00"), "INV-7"),
    ]


@pytest.mark.parametrize(
    ("date_heading", "amount_heading", "line_heading", "reference_heading"),
    [
        ("Date", "Amount", "Budget Line", "Reference"),
        ("Payment Date", "Value", "Line", "Ref"),
        ("Transaction Date", "Net", "Description", "Invoice"),
        ("date", "AMOUNT", "Project", "PO"),
        ("Date", "Amount", "Initiative", "Reference"),
    ],
)
def test_each_spend_heading_variant_is_recognised(
    make_csv: Callable[..., Path], date_heading: str, amount_heading: str, line_heading: str, reference_heading: str
) -> None:
    rows = [[reference_heading, line_heading, date_heading, amount_heading], ["A1", "Mediation", "12/12/23", "£7, 200"]]
    (row,) = read_spend_ledger(make_csv(rows)).rows
    assert (row.row, row.line, row.spent_on, row.amount, row.kind, row.reference) == (
        2,
        "Mediation",
        date(2023, 12, 12),
        D("7200.00"),
        SpendKind.PAYMENT,
        "A1",
    )


def test_a_negative_amount_with_no_kind_column_is_a_refund_stored_positive(make_csv: Callable[..., Path]) -> None:
    rows = [["Date", "Line", "Amount"], ["01/10/2023", "Mediation", "-250.00"], ["02/10/2023", "Mediation", "(£40)"]]
    ledger = read_spend_ledger(make_csv(rows))
    assert [(r.amount, r.kind) for r in ledger.rows] == [
        (D("250.00"), SpendKind.REFUND),
        (D("40.00"), SpendKind.REFUND),
    ]


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("Payment", SpendKind.PAYMENT),
        ("", SpendKind.PAYMENT),
        ("credit", SpendKind.REFUND),
        ("Refund", SpendKind.REFUND),
        ("income", SpendKind.INCOME),
        ("Sale", SpendKind.INCOME),
    ],
)
def test_the_kind_column_gives_payment_refund_or_income(
    make_csv: Callable[..., Path], written: str, kind: SpendKind
) -> None:
    rows = [["Date", "Line", "Amount", "Type"], ["01/10/2023", "Cycle Theft", "12.50", written]]
    assert read_spend_ledger(make_csv(rows)).rows[0].kind is kind


def test_bike_locks_sold_are_income_and_a_negative_refund_is_still_a_refund(make_csv: Callable[..., Path]) -> None:
    rows = [
        ["Date", "Line", "Amount", "Kind", "Capital/Revenue"],
        ["01/10/2023", "Cycle Theft", "£12.50", "sale", "Revenue"],
        ["02/10/2023", "Cycle Theft", "-£100", "refund", "capital"],
    ]
    ledger = read_spend_ledger(make_csv(rows))
    assert [(r.kind, r.amount, r.capital_revenue) for r in ledger.rows] == [
        (SpendKind.INCOME, D("12.50"), CapitalRevenue.REVENUE),
        (SpendKind.REFUND, D("100.00"), CapitalRevenue.CAPITAL),
    ]


def test_a_total_row_at_the_foot_of_a_ledger_is_not_a_payment(make_csv: Callable[..., Path]) -> None:
    rows = [["Date", "Line", "Amount"], ["01/10/2023", "Mediation", "100"], ["", "Total", "100"]]
    assert len(read_spend_ledger(make_csv(rows)).rows) == 1


def test_every_bad_cell_in_a_ledger_is_reported_with_row_and_column(make_csv: Callable[..., Path]) -> None:
    rows = [
        ["Spend 2023/24"],
        ["Date", "Budget Line", "Amount", "Type"],
        ["31/02/2023", "Mediation", "100"],  # 3: no 31 February
        ["12/12/23", "", "100"],  # 4: no line
        ["12/12/23", "Mediation", "£1,5OO"],  # 5: letter O for zero
        ["yesterday", "Mediation", "£10.005", "gift"],  # 6: three problems
        ["12/12/23", "Mediation", "-5", "payment"],  # 7: negative payment
        ["", "Mediation", ""],  # 8: blank date and amount
    ]
    problems = rejected(make_csv(rows, name="ledger.csv"))
    assert where(problems) == [
        ("ledger.csv", 3, "Date"),
        ("ledger.csv", 4, "Budget Line"),
        ("ledger.csv", 5, "Amount"),
        ("ledger.csv", 6, "Date"),
        ("ledger.csv", 6, "Amount"),
        ("ledger.csv", 6, "Type"),
        ("ledger.csv", 7, "Amount"),
        ("ledger.csv", 8, "Date"),
        ("ledger.csv", 8, "Amount"),
    ]
    reasons = [p.reason for p in problems]
    assert reasons[0].startswith("'31/02/2023' is not a real date")
    assert reasons[1] == "the budget line is blank"
    assert reasons[2] == "'£1,5OO' is not an amount in pounds"
    assert "fraction of a penny" in reasons[4]
    assert reasons[5] == "'gift' is not a kind of transaction (use payment, refund or income)"
    assert reasons[6].startswith("'-5' is negative for a payment")
    assert reasons[7:] == ["the date is blank", "the amount is blank"]


def test_the_same_bad_date_on_many_rows_is_reported_on_each(make_csv: Callable[..., Path]) -> None:
    rows = [["Date", "Line", "Amount"], *[["32/01/2024", "Mediation", "1"] for _ in range(3)]]
    problems = rejected(make_csv(rows))
    assert [p.row for p in problems] == [2, 3, 4]
    assert len({p.reason for p in problems}) == 1


def test_a_ledger_missing_its_amount_column_is_rejected(make_csv: Callable[..., Path]) -> None:
    problems = rejected(make_csv([["Date", "Line", "Ref"], ["01/10/2023", "Mediation", "A1"]], name="l.csv"))
    assert where(problems) == [("l.csv", 1, None)]
    assert problems[0].reason == (
        "no column for the amount (expected a heading such as 'Amount'); the heading row has 'Date', 'Line', 'Ref'"
    )


def test_an_unknown_ledger_heading_gets_a_suggestion(make_csv: Callable[..., Path]) -> None:
    problems = rejected(make_csv([["Date", "Line", "Amuont", "Notes"], ["01/10/2023", "Mediation", "1", "x"]]))
    assert where(problems) == [("file.csv", 1, "Amuont")]
    assert problems[0].reason == "unknown column 'Amuont' — did you mean 'Amount'?"


def test_a_header_only_ledger_is_rejected(make_csv: Callable[..., Path]) -> None:
    problems = rejected(make_csv([["Date", "Line", "Amount"]], name="l.csv"))
    assert where(problems) == [("l.csv", 1, None)]
    assert problems[0].reason == "the file has a heading row but no rows of data beneath it"


def test_a_cp1252_ledger_reads_pound_amounts(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    path.write_bytes("Date;Line;Amount\r\n22/12/2023;Go-Getta;£1180.00\r\n".encode("cp1252"))
    assert read_spend_ledger(path).rows[0].amount == D("1180.00")


def test_a_negative_number_cell_in_a_workbook_is_a_refund(make_xlsx: Callable[..., Path]) -> None:
    rows = [["Date", "Line", "Amount"], [datetime(2024, 2, 1), "Domestic Burglary Packs", -250.1]]
    (row,) = read_spend_ledger(make_xlsx(rows)).rows
    assert (row.amount, row.kind) == (D("250.10"), SpendKind.REFUND)
