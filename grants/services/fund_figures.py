"""A fund's figures as at a date, for the pages and the reports: ``grants.figures`` read from the dated ledger.

The arithmetic is all in ``grants.figures``; this module reads the ledger as it stood at the end of the
as-at date (``ledger_frames.money_frames``: lines and profiles as then agreed, spend, receipts and
virements dated by then) and turns each line's and fund's row into pounds and pence (``Decimal``) for
the budget pack, the return, the Overview and the county view. No figure is computed here.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

import pandas as pd
from sqlalchemy import select

from grants import figures as engine
from grants.domain.calendar import FinancialYear, Period, quarter_of
from grants.domain.models import BudgetLine, Fund, ProfileEntry
from grants.domain.money import from_pence
from grants.services.ledger_frames import money_frames
from grants.storage.tables import FundRow, PartnershipRow
from grants.storage.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")
RAG_GREEN, RAG_AMBER, RAG_RED, RAG_NONE = engine.GREEN, engine.AMBER, engine.RED, engine.NO_PROFILE


def _pounds(row: Mapping[Hashable, Any], column: str) -> Decimal:
    return from_pence(int(row[column]))


@dataclass(frozen=True)
class LineBalance:
    """A line with its money as at a day: what the allocations grid and the imports compare against."""

    line: BudgetLine
    spent: Decimal
    income: Decimal
    balance: Decimal

    @property
    def allocated(self) -> Decimal:
        return self.line.allocated

    @property
    def description(self) -> str:
        return self.line.description


@dataclass(frozen=True)
class LineFigures:
    """One line's money as at a date (definitions: ``grants.figures``)."""

    line: BudgetLine  # as it stood on the day: its allocation, purpose, partner and approval then
    allocated: Decimal
    approved: bool
    spent: Decimal
    income: Decimal
    balance: Decimal
    profile_total: Decimal
    profile_to_date: Decimal
    remaining_profile: Decimal
    variance: Decimal
    committed: Decimal
    forecast: Decimal
    rag: str  # spend against profile: Green, Amber, Red or No profile

    @property
    def ledger(self) -> LineBalance:
        return LineBalance(self.line, self.spent, self.income, self.balance)

    @property
    def behind(self) -> bool:
        """Rated Amber or Red for falling behind its profile (not for an overspend)."""
        return self.rag in (RAG_AMBER, RAG_RED) and self.spent <= self.allocated


@dataclass(frozen=True)
class PendingVirement:
    """A virement proposed by the as-at date and not decided by then: nothing has moved."""

    from_line: str
    to_line: str
    amount: Decimal
    proposed_on: date
    reason: str


@dataclass(frozen=True, eq=False)
class FundFigures:
    """A fund's lines and totals as at a date, with its spend by month (for charts and a period's spend)."""

    fund: Fund
    as_at: date
    lines: tuple[LineFigures, ...]
    profiles: tuple[ProfileEntry, ...]
    monthly: pd.DataFrame  # line_id, month (first day), net_pence: spend dated by the as-at date
    pending: tuple[PendingVirement, ...]
    allocated: Decimal
    approved: Decimal
    spent: Decimal
    income: Decimal
    balance: Decimal
    received: Decimal
    expected: Decimal  # still expected: funding − received, never below zero
    funding: Decimal
    unallocated: Decimal
    committed: Decimal
    profile_total: Decimal
    profile_to_date: Decimal
    variance: Decimal
    forecast: Decimal
    projected_underspend: Decimal
    rag: str

    def spent_between(self, start: date, end: date) -> Decimal:
        """Net spend in the months from ``start``'s to ``end``'s (periods here are whole months)."""
        months = self.monthly["month"]
        chosen = (months >= pd.Timestamp(start.replace(day=1))) & (months <= pd.Timestamp(end))
        return from_pence(int(self.monthly.loc[chosen, "net_pence"].sum()))

    def spent_through(self, day: date) -> Decimal:
        """Net spend in the months up to ``day``'s (all spend here is dated by the as-at date)."""
        chosen = self.monthly["month"] <= pd.Timestamp(day)
        return from_pence(int(self.monthly.loc[chosen, "net_pence"].sum()))

    def spent_by_line_between(self, start: date, end: date) -> dict[int, Decimal]:
        months = self.monthly["month"]
        chosen = (months >= pd.Timestamp(start.replace(day=1))) & (months <= pd.Timestamp(end))
        sums = self.monthly.loc[chosen].groupby("line_id")["net_pence"].sum()
        pairs = zip(sums.index.tolist(), sums.tolist(), strict=True)
        return {int(line_id): from_pence(int(pence)) for line_id, pence in pairs}


def funds_figures(uow: UnitOfWork, funds: Sequence[Fund], as_at: date) -> list[FundFigures]:
    """Each fund's figures as at the end of ``as_at``, read in one pass, in the order given."""
    ids = [int(fund.id) for fund in funds if fund.id is not None]
    if not ids:
        return []
    frames = money_frames(uow.session.connection(), ids, as_at)
    computed = engine.compute(
        funds=frames.funds[["fund_id", "amount_pence"]],
        lines=frames.lines,
        spends=frames.spends,
        profiles=frames.profiles,
        receipts=frames.receipts,
        as_at=as_at,
    )
    models = {line.id: line for line in uow.lines.find(fund_id=ids)}
    dated = {int(state["line_id"]): state for state in frames.lines.to_dict("records")}
    line_rows = computed.lines.to_dict("records")
    by_fund: dict[int, list[LineFigures]] = {i: [] for i in ids}
    for row in line_rows:
        line_id = int(row["line_id"])
        by_fund[int(row["fund_id"])].append(_line(models[line_id], dated[line_id], row))
    entries = [
        ProfileEntry(
            line_id=int(r["line_id"]),
            year=str(r["year"]),
            quarter=int(r["quarter"]),
            amount=from_pence(int(r["amount_pence"])),
        )
        for r in frames.profiles.to_dict("records")
    ]
    fund_of_line = dict(zip(frames.lines["line_id"].tolist(), frames.lines["fund_id"].tolist(), strict=True))
    spends = frames.spends
    monthly = pd.DataFrame(
        {
            "line_id": spends["line_id"].to_numpy(),
            "fund_id": spends["line_id"].map(fund_of_line).to_numpy(),
            "month": spends["month"].dt.to_period("M").dt.to_timestamp().to_numpy(),
            "net_pence": engine.net_pence(spends["kind"], spends["amount_pence"]),
        }
    )
    names = {int(i): str(d) for i, d in zip(frames.lines["line_id"], frames.lines["description"], strict=True)}
    pending = frames.virements[frames.virements["status"] == "proposed"]
    fund_rows = {int(r["fund_id"]): r for r in computed.funds.to_dict("records")}
    result = []
    for fund in funds:
        assert fund.id is not None
        row = fund_rows[fund.id]
        result.append(
            FundFigures(
                fund=fund,
                as_at=as_at,
                lines=tuple(by_fund[fund.id]),
                profiles=tuple(e for e in entries if fund_of_line.get(e.line_id) == fund.id),
                monthly=monthly[monthly["fund_id"] == fund.id].reset_index(drop=True),
                pending=tuple(
                    PendingVirement(
                        from_line=names.get(int(v["from_line_id"]), "?"),
                        to_line=names.get(int(v["to_line_id"]), "?"),
                        amount=from_pence(int(v["amount_pence"])),
                        proposed_on=pd.Timestamp(v["moved_on"]).date(),
                        reason=str(v["reason"]),
                    )
                    for v in pending[pending["fund_id"] == fund.id].to_dict("records")
                ),
                allocated=_pounds(row, "allocated_pence"),
                approved=_pounds(row, "approved_pence"),
                spent=_pounds(row, "spent_pence"),
                income=_pounds(row, "income_pence"),
                balance=_pounds(row, "balance_pence"),
                received=_pounds(row, "received_pence"),
                expected=_pounds(row, "still_expected_pence"),
                funding=_pounds(row, "funding_pence"),
                unallocated=_pounds(row, "unallocated_pence"),
                committed=_pounds(row, "committed_pence"),
                profile_total=_pounds(row, "profile_pence"),
                profile_to_date=_pounds(row, "profile_to_date_pence"),
                variance=_pounds(row, "variance_pence"),
                forecast=_pounds(row, "forecast_pence"),
                projected_underspend=_pounds(row, "projected_underspend_pence"),
                rag=str(row["status"]),
            )
        )
    return result


def fund_figures(uow: UnitOfWork, fund: Fund, as_at: date) -> FundFigures:
    """One fund's figures as at the end of ``as_at`` (see :func:`funds_figures`)."""
    return funds_figures(uow, [fund], as_at)[0]


def _line(model: BudgetLine, state: Mapping[Hashable, Any], row: Mapping[Hashable, Any]) -> LineFigures:
    """The line as it stood on the day, with its figures."""
    approved_on = state["approved_on"]
    line = model.model_copy(
        update={
            "allocated": from_pence(int(state["allocated_pence"])),
            "description": str(state["description"]),
            "delivery_partner": str(state["delivery_partner"]),
            "approved_by": str(state["approved_by"]),
            "approved_on": None if pd.isna(approved_on) else pd.Timestamp(approved_on).date(),
        }
    )
    return LineFigures(
        line=line,
        allocated=_pounds(row, "allocated_pence"),
        approved=bool(row["approved"]),
        spent=_pounds(row, "spent_pence"),
        income=_pounds(row, "income_pence"),
        balance=_pounds(row, "balance_pence"),
        profile_total=_pounds(row, "profile_pence"),
        profile_to_date=_pounds(row, "profile_to_date_pence"),
        remaining_profile=_pounds(row, "profile_remaining_pence"),
        variance=_pounds(row, "variance_pence"),
        committed=_pounds(row, "committed_pence"),
        forecast=_pounds(row, "forecast_pence"),
        rag=str(row["status"]),
    )


# -- quarters, for charts ---------------------------------------------------------------------------
@lru_cache(maxsize=512)
def quarter(year: str, number: int) -> Period:
    """Quarter ``number`` of the financial year ``year``."""
    return FinancialYear.parse(year).quarter(number)


def fund_quarters(fund: Fund) -> list[Period]:
    """The quarters a fund's period runs through."""
    year, number = quarter_of(fund.starts)
    quarters = []
    while True:
        period = year.quarter(number)
        quarters.append(period)
        if period.end >= fund.ends or len(quarters) >= 20:
            return quarters
        year, number = (year, number + 1) if number < 4 else (FinancialYear(year.start_year + 1), 1)


# -- the ledger now: funds and lines as at the day changes take effect ------------------------------
@dataclass(frozen=True, eq=False)
class FundSummary:
    """A fund with its partnership's name and its figures."""

    fund: Fund
    partnership: str
    figures: FundFigures

    @property
    def allocated(self) -> Decimal:
        return self.figures.allocated

    @property
    def spent(self) -> Decimal:
        return self.figures.spent

    @property
    def received(self) -> Decimal:
        return self.figures.received

    @property
    def balance(self) -> Decimal:
        return self.figures.balance

    @property
    def unallocated(self) -> Decimal:
        return self.figures.unallocated

    @property
    def lines(self) -> int:
        return len(self.figures.lines)


def line_balances(uow: UnitOfWork, fund_id: int, as_at: date | None = None) -> list[LineBalance]:
    """A fund's lines with their money as at ``as_at`` (default: the day the unit of work's changes take
    effect, normally today), in entry order."""
    fund = uow.funds.get(fund_id)
    return [f.ledger for f in fund_figures(uow, fund, as_at or uow.effective_on).lines]


def fund_summaries(
    uow: UnitOfWork,
    partnership: str | None = None,
    year: str | None = None,
    as_at: date | None = None,
    *,
    partnership_ids: Collection[int] | None = None,
    fund_ids: Collection[int] | None = None,
) -> list[FundSummary]:
    """Every fund (optionally of one partnership or year, or of these partnerships) with its figures as at
    ``as_at`` (default: the day the unit of work's changes take effect), ordered by partnership, year, code."""
    query = select(FundRow.id, PartnershipRow.name).join(PartnershipRow, FundRow.partnership_id == PartnershipRow.id)
    if partnership_ids is not None:
        query = query.where(FundRow.partnership_id.in_(list(partnership_ids)))
    if fund_ids is not None:
        query = query.where(FundRow.id.in_(list(fund_ids)))
    if partnership:
        query = query.where(PartnershipRow.name == partnership)
    if year:
        query = query.where(FundRow.year == FinancialYear.parse(year).label)
    rows = uow.session.execute(query.order_by(PartnershipRow.name, FundRow.year, FundRow.code)).all()
    if not rows:
        return []
    funds = {fund.id: fund for fund in uow.funds.find(id=[fund_id for fund_id, _ in rows])}
    ordered = [funds[fund_id] for fund_id, _ in rows]
    computed = funds_figures(uow, ordered, as_at or uow.effective_on)
    return [FundSummary(fund=f.fund, partnership=name, figures=f) for f, (_, name) in zip(computed, rows, strict=True)]
