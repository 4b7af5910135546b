"""Reports and returns for a signed-in person: the budget pack, the OPCC return, 360Giving, the calendar.

Thin, permission-checked use cases over :mod:`grants.services.reporting` and
:mod:`grants.services.returns` (which compute and render). Anyone may read the reports of the
partnerships granted to them; submitting (freezing) a return is the manager's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from grants.domain.calendar import FinancialYear, Period
from grants.domain.enums import ReturnCadence, ReturnStatus
from grants.domain.errors import PermissionDenied
from grants.domain.models import Fund, Return
from grants.services import reporting, returns
from grants.services.access import Principal, check_fund, require_read, visible_partnerships
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from reports.model import ReturnView

DUE_SOON_DAYS = 30


def _fund_and_partnership(
    database: Database, principal: Principal, fund_id: int, *, write: bool = False
) -> tuple[Fund, str]:
    with UnitOfWork(database, actor=principal.username) as uow:
        partnership_id = check_fund(uow, principal, fund_id, write=write)
        return uow.funds.get(fund_id), uow.partnerships.get(partnership_id).name


def _partnership_name(database: Database, principal: Principal, partnership_id: int) -> str:
    require_read(principal, partnership_id)
    with UnitOfWork(database, actor=principal.username) as uow:
        return uow.partnerships.get(partnership_id).name


def return_periods(fund: Fund) -> list[str]:
    """The return periods of a fund's year, by its cadence: "H1", "H2" or "Q1".."Q4"."""
    if fund.conditions.return_cadence is ReturnCadence.QUARTERLY:
        return ["Q1", "Q2", "Q3", "Q4"]
    if fund.conditions.return_cadence is ReturnCadence.SIX_MONTHLY:
        return ["H1", "H2"]
    return []


def _half_quarter(period: str) -> tuple[str | None, str | None]:
    """("H1", None) or (None, "Q2"): how the returns service names a period."""
    return (None, period) if period.upper().startswith("Q") else (period, None)


def budget_pack(
    database: Database,
    principal: Principal,
    *,
    partnership_id: int,
    year: str,
    as_at: date,
    fmt: str,
    fund_id: int | None = None,
) -> bytes:
    """The Strategic Group's budget pack as PDF, XLSX or CSV bytes."""
    partnership = _partnership_name(database, principal, partnership_id)
    fund_code = None
    if fund_id is not None:
        fund, owner = _fund_and_partnership(database, principal, fund_id)
        if owner != partnership:
            raise PermissionDenied("that fund belongs to another partnership")
        fund_code = fund.code
    pack = reporting.budget_pack(
        database, partnership=partnership, year=year, as_at=as_at, fund_code=fund_code, prepared_by=principal.label
    )
    return reporting.render_budget_pack(pack, fmt)


def budget_implications(
    database: Database, principal: Principal, *, partnership_id: int, year: str, as_at: date
) -> list[tuple[str, str]]:
    """(strategic priority, "Budget / Resource Implications" paragraph) for the quarterly report."""
    partnership = _partnership_name(database, principal, partnership_id)
    return reporting.budget_implications(database, partnership=partnership, year=year, as_at=as_at)


def return_view(database: Database, principal: Principal, fund_id: int, period: str) -> ReturnView:
    """The OPCC return's figures for a fund and period (frozen once submitted)."""
    fund, partnership = _fund_and_partnership(database, principal, fund_id)
    return returns.return_view(
        database,
        partnership=partnership,
        fund_code=fund.code,
        year=fund.year,
        prepared_by=principal.label,
        half=_half_quarter(period)[0],
        quarter=_half_quarter(period)[1],
    )


def return_document(database: Database, principal: Principal, fund_id: int, period: str, fmt: str = "pdf") -> bytes:
    return returns.render_return(return_view(database, principal, fund_id, period), fmt)


def submit_return(
    database: Database,
    principal: Principal,
    fund_id: int,
    period: str,
    *,
    on: date,
    approved_by: str = "",
    explanations: str = "",
    risks: str = "",
) -> Return:
    """Submit the return: its figures are frozen and it can be reproduced byte for byte."""
    fund, partnership = _fund_and_partnership(database, principal, fund_id, write=True)
    return returns.submit_return(
        database,
        partnership=partnership,
        fund_code=fund.code,
        year=fund.year,
        actor=principal.username,
        on=on,
        approved_by=approved_by,
        explanations=explanations,
        risks=risks,
        half=_half_quarter(period)[0],
        quarter=_half_quarter(period)[1],
    )


def giving360(database: Database, principal: Principal, fmt: str, *, partnership_id: int | None = None) -> bytes:
    """The 360Giving export (JSON package or CSV) of the grants to delivery partners."""
    partnership = None
    if partnership_id is not None:
        partnership = _partnership_name(database, principal, partnership_id)
    elif visible_partnerships(principal) is not None:
        raise PermissionDenied("choose one of your partnerships to export")
    return reporting.export_360giving(database, fmt, partnership=partnership)


@dataclass(frozen=True)
class CalendarEntry:
    """One return of one fund: when it is due and where it stands."""

    fund_id: int
    fund: str
    partnership: str
    period: str  # "H1"
    period_name: str  # "2026/27 H1"
    period_end: date
    due_on: date
    status: str  # "not started", "draft", "final", "submitted"
    submitted_on: date | None

    def state(self, as_at: date) -> str:
        """ "submitted", "overdue", "due soon" (within 30 days), "open" (period not ended) or "upcoming"."""
        if self.status == ReturnStatus.SUBMITTED.value:
            return "submitted"
        if self.due_on < as_at:
            return "overdue"
        if (self.due_on - as_at).days <= DUE_SOON_DAYS and self.period_end <= as_at:
            return "due soon"
        return "open" if self.period_end >= as_at else "upcoming"


def return_calendar(database: Database, principal: Principal, *, year: str | None = None) -> list[CalendarEntry]:
    """Every return of the visible funds (optionally of one year), by due date."""
    visible = visible_partnerships(principal)
    entries: list[CalendarEntry] = []
    with UnitOfWork(database, actor=principal.username) as uow:
        names = {p.id: p.name for p in uow.partnerships.find()}
        funds = [f for f in uow.funds.find() if visible is None or f.partnership_id in visible]
        if year:
            funds = [f for f in funds if f.year == FinancialYear.parse(year).label]
        for fund in funds:
            assert fund.id is not None
            stored = {r.period: r for r in uow.returns.find(fund_id=fund.id)}
            for label in return_periods(fund):
                half, quarter = _half_quarter(label)
                period: Period = returns.return_period(fund, half=half, quarter=quarter)
                saved = stored.get(period.name)
                entries.append(
                    CalendarEntry(
                        fund_id=fund.id,
                        fund=f"{fund.code} {fund.year}",
                        partnership=names.get(fund.partnership_id, ""),
                        period=label,
                        period_name=period.name,
                        period_end=period.end,
                        due_on=saved.due_on if saved is not None and saved.due_on else returns.due_on(fund, period),
                        status=saved.status.value if saved is not None else "not started",
                        submitted_on=saved.submitted_on if saved is not None else None,
                    )
                )
    return sorted(entries, key=lambda e: (e.due_on, e.fund))
