"""The one CSV writer: every CSV the product writes goes through :func:`csv_document`.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some also after a tab
or carriage return) as a formula: a delivery partner called ``=HYPERLINK("http://x","Click")`` must
arrive as text. Every cell is guarded here, whatever column it is in, so a new column cannot forget:
a cell that starts with one of those characters gets a leading single quote (``'=HYPERLINK(...)``),
which spreadsheet programs show as text.

Decision: a plain decimal number (``-12.50``, ``-3``) is left as it is, so money stays numeric when
the file is opened; it cannot run anything. Anything else starting ``-`` (``-1+2``, ``--x``) is quoted.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value: object) -> str:
    """One cell as text a spreadsheet will not run (``None`` is blank)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def is_guarded(cell: str) -> bool:
    """Whether a cell read back from a CSV is safe: not formula-like, or a plain number."""
    return not cell.startswith(FORMULA_STARTS) or bool(_PLAIN_NUMBER.fullmatch(cell))


def csv_document(headings: Sequence[str], rows: Iterable[Sequence[object]], *, lineterminator: str = "\r\n") -> str:
    """A whole CSV document: the headings, then the rows, every cell through :func:`safe_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerow([safe_cell(heading) for heading in headings])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_records(
    rows: Sequence[Mapping[str, object]], fields: Sequence[str] | None = None, *, lineterminator: str = "\n"
) -> str:
    """Dictionaries as CSV under their keys (or ``fields``), guarded as :func:`csv_document`."""
    names = list(fields) if fields is not None else (list(rows[0]) if rows else [])
    return csv_document(names, ([row.get(name, "") for name in names] for row in rows), lineterminator=lineterminator)
