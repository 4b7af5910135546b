"""The funder's county view as plain values: one row per partnership and funding stream, and the totals.

Built by :mod:`grants.services.county_view`; rendered by :mod:`reports.county_report` (PDF, XLSX, CSV).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

HUNDRED = Decimal(100)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ReturnState:
    period: str  # "H1"
    state: str  # not yet due, due, overdue, signed off, submitted, accepted, queried, replied
    version: int = 0


@dataclass(frozen=True)
class CountyRow:
    """One partnership's fund of one stream in the year."""

    partnership: str
    stream: str  # the fund's code: PLF, SS, ...
    fund: str  # its name
    funder: str  # the chain: "Home Office > Leicestershire OPCC"
    funding: Decimal
    received: Decimal
    allocated: Decimal
    spent: Decimal
    projects: int
    red_lines: int
    open_errors: int | None  # None: not known (a received return that does not carry its findings)
    returns: tuple[ReturnState, ...]
    source: str = "this tracker"  # or "received package (version N)"
    fund_id: int | None = None

    @property
    def percent_spent(self) -> Decimal | None:
        """Spent as a share of funding, to one decimal place (None when there is no funding)."""
        if self.funding <= 0:
            return None
        return (self.spent * HUNDRED / self.funding).quantize(Decimal("0.1"))

    @property
    def returns_text(self) -> str:
        return "; ".join(f"{r.period} {r.state}" for r in self.returns) or "none due"


@dataclass(frozen=True)
class CountyTotals:
    funding: Decimal = ZERO
    received: Decimal = ZERO
    allocated: Decimal = ZERO
    spent: Decimal = ZERO
    projects: int = 0
    red_lines: int = 0
    open_errors: int = 0
    partnerships: int = 0
    overdue_returns: int = 0
    queried_returns: int = 0

    @property
    def percent_spent(self) -> Decimal | None:
        if self.funding <= 0:
            return None
        return (self.spent * HUNDRED / self.funding).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class CountyView:
    year: str
    as_at: date
    funder: str  # whose funds ("" for every funder)
    rows: tuple[CountyRow, ...]
    totals: CountyTotals = field(default_factory=CountyTotals)
    demo: bool = False


def totals_of(rows: Sequence[CountyRow]) -> CountyTotals:
    """The county's totals: the sums of the rows (so they equal the partnerships' own figures)."""
    return CountyTotals(
        funding=sum((r.funding for r in rows), ZERO),
        received=sum((r.received for r in rows), ZERO),
        allocated=sum((r.allocated for r in rows), ZERO),
        spent=sum((r.spent for r in rows), ZERO),
        projects=sum(r.projects for r in rows),
        red_lines=sum(r.red_lines for r in rows),
        open_errors=sum(r.open_errors or 0 for r in rows),
        partnerships=len({r.partnership for r in rows}),
        overdue_returns=sum(1 for r in rows for s in r.returns if s.state == "overdue"),
        queried_returns=sum(1 for r in rows for s in r.returns if s.state == "queried"),
    )
