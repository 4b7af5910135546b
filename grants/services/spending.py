"""Recording spend: one payment, refund or income at a time, a whole ledger file, or match funding.

A file import reuses :mod:`grants.services.importing`: the whole file or nothing, a dry run
that reports what would change, and a list of every problem (file, row, column, reason).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from grants.domain.enums import CapitalRevenue, MatchKind, SpendKind
from grants.domain.errors import RuleViolation
from grants.domain.models import MatchContribution, Spend
from grants.domain.money import parse_money
from grants.services.access import Principal, check_fund, partnership_of_line, require_write
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from grants.services.importing import ImportReport


def record_spend(
    database: Database,
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
    with UnitOfWork(database, actor=principal.username) as uow:
        require_write(principal, partnership_of_line(uow, line_id))
        line = uow.lines.get(line_id)
        spend = uow.spends.add(
            Spend(
                line_id=line_id,
                spent_on=spent_on,
                amount=amount,
                kind=SpendKind(kind),
                reference=reference.strip(),
                capital_revenue=CapitalRevenue(capital_revenue) if capital_revenue else line.capital_revenue,
            )
        )
        uow.commit()
    return spend


def delete_spend(database: Database, principal: Principal, spend_id: int, expected_version: int | None) -> None:
    """Remove a spend entered by mistake (the audit log keeps what it was)."""
    with UnitOfWork(database, actor=principal.username) as uow:
        spend = uow.spends.get(spend_id)
        require_write(principal, partnership_of_line(uow, spend.line_id))
        uow.spends.delete(spend_id, expected_version)
        uow.commit()


def import_spend_file(
    database: Database,
    principal: Principal,
    path: Path,
    *,
    fund_id: int,
    dry_run: bool,
    progress: Callable[[float], None] | None = None,
) -> ImportReport:
    """Import a spend ledger (CSV/XLSX) into a fund's lines; returns the importer's report.

    Raises ``ImportRejected`` (every problem, nothing saved) when any row is wrong.
    """
    from grants.services import importing

    with UnitOfWork(database, actor=principal.username) as uow:
        check_fund(uow, principal, fund_id, write=True)
        fund = uow.funds.get(fund_id)
        partnership = uow.partnerships.get(fund.partnership_id).name
    return importing.import_spend(
        database,
        path,
        partnership=partnership,
        fund_code=fund.code,
        year=fund.year,
        actor=principal.username,
        dry_run=dry_run,
        progress=progress,
    )


def record_match(
    database: Database,
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
    with UnitOfWork(database, actor=principal.username) as uow:
        check_fund(uow, principal, fund_id, write=True)
        if line_id is not None and uow.lines.get(line_id).fund_id != fund_id:
            raise RuleViolation("the line is not a line of this fund")
        match = uow.matches.add(
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
        uow.commit()
    return match
