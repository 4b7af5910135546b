"""Generators for the bomb files of issue 15: made in the test's folder, never committed.

Workbooks are written as raw OOXML parts (``benchmarks.sheets``: openpyxl would take minutes for these
sizes); each is a valid .xlsx that Excel and openpyxl open. The output is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from benchmarks.sheets import column_letter, ledger_xlsx, write_xlsx, xml_row

HEADING: list[str | float] = ["Date", "Amount", "Budget Line"]


def zip_bomb_xlsx(folder: Path, *, expanded_mb: int = 1100) -> Path:
    """About 1 MB on disk, ``expanded_mb`` MB of sheet once inflated: the same row again and again."""
    row = xml_row(2, ["01/06/2023", 12.34, "Mediation"])
    block = row * (1_000_000 // len(row))

    def chunks() -> Iterator[str]:
        yield xml_row(1, HEADING)
        for _ in range(expanded_mb):
            yield block

    return write_xlsx(folder / "zip_bomb.xlsx", None, chunks(), level=9)


def one_line_csv(folder: Path, *, megabytes: int = 60) -> Path:
    """A heading, then one line of ``megabytes`` MB: ``1,`` over and over with no line break."""
    path = folder / "one_line.csv"
    with path.open("wb") as handle:
        handle.write(b"Date,Amount,Budget Line\r\n")
        piece = b"1," * 500_000
        for _ in range(megabytes):
            handle.write(piece)
    return path


def rows_xlsx(folder: Path, *, rows: int, name: str, dimension: bool = True, line: str = "Mediation") -> Path:
    """A spend ledger of ``rows`` rows of data (Excel's limit is 1,048,576 rows in all)."""
    return ledger_xlsx(folder / name, rows, dimension=dimension, line=line)


def wide_csv(folder: Path, *, columns: int = 10_000, rows: int = 200) -> Path:
    """``columns`` columns x ``rows`` rows: three real headings, the rest unlabelled values."""
    path = folder / "wide.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("Date,Amount,Budget Line" + "," * (columns - 3) + "\r\n")
        extra = ",x" * (columns - 3)
        for number in range(rows):
            handle.write(f"{number % 28 + 1:02d}/06/2023,1.00,Mediation{extra}\r\n")
    return path


def wide_xlsx(folder: Path, *, columns: int = 10_000, rows: int = 200) -> Path:
    def chunks() -> Iterator[str]:
        yield xml_row(1, HEADING)
        for number in range(2, rows + 2):
            yield xml_row(number, ["01/06/2023", 1.0, "Mediation", *(["x"] * (columns - 3))])

    return write_xlsx(folder / "wide.xlsx", f"A1:{column_letter(columns)}{rows + 1}", chunks())
