"""Fixtures for the file-reader tests: input files written into tmp_path, and the Charnwood PLF 2017/18 table."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

CHARNWOOD_TITLE = "Partnership Locality Fund 2017/18"
CHARNWOOD_HEADING = ["Description", "Allocated", "Spent to date", "Balance"]
CHARNWOOD_LINES: list[tuple[str, str, str, str]] = [
    ("Reducing Youth Re-Offending", "1,500", "0", "1,500"),
    ("Anstey Youth Café", "1,500", "750", "750"),
    ("Syston Youth Café", "2,000", "1,000", "1,000"),
    ("To address transient student related ASB", "18,000", "8,000", "10,000"),
    ("Mediation", "5,000", "0", "5,000"),
    ("Street Pastors", "3,000", "3,000", "0"),
    (
        "Targeted multiagency preventative action to reduce SAQ offences & offending within the Priority "
        "Neighbourhood – Loughborough East (N65)",
        "2,500",
        "0",
        "2,500",
    ),
    (
        "Targeted multiagency preventative action to reduce SAQ offences within the Priority Neighbourhood – "
        "Loughborough Central (N62)",
        "2,500",
        "0",
        "2,500",
    ),
    ("Prevention Campaign Materials", "5,000", "783", "4,217"),
    ("Student Crime Awareness", "2,000", "0", "2,000"),
    ("Substance Misuse Project", "5,000", "0", "5,000"),
    ("Mobile CCTV Camera fund", "3,000", "0", "3,000"),
    ("Domestic Abuse Services", "10,000", "10,000", "0"),
    ("Cycle Theft", "1,000", "0", "1,000"),
    ("Domestic Burglary Packs", "3,000", "3,000", "0"),
    ("ASB Support for Vulnerable Victims", "6,000", "6,000", "0"),
    ("Contingency Fund", "4,500", "0", "4,500"),
]
CHARNWOOD_TOTAL = ("**Total**", "**75,500.00**", "**32,533.00**", "**42,967.00**")

Rows = Sequence[Sequence[Any]]


@pytest.fixture
def charnwood_rows() -> list[list[str]]:
    """The table as printed in October 2017: a title, a blank row, the headings, 17 lines and the Total row."""
    return [
        [CHARNWOOD_TITLE],
        [],
        list(CHARNWOOD_HEADING),
        *[list(line) for line in CHARNWOOD_LINES],
        list(CHARNWOOD_TOTAL),
    ]


def csv_text(rows: Rows, delimiter: str = ",") -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


@pytest.fixture
def make_csv(tmp_path: Path) -> Callable[..., Path]:
    """``make_csv(rows, name="file.csv", encoding="utf-8", delimiter=",")``: write a CSV and return its path."""

    def make(rows: Rows, name: str = "file.csv", encoding: str = "utf-8", delimiter: str = ",") -> Path:
        path = tmp_path / name
        path.write_bytes(csv_text(rows, delimiter).encode(encoding))
        return path

    return make


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """``make_xlsx(rows, name="file.xlsx", sheets=None)``: write a workbook (``sheets``: name -> rows) and return it."""

    def make(rows: Rows | None = None, name: str = "file.xlsx", sheets: dict[str, Rows] | None = None) -> Path:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.worksheets[0])
        for title, sheet_rows in (sheets or {"Sheet1": rows or []}).items():
            sheet = workbook.create_sheet(title)
            for number, row in enumerate(sheet_rows, 1):
                for column, value in enumerate(row, 1):
                    if value is not None and value != "":
                        sheet.cell(row=number, column=column, value=value)
        path = tmp_path / name
        workbook.save(path)
        return path

    return make
