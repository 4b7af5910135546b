"""What the file readers hand to the import service: validated rows, or every problem found.

A reader never touches the database. It returns one of the ``Parsed*`` results
below, or raises ``ImportRejected`` listing every problem (file, row as the
spreadsheet numbers it, column heading as written, reason).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from grants.domain.enums import CapitalRevenue, SpendKind
from grants.domain.errors import GrantsError


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One thing wrong with an input file."""

    file: str
    row: int | None  # 1-based, as the spreadsheet numbers it (the heading row included); None: whole file
    column: str | None  # the heading as written in the file, or the column letter; None: whole row/file
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.reason}"


MAX_PROBLEMS = 200
"""The most problems a reader keeps word for word; beyond them it only counts (``Problems.total``)."""


class Problems(list[CellProblem]):
    """The problems found so far: the first ``MAX_PROBLEMS`` kept, the rest only counted.

    A file with 10,000 stray columns would otherwise build two million messages.
    """

    def __init__(self, limit: int = MAX_PROBLEMS) -> None:
        super().__init__()
        self.limit = limit
        self.total = 0

    def append(self, problem: CellProblem) -> None:
        self.total += 1
        if len(self) < self.limit:
            super().append(problem)

    def extend(self, problems: Iterable[CellProblem]) -> None:
        for problem in problems:
            self.append(problem)


class ImportRejected(GrantsError):
    """The file cannot be imported; nothing was changed."""

    def __init__(self, problems: list[CellProblem]) -> None:
        self.problems = problems
        self.total = max(getattr(problems, "total", 0), len(problems))
        shown = "\n".join(f"  {problem}" for problem in problems[:50])
        more = f"\n  ... and {self.total - 50:,} more" if self.total > 50 else ""
        super().__init__(f"nothing was imported: {self.total:,} problem(s)\n{shown}{more}")


@dataclass(frozen=True, slots=True)
class BudgetTableRow:
    """One line of a budget table as printed."""

    row: int  # spreadsheet row number
    description: str
    allocated: Decimal
    spent: Decimal | None = None  # "Amount Spent to Date"; None when the table has no such column
    balance: Decimal | None = None  # "Balance Remaining" as printed
    received: Decimal | None = None  # a per-line "Funding Received" column
    received_approximate: bool = False
    allocated_approximate: bool = False
    delivery_partner: str = ""
    strategic_priority: str = ""
    area: str = ""  # normalised "NL62" where it is a beat
    theme: str = ""
    cohort: str = ""
    capital_revenue: CapitalRevenue | None = None
    line_id: int | None = None  # a "Line ID" column: the tracker's id of the line this row updates


@dataclass(frozen=True, slots=True)
class ParsedBudgetTable:
    """A whole budget table: its lines, its printed Total row, and any Funding Received figure."""

    source: str
    rows: list[BudgetTableRow]
    total_allocated: Decimal | None = None
    total_spent: Decimal | None = None
    total_balance: Decimal | None = None
    total_received: Decimal | None = None
    funding_received: Decimal | None = None  # from a "Funding Received" row (or the column's total)
    funding_received_approximate: bool = False
    headings: dict[str, str] = field(default_factory=dict)  # canonical name -> heading as written
    fund_heading: str = ""  # a fund heading row's description (the fund's name as printed), if the table has one


@dataclass(frozen=True, slots=True)
class SpendLedgerRow:
    row: int
    line: str  # the budget line's description (or alias) as written
    spent_on: date
    amount: Decimal  # positive
    kind: SpendKind = SpendKind.PAYMENT
    reference: str = ""
    capital_revenue: CapitalRevenue | None = None


@dataclass(frozen=True, slots=True)
class ParsedSpendLedger:
    source: str
    rows: list[SpendLedgerRow]
    line_heading: str = "Budget Line"  # the line column's heading as written, for messages
    headings: dict[str, str] = field(default_factory=dict)  # canonical name -> heading as written


@dataclass(frozen=True, slots=True)
class ProfileRow:
    row: int
    line: str
    year: str  # "2023/24"
    quarter: int  # 1-4
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ParsedProfile:
    source: str
    rows: list[ProfileRow]
    line_heading: str = "Line"  # the line column's heading as written, for messages
    headings: dict[str, str] = field(default_factory=dict)  # canonical name -> heading as written
