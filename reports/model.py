"""View models: the numbers a report shows, computed before any story or workbook is built.

``grants.services.reporting`` and ``grants.services.returns`` fill these from the ledger; the builders
in this package only lay them out. A return's view model converts to and from a JSON-able dict (money
as plain strings, dates as ISO text): that dict is what submitting a return freezes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from grants.domain.money import plain
from reports.return_extras import ReturnExtras

ZERO = Decimal("0.00")
FIGURES_VERSION = 1


@dataclass(frozen=True)
class FindingRow:
    """One open compliance finding as a report prints it."""

    code: str
    name: str
    severity: str  # "error", "warning" or "info"
    fund: str = ""
    year: str = ""
    line: str = ""
    message: str = ""
    hint: str = ""
    accepted: str = ""  # "Accepted by Jo Bloggs on 29/11/2026: reason" while an acceptance holds

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "fund": self.fund,
            "year": self.year,
            "line": self.line,
            "message": self.message,
            "hint": self.hint,
            "accepted": self.accepted,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FindingRow:
        return cls(**{key: str(data.get(key) or "") for key in cls.__dataclass_fields__})


# -- the budget pack ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class BudgetRow:
    """One line of a fund's budget table."""

    description: str
    delivery_partner: str
    strategic_priority: str
    allocated: Decimal
    spent: Decimal
    balance: Decimal


@dataclass(frozen=True)
class ChartPoint:
    """Cumulative profile and actual spend at the end of one quarter (actual is None after the as-at date)."""

    label: str
    profile: Decimal
    actual: Decimal | None


@dataclass(frozen=True)
class PendingRow:
    """A virement proposed and not yet decided at the as-at date: shown, but nothing has moved."""

    from_line: str
    to_line: str
    amount: Decimal
    proposed_on: date
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {
            "from_line": self.from_line,
            "to_line": self.to_line,
            "amount": plain(self.amount),
            "proposed_on": self.proposed_on.isoformat(),
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PendingRow:
        return cls(
            from_line=str(data["from_line"]),
            to_line=str(data["to_line"]),
            amount=Decimal(str(data["amount"])),
            proposed_on=date.fromisoformat(str(data["proposed_on"])),
            reason=str(data.get("reason") or ""),
        )


@dataclass(frozen=True)
class FundTable:
    """A fund's table in the papers' layout, with its totals and its profile-against-actual series."""

    code: str
    name: str
    year: str
    amount: Decimal
    amount_status: str
    received: Decimal
    expected: Decimal
    rows: tuple[BudgetRow, ...]
    total_allocated: Decimal
    total_spent: Decimal
    total_balance: Decimal
    unallocated: Decimal  # funding − allocated (``grants.figures``)
    chart: tuple[ChartPoint, ...] = ()
    notes: tuple[str, ...] = ()
    pending: tuple[PendingRow, ...] = ()

    @property
    def show_received(self) -> bool:
        """A fund with money still expected shows a ``Funding Received`` column."""
        return self.expected > 0

    @property
    def title(self) -> str:
        return f"{self.name} ({self.code}) {self.year}"


@dataclass(frozen=True)
class BehindLine:
    """A line behind its spend profile: by how much, and its RAG."""

    description: str
    delivery_partner: str
    shortfall: Decimal
    rag: str


@dataclass(frozen=True)
class PriorityFigures:
    """A strategic priority's money across the partnership's funds for the year."""

    priority: str  # "" for lines with no priority
    funds: tuple[str, ...]
    lines: int
    allocated: Decimal
    spent: Decimal
    balance: Decimal
    behind: tuple[BehindLine, ...] = ()
    year: str = ""

    @property
    def label(self) -> str:
        return self.priority or "No strategic priority"


@dataclass(frozen=True)
class PriorityRow:
    """A priority's figures and the Budget / Resource Implications paragraph made from them."""

    figures: PriorityFigures
    implications: str


@dataclass(frozen=True)
class OutcomeProgress:
    """A line's outcome target and measure, and its latest outcome update by the as-at date."""

    fund: str  # "PLF 2026/27"
    line: str
    target: str  # "60 young people diverted (measure: referrals closed)"
    latest: str  # "2026/27 Q2: 42 young people. Sessions ran weekly." or "No update yet"


@dataclass(frozen=True)
class BudgetPack:
    """Everything the Strategic Group's budget pack shows."""

    partnership: str
    year: str
    as_at: date
    generated_at: datetime
    funds: tuple[FundTable, ...]
    priorities: tuple[PriorityRow, ...]
    findings: tuple[FindingRow, ...] | None  # None: the compliance checks could not be run
    prepared_by: str = ""
    demo: bool = False  # from a demo database: every page says "Demo data"
    outcomes: tuple[OutcomeProgress, ...] = ()  # lines with an outcome target, and how they are doing

    @property
    def total_allocated(self) -> Decimal:
        return sum((f.total_allocated for f in self.funds), ZERO)

    @property
    def total_spent(self) -> Decimal:
        return sum((f.total_spent for f in self.funds), ZERO)

    @property
    def total_balance(self) -> Decimal:
        return sum((f.total_balance for f in self.funds), ZERO)


# -- the OPCC return ---------------------------------------------------------------------------------
def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class ReturnLine:
    description: str
    provider: str
    priority: str
    allocated: Decimal
    profile_to_date: Decimal
    actual_to_date: Decimal
    spent_in_period: Decimal
    variance: Decimal  # actual - profile: negative is behind
    rag: str  # "Green", "Amber", "Red" or "No profile"
    approved: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "provider": self.provider,
            "priority": self.priority,
            "allocated": plain(self.allocated),
            "profile_to_date": plain(self.profile_to_date),
            "actual_to_date": plain(self.actual_to_date),
            "spent_in_period": plain(self.spent_in_period),
            "variance": plain(self.variance),
            "rag": self.rag,
            "approved": self.approved,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReturnLine:
        return cls(
            description=str(data["description"]),
            provider=str(data.get("provider", "")),
            priority=str(data.get("priority", "")),
            allocated=_money(data["allocated"]),
            profile_to_date=_money(data["profile_to_date"]),
            actual_to_date=_money(data["actual_to_date"]),
            spent_in_period=_money(data["spent_in_period"]),
            variance=_money(data["variance"]),
            rag=str(data["rag"]),
            approved=bool(data.get("approved", False)),
        )


@dataclass(frozen=True)
class OutcomeRow:
    line: str
    provider: str
    period: str
    outputs: str  # "42 people supported", or "" when none
    narrative: str
    evidence: str
    awaiting_data: bool
    target: str = ""  # the line's outcome target and measure, "" when it has none

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "line": self.line,
            "provider": self.provider,
            "period": self.period,
            "outputs": self.outputs,
            "narrative": self.narrative,
            "evidence": self.evidence,
            "awaiting_data": self.awaiting_data,
        }
        if self.target:  # absent when none, so returns frozen before targets existed read back the same
            data["target"] = self.target
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutcomeRow:
        return cls(
            line=str(data["line"]),
            provider=str(data.get("provider", "")),
            period=str(data.get("period", "")),
            outputs=str(data.get("outputs", "")),
            narrative=str(data.get("narrative", "")),
            evidence=str(data.get("evidence", "")),
            awaiting_data=bool(data.get("awaiting_data", False)),
            target=str(data.get("target", "")),
        )


_RETURN_MONEY = (
    "fund_amount",
    "funding_received",
    "funding_expected",
    "allocated",
    "spent_in_period",
    "spent_to_date",
    "committed",
    "forecast_outturn",
    "projected_underspend",
    "total_profile_to_date",
    "total_variance",
)


@dataclass(frozen=True)
class ReturnView:
    """The OPCC financial profile return for one fund and period (a half, or a quarter)."""

    partnership: str
    fund_code: str
    fund_name: str
    funder: str
    year: str
    period: str  # "2026/27 H1" or "2026/27 Q2"
    period_start: date
    period_end: date
    as_at: date
    generated_at: datetime
    status: str  # "draft", "final" or "submitted"
    fund_amount: Decimal
    funding_received: Decimal
    funding_expected: Decimal
    allocated: Decimal
    spent_in_period: Decimal
    spent_to_date: Decimal
    committed: Decimal
    forecast_outturn: Decimal
    projected_underspend: Decimal
    total_profile_to_date: Decimal
    total_variance: Decimal
    lines: tuple[ReturnLine, ...]
    outcomes: tuple[OutcomeRow, ...]
    findings: tuple[FindingRow, ...] | None
    explanations: str = ""
    risks: str = ""
    prepared_by: str = ""
    approved_by: str = ""
    signed_on: date | None = None
    submitted_on: date | None = None
    submitted_by: str = ""
    due_on: date | None = None
    notes: tuple[str, ...] = field(default=())
    pending: tuple[PendingRow, ...] = field(default=())  # virements awaiting decision at the as-at date
    demo: bool = False  # from a demo database (not frozen: it is the database's mark, read on every render)
    extras: ReturnExtras = field(default_factory=ReturnExtras)

    @property
    def quarterly(self) -> bool:
        return " Q" in self.period

    @property
    def frozen(self) -> bool:
        return self.status == "submitted"

    def to_dict(self) -> dict[str, Any]:
        """The figures as plain JSON values: what ``submit_return`` stores in ``Return.frozen``."""
        data: dict[str, Any] = {"figures_version": FIGURES_VERSION}
        for name in (
            "partnership", "fund_code", "fund_name", "funder", "year", "period", "status",
            "explanations", "risks", "prepared_by", "approved_by", "submitted_by",
        ):  # fmt: skip
            data[name] = getattr(self, name)
        for name in ("period_start", "period_end", "as_at", "signed_on", "submitted_on", "due_on"):
            value = getattr(self, name)
            data[name] = value.isoformat() if value is not None else None
        data["generated_at"] = self.generated_at.isoformat(timespec="seconds")
        for name in _RETURN_MONEY:
            data[name] = plain(getattr(self, name))
        data["lines"] = [line.to_dict() for line in self.lines]
        data["outcomes"] = [row.to_dict() for row in self.outcomes]
        data["findings"] = None if self.findings is None else [row.to_dict() for row in self.findings]
        data["notes"] = list(self.notes)
        if self.pending:
            data["pending"] = [row.to_dict() for row in self.pending]
        data["extras"] = self.extras.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReturnView:
        def day(name: str) -> date | None:
            value = data.get(name)
            return date.fromisoformat(value) if value else None

        findings = data.get("findings")
        money: dict[str, Any] = {name: _money(data[name]) for name in _RETURN_MONEY}
        return cls(
            partnership=str(data["partnership"]),
            fund_code=str(data["fund_code"]),
            fund_name=str(data["fund_name"]),
            funder=str(data.get("funder", "")),
            year=str(data["year"]),
            period=str(data["period"]),
            period_start=date.fromisoformat(data["period_start"]),
            period_end=date.fromisoformat(data["period_end"]),
            as_at=date.fromisoformat(data["as_at"]),
            generated_at=datetime.fromisoformat(data["generated_at"]),
            status=str(data["status"]),
            lines=tuple(ReturnLine.from_dict(item) for item in data.get("lines", [])),
            outcomes=tuple(OutcomeRow.from_dict(item) for item in data.get("outcomes", [])),
            findings=None if findings is None else tuple(FindingRow.from_dict(item) for item in findings),
            explanations=str(data.get("explanations", "")),
            risks=str(data.get("risks", "")),
            prepared_by=str(data.get("prepared_by", "")),
            approved_by=str(data.get("approved_by", "")),
            signed_on=day("signed_on"),
            submitted_on=day("submitted_on"),
            submitted_by=str(data.get("submitted_by", "")),
            due_on=day("due_on"),
            notes=tuple(str(note) for note in data.get("notes", [])),
            pending=tuple(PendingRow.from_dict(item) for item in data.get("pending", [])),
            extras=ReturnExtras.from_dict(data.get("extras")),
            **money,
        )
