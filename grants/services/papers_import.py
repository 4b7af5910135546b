"""Importing what the papers print: several funds' budget tables in one file, and action plans.

Both are use cases in the shape of :mod:`grants.services.usecase`: one unit of work for the whole
file, so the file lands whole or not at all, and a dry run (``usecase.read``) reports exactly what
a real import would do.

Several funds: each table goes to the fund its heading names (a stream the tracker knows, by code,
name or alias, or one of the partnership's funds that year), and is then loaded exactly as a single
budget table (:func:`grants.services.importing.import_budget`).

Action plans: each action becomes a budget line of its fund (matched to an existing line by its
normalised description). A money cost is the line's allocation; officer time is an in-kind note on
the line, never money; "Ongoing" or a blank cost is no allocation (the report says so). The
Outcome Target, Performance Measure and Time Scales become the line's outcome target, which
outcome updates report against.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from datetime import date
from pathlib import Path

from grants.domain.calendar import FinancialYear
from grants.domain.models import BudgetLine, OutcomeTarget
from grants.domain.money import format_gbp
from grants.domain.streams import STREAMS
from grants.imports.budget_funds import read_fund_tables
from grants.imports.headings import BUDGET_HEADINGS, PLAN_HEADINGS, heading_map
from grants.imports.normalise import normalise_description
from grants.imports.parsed import CellProblem, ImportRejected
from grants.imports.plan import PlanRow, PlanTable, read_action_plans
from grants.imports.sections import FundNamer
from grants.services.access import Principal, require_write
from grants.services.importing import ImportReport, import_budget
from grants.services.ledger import ZERO, ensure_fund
from grants.storage.unit_of_work import UnitOfWork

_YEAR = re.compile(r"\b20\d\d\s*[/\-–]\s*\d\d(?:\d\d)?\b")
_FRAGMENTS = re.compile(r"\s*[-–:()]\s*")
IN_KIND_PREFIX = "In kind: "


def fund_namer(uow: UnitOfWork, partnership_id: int | None, year: str) -> FundNamer:
    """Which fund a heading names: the known streams' codes, names and aliases, and the partnership's funds."""
    names: dict[str, str] = {}

    def know(text: str, code: str) -> None:
        key = _key(text)
        if key:
            names.setdefault(key, code)

    if partnership_id is not None:
        for fund in uow.funds.find(partnership_id=partnership_id, year=year):
            for text in (fund.code, fund.name, *fund.aliases):
                know(text, fund.code)
    for stream in STREAMS.values():
        for text in (stream.code, stream.name, *stream.aliases):
            know(text, stream.code)

    def namer(text: str) -> str | None:
        plain = _YEAR.sub(" ", text)
        for candidate in (plain, *_FRAGMENTS.split(plain)):
            code = names.get(_key(candidate))
            if code is not None:
                return code
        return None

    return namer


def _key(text: str) -> str:
    key = normalise_description(text)
    return key[4:] if key.startswith("the ") else key


def import_budget_funds(
    uow: UnitOfWork,
    principal: Principal,
    partnership_id: int,
    path: Path,
    *,
    year: str,
    as_at: date,
    dry_run: bool = False,
) -> list[ImportReport]:
    """Load every fund's table in a file (one sheet per fund, or stacked under headings naming their funds)."""
    require_write(principal, partnership_id)
    label = FinancialYear.parse(year).label
    tables = read_fund_tables(path, namer=fund_namer(uow, partnership_id, label), year=label, source_name=path.name)
    reports = []
    for found in tables:
        report = import_budget(
            uow,
            principal,
            partnership_id,
            path,
            fund_code=found.fund.code,
            year=label,
            as_at=as_at,
            dry_run=dry_run,
            table=found.table,
        )
        report.headings = heading_map(BUDGET_HEADINGS, found.table.headings)
        report.changes.insert(0, f"{found.where}: '{found.fund.text}' is {found.fund.code}")
        reports.append(report)
    return reports


def import_plan(
    uow: UnitOfWork,
    principal: Principal,
    partnership_id: int,
    path: Path,
    *,
    year: str,
    as_at: date,
    fund_code: str | None = None,
    dry_run: bool = False,
) -> list[ImportReport]:
    """Load an action plan: actions as budget lines, money costs as allocations, targets as outcome targets."""
    require_write(principal, partnership_id)
    label = FinancialYear.parse(year).label
    namer = fund_namer(uow, partnership_id, label)
    tables = read_action_plans(path, namer=namer, year=label, fund_given=fund_code is not None, source_name=path.name)
    by_fund: dict[str, list[PlanTable]] = defaultdict(list)
    problems: list[CellProblem] = []
    for table in tables:
        code = fund_code.upper() if fund_code else (table.fund.code if table.fund else "")
        if fund_code and table.fund is not None and table.fund.code.upper() != code:
            where = f" (sheet '{table.sheet}')" if table.sheet is not None else ""
            problems.append(
                CellProblem(
                    path.name,
                    table.fund.row,
                    None,
                    f"'{table.fund.text}' names {table.fund.code}, but the import is for {code}{where}",
                )
            )
        by_fund[code].append(table)
    if problems:
        raise ImportRejected(problems)
    partnership = uow.partnerships.get(partnership_id).name
    with uow.dated(as_at):
        return [
            _load_plan(uow, partnership, code, label, path.name, plans, dry_run=dry_run)
            for code, plans in by_fund.items()
        ]


def _load_plan(
    uow: UnitOfWork, partnership: str, code: str, year: str, source: str, plans: list[PlanTable], *, dry_run: bool
) -> ImportReport:
    fund, created = ensure_fund(uow, partnership, code, year)
    assert fund.id is not None
    report = ImportReport(source=source, fund=f"{partnership} {fund.code} {fund.year}", dry_run=dry_run)
    if created:
        report.changes.append(f"create fund {fund.code} {fund.year} for {partnership}")
    existing: dict[str, deque[BudgetLine]] = defaultdict(deque)
    for line in uow.lines.find(fund_id=fund.id):
        existing[normalise_description(line.description)].append(line)
    allocated = ZERO
    for plan in plans:
        report.headings.update(heading_map(PLAN_HEADINGS, plan.headings))
        for row in plan.rows:
            report.rows_read += 1
            matches = existing.get(normalise_description(row.action))
            if matches:
                line = _update_line(uow, row, matches.popleft(), report)
            else:
                line = _add_line(uow, fund.id, row, source)
                report.lines_added += 1
                report.changes.append(f"row {row.row}: add {row.action!r} {_money_words(row)}")
            allocated += line.allocated
            _set_target(uow, line, row, source, report)
    if created and fund.amount == ZERO and allocated:
        uow.funds.update(fund.id, None, amount=allocated)
        report.changes.append(f"set the fund's amount to {format_gbp(allocated)} (the plan's money costs)")
    report.totals = {"allocated": allocated}
    return report


def _money_words(row: PlanRow) -> str:
    """What the cost cell means, in the preview's words."""
    cost = row.cost
    parts = []
    if cost.money is not None:
        parts.append(f"allocated {format_gbp(cost.money)}")
    else:
        reason = f"'{cost.note}' is not money" if cost.note else "the cost is blank"
        if cost.in_kind and not cost.note:
            reason = "the cost is officer time"
        parts.append(f"with no allocation ({reason})")
    if cost.in_kind:
        parts.append(f"in kind: {cost.in_kind!r} (a note on the line, not money)")
    return "; ".join(parts)


def _note(row: PlanRow) -> str:
    return f"{IN_KIND_PREFIX}{row.cost.in_kind}" if row.cost.in_kind else ""


def _add_line(uow: UnitOfWork, fund_id: int, row: PlanRow, source: str) -> BudgetLine:
    return uow.lines.add(
        BudgetLine(
            fund_id=fund_id,
            description=row.action,
            delivery_partner=row.lead,
            strategic_priority=row.strategic_priority,
            area=row.area,
            allocated=row.cost.money if row.cost.money is not None else ZERO,
            notes=_note(row),
            source=f"{source} row {row.row}",
        )
    )


def _update_line(uow: UnitOfWork, row: PlanRow, line: BudgetLine, report: ImportReport) -> BudgetLine:
    changes: dict[str, object] = {}
    if row.cost.money is not None and row.cost.money != line.allocated:
        changes["allocated"] = row.cost.money
    note = _note(row)
    if note and note not in line.notes:
        changes["notes"] = f"{line.notes}\n{note}".strip()
    for name, value in (("delivery_partner", row.lead), ("strategic_priority", row.strategic_priority)):
        if value and not getattr(line, name):
            changes[name] = value
    if not changes:
        if row.cost.money is None:
            report.changes.append(f"row {row.row}: {row.action!r} is already a line; {_money_words(row)}")
        return line
    assert line.id is not None
    report.lines_updated += 1
    report.changes.append(f"row {row.row}: update {row.action!r} ({', '.join(changes)}); {_money_words(row)}")
    return uow.lines.update(line.id, line.version, **changes)


def _set_target(uow: UnitOfWork, line: BudgetLine, row: PlanRow, source: str, report: ImportReport) -> None:
    if not (row.target or row.measure or row.timescales):
        return
    assert line.id is not None
    wanted = {"target": row.target, "measure": row.measure, "time_scales": row.timescales}
    current = uow.targets.first(line_id=line.id)
    shown = f"outcome target {row.target or '(none)'!r}, measured by {row.measure or '(not given)'!r}"
    if current is None:
        uow.targets.add(OutcomeTarget(line_id=line.id, source=f"{source} row {row.row}", **wanted))
        report.changes.append(f"row {row.row}: {shown}")
    elif any(getattr(current, name) != value for name, value in wanted.items()):
        assert current.id is not None
        uow.targets.update(current.id, current.version, **wanted)
        report.changes.append(f"row {row.row}: change the {shown}")
