"""``python -m benchmarks.sheets``: how long a spend ledger *workbook* of N rows takes to read, or to refuse.

    python -m benchmarks.sheets [--rows 250000,999999,1048575] [--workdir DIR]

Each size is written as a raw OOXML sheet (``write_xlsx``: openpyxl would take minutes), then read with
``read_spend_ledger`` (every row parsed and validated, or the file refused) in its own process; the
figures are wall seconds and that process's peak memory. The issue's target: a million-row sheet
imports, or is refused for its size, within 60 s; BENCHMARKS.md has the results.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Spend" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def xml_row(number: int, values: list[str | float]) -> str:
    """One ``<row>``: text as inline strings, numbers as values."""
    cells = []
    for i, value in enumerate(values, 1):
        reference = f"{column_letter(i)}{number}"
        if isinstance(value, str):
            cells.append(f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>')
        else:
            cells.append(f'<c r="{reference}"><v>{value}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def write_xlsx(path: Path, dimension: str | None, chunks: Iterator[str], *, level: int = 6) -> Path:
    """A one-sheet workbook whose sheet XML is streamed from ``chunks`` (the rows inside ``sheetData``)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for chunk in chunks:
                sheet.write(chunk.encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def ledger_xlsx(path: Path, rows: int, *, dimension: bool = True, line: str = "Mediation") -> Path:
    """A spend ledger workbook: a heading row and ``rows`` payments (Excel's limit is 1,048,576 rows in all)."""

    def chunks() -> Iterator[str]:
        yield xml_row(1, ["Date", "Amount", "Budget Line"])
        batch: list[str] = []
        for number in range(2, rows + 2):
            batch.append(xml_row(number, [f"{number % 28 + 1:02d}/06/2023", number % 9000 + 1, line]))
            if len(batch) == 10_000:
                yield "".join(batch)
                batch.clear()
        yield "".join(batch)

    return write_xlsx(path, f"A1:C{rows + 1}" if dimension else None, chunks(), level=1)


def _read(path: str) -> None:
    """In the child: read the ledger and print rows read (or the refusal), seconds and peak MB."""
    from grants.imports.parsed import ImportRejected
    from grants.imports.spend import read_spend_ledger

    started = time.monotonic()
    try:
        outcome = f"read {len(read_spend_ledger(Path(path)).rows):,} rows"
    except ImportRejected as exc:
        outcome = "refused: " + str(exc.problems[0].reason)[:80]
    seconds = time.monotonic() - started
    print(f"{seconds:.1f}\t{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}\t{outcome}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sheets")
    parser.add_argument("--rows", default="250000,999999,1048575")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--read", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.read:
        _read(args.read)
        return 0
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="bench-sheets-"))
    print("rows\tMB on disk\tseconds\tpeak MB\toutcome")
    for rows in (int(n) for n in args.rows.split(",")):
        path = ledger_xlsx(folder / f"ledger-{rows}.xlsx", rows)
        child = [sys.executable, "-m", "benchmarks.sheets", "--read", str(path)]
        result = subprocess.run(child, capture_output=True, text=True, check=True).stdout.strip()
        print(f"{rows:,}\t{path.stat().st_size / 1e6:.1f}\t{result}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
