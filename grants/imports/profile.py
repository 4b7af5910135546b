"""Reading a spend profile (planned amount per line per quarter) into ``ParsedProfile``.

Two layouts are read. Wide: ``Line, Q1, Q2, Q3, Q4`` (the year is the caller's, or a ``Year``
column's); a blank quarter cell plans nothing and gives no row. Long: ``Line, Year, Quarter,
Amount`` (``Year`` may be left out for the caller's year). Totals and sub-headings are skipped.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from grants.domain.calendar import FinancialYear
from grants.domain.errors import InvalidPeriod
from grants.imports.cells import CellError, is_blank, read_money
from grants.imports.headings import PROFILE_HEADINGS
from grants.imports.normalise import clean_text, normalise_description
from grants.imports.parsed import ImportRejected, ParsedProfile, ProfileRow
from grants.imports.rows import RowReader, stray_values
from grants.imports.tabular import Cell, Row, open_table

_QUARTER_FIELDS = ("q1", "q2", "q3", "q4")
_LONG_FIELDS = ("quarter", "amount")
_TOTAL_LABELS = frozenset({"total", "totals", "grand total", "sub total", "subtotal"})
_QUARTER = re.compile(r"^(?:q|qtr|quarter)?\s*([1-4])$", re.I)


def read_profile(path: Path, *, year: str, source_name: str | None = None) -> ParsedProfile:
    """Read a spend profile for financial ``year`` (e.g. "2023/24"); raise ``ImportRejected`` listing every problem.

    ``year`` must be a financial year (``InvalidPeriod`` otherwise); a ``Year`` column overrides it row by row.
    """
    default_year = FinancialYear.parse(year).label
    source = source_name or Path(path).name
    with open_table(Path(path), source=source, headings=PROFILE_HEADINGS) as table:
        wide_layout = any(PROFILE_HEADINGS.match(cell) in _QUARTER_FIELDS for cell in table.heading)
        columns, heading_problems = PROFILE_HEADINGS.resolve(
            table.heading,
            source=source,
            row_number=table.heading_row,
            required=["line"] if wide_layout else ["line", *_LONG_FIELDS],
        )
        reader = RowReader(source, columns, table.where)
        reader.problems.extend(reader.located(problem) for problem in heading_problems)
        wide = [name for name in _QUARTER_FIELDS if name in columns.index]
        long = [name for name in _LONG_FIELDS if name in columns.index]
        if wide and long:
            reader.problem(
                table.heading_row,
                columns.written[long[0]],
                "the profile has both quarter columns (Q1-Q4) and a Quarter/Amount column: use one layout",
            )
        if reader.problems:
            raise ImportRejected(reader.problems)
        builder = _ProfileBuilder(reader, default_year, wide)
        for number, row in table.rows:
            builder.add(number, row)
        return builder.finish(table.heading_row)


class _ProfileBuilder:
    def __init__(self, reader: RowReader, default_year: str, quarter_columns: list[str]) -> None:
        self.reader = reader
        self.default_year = default_year
        self.quarter_columns = quarter_columns  # empty: the long layout
        self.rows: list[ProfileRow] = []
        self.first_seen: dict[tuple[str, str, int], int] = {}
        self.saw_data = False

    def add(self, number: int, row: Row) -> None:
        self.saw_data = True
        reader = self.reader
        stray_values(reader, number, row)
        line = clean_text(reader.cell(row, "line"))
        label = line or next((clean_text(cell) for cell in row if not is_blank(cell)), "")
        if normalise_description(label) in _TOTAL_LABELS:
            return
        amount_fields = self.quarter_columns or ["amount"]
        if all(is_blank(reader.cell(row, name)) for name in amount_fields):
            if not line:
                reader.problem(number, None, "this row has neither a line nor any amounts")
            return  # a sub-heading
        if not line:
            reader.problem(number, reader.heading("line"), "this row has amounts but no budget line")
        year = self._year(number, reader.cell(row, "year"))
        if self.quarter_columns:
            for name in self.quarter_columns:
                value = reader.cell(row, name)
                if not is_blank(value):
                    amount = self._amount(number, name, value)
                    self._add(number, line, year, int(name[1]), amount)
        else:
            quarter = self._quarter(number, reader.cell(row, "quarter"))
            amount = self._amount(number, "amount", reader.cell(row, "amount"))
            self._add(number, line, year, quarter, amount)

    def _add(self, number: int, line: str, year: str | None, quarter: int | None, amount: Decimal | None) -> None:
        if not line or year is None or quarter is None or amount is None:
            return
        key = (normalise_description(line), year, quarter)
        first = self.first_seen.setdefault(key, number)
        if first != number:
            self.reader.problem(
                number, None, f"a second amount for '{line}' in {year} Q{quarter} (the first is on row {first})"
            )
            return
        self.rows.append(ProfileRow(row=number, line=line, year=year, quarter=quarter, amount=amount))

    def _year(self, number: int, value: Cell) -> str | None:
        if is_blank(value):
            return self.default_year
        try:
            return FinancialYear.parse(clean_text(value)).label
        except InvalidPeriod:
            self.reader.problem(
                number, self.reader.heading("year"), f"'{clean_text(value)}' is not a financial year like 2023/24"
            )
            return None

    def _quarter(self, number: int, value: Cell) -> int | None:
        match = _QUARTER.match(clean_text(value))
        if match:
            return int(match[1])
        reason = "the quarter is blank" if is_blank(value) else f"'{clean_text(value)}' is not a quarter (Q1 to Q4)"
        self.reader.problem(number, self.reader.heading("quarter"), reason)
        return None

    def _amount(self, number: int, name: str, value: Cell) -> Decimal | None:
        heading = self.reader.heading(name)
        if is_blank(value):
            self.reader.problem(number, heading, "the amount is blank")
            return None
        try:
            amount = read_money(value).amount
        except CellError as exc:
            self.reader.problem(number, heading, str(exc))
            return None
        if amount < 0:
            self.reader.problem(number, heading, f"'{clean_text(value)}' is negative: a planned amount cannot be")
            return None
        return amount

    def finish(self, heading_row: int) -> ParsedProfile:
        reader = self.reader
        if not self.saw_data:
            reader.problem(heading_row, None, "the file has a heading row but no rows of data beneath it")
        elif not self.rows and not reader.problems:
            reader.problem(None, None, "the profile has no planned amounts (only totals, sub-headings or blank rows)")
        if reader.problems:
            raise ImportRejected(reader.problems)
        return ParsedProfile(source=reader.source, rows=self.rows, headings=dict(reader.columns.written))
