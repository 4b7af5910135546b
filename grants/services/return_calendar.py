"""The return calendar: every return of the funds a principal may see, when it is due and where it stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from grants.domain.calendar import FinancialYear, Period
from grants.domain.enums import ReturnCadence, ReturnStatus
from grants.domain.models import Fund
from grants.services import returns
from grants.services.access import Principal, visible_partnerships
from grants.storage.unit_of_work import UnitOfWork

DUE_SOON_DAYS = 30


def return_periods(fund: Fund) -> list[str]:
    """The return periods of a fund's year, by its cadence: "H1", "H2" or "Q1".."Q4"."""
    if fund.conditions.return_cadence is ReturnCadence.QUARTERLY:
        return ["Q1", "Q2", "Q3", "Q4"]
    if fund.conditions.return_cadence is ReturnCadence.SIX_MONTHLY:
        return ["H1", "H2"]
    return []


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


def return_calendar(uow: UnitOfWork, principal: Principal, *, year: str | None = None) -> list[CalendarEntry]:
    """Every return of the visible funds (optionally of one year), by due date."""
    visible = visible_partnerships(principal)
    entries: list[CalendarEntry] = []
    names = {p.id: p.name for p in uow.partnerships.find()}
    funds = [f for f in uow.funds.find() if visible is None or f.partnership_id in visible]
    if year:
        funds = [f for f in funds if f.year == FinancialYear.parse(year).label]
    for fund in funds:
        assert fund.id is not None
        stored = {r.period: r for r in uow.returns.find(fund_id=fund.id)}
        for label in return_periods(fund):
            half, quarter = returns.split_period(label)
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
