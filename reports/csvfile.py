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


NOTICE_HEADING = "Notice"


def csv_document(
    headings: Sequence[str], rows: Iterable[Sequence[object]], *, lineterminator: str = "\r\n", notice: str = ""
) -> str:
    """A whole CSV document: the headings, then the rows, every cell through :func:`safe_cell`.

    ``notice`` (e.g. "Demo data: ...") goes into a last column, ``Notice``, on every row, so any row cut out
    of the file still carries it.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    extra = [notice] if notice else []
    writer.writerow([safe_cell(heading) for heading in [*headings, *([NOTICE_HEADING] if notice else [])]])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in [*row, *extra]])
    return buffer.getvalue()


def csv_records(
    rows: Sequence[Mapping[str, object]],
    fields: Sequence[str] | None = None,
    *,
    lineterminator: str = "\n",
    notice: str = "",
) -> str:
    """Dictionaries as CSV under their keys (or ``fields``), guarded (and noticed) as :func:`csv_document`."""
    names = list(fields) if fields is not None else (list(rows[0]) if rows else [])
    cells = ([row.get(name, "") for name in names] for row in rows)
    return csv_document(names, cells, lineterminator=lineterminator, notice=notice)
