"""The budget-table reader: the Charnwood PLF 2017/18 table, money forms, heading variants, malformed files."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from grants.domain.enums import CapitalRevenue
from grants.imports.budget import read_budget_table
from grants.imports.parsed import CellProblem, ImportRejected

D = Decimal


def rejected(path: Path, **kwargs: str) -> list[CellProblem]:
    with pytest.raises(ImportRejected) as caught:
        read_budget_table(path, **kwargs)
    return caught.value.problems


def where(problems: list[CellProblem]) -> list[tuple[str, int | None, str | None]]:
    return [(p.file, p.row, p.column) for p in problems]


# --- the Charnwood table ---------------------------------------------------------------------


def assert_is_charnwood_2017(table_rows: list, totals: tuple[Decimal | None, ...]) -> None:
    assert len(table_rows) == 17
    assert totals == (D("75500.00"), D("32533.00"), D("42967.00"))
    assert sum(r.allocated for r in table_rows) == D("75500.00")
    assert sum(r.spent for r in table_rows) == D("32533.00")
    assert sum(r.balance for r in table_rows) == D("42967.00")
    assert [r.row for r in table_rows] == list(range(4, 21))  # title, blank, heading, then the lines
    assert table_rows[1].description == "Anstey Youth Café"
    assert (table_rows[8].allocated, table_rows[8].spent, table_rows[8].balance) == (D(5000), D(783), D(4217))


def test_the_charnwood_2017_18_table_as_csv_reads_17_lines_and_its_printed_totals(
    make_csv: Callable[..., Path], charnwood_rows: list[list[str]]
) -> None:
    table = read_budget_table(make_csv(charnwood_rows, name="plf-2017-18.csv"))
    assert table.source == "plf-2017-18.csv"
    assert_is_charnwood_2017(table.rows, (table.total_allocated, table.total_spent, table.total_balance))
    assert table.headings == {
        "description": "Description",
        "allocated": "Allocated",
        "spent": "Spent to date",
        "balance": "Balance",
    }
    assert table.funding_received is None
    assert all(isinstance(r.allocated, Decimal) for r in table.rows)


def test_the_charnwood_2017_18_table_as_xlsx_with_a_title_row_reads_the_same(
    make_xlsx: Callable[..., Path], charnwood_rows: list[list[str]]
) -> None:
    # Numbers as Excel holds them: real numeric cells, the Total row as formula-free floats.
    def as_excel(cell: str) -> object:
        bare = cell.replace("*", "").replace(",", "")
        return float(bare) if bare.replace(".", "").isdigit() else cell

    rows = charnwood_rows[:3] + [[as_excel(c) for c in row] for row in charnwood_rows[3:]]
    table = read_budget_table(make_xlsx(rows, name="plf.xlsx"), source_name="PLF 2017/18 (October 2017)")
    assert table.source == "PLF 2017/18 (October 2017)"
    assert_is_charnwood_2017(table.rows, (table.total_allocated, table.total_spent, table.total_balance))


def test_a_title_merged_across_the_top_of_a_workbook_is_not_taken_for_the_heading(
    make_xlsx: Callable[..., Path], charnwood_rows: list[list[str]], tmp_path: Path
) -> None:
    import openpyxl

    path = make_xlsx(charnwood_rows)
    workbook = openpyxl.load_workbook(path)
    workbook.worksheets[0].merge_cells("A1:D1")
    workbook.save(path)
    table = read_budget_table(path)
    assert len(table.rows) == 17
    assert table.total_allocated == D("75500.00")


# --- money forms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "amount", "approximate"),
    [
        ("£75,500.00", D("75500.00"), False),
        ("£1,500", D("1500.00"), False),
        ("0", D("0.00"), False),
        ("£7, 200", D("7200.00"), False),
        ("£1180.44", D("1180.44"), False),
        ("circa £34K", D("34000.00"), True),
        ("£40k", D("40000.00"), False),
        ("£15,000 approx", D("15000.00"), True),
        ("1500", D("1500.00"), False),
        ("**£2,500**", D("2500.00"), False),
    ],
)
def test_every_money_form_in_the_papers_reads_as_exact_pounds(
    make_csv: Callable[..., Path], written: str, amount: Decimal, approximate: bool
) -> None:
    table = read_budget_table(make_csv([["Description", "Amount Allocated"], ["Mediation", written]]))
    (row,) = table.rows
    assert row.allocated == amount
    assert row.allocated_approximate is approximate


def test_a_float_cell_in_a_workbook_keeps_its_pennies_exactly(make_xlsx: Callable[..., Path]) -> None:
    table = read_budget_table(make_xlsx([["Description", "Allocated", "Spent"], ["Mediation", 1180.44, 0.1]]))
    assert (table.rows[0].allocated, table.rows[0].spent) == (D("1180.44"), D("0.10"))


# --- heading variants ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "description", ["Description", "Initiative Description", "Initiative", "Project", "Budget Line", "DESCRIPTION:"]
)
@pytest.mark.parametrize(
    "allocated", ["Amount Allocated", "Funding Allocated", "Allocated", "Allocation", "Budget", "amount  allocated"]
)
def test_each_description_and_allocated_heading_variant_is_recognised(
    make_csv: Callable[..., Path], description: str, allocated: str
) -> None:
    table = read_budget_table(make_csv([[description, allocated], ["Mediation", "£5,000"]]))
    assert table.rows[0].allocated == D("5000.00")
    # As written, with runs of spaces (or line breaks typed in a cell) made one space.
    assert table.headings == {"description": description, "allocated": " ".join(allocated.split())}


@pytest.mark.parametrize("spent", ["Amount Spent to Date", "Spent to Date", "Spend to Date", "Spent", "Actual"])
@pytest.mark.parametrize("balance", ["Balance Remaining", "Balance", "Remaining"])
def test_each_spent_and_balance_heading_variant_is_recognised(
    make_csv: Callable[..., Path], spent: str, balance: str
) -> None:
    table = read_budget_table(
        make_csv([["Description", "Allocated", spent, balance], ["Mediation", "5000", "783", "4217"]])
    )
    assert (table.rows[0].spent, table.rows[0].balance) == (D("783.00"), D("4217.00"))


@pytest.mark.parametrize(
    ("heading", "attribute", "written", "expected"),
    [
        ("Delivery Partner", "delivery_partner", "Go-Getta", "Go-Getta"),
        ("Provider", "delivery_partner", "Love4Life", "Love4Life"),
        ("Partner", "delivery_partner", "Turning Point", "Turning Point"),
        ("Organisation", "delivery_partner", "Falcon Centre", "Falcon Centre"),
        ("Strategic Priority", "strategic_priority", "Reduce ASB", "Reduce ASB"),
        ("Priority", "strategic_priority", "Reduce ASB", "Reduce ASB"),
        ("Area", "area", "Beat 62", "NL62"),
        ("Beat", "area", "62", "NL62"),
        ("Area", "area", "NL62", "NL62"),
        ("Theme", "theme", "Pride of Place", "Pride of Place"),
        ("Cohort", "cohort", "Young people", "Young people"),
        ("Capital/Revenue", "capital_revenue", "Capital", CapitalRevenue.CAPITAL),
        ("Type", "capital_revenue", "revenue", CapitalRevenue.REVENUE),
    ],
)
def test_each_optional_heading_fills_its_field(
    make_csv: Callable[..., Path], heading: str, attribute: str, written: str, expected: object
) -> None:
    table = read_budget_table(make_csv([["Description", "Allocated", heading], ["Mediation", "5000", written]]))
    assert getattr(table.rows[0], attribute) == expected


def test_notes_comments_rag_and_status_columns_are_ignored(make_csv: Callable[..., Path]) -> None:
    rows = [
        ["Description", "Allocated", "Notes", "Comments", "RAG", "Status"],
        ["Mediation", "5000", "x", "y", "G", "ok"],
    ]
    table = read_budget_table(make_csv(rows))
    assert table.rows[0].allocated == D("5000.00")
    assert set(table.headings) == {"description", "allocated"}


def test_a_semicolon_separated_table_is_read(make_csv: Callable[..., Path]) -> None:
    path = make_csv([["Description", "Allocated"], ["Mediation", "£5,000.00"]], delimiter=";")
    assert read_budget_table(path).rows[0].allocated == D("5000.00")


# --- totals, sub-headings, Funding Received --------------------------------------------------


@pytest.mark.parametrize("label", ["Total", "TOTALS", "Grand Total", "**Total**", "total:"])
def test_the_total_row_fills_the_totals_and_is_not_a_line(make_csv: Callable[..., Path], label: str) -> None:
    rows = [["Description", "Allocated", "Spent"], ["Mediation", "5000", "0"], [label, "5000", "0"]]
    table = read_budget_table(make_csv(rows))
    assert [r.description for r in table.rows] == ["Mediation"]
    assert (table.total_allocated, table.total_spent, table.total_balance) == (D("5000.00"), D("0.00"), None)


def test_a_funding_received_row_marked_approx_is_approximate(make_csv: Callable[..., Path]) -> None:
    rows = [
        ["Description", "Allocated"],
        ["Mediation", "5000"],
        ["Total", "5000"],
        ["Funding Received", "£15,000 approx"],
    ]
    table = read_budget_table(make_csv(rows))
    assert len(table.rows) == 1
    assert table.funding_received == D("15000.00")
    assert table.funding_received_approximate is True


def test_a_funding_received_row_with_the_amount_in_the_same_cell_is_read(make_csv: Callable[..., Path]) -> None:
    rows = [["Description", "Allocated"], ["Mediation", "5000"], ["Funding Received: circa £34K"]]
    table = read_budget_table(make_csv(rows))
    assert (table.funding_received, table.funding_received_approximate) == (D("34000.00"), True)


def test_a_confirmed_funding_received_row_is_not_approximate(make_csv: Callable[..., Path]) -> None:
    rows = [["Description", "Allocated"], ["Funding Received", "£75,500.00"], ["Mediation", "5000"]]
    table = read_budget_table(make_csv(rows))
    assert (table.funding_received, table.funding_received_approximate) == (D("75500.00"), False)


def test_a_funding_received_column_fills_each_line_and_the_total(make_csv: Callable[..., Path]) -> None:
    rows = [
        [
            "Initiative Description",
            "Funding Allocated",
            "Funding Received",
            "Amount Spent to Date",
            "Balance Remaining",
        ],
        ["Go-Getta", "£2,000", "£1,000", "£500", "£1,500"],
        ["Street Pastors", "£3,000", "circa £3K", "", ""],
        ["Total", "£5,000", "£4,000", "£500", "£4,500"],
    ]
    table = read_budget_table(make_csv(rows))
    assert [(r.received, r.received_approximate) for r in table.rows] == [
        (D("1000.00"), False),
        (D("3000.00"), True),
    ]
    assert table.total_received == D("4000.00")
    assert table.funding_received == D("4000.00")
    assert table.funding_received_approximate is True
    assert (table.rows[1].spent, table.rows[1].balance) == (D("0.00"), D("0.00"))  # blank spent/balance are 0


def test_a_balance_is_kept_as_printed_even_when_it_does_not_add_up(make_csv: Callable[..., Path]) -> None:
    rows = [["Description", "Allocated", "Spent", "Balance"], ["Mediation", "5000", "1000", "3,000"]]
    assert read_budget_table(make_csv(rows)).rows[0].balance == D("3000.00")


def test_a_description_on_its_own_is_a_sub_heading_and_is_skipped(make_csv: Callable[..., Path]) -> None:
    rows = [["Description", "Allocated", "Spent"], ["Youth", "", ""], ["Anstey Youth Café", "1500", "750"], [], []]
    table = read_budget_table(make_csv(rows))
    assert [(r.row, r.description) for r in table.rows] == [(3, "Anstey Youth Café")]


# --- malformed tables ------------------------------------------------------------------------


def test_a_bad_amount_names_file_row_column_and_reason(make_csv: Callable[..., Path]) -> None:
    rows = [
        ["Description", "Amount Allocated", "Spent to Date"],
        ["Mediation", "£1,5OO", "0"],
        ["Cycle Theft", "1000", "x"],
    ]
    problems = rejected(make_csv(rows, name="plf.csv"))
    assert where(problems) == [("plf.csv", 2, "Amount Allocated"), ("plf.csv", 3, "Spent to Date")]
    assert problems[0].reason == "'£1,5OO' is not an amount in pounds"
    assert problems[1].reason == "'x' is not an amount in pounds"


def test_every_problem_in_the_file_is_reported_not_just_the_first(
    make_csv: Callable[..., Path], charnwood_rows: list[list[str]]
) -> None:
    charnwood_rows[5][1] = "£2,0OO"  # row 6: Syston Youth Café
    charnwood_rows[10][2] = "Page 3"  # row 11: Street Pastors... a page number in a money cell
    charnwood_rows[12][3] = "£5,000 12"  # row 13
    charnwood_rows[14][1] = ""  # row 15: blank allocated on a line with a description
    problems = rejected(make_csv(charnwood_rows, name="plf.csv"))
    assert where(problems) == [
        ("plf.csv", 6, "Allocated"),
        ("plf.csv", 11, "Spent to date"),
        ("plf.csv", 13, "Balance"),
        ("plf.csv", 15, "Allocated"),
    ]
    assert problems[1].reason == "'Page 3' is a page number, not an amount in pounds"
    assert "page number" in problems[2].reason
    assert problems[3].reason == "the amount allocated is blank"


def test_a_fraction_of_a_penny_is_an_error(make_csv: Callable[..., Path]) -> None:
    problems = rejected(make_csv([["Description", "Allocated"], ["Mediation", "£10.005"]], name="b.csv"))
    assert where(problems) == [("b.csv", 2, "Allocated")]
    assert "fraction of a penny" in problems[0].reason


def test_a_negative_allocation_is_an_error(make_csv: Callable[..., Path]) -> None:
    problems = rejected(make_csv([["Description", "Allocated"], ["Mediation", "-£500"]], name="b.csv"))
    assert where(problems) == [("b.csv", 2, "Allocated")]
    assert "negative" in problems[0].reason


def test_amounts_without_a_description_are_an_error(make_csv: Callable[..., Path]) -> None:
    problems = rejected(make_csv([["Description", "Allocated"], ["", "500"]], name="b.csv"))
    assert where(problems) == [("b.csv", 2, "Description")]


def test_a_missing_required_column_names_what_was_expected_and_what_was_found(make_csv: Callable[..., Path]) -> None:
    problems = rejected(make_csv([["Partner", "Description", "Spent"], ["Go-Getta", "Mediation", "0"]], name="b.csv"))
    assert where(problems) == [("b.csv", 1, None)]
    assert problems[0].reason == (
        "no column for the amount allocated (expected a heading such as 'Amount Allocated'); "
        "the heading row has 'Partner', 'Description', 'Spent'"
    )


def test_an_unknown_heading_is_named_with_a_suggestion(make_csv: Callable[..., Path]) -> None:
    rows = [["Title"], ["Description", "Amont Allocated", "Spent to Date"], ["Mediation", "5000", "0"]]
    problems = rejected(make_csv(rows, name="b.csv"))
    assert where(problems) == [("b.csv", 2, "Amont Allocated")]
    assert problems[0].reason == "unknown column 'Amont Allocated' — did you mean 'Amount Allocated'?"


def test_an_unknown_heading_with_nothing_close_lists_the_known_columns(make_csv: Callable[..., Path]) -> None:
    problems = rejected(make_csv([["Description", "Allocated", "Zebra"], ["Mediation", "5000", "1"]], name="b.csv"))
    assert where(problems) == [("b.csv", 1, "Zebra")]
    assert problems[0].reason.startswith("unknown column 'Zebra' (known columns: 'Description', 'Amount Allocated'")


def test_two_columns_for_the_same_field_are_an_error(make_csv: Callable[..., Path]) -> None:
    problems = rejected(make_csv([["Description", "Allocated", "Budget"], ["Mediation", "5000", "5000"]], name="b.csv"))
    assert where(problems) == [("b.csv", 1, "Budget")]
    assert "two columns" in problems[0].reason


def test_a_value_under_no_heading_is_an_error_naming_the_column_letter(make_csv: Callable[..., Path]) -> None:
    problems = rejected(make_csv([["Description", "Allocated"], ["Mediation", "5000", "5,000"]], name="b.csv"))
    assert where(problems) == [("b.csv", 2, "C")]


def test_an_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    problems = rejected(path)
    assert where(problems) == [("empty.csv", None, None)]
    assert problems[0].reason == "the file is empty"


def test_a_header_only_file_is_rejected(make_csv: Callable[..., Path]) -> None:
    problems = rejected(make_csv([["Plan 2023/24"], ["Description", "Allocated"]], name="h.csv"))
    assert where(problems) == [("h.csv", 2, None)]
    assert problems[0].reason == "the file has a heading row but no rows of data beneath it"


def test_a_file_with_no_heading_row_is_rejected(make_csv: Callable[..., Path]) -> None:
    problems = rejected(make_csv([["Mediation", "5000"], ["Cycle Theft", "1000"]], name="n.csv"))
    assert where(problems) == [("n.csv", None, None)]
    assert problems[0].reason.startswith("no heading row found in the first 15 rows")
    assert "'Description' and 'Amount Allocated'" in problems[0].reason


def test_undecodable_bytes_are_rejected_as_not_a_text_csv(tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"Description,Allocated\r\nMediation,\x81\x8d\x90\r\n")  # undefined in UTF-8 and cp1252
    problems = rejected(path, source_name="upload 7")
    assert where(problems) == [("upload 7", None, None)]
    assert "not a text CSV in UTF-8, UTF-16 or Windows-1252" in problems[0].reason


def test_a_text_file_named_xlsx_is_rejected_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    path.write_text("Description,Allocated\nMediation,5000\n")
    problems = rejected(path)
    assert where(problems) == [("budget.xlsx", None, None)]
    assert problems[0].reason == (
        "the file is named .xlsx but is not an Excel workbook (it looks like text or another kind of file)"
    )


def test_problems_on_a_later_sheet_name_the_sheet(make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx(
        sheets={"Cover": [["CSP budget"]], "PLF 2017-18": [["Description", "Allocated"], ["Mediation", "x"]]}
    )
    problems = rejected(path)
    assert where(problems) == [("file.xlsx", 2, "Allocated")]
    assert problems[0].reason == "'x' is not an amount in pounds (sheet 'PLF 2017-18')"


@pytest.mark.parametrize("heading", ["Funding Received", "Received", "funding received (£)"])
def test_each_funding_received_heading_variant_is_a_received_column(
    make_csv: Callable[..., Path], heading: str
) -> None:
    table = read_budget_table(make_csv([["Description", "Allocated", heading], ["Mediation", "5000", "£2,500"]]))
    assert (table.rows[0].received, table.funding_received, table.total_received) == (D("2500.00"), D("2500.00"), None)


def test_a_header_only_workbook_is_rejected(make_xlsx: Callable[..., Path]) -> None:
    problems = rejected(make_xlsx([["PLF 2023/24"], [], ["Initiative", "Allocation", "Spend to Date"]], name="h.xlsx"))
    assert where(problems) == [("h.xlsx", 3, None)]
    assert problems[0].reason == "the file has a heading row but no rows of data beneath it"


def test_a_blank_funding_received_column_records_no_funding(make_csv: Callable[..., Path]) -> None:
    """The template has the column; left blank, it is no figure (not a receipt of £0.00)."""
    blank = read_budget_table(make_csv([["Description", "Allocated", "Funding Received"], ["Mediation", "5000", ""]]))
    assert (blank.funding_received, blank.total_received) == (None, None)
    nought = read_budget_table(make_csv([["Description", "Allocated", "Funding Received"], ["Mediation", "5000", "0"]]))
    assert nought.funding_received == D("0.00")
