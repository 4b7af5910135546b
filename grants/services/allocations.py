"""Allocating a fund: budget lines and their approval by the Strategic Group.

Use cases (``use_case(uow, principal, ...)``; see :mod:`grants.services.usecase`):

* the manager adds, edits and removes budget lines (:func:`save_lines` takes a whole edited grid and
  applies it all or nothing). Each change is effective on the day it is recorded unless the caller dates
  it (``effective_on``; an imported table uses its as-at date).
* an approval covers the line's amount, purpose (description) and delivery partner: changing any of them
  voids it, and the line waits for the Strategic Group again;
* the Strategic Group approves lines (:func:`approve_lines`), rejects them with a reason
  (:func:`reject_line`) or withdraws an approval (:func:`withdraw_approval`). Nobody approves a line
  they proposed.

Virements live in :mod:`grants.services.virements`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from grants.domain.enums import CapitalRevenue
from grants.domain.errors import PermissionDenied, RuleViolation
from grants.domain.models import BudgetLine
from grants.domain.money import parse_money
from grants.services.access import Principal, check_fund, partnership_of_line, require_approve
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
        "charity_number",
        "company_number",
    }
)
"""What a manager may change on a line (approval is the Strategic Group's; source is the importer's)."""

APPROVAL_COVERS = ("allocated", "description", "delivery_partner")
"""What an approval is an approval of: changing any of these voids it."""


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


def add_line(uow: UnitOfWork, principal: Principal, fund_id: int, **values: Any) -> BudgetLine:
    """A new budget line for a fund (unapproved until the Strategic Group approves it)."""
    return save_lines(uow, principal, fund_id, additions=[values]).added[0]


def update_line(
    uow: UnitOfWork, principal: Principal, line_id: int, expected_version: int | None, **changes: Any
) -> BudgetLine:
    """Change one line; a stale version raises Conflict."""
    fund_id = uow.lines.get(line_id).fund_id
    result = save_lines(uow, principal, fund_id, changes=[LineChange(line_id, expected_version, changes)])
    return result.updated[0] if result.updated else uow.lines.get(line_id)


def save_lines(
    uow: UnitOfWork,
    principal: Principal,
    fund_id: int,
    *,
    changes: Sequence[LineChange] = (),
    additions: Sequence[Mapping[str, Any]] = (),
    deletions: Sequence[tuple[int, int | None]] = (),
    effective_on: date | None = None,
) -> SaveResult:
    """Apply an edited grid of a fund's lines: all of it, or (on any error) none of it."""
    check_fund(uow, principal, fund_id, write=True)
    result = SaveResult()
    with uow.dated(effective_on or uow.effective_on):
        for change in changes:
            line = uow.lines.get(change.line_id)
            if line.fund_id != fund_id:
                raise RuleViolation(f"line {change.line_id} is not a line of this fund")
            values = _clean(change.changes)
            values = {k: v for k, v in values.items() if getattr(line, k) != v}
            if not values:
                continue
            if line.approved_by and any(name in values for name in APPROVAL_COVERS):
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


def _proposer_of(uow: UnitOfWork, line: BudgetLine) -> set[str]:
    """Who created or last changed a line's approved terms (they may not approve it)."""
    assert line.id is not None
    names: set[str] = set()
    for event in uow.audit.events("budget_lines", line.id, limit=50):
        changed = set((event.after or {}).keys())
        if event.action == "create" or changed & set(APPROVAL_COVERS):
            names.add(event.actor)
    return names


def approve_lines(
    uow: UnitOfWork, principal: Principal, lines: Sequence[tuple[int, int | None]], *, on: date
) -> list[BudgetLine]:
    """The Strategic Group approves lines (id, version read), effective ``on``; records who and when."""
    approved: list[BudgetLine] = []
    with uow.dated(on):
        for line_id, version in lines:
            require_approve(principal, partnership_of_line(uow, line_id))
            line = uow.lines.get(line_id)
            if principal.username in _proposer_of(uow, line):
                raise PermissionDenied(f"{principal.username} proposed {line.description!r} and cannot approve it too")
            approved.append(
                uow.lines.update(
                    line_id,
                    version,
                    approved_by=principal.label,
                    approved_on=on,
                    rejected_by="",
                    rejected_on=None,
                    rejection_reason="",
                )
            )
    return approved


def reject_line(
    uow: UnitOfWork, principal: Principal, line_id: int, version: int | None, *, reason: str, on: date
) -> BudgetLine:
    """The Strategic Group declines a line's allocation, saying why; it stays unapproved until changed."""
    if not reason.strip():
        raise RuleViolation("say why the line is rejected (the manager will read it)")
    require_approve(principal, partnership_of_line(uow, line_id))
    with uow.dated(on):
        return uow.lines.update(
            line_id,
            version,
            approved_by="",
            approved_on=None,
            rejected_by=principal.label,
            rejected_on=on,
            rejection_reason=reason.strip(),
        )


def withdraw_approval(
    uow: UnitOfWork, principal: Principal, line_id: int, version: int | None, *, on: date | None = None
) -> BudgetLine:
    """The Strategic Group takes back an approval (e.g. recorded against the wrong line)."""
    require_approve(principal, partnership_of_line(uow, line_id))
    with uow.dated(on or uow.effective_on):
        return uow.lines.update(line_id, version, approved_by="", approved_on=None)
