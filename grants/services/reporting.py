"""Reports: the ledger's figures turned into view models, then into PDF, XLSX, CSV and JSON bytes.

Data -> view model -> story or workbook (``reports``, pure) -> bytes. Every figure comes from
``grants.figures`` through ``grants.services.fund_figures`` (the ledger as it stood at the as-at date);
this module only arranges them.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from grants.domain.calendar import FinancialYear
from grants.domain.errors import GrantsError, NotFound, PermissionDenied
from grants.domain.models import Fund
from grants.domain.money import from_pence
from grants.services.access import Principal, check_fund, require_read, visible_partnerships
from grants.services.finding_review import mark_accepted
from grants.services.fund_figures import FundFigures, LineFigures, fund_quarters, fund_summaries, funds_figures, quarter
from grants.services.funding_chain import funder_chain
from grants.services.installation import is_demo_in
from grants.services.ledger import find_fund, find_partnership
from grants.storage.database import Database
from grants.storage.tables import ApplicationRow, BudgetLineRow, FundRow, PartnershipRow
from grants.storage.unit_of_work import UnitOfWork
from reports.budget_pack import budget_pack_pdf
from reports.giving360 import (
    DEFAULT_PREFIX,
    KNOWN_ORGANISATIONS,
    District,
    Grant,
    Organisation,
    dumps_indented,
    grant_id,
    grant_json,
    grants_csv,
    organisation_id,
    package_json,
)
from reports.giving360_schema import grant_problems, package_problems, refusal
from reports.implications import implications_text
from reports.model import (
    ZERO,
    BehindLine,
    BudgetPack,
    BudgetRow,
    ChartPoint,
    FindingRow,
    FundTable,
    PendingRow,
    PriorityFigures,
    PriorityRow,
)
from reports.text import DEMO_MARK
from reports.workbook import budget_pack_csv, budget_pack_workbook

LONDON = ZoneInfo("Europe/London")
PREFIX_SETTING = "GRANTS_360G_PREFIX"

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
    )


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


# -- 360Giving ---------------------------------------------------------------------------------------
def configured_prefix(prefix: str | None = None) -> str:
    """The 360Giving prefix: the argument, else ``GRANTS_360G_PREFIX``, else ``360G-CSPTRACKER``."""
    chosen = (prefix or os.environ.get(PREFIX_SETTING) or DEFAULT_PREFIX).strip().rstrip("-")
    if not chosen.upper().startswith("360G-"):
        raise ReportError(f"a 360Giving prefix starts with '360G-' (got {chosen!r})")
    return chosen


def giving_grants(
    database: Database,
    *,
    partnership: str | None = None,
    prefix: str | None = None,
    generated_at: datetime | None = None,
    known_organisations: Mapping[str, str] | None = None,
    left_out: list[str] | None = None,
) -> tuple[list[Grant], list[Organisation]]:
    """The grants made to delivery partners (approved lines with a partner and an allocation), and their funders.

    Only what was decided is published: a line without an approval is left out (and named in
    ``left_out``, when given); a grant's award date is its approval's date.

    Funds in the order of ``fund_summaries`` (partnership, year, code), each fund's lines in entry order.
    Three queries in all (funds, lines, applications), whatever the number of funds: no per-fund reads.
    """
    chosen = configured_prefix(prefix)
    known = dict(KNOWN_ORGANISATIONS if known_organisations is None else known_organisations)
    moment = generated_at or now_london()
    grants: list[Grant] = []
    funders: dict[str, Organisation] = {}
    chains: dict[int | None, tuple[str, ...]] = {}
    publishers: dict[str, Organisation] = {}
    recipients: dict[str, Organisation] = {}
    with UnitOfWork(database, actor="reports") as uow:
        if partnership:
            find_partnership(uow, partnership)
        ordered = select(FundRow.id, PartnershipRow.name, PartnershipRow.la_code, PartnershipRow.la_name).join(
            PartnershipRow, FundRow.partnership_id == PartnershipRow.id
        )
        if partnership:
            ordered = ordered.where(PartnershipRow.name == partnership)
        rows = uow.session.execute(ordered.order_by(PartnershipRow.name, FundRow.year, FundRow.code)).all()
        fund_ids = [row[0] for row in rows]
        funds = {fund.id: fund for fund in uow.funds.find(id=fund_ids)} if fund_ids else {}
        funder_names = {funder.id: funder.name for funder in uow.funders.find()}
        by_fund: dict[int, list[Any]] = defaultdict(list)
        if fund_ids:
            for line in uow.session.execute(
                select(
                    BudgetLineRow.id,
                    BudgetLineRow.fund_id,
                    BudgetLineRow.description,
                    BudgetLineRow.delivery_partner,
                    BudgetLineRow.strategic_priority,
                    BudgetLineRow.theme,
                    BudgetLineRow.area,
                    BudgetLineRow.allocated,
                    BudgetLineRow.approved_by,
                    BudgetLineRow.approved_on,
                    BudgetLineRow.starts,
                    BudgetLineRow.ends,
                    BudgetLineRow.charity_number,
                    BudgetLineRow.company_number,
                )
                .where(BudgetLineRow.fund_id.in_(fund_ids))
                .order_by(BudgetLineRow.id)
            ):
                by_fund[line.fund_id].append(line)
        open_call = set(
            uow.session.execute(select(ApplicationRow.line_id).where(ApplicationRow.line_id.is_not(None))).scalars()
        )
    registered = _registered_numbers(line for lines in by_fund.values() for line in lines)
    for fund_id, partnership_name, la_code, la_name in rows:
        fund = funds[fund_id]
        publishers.setdefault(
            partnership_name, Organisation(organisation_id(partnership_name, chosen, known), partnership_name)
        )
        # The body whose money it is: the fund's funder (OPCC, Home Office); the partnership where none is recorded.
        funder_name = funder_names.get(fund.funder_id) or partnership_name
        funder = funders.setdefault(funder_name, Organisation(organisation_id(funder_name, chosen, known), funder_name))
        district = District(la_code, la_name or partnership_name) if la_code else None
        chain = chains.setdefault(fund.funder_id, funder_chain(uow, fund.funder_id))
        # "funded by the Home Office through Leicestershire OPCC and Charnwood CSP": the money's whole route
        route = (
            f"funded by {chain[0]} through {' and '.join([*chain[1:], partnership_name])}"
            if chain
            else (f"funded by {partnership_name}")
        )
        for line in by_fund.get(fund_id, ()):
            partner = line.delivery_partner.strip()
            allocated = from_pence(int(line.allocated))
            if not partner or allocated <= 0:
                continue
            if line.approved_on is None or not line.approved_by.strip():
                if left_out is not None:
                    left_out.append(f"{partnership_name} {fund.code} {fund.year}: {line.description} (not approved)")
                continue
            details = [f"Delivered by {partner}"]
            if line.strategic_priority:
                details.append(f"strategic priority {line.strategic_priority}")
            if line.theme:
                details.append(f"theme {line.theme}")
            recipient = recipients.get(partner)
            if recipient is None:
                numbers = registered.get(partner, {})
                recipient = recipients[partner] = Organisation(
                    organisation_id(partner, chosen, known, **numbers), partner, **numbers
                )
            grants.append(
                Grant(
                    identifier=grant_id(chosen, fund.code, fund.year, line.id),
                    title=line.description,
                    description=f"{line.description}. " + "; ".join(details) + f". {fund.name} {fund.year}, {route}.",
                    amount_awarded=allocated,
                    award_date=line.approved_on,
                    recipient=recipient,
                    funder=funder,
                    programme_code=f"{fund.code} {fund.year}",
                    programme_title=fund.name,
                    planned_start=line.starts or fund.starts,
                    planned_end=line.ends or fund.ends,
                    location=line.area,
                    district=district,
                    from_open_call=line.id in open_call,
                    last_modified=moment,
                )
            )
    return grants, list(publishers.values())


def _registered_numbers(lines: Iterable[Any]) -> dict[str, dict[str, str]]:
    """Each delivery partner's charity and company number, the first recorded on any of its lines: one
    identifier for a recipient throughout the file."""
    numbers: dict[str, dict[str, str]] = {}
    for line in lines:
        found = numbers.setdefault(line.delivery_partner.strip(), {"charity_number": "", "company_number": ""})
        for name in ("charity_number", "company_number"):
            if not found[name] and getattr(line, name):
                found[name] = str(getattr(line, name)).strip()
    return numbers


def export_360giving(
    uow: UnitOfWork,
    principal: Principal,
    fmt: str,
    *,
    partnership_id: int | None = None,
    prefix: str | None = None,
    generated_at: datetime | None = None,
    known_organisations: Mapping[str, str] | None = None,
    left_out: list[str] | None = None,
) -> bytes:
    """The 360Giving package as JSON, or the grants as CSV with the standard's headings (approved lines only;
    the others are named in ``left_out``, when given).

    Everyone may export their own partnership; only a principal who sees every partnership may export all.
    """
    partnership = None
    if partnership_id is not None:
        require_read(principal, partnership_id)
        partnership = uow.partnerships.get(partnership_id).name
    elif visible_partnerships(principal) is not None:
        raise PermissionDenied("choose one of your partnerships to export")
    moment = generated_at or now_london()
    grants, funders = giving_grants(
        uow.database,
        partnership=partnership,
        prefix=prefix,
        generated_at=moment,
        known_organisations=known_organisations,
        left_out=left_out,
    )
    demo = is_demo_in(uow)
    if fmt == "csv":
        problems = grant_problems(grant_json(grant) for grant in grants)
        if problems:
            raise ReportError(refusal(problems))
        return grants_csv(grants, notice=DEMO_MARK if demo else "").encode("utf-8-sig")
    if fmt != "json":
        raise ReportError(f"unknown export format {fmt!r} (json or csv)")
    if not grants:
        raise NotFound("no approved grants to delivery partners to export (a 360Giving package needs at least one)")
    chosen = configured_prefix(prefix)
    if len(funders) == 1:
        publisher, title = funders[0], f"Grants made through {funders[0].name}"
    else:
        tool = "CSP funding tracker"
        publisher = Organisation(organisation_id(tool, chosen, {}), tool)
        title = "Grants made by community safety partnerships"
    if demo:
        title = f"{DEMO_MARK}. {title}"
    package = package_json(grants, publisher=publisher, issued=moment, title=title, prefix=chosen)
    problems = package_problems(package)
    if problems:
        raise ReportError(refusal(problems))
    return (dumps_indented(package) + "\n").encode("utf-8")
