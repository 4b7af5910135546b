"""Records of the return workflow: submitted versions, the funder's review, accepted findings, closed years,
adjustments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from grants.domain.models import Entity


class ReturnVersion(Entity):
    """One submitted version of a return: the frozen figures, and the SHA-256 of the PDF as sent (the PDF's
    bytes are kept beside the row, outside the audit log: ``uow.return_versions.pdf``)."""

    return_id: int
    number: int = Field(ge=1)
    frozen: dict[str, Any]
    pdf_sha256: str
    submitted_on: date
    submitted_by: str
    reason: str = ""


class ReturnReview(Entity):
    """One step of the exchange between the funder and the partnership about a submitted return.

    ``action`` is ``accepted`` or ``queried`` (the funder) or ``replied`` (the partnership); an amendment is a
    new version (:class:`ReturnVersion`) and appears in the history from there.
    """

    return_id: int
    version_number: int = Field(ge=0, description="The version reviewed (0: a return sent outside the tracker)")
    action: str
    comment: str = ""
    by: str
    name: str = ""
    at: datetime


class FindingAcceptance(Entity):
    """The Strategic Group accepts a finding: it stops blocking while its figures and review date hold."""

    fund_id: int
    code: str
    line: str = ""
    message: str = ""
    fingerprint: str
    reason: str = Field(min_length=1)
    review_on: date | None = None
    accepted_by: str
    accepted_name: str = ""
    accepted_on: date
    withdrawn_by: str = ""
    withdrawn_on: date | None = None
    withdraw_reason: str = ""

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None


class ClosedYear(Entity):
    """A partnership's closed financial year; reopened when ``reopened_on`` is set."""

    partnership_id: int
    year: str
    closed_by: str
    closed_on: date
    reason: str = ""
    reopened_by: str = ""
    reopened_on: date | None = None
    reopen_reason: str = ""

    @property
    def closed(self) -> bool:
        return self.reopened_on is None


class LedgerAdjustment(Entity):
    """A change dated inside a submitted return's period, recorded on purpose with a reason."""

    fund_id: int
    return_id: int
    locked_period: str
    entity: str
    dated_on: date
    summary: str = ""
    reason: str = Field(min_length=1)
    recorded_by: str
    recorded_on: date
