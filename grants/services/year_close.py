"""Closing a partnership's financial year (the Strategic Group) and reopening it (an administrator).

A closed year's ledger is read-only (:mod:`grants.services.period_lock` refuses every write to its funds)
and its findings leave the open list (:mod:`grants.services.finding_review`); they stay in its packs.
"""

from __future__ import annotations

from datetime import date

from grants.domain.calendar import FinancialYear
from grants.domain.errors import RuleViolation
from grants.domain.workflow import ClosedYear
from grants.services.access import Principal, require_admin, require_approve, require_read
from grants.services.period_lock import closed_year
from grants.storage.unit_of_work import UnitOfWork


def close_year(
    uow: UnitOfWork, principal: Principal, partnership_id: int, year: str, *, on: date, reason: str = ""
) -> ClosedYear:
    """Close ``year`` for the partnership: its ledger becomes read-only."""
    require_approve(principal, partnership_id)
    label = FinancialYear.parse(year).label
    already = closed_year(uow, partnership_id, label)
    if already is not None:
        raise RuleViolation(f"{label} was already closed on {already.closed_on:%d/%m/%Y} by {already.closed_by}")
    return uow.closed_years.add(
        ClosedYear(
            partnership_id=partnership_id, year=label, closed_by=principal.label, closed_on=on, reason=reason.strip()
        )
    )


def reopen_year(
    uow: UnitOfWork, principal: Principal, partnership_id: int, year: str, *, on: date, reason: str
) -> ClosedYear:
    """Reopen a closed year (administrators, with a reason): its ledger can change again."""
    require_admin(principal)
    require_read(principal, partnership_id)
    if not reason.strip():
        raise RuleViolation("say why the year is reopened (it goes into the audit log)")
    label = FinancialYear.parse(year).label
    closed = closed_year(uow, partnership_id, label)
    if closed is None or closed.id is None:
        raise RuleViolation(f"{label} is not closed")
    return uow.closed_years.update(
        closed.id, closed.version, reopened_by=principal.label, reopened_on=on, reopen_reason=reason.strip()
    )


def closed_years(uow: UnitOfWork, principal: Principal, partnership_id: int) -> list[ClosedYear]:
    """The partnership's closures, reopened ones too."""
    require_read(principal, partnership_id)
    return uow.closed_years.find(partnership_id=partnership_id)
