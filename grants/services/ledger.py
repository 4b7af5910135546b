"""Reading the ledger: funds and their lines with allocated, spent and balance to the penny.

Spent = payments − refunds. Income (e.g. bike locks sold) is shown beside it
and not netted off, so "spent" always means money paid out of the grant.
Balance = allocated − spent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select

from grants.domain.calendar import FinancialYear
from grants.domain.enums import ReceiptStatus
from grants.domain.errors import NotFound
from grants.domain.models import BudgetLine, Fund, Funder, Partnership
from grants.domain.money import from_pence
from grants.domain.streams import stream_for
from grants.storage.tables import BudgetLineRow, FundRow, PartnershipRow, ReceiptRow, SpendMonthRow
from grants.storage.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineBalance:
    """One budget line with its money to date."""

    line: BudgetLine
    spent: Decimal
    income: Decimal

    @property
    def allocated(self) -> Decimal:
        return self.line.allocated

    @property
    def balance(self) -> Decimal:
        return self.line.allocated - self.spent

    @property
    def description(self) -> str:
        return self.line.description


@dataclass(frozen=True)
class FundSummary:
    """A fund with its partnership and the totals of its lines and receipts."""

    fund: Fund
    partnership: str
    allocated: Decimal
    spent: Decimal
    received: Decimal  # money actually received; expected receipts are not counted
    lines: int

    @property
    def balance(self) -> Decimal:
        return self.allocated - self.spent

    @property
    def unallocated(self) -> Decimal:
        return self.fund.amount - self.allocated


def find_partnership(uow: UnitOfWork, name: str) -> Partnership:
    found = uow.partnerships.first(name=name)
    if found is None:
        known = ", ".join(p.name for p in uow.partnerships.find()) or "none yet"
        raise NotFound(f"no partnership called {name!r} (known: {known})")
    return found


def find_fund(uow: UnitOfWork, partnership: str, code: str, year: str) -> Fund:
    """The fund ``code`` of ``partnership`` for ``year``, or a NotFound naming what exists."""
    owner = find_partnership(uow, partnership)
    label = FinancialYear.parse(year).label
    fund = uow.funds.first(partnership_id=owner.id, code=code.upper(), year=label)
    if fund is None:
        known = ", ".join(f"{f.code} {f.year}" for f in uow.funds.find(partnership_id=owner.id)) or "none yet"
        raise NotFound(f"{partnership} has no fund {code.upper()} for {label} (known: {known})")
    return fund


def ensure_partnership(uow: UnitOfWork, name: str) -> Partnership:
    found = uow.partnerships.first(name=name)
    return found if found is not None else uow.partnerships.add(Partnership(name=name))


def ensure_fund(uow: UnitOfWork, partnership: str, code: str, year: str) -> tuple[Fund, bool]:
    """The fund, created with its stream's name, funder and conditions if new; and whether it was new."""
    owner = ensure_partnership(uow, partnership)
    fy = FinancialYear.parse(year)
    existing = uow.funds.first(partnership_id=owner.id, code=code.upper(), year=fy.label)
    if existing is not None:
        return existing, False
    stream = stream_for(code)
    funder_id = None
    if stream.funder:
        funder = uow.funders.first(name=stream.funder) or uow.funders.add(Funder(name=stream.funder))
        funder_id = funder.id
    assert owner.id is not None
    fund = Fund(
        code=stream.code,
        name=stream.name,
        partnership_id=owner.id,
        funder_id=funder_id,
        year=fy.label,
        starts=fy.start,
        ends=fy.end,
        aliases=stream.aliases,
        conditions=stream.default_conditions(fy),
    )
    return uow.funds.add(fund), True


def line_balances(uow: UnitOfWork, fund_id: int) -> list[LineBalance]:
    """Every line of a fund, in entry order, with spent and income summed by the database."""
    lines = uow.lines.find(fund_id=fund_id)
    totals = _spend_totals(uow, [line.id for line in lines if line.id is not None])
    return [
        LineBalance(line, *totals.get(line.id, (ZERO, ZERO)))  # type: ignore[arg-type]
        for line in lines
    ]


# Totals come from ``spend_months``, the per-line monthly sums kept in step with every spend write.
_NET_SPENT = case(
    (SpendMonthRow.kind == "payment", SpendMonthRow.amount),
    (SpendMonthRow.kind == "refund", -SpendMonthRow.amount),
    else_=0,
)
_INCOME = case((SpendMonthRow.kind == "income", SpendMonthRow.amount), else_=0)


def _spend_totals(uow: UnitOfWork, line_ids: list[int]) -> dict[int, tuple[Decimal, Decimal]]:
    if not line_ids:
        return {}
    query = (
        select(SpendMonthRow.line_id, func.sum(_NET_SPENT), func.sum(_INCOME))
        .where(SpendMonthRow.line_id.in_(line_ids))
        .group_by(SpendMonthRow.line_id)
    )
    return {line_id: (from_pence(int(s)), from_pence(int(i))) for line_id, s, i in uow.session.execute(query).all()}


def fund_summaries(
    uow: UnitOfWork, partnership: str | None = None, year: str | None = None, fund_ids: Sequence[int] | None = None
) -> list[FundSummary]:
    """Every fund (optionally of one partnership or year, or these ids) with its totals, computed in SQL."""
    query = select(FundRow.id, PartnershipRow.name).join(PartnershipRow, FundRow.partnership_id == PartnershipRow.id)
    if fund_ids is not None:
        query = query.where(FundRow.id.in_(list(fund_ids)))
    if partnership:
        query = query.where(PartnershipRow.name == partnership)
    if year:
        query = query.where(FundRow.year == FinancialYear.parse(year).label)
    rows = uow.session.execute(query.order_by(PartnershipRow.name, FundRow.year, FundRow.code)).all()
    fund_ids = [fund_id for fund_id, _ in rows]
    if not fund_ids:
        return []
    allocated: dict[int, int] = dict(
        uow.session.execute(
            select(BudgetLineRow.fund_id, func.sum(BudgetLineRow.allocated))
            .where(BudgetLineRow.fund_id.in_(fund_ids))
            .group_by(BudgetLineRow.fund_id)
        ).all()
    )
    counts: dict[int, int] = dict(
        uow.session.execute(
            select(BudgetLineRow.fund_id, func.count())
            .where(BudgetLineRow.fund_id.in_(fund_ids))
            .group_by(BudgetLineRow.fund_id)
        ).all()
    )
    spent: dict[int, int] = dict(
        uow.session.execute(
            select(BudgetLineRow.fund_id, func.sum(_NET_SPENT))
            .join(SpendMonthRow, SpendMonthRow.line_id == BudgetLineRow.id)
            .where(BudgetLineRow.fund_id.in_(fund_ids))
            .group_by(BudgetLineRow.fund_id)
        ).all()
    )
    received: dict[int, int] = dict(
        uow.session.execute(
            select(ReceiptRow.fund_id, func.sum(ReceiptRow.amount))
            .where(ReceiptRow.fund_id.in_(fund_ids), ReceiptRow.status == ReceiptStatus.RECEIVED.value)
            .group_by(ReceiptRow.fund_id)
        ).all()
    )
    funds = {fund.id: fund for fund in uow.funds.find(id=fund_ids)}
    return [
        FundSummary(
            fund=funds[fund_id],
            partnership=name,
            allocated=from_pence(int(allocated.get(fund_id) or 0)),
            spent=from_pence(int(spent.get(fund_id) or 0)),
            received=from_pence(int(received.get(fund_id) or 0)),
            lines=int(counts.get(fund_id) or 0),
        )
        for fund_id, name in rows
    ]
