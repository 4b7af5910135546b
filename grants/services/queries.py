"""Reading the ledger as one signed-in person may see it.

Every function takes the :class:`Principal` and returns only what belongs to the partnerships
granted to them; asking for a record of another partnership raises ``PermissionDenied``. The
results are plain dataclasses and domain models; the app formats them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from grants.domain.calendar import FinancialYear
from grants.domain.enums import SpendKind, VirementStatus
from grants.domain.errors import NotFound
from grants.domain.models import (
    Application,
    AuditEvent,
    Fund,
    GrantRound,
    MatchContribution,
    OutcomeUpdate,
    Partnership,
    Receipt,
    Return,
    Spend,
    Virement,
)
from grants.figures import net
from grants.services import fund_figures
from grants.services.access import Principal, check_fund, partnership_of_round, require_read, visible_partnerships
from grants.services.fund_figures import FundSummary, LineBalance
from grants.storage.repository import Repository
from grants.storage.tables import FundRow, PartnershipRow
from grants.storage.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")


def partnerships(uow: UnitOfWork, principal: Principal) -> list[Partnership]:
    visible = visible_partnerships(principal)
    return [p for p in uow.partnerships.find(order_by="name") if visible is None or p.id in visible]


def fund_summaries(
    uow: UnitOfWork,
    principal: Principal,
    *,
    year: str | None = None,
    as_at: date | None = None,
    fund_ids: Sequence[int] | None = None,
) -> list[FundSummary]:
    """Each visible fund (of the year, or of these ids) with its figures as at ``as_at`` (default today;
    ``grants.figures``)."""
    return fund_figures.fund_summaries(
        uow, year=year, as_at=as_at, partnership_ids=visible_partnerships(principal), fund_ids=fund_ids
    )


def visible_funds(uow: UnitOfWork, principal: Principal, *, year: str | None = None) -> list[tuple[int, int]]:
    """(fund id, partnership id) of each fund the principal may see (of the year), in the order of
    :func:`fund_summaries`: one small query, for keying per-fund caches."""
    visible = visible_partnerships(principal)
    query = select(FundRow.id, FundRow.partnership_id).join(PartnershipRow, FundRow.partnership_id == PartnershipRow.id)
    if year:
        query = query.where(FundRow.year == FinancialYear.parse(year).label)
    rows = uow.session.execute(query.order_by(PartnershipRow.name, FundRow.year, FundRow.code)).all()
    return [(int(f), int(p)) for f, p in rows if visible is None or p in visible]


def years(uow: UnitOfWork, principal: Principal) -> list[str]:
    """The financial years of the visible funds, newest first."""
    visible = visible_partnerships(principal)
    labels = {f.year for f in uow.funds.find() if visible is None or f.partnership_id in visible}
    return sorted(labels, key=lambda label: FinancialYear.parse(label).start_year, reverse=True)


def fund(uow: UnitOfWork, principal: Principal, fund_id: int) -> Fund:
    check_fund(uow, principal, fund_id)
    return uow.funds.get(fund_id)


def lines(uow: UnitOfWork, principal: Principal, fund_id: int, as_at: date | None = None) -> list[LineBalance]:
    """A fund's lines with their money: as they stand now, or as they stood at the end of ``as_at``."""
    check_fund(uow, principal, fund_id)
    return fund_figures.line_balances(uow, fund_id, as_at)


def receipts(uow: UnitOfWork, principal: Principal, fund_id: int) -> list[Receipt]:
    check_fund(uow, principal, fund_id)
    return uow.receipts.find(fund_id=fund_id)


def matches(uow: UnitOfWork, principal: Principal, fund_id: int) -> list[MatchContribution]:
    check_fund(uow, principal, fund_id)
    return uow.matches.find(fund_id=fund_id)


@dataclass(frozen=True)
class VirementView:
    virement: Virement
    from_line: str
    to_line: str
    threshold: Decimal

    @property
    def approved(self) -> bool:
        return self.virement.status is VirementStatus.APPROVED

    @property
    def pending(self) -> bool:
        return self.virement.status is VirementStatus.PROPOSED

    @property
    def state(self) -> str:
        """How the virement stands, in words: pending, approved (who, when) or rejected (who, when, why)."""
        v = self.virement
        if v.status is VirementStatus.APPROVED:
            return f"approved by {v.decided_by or v.approved_by}, {v.decided_on or v.approved_on:%d/%m/%Y}"
        if v.status is VirementStatus.REJECTED:
            return f"rejected by {v.decided_by}, {v.decided_on:%d/%m/%Y}: {v.decision_reason}"
        return "pending: awaiting the Strategic Group"


def virements(uow: UnitOfWork, principal: Principal, fund_id: int) -> list[VirementView]:
    check_fund(uow, principal, fund_id)
    names = {line.id: line.description for line in uow.lines.find(fund_id=fund_id)}
    threshold = uow.funds.get(fund_id).conditions.virement_threshold
    return [
        VirementView(v, names.get(v.from_line_id, "?"), names.get(v.to_line_id, "?"), threshold)
        for v in uow.virements.find(fund_id=fund_id, order_by="moved_on")
    ]


@dataclass(frozen=True)
class SpendView:
    spend: Spend
    line: str


def spends(uow: UnitOfWork, principal: Principal, fund_id: int) -> list[SpendView]:
    """The fund's spend entries, newest first."""
    check_fund(uow, principal, fund_id)
    names = {line.id: line.description for line in uow.lines.find(fund_id=fund_id)}
    entries = uow.spends.find(line_id=list(names), order_by="spent_on") if names else []
    return [SpendView(s, names.get(s.line_id, "?")) for s in reversed(entries)]


def profiles(uow: UnitOfWork, principal: Principal, fund_id: int, year: str) -> dict[int, dict[int, Decimal]]:
    """{line id: {quarter: planned amount}} for one financial year."""
    label = FinancialYear.parse(year).label
    check_fund(uow, principal, fund_id)
    ids = [line.id for line in uow.lines.find(fund_id=fund_id)]
    entries = uow.profiles.find(line_id=ids, year=label) if ids else []
    table: dict[int, dict[int, Decimal]] = {}
    for entry in entries:
        table.setdefault(entry.line_id, {})[entry.quarter] = entry.amount
    return table


@dataclass(frozen=True)
class OutcomeView:
    outcome: OutcomeUpdate
    line: str


def outcomes(uow: UnitOfWork, principal: Principal, fund_id: int) -> list[OutcomeView]:
    check_fund(uow, principal, fund_id)
    names = {line.id: line.description for line in uow.lines.find(fund_id=fund_id)}
    found = uow.outcomes.find(line_id=list(names), order_by="reported_on") if names else []
    return [OutcomeView(o, names.get(o.line_id, "?")) for o in reversed(found)]


def rounds(uow: UnitOfWork, principal: Principal, fund_id: int) -> list[GrantRound]:
    check_fund(uow, principal, fund_id)
    return uow.rounds.find(fund_id=fund_id, order_by="number")


def applications(uow: UnitOfWork, principal: Principal, round_id: int) -> list[Application]:
    require_read(principal, partnership_of_round(uow, round_id))
    return uow.applications.find(round_id=round_id)


def returns(uow: UnitOfWork, principal: Principal, fund_id: int) -> list[Return]:
    check_fund(uow, principal, fund_id)
    return uow.returns.find(fund_id=fund_id, order_by="period")


# -- the chart: cumulative spend against the cumulative profile -----------------------------


@dataclass(frozen=True)
class CumulativePoint:
    day: date
    series: str  # "Spend" or "Profile"
    amount: Decimal


def spend_against_profile(uow: UnitOfWork, principal: Principal, fund_id: int, *, as_at: date) -> list[CumulativePoint]:
    """Cumulative net spend by day to ``as_at``, and the cumulative profile, linear within each quarter.

    The profile is drawn as the PRF001 rule reads it: each quarter's amount accrues evenly over
    its days, so the line's slope is the planned rate of spend.
    """
    check_fund(uow, principal, fund_id)
    the_fund = uow.funds.get(fund_id)
    ids = [line.id for line in uow.lines.find(fund_id=fund_id)]
    entries = uow.spends.find(line_id=ids, order_by="spent_on") if ids else []
    planned = uow.profiles.find(line_id=ids) if ids else []
    points: list[CumulativePoint] = []
    by_quarter: dict[tuple[int, int], Decimal] = {}
    for entry in planned:
        key = (FinancialYear.parse(entry.year).start_year, entry.quarter)
        by_quarter[key] = by_quarter.get(key, ZERO) + entry.amount
    total = ZERO
    if by_quarter:
        first_year = min(year for year, _ in by_quarter)
        last_year = max(year for year, _ in by_quarter)
        for start_year in range(first_year, last_year + 1):
            for quarter in (1, 2, 3, 4):
                period = FinancialYear(start_year).quarter(quarter)
                points.append(CumulativePoint(period.start, "Profile", total))
                total += by_quarter.get((start_year, quarter), ZERO)
                points.append(CumulativePoint(period.end, "Profile", total))
    running = ZERO
    end = min(as_at, max(the_fund.ends, max((s.spent_on for s in entries), default=the_fund.ends)))
    points.append(CumulativePoint(the_fund.starts, "Spend", ZERO))
    for spend in entries:
        if spend.spent_on > as_at or spend.kind is SpendKind.INCOME:
            continue
        running += net(spend.kind, spend.amount)
        points.append(CumulativePoint(spend.spent_on, "Spend", running))
    if end >= the_fund.starts:
        points.append(CumulativePoint(end, "Spend", running))
    return points


# -- the audit log, filtered to what the principal may see ----------------------------------

_BY_FUND = {
    "receipts",
    "budget_lines",
    "match_contributions",
    "virements",
    "returns",
    "grant_rounds",
    "imported_tables",
}
_BY_LINE = {"profile_entries", "spends", "outcome_updates", "outcome_targets"}


def audit_events(
    uow: UnitOfWork,
    principal: Principal,
    *,
    entity: str | None = None,
    actor: str | None = None,
    limit: int = 500,
) -> list[AuditEvent]:
    """The newest audit events the principal may see (user changes: administrators only).

    An event belongs to the partnership of the record it changed; a bulk import event to the
    partnership its fund label names. Password hashes are never shown.
    """
    visible = visible_partnerships(principal)
    events = uow.audit.events(entity=entity, limit=limit)
    names = {p.id: p.name for p in uow.partnerships.find()}
    owner = _Owners(uow)
    shown = []
    for event in events:
        if actor and event.actor != actor:
            continue
        if event.entity == "users":
            if principal.is_admin:
                shown.append(_redacted(event))
            continue
        if visible is not None:
            partnership_id = owner.of(event, names)
            if partnership_id is not None and partnership_id not in visible:
                continue
            if partnership_id is None and event.entity not in ("funders",):
                continue
        shown.append(_redacted(event))
    return shown


def _redacted(event: AuditEvent) -> AuditEvent:
    def clean(values: dict[str, Any] | None) -> dict[str, Any] | None:
        if values is None:
            return None
        return {k: ("(hidden)" if "password" in k and k != "password" else v) for k, v in values.items()}

    return event.model_copy(update={"before": clean(event.before), "after": clean(event.after)})


class _Owners:
    """Which partnership an audit event's record belongs to (cached lookups)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.funds: dict[int, int | None] = {}
        self.lines: dict[int, int | None] = {}
        self.rounds: dict[int, int | None] = {}

    def _cached(self, cache: dict[int, int | None], key: int, find: Callable[[int], int | None]) -> int | None:
        if key not in cache:
            try:
                cache[key] = find(key)
            except NotFound:
                cache[key] = None
        return cache[key]

    def fund(self, fund_id: int) -> int | None:
        return self._cached(self.funds, fund_id, lambda i: self.uow.funds.get(i).partnership_id)

    def line(self, line_id: int) -> int | None:
        def find(i: int) -> int | None:
            return self.fund(self.uow.lines.get(i).fund_id)

        return self._cached(self.lines, line_id, find)

    def round(self, round_id: int) -> int | None:
        return self._cached(self.rounds, round_id, lambda i: partnership_of_round(self.uow, i))

    def of(self, event: AuditEvent, names: dict[int | None, str]) -> int | None:
        data = {**(event.before or {}), **(event.after or {})}
        if event.entity == "partnerships":
            return event.entity_id
        if event.entity == "funds":
            if "partnership_id" in data:
                return int(data["partnership_id"])
            return self.fund(event.entity_id) if event.entity_id is not None else None
        if event.entity_id is None:
            label = str(data.get("fund", ""))
            for partnership_id, name in names.items():
                if label.startswith(name + " "):
                    return partnership_id
            return None
        if event.entity in _BY_FUND:
            if "fund_id" in data:
                return self.fund(int(data["fund_id"]))
            finders: dict[str, Repository[Any]] = {
                "receipts": self.uow.receipts,
                "budget_lines": self.uow.lines,
                "match_contributions": self.uow.matches,
                "virements": self.uow.virements,
                "returns": self.uow.returns,
                "grant_rounds": self.uow.rounds,
                "imported_tables": self.uow.imported_tables,
            }
            try:
                return self.fund(int(getattr(finders[event.entity].get(event.entity_id), "fund_id")))  # noqa: B009
            except NotFound:
                return None
        if event.entity in _BY_LINE:
            if "line_id" in data:
                return self.line(int(data["line_id"]))
            finder2: dict[str, Repository[Any]] = {
                "profile_entries": self.uow.profiles,
                "spends": self.uow.spends,
                "outcome_updates": self.uow.outcomes,
                "outcome_targets": self.uow.targets,
            }
            try:
                return self.line(int(getattr(finder2[event.entity].get(event.entity_id), "line_id")))  # noqa: B009
            except NotFound:
                return None
        if event.entity == "applications":
            if "round_id" in data:
                return self.round(int(data["round_id"]))
            try:
                return self.round(self.uow.applications.get(event.entity_id).round_id)
            except NotFound:
                return None
        return None
