"""Importing files into the ledger: the whole file or nothing, with a dry run.

The readers in ``grants.imports`` turn a file into validated rows (or reject it,
naming row, column and reason). The functions here apply those rows inside one
unit of work; a dry run does the same work and rolls it back, so the report of
what *would* change is exactly what a real import does.

Budget tables: a line is matched to an existing line of the fund by its
normalised description (in order, so two identical lines stay two lines). The
table's "Amount Spent to Date" becomes a spend entry for the difference from the
ledger, dated at the table's as-at date (capped at the fund's end, so last
year's table does not make spend look late). A printed balance is kept on the
line for the DAT001 check; the printed Total row is kept for DAT003.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from grants.domain.enums import AmountStatus, ReceiptStatus, SpendKind
from grants.domain.models import BudgetLine, Fund, ImportedTable, ProfileEntry, Receipt, Spend
from grants.domain.money import MAX_POUNDS, format_gbp, from_pence, to_pence
from grants.imports.budget import read_budget_table
from grants.imports.normalise import normalise_description
from grants.imports.parsed import CellProblem, ImportRejected
from grants.imports.profile import read_profile
from grants.imports.rows import paused_gc
from grants.imports.spend import read_spend_ledger
from grants.services.ledger import ZERO, ensure_fund, find_fund, line_balances
from grants.storage.database import Database
from grants.storage.tables import ImportBatchRow
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
    database: Database,
    path: Path,
    *,
    partnership: str,
    fund_code: str,
    year: str,
    as_at: date,
    actor: str,
    dry_run: bool = False,
) -> ImportReport:
    """Load a budget table in the papers' layout into a fund (created if new)."""
    table = read_budget_table(path, source_name=path.name)
    with UnitOfWork(database, actor=actor) as uow, uow.dated(as_at):  # the table's lines as at its date
        fund, created = ensure_fund(uow, partnership, fund_code, year)
        assert fund.id is not None
        report = ImportReport(source=path.name, fund=f"{partnership} {fund.code} {fund.year}", dry_run=dry_run)
        report.rows_read = len(table.rows)
        if created:
            report.changes.append(f"create fund {fund.code} {fund.year} for {partnership}")
        spend_day = min(as_at, fund.ends)
        existing: dict[str, deque[int]] = defaultdict(deque)
        current = {balance.line.id: balance for balance in line_balances(uow, fund.id)}
        for balance in current.values():
            existing[normalise_description(balance.description)].append(balance.line.id or 0)

        for row in table.rows:
            matches = existing.get(normalise_description(row.description))
            spent_now = ZERO
            if matches:
                line_id = matches.popleft()
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
            amount = (
                table.total_allocated if table.total_allocated is not None else sum(r.allocated for r in table.rows)
            )
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
        if not dry_run:
            uow.commit()
    return report


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


def import_spend(
    database: Database,
    path: Path,
    *,
    partnership: str,
    fund_code: str,
    year: str,
    actor: str,
    dry_run: bool = False,
    progress: Callable[[float], None] | None = None,
) -> ImportReport:
    """Load a spend ledger (payments, refunds, income) against the lines of an existing fund."""
    ledger = read_spend_ledger(path, source_name=path.name)
    if progress:
        progress(0.5)
    with UnitOfWork(database, actor=actor) as uow, paused_gc():  # a million rows, no reference cycles
        fund = find_fund(uow, partnership, fund_code, year)
        label = f"{partnership} {fund.code} {fund.year}"
        line_ids = _resolve_lines(
            [(row.row, row.line) for row in ledger.rows], _line_index(uow, fund), path.name, ledger.line_heading, label
        )
        batch = ImportBatchRow(
            kind="spend",
            source=path.name,
            sha256=_file_digest(path),
            rows=len(ledger.rows),
            imported_at=utc_now(),
            imported_by=actor,
        )
        uow.session.add(batch)
        uow.session.flush()
        batch_id = batch.id
        kinds = {kind: kind.value for kind in SpendKind}
        rows: list[dict[str, Any]] = [
            {
                "line_id": line_id,
                "spent_on": row.spent_on,
                "amount": _pence(row.amount),
                "kind": kinds[row.kind],
                "reference": row.reference,
                "capital_revenue": row.capital_revenue.value if row.capital_revenue else None,
                "batch_id": batch_id,
            }
            for line_id, row in zip(line_ids, ledger.rows, strict=True)
        ]
        uow.spends.insert_stored(rows, note={"batch_id": batch.id, "source": path.name, "fund": label})
        report = ImportReport(source=path.name, fund=label, dry_run=dry_run, rows_read=len(ledger.rows))
        payment, refund = SpendKind.PAYMENT.value, SpendKind.REFUND.value
        counted = [
            row["amount"] if row["kind"] == payment else -row["amount"]
            for row in rows
            if row["kind"] == payment or row["kind"] == refund
        ]
        # The sum of the exact amounts: whole pence added up, or a plain 0 when only income was read.
        net = from_pence(sum(counted)) if counted else Decimal(0)
        report.spend_added = Decimal(net)
        report.changes.append(f"add {len(rows)} spend row(s), net spend {format_gbp(Decimal(net))}")
        report.totals = {"net spend": Decimal(net)}
        if not dry_run:
            uow.commit()
    if progress:
        progress(1.0)
    return report


def import_profile(
    database: Database,
    path: Path,
    *,
    partnership: str,
    fund_code: str,
    year: str,
    actor: str,
    dry_run: bool = False,
) -> ImportReport:
    """Load quarterly spend profiles for the lines of an existing fund (replacing a quarter's figure)."""
    parsed = read_profile(path, year=year, source_name=path.name)
    with UnitOfWork(database, actor=actor) as uow:
        fund = find_fund(uow, partnership, fund_code, year)
        label = f"{partnership} {fund.code} {fund.year}"
        line_ids = _resolve_lines(
            [(row.row, row.line) for row in parsed.rows], _line_index(uow, fund), path.name, parsed.line_heading, label
        )
        report = ImportReport(source=path.name, fund=label, dry_run=dry_run, rows_read=len(parsed.rows))
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
        if not dry_run:
            uow.commit()
    return report
