"""The database schema (SQLAlchemy 2 declarative).

Exact decimals (money, hours, scores) are stored as integers scaled by
``10**info["scale"]`` — pence for money — so SQLite and PostgreSQL hold the same
exact values and sums never touch a float. Every ledger row carries a
``version`` that SQLAlchemy checks on UPDATE (optimistic concurrency).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
MONEY = {"scale": 2}
"""Column info for an exact decimal stored as integer hundredths (pence for money)."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}  # noqa: RUF012 - SQLAlchemy's own hook


class Versioned(Base):
    """A row with an id and an optimistic-concurrency version."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}


def _money(nullable: bool = False) -> Mapped[Any]:
    return mapped_column(BigInteger, nullable=nullable, info=MONEY)


class PartnershipRow(Versioned):
    __tablename__ = "partnerships"
    name: Mapped[str] = mapped_column(String(200), unique=True)
    area: Mapped[str] = mapped_column(String(200), default="")
    la_code: Mapped[str] = mapped_column(String(9), default="", server_default="")
    la_name: Mapped[str] = mapped_column(String(200), default="", server_default="")


class FunderRow(Versioned):
    __tablename__ = "funders"
    name: Mapped[str] = mapped_column(String(200), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("funders.id"))


class FundRow(Versioned):
    __tablename__ = "funds"
    __table_args__ = (UniqueConstraint("partnership_id", "code", "year"),)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id"), index=True)
    funder_id: Mapped[int | None] = mapped_column(ForeignKey("funders.id"))
    year: Mapped[str] = mapped_column(String(7))
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = _money()
    amount_status: Mapped[str] = mapped_column(String(20))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    condition_overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")


class ProgrammeRow(Versioned):
    """A funder's stream for one year and the conditions its funds inherit (revision 0015)."""

    __tablename__ = "programmes"
    __table_args__ = (UniqueConstraint("funder_id", "code", "year"),)
    funder_id: Mapped[int] = mapped_column(ForeignKey("funders.id"))
    code: Mapped[str] = mapped_column(String(40))
    year: Mapped[str] = mapped_column(String(7))
    name: Mapped[str] = mapped_column(String(200))
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ConditionChangeRow(Versioned):
    """A proposed change of a fund's conditions and the Strategic Group's decision (revision 0015)."""

    __tablename__ = "condition_changes"
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"), index=True)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    inherit: Mapped[list[str]] = mapped_column(JSON, default=list)
    override: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text)
    proposed_by: Mapped[str] = mapped_column(String(200))
    proposed_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_reason: Mapped[str] = mapped_column(Text, default="")


class ReceiptRow(Versioned):
    __tablename__ = "receipts"
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"), index=True)
    amount: Mapped[int] = _money()
    received_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    reference: Mapped[str] = mapped_column(String(500), default="")


class BudgetLineRow(Versioned):
    __tablename__ = "budget_lines"
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    delivery_partner: Mapped[str] = mapped_column(String(200), default="")
    strategic_priority: Mapped[str] = mapped_column(String(200), default="")
    area: Mapped[str] = mapped_column(String(200), default="")
    cohort: Mapped[str] = mapped_column(String(200), default="")
    theme: Mapped[str] = mapped_column(String(200), default="")
    capital_revenue: Mapped[str] = mapped_column(String(10), default="revenue")
    allocated: Mapped[int] = _money()
    reported_balance: Mapped[int | None] = _money(nullable=True)
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    approved_on: Mapped[date | None] = mapped_column(Date)
    rejected_by: Mapped[str] = mapped_column(String(200), default="")
    rejected_on: Mapped[date | None] = mapped_column(Date)
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    starts: Mapped[date | None] = mapped_column(Date)
    ends: Mapped[date | None] = mapped_column(Date)
    continuation_decided: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    charity_number: Mapped[str] = mapped_column(String(20), default="", server_default="")
    company_number: Mapped[str] = mapped_column(String(20), default="", server_default="")


class ProfileEntryRow(Versioned):
    __tablename__ = "profile_entries"
    __table_args__ = (UniqueConstraint("line_id", "year", "quarter"),)
    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id"), index=True)
    year: Mapped[str] = mapped_column(String(7))
    quarter: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = _money()


class ImportBatchRow(Base):
    """One imported file: the audit trail of a bulk load (one audit event per file, not per row)."""

    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(200))


class SpendRow(Versioned):
    __tablename__ = "spends"
    __table_args__ = (Index("ix_spends_line_date", "line_id", "spent_on"),)
    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id"))
    spent_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = _money()
    kind: Mapped[str] = mapped_column(String(10))
    reference: Mapped[str] = mapped_column(String(500), default="")
    capital_revenue: Mapped[str | None] = mapped_column(String(10))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)


class SpendMonthRow(Base):
    """Spends summed per line, kind, capital/revenue flag and calendar month: a derived table.

    It always equals a fresh ``GROUP BY`` of ``spends`` (``grants.storage.spend_months``): every write to
    ``spends`` (the repository's add, bulk insert, update and delete; the county generator) updates it in
    the same transaction. ``capital_revenue`` is the spend's own flag, ``""`` when the spend has none (the
    line's applies). The compliance checks read these few hundred thousand rows instead of grouping every
    spend.
    """

    __tablename__ = "spend_months"
    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    capital_revenue: Mapped[str] = mapped_column(String(10), primary_key=True)
    amount: Mapped[int] = _money()
    count: Mapped[int] = mapped_column(Integer)
    first_on: Mapped[date] = mapped_column(Date)
    last_on: Mapped[date] = mapped_column(Date)


class MatchContributionRow(Versioned):
    __tablename__ = "match_contributions"
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"), index=True)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("budget_lines.id"))
    kind: Mapped[str] = mapped_column(String(10))
    contributed_on: Mapped[date] = mapped_column(Date)
    contributor: Mapped[str] = mapped_column(String(200), default="")
    amount: Mapped[int] = _money()
    hours: Mapped[int | None] = mapped_column(BigInteger, info=MONEY)
    hourly_rate: Mapped[int | None] = _money(nullable=True)


class VirementRow(Versioned):
    __tablename__ = "virements"
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"), index=True)
    from_line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id"))
    to_line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id"))
    amount: Mapped[int] = _money()
    moved_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    approved_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    proposed_by: Mapped[str] = mapped_column(String(200), default="")
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_reason: Mapped[str] = mapped_column(Text, default="")


class LineStateRow(Base):
    """Append-only: a budget line's money, purpose and approval from ``effective_on`` (the dated ledger).

    Written by the line repository in the same transaction as every add, change and removal of a line. Two
    streams: ``terms`` states (amount, purpose, partner, removal) and ``approval`` states (granted, voided,
    withdrawn), so an approval dated at the meeting that agreed a line recorded later stays true. "As at D"
    takes the latest state of each stream with ``effective_on <= D`` (ties: the later ``id``). ``recorded_at`` is
    when the tracker learnt it. A line with no state at all predates the dated ledger (or was bulk-loaded)
    and counts as it stands.
    """

    __tablename__ = "line_states"
    __table_args__ = (Index("ix_line_states_line_effective", "line_id", "effective_on"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id"))
    kind: Mapped[str] = mapped_column(String(10))  # "terms" (money, purpose, partner) or "approval"
    effective_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    allocated: Mapped[int] = _money()
    description: Mapped[str] = mapped_column(String(500))
    delivery_partner: Mapped[str] = mapped_column(String(200), default="")
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    approved_on: Mapped[date | None] = mapped_column(Date)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)


class ProfileStateRow(Base):
    """Append-only: one quarter of a line's spend profile from ``effective_on`` (as ``line_states``)."""

    __tablename__ = "profile_states"
    __table_args__ = (Index("ix_profile_states_line_effective", "line_id", "effective_on"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id"))
    year: Mapped[str] = mapped_column(String(7))
    quarter: Mapped[int] = mapped_column(Integer)
    effective_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    amount: Mapped[int] = _money()


class OutcomeUpdateRow(Versioned):
    __tablename__ = "outcome_updates"
    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    reported_on: Mapped[date] = mapped_column(Date)
    outputs: Mapped[int | None] = mapped_column(BigInteger, info=MONEY)
    unit: Mapped[str] = mapped_column(String(100), default="")
    narrative: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    awaiting_data: Mapped[bool] = mapped_column(Boolean, default=False)


class OutcomeTargetRow(Versioned):
    __tablename__ = "outcome_targets"
    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id"), index=True)
    target: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[str] = mapped_column(Text, default="")
    time_scales: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(500), default="")


class ReturnRow(Versioned):
    __tablename__ = "returns"
    __table_args__ = (UniqueConstraint("fund_id", "period"),)
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10))
    due_on: Mapped[date | None] = mapped_column(Date)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    submitted_by: Mapped[str] = mapped_column(String(200), default="")
    frozen: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The draft's words and its sign-off (see grants/services/return_workflow.py).
    words: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    signed_off_by: Mapped[str] = mapped_column(String(200), default="")
    signed_off_name: Mapped[str] = mapped_column(String(200), default="")
    signed_off_role: Mapped[str] = mapped_column(String(100), default="")
    signed_off_on: Mapped[date | None] = mapped_column(Date)
    signed_off_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    version_number: Mapped[int] = mapped_column(Integer, default=0)
    review: Mapped[str] = mapped_column(String(10), default="", server_default="")


class GrantRoundRow(Versioned):
    __tablename__ = "grant_rounds"
    __table_args__ = (UniqueConstraint("fund_id", "number"),)
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    opens: Mapped[date] = mapped_column(Date)
    closes: Mapped[date] = mapped_column(Date)
    cap: Mapped[int | None] = _money(nullable=True)
    status: Mapped[str] = mapped_column(String(10))


class ApplicationRow(Versioned):
    __tablename__ = "applications"
    round_id: Mapped[int] = mapped_column(ForeignKey("grant_rounds.id"), index=True)
    applicant: Mapped[str] = mapped_column(String(200))
    project: Mapped[str] = mapped_column(String(500), default="")
    theme: Mapped[str] = mapped_column(String(200), default="")
    area: Mapped[str] = mapped_column(String(200), default="")
    requested: Mapped[int] = _money()
    received_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    score: Mapped[int | None] = mapped_column(BigInteger, info=MONEY)
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[date | None] = mapped_column(Date)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("budget_lines.id"))


class ImportedTableRow(Versioned):
    __tablename__ = "imported_tables"
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"), index=True)
    source: Mapped[str] = mapped_column(String(500))
    as_at: Mapped[date | None] = mapped_column(Date)
    printed_allocated: Mapped[int | None] = _money(nullable=True)
    printed_spent: Mapped[int | None] = _money(nullable=True)
    printed_balance: Mapped[int | None] = _money(nullable=True)
    printed_received: Mapped[int | None] = _money(nullable=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    rows_allocated: Mapped[int | None] = _money(nullable=True)
    rows_spent: Mapped[int | None] = _money(nullable=True)
    rows_balance: Mapped[int | None] = _money(nullable=True)


class MeetingPackRow(Versioned):
    """A strategic group meeting's pack as frozen for the meeting: the bytes shown, and their SHA-256."""

    __tablename__ = "meeting_packs"
    __table_args__ = (UniqueConstraint("partnership_id", "meeting_on"),)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id"), index=True)
    meeting_on: Mapped[date] = mapped_column(Date)
    since_on: Mapped[date | None] = mapped_column(Date)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    xlsx: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    xlsx_sha256: Mapped[str] = mapped_column(String(64))
    frozen_at: Mapped[datetime] = mapped_column(DateTime)
    frozen_by: Mapped[str] = mapped_column(String(200))


class AuditEventRow(Base):
    """Append-only: the application never updates or deletes these rows."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class UserRow(Versioned):
    """A local account (when no OIDC provider is configured) and its role and partnerships."""

    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(200), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(500), default="")
    all_partnerships: Mapped[bool] = mapped_column(Boolean, default=False)
    partnership_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    funder_id: Mapped[int | None] = mapped_column(ForeignKey("funders.id"))


class SettingRow(Base):
    """One named setting of this installation (e.g. ``demo``: this database holds the demo data)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class SignInFailureRow(Base):
    """A failed local sign-in: the name typed (which may not be an account) and when (UTC)."""

    __tablename__ = "sign_in_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(200), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)


class SignInSessionRow(Base):
    """A signed-in browser: only the SHA-256 of its cookie's token is kept; ended at sign-out or idle."""

    __tablename__ = "sign_in_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    username: Mapped[str] = mapped_column(String(200), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)


class DataVersionRow(Base):
    """How far each fund's data has moved: bumped in the same transaction as every committed write to it.

    ``fund_id`` 0 stands for everything not about one fund (partnerships, funders, accounts, settings). A fund
    without a row has version 0. The app's caches are keyed on these (``grants.storage.data_versions``).
    """

    __tablename__ = "data_versions"
    fund_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# -- returns workflow, accepted findings, closed years, post-submission adjustments (revision 0010_returns) --
class ReturnVersionRow(Versioned):
    """One submitted version of a return: its frozen figures and the PDF exactly as sent (with its SHA-256)."""

    __tablename__ = "return_versions"
    __table_args__ = (UniqueConstraint("return_id", "number"),)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    frozen: Mapped[dict[str, Any]] = mapped_column(JSON)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)  # kept out of the model and the audit log
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    submitted_on: Mapped[date] = mapped_column(Date)
    submitted_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")


class ReturnReviewRow(Versioned):
    """The funder's acceptance or query of a submitted return, and the partnership's replies (revision 0013)."""

    __tablename__ = "return_reviews"
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(DateTime)


class FindingAcceptanceRow(Versioned):
    """The Strategic Group's acceptance of one finding (fund, rule code, line), for the figures it saw."""

    __tablename__ = "finding_acceptances"
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    line: Mapped[str] = mapped_column(String(500), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    fingerprint: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    review_on: Mapped[date | None] = mapped_column(Date)
    accepted_by: Mapped[str] = mapped_column(String(200))
    accepted_name: Mapped[str] = mapped_column(String(200), default="")
    accepted_on: Mapped[date] = mapped_column(Date)
    withdrawn_by: Mapped[str] = mapped_column(String(200), default="")
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdraw_reason: Mapped[str] = mapped_column(Text, default="")


class ClosedYearRow(Versioned):
    """A partnership's financial year closed by the Strategic Group (reopened by an administrator)."""

    __tablename__ = "closed_years"
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id"), index=True)
    year: Mapped[str] = mapped_column(String(7))
    closed_by: Mapped[str] = mapped_column(String(200))
    closed_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    reopened_by: Mapped[str] = mapped_column(String(200), default="")
    reopened_on: Mapped[date | None] = mapped_column(Date)
    reopen_reason: Mapped[str] = mapped_column(Text, default="")


class LedgerAdjustmentRow(Versioned):
    """A change dated inside a submitted return's period, recorded as a post-submission adjustment."""

    __tablename__ = "ledger_adjustments"
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"), index=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    locked_period: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(50))
    dated_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_on: Mapped[date] = mapped_column(Date)


# -- returns received from partnerships as packages (revision 0014_received) ----------------------------------
class ReceivedReturnRow(Versioned):
    """A partnership's submitted return received as a package: its return.json and PDF exactly as they came."""

    __tablename__ = "received_returns"
    __table_args__ = (UniqueConstraint("partnership_id", "fund_code", "year", "period", "version_number"),)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id"), index=True)
    funder_id: Mapped[int | None] = mapped_column(ForeignKey("funders.id"))
    fund_code: Mapped[str] = mapped_column(String(40))
    fund_name: Mapped[str] = mapped_column(String(200), default="")
    stream: Mapped[str] = mapped_column(String(200), default="")
    year: Mapped[str] = mapped_column(String(7))
    period: Mapped[str] = mapped_column(String(20))
    version_number: Mapped[int] = mapped_column(Integer)
    frozen: Mapped[dict[str, Any]] = mapped_column(JSON)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)  # kept out of the model and the audit log
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    package_sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(DateTime)
    received_by: Mapped[str] = mapped_column(String(200))
    review: Mapped[str] = mapped_column(String(10), default="")
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_by: Mapped[str] = mapped_column(String(200), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
