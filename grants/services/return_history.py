"""A return's history (each version submitted, the funder's acceptance or query, the partnership's reply) and
where it stands in the funder's words. Read by the return's view (its PDF cover), the app and the county view.
"""

from __future__ import annotations

from datetime import date, datetime

from grants.domain.calendar import Period
from grants.domain.enums import ReturnStatus
from grants.domain.models import Return
from grants.storage.unit_of_work import UnitOfWork
from reports.return_extras import HistoryRow


def history_rows(uow: UnitOfWork, stored: Return | None) -> tuple[HistoryRow, ...]:
    """The return's history so far: each version submitted, and each acceptance, query and reply, in order."""
    if stored is None or stored.id is None:
        return ()
    rows = [
        (
            datetime.combine(v.submitted_on, datetime.min.time()),
            HistoryRow(
                on=v.submitted_on,
                who=v.submitted_by,
                what=f"version {v.number} submitted" if v.number == 1 else f"version {v.number} submitted (amended)",
                comment=v.reason,
            ),
        )
        for v in uow.return_versions.find(return_id=stored.id, order_by="number")
    ]
    rows += [
        (
            r.at,
            HistoryRow(
                on=r.at.date(),
                who=r.name or r.by,
                what=f"version {r.version_number} {r.action}" if r.version_number else f"return {r.action}",
                comment=r.comment,
            ),
        )
        for r in uow.reviews.find(return_id=stored.id, order_by="id")
    ]
    return tuple(row for _, row in sorted(rows, key=lambda pair: pair[0]))


def state_word(stored: Return | None, period: Period, due_on: date, as_at: date) -> str:
    """Where a return stands for the funder: not yet due, due, overdue, signed off, submitted, accepted, queried
    (or replied: the partnership answered a query)."""
    if stored is not None and stored.status is ReturnStatus.SUBMITTED:
        return stored.review or "submitted"
    if stored is not None and stored.status is ReturnStatus.SIGNED_OFF:
        return "signed off"
    if period.end >= as_at:
        return "not yet due"
    return "overdue" if due_on < as_at else "due"
