"""The dated ledger's write side: every change to a line or a profile quarter leaves a dated state.

A change has two dates: when it is effective (``effective_on``, given by the use case: the day an approval
was given, the as-at date of an imported table; by default the day it was recorded) and when it was
recorded (the unit of work's clock). The line and profile repositories below append a state in the same
transaction as each add, change and removal, so the ledger as at any day is a query (see
``grants.services.ledger_frames``) and today's row is simply the latest state.

One rule keeps history honest: a change may not be effective before a change already recorded for the same
line (it would silently rewrite what a later state says); it is refused instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from grants.domain.errors import RuleViolation
from grants.domain.models import BudgetLine, ProfileEntry
from grants.storage.repository import AuditLog, Repository, _to_stored
from grants.storage.tables import BudgetLineRow, LineStateRow, ProfileEntryRow, ProfileStateRow

Effective = Callable[[], date]


def _pence(value: Any) -> int:
    return int(_to_stored(value, 2))


class LineRepository(Repository[BudgetLine]):
    """Budget lines, each change also appended to ``line_states`` at its effective date."""

    def __init__(self, session: Session, audit: AuditLog, effective: Effective, clock: Callable[[], datetime]) -> None:
        super().__init__(session, BudgetLine, BudgetLineRow, audit)
        self._effective, self._clock = effective, clock

    TERMS = ("allocated", "description", "delivery_partner")
    APPROVAL = ("approved_by", "approved_on")

    def latest_effective(self, line_id: int, kind: str = "terms") -> date | None:
        return self._session.scalar(
            select(func.max(LineStateRow.effective_on)).where(
                LineStateRow.line_id == line_id, LineStateRow.kind == kind
            )
        )

    def _state(self, line: BudgetLine, kind: str, day: date, *, removed: bool = False) -> None:
        assert line.id is not None
        latest = self.latest_effective(line.id, kind)
        if latest is not None and day < latest:
            what = "an approval decision" if kind == "approval" else "a change"
            raise RuleViolation(
                f"{line.description!r} already has {what} effective on {latest:%d/%m/%Y}; one effective on "
                f"{day:%d/%m/%Y} would rewrite it. Date it {latest:%d/%m/%Y} or later."
            )
        self._session.execute(
            insert(LineStateRow).values(
                line_id=line.id,
                kind=kind,
                effective_on=day,
                recorded_at=self._clock(),
                allocated=_pence(line.allocated),
                description=line.description,
                delivery_partner=line.delivery_partner,
                approved_by=line.approved_by,
                approved_on=line.approved_on,
                removed=removed,
            )
        )

    def _changed(self, before: BudgetLine | None, after: BudgetLine | None) -> None:
        if after is None:
            return
        day = self._effective()
        if before is None and after.approved_by and after.approved_on and after.approved_on < day:
            day = after.approved_on  # recorded with an earlier approval: it existed, as agreed, from that day
        if before is None or any(getattr(before, n) != getattr(after, n) for n in self.TERMS):
            self._state(after, "terms", day)
        if before is None and not after.approved_by:
            return
        if before is None or any(getattr(before, n) != getattr(after, n) for n in self.APPROVAL):
            granted = after.approved_on if after.approved_by and after.approved_on else None
            self._state(after, "approval", granted or day)

    def delete(self, item_id: int, expected_version: int | None) -> None:
        """Remove a line that never moved money: its dated states go with it (the audit log keeps the removal)."""
        self._session.execute(delete(LineStateRow).where(LineStateRow.line_id == item_id))
        self._session.execute(delete(ProfileStateRow).where(ProfileStateRow.line_id == item_id))
        super().delete(item_id, expected_version)


class ProfileRepository(Repository[ProfileEntry]):
    """Profile quarters, each change also appended to ``profile_states`` at its effective date."""

    def __init__(self, session: Session, audit: AuditLog, effective: Effective, clock: Callable[[], datetime]) -> None:
        super().__init__(session, ProfileEntry, ProfileEntryRow, audit)
        self._effective, self._clock = effective, clock

    def _state(self, entry: ProfileEntry, amount: Any) -> None:
        self._session.execute(
            insert(ProfileStateRow).values(
                line_id=entry.line_id,
                year=entry.year,
                quarter=entry.quarter,
                effective_on=self._effective(),
                recorded_at=self._clock(),
                amount=_pence(amount),
            )
        )

    def _inserted(self, rows: Sequence[dict[str, Any]]) -> None:
        day, now = self._effective(), self._clock()
        states = [
            {"line_id": r["line_id"], "year": r["year"], "quarter": r["quarter"], "amount": r["amount"]} for r in rows
        ]
        self._session.execute(insert(ProfileStateRow), [{**s, "effective_on": day, "recorded_at": now} for s in states])

    def _changed(self, before: ProfileEntry | None, after: ProfileEntry | None) -> None:
        if after is not None and (before is None or before.amount != after.amount):
            self._state(after, after.amount)
        elif after is None and before is not None:
            self._state(before, 0)
