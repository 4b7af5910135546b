"""Reports: the ledger's figures turned into view models, then into PDF, XLSX, CSV and JSON bytes.

Data -> view model -> story or workbook (``reports``, pure) -> bytes. Every figure comes from
``grants.figures`` through ``grants.services.fund_figures`` (the ledger as it stood at the as-at date);
this module only arranges them.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from grants.domain.calendar import FinancialYear
from grants.domain.errors import GrantsError, PermissionDenied
from grants.domain.models import Fund, OutcomeUpdate
from grants.services.access import Principal, check_fund, require_read
from grants.services.finding_review import mark_accepted
from grants.services.fund_figures import FundFigures, LineFigures, fund_quarters, fund_summaries, funds_figures, quarter
from grants.services.installation import is_demo_in
from grants.services.ledger import find_fund, find_partnership
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork
from reports.budget_pack import budget_pack_pdf
from reports.implications import implications_text
from reports.model import (
    ZERO,
    BehindLine,
    BudgetPack,
    BudgetRow,
    ChartPoint,
    FindingRow,
    FundTable,
    OutcomeProgress,
    PendingRow,
    PriorityFigures,
    PriorityRow,
)
from reports.workbook import budget_pack_csv, budget_pack_workbook

LONDON = ZoneInfo("Europe/London")

FindingsProvider = Callable[[Database, str, str | None, str, date], Sequence[FindingRow] | None]
"""(database, partnership, fund code or None, year, as at) -> findings, or None when checks cannot run."""


class ReportError(GrantsError, ValueError):
    """A report that cannot be made from what was asked (unknown format, bad period)."""


def now_london() -> datetime:
    return datetime.now(LONDON).replace(microsecond=0)


# -- findings --------------------------------------------------------------------------------------
def finding_row(finding: Any) -> FindingRow:
    """A ``rules.findings.Finding`` (or anything with its fields) as a report row."""
    severity = getattr(finding.severity, "value", finding.severity)
    return FindingRow(
        code=str(finding.code),
        name=str(finding.name),
        severity=str(severity),
        fund=str(finding.fund or ""),
        year=str(finding.year or ""),
        line=str(finding.line or ""),
        message=str(finding.message or ""),
        hint=str(getattr(finding, "hint", "") or ""),
    )


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def sort_findings(rows: Iterable[FindingRow]) -> tuple[FindingRow, ...]:
    return tuple(sorted(rows, key=lambda f: (_SEVERITY_ORDER.get(f.severity, 3), f.fund, f.year, f.code, f.line)))


def checked_findings(
    database: Database, partnership: str, fund_code: str | None, year: str, as_at: date
) -> tuple[FindingRow, ...] | None:
    """The open findings from the compliance checks (imported here: the rules load pandas, which only they need)."""
    from grants.services.checking import ledger_findings

    found = ledger_findings(database, partnership=partnership, fund_code=fund_code, year=year, as_at=as_at)
    return sort_findings(finding_row(f) for f in found)


def chart_points(figures: FundFigures) -> tuple[ChartPoint, ...]:
    """Cumulative profile and actual at each quarter's end (actual stops at the as-at date)."""
    quarters = fund_quarters(figures.fund)
    one_year = len({q.name.split()[0] for q in quarters}) == 1
    points = []
    for period in quarters:
        label = period.name.split()[1] if one_year else f"{period.name.split()[1]} {period.name.split()[0][2:]}"
        profile = sum((e.amount for e in figures.profiles if quarter(e.year, e.quarter).end <= period.end), ZERO)
        actual: Decimal | None = None
        if period.start <= figures.as_at:
            actual = figures.spent_through(min(period.end, figures.as_at))
        points.append(ChartPoint(label, profile, actual))
    return tuple(points)


def pending_rows(figures: FundFigures) -> tuple[PendingRow, ...]:
    """The fund's virements proposed by the as-at date and undecided then."""
    return tuple(PendingRow(p.from_line, p.to_line, p.amount, p.proposed_on, p.reason) for p in figures.pending)


def fund_table(figures: FundFigures) -> FundTable:
    fund = figures.fund
    rows = tuple(
        BudgetRow(
            description=f.line.description,
            delivery_partner=f.line.delivery_partner,
            strategic_priority=f.line.strategic_priority,
            allocated=f.allocated,
            spent=f.spent,
            balance=f.balance,
        )
        for f in figures.lines
    )
    return FundTable(
        code=fund.code,
        name=fund.name,
        year=fund.year,
        amount=fund.amount,
        amount_status=fund.amount_status.value,
        received=figures.received,
        expected=figures.expected,
        rows=rows,
        total_allocated=figures.allocated,
        total_spent=figures.spent,
        total_balance=figures.balance,
        unallocated=figures.unallocated,
        pending=pending_rows(figures),
        chart=chart_points(figures),
        notes=(fund.notes,) if fund.notes.strip() else (),
    )


def priority_figures(funds: Sequence[FundFigures], year: str) -> list[PriorityFigures]:
    """Lines grouped by strategic priority across the funds (no priority last)."""
    groups: dict[str, list[tuple[Fund, LineFigures]]] = defaultdict(list)
    for figures in funds:
        for line in figures.lines:
            groups[line.line.strategic_priority.strip()].append((figures.fund, line))
    result = []
    for priority in sorted(groups, key=lambda p: (p == "", p.casefold())):
        members = groups[priority]
        behind = tuple(
            BehindLine(
                description=line.line.description,
                delivery_partner=line.line.delivery_partner,
                shortfall=-line.variance,
                rag=line.rag,
            )
            for _, line in members
            if line.behind
        )
        result.append(
            PriorityFigures(
                priority=priority,
                funds=tuple(dict.fromkeys(fund.code for fund, _ in members)),
                lines=len(members),
                allocated=sum((line.allocated for _, line in members), ZERO),
                spent=sum((line.spent for _, line in members), ZERO),
                balance=sum((line.balance for _, line in members), ZERO),
                behind=behind,
                year=year,
            )
        )
    return result


def _funds_of(uow: UnitOfWork, partnership: str, year: str, fund_code: str | None) -> list[Fund]:
    find_partnership(uow, partnership)
    label = FinancialYear.parse(year).label
    if fund_code:
        return [find_fund(uow, partnership, fund_code, label)]
    return [summary.fund for summary in fund_summaries(uow, partnership, label)]


# -- the budget pack -------------------------------------------------------------------------------
def _partnership_and_fund_code(
    uow: UnitOfWork, principal: Principal, partnership_id: int, fund_id: int | None
) -> tuple[str, str | None]:
    """The partnership's name and the fund's code, after checking the principal may read them."""
    require_read(principal, partnership_id)
    partnership = uow.partnerships.get(partnership_id).name
    if fund_id is None:
        return partnership, None
    check_fund(uow, principal, fund_id)
    fund = uow.funds.get(fund_id)
    if fund.partnership_id != partnership_id:
        raise PermissionDenied("that fund belongs to another partnership")
    return partnership, fund.code


def preparer(principal: Principal) -> str:
    """Who a report is "prepared by": the person, or blank (the placeholder) for the local operator."""
    return "" if principal.local else principal.label


def budget_pack(
    uow: UnitOfWork,
    principal: Principal,
    partnership_id: int,
    *,
    year: str,
    as_at: date,
    fund_id: int | None = None,
    generated_at: datetime | None = None,
    prepared_by: str | None = None,
    findings: FindingsProvider = checked_findings,
) -> BudgetPack:
    """The Strategic Group's budget pack for a partnership and year (optionally one fund)."""
    partnership, fund_code = _partnership_and_fund_code(uow, principal, partnership_id, fund_id)
    prepared_by = preparer(principal) if prepared_by is None else prepared_by
    label = FinancialYear.parse(year).label
    funds = funds_figures(uow, _funds_of(uow, partnership, label, fund_code), as_at)
    demo = is_demo_in(uow)
    priorities = tuple(PriorityRow(p, implications_text(p)) for p in priority_figures(funds, label))
    found = findings(uow.database, partnership, fund_code.upper() if fund_code else None, label, as_at)
    return BudgetPack(
        partnership=partnership,
        year=label,
        as_at=as_at,
        generated_at=generated_at or now_london(),
        funds=tuple(fund_table(f) for f in funds),
        priorities=priorities,
        findings=None
        if found is None
        else mark_accepted(uow, [f.fund.id or 0 for f in funds], sort_findings(found), as_at),
        prepared_by=prepared_by,
        demo=demo,
        outcomes=outcome_progress(uow, funds, as_at),
    )


def outcome_progress(uow: UnitOfWork, funds: Sequence[FundFigures], as_at: date) -> tuple[OutcomeProgress, ...]:
    """Each line with an outcome target, with its latest update reported by ``as_at`` (the pack reports
    outcomes against the targets an action plan set)."""
    lines = {
        f.line.id: (f"{figures.fund.code} {figures.fund.year}", f.line) for figures in funds for f in figures.lines
    }
    ids = [line_id for line_id in lines if line_id is not None]
    if not ids:
        return ()
    latest: dict[int, OutcomeUpdate] = {}
    for update in sorted(uow.outcomes.find(line_id=ids), key=lambda u: (u.reported_on, u.id or 0)):
        if update.reported_on <= as_at:
            latest[update.line_id] = update
    rows = []
    for target in sorted(uow.targets.find(line_id=ids), key=lambda t: ids.index(t.line_id)):
        if not (target.target.strip() or target.measure.strip()):
            continue
        fund, line = lines[target.line_id]
        measure = f" (measure: {target.measure.strip()})" if target.measure.strip() else ""
        reported = latest.get(target.line_id)
        said = "No update yet" if reported is None else _update_text(reported)
        rows.append(
            OutcomeProgress(fund, line.description, f"{target.target.strip() or 'Target not recorded'}{measure}", said)
        )
    return tuple(rows)


def _update_text(update: OutcomeUpdate) -> str:
    """ "2026/27 Q2: 42 young people. Sessions ran weekly." """
    outputs = f"{update.outputs.normalize():f} {update.unit}".strip() if update.outputs is not None else ""
    said = ": ".join(part for part in (update.period, outputs) if part)
    said += f". {update.narrative.strip()}" if update.narrative.strip() else ""
    return said + (" (awaiting data)" if update.awaiting_data else "")


FORMATS = ("pdf", "xlsx", "csv")


def format_of(filename: str, allowed: Sequence[str] = FORMATS) -> str:
    """The output format named by a file's extension."""
    extension = os.path.splitext(filename)[1].lower().lstrip(".")
    if extension not in allowed:
        raise ReportError(
            f"{filename!r}: cannot tell the format; name the file .{', .'.join(allowed[:-1])} or .{allowed[-1]}"
        )
    return extension


def render_budget_pack(pack: BudgetPack, fmt: str, *, invariant: bool = False) -> bytes:
    """The pack as PDF, XLSX or CSV (UTF-8 with a byte-order mark, so Excel reads "£" right) bytes."""
    if fmt == "pdf":
        return budget_pack_pdf(pack, invariant=invariant)
    if fmt == "xlsx":
        return budget_pack_workbook(pack)
    if fmt == "csv":
        return budget_pack_csv(pack).encode("utf-8-sig")
    raise ReportError(f"unknown report format {fmt!r} (pdf, xlsx or csv)")


# -- Budget / Resource Implications ----------------------------------------------------------------
def budget_implications(
    uow: UnitOfWork,
    principal: Principal,
    partnership_id: int,
    *,
    year: str,
    as_at: date,
    fund_id: int | None = None,
) -> list[tuple[str, str]]:
    """(priority, paragraph) for each strategic priority with money in the year, for the quarterly report."""
    partnership, fund_code = _partnership_and_fund_code(uow, principal, partnership_id, fund_id)
    label = FinancialYear.parse(year).label
    funds = funds_figures(uow, _funds_of(uow, partnership, label, fund_code), as_at)
    return [(p.label, implications_text(p)) for p in priority_figures(funds, label)]
