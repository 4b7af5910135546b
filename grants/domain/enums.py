"""The fixed vocabularies of the ledger (stored by their string values)."""

from __future__ import annotations

from enum import StrEnum


class AmountStatus(StrEnum):
    """How sure the partnership is of a fund's money."""

    CONFIRMED = "confirmed"
    APPROXIMATE = "approximate"  # "£15,000 approx", "circa £34K"
    INDICATIVE = "indicative"  # "Indicative ... as agreed by Charnwood Strategic Group"
    BID_DRAFTED = "bid_drafted"
    BID_SUBMITTED = "bid_submitted"
    BID_APPROVED = "bid_approved"
    BID_REFUSED = "bid_refused"

    @property
    def is_firm(self) -> bool:
        """Money that allocations may rest on without an ALC003 finding."""
        return self in (AmountStatus.CONFIRMED, AmountStatus.BID_APPROVED)


class ReceiptStatus(StrEnum):
    EXPECTED = "expected"
    RECEIVED = "received"


class CapitalRevenue(StrEnum):
    CAPITAL = "capital"
    REVENUE = "revenue"


class VirementStatus(StrEnum):
    """A virement moves nothing until the Strategic Group approves it."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class SpendKind(StrEnum):
    """Payments add to spend, refunds reduce it; income (e.g. bike locks sold) is kept apart."""

    PAYMENT = "payment"
    REFUND = "refund"
    INCOME = "income"


class MatchKind(StrEnum):
    CASH = "cash"
    IN_KIND = "in_kind"  # officer hours at a rate


class ReturnStatus(StrEnum):
    """The partnership's side of a return (grants/services/return_workflow.py): draft -> signed off -> submitted."""

    DRAFT = "draft"
    FINAL = "final"
    SIGNED_OFF = "signed_off"
    SUBMITTED = "submitted"


class ReturnCadence(StrEnum):
    SIX_MONTHLY = "six_monthly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


class RoundStatus(StrEnum):
    PLANNED = "planned"
    OPEN = "open"
    CLOSED = "closed"


class ApplicationStatus(StrEnum):
    """received -> under_review -> funded | refused."""

    RECEIVED = "received"
    UNDER_REVIEW = "under_review"
    FUNDED = "funded"
    REFUSED = "refused"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Role(StrEnum):
    MANAGER = "manager"
    STRATEGIC_GROUP = "strategic_group"
    VIEWER = "viewer"
    ADMIN = "admin"
    FUNDER = "funder"
