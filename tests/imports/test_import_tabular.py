"""Getting a grid out of a file: encodings, delimiters, workbooks, sheets, formulas, blank rows."""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from grants.imports.budget import read_budget_table
from grants.imports.headings import BUDGET_HEADINGS
from grants.imports.parsed import CellProblem, ImportRejected
from grants.imports.tabular import open_table

D = Decimal
BUDGET_CSV = "Description,Allocated\r\nAnstey Youth Café,£1,500\r\n".replace("£1,500", '"£1,500"')


def rejected(path: Path) -> list[CellProblem]:
    with pytest.raises(ImportRejected) as caught:
        read_budget_table(path)
    return caught.value.problems


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
def test_utf8_and_utf16_csvs_with_or_without_a_bom_read_the_same(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = tmp_path / "budget.csv"
    path.write_bytes(prefix + BUDGET_CSV.encode(encoding))
    table = read_budget_table(path)
    assert [(r.description, r.allocated) for r in table.rows] == [("Anstey Youth Café", D("1500.00"))]
    assert table.headings["description"] == "Description"  # no BOM left stuck to the first heading


def test_a_cp1252_csv_saved_by_excel_reads_the_pound_sign(tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    data = BUDGET_CSV.encode("cp1252")
    assert b"\xa3" in data and b"\xe9" in data  # '£' and 'é' as Windows Excel writes them
    path.write_bytes(data)
    table = read_budget_table(path)
    assert [(r.description, r.allocated) for r in table.rows] == [("Anstey Youth Café", D("1500.00"))]


def test_a_tab_separated_file_is_read(make_csv: Callable[..., Path]) -> None:
    path = make_csv([["Description", "Allocated", "Spent"], ["Mediation", "£5,000", "£1,000"]], delimiter="\t")
    assert read_budget_table(path).rows[0].spent == D("1000.00")


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(make_csv: Callable[..., Path]) -> None:
    rows = [[], ["Description", "Allocated"], ["", ""], ["Mediation", "5000"], [" ", "  "], ["Cycle Theft", "1000"]]
    assert [r.row for r in read_budget_table(make_csv(rows)).rows] == [4, 6]


def test_a_cell_with_a_line_break_inside_quotes_is_one_row(tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    path.write_text('Description,Allocated\n"Domestic Abuse\nServices",10000\nMediation,5000\n', encoding="utf-8")
    table = read_budget_table(path)
    assert [(r.row, r.description) for r in table.rows] == [(2, "Domestic Abuse Services"), (3, "Mediation")]


def test_the_heading_row_may_sit_below_titles(make_csv: Callable[..., Path]) -> None:
    rows = [["Charnwood Community Safety Partnership"], ["Partnership Locality Fund 2017/18"], ["October 2017"]]
    rows += [["Description", "Allocated"], ["Mediation", "5000"]]
    path = make_csv(rows)
    with open_table(path, source="t", headings=BUDGET_HEADINGS) as table:
        assert table.heading_row == 4
        assert list(table.rows) == [(5, ["Mediation", "5000"])]


def test_a_workbook_uses_the_first_sheet_with_a_heading_row(make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx(
        sheets={
            "Cover": [["Charnwood CSP"], ["Budget monitoring, October 2017"]],
            "Empty": [],
            "PLF": [["Description", "Allocated"], ["Mediation", 5000]],
            "Old": [["Description", "Allocated"], ["Ignored", 1]],
        }
    )
    with open_table(path, source="t", headings=BUDGET_HEADINGS) as table:
        assert (table.sheet, table.heading_row) == ("PLF", 1)
    assert [r.description for r in read_budget_table(path).rows] == ["Mediation"]


def test_a_workbook_with_no_heading_row_on_any_sheet_is_rejected(make_xlsx: Callable[..., Path]) -> None:
    problems = rejected(make_xlsx(sheets={"A": [["hello"]], "B": [["Mediation", 1]]}, name="w.xlsx"))
    assert [(p.file, p.row, p.column) for p in problems] == [("w.xlsx", None, None)]
    assert problems[0].reason.startswith("no sheet has a heading row in its first 15 rows")


def test_an_empty_workbook_is_rejected(make_xlsx: Callable[..., Path]) -> None:
    problems = rejected(make_xlsx([], name="w.xlsx"))
    assert problems[0].reason == "the workbook is empty: no sheet has any cells filled in"


def test_formula_cells_give_the_value_excel_saved(make_xlsx: Callable[..., Path], tmp_path: Path) -> None:
    path = make_xlsx(
        [["Description", "Allocated"], ["Mediation", 5000], ["Cycle Theft", 1000], ["Total", "=SUM(B2:B3)"]]
    )
    # openpyxl saves formulas without results; put in the result Excel would have cached.
    patched = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<f>SUM\(B2:B3\)</f><v\s*/?>(</v>)?", b"<f>SUM(B2:B3)</f><v>6000</v>", data)
                assert b"<v>6000</v>" in data
            target.writestr(item, data)
    table = read_budget_table(patched)
    assert table.total_allocated == D("6000.00")
    assert len(table.rows) == 2


def test_a_damaged_workbook_is_rejected_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    problems = rejected(path)
    assert [(p.file, p.row, p.column) for p in problems] == [("broken.xlsx", None, None)]
    assert problems[0].reason.startswith("the file is not an Excel workbook that can be read")


def test_an_old_xls_workbook_is_rejected_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    problems = rejected(path)
    assert "old Excel 97-2003 (.xls)" in problems[0].reason


def test_an_empty_file_named_xlsx_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert rejected(path)[0].reason == "the file is named .xlsx but is not an Excel workbook (it is empty)"


def test_a_file_that_cannot_be_opened_is_rejected(tmp_path: Path) -> None:
    problems = rejected(tmp_path / "missing.csv")
    assert [(p.file, p.row, p.column) for p in problems] == [("missing.csv", None, None)]
    assert problems[0].reason.startswith("the file cannot be opened")


def test_a_file_of_blank_lines_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\r\n , ,\r\n\r\n")
    assert rejected(path)[0].reason == "the file is empty"


def test_utf16_without_a_bom_is_not_taken_for_text(tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes(BUDGET_CSV.encode("utf-16-le"))
    assert "not a text CSV in UTF-8, UTF-16 or Windows-1252" in rejected(path)[0].reason
