"""Reading a CSV or XLSX file into numbered rows under a recognised heading row.

``open_table`` is the one entry point. It works out what the file is (by its bytes, then its
name), decodes a CSV (UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252 as Excel
saves it), sniffs its delimiter (comma, semicolon or tab), or opens a workbook read-only with
formula results rather than formulas. It then finds the heading row among the first rows (a
title such as "Partnership Locality Fund 2017/18" may sit above it) and hands back the data
rows as a stream, numbered as the spreadsheet numbers them, with entirely blank rows skipped.

Anything that stops the file being read at all raises ``ImportRejected`` with a plain reason.

Bounded work for every input: besides the 64 MB file limit, a workbook may expand to at most
``MAX_EXPANDED_BYTES`` (read from the zip's directory before anything is inflated), a CSV may hold at
most ``MAX_DATA_ROWS`` rows of data and a workbook sheet ``MAX_SHEET_ROWS`` (a sheet's declared size and
its row tags are counted first, the rows again as they stream), a row at most ``MAX_COLUMNS`` filled
columns and a CSV line at most ``MAX_LINE_CHARS`` characters (checked before the CSV parser splits it).
Each is refused as soon as it is seen, with the limit named, so memory stays bounded and a refusal
comes in seconds.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias

from grants.imports.headings import HeadingSet
from grants.imports.parsed import CellProblem, ImportRejected, Problems

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
MAX_EXPANDED_BYTES = 256 * 1024 * 1024
"""The most a workbook's parts may add up to once inflated (a 1 MB zip can hold 1 GB of sheet)."""
MAX_DATA_ROWS = 1_000_000
"""The most rows of data a CSV file may hold (plus its titles and heading row)."""
MAX_SHEET_ROWS = 250_000
"""The most rows of data a workbook sheet may hold: a sheet is parsed cell by cell, many times slower than a
CSV, and this many rows import in well under a minute (BENCHMARKS.md); a bigger ledger goes as CSV."""
MAX_COLUMNS = 256
"""The right-most column that may hold a value."""
MAX_LINE_CHARS = 2_000_000
"""The longest physical line of a CSV file."""
_CHECK_MERGES_BELOW_EXPANDED = 8 * 1024 * 1024
"""Workbooks expanding to at most this are also read in full mode, to find merged cells and formulas with no
result or with a value linked from another file; larger ones are read as a stream only."""
_EXTERNAL_FORMULA = re.compile(r"\[\d+\]|\w\|'")  # [1]Sheet!A1 (another workbook), App|'topic'!item (DDE)
_EXTERNAL_PARTS = "xl/externalLinks/"
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_COUNT_ROWS_ABOVE_BYTES = 16 * 1024 * 1024  # a million rows of data take far more XML than this


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
    workbook = preflight(path, source)
    if workbook is not None:
        expanded, linked = workbook
        with _open_workbook(path, source, headings, expanded=expanded, linked=linked) as table:
            yield table
        return
    yield _csv_table(path, source, headings)


def preflight(path: Path, source: str) -> tuple[int, bool] | None:
    """Check a file before reading it: (expanded size, links out) for a workbook, None for a CSV.

    Raises ``ImportRejected`` for a file too big, an old or protected workbook, or a name that lies.
    """
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
        return _inspect_zip(path, source)
    if suffix in _WORKBOOK_SUFFIXES:
        what = "it is empty" if not head else "it looks like text or another kind of file"
        raise reject(source, f"the file is named {suffix} but is not an Excel workbook ({what})")
    return None


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
    reader = csv.reader(_bounded_lines(text, source), delimiter=delimiter, strict=True)
    return _find_heading(_csv_rows(reader, source), source=source, headings=headings)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _bounded_lines(text: str, source: str) -> Iterator[str]:
    """The file's lines one at a time (no copy of the whole text), refusing one longer than the limit."""
    for number, match in enumerate(_LINE.finditer(text), 1):
        length = match.end() - match.start()
        if length > MAX_LINE_CHARS:
            raise ImportRejected(
                [
                    CellProblem(
                        source,
                        number,
                        None,
                        f"the line is {length:,} characters long; the tracker reads lines of up to "
                        f"{MAX_LINE_CHARS:,} (is this a CSV file with one record per line?)",
                    )
                ]
            )
        yield match.group()


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
            if source is not None:
                _check_bounds(source, number, row, MAX_DATA_ROWS)
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


def _last_row(limit: int) -> int:
    """The highest spreadsheet row number a file with ``limit`` rows of data may reach (titles and heading)."""
    return limit + SCAN_ROWS + 1


def _too_many_rows(source: str, found: str, limit: int) -> ImportRejected:
    csv_too = f" (or save it as CSV, up to {MAX_DATA_ROWS:,} rows)" if limit < MAX_DATA_ROWS else ""
    return reject(source, f"{found}; the tracker imports up to {limit:,} rows of data from one file: split it{csv_too}")


def _check_bounds(source: str, number: int, row: Row, limit: int) -> None:
    """Refuse a row past the row limit, or with a value beyond the column limit."""
    if number > _last_row(limit):
        raise _too_many_rows(source, f"the file has more than {limit:,} rows of data", limit)
    if len(row) > MAX_COLUMNS:
        last = max(i for i, cell in enumerate(row) if cell is not None and cell != "") + 1
        if last > MAX_COLUMNS:
            raise ImportRejected(
                [
                    CellProblem(
                        source,
                        number,
                        None,
                        f"the row has a value in column {last:,}; the tracker reads the first {MAX_COLUMNS} "
                        "columns only (delete the columns beyond them)",
                    )
                ]
            )


# --- XLSX ------------------------------------------------------------------------------------


def _inspect_zip(path: Path, source: str) -> tuple[int, bool]:
    """The workbook's size once inflated (from the zip's directory, nothing inflated), and whether it links out."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise reject(source, f"the file is not an Excel workbook that can be read ({type(exc).__name__})") from exc
    expanded = sum(part.file_size for part in parts)
    if expanded > MAX_EXPANDED_BYTES or len(parts) > 10_000:
        raise reject(
            source,
            f"the workbook expands to {expanded / 1024 / 1024:,.0f} MB in {len(parts):,} parts when opened; the "
            f"tracker reads workbooks of up to {MAX_EXPANDED_BYTES // 1024 // 1024} MB expanded (save the sheet "
            "as CSV, or split it)",
        )
    for part in parts:
        if part.filename.startswith("xl/worksheets/") and part.file_size > _COUNT_ROWS_ABOVE_BYTES:
            rows = _count_rows(path, part.filename)
            if rows > _last_row(MAX_SHEET_ROWS):
                raise _too_many_rows(source, f"a sheet has {rows:,} rows", MAX_SHEET_ROWS)
    return expanded, any(part.filename.startswith(_EXTERNAL_PARTS) for part in parts)


def _count_rows(path: Path, name: str) -> int:
    """How many row elements a sheet part holds, counted in its raw XML as it inflates (about 1 s per 100 MB).

    A sheet need not declare its size, and parsing a million rows takes a minute: counting first lets a
    sheet that is too long be refused in seconds.
    """
    count, tail = 0, b""
    with zipfile.ZipFile(path) as archive, archive.open(name) as sheet:
        while chunk := sheet.read(1 << 20):
            window = tail + chunk
            count += len(_ROW_TAG.findall(window))
            tail = window[-16:]
            count -= len(_ROW_TAG.findall(tail))  # a tag in the overlap is counted with the next chunk
    return count + len(_ROW_TAG.findall(tail))


@contextmanager
def _open_workbook(
    path: Path, source: str, headings: HeadingSet, *, expanded: int = 0, linked: bool = False
) -> Iterator[Table]:
    with opened_workbook(path, source, expanded=expanded, linked=linked) as (workbook, formulas):
        yield _workbook_table(workbook, source, headings, formulas)


@contextmanager
def opened_workbook(path: Path, source: str, *, expanded: int = 0, linked: bool = False) -> Iterator[tuple[Any, Any]]:
    """The workbook's cached values (and, when small, its formulas, to find merged or linked cells), closed after;
    a workbook with external links too large to check cell by cell is refused."""
    import openpyxl  # imported here: CSV-only users need not pay for it

    small = expanded <= _CHECK_MERGES_BELOW_EXPANDED
    if linked and not small:
        raise reject(
            source,
            "the workbook takes values from other files or programs (external links or DDE), which the "
            "tracker does not import: copy the cells and paste them as values, or save the sheet as CSV",
        )
    try:
        workbook = openpyxl.load_workbook(path, read_only=not small, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=False, data_only=False) if small else None
    except Exception as exc:  # a damaged or foreign zip: openpyxl raises many kinds
        raise reject(source, f"the file is not an Excel workbook that can be read ({type(exc).__name__})") from exc
    try:
        if linked and formulas is not None:
            _refuse_linked_cells(workbook, formulas, source)
        yield workbook, formulas
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
        rows = _sheet_rows(sheet, overlays.get(sheet.title), source)
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
        rows = _sheet_rows(sheet, overlays.get(sheet.title), source)
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


def _refuse_linked_cells(workbook: Any, formulas: Any, source: str) -> None:
    """Refuse cells whose saved value comes from another workbook or a program (external link, DDE), by cell."""
    problems = Problems()
    for sheet in workbook.worksheets:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        for row in formulas[sheet.title].iter_rows():
            for cell in row:
                if cell.data_type == "f" and _EXTERNAL_FORMULA.search(str(cell.value)):
                    problems.append(
                        CellProblem(
                            source,
                            cell.row,
                            f"{sheet.title}!{cell.coordinate}",
                            f"the value comes from a link to another file or program ({cell.value}); the tracker "
                            "does not import linked values: copy the cells and paste them as values",
                        )
                    )
    if problems:
        raise ImportRejected(problems)


def _with_sheet(table: Table, index: int, sheet: Any) -> Table:
    if index > 0:
        table.sheet = str(getattr(sheet, "title", "") or f"sheet {index + 1}")
    return table


def _sheet_rows(
    sheet: Any, overlay: dict[tuple[int, int], UnreadableCell] | None = None, source: str | None = None
) -> Iterator[tuple[int, Row]]:
    declared = getattr(sheet, "max_row", None)  # from the sheet's own dimension, before anything is read
    if source is not None and isinstance(declared, int) and declared > _last_row(MAX_SHEET_ROWS):
        raise _too_many_rows(source, f"sheet '{sheet.title}' has {declared:,} rows", MAX_SHEET_ROWS)
    reset = getattr(sheet, "reset_dimensions", None)
    if reset is not None:
        reset()  # some writers record wrong dimensions; read every row that is there (and count them)
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if overlay:
            row = tuple(overlay.get((number, column), cell) for column, cell in enumerate(row, 1))
        for cell in row:
            if cell is not None and not (isinstance(cell, str) and not cell.strip()):
                if source is not None:
                    _check_bounds(source, number, row, MAX_SHEET_ROWS)
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
