"""Allocating a fund: budget lines, their approval by the Strategic Group, and virements.

Use cases, each one transaction:

* the manager adds, edits and removes budget lines (:func:`save_lines` takes a whole edited
  grid and applies it all or nothing);
* the Strategic Group approves lines (:func:`approve_lines`); changing an approved line's
  allocation clears its approval, because the approval was for the old amount;
* the manager moves money between two lines of one fund (:func:`record_virement`): the money
  moves at once and the virement waits for the Strategic Group's approval
  (:func:`approve_virement`); the CHG001 rule flags an unapproved virement beyond the fund's
  threshold. A virement cannot move money already spent.

Every use case takes the signed-in :class:`Principal` and checks it before reading or
writing anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from grants.domain.enums import CapitalRevenue
from grants.domain.errors import RuleViolation
from grants.domain.models import BudgetLine, Virement
from grants.domain.money import format_gbp, parse_money
from grants.services.access import Principal, check_fund, partnership_of_line, require_approve
from grants.services.ledger import line_balances
from grants.storage.database import Database
from grants.storage.unit_of_work import UnitOfWork

EDITABLE_FIELDS = frozenset(
    {
        "description",
        "delivery_partner",
        "strategic_priority",
        "area",
        "cohort",
        "theme",
        "capital_revenue",
        "allocated",
        "starts",
        "ends",
        "continuation_decided",
        "notes",
    }
)
"""What a manager may change on a line (approval is the Strategic Group's; source is the importer's)."""


@dataclass(frozen=True)
class LineChange:
    """One edited row of the grid: the line, the version the page read, and the new values."""

    line_id: int
    version: int | None
    changes: Mapping[str, Any]


@dataclass
class SaveResult:
    """What :func:`save_lines` did."""

    added: list[BudgetLine] = field(default_factory=list)
    updated: list[BudgetLine] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    approvals_cleared: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        parts = []
        if self.added:
            parts.append(f"{len(self.added)} line(s) added")
        if self.updated:
            parts.append(f"{len(self.updated)} changed")
        if self.deleted:
            parts.append(f"{len(self.deleted)} removed")
        text = ", ".join(parts) or "nothing to save"
        if self.approvals_cleared:
            text += f"; {len(self.approvals_cleared)} need the Strategic Group's approval again"
        return text


def _clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise RuleViolation(f"these cannot be changed here: {', '.join(sorted(unknown))}")
    cleaned = dict(changes)
    if "description" in cleaned:
        cleaned["description"] = str(cleaned["description"] or "").strip()
        if not cleaned["description"]:
            raise RuleViolation("a budget line needs a description")
    if "allocated" in cleaned:
        amount = parse_money(cleaned["allocated"] if cleaned["allocated"] is not None else 0).amount
        if amount < 0:
            raise RuleViolation("an allocation cannot be negative; use a virement to move money between lines")
        cleaned["allocated"] = amount
    if "capital_revenue" in cleaned:
        cleaned["capital_revenue"] = CapitalRevenue(cleaned["capital_revenue"] or CapitalRevenue.REVENUE)
    for name in ("delivery_partner", "strategic_priority", "area", "cohort", "theme", "notes"):
        if name in cleaned:
            cleaned[name] = str(cleaned[name] or "").strip()
    return cleaned


def add_line(database: Database, principal: Principal, fund_id: int, **values: Any) -> BudgetLine:
    """A new budget line for a fund (unapproved until the Strategic Group approves it)."""
    result = save_lines(database, principal, fund_id, additions=[values])
    return result.added[0]


def update_line(
    database: Database, principal: Principal, line_id: int, expected_version: int | None, **changes: Any
) -> BudgetLine:
    """Change one line; a stale version raises Conflict."""
    with UnitOfWork(database, actor=principal.username) as uow:
        fund_id = uow.lines.get(line_id).fund_id
    result = save_lines(database, principal, fund_id, changes=[LineChange(line_id, expected_version, changes)])
    return result.updated[0] if result.updated else _get_line(database, line_id)


def _get_line(database: Database, line_id: int) -> BudgetLine:
    with UnitOfWork(database) as uow:
        return uow.lines.get(line_id)


def save_lines(
    database: Database,
    principal: Principal,
    fund_id: int,
    *,
    changes: Sequence[LineChange] = (),
    additions: Sequence[Mapping[str, Any]] = (),
    deletions: Sequence[tuple[int, int | None]] = (),
) -> SaveResult:
    """Apply an edited grid of a fund's lines in one transaction: all of it, or none of it."""
    result = SaveResult()
    with UnitOfWork(database, actor=principal.username) as uow:
        check_fund(uow, principal, fund_id, write=True)
        for change in changes:
            line = uow.lines.get(change.line_id)
            if line.fund_id != fund_id:
                raise RuleViolation(f"line {change.line_id} is not a line of this fund")
            values = _clean(change.changes)
            values = {k: v for k, v in values.items() if getattr(line, k) != v}
            if not values:
                continue
            if "allocated" in values and line.approved_by:
                values["approved_by"] = ""
                values["approved_on"] = None
                result.approvals_cleared.append(line.description)
            result.updated.append(uow.lines.update(change.line_id, change.version, **values))
        for raw in additions:
            values = _clean({k: v for k, v in raw.items() if v is not None})
            if not values.get("description"):
                raise RuleViolation("a new budget line needs a description")
            result.added.append(uow.lines.add(BudgetLine(fund_id=fund_id, **values)))
        for line_id, version in deletions:
            line = uow.lines.get(line_id)
            if line.fund_id != fund_id:
                raise RuleViolation(f"line {line_id} is not a line of this fund")
            _check_removable(uow, line)
            for entry in uow.profiles.find(line_id=line_id):
                assert entry.id is not None
                uow.profiles.delete(entry.id, entry.version)
            uow.lines.delete(line_id, version)
            result.deleted.append(line_id)
        uow.commit()
    return result


def _check_removable(uow: UnitOfWork, line: BudgetLine) -> None:
    name = repr(line.description)
    if uow.spends.first(line_id=line.id) is not None:
        raise RuleViolation(f"{name} has spend recorded; set its allocation to £0.00 instead of removing it")
    if uow.virements.first(from_line_id=line.id) or uow.virements.first(to_line_id=line.id):
        raise RuleViolation(f"{name} has virements recorded; it cannot be removed")
    if uow.outcomes.first(line_id=line.id) is not None:
        raise RuleViolation(f"{name} has outcome updates recorded; it cannot be removed")
    if uow.applications.first(line_id=line.id) is not None:
        raise RuleViolation(f"{name} came from a funded grant application; it cannot be removed")
    if uow.matches.first(line_id=line.id) is not None:
        raise RuleViolation(f"{name} has match funding recorded; it cannot be removed")


def approve_lines(
    database: Database, principal: Principal, lines: Sequence[tuple[int, int | None]], *, on: date
) -> list[BudgetLine]:
    """The Strategic Group approves lines (id, version read): records who and when."""
    approved: list[BudgetLine] = []
    with UnitOfWork(database, actor=principal.username) as uow:
        for line_id, version in lines:
            require_approve(principal, partnership_of_line(uow, line_id))
            approved.append(uow.lines.update(line_id, version, approved_by=principal.label, approved_on=on))
        uow.commit()
    return approved


def withdraw_approval(database: Database, principal: Principal, line_id: int, version: int | None) -> BudgetLine:
    """The Strategic Group takes back an approval (e.g. recorded against the wrong line)."""
    with UnitOfWork(database, actor=principal.username) as uow:
        require_approve(principal, partnership_of_line(uow, line_id))
        line = uow.lines.update(line_id, version, approved_by="", approved_on=None)
        uow.commit()
    return line


@dataclass(frozen=True)
class VirementResult:
    virement: Virement
    needs_approval: bool
    threshold: Decimal

    @property
    def message(self) -> str:
        moved = f"moved {format_gbp(self.virement.amount)}"
        if self.needs_approval:
            return f"{moved}; it is more than {self.threshold:.0%} of the line, so the Strategic Group must approve it"
        return f"{moved} (within the {self.threshold:.0%} threshold)"


def record_virement(
    database: Database,
    principal: Principal,
    *,
    from_line_id: int,
    to_line_id: int,
    amount: Decimal,
    moved_on: date,
    reason: str,
) -> VirementResult:
    """Move unspent money from one line to another of the same fund, now; approval follows."""
    amount = parse_money(amount).amount
    if amount <= 0:
        raise RuleViolation("a virement moves a positive amount")
    if from_line_id == to_line_id:
        raise RuleViolation("a virement moves money between two different lines")
    if not reason.strip():
        raise RuleViolation("say why the money is moving (the Strategic Group will read it)")
    with UnitOfWork(database, actor=principal.username) as uow:
        source = uow.lines.get(from_line_id)
        target = uow.lines.get(to_line_id)
        if source.fund_id != target.fund_id:
            raise RuleViolation("a virement moves money between lines of the same fund")
        check_fund(uow, principal, source.fund_id, write=True)
        fund = uow.funds.get(source.fund_id)
        balances = {b.line.id: b for b in line_balances(uow, source.fund_id)}
        unspent = balances[from_line_id].balance
        if amount > unspent:
            raise RuleViolation(
                f"{source.description!r} has {format_gbp(unspent)} unspent; a virement cannot move {format_gbp(amount)}"
            )
        threshold = fund.conditions.virement_threshold
        needs_approval = amount > (source.allocated * threshold)
        uow.lines.update(from_line_id, source.version, allocated=source.allocated - amount)
        uow.lines.update(to_line_id, target.version, allocated=target.allocated + amount)
        virement = uow.virements.add(
            Virement(
                fund_id=source.fund_id,
                from_line_id=from_line_id,
                to_line_id=to_line_id,
                amount=amount,
                moved_on=moved_on,
                reason=reason.strip(),
            )
        )
        uow.commit()
    return VirementResult(virement, needs_approval, threshold)


def approve_virement(
    database: Database, principal: Principal, virement_id: int, version: int | None, *, on: date
) -> Virement:
    with UnitOfWork(database, actor=principal.username) as uow:
        virement = uow.virements.get(virement_id)
        fund = uow.funds.get(virement.fund_id)
        require_approve(principal, fund.partnership_id)
        if virement.approved_by:
            raise RuleViolation(f"this virement was already approved by {virement.approved_by}")
        approved = uow.virements.update(virement_id, version, approved_by=principal.label, approved_on=on)
        uow.commit()
    return approved
