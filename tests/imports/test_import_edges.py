"""Edge values (issue 15): each refused, or read as a UK user means it, with the row and column named."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from grants.imports.budget import read_budget_table
from grants.imports.parsed import ImportRejected
from grants.imports.spend import read_spend_ledger


def _spend(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "ledger.csv"
    path.write_text("Date,Amount,Budget Line\n" + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def _reasons(path: Path) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ImportRejected) as refused:
        read_spend_ledger(path)
    return [(p.row, p.column, p.reason) for p in refused.value.problems]


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ('"1,00"', "is not an amount in pounds"),  # a thousands comma with two digits after it
        ('"12,34,567"', "is not an amount in pounds"),  # Indian grouping
        ('"1,0000"', "is not an amount in pounds"),
        ("1.000", "could mean pounds or thousands"),  # a European thousands point, or padded pence
        ("2.500", "could mean pounds or thousands"),
        ("١٢٣", "digits other than 0-9"),  # Arabic-Indic digits
        ("£１２３", "digits other than 0-9"),  # full-width digits
        ("0", "the amount is zero"),
        ("£0.00", "the amount is zero"),
    ],
)
def test_amounts_a_uk_user_would_not_write_are_refused(tmp_path: Path, amount: str, reason: str) -> None:
    [(row, column, why)] = _reasons(_spend(tmp_path, f"01/06/2023,{amount},Mediation"))
    assert (row, column) == (2, "Amount")
    assert reason in why


def test_amounts_a_uk_user_writes_are_read_as_meant(tmp_path: Path) -> None:
    ledger = read_spend_ledger(_spend(tmp_path, '01/06/2023,"1,000",Mediation', "01/06/2023,1.5,Mediation"))
    assert [str(row.amount) for row in ledger.rows] == ["1000.00", "1.50"]


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("01/01/0024", "outside the years the tracker accepts (1990-2100)"),  # not 2024
        ("22 December 0023", "outside the years"),
        ("31/12/1989", "outside the years"),
        ("01/01/2101", "outside the years"),
        ("٠١/٠٦/٢٠٢٣", "digits other than 0-9"),
    ],
)
def test_dates_outside_the_years_or_in_other_digits_are_refused(tmp_path: Path, written: str, reason: str) -> None:
    [(row, column, why)] = _reasons(_spend(tmp_path, f"{written},10.00,Mediation"))
    assert (row, column) == (2, "Date")
    assert reason in why


def test_two_digit_years_are_this_century_or_the_last(tmp_path: Path) -> None:
    ledger = read_spend_ledger(_spend(tmp_path, "01/06/23,1.00,Mediation", "01/06/99,1.00,Mediation"))
    assert [row.spent_on.year for row in ledger.rows] == [2023, 1999]


def _linked_workbook(tmp_path: Path, formula: str) -> Path:
    """A budget table whose B3 holds ``formula`` with a cached value, and an external-link part."""
    path = tmp_path / "linked.xlsx"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Description</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Amount Allocated</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Mediation</t></is></c><c r="B2"><v>5000</v></c></row>'
        f'<row r="3"><c r="A3" t="inlineStr"><is><t>Street Pastors</t></is></c><c r="B3"><f>{formula}</f>'
        "<v>3000</v></c></row></sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{rel}">'
            '<sheets><sheet name="Budget" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr(
            "xl/externalLinks/externalLink1.xml",
            '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
        )
    return path


@pytest.mark.parametrize("formula", ["[1]Budget!B3", "SUM([1]Sheet1!A1:A4)", "Excel|'Budget'!R3C2"])
def test_cached_values_of_external_link_and_dde_formulas_are_refused_naming_the_cell(
    tmp_path: Path, formula: str
) -> None:
    with pytest.raises(ImportRejected) as refused:
        read_budget_table(_linked_workbook(tmp_path, formula))
    [problem] = refused.value.problems
    assert (problem.row, problem.column) == (3, "Budget!B3")
    assert "comes from a link to another file or program" in problem.reason
