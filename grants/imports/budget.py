"""Reading a budget table (CSV or XLSX) into ``ParsedBudgetTable``: lines, printed totals, funding received.

The table is taken as printed: a ``Total`` row fills the totals and is not a line; a row that
starts ``Funding Received`` gives the money received (approximate when it says approx/circa);
a ``Funding Received`` column gives each line's received amount; ``Balance Remaining`` is kept
as printed, for the service to compare. Every problem in the file is collected before the
reader gives up with ``ImportRejected``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from grants.domain.money import ParsedMoney
from grants.imports.cells import ZERO, CellError, is_blank, read_capital_revenue, read_money
from grants.imports.headings import BUDGET_HEADINGS
from grants.imports.normalise import clean_text, normalise_area, normalise_description
from grants.imports.parsed import BudgetTableRow, ImportRejected, ParsedBudgetTable
from grants.imports.rows import RowReader, stray_values, too_long
from grants.imports.tabular import Cell, Row, open_table

_TOTAL_LABELS = frozenset({"total", "totals", "grand total", "total budget", "overall total"})
_SUBTOTAL_LABELS = frozenset({"sub total", "subtotal", "sub totals", "subtotals"})
_RECEIVED_LABEL = re.compile(r"^\W*funding\s+received\b[\s:=\-–]*", re.I)
_APPROX_LABEL = re.compile(r"\b(approx|approximate|approximately|circa|estimated|est)\b", re.I)
_AMOUNT_FIELDS = ("allocated", "spent", "balance", "received")


def read_budget_table(path: Path, *, source_name: str | None = None) -> ParsedBudgetTable:
    """Read a budget table; raise ``ImportRejected`` listing every problem if any row or column is wrong."""
    source = source_name or Path(path).name
    with open_table(Path(path), source=source, headings=BUDGET_HEADINGS) as table:
        columns, heading_problems = BUDGET_HEADINGS.resolve(table.heading, source=source, row_number=table.heading_row)
        reader = RowReader(source, columns, table.where)
        reader.problems.extend(reader.located(problem) for problem in heading_problems)
        if reader.problems:
            raise ImportRejected(reader.problems)
        builder = _BudgetBuilder(reader)
        for number, row in table.rows:
            builder.add(number, row)
        return builder.finish(table.heading_row)


class _BudgetBuilder:
    def __init__(self, reader: RowReader) -> None:
        self.reader = reader
        self.columns = reader.columns
        self.rows: list[BudgetTableRow] = []
        self.totals: dict[str, Decimal | None] | None = None
        self.total_row: int | None = None
        self.funding_received: ParsedMoney | None = None
        self.funding_row: int | None = None
        self.fund_heading = ""  # the description of a fund heading row, as written
        self.saw_data = False
        self.received_written = False  # a line's Funding Received cell was filled in

    def add(self, number: int, row: Row) -> None:
        self.saw_data = True
        reader = self.reader
        stray_values(reader, number, row)
        description = clean_text(reader.cell(row, "description"))
        label_at, label = _label(row, description, reader)
        key = normalise_description(label)
        if key in _TOTAL_LABELS:
            self._total(number, row)
            return
        if key in _SUBTOTAL_LABELS:
            return
        if _RECEIVED_LABEL.match(label):
            self._funding_received(number, row, label_at, label)
            return
        present = [name for name in _AMOUNT_FIELDS if not is_blank(reader.cell(row, name))]
        if not present:
            if not description and any(not is_blank(reader.cell(row, name)) for name in reader.columns.index):
                reader.problem(number, None, "this row has neither a description nor any amounts")
            return  # a sub-heading (a description on its own) or a row of notes
        if description and present == ["received"]:
            self._fund_heading(number, row, description)
            return
        self.received_written = self.received_written or "received" in present
        if not description:
            reader.problem(number, reader.heading("description"), "this row has amounts but no description")
        allocated = self._money(number, row, "allocated", blank=None, negative_ok=False)
        if allocated is None and "allocated" not in present:
            reader.problem(number, reader.heading("allocated"), "the amount allocated is blank")
        spent = self._money(number, row, "spent", blank=ZERO, negative_ok=False)
        balance = self._money(number, row, "balance", blank=ZERO, negative_ok=True)
        received = self._money(number, row, "received", blank=ZERO, negative_ok=False)
        capital_revenue = None
        try:
            capital_revenue = read_capital_revenue(reader.cell(row, "capital_revenue"))
        except CellError as exc:
            reader.problem(number, reader.heading("capital_revenue"), str(exc))
        for field in ("description", "delivery_partner", "strategic_priority", "area", "theme", "cohort"):
            if field in self.columns.index:
                reason = too_long(clean_text(reader.cell(row, field)), field)
                if reason:
                    reader.problem(number, reader.heading(field), reason)
                    allocated = None
        line_id = self._line_id(number, row)
        if allocated is None or not description:
            return
        self.rows.append(
            BudgetTableRow(
                row=number,
                description=description,
                allocated=allocated.amount,
                spent=spent.amount if spent else None,
                balance=balance.amount if balance else None,
                received=received.amount if received else None,
                received_approximate=bool(received and received.approximate),
                allocated_approximate=allocated.approximate,
                delivery_partner=clean_text(reader.cell(row, "delivery_partner")),
                strategic_priority=clean_text(reader.cell(row, "strategic_priority")),
                area=normalise_area(reader.cell(row, "area")),
                theme=clean_text(reader.cell(row, "theme")),
                cohort=clean_text(reader.cell(row, "cohort")),
                capital_revenue=capital_revenue,
                line_id=line_id,
            )
        )

    def _line_id(self, number: int, row: Row) -> int | None:
        """The tracker's line id from a "Line ID" column (blank: none)."""
        reader = self.reader
        if "line_id" not in self.columns.index:
            return None
        value = reader.cell(row, "line_id")
        if is_blank(value):
            return None
        text = clean_text(value).removesuffix(".0")
        if text.isascii() and text.isdigit() and 0 < int(text) < 2**31:
            return int(text)
        reader.problem(number, reader.heading("line_id"), f"'{clean_text(value)}' is not a line id (a whole number)")
        return None

    def _money(
        self, number: int, row: Row, name: str, *, blank: Decimal | None, negative_ok: bool
    ) -> ParsedMoney | None:
        reader = self.reader
        if name not in self.columns.index:
            return None
        value = reader.cell(row, name)
        if is_blank(value):
            return None if blank is None else ParsedMoney(blank)
        try:
            parsed = read_money(value)
        except CellError as exc:
            reader.problem(number, reader.heading(name), str(exc))
            return None
        if parsed.amount < 0 and not negative_ok:
            reader.problem(
                number, reader.heading(name), f"'{clean_text(value)}' is negative: the {_label_of(name)} cannot be"
            )
            return None
        return parsed

    def _total(self, number: int, row: Row) -> None:
        if self.totals is not None:
            self.reader.problem(number, None, f"a second Total row (the first is row {self.total_row})")
            return
        totals: dict[str, Decimal | None] = {}
        for name in _AMOUNT_FIELDS:
            if is_blank(self.reader.cell(row, name)):
                totals[name] = None
                continue
            parsed = self._money(number, row, name, blank=None, negative_ok=name == "balance")
            totals[name] = parsed.amount if parsed else None
        self.totals, self.total_row = totals, number

    def _fund_heading(self, number: int, row: Row, description: str) -> None:
        """A fund heading row: the fund's name, Funding Received filled in, allocation cells blank."""
        reader = self.reader
        if self.funding_received is not None:
            reader.problem(number, reader.heading("received"), self._second_funding())
            return
        received = self._money(number, row, "received", blank=None, negative_ok=False)
        if received is None:
            return
        self.funding_received, self.funding_row, self.fund_heading = received, number, description

    def _second_funding(self) -> str:
        return f"a second Funding Received figure for one table (the first is on row {self.funding_row})"

    def _funding_received(self, number: int, row: Row, label_at: int, label: str) -> None:
        reader = self.reader
        if self.funding_received is not None:
            reader.problem(number, None, self._second_funding())
            return
        rest = _RECEIVED_LABEL.sub("", label).strip()
        candidates: list[tuple[int, Cell]] = []
        if rest and not _APPROX_LABEL.fullmatch(rest.strip("() ")):
            candidates.append((label_at, rest))
        candidates.extend((i, cell) for i, cell in enumerate(row) if i > label_at and not is_blank(cell))
        if not candidates:
            reader.problem(number, reader.columns.heading_at(label_at), "the Funding Received row has no amount")
            return
        column, value = candidates[0]
        try:
            parsed = read_money(value)
        except CellError as exc:
            reader.problem(number, reader.columns.heading_at(column), str(exc))
            return
        approximate = parsed.approximate or bool(_APPROX_LABEL.search(label))
        self.funding_received, self.funding_row = ParsedMoney(parsed.amount, approximate), number

    def finish(self, heading_row: int) -> ParsedBudgetTable:
        reader = self.reader
        if not self.saw_data:
            reader.problem(heading_row, None, "the file has a heading row but no rows of data beneath it")
        elif not self.rows and not reader.problems and self.funding_received is None:
            reader.problem(None, None, "the table has no budget lines (only totals, sub-headings or blank rows)")
        if reader.problems:
            raise ImportRejected(reader.problems)
        totals = self.totals or {}
        total_received = totals.get("received")
        funding = self.funding_received
        if funding is None and (total_received is not None or self.received_written):  # not a blank column
            column_total = total_received
            if column_total is None:
                column_total = sum((r.received or ZERO for r in self.rows), ZERO)
            approximate = any(r.received_approximate for r in self.rows)
            funding = ParsedMoney(column_total, approximate)
        return ParsedBudgetTable(
            source=reader.source,
            rows=self.rows,
            total_allocated=totals.get("allocated"),
            total_spent=totals.get("spent"),
            total_balance=totals.get("balance"),
            total_received=total_received,
            funding_received=funding.amount if funding else None,
            funding_received_approximate=bool(funding and funding.approximate),
            headings=dict(self.columns.written),
            fund_heading=self.fund_heading,
        )


def _label(row: Row, description: str, reader: RowReader) -> tuple[int, str]:
    """The row's label: its description, or else its first non-blank text cell (with its column)."""
    if description:
        return reader.columns.index["description"], description
    for index, cell in enumerate(row):
        if isinstance(cell, str) and cell.strip():
            return index, clean_text(cell)
        if not is_blank(cell):
            break
    return -1, ""


def _label_of(name: str) -> str:
    return BUDGET_HEADINGS.fields[name].label
