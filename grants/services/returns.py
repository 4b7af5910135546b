"""The OPCC financial profile return: its figures, its PDF, and submitting (freezing) it.

A return covers one fund and one period: a half (H1 Apr–Sep, H2 Oct–Mar) for six-monthly funds, or a
quarter for funds whose conditions say quarterly (Safer Streets). Its figures are as at the period's
end. Definitions (also printed on the return, see ``reports.opcc_return``):

- committed = on approved lines (approver and date recorded), allocated − spent to date, never below
  zero per line; unapproved lines are allocated but not committed;
- forecast outturn = spent to date + the profile still to come;
- projected underspend = funding (the award, or the receipts if they total more) − forecast outturn.

**Submitting freezes.** ``submit_return`` stores the return's complete figures (a JSON-able dict,
money as strings) in ``Return.frozen`` with status submitted. From then on the return renders from
the frozen figures only, in reportlab's invariant mode with the creation date taken from the frozen
data, so it regenerates byte for byte whatever happens to the ledger afterwards.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from grants.domain.calendar import FinancialYear, Period, parse_period
from grants.domain.enums import ReturnCadence, ReturnStatus
from grants.domain.errors import InvalidPeriod, RuleViolation
from grants.domain.models import Fund, OutcomeUpdate, Return
from grants.services.access import Principal, check_fund
from grants.services.fund_figures import ZERO, FundFigures, fund_figures
from grants.services.installation import is_demo_in
from grants.services.reporting import (
    FindingsProvider,
    ReportError,
    checked_findings,
    now_london,
    pending_rows,
    preparer,
    sort_findings,
)
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from reports.model import OutcomeRow, ReturnLine, ReturnView
from reports.opcc_return import return_pdf

_HALF = re.compile(r"^\s*H?([12])\s*$", re.I)
_QUARTER = re.compile(r"^\s*Q?([1-4])\s*$", re.I)


def split_period(period: str) -> tuple[str | None, str | None]:
    """("H1", None) or (None, "Q2"): a period label as a half or a quarter."""
    return (None, period) if period.strip().upper().startswith("Q") else (period, None)


def return_period(fund: Fund, *, half: str | None = None, quarter: str | None = None) -> Period:
    """The period a return covers, checked against the fund's return cadence."""
    year = FinancialYear.parse(fund.year)
    cadence = fund.conditions.return_cadence
    if half and quarter:
        raise InvalidPeriod("give either a half (H1, H2) or a quarter (Q1–Q4), not both")
    if cadence is ReturnCadence.QUARTERLY:
        if not quarter:
            raise InvalidPeriod(f"{fund.code} {fund.year} is returned quarterly: give --quarter Q1, Q2, Q3 or Q4")
        match = _QUARTER.match(quarter)
        if not match:
            raise InvalidPeriod(f"{quarter!r} is not a quarter (Q1, Q2, Q3 or Q4)")
        return year.quarter(int(match[1]))
    if cadence is ReturnCadence.SIX_MONTHLY:
        if not half:
            raise InvalidPeriod(f"{fund.code} {fund.year} is returned six-monthly: give --half H1 or H2")
        match = _HALF.match(half)
        if not match:
            raise InvalidPeriod(f"{half!r} is not a half (H1 or H2)")
        return year.half(int(match[1]))
    raise InvalidPeriod(f"{fund.code} {fund.year} is returned {cadence.value.replace('_', ' ')}; not supported yet")


def due_on(fund: Fund, period: Period) -> date:
    """The fund's return_due_days after the period ends; by default the end of the next month."""
    days = fund.conditions.return_due_days
    if days is not None:
        return period.end + timedelta(days=days)
    first_of_next = period.end + timedelta(days=1)
    month_after = date(first_of_next.year + first_of_next.month // 12, first_of_next.month % 12 + 1, 1)
    return month_after - timedelta(days=1)


def _overlaps(update: OutcomeUpdate, period: Period) -> bool:
    try:
        reported = parse_period(update.period)
    except ValueError:
        return False
    return reported.start <= period.end and reported.end >= period.start


def _outputs(update: OutcomeUpdate) -> str:
    if update.outputs is None:
        return ""
    number = update.outputs.normalize()
    text = f"{number:f}" if number == number.to_integral_value() else f"{update.outputs:f}"
    return f"{text} {update.unit}".strip()


def _outcomes(uow: UnitOfWork, figures: FundFigures, period: Period) -> tuple[OutcomeRow, ...]:
    lines = {f.line.id: f.line for f in figures.lines}
    ids = [line_id for line_id in lines if line_id is not None]
    updates = uow.outcomes.find(line_id=ids) if ids else []
    order = {line_id: index for index, line_id in enumerate(ids)}
    chosen = sorted(
        (u for u in updates if _overlaps(u, period)), key=lambda u: (order.get(u.line_id, 0), u.period, u.reported_on)
    )
    rows = []
    for update in chosen:
        line = lines[update.line_id]
        rows.append(
            OutcomeRow(
                line=line.description,
                provider=line.delivery_partner,
                period=update.period,
                outputs=_outputs(update),
                narrative=update.narrative,
                evidence=update.evidence,
                awaiting_data=update.awaiting_data,
            )
        )
    return tuple(rows)


def _view(
    uow: UnitOfWork,
    fund: Fund,
    partnership: str,
    period: Period,
    *,
    status: str,
    generated_at: datetime,
    findings: FindingsProvider,
    database: Database,
    explanations: str,
    risks: str,
    prepared_by: str,
    approved_by: str,
    signed_on: date | None,
    submitted_on: date | None = None,
    submitted_by: str = "",
) -> ReturnView:
    # A period still running is reported as at today: spend to date, and the rest of the profile forecast;
    # an unfinished period is never treated as ended.
    as_at = min(period.end, generated_at.date())
    figures = fund_figures(uow, fund, as_at)
    funder = uow.funders.get(fund.funder_id).name if fund.funder_id is not None else ""
    in_period = figures.spent_by_line_between(period.start, as_at)
    lines = tuple(
        ReturnLine(
            description=f.line.description,
            provider=f.line.delivery_partner,
            priority=f.line.strategic_priority,
            allocated=f.allocated,
            profile_to_date=f.profile_to_date,
            actual_to_date=f.spent,
            spent_in_period=in_period.get(f.line.id or 0, ZERO),
            variance=f.variance,
            rag=f.rag,
            approved=f.approved,
        )
        for f in figures.lines
    )
    found = findings(database, partnership, fund.code, fund.year, as_at)
    notes = (fund.notes,) if fund.notes.strip() else ()
    return ReturnView(
        partnership=partnership,
        fund_code=fund.code,
        fund_name=fund.name,
        funder=funder,
        year=fund.year,
        period=period.name,
        period_start=period.start,
        period_end=period.end,
        as_at=as_at,
        generated_at=generated_at,
        status=status,
        fund_amount=fund.amount,
        funding_received=figures.received,
        funding_expected=figures.expected,
        allocated=figures.allocated,
        spent_in_period=figures.spent_between(period.start, as_at),
        spent_to_date=figures.spent,
        committed=figures.committed,
        forecast_outturn=figures.forecast,
        projected_underspend=figures.projected_underspend,
        total_profile_to_date=figures.profile_to_date,
        total_variance=figures.variance,
        lines=lines,
        outcomes=_outcomes(uow, figures, period),
        findings=None if found is None else sort_findings(found),
        explanations=explanations,
        risks=risks,
        prepared_by=prepared_by,
        approved_by=approved_by,
        signed_on=signed_on,
        submitted_on=submitted_on,
        submitted_by=submitted_by,
        due_on=due_on(fund, period),
        notes=notes,
        pending=pending_rows(figures),
    )


def return_view(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    period: str,
    *,
    explanations: str = "",
    risks: str = "",
    prepared_by: str | None = None,
    approved_by: str = "",
    generated_at: datetime | None = None,
    findings: FindingsProvider = checked_findings,
) -> ReturnView:
    """The return's figures for a fund and period ("H1", "Q2"): frozen ones if it was submitted, else a draft."""
    check_fund(uow, principal, fund_id)
    fund = uow.funds.get(fund_id)
    partnership = uow.partnerships.get(fund.partnership_id).name
    half, quarter = split_period(period)
    the_period = return_period(fund, half=half, quarter=quarter)
    stored = uow.returns.first(fund_id=fund.id, period=the_period.name)
    if stored is not None and stored.status is ReturnStatus.SUBMITTED and stored.frozen:
        return replace(ReturnView.from_dict(stored.frozen), demo=is_demo_in(uow))
    live = _view(
        uow,
        fund,
        partnership,
        the_period,
        status=stored.status.value if stored is not None else ReturnStatus.DRAFT.value,
        generated_at=generated_at or now_london(),
        findings=findings,
        database=uow.database,
        explanations=explanations,
        risks=risks,
        prepared_by=preparer(principal) if prepared_by is None else prepared_by,
        approved_by=approved_by,
        signed_on=None,
    )
    return replace(live, demo=is_demo_in(uow))


def render_return(view: ReturnView, fmt: str = "pdf") -> bytes:
    """The return as PDF (invariant when submitted) or as its figures in JSON."""
    if fmt == "pdf":
        return return_pdf(view)
    if fmt == "json":
        return (json.dumps(view.to_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    raise ReportError(f"unknown return format {fmt!r} (pdf or json)")


def submit_return(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    period: str,
    *,
    on: date,
    approved_by: str = "",
    explanations: str = "",
    risks: str = "",
    clock: Callable[[], datetime] = now_london,
    findings: FindingsProvider = checked_findings,
) -> Return:
    """Freeze the return's figures and mark it submitted (the manager's); refuses a return already submitted."""
    check_fund(uow, principal, fund_id, write=True)
    actor = principal.username
    fund = uow.funds.get(fund_id)
    partnership = uow.partnerships.get(fund.partnership_id).name
    half, quarter = split_period(period)
    the_period = return_period(fund, half=half, quarter=quarter)
    stored = uow.returns.first(fund_id=fund.id, period=the_period.name)
    if stored is not None and stored.status is ReturnStatus.SUBMITTED:
        raise RuleViolation(
            f"the {fund.code} {the_period.name} return was already submitted on {stored.submitted_on} "
            f"by {stored.submitted_by or 'someone'}; its figures are frozen"
        )
    view = _view(
        uow,
        fund,
        partnership,
        the_period,
        status=ReturnStatus.SUBMITTED.value,
        generated_at=clock(),
        findings=findings,
        database=uow.database,
        explanations=explanations,
        risks=risks,
        prepared_by=actor,
        approved_by=approved_by,
        signed_on=on,
        submitted_on=on,
        submitted_by=actor,
    )
    frozen = view.to_dict()
    if stored is None:
        saved = uow.returns.add(
            Return(
                fund_id=fund.id,
                period=the_period.name,
                status=ReturnStatus.SUBMITTED,
                due_on=view.due_on,
                submitted_on=on,
                submitted_by=actor,
                frozen=frozen,
            )
        )
    else:
        assert stored.id is not None
        saved = uow.returns.update(
            stored.id,
            stored.version,
            status=ReturnStatus.SUBMITTED,
            due_on=stored.due_on or view.due_on,
            submitted_on=on,
            submitted_by=actor,
            frozen=frozen,
        )
    return saved
