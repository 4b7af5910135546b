"""Generators for the hostile files that are too big, or too binary, to keep in the corpus folder.

Every generator writes into a folder the test gives it (``tmp_path``) and returns the path. The
output is deterministic, so a failure can be reproduced by calling the generator by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

SPEND_HEADING = "Date,Amount,Budget Line,Reference\r\n"


def spend_row(index: int, lines: Sequence[str], reference_width: int = 12) -> str:
    """One plausible ledger row (day 1-28 of June 2023, £1.00 to £9,000.99), numbered ``index``.

    The reference is ``INV-`` and the number, padded with a narrative to ``reference_width`` characters.
    """
    reference = f"INV-{index:08d}"
    if reference_width > len(reference):
        reference += (" paid to provider per agreement" * (reference_width // 30 + 1))[
            : reference_width - len(reference)
        ]
    amount = f"{index % 9000 + 1}.{index % 100:02d}"
    return f"{index % 28 + 1:02d}/06/2023,{amount},{lines[index % len(lines)]},{reference}\r\n"


def ledger_rows_for(megabytes: float, lines: Sequence[str], reference_width: int = 12) -> int:
    """How many rows make a ledger of about ``megabytes`` MB (10^6 bytes)."""
    return int(megabytes * 1_000_000 / len(spend_row(500_000, lines, reference_width))) + 1


def big_spend_ledger(
    folder: Path,
    lines: Sequence[str],
    *,
    rows: int | None = None,
    megabytes: float | None = None,
    bad_rows: dict[int, str] | None = None,
    reference_width: int = 12,
    name: str = "big_spend.csv",
) -> tuple[Path, int]:
    """A spend ledger of ``rows`` rows (or about ``megabytes`` MB), with some rows replaced verbatim.

    ``bad_rows`` maps a spreadsheet row number (the heading is row 1) to the text of that row.
    Returns the path and the number of data rows written.
    """
    if rows is None:
        if megabytes is None:
            raise ValueError("give rows or megabytes")
        rows = ledger_rows_for(megabytes, lines, reference_width)
    bad_rows = bad_rows or {}
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(SPEND_HEADING)
        chunk: list[str] = []
        for index in range(rows):
            number = index + 2
            chunk.append(bad_rows[number] if number in bad_rows else spend_row(index, lines, reference_width))
            if len(chunk) >= 20_000:
                handle.write("".join(chunk))
                chunk.clear()
        handle.write("".join(chunk))
    return path, rows


def csv_with_giant_field(folder: Path, *, at_row: int, size: int, name: str = "giant_field.csv") -> Path:
    """A budget table whose row ``at_row`` holds one field of ``size`` characters (past csv's field limit)."""
    rows = ["Description,Amount Allocated"]
    rows += [f"Line {number},{number}" for number in range(2, at_row)]
    rows.append("Giant," + "9" * size)
    path = folder / name
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8", newline="")
    return path


def workbook(folder: Path, name: str, sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]], **options: Any) -> Path:
    """An XLSX with the given sheets (title, rows). Options:

    ``hidden``: titles of sheets to hide; ``merge``: ranges per sheet title to merge (after writing);
    ``text``: (sheet, cell) pairs whose value is stored as text even when it starts with ``=``.
    """
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    hidden = set(options.get("hidden", ()))
    merges: dict[str, list[str]] = options.get("merge", {})
    text_cells: set[tuple[str, str]] = set(options.get("text", ()))
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        for reference in merges.get(title, []):
            sheet.merge_cells(reference)
        for sheet_title, reference in text_cells:
            if sheet_title == title:
                sheet[reference].data_type = "s"  # a string that starts with '=' is text, not a formula
        if title in hidden:
            sheet.sheet_state = "hidden"
    path = folder / name
    book.save(path)
    return path
