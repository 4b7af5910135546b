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

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from grants.domain import models
from grants.domain.calendar import FinancialYear
from grants.domain.conditions import FundConditions
from grants.domain.enums import AmountStatus, MatchKind, ReceiptStatus, ReturnStatus, SpendKind, VirementStatus
from rules.frames import LedgerFrames
from tests.support.frames import frames_from_models

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
        rows_allocated: Amount | None = None,
        rows_spent: Amount | None = None,
        rows_balance: Amount | None = None,
        rows: int = 0,
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
                rows_allocated=_money(rows_allocated) if rows_allocated is not None else None,
                rows_spent=_money(rows_spent) if rows_spent is not None else None,
                rows_balance=_money(rows_balance) if rows_balance is not None else None,
                rows=rows,
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
