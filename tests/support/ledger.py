"""``LedgerBuilder``: a small ledger of domain objects, with ids, turned into frames without a database.

For unit tests and the BDD steps::

    ledger = LedgerBuilder()
    ledger.fund("PLF", "2017/18", "75500")
    mediation = ledger.line("Mediation", "5000")
    ledger.spend(mediation, date(2017, 6, 1), "250")
    frames = ledger.frames(as_at=date(2017, 10, 26))

Each ``fund`` becomes the current fund and each ``line`` the current line, so steps can say "the fund"
and "the line". Objects are pydantic models, validated as the ledger would validate them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import pandas as pd

from grants.domain import models
from grants.domain.calendar import FinancialYear
from grants.domain.conditions import FundConditions
from grants.domain.enums import AmountStatus, MatchKind, ReceiptStatus, ReturnStatus, SpendKind, VirementStatus
from grants.domain.money import to_pence
from rules.frames import LedgerFrames, aggregate_spends, conform

E = TypeVar("E", bound=models.Entity)
Amount = Decimal | str | int


def _money(amount: Amount) -> Decimal:
    return Decimal(str(amount))


class LedgerBuilder:
    """Domain objects with ids assigned in order; ``frames()`` turns them into ``LedgerFrames``."""

    def __init__(self) -> None:
        self._next_id = 0
        self.partnerships: list[models.Partnership] = []
        self.funds: list[models.Fund] = []
        self.receipts: list[models.Receipt] = []
        self.lines: list[models.BudgetLine] = []
        self.profiles: list[models.ProfileEntry] = []
        self.spends: list[models.Spend] = []
        self.matches: list[models.MatchContribution] = []
        self.virements: list[models.Virement] = []
        self.outcomes: list[models.OutcomeUpdate] = []
        self.returns: list[models.Return] = []
        self.rounds: list[models.GrantRound] = []
        self.applications: list[models.Application] = []
        self.imported_tables: list[models.ImportedTable] = []

    # -- helpers ---------------------------------------------------------------------------
    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _add(self, items: list[E], item: E) -> E:
        items.append(item)
        return item

    @property
    def current_fund(self) -> models.Fund:
        if not self.funds:
            raise LookupError("no fund yet: add one first")
        return self.funds[-1]

    @property
    def current_line(self) -> models.BudgetLine:
        if not self.lines:
            raise LookupError("no budget line yet: add one first")
        return self.lines[-1]

    def line_named(self, description: str, *, fund_code: str | None = None) -> models.BudgetLine:
        """The newest line with this description (in the given fund, if named)."""
        for line in reversed(self.lines):
            if line.description == description and (fund_code is None or self.fund_of(line).code == fund_code):
                return line
        raise LookupError(f"no budget line {description!r}")

    def fund_of(self, line: models.BudgetLine) -> models.Fund:
        return next(f for f in self.funds if f.id == line.fund_id)

    def _replace(self, items: list[E], item: E, changes: dict[str, Any]) -> E:
        index = next(i for i, existing in enumerate(items) if existing.id == item.id)
        updated = type(item).model_validate({**dict(items[index]), **changes})
        items[index] = updated
        return updated

    # -- records ---------------------------------------------------------------------------
    def partnership(self, name: str = "Charnwood") -> models.Partnership:
        for existing in self.partnerships:
            if existing.name == name:
                return existing
        return self._add(self.partnerships, models.Partnership(id=self._id(), version=1, name=name))

    def fund(
        self,
        code: str = "PLF",
        year: str = "2017/18",
        amount: Amount = "0",
        *,
        partnership: str = "Charnwood",
        name: str | None = None,
        starts: date | None = None,
        ends: date | None = None,
        amount_status: AmountStatus = AmountStatus.CONFIRMED,
        conditions: FundConditions | dict[str, Any] | None = None,
    ) -> models.Fund:
        label = FinancialYear.parse(year)
        if isinstance(conditions, dict):
            conditions = FundConditions.model_validate(conditions)
        fund = models.Fund(
            id=self._id(),
            version=1,
            code=code,
            name=name or code,
            partnership_id=self.partnership(partnership).id or 0,
            year=label.label,
            starts=starts or label.start,
            ends=ends or label.end,
            amount=_money(amount),
            amount_status=amount_status,
            conditions=conditions or FundConditions(),
        )
        return self._add(self.funds, fund)

    def update_fund(self, fund: models.Fund | None = None, **changes: Any) -> models.Fund:
        return self._replace(self.funds, fund or self.current_fund, changes)

    def set_conditions(self, fund: models.Fund | None = None, **conditions: Any) -> models.Fund:
        """Change some of a fund's conditions, keeping the rest."""
        target = fund or self.current_fund
        merged = FundConditions.model_validate({**target.conditions.model_dump(exclude_unset=True), **conditions})
        return self.update_fund(target, conditions=merged)

    def receipt(
        self,
        amount: Amount,
        received_on: date | None = None,
        *,
        fund: models.Fund | None = None,
        status: ReceiptStatus = ReceiptStatus.RECEIVED,
        approximate: bool = False,
        reference: str = "",
    ) -> models.Receipt:
        target = fund or self.current_fund
        return self._add(
            self.receipts,
            models.Receipt(
                id=self._id(),
                version=1,
                fund_id=target.id or 0,
                amount=_money(amount),
                received_on=received_on,
                status=status,
                approximate=approximate,
                reference=reference,
            ),
        )

    def line(
        self, description: str, allocated: Amount = "0", *, fund: models.Fund | None = None, **fields: Any
    ) -> models.BudgetLine:
        target = fund or self.current_fund
        if "reported_balance" in fields and fields["reported_balance"] is not None:
            fields["reported_balance"] = _money(fields["reported_balance"])
        return self._add(
            self.lines,
            models.BudgetLine(
                id=self._id(),
                version=1,
                fund_id=target.id or 0,
                description=description,
                allocated=_money(allocated),
                **fields,
            ),
        )

    def update_line(self, line: models.BudgetLine | None = None, **changes: Any) -> models.BudgetLine:
        return self._replace(self.lines, line or self.current_line, changes)

    def profile(self, line: models.BudgetLine, year: str, quarter: int, amount: Amount) -> models.ProfileEntry:
        return self._add(
            self.profiles,
            models.ProfileEntry(
                id=self._id(), version=1, line_id=line.id or 0, year=year, quarter=quarter, amount=_money(amount)
            ),
        )

    def spend(
        self,
        line: models.BudgetLine,
        spent_on: date,
        amount: Amount,
        *,
        kind: SpendKind = SpendKind.PAYMENT,
        capital_revenue: str | None = None,
        reference: str = "",
    ) -> models.Spend:
        return self._add(
            self.spends,
            models.Spend.model_validate(
                {
                    "id": self._id(),
                    "version": 1,
                    "line_id": line.id,
                    "spent_on": spent_on,
                    "amount": _money(amount),
                    "kind": kind,
                    "capital_revenue": capital_revenue,
                    "reference": reference,
                }
            ),
        )

    def match(
        self,
        contributed_on: date,
        *,
        amount: Amount = "0",
        hours: Amount | None = None,
        hourly_rate: Amount | None = None,
        fund: models.Fund | None = None,
        line: models.BudgetLine | None = None,
        contributor: str = "",
    ) -> models.MatchContribution:
        target = fund or self.current_fund
        in_kind = hours is not None
        return self._add(
            self.matches,
            models.MatchContribution(
                id=self._id(),
                version=1,
                fund_id=target.id or 0,
                line_id=line.id if line else None,
                kind=MatchKind.IN_KIND if in_kind else MatchKind.CASH,
                contributed_on=contributed_on,
                contributor=contributor,
                amount=Decimal("0") if in_kind else _money(amount),
                hours=_money(hours) if hours is not None else None,
                hourly_rate=_money(hourly_rate) if hourly_rate is not None else None,
            ),
        )

    def virement(
        self,
        from_line: models.BudgetLine,
        to_line: models.BudgetLine,
        amount: Amount,
        moved_on: date,
        *,
        approved_by: str = "",
        approved_on: date | None = None,
        reason: str = "",
        status: VirementStatus | None = None,
    ) -> models.Virement:
        """A virement: proposed (nothing moves) or, with an approval, approved (both allocations change, as
        the ledger's ``approve_virement`` does)."""
        amount = _money(amount)
        status = status or (VirementStatus.APPROVED if approved_by and approved_on else VirementStatus.PROPOSED)
        if status is VirementStatus.APPROVED:
            source = next(line for line in self.lines if line.id == from_line.id)
            target = next(line for line in self.lines if line.id == to_line.id)
            self.update_line(source, allocated=source.allocated - amount)  # as the ledger does
            self.update_line(target, allocated=target.allocated + amount)
        return self._add(
            self.virements,
            models.Virement(
                id=self._id(),
                version=1,
                fund_id=from_line.fund_id,
                from_line_id=from_line.id or 0,
                to_line_id=to_line.id or 0,
                amount=amount,
                moved_on=moved_on,
                reason=reason,
                approved_by=approved_by,
                approved_on=approved_on,
                status=status,
            ),
        )

    def outcome(
        self,
        line: models.BudgetLine,
        period: str,
        reported_on: date,
        *,
        evidence: str = "",
        awaiting_data: bool = False,
        narrative: str = "",
    ) -> models.OutcomeUpdate:
        return self._add(
            self.outcomes,
            models.OutcomeUpdate(
                id=self._id(),
                version=1,
                line_id=line.id or 0,
                period=period,
                reported_on=reported_on,
                evidence=evidence,
                awaiting_data=awaiting_data,
                narrative=narrative,
            ),
        )

    def return_(
        self,
        period: str,
        *,
        fund: models.Fund | None = None,
        status: ReturnStatus = ReturnStatus.DRAFT,
        due_on: date | None = None,
        submitted_on: date | None = None,
    ) -> models.Return:
        target = fund or self.current_fund
        return self._add(
            self.returns,
            models.Return(
                id=self._id(),
                version=1,
                fund_id=target.id or 0,
                period=period,
                status=status,
                due_on=due_on,
                submitted_on=submitted_on,
            ),
        )

    def round(
        self, number: int, opens: date, closes: date, *, fund: models.Fund | None = None, cap: Amount | None = None
    ) -> models.GrantRound:
        target = fund or self.current_fund
        return self._add(
            self.rounds,
            models.GrantRound(
                id=self._id(),
                version=1,
                fund_id=target.id or 0,
                number=number,
                opens=opens,
                closes=closes,
                cap=_money(cap) if cap is not None else None,
            ),
        )

    def application(
        self,
        round_: models.GrantRound,
        applicant: str,
        requested: Amount,
        received_on: date,
        *,
        line: models.BudgetLine | None = None,
    ) -> models.Application:
        return self._add(
            self.applications,
            models.Application(
                id=self._id(),
                version=1,
                round_id=round_.id or 0,
                applicant=applicant,
                requested=_money(requested),
                received_on=received_on,
                line_id=line.id if line else None,
            ),
        )

    def imported_table(
        self,
        source: str,
        *,
        fund: models.Fund | None = None,
        printed_allocated: Amount | None = None,
        printed_spent: Amount | None = None,
        printed_balance: Amount | None = None,
        as_at: date | None = None,
    ) -> models.ImportedTable:
        target = fund or self.current_fund
        return self._add(
            self.imported_tables,
            models.ImportedTable(
                id=self._id(),
                version=1,
                fund_id=target.id or 0,
                source=source,
                as_at=as_at,
                printed_allocated=_money(printed_allocated) if printed_allocated is not None else None,
                printed_spent=_money(printed_spent) if printed_spent is not None else None,
                printed_balance=_money(printed_balance) if printed_balance is not None else None,
            ),
        )

    # -- output ----------------------------------------------------------------------------
    def frames(self, as_at: date | None = None) -> LedgerFrames:
        return frames_from_models(
            partnerships=self.partnerships,
            funds=self.funds,
            receipts=self.receipts,
            lines=self.lines,
            profiles=self.profiles,
            spends=self.spends,
            matches=self.matches,
            virements=self.virements,
            outcomes=self.outcomes,
            returns=self.returns,
            rounds=self.rounds,
            applications=self.applications,
            imported_tables=self.imported_tables,
            as_at=as_at,
        )


# -- frames from domain objects, without a database ----------------------------------------------


def _rows(items: Iterable[Any], convert: Any) -> pd.DataFrame:
    return pd.DataFrame([convert(item) for item in items])


def _pence(amount: Any) -> int | None:
    return None if amount is None else to_pence(amount)


def frames_from_models(
    *,
    partnerships: Sequence[models.Partnership],
    funds: Sequence[models.Fund] = (),
    receipts: Sequence[models.Receipt] = (),
    lines: Sequence[models.BudgetLine] = (),
    profiles: Sequence[models.ProfileEntry] = (),
    spends: Sequence[models.Spend] = (),
    matches: Sequence[models.MatchContribution] = (),
    virements: Sequence[models.Virement] = (),
    outcomes: Sequence[models.OutcomeUpdate] = (),
    returns: Sequence[models.Return] = (),
    rounds: Sequence[models.GrantRound] = (),
    applications: Sequence[models.Application] = (),
    imported_tables: Sequence[models.ImportedTable] = (),
    as_at: date | None = None,
) -> LedgerFrames:
    """Frames from domain objects (ids set), without a database: for tests and the BDD steps.

    With ``as_at``, records dated after it are left out, as the SQL loader does.
    """

    def kept(day: date | None) -> bool:
        return as_at is None or day is None or day <= as_at

    names = {p.id: p.name for p in partnerships}
    tables: dict[str, pd.DataFrame] = {
        "funds": _rows(
            funds,
            lambda f: {
                "fund_id": f.id,
                "partnership_id": f.partnership_id,
                "partnership": names[f.partnership_id],
                "code": f.code,
                "name": f.name,
                "year": f.year,
                "starts": f.starts,
                "ends": f.ends,
                "amount_pence": to_pence(f.amount),
                "amount_status": f.amount_status.value,
                "conditions": f.conditions,
            },
        ),
        "receipts": _rows(
            (r for r in receipts if kept(r.received_on)),
            lambda r: {
                "receipt_id": r.id,
                "fund_id": r.fund_id,
                "amount_pence": to_pence(r.amount),
                "received_on": r.received_on,
                "status": r.status.value,
                "approximate": r.approximate,
                "reference": r.reference,
            },
        ),
        "lines": _rows(
            lines,
            lambda line: {
                "line_id": line.id,
                "fund_id": line.fund_id,
                "description": line.description,
                "delivery_partner": line.delivery_partner,
                "strategic_priority": line.strategic_priority,
                "area": line.area,
                "cohort": line.cohort,
                "theme": line.theme,
                "capital_revenue": line.capital_revenue.value,
                "allocated_pence": to_pence(line.allocated),
                "reported_balance_pence": _pence(line.reported_balance),
                "approved_by": line.approved_by,
                "approved_on": line.approved_on,
                "starts": line.starts,
                "ends": line.ends,
                "continuation_decided": line.continuation_decided,
                "source": line.source,
                "notes": line.notes,
            },
        ),
        "profiles": _rows(
            profiles,
            lambda p: {"line_id": p.line_id, "year": p.year, "quarter": p.quarter, "amount_pence": to_pence(p.amount)},
        ),
        "matches": _rows(
            (m for m in matches if kept(m.contributed_on)),
            lambda m: {
                "match_id": m.id,
                "fund_id": m.fund_id,
                "line_id": m.line_id,
                "kind": m.kind.value,
                "contributed_on": m.contributed_on,
                "contributor": m.contributor,
                "value_pence": to_pence(m.value),
            },
        ),
        "virements": _rows(
            (v for v in virements if kept(v.moved_on)),
            lambda v: {
                "virement_id": v.id,
                "fund_id": v.fund_id,
                "from_line_id": v.from_line_id,
                "to_line_id": v.to_line_id,
                "amount_pence": to_pence(v.amount),
                "moved_on": v.moved_on,
                "reason": v.reason,
                "approved_by": v.approved_by,
                "approved_on": v.approved_on,
                "status": v.status.value,
                "decided_on": v.decided_on,
            },
        ),
        "outcomes": _rows(
            (o for o in outcomes if kept(o.reported_on)),
            lambda o: {
                "outcome_id": o.id,
                "line_id": o.line_id,
                "period": o.period,
                "reported_on": o.reported_on,
                "evidence": o.evidence,
                "awaiting_data": o.awaiting_data,
            },
        ),
        "returns": _rows(
            returns,
            lambda r: {
                "return_id": r.id,
                "fund_id": r.fund_id,
                "period": r.period,
                "status": r.status.value,
                "due_on": r.due_on,
                "submitted_on": r.submitted_on,
            },
        ),
        "rounds": _rows(
            rounds,
            lambda r: {
                "round_id": r.id,
                "fund_id": r.fund_id,
                "number": r.number,
                "opens": r.opens,
                "closes": r.closes,
                "cap_pence": _pence(r.cap),
                "status": r.status.value,
            },
        ),
        "applications": _rows(
            applications,
            lambda a: {
                "application_id": a.id,
                "round_id": a.round_id,
                "applicant": a.applicant,
                "requested_pence": to_pence(a.requested),
                "received_on": a.received_on,
                "status": a.status.value,
                "line_id": a.line_id,
            },
        ),
        "imported_tables": _rows(
            imported_tables,
            lambda t: {
                "table_id": t.id,
                "fund_id": t.fund_id,
                "source": t.source,
                "as_at": t.as_at,
                "printed_allocated_pence": _pence(t.printed_allocated),
                "printed_spent_pence": _pence(t.printed_spent),
                "printed_balance_pence": _pence(t.printed_balance),
                "printed_received_pence": _pence(t.printed_received),
                "rows": t.rows,
            },
        ),
    }
    conformed_funds = conform("funds", tables["funds"])
    conformed_lines = conform("lines", tables["lines"])
    raw_spends = _rows(
        (s for s in spends if kept(s.spent_on)),
        lambda s: {
            "line_id": s.line_id,
            "spent_on": s.spent_on,
            "amount_pence": to_pence(s.amount),
            "kind": s.kind.value,
            "capital_revenue": s.capital_revenue.value if s.capital_revenue else None,
        },
    )
    tables["spends"] = aggregate_spends(raw_spends, conformed_lines, conformed_funds)
    return LedgerFrames.build(tables, as_at=as_at)
