"""Reading a spend ledger (CSV or XLSX) into ``ParsedSpendLedger``: one row per payment, refund or income.

Amounts are stored positive with their kind. With no kind column, a negative amount is a
refund. With one, ``credit``/``refund`` mean refund and ``income``/``sale`` mean income; a
negative refund is the same refund, but a negative payment or income is an error. Built to
stream a million CSV rows in seconds: plain numbers and repeated dates take fast paths.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from grants.domain.enums import CapitalRevenue, SpendKind
from grants.imports.cells import (
    CellError,
    fast_amount,
    is_blank,
    memoised,
    read_capital_revenue,
    read_date,
    read_kind,
    read_money,
)
from grants.imports.headings import SPEND_HEADINGS
from grants.imports.normalise import clean_text, normalise_description
from grants.imports.parsed import ImportRejected, ParsedSpendLedger, SpendLedgerRow
from grants.imports.rows import TEXT_LIMITS, RowReader, paused_gc, stray_values, too_long
from grants.imports.tabular import Row, open_table

_TOTAL_LABELS = frozenset({"total", "totals", "grand total", "sub total", "subtotal"})


def read_spend_ledger(path: Path, *, source_name: str | None = None) -> ParsedSpendLedger:
    """Read a spend ledger; raise ``ImportRejected`` listing every problem if any row or column is wrong."""
    source = source_name or Path(path).name
    with open_table(Path(path), source=source, headings=SPEND_HEADINGS) as table:
        columns, heading_problems = SPEND_HEADINGS.resolve(table.heading, source=source, row_number=table.heading_row)
        reader = RowReader(source, columns, table.where)
        reader.problems.extend(reader.located(problem) for problem in heading_problems)
        if reader.problems:
            raise ImportRejected(reader.problems)
        with paused_gc():
            rows, seen = _read_rows(reader, table.rows)
        if not seen:
            reader.problem(table.heading_row, None, "the file has a heading row but no rows of data beneath it")
        elif not rows and not reader.problems:
            reader.problem(None, None, "the ledger has no transactions (only totals or blank rows)")
        if reader.problems:
            raise ImportRejected(reader.problems)
        return ParsedSpendLedger(source=source, rows=rows, headings=dict(columns.written))


def _read_rows(reader: RowReader, table_rows: Iterable[tuple[int, Row]]) -> tuple[list[SpendLedgerRow], int]:
    """The ledger's rows, and how many non-blank rows were seen; problems go to ``reader``."""
    index = reader.columns.index
    i_date, i_amount, i_line = index["date"], index["amount"], index["line"]
    i_reference, i_kind, i_capital = index.get("reference"), index.get("kind"), index.get("capital_revenue")
    needed = max(index.values()) + 1
    width = reader.width
    check_unlabelled = bool(reader.unlabelled)
    h_date, h_amount, h_line = reader.heading("date"), reader.heading("amount"), reader.heading("line")
    problem = reader.problem
    read_date_cached = memoised(read_date)
    read_kind_cached = memoised(read_kind)
    read_capital_cached = memoised(read_capital_revenue)
    lines: dict[str, str] = {}
    rows: list[SpendLedgerRow] = []
    append = rows.append
    seen = 0
    for number, cells in table_rows:
        seen += 1
        row: Row = cells if len(cells) >= needed else [*cells, *([None] * (needed - len(cells)))]
        if check_unlabelled or len(row) > width:
            stray_values(reader, number, row)
        raw_line, raw_date, raw_amount = row[i_line], row[i_date], row[i_amount]
        if type(raw_line) is str:
            line = lines.get(raw_line)
            if line is None:
                line = clean_text(raw_line)
                if len(lines) < 100_000:
                    lines[raw_line] = line
        else:
            line = clean_text(raw_line)
        date_blank = raw_date is None or (type(raw_date) is str and not raw_date.strip())
        if date_blank and _is_total(row, line):
            continue
        ok = True
        if not line:
            problem(number, h_line, "the budget line is blank")
            ok = False
        spent_on: date | None = None
        if date_blank:
            problem(number, h_date, "the date is blank")
        else:
            try:
                spent_on = read_date_cached(raw_date)
            except CellError as exc:
                problem(number, h_date, str(exc))
        amount = fast_amount(raw_amount) if type(raw_amount) is str else None
        if amount is None:
            if is_blank(raw_amount):
                problem(number, h_amount, "the amount is blank")
            else:
                try:
                    amount = read_money(raw_amount).amount
                except CellError as exc:
                    problem(number, h_amount, str(exc))
        kind: SpendKind | None = None
        if i_kind is not None:
            try:
                kind = read_kind_cached(row[i_kind])
            except CellError as exc:
                problem(number, reader.heading("kind"), str(exc))
                ok = False
        capital: CapitalRevenue | None = None
        if i_capital is not None:
            try:
                capital = read_capital_cached(row[i_capital])
            except CellError as exc:
                problem(number, reader.heading("capital_revenue"), str(exc))
                ok = False
        if amount is not None and amount < 0:
            if kind is None or kind is SpendKind.REFUND:
                kind, amount = SpendKind.REFUND, -amount
            else:
                problem(
                    number,
                    h_amount,
                    f"'{clean_text(raw_amount)}' is negative for a {kind.value}: "
                    "record a refund as kind 'refund' (or a positive amount)",
                )
                amount = None
        if amount is not None and not amount:
            problem(number, h_amount, "the amount is zero: a spend of £0.00 records nothing (leave the row out)")
            amount = None
        if not ok or spent_on is None or amount is None:
            continue
        reference = ""
        if i_reference is not None:
            raw_reference = row[i_reference]
            reference = raw_reference.strip() if type(raw_reference) is str else clean_text(raw_reference)
            if len(reference) > TEXT_LIMITS["reference"]:
                problem(number, reader.heading("reference"), too_long(reference, "reference") or "")
                continue
        append(SpendLedgerRow(number, line, spent_on, amount, kind or SpendKind.PAYMENT, reference, capital))
    return rows, seen


def _is_total(row: Row, line: str) -> bool:
    """A Total row: no date, and its line (or first filled cell) says Total."""
    label = line or next((clean_text(cell) for cell in row if not is_blank(cell)), "")
    return normalise_description(label) in _TOTAL_LABELS
