"""Every sheet of a file, for readers that take several tables from one file (one per fund).

``open_sheets`` applies the same checks and bounds as ``open_table`` (file size, expanded size,
rows per sheet, columns per row, CSV line length, merged cells and formulas with no result, links
to other files), but hands back each visible sheet's rows rather than one table. A CSV file is one
sheet with no name.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grants.imports.headings import HeadingSet
from grants.imports.tabular import (
    Row,
    _bounded_lines,
    _csv_rows,
    _sheet_rows,
    _sniff_delimiter,
    _unreadable_cells,
    decode_csv_bytes,
    opened_workbook,
    preflight,
    reject,
)


@dataclass
class Sheet:
    """One sheet's non-blank rows, numbered as the spreadsheet numbers them (a stream: iterate once)."""

    name: str | None  # None for a CSV file
    rows: Iterator[tuple[int, Row]]

    @property
    def where(self) -> str:
        """`` (sheet 'PLF')`` for a workbook's sheet, empty for a CSV: appended to messages."""
        return f" (sheet '{self.name}')" if self.name is not None else ""


@contextmanager
def open_sheets(path: Path, *, source: str, headings: HeadingSet) -> Iterator[list[Sheet]]:
    """Open a CSV or XLSX file and yield its sheets; raise ``ImportRejected`` if it cannot be read."""
    path = Path(path)
    workbook_info = preflight(path, source)
    if workbook_info is None:
        yield [_csv_sheet(path, source, headings)]
        return
    expanded, linked = workbook_info
    with opened_workbook(path, source, expanded=expanded, linked=linked) as (workbook, formulas):
        yield [_workbook_sheet(sheet, formulas, source) for sheet in workbook.worksheets if _visible(sheet)]
        if formulas is not None:
            formulas.close()


def _visible(sheet: Any) -> bool:
    return getattr(sheet, "sheet_state", "visible") == "visible"


def _workbook_sheet(sheet: Any, formulas: Any, source: str) -> Sheet:
    overlay = _unreadable_cells(sheet, formulas[sheet.title]) if formulas is not None else None
    return Sheet(str(sheet.title), _sheet_rows(sheet, overlay, source))


def _csv_sheet(path: Path, source: str, headings: HeadingSet) -> Sheet:
    text = decode_csv_bytes(path.read_bytes(), source)
    if not text.strip():
        raise reject(source, "the file is empty")
    delimiter = _sniff_delimiter(text, headings)
    reader = csv.reader(_bounded_lines(text, source), delimiter=delimiter, strict=True)
    return Sheet(None, _csv_rows(reader, source))
