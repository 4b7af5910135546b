"""Importing files into the ledger: the whole file or nothing, with a dry run.

The readers in ``grants.imports`` turn a file into validated rows (or reject it,
naming row, column and reason). The functions here apply those rows inside one
unit of work (use cases in the shape of :mod:`grants.services.usecase`: they never commit). A dry
run is the same use case run with ``usecase.read`` (rolled back), so the report of what *would*
change is exactly what a real import does.

Spend files: a file whose content (SHA-256) was already imported into the same fund is refused,
naming the earlier import, unless the user says the repeat is deliberate (``allow_repeat``: the
reason, recorded in the audit log). A dry run lists rows identical to spend already recorded (date,
amount, line, reference, kind) as likely duplicates.

Budget tables: a row is matched to an existing line of the fund by a stable identity (a line id
column, or its description; :mod:`grants.services.line_matching`), and a match that would be a guess
is refused naming the rows, so a reordered table changes nothing. The
table's "Amount Spent to Date" becomes a spend entry for the difference from the
ledger, dated at the table's as-at date (capped at the fund's end, so last
year's table does not make spend look late). A printed balance is kept on the
line for the DAT001 check; the printed Total row is kept for DAT003.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select

from grants.domain.enums import AmountStatus, ReceiptStatus, SpendKind
from grants.domain.errors import RuleViolation
from grants.domain.models import BudgetLine, Fund, ImportedTable, ProfileEntry, Receipt, Spend
from grants.domain.money import MAX_POUNDS, format_gbp, from_pence, to_pence
from grants.figures import SIGN
from grants.imports.budget import read_budget_table
from grants.imports.headings import BUDGET_HEADINGS, PROFILE_HEADINGS, SPEND_HEADINGS, heading_map
from grants.imports.normalise import normalise_description
from grants.imports.parsed import BudgetTableRow, CellProblem, ImportRejected, ParsedBudgetTable, SpendLedgerRow
from grants.imports.profile import read_profile
from grants.imports.rows import paused_gc
from grants.imports.spend import read_spend_ledger
from grants.services.access import Principal, check_fund, require_write
from grants.services.fund_figures import line_balances
from grants.services.ledger import ZERO, ensure_fund
from grants.services.line_matching import match_rows
from grants.storage.tables import BudgetLineRow, ImportBatchRow, SpendRow
from grants.storage.unit_of_work import UnitOfWork, utc_now


@dataclass
class ImportReport:
    """What an import changed (or, in a dry run, would change)."""

    source: str
    fund: str
    dry_run: bool
    changes: list[str] = field(default_factory=list)
    lines_added: int = 0
    lines_updated: int = 0
    rows_read: int = 0
    spend_added: Decimal = ZERO
    totals: dict[str, Decimal] = field(default_factory=dict)
    printed: dict[str, Decimal] = field(default_factory=dict)
    likely_duplicates: list[str] = field(default_factory=list)
    """Spend files, dry run: rows identical to spend already recorded (date, amount, line, reference, kind)."""
    duplicate_count: int = 0
    repeat_of: str = ""
    """Spend files: the earlier import of the same content into the fund, when ``allow_repeat`` allowed it."""
    headings: dict[str, str] = field(default_factory=dict)
    """Each heading as written in the file, with the field it was read as (for the preview)."""

    def summary(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        head = f"{self.source}: {verb} {self.rows_read} row(s) into {self.fund}"
        figures = ", ".join(f"{name} {format_gbp(value)}" for name, value in self.totals.items())
        return f"{head}; {figures}" if figures else head


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_budget(
    uow: UnitOfWork,
    principal: Principal,
    partnership_id: int,
    path: Path,
    *,
    fund_code: str,
    year: str,
    as_at: date,
    dry_run: bool = False,
    table: ParsedBudgetTable | None = None,
) -> ImportReport:
    """Load a budget table in the papers' layout into a partnership's fund (created if new).

    The table's lines, and each change it makes to a line, take effect on its as-at date (the dated ledger).
    ``table``: the file's table already read (one of several funds' tables in one file).
    """
    with uow.dated(as_at):
        return _load_budget(
            uow,
            principal,
            partnership_id,
            path,
            fund_code=fund_code,
            year=year,
            as_at=as_at,
            dry_run=dry_run,
            table=table,
        )


def _load_budget(
    uow: UnitOfWork,
    principal: Principal,
    partnership_id: int,
    path: Path,
    *,
    fund_code: str,
    year: str,
    as_at: date,
    dry_run: bool,
    table: ParsedBudgetTable | None = None,
) -> ImportReport:
    require_write(principal, partnership_id)
    if table is None:
        table = read_budget_table(path, source_name=path.name)
    partnership = uow.partnerships.get(partnership_id).name
    fund, created = ensure_fund(uow, partnership, fund_code, year)
    assert fund.id is not None
    report = ImportReport(source=path.name, fund=f"{partnership} {fund.code} {fund.year}", dry_run=dry_run)
    report.rows_read = len(table.rows)
    report.headings = heading_map(BUDGET_HEADINGS, table.headings)
    if created:
        report.changes.append(f"create fund {fund.code} {fund.year} for {partnership}")
    spend_day = min(as_at, fund.ends)
    current = {balance.line.id: balance for balance in line_balances(uow, fund.id)}
    matches = match_rows(
        table.rows,
        list(current.values()),
        source=path.name,
        fund_label=f"{partnership} {fund.code} {fund.year}",
        id_heading=table.headings.get("line_id", "Line ID"),
        description_heading=table.headings.get("description", "Description"),
    )

    for match in matches:
        row = match.row
        spent_now = ZERO
        if match.line_id is not None:
            line_id = match.line_id
            line = current[line_id].line
            spent_now = current[line_id].spent
            changes: dict[str, object] = {}
            if line.allocated != row.allocated:
                changes["allocated"] = row.allocated
            if row.balance is not None and line.reported_balance != row.balance:
                changes["reported_balance"] = row.balance
            if changes:
                uow.lines.update(line_id, line.version, **changes)
                report.lines_updated += 1
                report.changes.append(f"row {row.row}: update {row.description!r} ({', '.join(changes)})")
        else:
            added = uow.lines.add(
                BudgetLine(
                    fund_id=fund.id,
                    description=row.description,
                    delivery_partner=row.delivery_partner,
                    strategic_priority=row.strategic_priority,
                    area=row.area,
                    theme=row.theme,
                    cohort=row.cohort,
                    allocated=row.allocated,
                    reported_balance=row.balance,
                    source=f"{path.name} row {row.row}",
                    **({"capital_revenue": row.capital_revenue} if row.capital_revenue else {}),
                )
            )
            line_id = added.id or 0
            report.lines_added += 1
            report.changes.append(f"row {row.row}: add {row.description!r} allocated {format_gbp(row.allocated)}")
        if row.spent is not None and row.spent != spent_now:
            delta = row.spent - spent_now
            uow.spends.add(
                Spend(
                    line_id=line_id,
                    spent_on=spend_day,
                    amount=abs(delta),
                    kind=SpendKind.PAYMENT if delta > 0 else SpendKind.REFUND,
                    reference=f"Spent to date per {path.name} as at {as_at:%d/%m/%Y}",
                )
            )
            report.spend_added += delta
            report.changes.append(f"row {row.row}: record spend to date {format_gbp(row.spent)}")

    _record_funding(uow, fund, table.funding_received, table.funding_received_approximate, as_at, path.name, report)
    if table.funding_received is None and table.total_received is not None:
        approximate = any(row.received_approximate for row in table.rows)
        _record_funding(uow, fund, table.total_received, approximate, as_at, path.name, report)
    if created and fund.amount == ZERO:
        amount = table.total_allocated if table.total_allocated is not None else sum(r.allocated for r in table.rows)
        uow.funds.update(fund.id, None, amount=amount)
        report.changes.append(f"set the fund's amount to {format_gbp(Decimal(amount))} (the table's allocation)")

    uow.imported_tables.add(
        ImportedTable(
            fund_id=fund.id,
            source=path.name,
            as_at=as_at,
            printed_allocated=table.total_allocated,
            printed_spent=table.total_spent,
            printed_balance=table.total_balance,
            printed_received=table.total_received if table.total_received is not None else table.funding_received,
            rows=len(table.rows),
            **_printed_row_sums(table.rows),
        )
    )
    balances = line_balances(uow, fund.id)
    report.totals = {
        "allocated": sum((b.allocated for b in balances), ZERO),
        "spent": sum((b.spent for b in balances), ZERO),
        "balance": sum((b.balance for b in balances), ZERO),
    }
    for name, value in (
        ("allocated", table.total_allocated),
        ("spent", table.total_spent),
        ("balance", table.total_balance),
    ):
        if value is not None:
            report.printed[name] = value
    return report


def _printed_row_sums(rows: Sequence[BudgetTableRow]) -> dict[str, Decimal | None]:
    """The sums of a table's own printed rows (DAT003 compares its Total row with them); spent and balance
    only when every row printed one."""
    spent = [row.spent for row in rows if row.spent is not None]
    balances = [row.balance for row in rows if row.balance is not None]
    return {
        "rows_allocated": sum((row.allocated for row in rows), ZERO),
        "rows_spent": sum(spent, ZERO) if rows and len(spent) == len(rows) else None,
        "rows_balance": sum(balances, ZERO) if rows and len(balances) == len(rows) else None,
    }


def _record_funding(
    uow: UnitOfWork,
    fund: Fund,
    amount: Decimal | None,
    approximate: bool,
    as_at: date,
    source: str,
    report: ImportReport,
) -> None:
    if amount is None:
        return
    assert fund.id is not None
    reference = f"Funding Received per {source}"
    if any(r.amount == amount and r.reference == reference for r in uow.receipts.find(fund_id=fund.id)):
        return
    uow.receipts.add(
        Receipt(
            fund_id=fund.id,
            amount=amount,
            received_on=min(as_at, fund.ends),
            status=ReceiptStatus.RECEIVED,
            approximate=approximate,
            reference=reference,
        )
    )
    if approximate and fund.amount_status is AmountStatus.CONFIRMED:
        uow.funds.update(fund.id, None, amount_status=AmountStatus.APPROXIMATE)
    report.changes.append(f"record funding received {format_gbp(amount)}{' (approximate)' if approximate else ''}")


def _line_index(uow: UnitOfWork, fund: Fund) -> dict[str, int]:
    """Normalised description -> line id (the first line of that name)."""
    index: dict[str, int] = {}
    for line in uow.lines.find(fund_id=fund.id):
        index.setdefault(normalise_description(line.description), line.id or 0)
    return index


def _resolve_lines(
    rows: list[tuple[int, str]], index: dict[str, int], source: str, heading: str, fund_label: str
) -> list[int]:
    """Line ids for (row, name) pairs, or ImportRejected naming every unknown line."""
    problems: list[CellProblem] = []
    resolved: list[int] = []
    cache: dict[str, int | None] = {}
    for row_number, name in rows:
        if name not in cache:
            cache[name] = index.get(normalise_description(name))
        line_id = cache[name]
        if line_id is None:
            problems.append(CellProblem(source, row_number, heading, f"no budget line {name!r} in {fund_label}"))
        else:
            resolved.append(line_id)
    if problems:
        raise ImportRejected(problems)
    return resolved


def _pence(amount: Decimal) -> int:
    """``to_pence`` (which refuses a fraction of a penny), with a fast path for amounts the reader left in pence."""
    if amount.is_finite() and -MAX_POUNDS <= amount <= MAX_POUNDS:
        scaled = amount * 100
        pence = int(scaled)
        if pence == scaled:
            return pence
    return to_pence(amount)


def _earlier_import(uow: UnitOfWork, fund_id: int, digest: str) -> ImportBatchRow | None:
    """The newest earlier spend import of this content whose rows went into this fund, if any."""
    into_fund = (
        select(SpendRow.id)
        .join(BudgetLineRow, BudgetLineRow.id == SpendRow.line_id)
        .where(and_(SpendRow.batch_id == ImportBatchRow.id, BudgetLineRow.fund_id == fund_id))
        .exists()
    )
    query = (
        select(ImportBatchRow)
        .where(ImportBatchRow.kind == "spend", ImportBatchRow.sha256 == digest, into_fund)
        .order_by(ImportBatchRow.id.desc())
        .limit(1)
    )
    return uow.session.scalars(query).first()


def _describe(batch: ImportBatchRow) -> str:
    return (
        f"{batch.source} was imported on {batch.imported_at:%d/%m/%Y at %H:%M} by {batch.imported_by} "
        f"({batch.rows:,} row(s))"
    )


DUPLICATES_LISTED = 50


def _likely_duplicates(
    uow: UnitOfWork, rows: list[dict[str, Any]], numbers: list[int], names: dict[int, str], report: ImportReport
) -> None:
    """List the file's rows identical to spend already recorded (date, amount, line, reference, kind)."""
    if not rows:
        return
    line_ids = sorted({row["line_id"] for row in rows})
    first = min(row["spent_on"] for row in rows)
    last = max(row["spent_on"] for row in rows)
    recorded = uow.session.execute(
        select(SpendRow.line_id, SpendRow.spent_on, SpendRow.amount, SpendRow.kind, SpendRow.reference).where(
            SpendRow.line_id.in_(line_ids), SpendRow.spent_on >= first, SpendRow.spent_on <= last
        )
    )
    existing = {(r.line_id, r.spent_on, int(r.amount), str(r.kind), r.reference or "") for r in recorded}
    if not existing:
        return
    for number, row in zip(numbers, rows, strict=True):
        key = (row["line_id"], row["spent_on"], row["amount"], row["kind"], row["reference"] or "")
        if key in existing:
            report.duplicate_count += 1
            if len(report.likely_duplicates) < DUPLICATES_LISTED:
                report.likely_duplicates.append(
                    f"row {number}: {row['spent_on']:%d/%m/%Y} {names.get(row['line_id'], '?')!r} "
                    f"{row['kind']} {format_gbp(from_pence(row['amount']))}"
                    + (f" {row['reference']!r}" if row["reference"] else "")
                    + " is already recorded"
                )


def import_spend(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    path: Path,
    *,
    dry_run: bool = False,
    allow_repeat: str = "",
    progress: Callable[[float], None] | None = None,
) -> ImportReport:
    """Load a spend ledger (payments, refunds, income) against the lines of an existing fund.

    Refuses (``RuleViolation``) a file whose content was already imported into this fund unless
    ``allow_repeat`` gives the reason the repeat is deliberate. ``dry_run`` only labels the report
    (run the use case with ``usecase.read`` to change nothing) and lists likely duplicate rows.
    """
    check_fund(uow, principal, fund_id, write=True)
    ledger = read_spend_ledger(path, source_name=path.name)
    if progress:
        progress(0.5)
    with paused_gc():  # a million rows, no reference cycles
        fund = uow.funds.get(fund_id)
        partnership = uow.partnerships.get(fund.partnership_id).name
        label = f"{partnership} {fund.code} {fund.year}"
        digest = _file_digest(path)
        earlier = _earlier_import(uow, fund_id, digest)
        if earlier is not None and not allow_repeat.strip():
            raise RuleViolation(
                f"{path.name}: this file's content was already imported into {label}: {_describe(earlier)}. "
                "Nothing was imported; if importing it again is deliberate, give the reason "
                '(--allow-repeat "reason")'
            )
        line_ids = _resolve_lines(
            [(row.row, row.line) for row in ledger.rows], _line_index(uow, fund), path.name, ledger.line_heading, label
        )
        kinds = {kind: kind.value for kind in SpendKind}
        report = ImportReport(source=path.name, fund=label, dry_run=dry_run, rows_read=len(ledger.rows))
        report.headings = heading_map(SPEND_HEADINGS, ledger.headings)
        rows: list[dict[str, Any]] = [
            {
                "line_id": line_id,
                "spent_on": row.spent_on,
                "amount": _pence(row.amount),
                "kind": kinds[row.kind],
                "reference": row.reference,
                "capital_revenue": row.capital_revenue.value if row.capital_revenue else None,
            }
            for line_id, row in zip(line_ids, ledger.rows, strict=True)
        ]
        if dry_run:
            names = {line.id or 0: line.description for line in uow.lines.find(fund_id=fund_id)}
            _likely_duplicates(uow, rows, [row.row for row in ledger.rows], names, report)
        batch = ImportBatchRow(
            kind="spend",
            source=path.name,
            sha256=digest,
            rows=len(ledger.rows),
            imported_at=utc_now(),
            imported_by=principal.username,
        )
        uow.session.add(batch)
        uow.session.flush()
        for row in rows:
            row["batch_id"] = batch.id
        note: dict[str, Any] = {"batch_id": batch.id, "source": path.name, "fund": label}
        if earlier is not None:
            report.repeat_of = _describe(earlier)
            note.update(repeat_of_batch=earlier.id, allow_repeat=allow_repeat.strip())
            reason = allow_repeat.strip()
            report.changes.append(f"deliberate repeat of an earlier import ({report.repeat_of}): {reason}")
        uow.spends.insert_stored(rows, note=note)
        counted = [row["amount"] * SIGN[row["kind"]] for row in rows if SIGN.get(row["kind"])]
        # The sum of the exact amounts: whole pence added up, or a plain 0 when only income was read.
        net = from_pence(sum(counted)) if counted else Decimal(0)
        report.spend_added = Decimal(net)
        _list_spend_rows(report, ledger.rows)
        report.changes.append(f"add {len(rows)} spend row(s), net spend {format_gbp(Decimal(net))}")
        report.totals = {"net spend": Decimal(net)}
    if progress:
        progress(1.0)
    return report


ROWS_LISTED = 200
"""The most rows a preview lists one by one (the count covers the rest)."""


def _list_spend_rows(report: ImportReport, rows: list[SpendLedgerRow]) -> None:
    """The preview's row-by-row list: what each row of the file adds."""
    for row in rows[:ROWS_LISTED]:
        reference = f" ref {row.reference!r}" if row.reference else ""
        report.changes.append(
            f"row {row.row}: add {row.kind.value} {format_gbp(row.amount)} on {row.spent_on:%d/%m/%Y} "
            f"to {row.line!r}{reference}"
        )
    if len(rows) > ROWS_LISTED:
        report.changes.append(f"... and {len(rows) - ROWS_LISTED:,} more row(s)")


def import_profile(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    path: Path,
    *,
    dry_run: bool = False,
) -> ImportReport:
    """Load quarterly spend profiles for the lines of an existing fund (replacing a quarter's figure)."""
    check_fund(uow, principal, fund_id, write=True)
    fund = uow.funds.get(fund_id)
    parsed = read_profile(path, year=fund.year, source_name=path.name)
    partnership = uow.partnerships.get(fund.partnership_id).name
    label = f"{partnership} {fund.code} {fund.year}"
    line_ids = _resolve_lines(
        [(row.row, row.line) for row in parsed.rows], _line_index(uow, fund), path.name, parsed.line_heading, label
    )
    report = ImportReport(source=path.name, fund=label, dry_run=dry_run, rows_read=len(parsed.rows))
    report.headings = heading_map(PROFILE_HEADINGS, parsed.headings)
    current = {(p.line_id, p.year, p.quarter): p for p in uow.profiles.find(line_id=sorted(set(line_ids)))}
    total = ZERO
    for line_id, row in zip(line_ids, parsed.rows, strict=True):
        total += row.amount
        existing = current.get((line_id, row.year, row.quarter))
        if existing is None:
            added = uow.profiles.add(
                ProfileEntry(line_id=line_id, year=row.year, quarter=row.quarter, amount=row.amount)
            )
            current[(line_id, row.year, row.quarter)] = added
            report.changes.append(f"row {row.row}: profile {row.line!r} {row.year} Q{row.quarter} {row.amount}")
        elif existing.amount != row.amount:
            assert existing.id is not None
            current[(line_id, row.year, row.quarter)] = uow.profiles.update(
                existing.id, existing.version, amount=row.amount
            )
            report.changes.append(f"row {row.row}: change {row.line!r} {row.year} Q{row.quarter} to {row.amount}")
    report.totals = {"profiled": total}
    return report
