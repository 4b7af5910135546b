"""Generators for the bomb files of issue 15: made in the test's folder, never committed.

Workbooks are written as raw OOXML parts (openpyxl would take minutes for these sizes); each is a valid
.xlsx that Excel and openpyxl open. The output is deterministic.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Spend" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _cell(reference: str, value: str | float) -> str:
    if isinstance(value, str):
        return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{reference}"><v>{value}</v></c>'


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def xml_row(number: int, values: list[str | float]) -> str:
    cells = "".join(_cell(f"{column_letter(i)}{number}", value) for i, value in enumerate(values, 1))
    return f'<row r="{number}">{cells}</row>'


def write_xlsx(path: Path, dimension: str | None, chunks: Iterator[str], *, level: int = 6) -> Path:
    """A one-sheet workbook whose sheet XML is streamed from ``chunks`` (between the sheetData tags)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for chunk in chunks:
                sheet.write(chunk.encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


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

    def chunks() -> Iterator[str]:
        yield xml_row(1, HEADING)
        batch: list[str] = []
        for number in range(2, rows + 2):
            batch.append(xml_row(number, [f"{number % 28 + 1:02d}/06/2023", number % 9000 + 1, line]))
            if len(batch) == 10_000:
                yield "".join(batch)
                batch.clear()
        yield "".join(batch)

    return write_xlsx(folder / name, f"A1:C{rows + 1}" if dimension else None, chunks(), level=1)


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
