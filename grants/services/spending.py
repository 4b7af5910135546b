"""Recording spend: one payment, refund or income at a time, or match funding.

Use cases in the shape of :mod:`grants.services.usecase`: ``(uow, principal, ids, ...)``, checked
in the same unit of work, never committed here. A whole spend file is :func:`grants.services.importing.import_spend`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from grants.domain.enums import CapitalRevenue, MatchKind, SpendKind
from grants.domain.errors import RuleViolation
from grants.domain.models import MatchContribution, Spend
from grants.domain.money import parse_money
from grants.services.access import Principal, check_fund, partnership_of_line, require_write
from grants.storage.unit_of_work import UnitOfWork


def record_spend(
    uow: UnitOfWork,
    principal: Principal,
    line_id: int,
    *,
    spent_on: date,
    amount: Decimal,
    kind: SpendKind | str = SpendKind.PAYMENT,
    reference: str = "",
    capital_revenue: CapitalRevenue | str | None = None,
) -> Spend:
    """A payment out of a line (or a refund back to it, or income such as bike locks sold)."""
    amount = parse_money(amount).amount
    if amount <= 0:
        raise RuleViolation("a spend amount is more than £0.00; record money coming back as a refund")
    require_write(principal, partnership_of_line(uow, line_id))
    line = uow.lines.get(line_id)
    return uow.spends.add(
        Spend(
            line_id=line_id,
            spent_on=spent_on,
            amount=amount,
            kind=SpendKind(kind),
            reference=reference.strip(),
            capital_revenue=CapitalRevenue(capital_revenue) if capital_revenue else line.capital_revenue,
        )
    )


def delete_spend(uow: UnitOfWork, principal: Principal, spend_id: int, expected_version: int | None) -> None:
    """Remove a spend entered by mistake (the audit log keeps what it was)."""
    spend = uow.spends.get(spend_id)
    require_write(principal, partnership_of_line(uow, spend.line_id))
    uow.spends.delete(spend_id, expected_version)


def record_match(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    *,
    kind: MatchKind | str,
    contributed_on: date,
    contributor: str,
    amount: Decimal = Decimal("0.00"),
    hours: Decimal | None = None,
    hourly_rate: Decimal | None = None,
    line_id: int | None = None,
) -> MatchContribution:
    """Match funding: cash, or in-kind hours at an hourly rate (Safer Streets)."""
    kind = MatchKind(kind)
    if kind is MatchKind.CASH and Decimal(amount) <= 0:
        raise RuleViolation("a cash contribution is more than £0.00")
    check_fund(uow, principal, fund_id, write=True)
    if line_id is not None and uow.lines.get(line_id).fund_id != fund_id:
        raise RuleViolation("the line is not a line of this fund")
    return uow.matches.add(
        MatchContribution(
            fund_id=fund_id,
            line_id=line_id,
            kind=kind,
            contributed_on=contributed_on,
            contributor=contributor.strip(),
            amount=parse_money(amount).amount if kind is MatchKind.CASH else Decimal("0.00"),
            hours=hours,
            hourly_rate=hourly_rate,
        )
    )
