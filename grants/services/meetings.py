"""The strategic group's meeting pack: the budget tables as at the meeting, what changed since the last
meeting, the findings and the Budget / Resource Implications per priority; frozen for its meeting.

The figures come from the dated ledger (the budget pack as at the meeting date, the lines as they stood
on each date), so a pack made today for an earlier meeting shows that meeting's figures. A frozen pack
keeps the bytes that were shown (PDF and workbook, each with its SHA-256) and is returned as stored
afterwards, whatever has changed in the ledger since. The last meeting is the newest frozen pack before
this one, unless a ``since`` date is given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import func, select

from grants.domain.calendar import FinancialYear
from grants.domain.enums import SpendKind, VirementStatus
from grants.domain.errors import NotFound, RuleViolation
from grants.domain.money import from_pence
from grants.services.access import Principal, require_read, require_write
from grants.services.ledger_frames import dated_lines
from grants.services.reporting import FindingsProvider, budget_pack, checked_findings, now_london, preparer
from grants.storage.tables import MeetingPackRow, SpendRow
from grants.storage.unit_of_work import UnitOfWork
from reports.meeting_pack import (
    LineChange,
    MeetingPack,
    SpendSince,
    VirementSince,
    meeting_pack_pdf,
    meeting_pack_workbook,
)

FORMATS = ("pdf", "xlsx")


@dataclass(frozen=True)
class FrozenPack:
    """A meeting pack as frozen for its meeting."""

    partnership_id: int
    meeting_on: date
    since: date | None
    pdf: bytes
    xlsx: bytes
    pdf_sha256: str
    xlsx_sha256: str
    frozen_at: datetime
    frozen_by: str

    def data(self, fmt: str) -> bytes:
        return self.pdf if fmt == "pdf" else self.xlsx

    def sha256(self, fmt: str) -> str:
        return self.pdf_sha256 if fmt == "pdf" else self.xlsx_sha256


def meeting_pack(
    uow: UnitOfWork,
    principal: Principal,
    partnership_id: int,
    *,
    meeting_on: date,
    since: date | None = None,
    generated_at: datetime | None = None,
    findings: FindingsProvider = checked_findings,
) -> MeetingPack:
    """The pack for the meeting on ``meeting_on``, compared with ``since`` (default: the last frozen pack)."""
    require_read(principal, partnership_id)
    if since is None:
        since = last_meeting(uow, partnership_id, meeting_on)
    if since is not None and since >= meeting_on:
        raise RuleViolation(f"the last meeting ({since:%d/%m/%Y}) must be before this one ({meeting_on:%d/%m/%Y})")
    year = FinancialYear.containing(meeting_on).label
    budget = budget_pack(
        uow, principal, partnership_id, year=year, as_at=meeting_on, generated_at=generated_at, findings=findings
    )
    if since is None:
        return MeetingPack(meeting_on=meeting_on, since=None, budget=budget)
    funds = {fund.id: fund for fund in uow.funds.find(partnership_id=partnership_id, year=year)}
    labels = {fund_id: f"{fund.code} {fund.year}" for fund_id, fund in funds.items()}
    fund_ids = [fund_id for fund_id in funds if fund_id is not None]
    if not fund_ids:
        return MeetingPack(meeting_on=meeting_on, since=since, budget=budget)
    connection = uow.session.connection()
    now, _ = dated_lines(connection, fund_ids, meeting_on)
    then, _ = dated_lines(connection, fund_ids, since)
    return MeetingPack(
        meeting_on=meeting_on,
        since=since,
        budget=budget,
        line_changes=_line_changes(then, now, labels),
        virements=_virements(uow, fund_ids, since, meeting_on, labels, now),
        spend_since=_spend_since(uow, now, since, meeting_on, labels),
    )


def _line_changes(then: pd.DataFrame, now: pd.DataFrame, labels: dict[int | None, str]) -> tuple[LineChange, ...]:
    before = {int(r["line_id"]): r for r in then.to_dict("records")}
    after = {int(r["line_id"]): r for r in now.to_dict("records")}
    changes: list[LineChange] = []
    for line_id, row in after.items():
        allocated = from_pence(int(row["allocated_pence"]))
        fund, description = labels[int(row["fund_id"])], str(row["description"])
        if line_id not in before:
            changes.append(LineChange(fund, description, "added", None, allocated))
        elif int(before[line_id]["allocated_pence"]) != int(row["allocated_pence"]):
            was = from_pence(int(before[line_id]["allocated_pence"]))
            changes.append(LineChange(fund, description, "amount changed", was, allocated))
    for line_id, row in before.items():
        if line_id not in after:
            was = from_pence(int(row["allocated_pence"]))
            changes.append(LineChange(labels[int(row["fund_id"])], str(row["description"]), "removed", was, None))
    return tuple(changes)


def _virements(
    uow: UnitOfWork,
    fund_ids: list[int],
    since: date,
    meeting_on: date,
    labels: dict[int | None, str],
    lines: pd.DataFrame,
) -> tuple[VirementSince, ...]:
    names = dict(zip(lines["line_id"].tolist(), lines["description"].tolist(), strict=True))
    moved: list[VirementSince] = []
    for virement in uow.virements.find(fund_id=fund_ids):
        if virement.status is VirementStatus.REJECTED or not since < virement.moved_on <= meeting_on:
            continue
        moved.append(
            VirementSince(
                fund=labels[virement.fund_id],
                from_line=str(names.get(virement.from_line_id, f"line {virement.from_line_id}")),
                to_line=str(names.get(virement.to_line_id, f"line {virement.to_line_id}")),
                amount=virement.amount,
                moved_on=virement.moved_on,
                status=virement.status.value,
            )
        )
    return tuple(sorted(moved, key=lambda v: (v.moved_on, v.fund, v.from_line)))


def _spend_since(
    uow: UnitOfWork, lines: pd.DataFrame, since: date, meeting_on: date, labels: dict[int | None, str]
) -> tuple[SpendSince, ...]:
    """Each line's payments less refunds dated after ``since`` up to the meeting (one grouped query)."""
    line_ids = [int(i) for i in lines["line_id"].tolist()]
    if not line_ids:
        return ()
    query = (
        select(SpendRow.line_id, SpendRow.kind, func.sum(SpendRow.amount))
        .where(SpendRow.line_id.in_(line_ids), SpendRow.spent_on > since, SpendRow.spent_on <= meeting_on)
        .group_by(SpendRow.line_id, SpendRow.kind)
    )
    net: dict[int, int] = {}
    for line_id, kind, amount in uow.session.execute(query):
        sign = 1 if kind == SpendKind.PAYMENT.value else -1 if kind == SpendKind.REFUND.value else 0
        net[int(line_id)] = net.get(int(line_id), 0) + sign * int(amount)
    by_id = {int(r["line_id"]): r for r in lines.to_dict("records")}
    return tuple(
        SpendSince(labels[int(by_id[line_id]["fund_id"])], str(by_id[line_id]["description"]), from_pence(pence))
        for line_id, pence in sorted(net.items())
        if pence
    )


def render_meeting_pack(pack: MeetingPack, fmt: str, *, invariant: bool = False) -> bytes:
    """The pack as PDF or XLSX bytes."""
    if fmt == "pdf":
        return meeting_pack_pdf(pack, invariant=invariant)
    if fmt == "xlsx":
        return meeting_pack_workbook(pack)
    raise RuleViolation(f"a meeting pack is a PDF or a workbook (.pdf or .xlsx), not .{fmt}")


def last_meeting(uow: UnitOfWork, partnership_id: int, before: date) -> date | None:
    """The newest meeting before ``before`` with a frozen pack."""
    found: date | None = uow.session.scalar(
        select(func.max(MeetingPackRow.meeting_on)).where(
            MeetingPackRow.partnership_id == partnership_id, MeetingPackRow.meeting_on < before
        )
    )
    return found


def frozen_pack(uow: UnitOfWork, principal: Principal, partnership_id: int, meeting_on: date) -> FrozenPack | None:
    """The pack frozen for that meeting, checked against its SHA-256; None if it was never frozen."""
    require_read(principal, partnership_id)
    row = uow.session.scalar(
        select(MeetingPackRow).where(
            MeetingPackRow.partnership_id == partnership_id, MeetingPackRow.meeting_on == meeting_on
        )
    )
    if row is None:
        return None
    for name, data, digest in (("PDF", row.pdf, row.pdf_sha256), ("workbook", row.xlsx, row.xlsx_sha256)):
        if hashlib.sha256(data).hexdigest() != digest:
            raise RuleViolation(
                f"the frozen {name} of the meeting of {meeting_on:%d/%m/%Y} does not match its SHA-256: "
                "it has been altered in the database; restore it from a backup"
            )
    return FrozenPack(
        partnership_id=row.partnership_id,
        meeting_on=row.meeting_on,
        since=row.since_on,
        pdf=row.pdf,
        xlsx=row.xlsx,
        pdf_sha256=row.pdf_sha256,
        xlsx_sha256=row.xlsx_sha256,
        frozen_at=row.frozen_at,
        frozen_by=row.frozen_by,
    )


def frozen_meetings(uow: UnitOfWork, principal: Principal, partnership_id: int) -> list[tuple[date, datetime, str]]:
    """(meeting date, frozen at, by whom) of each frozen pack, newest meeting first."""
    require_read(principal, partnership_id)
    query = (
        select(MeetingPackRow.meeting_on, MeetingPackRow.frozen_at, MeetingPackRow.frozen_by)
        .where(MeetingPackRow.partnership_id == partnership_id)
        .order_by(MeetingPackRow.meeting_on.desc())
    )
    return [(row[0], row[1], row[2]) for row in uow.session.execute(query)]


def freeze_meeting_pack(
    uow: UnitOfWork,
    principal: Principal,
    partnership_id: int,
    *,
    meeting_on: date,
    since: date | None = None,
    clock: Callable[[], datetime] = now_london,
    findings: FindingsProvider = checked_findings,
) -> FrozenPack:
    """Make the pack for the meeting and keep it as shown (PDF and workbook, with SHA-256); audited.

    A meeting's pack is frozen once: freezing it again is refused, naming when and by whom it was.
    """
    require_write(principal, partnership_id)
    existing = frozen_pack(uow, principal, partnership_id, meeting_on)
    if existing is not None:
        raise RuleViolation(
            f"the pack for the meeting of {meeting_on:%d/%m/%Y} was frozen on {existing.frozen_at:%d/%m/%Y at %H:%M} "
            f"by {existing.frozen_by}; it is kept as it was shown"
        )
    moment = clock()
    pack = meeting_pack(
        uow, principal, partnership_id, meeting_on=meeting_on, since=since, generated_at=moment, findings=findings
    )
    pdf = render_meeting_pack(pack, "pdf", invariant=True)
    xlsx = render_meeting_pack(pack, "xlsx")
    row = MeetingPackRow(
        partnership_id=partnership_id,
        meeting_on=meeting_on,
        since_on=pack.since,
        pdf=pdf,
        xlsx=xlsx,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        xlsx_sha256=hashlib.sha256(xlsx).hexdigest(),
        frozen_at=moment.replace(tzinfo=None),
        frozen_by=preparer(principal) or principal.username,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit.record(
        "freeze",
        "meeting_packs",
        row.id,
        None,
        {
            "partnership_id": partnership_id,
            "meeting_on": meeting_on.isoformat(),
            "since_on": pack.since.isoformat() if pack.since else None,
            "pdf_sha256": row.pdf_sha256,
            "xlsx_sha256": row.xlsx_sha256,
            "pdf_bytes": len(pdf),
            "xlsx_bytes": len(xlsx),
        },
    )
    frozen = frozen_pack(uow, principal, partnership_id, meeting_on)
    if frozen is None:  # pragma: no cover - just written in this transaction
        raise NotFound("the frozen pack could not be read back")
    return frozen
