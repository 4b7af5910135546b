"""Locked periods and closed years: the writes the ledger refuses, and post-submission adjustments.

Every unit of work run by :func:`grants.services.usecase.perform` asks a :class:`LockGuard` before each
write (through the audit log's ``guard`` hook, so no write path is missed):

- a **closed year** (``year close``): nothing of a fund of that partnership and year may change; an
  administrator reopens it (``year reopen``);
- a **submitted return**: a spend, refund, income, receipt or allocation (a line, or a virement moving
  money between lines) dated inside the return's period is refused, naming the return, unless it is
  recorded as a **post-submission adjustment** with a reason (``--adjustment "REASON"`` on the command
  line, the adjustment box in the app). An adjustment is stored (and audited) in ``ledger_adjustments``;
  the fund's next return lists it under "Adjustments to earlier periods".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from grants.domain.calendar import FinancialYear, parse_period
from grants.domain.enums import ReturnStatus
from grants.domain.errors import RuleViolation
from grants.domain.models import Fund, Return
from grants.domain.money import format_gbp
from grants.domain.workflow import LedgerAdjustment
from grants.services.access import Principal
from grants.storage.unit_of_work import UnitOfWork

_ADJUSTMENT: ContextVar[str] = ContextVar("adjustment_reason", default="")

# table -> (how a record names its fund, how it names its date, what the change is called)
_BY_FUND = "fund_id"
_BY_LINE = "line_id"
_GUARDED: dict[str, tuple[str, str | None, str]] = {
    "spends": (_BY_LINE, "spent_on", "spend"),
    "receipts": (_BY_FUND, "received_on", "receipt"),
    "budget_lines": (_BY_FUND, "", "allocation"),  # "": the day the change takes effect
    "virements": (_BY_FUND, None, "virement"),  # its money moves through budget_lines, dated by approval
    "profile_entries": (_BY_LINE, None, "spend profile"),
    "match_contributions": (_BY_FUND, None, "match contribution"),
    "outcome_updates": (_BY_LINE, None, "outcome update"),
    "grant_rounds": (_BY_FUND, None, "grant round"),
    "funds": ("id", None, "fund"),
}


@contextmanager
def adjusting(reason: str | None) -> Iterator[None]:
    """Writes made inside the block may change a submitted period, recorded as adjustments with ``reason``."""
    token = _ADJUSTMENT.set((reason or "").strip())
    try:
        yield
    finally:
        _ADJUSTMENT.reset(token)


@dataclass
class LockGuard:
    """Asked before every write of one unit of work (see the module's docstring)."""

    uow: UnitOfWork
    principal: Principal
    adjustment: str = ""
    _funds: dict[int, Fund] = field(default_factory=dict)
    _line_funds: dict[int, int] = field(default_factory=dict)
    _locked: dict[int, list[tuple[Return, date, date]]] = field(default_factory=dict)
    _recorded: set[tuple[int, str, int, date]] = field(default_factory=set)
    _closed: dict[tuple[int, str], Any] = field(default_factory=dict)

    def __call__(self, entity: str, records: Sequence[dict[str, Any]]) -> None:
        rule = _GUARDED.get(entity)
        if rule is None:
            return
        by, dated_by, what = rule
        reason = self.adjustment or _ADJUSTMENT.get()
        for record in reversed(records):  # an update's new values first: the adjustment describes them
            fund = self._fund_of(record, by)
            if fund is None:
                continue
            self._refuse_closed(fund, what)
            if dated_by is None or not self._periods(fund):
                continue
            day = self.uow.effective_on if dated_by == "" else record.get(dated_by)
            if not isinstance(day, date):
                continue
            locked = self._locked_return(fund, day)
            if locked is None:
                continue
            stored, start, end = locked
            if not reason:
                raise RuleViolation(
                    f"the {fund.code} {stored.period} return was submitted on "
                    f"{stored.submitted_on:%d/%m/%Y} by {stored.submitted_by or 'someone'}; this {what} is dated "
                    f"{day:%d/%m/%Y}, inside its period ({start:%d/%m/%Y} to {end:%d/%m/%Y}). Date it after "
                    f"{end:%d/%m/%Y}, or record it as a post-submission adjustment with a reason "
                    '(--adjustment "REASON"); nothing was changed'
                )
            self._record(fund, stored, entity, what, day, reason, record)

    # -- lookups (cached for the unit of work) --------------------------------------------------
    def _fund_of(self, record: dict[str, Any], by: str) -> Fund | None:
        if by == "id":
            if record.get("id") is None:  # a new fund: its partnership and year decide
                return Fund.model_validate({**record, "id": 0}) if record.get("partnership_id") else None
            fund_id = int(record["id"])
        elif by == _BY_LINE:
            line_id = record.get("line_id")
            if line_id is None:
                return None
            if line_id not in self._line_funds:
                self._line_funds[line_id] = self.uow.lines.get(int(line_id)).fund_id
            fund_id = self._line_funds[line_id]
        else:
            if record.get("fund_id") is None:
                return None
            fund_id = int(record["fund_id"])
        if fund_id not in self._funds:
            self._funds[fund_id] = self.uow.funds.get(fund_id)
        return self._funds[fund_id]

    def _refuse_closed(self, fund: Fund, what: str) -> None:
        key = (fund.partnership_id, fund.year)
        if key not in self._closed:
            self._closed[key] = closed_year(self.uow, fund.partnership_id, fund.year)
        closed = self._closed[key]
        if closed is not None:
            raise RuleViolation(
                f"{fund.year} was closed on {closed.closed_on:%d/%m/%Y} by {closed.closed_by}: the {fund.code} "
                f"{fund.year} ledger is read-only, so this {what} cannot be changed. An administrator can reopen "
                f"the year with a reason (year reopen {fund.year} --partnership ... --reason ...); nothing was changed"
            )

    def _periods(self, fund: Fund) -> list[tuple[Return, date, date]]:
        assert fund.id is not None
        if fund.id not in self._locked:
            self._locked[fund.id] = submitted_periods(self.uow, fund)
        return self._locked[fund.id]

    def _locked_return(self, fund: Fund, day: date) -> tuple[Return, date, date] | None:
        return next(((r, start, end) for r, start, end in self._periods(fund) if start <= day <= end), None)

    def _record(
        self, fund: Fund, stored: Return, entity: str, what: str, day: date, reason: str, record: dict[str, Any]
    ) -> None:
        assert fund.id is not None and stored.id is not None
        key = (stored.id, entity, int(record.get("id") or 0), day)
        if key in self._recorded:
            return
        self._recorded.add(key)
        self.uow.adjustments.add(
            LedgerAdjustment(
                fund_id=fund.id,
                return_id=stored.id,
                locked_period=stored.period,
                entity=entity,
                dated_on=day,
                summary=_summary(self.uow, what, record),
                reason=reason,
                recorded_by=self.principal.label,
                recorded_on=self.uow.clock().date(),
            )
        )


def _money(value: Any) -> str:
    if isinstance(value, int):  # a bulk import's stored row: pence
        value = Decimal(value) / 100
    return format_gbp(Decimal(str(value)))


def _summary(uow: UnitOfWork, what: str, record: dict[str, Any]) -> str:
    """ "payment of £10.00 on Mobile CCTV", "receipt of £5,000.00", "allocation of Mediation (£5,000.00)"."""
    if what == "spend":
        kind = str(getattr(record.get("kind"), "value", record.get("kind") or "payment"))
        line = uow.lines.get(int(record["line_id"])).description
        return f"{kind} of {_money(record.get('amount', 0))} on {line}"
    if what == "receipt":
        return f"receipt of {_money(record.get('amount', 0))}"
    if what == "allocation":
        return f"allocation of {record.get('description', '')} ({_money(record.get('allocated', 0))})"
    return what


def install(uow: UnitOfWork, principal: Principal) -> LockGuard:
    """Make every later write of ``uow`` pass the guard (done by ``usecase.perform``)."""
    guard = LockGuard(uow, principal)
    uow.audit.guard = guard
    return guard


def closed_year(uow: UnitOfWork, partnership_id: int, year: str) -> Any:
    """The partnership's closure of ``year`` in force, or None."""
    label = FinancialYear.parse(year).label
    found = [c for c in uow.closed_years.find(partnership_id=partnership_id, year=label) if c.closed]
    return found[-1] if found else None


def submitted_periods(uow: UnitOfWork, fund: Fund) -> list[tuple[Return, date, date]]:
    """The fund's submitted returns with the first and last day of each one's period."""
    assert fund.id is not None
    found = []
    for stored in uow.returns.find(fund_id=fund.id):
        if stored.status is ReturnStatus.SUBMITTED:
            period = parse_period(stored.period)
            found.append((stored, period.start, period.end))
    return found


def reported(uow: UnitOfWork, fund: Fund, adjustment: LedgerAdjustment) -> bool:
    """Whether a return submitted on or after the adjustment was recorded reports it: a later period's return,
    or an amendment of the locked return itself."""
    locked = parse_period(adjustment.locked_period)
    assert fund.id is not None
    for stored in uow.returns.find(fund_id=fund.id):
        if stored.status is not ReturnStatus.SUBMITTED or stored.submitted_on is None:
            continue
        period = parse_period(stored.period)
        later = period.start > locked.end or (stored.id == adjustment.return_id and stored.version_number > 1)
        if later and stored.submitted_on >= adjustment.recorded_on:
            return True
    return False


def unreported_adjustments(uow: UnitOfWork, fund: Fund) -> list[LedgerAdjustment]:
    """The fund's post-submission adjustments no later return has reported yet."""
    assert fund.id is not None
    return [a for a in uow.adjustments.find(fund_id=fund.id) if not reported(uow, fund, a)]


ADJUSTMENT_CODE = "RPT004"
ADJUSTMENT_NAME = "adjustment-unreported"


def adjustment_findings(uow: UnitOfWork, fund_ids: Sequence[int]) -> list[Any]:
    """A warning per post-submission adjustment that no later return has reported yet."""
    from grants.domain.enums import Severity
    from rules.findings import Finding

    found = []
    wanted = set(fund_ids)
    with_adjustments = sorted({a.fund_id for a in uow.adjustments.find() if a.fund_id in wanted})
    for fund_id in with_adjustments:
        fund = uow.funds.get(fund_id)
        partnership = uow.partnerships.get(fund.partnership_id).name
        for adjustment in unreported_adjustments(uow, fund):
            found.append(
                Finding(
                    code=ADJUSTMENT_CODE,
                    name=ADJUSTMENT_NAME,
                    severity=Severity.WARNING,
                    partnership=partnership,
                    fund=fund.code,
                    year=fund.year,
                    fund_id=fund_id,
                    message=(
                        f"A {adjustment.summary} dated {adjustment.dated_on:%d/%m/%Y} changed the submitted "
                        f"{adjustment.locked_period} return's period after submission ({adjustment.reason}); "
                        "the next return must report it"
                    ),
                    hint="Submit the next return (it lists the adjustment), or amend the earlier one.",
                )
            )
    return found
