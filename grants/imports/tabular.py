"""Reading a CSV or XLSX file into numbered rows under a recognised heading row.

``open_table`` is the one entry point. It works out what the file is (by its bytes, then its
name), decodes a CSV (UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252 as Excel
saves it), sniffs its delimiter (comma, semicolon or tab), or opens a workbook read-only with
formula results rather than formulas. It then finds the heading row among the first rows (a
title such as "Partnership Locality Fund 2017/18" may sit above it) and hands back the data
rows as a stream, numbered as the spreadsheet numbers them, with entirely blank rows skipped.

Anything that stops the file being read at all raises ``ImportRejected`` with a plain reason.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias

from grants.imports.headings import HeadingSet
from grants.imports.parsed import CellProblem, ImportRejected

Cell: TypeAlias = str | int | float | Decimal | datetime | date | time | bool | None
Row: TypeAlias = Sequence[Cell]

SCAN_ROWS = 15
"""How many non-blank rows at the top of a sheet may hold titles before the heading row."""

_SNIFF_CHARS = 64 * 1024
_DELIMITERS = (",", ";", "\t")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls")
MAX_IMPORT_BYTES = 64 * 1024 * 1024
"""The largest file any import reads (also the app's upload limit): 64 MB."""
_CHECK_MERGES_BELOW_BYTES = 10 * 1024 * 1024
"""Workbooks up to this size are also read in full mode, to find merged cells and formulas with no result."""


class UnreadableCell(str):
    """A workbook cell that looks blank but is not: merged into the cell above, or a formula with no saved result.

    It reads as empty text, so text columns treat it as blank; amount and date readers refuse it with ``reason``.
    """

    reason: str

    def __new__(cls, reason: str) -> UnreadableCell:
        cell = super().__new__(cls, "")
        cell.reason = reason
        return cell


@dataclass
class Table:
    """A heading row and the data rows beneath it (a stream: iterate ``rows`` once)."""

    source: str
    heading_row: int  # the spreadsheet's number for the heading row
    heading: list[Cell]
    rows: Iterator[tuple[int, Row]]  # (spreadsheet row number, cells), blank rows skipped
    sheet: str | None = None  # the sheet's name when it is not the workbook's first sheet

    @property
    def where(self) -> str:
        """`` (sheet 'Budget')`` when the table is not on the first sheet, else empty: for messages."""
        return f" (sheet '{self.sheet}')" if self.sheet else ""


def reject(source: str, reason: str) -> ImportRejected:
    """An ``ImportRejected`` for a problem with the whole file."""
    return ImportRejected([CellProblem(source, None, None, reason)])


@contextmanager
def open_table(path: Path, *, source: str, headings: HeadingSet) -> Iterator[Table]:
    """Open a CSV or XLSX file and find its heading row; raise ``ImportRejected`` if it cannot be read.

    Use as ``with open_table(path, source=..., headings=...) as table: for number, cells in table.rows: ...``.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise reject(source, f"the file cannot be opened ({exc.strerror or exc})") from exc
    if size > MAX_IMPORT_BYTES:
        raise reject(
            source,
            f"the file is {size / 1024 / 1024:.0f} MB; the tracker imports files of up to "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB (split it into smaller files)",
        )
    suffix = path.suffix.lower()
    if head.startswith(_OLE_MAGIC):
        raise reject(
            source,
            "this is an old Excel 97-2003 (.xls) workbook or a password-protected one: "
            "save it as an Excel workbook (.xlsx) or CSV without a password",
        )
    if head.startswith(_ZIP_MAGIC):
        with _open_workbook(path, source, headings) as table:
            yield table
        return
    if suffix in _WORKBOOK_SUFFIXES:
        what = "it is empty" if not head else "it looks like text or another kind of file"
        raise reject(source, f"the file is named {suffix} but is not an Excel workbook ({what})")
    yield _csv_table(path, source, headings)


# --- CSV -------------------------------------------------------------------------------------


def decode_csv_bytes(data: bytes, source: str) -> str:
    """Text of a CSV file in UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows-1252."""
    text: str | None = None
    if data.startswith(codecs.BOM_UTF8):
        text = _try_decode(data[len(codecs.BOM_UTF8) :], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try_decode(data, "utf-16")
    else:
        text = _try_decode(data, "utf-8")
        if text is None:
            text = _try_decode(data, "cp1252")
    if text is None or "\x00" in text:
        raise reject(
            source,
            "the file is not a text CSV in UTF-8, UTF-16 or Windows-1252 "
            "(save it from Excel as 'CSV UTF-8' or as an Excel workbook)",
        )
    return text


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _csv_table(path: Path, source: str, headings: HeadingSet) -> Table:
    data = path.read_bytes()
    text = decode_csv_bytes(data, source)
    del data
    if not text.strip():
        raise reject(source, "the file is empty")
    delimiter = _sniff_delimiter(text, headings)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    return _find_heading(_csv_rows(reader, source), source=source, headings=headings)


def _csv_rows(reader: Iterable[list[str]], source: str | None = None) -> Iterator[tuple[int, Row]]:
    """Non-blank records numbered as a spreadsheet numbers them; a malformed record is refused by its number."""
    number = 0
    records = iter(reader)
    while True:
        try:
            row = next(records)
        except StopIteration:
            return
        except csv.Error as exc:
            if source is None:
                raise
            raise ImportRejected([CellProblem(source, number + 1, None, _csv_reason(exc))]) from exc
        number += 1
        if row and (row[0].strip() or "".join(row).strip()):
            yield number, row


def _csv_reason(error: csv.Error) -> str:
    message = str(error)
    if "unexpected end of data" in message:
        return 'a quote (") opened in this row is never closed, so the rest of the file would run into one cell'
    if "field larger than field limit" in message:
        return "the file is not a well-formed CSV: a cell in this row is longer than 131,072 characters"
    return f"the file is not a well-formed CSV here ({message})"


def _sniff_delimiter(text: str, headings: HeadingSet) -> str:
    """The delimiter (comma, semicolon or tab) under which the best heading row appears."""
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        try:
            rows = list(
                itertools.islice(_csv_rows(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)), SCAN_ROWS)
            )
        except csv.Error:
            continue
        score = max((headings.score(row) for _, row in rows), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- XLSX ------------------------------------------------------------------------------------


@contextmanager
def _open_workbook(path: Path, source: str, headings: HeadingSet) -> Iterator[Table]:
    import openpyxl  # imported here: CSV-only users need not pay for it

    small = path.stat().st_size <= _CHECK_MERGES_BELOW_BYTES
    try:
        workbook = openpyxl.load_workbook(path, read_only=not small, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=False, data_only=False) if small else None
    except Exception as exc:  # a damaged or foreign zip: openpyxl raises many kinds
        raise reject(source, f"the file is not an Excel workbook that can be read ({type(exc).__name__})") from exc
    try:
        yield _workbook_table(workbook, source, headings, formulas)
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()


def _workbook_table(workbook: Any, source: str, headings: HeadingSet, formulas: Any = None) -> Table:
    sheets = [sheet for sheet in workbook.worksheets if getattr(sheet, "sheet_state", "visible") == "visible"]
    overlays = {sheet.title: _unreadable_cells(sheet, formulas[sheet.title]) for sheet in sheets} if formulas else {}
    fallback: tuple[int, int, Any] | None = None  # (score, index, sheet)
    any_content = False
    for index, sheet in enumerate(sheets):
        rows = _sheet_rows(sheet, overlays.get(sheet.title))
        top = list(itertools.islice(rows, SCAN_ROWS))
        if not top:
            continue
        any_content = True
        score = max(headings.score(row) for _, row in top)
        if score >= 2:
            table = _find_heading(itertools.chain(top, rows), source=source, headings=headings)
            return _with_sheet(table, index, sheet)
        if score >= 1 and (fallback is None or score > fallback[0]):
            fallback = (score, index, sheet)
    if not any_content:
        raise reject(source, "the workbook is empty: no sheet has any cells filled in")
    if fallback is not None:
        _, index, sheet = fallback
        rows = _sheet_rows(sheet, overlays.get(sheet.title))
        return _with_sheet(_find_heading(rows, source=source, headings=headings), index, sheet)
    raise reject(
        source,
        f"no sheet has a heading row in its first {SCAN_ROWS} rows "
        f"(a {headings.kind} needs headings such as {headings.expected()})",
    )


def _unreadable_cells(sheet: Any, formula_sheet: Any) -> dict[tuple[int, int], UnreadableCell]:
    """Cells that look blank but are not: merged into the cell above, or a formula with no saved result."""
    found: dict[tuple[int, int], UnreadableCell] = {}
    for merged in sheet.merged_cells.ranges:
        for row in range(merged.min_row + 1, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                found[(row, column)] = UnreadableCell(
                    "the cell is blank: it is merged with the cell above; unmerge it and give each row its own value"
                )
    for row in formula_sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f" and sheet.cell(row=cell.row, column=cell.column).value is None:
                found[(cell.row, cell.column)] = UnreadableCell(
                    f"the cell holds a formula ({cell.value}) with no saved result: open the file in Excel, "
                    "let it calculate, and save it again"
                )
    return found


def _with_sheet(table: Table, index: int, sheet: Any) -> Table:
    if index > 0:
        table.sheet = str(getattr(sheet, "title", "") or f"sheet {index + 1}")
    return table


def _sheet_rows(sheet: Any, overlay: dict[tuple[int, int], UnreadableCell] | None = None) -> Iterator[tuple[int, Row]]:
    reset = getattr(sheet, "reset_dimensions", None)
    if reset is not None:
        reset()  # some writers record wrong dimensions; read every row that is there
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if overlay:
            row = tuple(overlay.get((number, column), cell) for column, cell in enumerate(row, 1))
        for cell in row:
            if cell is not None and not (isinstance(cell, str) and not cell.strip()):
                yield number, row
                break


# --- the heading row -------------------------------------------------------------------------


def _find_heading(rows: Iterator[tuple[int, Row]], *, source: str, headings: HeadingSet) -> Table:
    top = list(itertools.islice(rows, SCAN_ROWS))
    if not top:
        raise reject(source, "the file is empty")
    scores = [headings.score(row) for _, row in top]
    best = max(scores)
    if best == 0:
        first = ", ".join(f"'{cell}'" for cell in top[0][1] if cell not in (None, "")) or "nothing"
        raise reject(
            source,
            f"no heading row found in the first {SCAN_ROWS} rows (a {headings.kind} needs headings such as "
            f"{headings.expected()}; row {top[0][0]} has {first})",
        )
    at = scores.index(best)
    heading_row, heading = top[at]
    return Table(source, heading_row, list(heading), itertools.chain(top[at + 1 :], rows))
