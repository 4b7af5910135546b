"""The ledger's entities as pydantic models (docs/domain.md §3).

Ids and versions are ``None`` until a record is stored. ``version`` is the
optimistic-concurrency counter: an update names the version it read, and a
stale one is refused as a ``Conflict``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from grants.domain.calendar import FinancialYear
from grants.domain.conditions import ConditionOverrides, FundConditions
from grants.domain.enums import (
    AmountStatus,
    ApplicationStatus,
    CapitalRevenue,
    MatchKind,
    ReceiptStatus,
    ReturnStatus,
    Role,
    RoundStatus,
    SpendKind,
    VirementStatus,
)
from grants.domain.money import Pounds


class Entity(BaseModel):
    """Common shape: an id and a version once stored."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    id: int | None = None
    version: int | None = None


class Partnership(Entity):
    """A community safety partnership (e.g. Charnwood CSP)."""

    name: str = Field(min_length=1, max_length=200)
    area: str = ""
    la_code: str = Field(
        default="",
        pattern=r"^(|[EWSN]\d{8})$",
        description="The local authority's ONS GSS code (e.g. E07000130), for 360Giving locations",
    )
    la_name: str = Field(default="", max_length=200, description="The local authority's name (e.g. Charnwood)")


class Funder(Entity):
    """Who the money comes from (OPCC, Home Office, DLUHC, ...), and who passed it on to them.

    ``parent_id`` is the funder this one's money came from (the Home Office for an OPCC's Safer Streets
    money): chains of any depth, Home Office -> OPCC -> partnership.
    """

    name: str = Field(min_length=1, max_length=200)
    parent_id: int | None = None


class Fund(Entity):
    """A funding stream for one partnership and one financial year or grant period."""

    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    partnership_id: int
    funder_id: int | None = None
    year: str = Field(description='Financial year label, "2023/24"')
    starts: date
    ends: date
    amount: Pounds = Decimal("0.00")
    amount_status: AmountStatus = AmountStatus.CONFIRMED
    aliases: tuple[str, ...] = ()
    conditions: FundConditions = Field(
        default=FundConditions(), description="The conditions in force (a programme's with this fund's overrides)"
    )
    notes: str = ""
    programme_id: int | None = Field(default=None, description="The funder's programme it inherits conditions from")
    condition_overrides: ConditionOverrides = ConditionOverrides()

    @field_validator("year")
    @classmethod
    def _year_is_a_financial_year(cls, value: str) -> str:
        return FinancialYear.parse(value).label

    @model_validator(mode="after")
    def _period_runs_forward(self) -> Fund:
        if self.ends < self.starts:
            raise ValueError(f"fund {self.code} ends {self.ends} before it starts {self.starts}")
        return self


class Receipt(Entity):
    """Money into a fund, received or expected."""

    fund_id: int
    amount: Pounds
    received_on: date | None = None
    status: ReceiptStatus = ReceiptStatus.RECEIVED
    approximate: bool = False
    reference: str = ""


class BudgetLine(Entity):
    """An allocation of a fund to a project run by a delivery partner."""

    fund_id: int
    description: str = Field(min_length=1, max_length=500)
    delivery_partner: str = ""
    strategic_priority: str = ""
    area: str = ""
    cohort: str = ""
    theme: str = ""
    capital_revenue: CapitalRevenue = CapitalRevenue.REVENUE
    allocated: Pounds = Decimal("0.00")
    reported_balance: Pounds | None = Field(default=None, description="A balance as printed in an imported table")
    approved_by: str = ""
    approved_on: date | None = None
    rejected_by: str = ""
    rejected_on: date | None = None
    rejection_reason: str = ""
    starts: date | None = None
    ends: date | None = None
    continuation_decided: bool = False
    source: str = Field(default="", description="Where the line came from (file and row)")
    notes: str = ""
    charity_number: str = Field(
        default="", pattern=r"^(|\d{6,8}(-\d{1,2})?)$", description="The delivery partner's registered charity number"
    )
    company_number: str = Field(
        default="",
        pattern=r"^(|[A-Z0-9]{8})$",
        description="The delivery partner's Companies House number (8 characters, e.g. 01234567 or SC123456)",
    )


class ProfileEntry(Entity):
    """Planned spend for a line in one quarter of a financial year."""

    line_id: int
    year: str
    quarter: int = Field(ge=1, le=4)
    amount: Pounds

    @field_validator("year")
    @classmethod
    def _year_is_a_financial_year(cls, value: str) -> str:
        return FinancialYear.parse(value).label


class Spend(Entity):
    """A payment, refund or income against a line."""

    line_id: int
    spent_on: date
    amount: Pounds = Field(description="Always positive; the kind says which way it moves")
    kind: SpendKind = SpendKind.PAYMENT
    reference: str = ""
    capital_revenue: CapitalRevenue | None = None
    batch_id: int | None = None

    @field_validator("amount")
    @classmethod
    def _positive(cls, value: Decimal) -> Decimal:
        if value < 0:
            raise ValueError("a spend amount is positive; record a refund as kind 'refund'")
        return value


class MatchContribution(Entity):
    """Match funding: cash, or in-kind hours at an hourly rate."""

    fund_id: int
    line_id: int | None = None
    kind: MatchKind
    contributed_on: date
    contributor: str = ""
    amount: Pounds = Decimal("0.00")
    hours: Decimal | None = Field(default=None, ge=0)
    hourly_rate: Pounds | None = None

    @model_validator(mode="after")
    def _in_kind_has_hours(self) -> MatchContribution:
        if self.kind is MatchKind.IN_KIND and (self.hours is None or self.hourly_rate is None):
            raise ValueError("an in-kind contribution needs hours and an hourly rate")
        return self

    @property
    def value(self) -> Decimal:
        """Cash amount, or hours × rate rounded to the penny."""
        if self.kind is MatchKind.IN_KIND and self.hours is not None and self.hourly_rate is not None:
            return (self.hours * self.hourly_rate).quantize(Decimal("0.01"))
        return self.amount


class Virement(Entity):
    """A proposal to move money from one line to another of the same fund; it moves on approval."""

    fund_id: int
    from_line_id: int
    to_line_id: int
    amount: Pounds
    moved_on: date
    reason: str = ""
    approved_by: str = ""
    approved_on: date | None = Field(default=None, description="The day it was approved: when the money moves")
    status: VirementStatus = VirementStatus.PROPOSED
    proposed_by: str = ""
    decided_by: str = ""
    decided_on: date | None = None
    decision_reason: str = ""

    @model_validator(mode="after")
    def _two_lines_positive(self) -> Virement:
        if self.from_line_id == self.to_line_id:
            raise ValueError("a virement moves money between two different lines")
        if self.amount <= 0:
            raise ValueError("a virement moves a positive amount")
        return self


class OutcomeUpdate(Entity):
    """Outputs and outcomes a line reports for a period, with evidence."""

    line_id: int
    period: str = Field(description='"2023/24 Q2", "2023/24 H1" or "2023/24"')
    reported_on: date
    outputs: Decimal | None = None
    unit: str = ""
    narrative: str = ""
    evidence: str = ""
    awaiting_data: bool = False


class OutcomeTarget(Entity):
    """What a line aims to achieve and how it is measured (an action plan's Outcome Target and Performance Measure).

    Outcome updates report against it.
    """

    line_id: int
    target: str = ""
    measure: str = ""
    time_scales: str = ""
    source: str = Field(default="", description="Where the target came from (file and row)")


class Return(Entity):
    """A financial profile return to the funder for one period."""

    fund_id: int
    period: str
    status: ReturnStatus = ReturnStatus.DRAFT
    due_on: date | None = None
    submitted_on: date | None = None
    submitted_by: str = ""
    frozen: dict[str, Any] | None = Field(default=None, description="The figures as submitted")
    words: dict[str, Any] | None = Field(default=None, description="The draft's explanations, outcomes and risks")
    signed_off_by: str = ""
    signed_off_name: str = ""
    signed_off_role: str = ""
    signed_off_on: date | None = None
    signed_off_fingerprint: str = ""
    version_number: int = Field(default=0, ge=0, description="The submitted version in force (0: none yet)")
    review: str = Field(default="", description="The funder's word on the version in force: accepted or queried")


class GrantRound(Entity):
    """One round of a small-grants fund (e.g. People Zone round 2)."""

    fund_id: int
    number: int = Field(ge=1)
    opens: date
    closes: date
    cap: Pounds | None = None
    status: RoundStatus = RoundStatus.PLANNED

    @model_validator(mode="after")
    def _window_runs_forward(self) -> GrantRound:
        if self.closes < self.opens:
            raise ValueError(f"round {self.number} closes {self.closes} before it opens {self.opens}")
        return self


class Application(Entity):
    """An application to a grant round; a funded one becomes a budget line."""

    round_id: int
    applicant: str = Field(min_length=1, max_length=200)
    project: str = ""
    theme: str = ""
    area: str = ""
    requested: Pounds
    received_on: date
    status: ApplicationStatus = ApplicationStatus.RECEIVED
    score: Decimal | None = None
    decided_by: str = ""
    decided_on: date | None = None
    line_id: int | None = None


class ImportedTable(Entity):
    """A budget table as printed: its printed totals, kept so DAT003 can compare them."""

    fund_id: int
    source: str
    as_at: date | None = None
    printed_allocated: Pounds | None = None
    printed_spent: Pounds | None = None
    printed_balance: Pounds | None = None
    printed_received: Pounds | None = None
    rows: int = 0
    rows_allocated: Pounds | None = Field(default=None, description="The sum of the table's printed rows")
    rows_spent: Pounds | None = Field(default=None, description="The printed rows' spent, when every row printed it")
    rows_balance: Pounds | None = Field(default=None, description="The printed rows' balances, when every row did")


class AuditEvent(BaseModel):
    """Who changed what, when: before -> after, written in the same transaction as the change."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int | None = None
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class User(Entity):
    """Someone who signs in: their role, and the partnerships they may see."""

    username: str = Field(min_length=1, max_length=200)
    display_name: str = ""
    role: Role
    password_hash: str = Field(default="", repr=False)
    all_partnerships: bool = False
    partnership_ids: tuple[int, ...] = ()
    active: bool = True
    funder_id: int | None = Field(default=None, description="A funder's account: the funder it works for")
