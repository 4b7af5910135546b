"""Reading a file that holds several funds' budget tables, one per sheet or stacked in one sheet.

Each table goes to the fund its heading names (see ``grants.imports.sections``): a title row above
the column headings, a fund heading row (the fund's name, "£15,000 approx" under Funding Received,
blank allocation cells), or the sheet's name. Each table is read exactly as ``read_budget_table``
reads a single one. Every problem in every sheet is collected (naming the sheet, row, column and
reason) before the reader gives up with ``ImportRejected``; nothing is half read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grants.imports.budget import _BudgetBuilder
from grants.imports.cells import is_blank
from grants.imports.headings import BUDGET_HEADINGS
from grants.imports.normalise import clean_text
from grants.imports.parsed import CellProblem, ImportRejected, ParsedBudgetTable, Problems
from grants.imports.rows import RowReader
from grants.imports.sections import FundName, FundNamer, SheetSplitter
from grants.imports.sheets import Sheet, open_sheets
from grants.imports.tabular import Row


@dataclass(frozen=True)
class FundTable:
    """One fund's table: the fund it names, where it sits, and its lines and figures."""

    fund: FundName
    sheet: str | None
    table: ParsedBudgetTable

    @property
    def where(self) -> str:
        place = f"sheet '{self.sheet}'" if self.sheet is not None else "the file"
        return f"{place}, row {self.fund.row}" if self.fund.row is not None else place


def read_fund_tables(path: Path, *, namer: FundNamer, year: str, source_name: str | None = None) -> list[FundTable]:
    """Every fund's table in the file, in order; ``ImportRejected`` listing every problem if any is wrong.

    ``namer`` says which fund a heading names; ``year`` is the financial year being imported ("2017/18"): a
    heading naming another year is refused.
    """
    source = source_name or Path(path).name
    problems = Problems()
    tables: list[FundTable] = []
    with open_sheets(Path(path), source=source, headings=BUDGET_HEADINGS) as sheets:
        for sheet in sheets:
            _SheetReader(source, sheet, namer, year, problems, tables).read()
    if not tables and not problems:
        problems.append(
            CellProblem(
                source,
                None,
                None,
                "no budget table found: a table needs a heading row such as 'Description' and 'Amount Allocated'",
            )
        )
    seen: dict[str, FundTable] = {}
    for found in tables:
        first = seen.setdefault(found.fund.code, found)
        if first is not found:
            problems.append(
                CellProblem(
                    source,
                    found.fund.row,
                    None,
                    f"a second table for {found.fund.code} ('{found.fund.text}'); the first is at {first.where}"
                    + (f" (sheet '{found.sheet}')" if found.sheet is not None else ""),
                )
            )
    if problems:
        raise ImportRejected(problems)
    return tables


class _SheetReader:
    def __init__(
        self, source: str, sheet: Sheet, namer: FundNamer, year: str, problems: Problems, tables: list[FundTable]
    ) -> None:
        self.source, self.sheet, self.year = source, sheet, year
        self.problems, self.tables = problems, tables
        self.splitter = SheetSplitter(BUDGET_HEADINGS, namer)
        self.sheet_fund = self.splitter.name(sheet.name, None) if sheet.name else None
        self.pending: FundName | None = self.sheet_fund
        self.reader: RowReader | None = None
        self.heading_row = 0
        self.builder: _BudgetBuilder | None = None
        self.fund: FundName | None = None
        self.skipping = False  # the heading row above was wrong: its rows are not read

    def read(self) -> None:
        for piece in self.splitter.pieces(self.sheet):
            if piece.kind == "heading":
                self._close()
                self._heading(piece.number, piece.row)
            elif piece.kind == "fund":
                self._close()
                self.pending = piece.fund
            elif self.reader is not None and not self.skipping:
                self._row(piece.number, piece.row)
        self._close()

    def _heading(self, number: int, row: Row) -> None:
        columns, heading_problems = BUDGET_HEADINGS.resolve(row, source=self.source, row_number=number)
        self.reader = RowReader(self.source, columns, self.sheet.where)
        self.heading_row = number
        self.skipping = bool(heading_problems)
        self.problems.extend(self.reader.located(problem) for problem in heading_problems)

    def _row(self, number: int, cells: Row) -> None:
        assert self.reader is not None
        description = clean_text(self.reader.cell(cells, "description"))
        allocated_blank = is_blank(self.reader.cell(cells, "allocated"))
        named = self.splitter.name(description, number) if description and allocated_blank else None
        if named is not None:
            self._close()
            self.pending = named
        if self.builder is None:
            self._open()
        assert self.builder is not None
        self.builder.add(number, cells)

    def _open(self) -> None:
        assert self.reader is not None
        reader = RowReader(self.source, self.reader.columns, self.sheet.where)
        self.builder, self.fund = _BudgetBuilder(reader), self.pending
        self.pending = self.sheet_fund

    def _close(self) -> None:
        builder, fund = self.builder, self.fund
        self.builder = self.fund = None
        if builder is None:
            return
        if not builder.saw_data:
            return
        where = self.sheet.where
        if fund is None:
            self.problems.append(
                CellProblem(
                    self.source,
                    self.heading_row,
                    None,
                    "the table under these headings does not say which fund it is: name the fund in a title row "
                    "above the headings, in the table's first row, or in the sheet's name" + where,
                )
            )
        elif fund.year and fund.year != self.year:
            self.problems.append(
                CellProblem(
                    self.source,
                    fund.row,
                    None,
                    f"'{fund.text}' is for {fund.year}, but the import is for {self.year}{where}",
                )
            )
        try:
            table = builder.finish(self.heading_row)
        except ImportRejected as rejected:
            self.problems.extend(rejected.problems)
            return
        if fund is not None:
            self.tables.append(FundTable(fund, self.sheet.name, table))
